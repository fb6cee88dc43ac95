//! `agentos acp` end to end: a small ACP client drives an agent running in
//! a fresh VM over the binary's stdin/stdout, answering its permission
//! request; `agentos acp --list` lists the registered agents.

use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const STREAMING: &str = include_str!("../../../agentos/tests/fixtures/agents/streaming.js");

fn send(stdin: &mut ChildStdin, message: Value) {
    writeln!(stdin, "{message}").unwrap();
    stdin.flush().unwrap();
}

fn next(lines: &Receiver<String>) -> Value {
    let line = lines.recv_timeout(Duration::from_secs(20)).expect("a message from the agent");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn acp_relays_a_session_to_an_agent_in_the_vm() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("agent.js"), STREAMING).unwrap();
    let mount = format!("/agents={}", dir.path().to_str().unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentos"))
        .args(["acp", "--mount", &mount, "--agent", "streaming=/agents/agent.js", "streaming"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "protocolVersion": 1, "clientCapabilities": {} } }),
    );
    let r = next(&lines);
    assert_eq!(r["id"], 1);
    assert_eq!(r["result"]["agentInfo"], json!({ "name": "streaming-agent", "version": "1.0.0" }));
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "session/new", "params": { "cwd": "/home/user", "mcpServers": [] } }),
    );
    let r = next(&lines);
    assert_eq!((r["id"].clone(), r["result"]["sessionId"].clone()), (json!(2), json!("stream-1")));

    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 3, "method": "session/prompt", "params": { "sessionId": "stream-1", "prompt": [{ "type": "text", "text": "tools 1" }] } }),
    );
    let mut seen = Vec::new();
    loop {
        let m = next(&lines);
        if m["method"] == "session/request_permission" {
            assert_eq!(m["params"]["toolCall"]["kind"], "edit");
            seen.push(format!("permission {}", m["id"]));
            send(
                &mut stdin,
                json!({ "jsonrpc": "2.0", "id": m["id"], "result": { "outcome": { "outcome": "selected", "optionId": "yes" } } }),
            );
        } else if m["method"] == "session/update" {
            let u = &m["params"]["update"];
            let kind = u["sessionUpdate"].as_str().unwrap();
            seen.push(match kind {
                "agent_message_chunk" => format!("text {}", u["content"]["text"].as_str().unwrap()),
                _ => kind.to_string(),
            });
        } else {
            assert_eq!(m, json!({ "jsonrpc": "2.0", "id": 3, "result": { "stopReason": "end_turn" } }));
            break;
        }
    }
    assert_eq!(seen, ["tool_call", "permission 1000", "tool_call_update", "text call-1:yes;"]);

    // End of input ends the agent, and with it `agentos acp`.
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn acp_list_and_unknown_agent() {
    let out = Command::new(env!("CARGO_BIN_EXE_agentos"))
        .args(["acp", "--agent", "b=/opt/b.js", "--agent", "a=some-package", "--list"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\tsome-package\tmissing\nb\t/opt/b.js\tmissing\n");
    assert_eq!(out.status.code(), Some(0));
    let out = Command::new(env!("CARGO_BIN_EXE_agentos")).args(["acp", "nope"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "agentos: Unknown agent type: nope\n");
    assert_eq!(out.status.code(), Some(1));
    let out = Command::new(env!("CARGO_BIN_EXE_agentos")).args(["acp"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
