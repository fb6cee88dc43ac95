//! The client side of ACP: what the agent asks of us, served from the VM.
//! `fs/read_text_file` and `fs/write_text_file` go through the VM's
//! filesystem API (so the VM's permission policy applies);
//! `terminal/create|output|wait_for_exit|kill|release` run real VM
//! processes; `session/request_permission` goes to the session's permission
//! handlers. Each request is served on its own Tokio task, so a permission
//! wait never holds up a file read.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use parking_lot::Mutex;
use serde_json::{Value, json};

use super::rpc::Peer;
use super::{PermissionOption, PermissionReply, PermissionRequest, Session};
use crate::error::Error;
use crate::process::SpawnOptions;
use crate::vm::AgentOs;

/// JSON-RPC: method not found.
const METHOD_NOT_FOUND: i64 = -32601;
/// JSON-RPC: invalid params.
const INVALID_PARAMS: i64 = -32602;
/// JSON-RPC: internal error.
const INTERNAL_ERROR: i64 = -32603;
/// ACP: resource not found.
const RESOURCE_NOT_FOUND: i64 = -32002;

/// Default `outputByteLimit` of a terminal: 1 MiB.
const OUTPUT_LIMIT: usize = 1 << 20;

type Reply = std::result::Result<Value, (i64, String)>;

/// How a permission wait ended.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Decision {
    Reply(PermissionReply),
    /// The prompt was cancelled or the session closed.
    Cancelled,
}

/// A terminal the agent created: a VM process and its captured output.
pub(crate) struct Terminal {
    pub(crate) pid: AtomicI32,
    output: Arc<Mutex<Output>>,
    killed: AtomicBool,
}

struct Output {
    bytes: Vec<u8>,
    truncated: bool,
    limit: usize,
}

impl Output {
    /// Append, keeping only the last `limit` bytes, cut at a character
    /// boundary.
    fn push(&mut self, data: &[u8]) {
        self.bytes.extend_from_slice(data);
        if self.bytes.len() > self.limit {
            let mut cut = self.bytes.len() - self.limit;
            while cut < self.bytes.len() && (self.bytes[cut] as i8) < -0x40 {
                cut += 1;
            }
            self.bytes.drain(..cut);
            self.truncated = true;
        }
    }
}

impl Peer for Session {
    fn notification(&self, message: Value) {
        if message.get("method").and_then(Value::as_str) != Some("session/update") {
            return;
        }
        let update = &message["params"]["update"];
        match update.get("sessionUpdate").and_then(Value::as_str) {
            Some("agent_message_chunk") => {
                if let Some(text) = update["content"]["text"].as_str()
                    && let Some(acc) = self.prompt_text.lock().as_mut()
                {
                    acc.push_str(text);
                }
            }
            Some("current_mode_update") => {
                let mode = update.get("currentModeId").or_else(|| update.get("modeId")).cloned();
                if let (Some(mode), Some(modes)) = (mode, self.described.lock().modes.as_mut()) {
                    modes["currentModeId"] = mode;
                }
            }
            Some("config_option_update") | Some("config_options_update") => {
                if let Some(options) = update.get("configOptions") {
                    self.described.lock().config_options = Some(options.clone());
                }
            }
            _ => {}
        }
        self.events.push(message);
    }

    fn request(&self, id: Value, method: String, params: Value) {
        // A duplicate of a request still being served is dropped (ids need
        // only be unique among requests in flight).
        let key = id.to_string();
        if !self.seen.lock().insert(key.clone()) {
            return;
        }
        let Some(session) = self.me.upgrade() else { return };
        self.runtime.spawn(async move {
            let reply = serve(&session, &id, &method, &params).await;
            session.conn.respond(id, reply);
            session.seen.lock().remove(&key);
        });
    }
}

async fn serve(session: &Arc<Session>, id: &Value, method: &str, params: &Value) -> Reply {
    let vm = session.conn.vm().map_err(|e| (INTERNAL_ERROR, e.to_string()))?;
    match method {
        "fs/read_text_file" => read_text_file(&vm, params).await,
        "fs/write_text_file" => {
            let path = path_param(params)?;
            let content =
                params.get("content").and_then(Value::as_str).ok_or((INVALID_PARAMS, "missing content".into()))?;
            vm.write_file(path, content).await.map_err(fs_error)?;
            Ok(json!({}))
        }
        "terminal/create" => create_terminal(session, &vm, params),
        "terminal/output" => {
            let t = terminal(session, params)?;
            let (output, truncated) = {
                let o = t.output.lock();
                (String::from_utf8_lossy(&o.bytes).into_owned(), o.truncated)
            };
            let pid = t.pid.load(Ordering::SeqCst);
            let mut r = json!({ "output": output, "truncated": truncated });
            if let Some(code) = vm.get_process(pid).ok().and_then(|p| p.exit_code) {
                r["exitStatus"] = exit_status(&t, code);
            }
            Ok(r)
        }
        "terminal/wait_for_exit" => {
            let t = terminal(session, params)?;
            let code =
                vm.wait_process(t.pid.load(Ordering::SeqCst)).await.map_err(|e| (INTERNAL_ERROR, e.to_string()))?;
            Ok(exit_status(&t, code))
        }
        "terminal/kill" => {
            let t = terminal(session, params)?;
            t.killed.store(true, Ordering::SeqCst);
            super::api::kill_tree(&vm, t.pid.load(Ordering::SeqCst));
            Ok(json!({}))
        }
        "terminal/release" => {
            let t = terminal(session, params)?;
            if let Some(tid) = params.get("terminalId").and_then(Value::as_str) {
                session.terminals.lock().remove(tid);
            }
            t.killed.store(true, Ordering::SeqCst);
            super::api::kill_tree(&vm, t.pid.load(Ordering::SeqCst));
            Ok(json!({}))
        }
        "session/request_permission" => Ok(request_permission(session, id, params).await),
        _ => Err((METHOD_NOT_FOUND, format!("Method not found: {method}"))),
    }
}

fn path_param(params: &Value) -> std::result::Result<&str, (i64, String)> {
    let path = params.get("path").and_then(Value::as_str).ok_or((INVALID_PARAMS, "missing path".to_string()))?;
    if !path.starts_with('/') {
        return Err((INVALID_PARAMS, format!("Path must be absolute: {path}")));
    }
    Ok(path)
}

fn fs_error(e: Error) -> (i64, String) {
    let code = if e.errno() == Some(agentos_kernel::Errno::ENOENT) { RESOURCE_NOT_FOUND } else { INTERNAL_ERROR };
    (code, e.to_string())
}

async fn read_text_file(vm: &AgentOs, params: &Value) -> Reply {
    let path = path_param(params)?;
    let bytes = vm.read_file(path).await.map_err(fs_error)?;
    let text = String::from_utf8_lossy(&bytes);
    let line = params.get("line").and_then(Value::as_u64);
    let limit = params.get("limit").and_then(Value::as_u64);
    let content = if line.is_none() && limit.is_none() {
        text.into_owned()
    } else {
        // `line` is 1-based.
        let skip = line.unwrap_or(1).saturating_sub(1) as usize;
        let take = limit.map_or(usize::MAX, |l| l as usize);
        text.split_inclusive('\n').skip(skip).take(take).collect()
    };
    Ok(json!({ "content": content }))
}

fn terminal(session: &Session, params: &Value) -> std::result::Result<Arc<Terminal>, (i64, String)> {
    let id = params.get("terminalId").and_then(Value::as_str).ok_or((INVALID_PARAMS, "missing terminalId".into()))?;
    session.terminals.lock().get(id).cloned().ok_or((RESOURCE_NOT_FOUND, format!("Terminal not found: {id}")))
}

/// ACP's `TerminalExitStatus`: a signal when we killed it, else the code.
fn exit_status(t: &Terminal, code: i32) -> Value {
    let signal = match code {
        137 => Some("SIGKILL"),
        143 => Some("SIGTERM"),
        _ => None,
    };
    match signal {
        Some(sig) if t.killed.load(Ordering::SeqCst) => json!({ "exitCode": null, "signal": sig }),
        _ => json!({ "exitCode": code, "signal": null }),
    }
}

fn create_terminal(session: &Session, vm: &AgentOs, params: &Value) -> Reply {
    let command = params.get("command").and_then(Value::as_str).ok_or((INVALID_PARAMS, "missing command".into()))?;
    let mut args: Vec<String> = params
        .get("args")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    // Agents often send a whole command line with no args: run it with sh.
    let program = if args.is_empty() && command.contains(char::is_whitespace) {
        args = vec!["-c".to_string(), command.to_string()];
        "sh".to_string()
    } else {
        command.to_string()
    };
    let env: Vec<(String, String)> = params
        .get("env")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| Some((v.get("name")?.as_str()?.to_string(), v.get("value")?.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let limit = params.get("outputByteLimit").and_then(Value::as_u64).map_or(OUTPUT_LIMIT, |l| l as usize);
    let output = Arc::new(Mutex::new(Output { bytes: Vec::new(), truncated: false, limit }));
    let (o1, o2) = (output.clone(), output.clone());
    let options = SpawnOptions {
        env,
        cwd: params.get("cwd").and_then(Value::as_str).map(str::to_string),
        on_stdout: Some(Arc::new(move |d: &[u8]| o1.lock().push(d))),
        on_stderr: Some(Arc::new(move |d: &[u8]| o2.lock().push(d))),
    };
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let pid = vm.spawn(&program, &argv, options).map_err(|e| (INTERNAL_ERROR, e.to_string()))?;
    let _ = vm.close_process_stdin(pid);
    let id = {
        let mut n = session.next_terminal.lock();
        *n += 1;
        format!("term-{}", *n)
    };
    let t = Arc::new(Terminal { pid: AtomicI32::new(pid), output, killed: AtomicBool::new(false) });
    session.terminals.lock().insert(id.clone(), t);
    Ok(json!({ "terminalId": id }))
}

/// The key under which an `Always` answer is remembered: the tool call's
/// kind, else its title.
fn permission_key(params: &Value) -> Option<String> {
    let tc = params.get("toolCall")?;
    tc.get("kind").or_else(|| tc.get("title")).and_then(Value::as_str).map(str::to_string)
}

fn permission_options(params: &Value) -> Vec<PermissionOption> {
    params
        .get("options")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|o| PermissionOption {
                    option_id: o.get("optionId").and_then(Value::as_str).unwrap_or_default().to_string(),
                    name: o.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
                    kind: o.get("kind").and_then(Value::as_str).unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// ACP's `RequestPermissionOutcome` for a decision: the offered option of
/// the wanted kind (or the nearest one), else `cancelled` for a refusal
/// with no refusing option.
fn outcome(options: &[PermissionOption], decision: Decision) -> Value {
    let kinds: &[&str] = match decision {
        Decision::Reply(PermissionReply::Once) => &["allow_once", "allow_always"],
        Decision::Reply(PermissionReply::Always) => &["allow_always", "allow_once"],
        Decision::Reply(PermissionReply::Reject) => &["reject_once", "reject_always"],
        Decision::Cancelled => &[],
    };
    let chosen = kinds.iter().find_map(|k| options.iter().find(|o| o.kind == *k || o.option_id == *k));
    match chosen {
        Some(o) => json!({ "outcome": { "outcome": "selected", "optionId": o.option_id } }),
        None => json!({ "outcome": { "outcome": "cancelled" } }),
    }
}

async fn request_permission(session: &Arc<Session>, id: &Value, params: &Value) -> Value {
    let options = permission_options(params);
    let key = permission_key(params);
    let permission_id = match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let handlers = {
        let mut p = session.permissions.lock();
        if key.as_ref().is_some_and(|k| p.always.contains(k)) {
            return outcome(&options, Decision::Reply(PermissionReply::Always));
        }
        if p.handlers.is_empty() {
            return outcome(&options, Decision::Reply(PermissionReply::Reject));
        }
        p.pending.insert(permission_id.clone(), tx);
        p.handlers.iter().map(|(_, h)| h.clone()).collect::<Vec<_>>()
    };
    let request = PermissionRequest {
        permission_id: permission_id.clone(),
        session_id: session.id(),
        description: params["toolCall"]["title"].as_str().map(str::to_string),
        options: options.clone(),
        params: params.clone(),
    };
    for h in handlers {
        h(&request);
    }
    let decision = match tokio::time::timeout(session.timeouts.permission, rx).await {
        Ok(Ok(d)) => d,
        Ok(Err(_)) => Decision::Cancelled,
        Err(_) => {
            session.permissions.lock().pending.remove(&permission_id);
            Decision::Reply(PermissionReply::Reject)
        }
    };
    if let (Decision::Reply(PermissionReply::Always), Some(k)) = (decision, key) {
        session.permissions.lock().always.insert(k);
    }
    outcome(&options, decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_keeps_the_tail_at_a_character_boundary() {
        let mut o = Output { bytes: Vec::new(), truncated: false, limit: 5 };
        o.push(b"ab");
        assert_eq!((o.bytes.as_slice(), o.truncated), (&b"ab"[..], false));
        // "abcdé" is 6 bytes ("é" is two): the last 5 are kept.
        o.push("cdé".as_bytes());
        assert_eq!((String::from_utf8(o.bytes.clone()).unwrap().as_str(), o.truncated), ("bcdé", true));
        // "bcdééé" is 9 bytes: the last 5 would start inside an "é", so 4
        // are kept.
        o.push("éé".as_bytes());
        assert_eq!(String::from_utf8(o.bytes.clone()).unwrap(), "éé");
    }

    fn opts(kinds: &[&str]) -> Vec<PermissionOption> {
        kinds
            .iter()
            .map(|k| PermissionOption { option_id: format!("id-{k}"), name: k.to_string(), kind: k.to_string() })
            .collect()
    }

    #[test]
    fn outcomes_pick_the_nearest_option() {
        let all = opts(&["allow_once", "allow_always", "reject_once", "reject_always"]);
        let picked = |o: &[PermissionOption], d| outcome(o, d)["outcome"].clone();
        let sel = |id: &str| json!({ "outcome": "selected", "optionId": id });
        assert_eq!(picked(&all, Decision::Reply(PermissionReply::Once)), sel("id-allow_once"));
        assert_eq!(picked(&all, Decision::Reply(PermissionReply::Always)), sel("id-allow_always"));
        assert_eq!(picked(&all, Decision::Reply(PermissionReply::Reject)), sel("id-reject_once"));
        assert_eq!(picked(&all, Decision::Cancelled), json!({ "outcome": "cancelled" }));
        let few = opts(&["allow_always", "reject_always"]);
        assert_eq!(picked(&few, Decision::Reply(PermissionReply::Once)), sel("id-allow_always"));
        assert_eq!(picked(&few, Decision::Reply(PermissionReply::Reject)), sel("id-reject_always"));
        let none = opts(&["allow_once"]);
        assert_eq!(picked(&none, Decision::Reply(PermissionReply::Reject)), json!({ "outcome": "cancelled" }));
    }

    #[test]
    fn always_is_remembered_by_tool_kind_then_title() {
        assert_eq!(permission_key(&json!({ "toolCall": { "kind": "edit", "title": "x" } })).as_deref(), Some("edit"));
        assert_eq!(permission_key(&json!({ "toolCall": { "title": "x" } })).as_deref(), Some("x"));
        assert_eq!(permission_key(&json!({})), None);
    }
}
