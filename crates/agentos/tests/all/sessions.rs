//! Agent sessions over ACP against JavaScript test agents that run inside
//! the VM with our `node` (`tests/fixtures/agents/*.js`): streaming,
//! events and their replay, permissions, files and terminals served from
//! the VM, cancel, mode/model/config, timeouts, crashes, garbage, and
//! closing with a live process tree.

use std::sync::Arc;
use std::time::Duration;

use agentos::{
    AgentDescriptor, AgentListing, AgentOs, AgentOsOptions, CreateSessionOptions, Error, PermissionOption,
    PermissionReply, PermissionRequest, SequencedEvent, SessionTimeouts,
};
use parking_lot::Mutex;
use serde_json::json;

/// How long a test waits for something that should happen promptly.
const PATIENCE: Duration = Duration::from_secs(20);

const FIXTURES: &[(&str, &str)] = &[
    ("streaming", include_str!("../fixtures/agents/streaming.js")),
    ("files", include_str!("../fixtures/agents/files.js")),
    ("crash", include_str!("../fixtures/agents/crash.js")),
    ("silent", include_str!("../fixtures/agents/silent.js")),
    ("version", include_str!("../fixtures/agents/version.js")),
];

/// A VM with every fixture agent registered under its name, plus `extra`.
async fn vm_with(extra: Vec<AgentDescriptor>) -> AgentOs {
    let mut agents: Vec<AgentDescriptor> =
        FIXTURES.iter().map(|(name, _)| AgentDescriptor::new(*name, format!("/tmp/{name}.js"))).collect();
    agents.extend(extra);
    let vm = AgentOs::create(AgentOsOptions { agents, ..Default::default() }).await.unwrap();
    for (name, source) in FIXTURES {
        vm.write_file(&format!("/tmp/{name}.js"), source).await.unwrap();
    }
    vm
}

async fn vm() -> AgentOs {
    vm_with(Vec::new()).await
}

fn short(timeouts: impl FnOnce(&mut SessionTimeouts)) -> CreateSessionOptions {
    let mut t = SessionTimeouts::default();
    timeouts(&mut t);
    CreateSessionOptions { timeouts: t, ..Default::default() }
}

/// The `sessionUpdate` kind of an event.
fn kind(e: &SequencedEvent) -> String {
    e.notification["params"]["update"]["sessionUpdate"].as_str().unwrap().to_string()
}

fn acp_error(e: Error) -> (String, String) {
    match e {
        Error::Acp { message, stderr_tail } => (message, stderr_tail),
        other => panic!("expected an ACP error, got {other:?}"),
    }
}

/// Wait until `f` holds, polling.
async fn until(mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !f() {
        assert!(tokio::time::Instant::now() < deadline, "condition not reached in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn running(vm: &AgentOs) -> Vec<String> {
    let mut v: Vec<String> = vm.all_processes().into_iter().filter(|p| p.running).map(|p| p.command).collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_agent_and_unknown_session() {
    let vm = vm().await;
    let e = vm.create_session("nope", CreateSessionOptions::default()).await.unwrap_err();
    assert_eq!(e, Error::UnknownAgent("nope".into()));
    assert_eq!(e.to_string(), "Unknown agent type: nope");
    let e = vm.prompt("ghost", "hi").await.unwrap_err();
    assert_eq!(e, Error::SessionNotFound("ghost".into()));
    assert_eq!(e.to_string(), "Session not found: ghost");
    assert_eq!(vm.close_session("ghost").unwrap_err(), Error::SessionNotFound("ghost".into()));
    assert_eq!(vm.session_events("ghost", 0).unwrap_err(), Error::SessionNotFound("ghost".into()));
    assert!(vm.list_sessions().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_are_listed_and_packages_resolved() {
    let mut pkg = AgentDescriptor::new("pkg", "@test/acp");
    pkg.launch_args = vec!["--from-package".into()];
    let vm = vm_with(vec![pkg, AgentDescriptor::new("absent", "not-installed")]).await;
    vm.mkdir("/usr/local/lib/node_modules/@test/acp/dist", agentos::MkdirOptions { recursive: true }).await.unwrap();
    vm.write_file(
        "/usr/local/lib/node_modules/@test/acp/package.json",
        r#"{"name":"@test/acp","bin":{"test-acp":"./dist/acp.js"}}"#,
    )
    .await
    .unwrap();
    vm.write_file("/usr/local/lib/node_modules/@test/acp/dist/acp.js", FIXTURES[0].1).await.unwrap();
    let listed: Vec<(String, bool)> = vm.list_agents().into_iter().map(|a| (a.id, a.installed)).collect();
    assert_eq!(
        listed,
        [
            ("absent", false),
            ("crash", true),
            ("files", true),
            ("pkg", true),
            ("silent", true),
            ("streaming", true),
            ("version", true)
        ]
        .map(|(a, b)| (a.to_string(), b))
    );
    let pkg = vm.list_agents().into_iter().find(|a| a.id == "pkg").unwrap();
    assert_eq!(
        pkg,
        AgentListing {
            id: "pkg".into(),
            acp_adapter: "@test/acp".into(),
            entry: "/usr/local/lib/node_modules/@test/acp/dist/acp.js".into(),
            installed: true
        }
    );
    let s = vm.create_session("pkg", CreateSessionOptions::default()).await.unwrap();
    let r = vm.raw_send(&s, "x/env", json!({ "names": [] })).await.unwrap();
    assert_eq!(r["result"]["argv"], json!(["--from-package"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn create_session_describes_the_agent() {
    let vm = vm().await;
    let mcp = json!({ "name": "fs", "command": "/bin/mcp", "args": ["--x"], "env": [] });
    let s = vm
        .create_session("streaming", CreateSessionOptions { mcp_servers: vec![mcp.clone()], ..Default::default() })
        .await
        .unwrap();
    assert_eq!(s, "stream-1");
    let info = vm.session_info(&s).unwrap();
    assert_eq!(info.session_id, "stream-1");
    assert_eq!(info.acp_session_id, "stream-1");
    assert_eq!(info.agent_id, "streaming");
    assert!(info.pid > 0);
    assert_eq!(info.agent_info, Some(json!({ "name": "streaming-agent", "version": "1.0.0" })));
    assert_eq!(
        info.agent_capabilities,
        Some(json!({ "loadSession": false, "promptCapabilities": { "image": false } }))
    );
    assert_eq!(info.modes.as_ref().unwrap()["currentModeId"], "default");
    assert_eq!(info.models.as_ref().unwrap()["currentModelId"], "small");
    assert_eq!(info.config_options.as_ref().unwrap()[0]["id"], "effort");
    assert_eq!(vm.list_sessions(), vec![info]);

    // What the agent received.
    let r = vm.raw_send(&s, "x/env", json!({ "names": [] })).await.unwrap();
    assert_eq!(
        r["result"]["init"],
        json!({
            "protocolVersion": 1,
            "clientCapabilities": { "fs": { "readTextFile": true, "writeTextFile": true }, "terminal": true },
            "clientInfo": { "name": "agentos", "version": env!("CARGO_PKG_VERSION") },
        })
    );
    assert_eq!(r["result"]["new"], json!({ "cwd": "/home/user", "mcpServers": [mcp] }));
    assert_eq!(r["result"]["cwd"], "/home/user");

    // A second session of another agent that picks the same id.
    let f1 = vm.create_session("files", CreateSessionOptions::default()).await.unwrap();
    let f2 = vm.create_session("files", CreateSessionOptions::default()).await.unwrap();
    assert_eq!((f1.as_str(), f2.as_str()), ("files", "files#2"));
    let ids: Vec<_> = vm.list_sessions().into_iter().map(|i| i.session_id).collect();
    assert_eq!(ids, ["files", "files#2", "stream-1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn environment_cwd_args_and_instructions() {
    let mut agent = AgentDescriptor::new("custom", "/tmp/streaming.js");
    agent.launch_args = vec!["--a".into(), "b c".into()];
    agent.static_env = vec![("A".into(), "static".into()), ("B".into(), "static".into())];
    agent.env = Some(Arc::new(|ctx: &agentos::SoftwareContext| {
        vec![("B".into(), "computed".into()), ("C".into(), ctx.resolve_package("pkg"))]
    }));
    let vm = vm_with(vec![agent]).await;
    let s = vm
        .create_session(
            "custom",
            CreateSessionOptions {
                env: vec![("C".into(), "session".into())],
                cwd: Some("/tmp".into()),
                additional_instructions: Some("Be brief.".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = vm
        .raw_send(&s, "x/env", json!({ "names": ["A", "B", "C", "AGENTOS_ADDITIONAL_INSTRUCTIONS", "HOME"] }))
        .await
        .unwrap();
    let r = &r["result"];
    assert_eq!(r["env"], json!(["static", "computed", "session", "Be brief.", "/home/user"]));
    assert_eq!(r["cwd"], "/tmp");
    assert_eq!(r["argv"], json!(["--a", "b c"]));
    assert_eq!(
        r["new"],
        json!({ "cwd": "/tmp", "mcpServers": [], "_meta": { "agentOs": { "additionalInstructions": "Be brief." } } })
    );
    let e = vm.raw_send(&s, "x/nothing", json!({})).await.unwrap_err();
    assert_eq!(acp_error(e), ("x/nothing failed: Method not found: x/nothing (code -32601)".into(), String::new()));
}

#[tokio::test(flavor = "multi_thread")]
async fn prompt_streams_events_in_order_with_replay() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    let live = Arc::new(Mutex::new(Vec::new()));
    let l = live.clone();
    let unsubscribe =
        vm.on_session_event(&s, Arc::new(move |e: &SequencedEvent| l.lock().push((e.seq, kind(e))))).unwrap();
    let r = vm.prompt(&s, "hello").await.unwrap();
    assert_eq!(r.stop_reason, "end_turn");
    assert_eq!(r.text, "Hello world");
    assert_eq!(r.response, json!({ "jsonrpc": "2.0", "id": 3, "result": { "stopReason": "end_turn" } }));
    assert_eq!(
        *live.lock(),
        [
            (1, "agent_message_chunk"),
            (2, "agent_thought_chunk"),
            (3, "agent_message_chunk"),
            (4, "agent_message_chunk")
        ]
        .map(|(n, k)| (n, k.to_string()))
    );
    let history = vm.session_events(&s, 0).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(
        history[0].notification,
        json!({
            "jsonrpc": "2.0",
            "method": "session/update",
            "params": { "sessionId": "stream-1", "update": { "sessionUpdate": "agent_message_chunk", "content": { "type": "text", "text": "Hel" } } }
        })
    );
    let r = vm.prompt(&s, vec![json!({ "type": "text", "text": "again" })]).await.unwrap();
    assert_eq!(r.text, "echo: again");
    assert_eq!(vm.session_events(&s, 3).unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [4, 5]);
    assert_eq!(vm.session_events(&s, 99).unwrap(), []);

    // A late subscriber gets events after 2 from history, then live ones.
    let late = Arc::new(Mutex::new(Vec::new()));
    let l = late.clone();
    let _late =
        vm.on_session_event_with_history(&s, 2, Arc::new(move |e: &SequencedEvent| l.lock().push(e.seq))).unwrap();
    assert_eq!(*late.lock(), [3, 4, 5]);
    unsubscribe();
    vm.prompt(&s, "hello").await.unwrap();
    assert_eq!(*late.lock(), [3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(live.lock().len(), 5, "unsubscribed handler got no more events");
}

/// Register a permission handler answering from `replies` in turn, and
/// recording each request.
fn answer_with(vm: &AgentOs, s: &str, replies: Vec<PermissionReply>) -> Arc<Mutex<Vec<PermissionRequest>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let replies = Arc::new(Mutex::new(replies.into_iter()));
    let (vm2, s2, seen2) = (vm.clone(), s.to_string(), seen.clone());
    let _keep = vm
        .on_permission_request(
            s,
            Arc::new(move |r: &PermissionRequest| {
                seen2.lock().push(r.clone());
                let reply = replies.lock().next().unwrap();
                vm2.respond_permission(&s2, &r.permission_id, reply).unwrap();
            }),
        )
        .unwrap();
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn permission_replies_once_reject_always() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    let seen = answer_with(&vm, &s, vec![PermissionReply::Once, PermissionReply::Reject, PermissionReply::Always]);
    assert_eq!(vm.prompt(&s, "tools 1").await.unwrap().text, "call-1:yes;");
    let first = seen.lock()[0].clone();
    assert_eq!(first.permission_id, "1000");
    assert_eq!(first.session_id, "stream-1");
    assert_eq!(first.description.as_deref(), Some("Edit file 1"));
    assert_eq!(
        first.options,
        [
            ("yes", "Allow", "allow_once"),
            ("yes-always", "Always allow", "allow_always"),
            ("no", "Reject", "reject_once")
        ]
        .map(|(i, n, k)| PermissionOption { option_id: i.into(), name: n.into(), kind: k.into() })
    );
    assert_eq!(first.params["toolCall"], json!({ "toolCallId": "call-1", "title": "Edit file 1", "kind": "edit" }));
    assert_eq!(vm.prompt(&s, "tools 1").await.unwrap().text, "call-1:no;");
    // `Always` answers this request and the next ones of the same kind.
    assert_eq!(vm.prompt(&s, "tools 3").await.unwrap().text, "call-1:yes-always;call-2:yes-always;call-3:yes-always;");
    assert_eq!(seen.lock().len(), 3);
    let kinds: Vec<String> = vm.session_events(&s, 0).unwrap().iter().map(kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "tool_call").count(), 5);
    assert_eq!(kinds.iter().filter(|k| *k == "tool_call_update").count(), 5);
    // Another kind still asks; the handler has no replies left → nothing
    // else may call it.
    let e = vm.respond_permission(&s, "1000", PermissionReply::Once).unwrap_err();
    assert_eq!(acp_error(e).0, "No pending permission request: 1000");
}

#[tokio::test(flavor = "multi_thread")]
async fn permission_without_handler_is_rejected_and_unanswered_times_out() {
    let vm = vm().await;
    let s = vm.create_session("streaming", short(|t| t.permission = Duration::from_millis(300))).await.unwrap();
    assert_eq!(vm.prompt(&s, "tools 1").await.unwrap().text, "call-1:no;");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let a = asked.clone();
    let unsubscribe = vm
        .on_permission_request(&s, Arc::new(move |r: &PermissionRequest| a.lock().push(r.permission_id.clone())))
        .unwrap();
    let r = vm.prompt(&s, "tools 2").await.unwrap();
    assert_eq!(r.text, "call-1:no;call-2:no;");
    assert_eq!(*asked.lock(), ["1001", "1002"]);
    let e = vm.respond_permission(&s, "1001", PermissionReply::Once).unwrap_err();
    assert_eq!(acp_error(e).0, "No pending permission request: 1001");
    unsubscribe();
    assert_eq!(vm.prompt(&s, "tools 1").await.unwrap().text, "call-1:no;");
    assert_eq!(asked.lock().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_during_a_prompt() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    let (vm2, s2) = (vm.clone(), s.clone());
    let turn = tokio::spawn(async move { vm2.prompt(&s2, "wait").await });
    until(|| vm.session_events(&s, 0).unwrap().len() == 1).await;
    vm.cancel_session(&s).await.unwrap();
    let r = tokio::time::timeout(PATIENCE, turn).await.unwrap().unwrap().unwrap();
    assert_eq!((r.stop_reason.as_str(), r.text.as_str()), ("cancelled", "waiting stopped"));

    // Cancelling answers a pending permission request with `cancelled`.
    let asked = Arc::new(Mutex::new(0));
    let a = asked.clone();
    let _h = vm.on_permission_request(&s, Arc::new(move |_: &PermissionRequest| *a.lock() += 1)).unwrap();
    let (vm2, s2) = (vm.clone(), s.clone());
    let turn = tokio::spawn(async move { vm2.prompt(&s2, "ask then wait").await });
    until(|| *asked.lock() == 1).await;
    vm.cancel_session(&s).await.unwrap();
    let r = tokio::time::timeout(PATIENCE, turn).await.unwrap().unwrap().unwrap();
    assert_eq!((r.stop_reason.as_str(), r.text.as_str()), ("cancelled", "call-1:cancelled;"));
    // The session goes on.
    assert_eq!(vm.prompt(&s, "more").await.unwrap().text, "echo: more");
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_of_an_agent_that_ignores_it() {
    let vm = vm().await;
    let s = vm.create_session("crash", short(|t| t.cancel_grace = Duration::from_millis(200))).await.unwrap();
    let (vm2, s2) = (vm.clone(), s.clone());
    let turn = tokio::spawn(async move { vm2.prompt(&s2, "hang").await });
    until(|| vm.session_events(&s, 0).unwrap().len() == 1).await;
    vm.cancel_session(&s).await.unwrap();
    let r = tokio::time::timeout(PATIENCE, turn).await.unwrap().unwrap().unwrap();
    assert_eq!((r.stop_reason.as_str(), r.text.as_str()), ("cancelled", "starting"));
    assert_eq!(r.response, json!({ "jsonrpc": "2.0", "id": null, "result": { "stopReason": "cancelled" } }));
    // Without a prompt in flight, cancel just notifies.
    vm.cancel_session(&s).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn modes_models_and_config_options() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    assert_eq!(vm.set_session_mode(&s, "plan").await.unwrap(), json!({}));
    assert_eq!(vm.session_info(&s).unwrap().modes.unwrap()["currentModeId"], "plan");
    let events = vm.session_events(&s, 0).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].notification["params"]["update"],
        json!({ "sessionUpdate": "current_mode_update", "currentModeId": "plan" })
    );
    assert_eq!(vm.set_session_model(&s, "large").await.unwrap(), json!({}));
    assert_eq!(vm.session_info(&s).unwrap().models.unwrap()["currentModelId"], "large");
    let r = vm.set_session_config_option(&s, "effort", json!("high")).await.unwrap();
    assert_eq!(r["configOptions"][0]["currentValue"], "high");
    assert_eq!(vm.session_info(&s).unwrap().config_options.unwrap()[0]["currentValue"], "high");
}

#[tokio::test(flavor = "multi_thread")]
async fn files_through_the_client_methods() {
    let vm = vm().await;
    vm.write_file("/home/user/in.txt", "one\ntwo\nthree\nfour\n").await.unwrap();
    let s = vm.create_session("files", CreateSessionOptions::default()).await.unwrap();
    let r = vm.prompt(&s, "files").await.unwrap();
    assert_eq!(
        r.text,
        concat!(
            "read {\"content\":\"one\\ntwo\\nthree\\nfour\\n\"}\n",
            "lines {\"content\":\"two\\nthree\\n\"}\n",
            "write {}\n",
            "missing -32002\n",
            "unknown {\"error\":{\"code\":-32601,\"message\":\"Method not found: fs/frobnicate\"}}\n",
        )
    );
    assert_eq!(vm.read_file("/home/user/out.txt").await.unwrap(), b"ONE\nTWO\nTHREE\nFOUR\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn terminals_through_the_client_methods() {
    let vm = vm().await;
    let s = vm.create_session("files", CreateSessionOptions::default()).await.unwrap();
    let r = vm.prompt(&s, "terminal").await.unwrap();
    assert_eq!(
        r.text,
        concat!(
            "created term-1\n",
            "exit {\"exitCode\":3,\"signal\":null}\n",
            "output {\"exitStatus\":{\"exitCode\":3,\"signal\":null},\"output\":\"out\\nerr\\n\",\"truncated\":false}\n",
            "released -32002\n",
            "running {\"output\":\"tmp\\n\",\"truncated\":true}\n",
            "killed {\"exitCode\":null,\"signal\":\"SIGKILL\"}\n",
        )
    );
    until(|| running(&vm) == ["node"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_that_dies_mid_prompt() {
    let vm = vm().await;
    let s = vm.create_session("crash", CreateSessionOptions::default()).await.unwrap();
    let e = tokio::time::timeout(PATIENCE, vm.prompt(&s, "crash")).await.unwrap().unwrap_err();
    assert_eq!(
        e.to_string(),
        "session/prompt: the agent process exited with status 3\nagent stderr:\nworking...\nfatal: out of tokens"
    );
    assert_eq!(
        acp_error(e),
        ("session/prompt: the agent process exited with status 3".into(), "working...\nfatal: out of tokens\n".into())
    );
    assert_eq!(vm.session_events(&s, 0).unwrap().len(), 1);
    let e = vm.prompt(&s, "again").await.unwrap_err();
    assert_eq!(acp_error(e).0, "session/prompt: the agent process exited with status 3");
    vm.close_session(&s).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_that_writes_garbage_or_hangs() {
    let vm = vm().await;
    let s = vm.create_session("crash", short(|t| t.prompt = Duration::from_millis(300))).await.unwrap();
    let e = vm.prompt(&s, "garbage").await.unwrap_err();
    assert_eq!(
        acp_error(e),
        (
            "session/prompt: agent wrote a line that is not JSON-RPC: this is not json".into(),
            "about to misbehave\n".into()
        )
    );
    let e = vm.prompt(&s, "hang").await.unwrap_err();
    assert_eq!(acp_error(e).0, "session/prompt timed out after 300ms");
    // The agent still answers other calls.
    let e = vm.raw_send(&s, "fail", json!({})).await.unwrap_err();
    assert_eq!(acp_error(e).0, "fail failed: it failed (code -32000)");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_that_never_answers_initialize() {
    let vm = vm().await;
    let e = vm.create_session("silent", short(|t| t.initialize = Duration::from_millis(300))).await.unwrap_err();
    assert_eq!(acp_error(e), ("initialize timed out after 300ms".into(), "silent agent up\n".into()));
    assert!(vm.list_sessions().is_empty());
    until(|| running(&vm).is_empty()).await;

    let e = vm.create_session("version", CreateSessionOptions::default()).await.unwrap_err();
    assert_eq!(acp_error(e).0, "initialize: the agent speaks ACP protocol version 99, we speak 1");
    until(|| running(&vm).is_empty()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn close_kills_the_process_tree_and_fails_pending_calls() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    assert_eq!(vm.prompt(&s, "spawn").await.unwrap().text, "child true");
    // node → sh → (bash for `&` → sleep, sleep).
    until(|| running(&vm) == ["bash", "node", "sh", "sleep", "sleep"]).await;
    let (vm2, s2) = (vm.clone(), s.clone());
    let turn = tokio::spawn(async move { vm2.prompt(&s2, "wait").await });
    until(|| vm.session_events(&s, 0).unwrap().len() == 2).await;
    vm.close_session(&s).unwrap();
    let e = tokio::time::timeout(PATIENCE, turn).await.unwrap().unwrap().unwrap_err();
    assert_eq!(acp_error(e).0, "session/prompt: Session closed: stream-1");
    until(|| running(&vm).is_empty()).await;
    assert!(vm.list_sessions().is_empty());
    assert_eq!(vm.close_session(&s).unwrap_err(), Error::SessionNotFound("stream-1".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn dispose_ends_sessions() {
    let vm = vm().await;
    let s = vm.create_session("streaming", CreateSessionOptions::default()).await.unwrap();
    let (vm2, s2) = (vm.clone(), s.clone());
    let turn = tokio::spawn(async move { vm2.prompt(&s2, "wait").await });
    until(|| vm.session_events(&s, 0).unwrap().len() == 1).await;
    vm.dispose().await.unwrap();
    let e = tokio::time::timeout(PATIENCE, turn).await.unwrap().unwrap().unwrap_err();
    assert_eq!(acp_error(e).0, "session/prompt: VM disposed");
    assert!(vm.list_sessions().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn cron_session_action_prompts_a_fresh_session() {
    use agentos::{CronAction, CronEvent, CronJobOptions, CronSessionOptions, ManualClock, Overlap};
    let clock = Arc::new(ManualClock::default());
    // 2026-01-01T10:00:00Z
    clock.set(agentos_kernel::abi::Timespec::from_nanos(1_767_261_600_000_000_000));
    let agents = vec![AgentDescriptor::new("files", "/tmp/files.js")];
    let vm =
        AgentOs::create(AgentOsOptions { agents, clock: Some(clock.clone()), ..Default::default() }).await.unwrap();
    vm.write_file("/tmp/files.js", FIXTURES[1].1).await.unwrap();
    vm.write_file("/home/user/in.txt", "cron\n").await.unwrap();
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let _unsubscribe = vm.on_cron_event(Arc::new(move |e: &CronEvent| {
        let _ = tx.send(e.clone());
    }));
    let action = CronAction::Session {
        agent_type: "files".into(),
        prompt: "files".into(),
        options: CronSessionOptions { env: Vec::new(), cwd: Some("/tmp".into()) },
    };
    vm.schedule_cron(CronJobOptions {
        id: Some("agent".into()),
        schedule: "0 * * * *".into(),
        action,
        overlap: Overlap::Allow,
    })
    .unwrap();
    clock.advance(Duration::from_secs(3600));
    let fired = tokio::time::timeout(PATIENCE, events.recv()).await.unwrap().unwrap();
    assert_eq!(fired.kind(), "cron:fire");
    match tokio::time::timeout(PATIENCE, events.recv()).await.unwrap().unwrap() {
        CronEvent::Complete { job_id, exit_code, .. } => assert_eq!((job_id.as_str(), exit_code), ("agent", None)),
        other => panic!("expected completion, got {other:?}"),
    }
    assert_eq!(vm.read_file("/home/user/out.txt").await.unwrap(), b"CRON\n");
    assert!(vm.list_sessions().is_empty());
    until(|| running(&vm).is_empty()).await;
}
