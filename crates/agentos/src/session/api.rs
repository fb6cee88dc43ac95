//! The `AgentOs` methods of agent sessions: the reference's
//! `createSession`, `prompt`, `cancelSession`, `closeSession`,
//! `onSessionEvent`, `onPermissionRequest`, … (its `agent-os.ts` §1.6).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Weak};

use agentos_kernel::abi::Signal;
use parking_lot::Mutex;
use serde_json::{Value, json};

use super::client::Decision;
use super::events::{EventLog, SequencedEvent, SessionEventHandler};
use super::rpc::{Connection, Peer};
use super::{
    AgentListing, CreateSessionOptions, Described, PermissionHandler, PermissionReply, PromptInput, PromptResult,
    Session, SessionId, SessionInfo, SoftwareContext,
};
use crate::error::{Error, Result};
use crate::process::SpawnOptions;
use crate::vm::AgentOs;

/// The ACP protocol version we speak.
const PROTOCOL_VERSION: u64 = 1;

/// Kill `pid` and every process descending from it (and its process
/// group), with `SIGKILL`.
pub(crate) fn kill_tree(vm: &AgentOs, pid: i32) {
    let all = vm.all_processes();
    let mut doomed = vec![pid];
    let mut i = 0;
    while i < doomed.len() {
        let parent = doomed[i];
        doomed.extend(all.iter().filter(|p| p.ppid == parent && p.running && p.pid != parent).map(|p| p.pid));
        i += 1;
    }
    let kernel = vm.kernel();
    let _ = kernel.kill(None, -pid, Signal::SIGKILL.0);
    for p in doomed.into_iter().rev() {
        let _ = kernel.kill(None, p, Signal::SIGKILL.0);
    }
}

/// Close a session's connection, its permission waits, its terminals and
/// its adapter's process tree.
pub(crate) fn shut_down(vm: &AgentOs, s: &Session, reason: &str) {
    s.conn.close(reason);
    let waits: Vec<_> = s.permissions.lock().pending.drain().map(|(_, tx)| tx).collect();
    for tx in waits {
        let _ = tx.send(Decision::Cancelled);
    }
    let terminals: Vec<_> = s.terminals.lock().drain().map(|(_, t)| t).collect();
    for t in terminals {
        kill_tree(vm, t.pid.load(std::sync::atomic::Ordering::SeqCst));
    }
    let pid = s.conn.pid();
    if pid > 0 {
        kill_tree(vm, pid);
    }
}

/// The entry point of an adapter: a path as is, a package resolved.
fn entry_of(ctx: &SoftwareContext, adapter: &str) -> String {
    if adapter.starts_with('/') { adapter.to_string() } else { ctx.resolve_bin(adapter, None) }
}

impl AgentOs {
    fn session(&self, id: &str) -> Result<Arc<Session>> {
        self.inner.sessions.map.lock().get(id).cloned().ok_or_else(|| Error::SessionNotFound(id.to_string()))
    }

    /// The agents registered by [`crate::Software::Agent`] descriptors and
    /// in [`crate::AgentOsOptions::agents`] (a later one with the same id
    /// replaces an earlier one; the options' own come last).
    pub fn list_agents(&self) -> Vec<AgentListing> {
        let ctx = SoftwareContext { vm: self.clone() };
        let mut seen = HashSet::new();
        let mut out: Vec<AgentListing> = Vec::new();
        for a in self.inner.options.agents.iter().rev() {
            if !seen.insert(a.id.clone()) {
                continue;
            }
            let entry = entry_of(&ctx, &a.acp_adapter);
            let installed = self.read_file_sync(&entry).is_ok();
            out.push(AgentListing { id: a.id.clone(), acp_adapter: a.acp_adapter.clone(), entry, installed });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// Start an agent: spawn its ACP adapter as a guest `node` process,
    /// `initialize` it (our capabilities: reading and writing text files,
    /// terminals) and open an ACP session (`session/new`). Must be called
    /// inside a Tokio runtime, which then serves the agent's requests.
    ///
    /// Fails with [`Error::UnknownAgent`] for an unregistered id, and with
    /// [`Error::Acp`] (with the adapter's stderr) if the adapter dies,
    /// answers with an error or not within the timeouts; the adapter is
    /// killed then.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use agentos::{AgentDescriptor, AgentOs, AgentOsOptions, CreateSessionOptions, PermissionReply};
    ///
    /// # async fn sessions() -> agentos::Result<()> {
    /// let agents = vec![AgentDescriptor::new("mine", "/opt/agent/acp.js")];
    /// let vm = AgentOs::create(AgentOsOptions { agents, ..Default::default() }).await?;
    /// let s = vm.create_session("mine", CreateSessionOptions::default()).await?;
    /// let _events = vm.on_session_event(&s, Arc::new(|e| println!("{} {}", e.seq, e.notification)))?;
    /// let (v, id) = (vm.clone(), s.clone());
    /// let _perms = vm.on_permission_request(
    ///     &s,
    ///     Arc::new(move |r| {
    ///         let _ = v.respond_permission(&id, &r.permission_id, PermissionReply::Once);
    ///     }),
    /// )?;
    /// let result = vm.prompt(&s, "Write a hello world script").await?;
    /// println!("{}: {}", result.stop_reason, result.text);
    /// vm.close_session(&s)?;
    /// # Ok(()) }
    /// ```
    pub async fn create_session(&self, agent_id: &str, options: CreateSessionOptions) -> Result<SessionId> {
        self.alive()?;
        let agent = self
            .inner
            .options
            .agents
            .iter()
            .rev()
            .find(|a| a.id == agent_id)
            .cloned()
            .ok_or_else(|| Error::UnknownAgent(agent_id.to_string()))?;
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
        let ctx = SoftwareContext { vm: self.clone() };
        let entry = entry_of(&ctx, &agent.acp_adapter);
        let cwd = options.cwd.clone().unwrap_or_else(|| "/home/user".to_string());
        let mut env = agent.static_env.clone();
        if let Some(f) = &agent.env {
            env.extend(f(&ctx));
        }
        if let Some(text) = &options.additional_instructions {
            env.push(("AGENTOS_ADDITIONAL_INSTRUCTIONS".to_string(), text.clone()));
        }
        env.extend(options.env.iter().cloned());

        let vm = Arc::downgrade(&self.inner);
        let session = Arc::new_cyclic(|me: &Weak<Session>| {
            let peer: Weak<dyn Peer> = me.clone();
            Session {
                me: me.clone(),
                id: Mutex::new(String::new()),
                agent_id: agent.id.clone(),
                conn: Connection::new(vm, peer),
                events: EventLog::default(),
                described: Mutex::new(Described::default()),
                permissions: Mutex::default(),
                terminals: Mutex::new(HashMap::new()),
                next_terminal: Mutex::new(0),
                cancelled: tokio::sync::Notify::new(),
                prompt_text: Mutex::new(None),
                seen: Mutex::new(HashSet::new()),
                timeouts: options.timeouts,
                runtime,
            }
        });
        let (w1, w2) = (Arc::downgrade(&session), Arc::downgrade(&session));
        let mut argv = vec![entry];
        argv.extend(agent.launch_args.iter().cloned());
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let pid = self.spawn(
            "node",
            &argv,
            SpawnOptions {
                env,
                cwd: Some(cwd.clone()),
                on_stdout: Some(Arc::new(move |d: &[u8]| {
                    if let Some(s) = w1.upgrade() {
                        s.conn.feed_stdout(d);
                    }
                })),
                on_stderr: Some(Arc::new(move |d: &[u8]| {
                    if let Some(s) = w2.upgrade() {
                        s.conn.feed_stderr(d);
                    }
                })),
            },
        )?;
        session.conn.set_pid(pid);
        let w3 = Arc::downgrade(&session);
        // The listener lives as long as the process; nothing unsubscribes.
        let _ = self.on_process_exit(
            pid,
            Arc::new(move |code| {
                if let Some(s) = w3.upgrade() {
                    s.conn.close(&format!("the agent process exited with status {code}"));
                }
            }),
        )?;
        match self.open(&session, &cwd, &options).await {
            Ok(acp_id) => {
                let mut map = self.inner.sessions.map.lock();
                let mut id = acp_id.clone();
                let mut n = 2;
                while map.contains_key(&id) {
                    id = format!("{acp_id}#{n}");
                    n += 1;
                }
                *session.id.lock() = id.clone();
                map.insert(id.clone(), session);
                Ok(id)
            }
            Err(e) => {
                shut_down(self, &session, "session creation failed");
                Err(e)
            }
        }
    }

    /// `initialize` and `session/new`; returns the agent's session id.
    async fn open(&self, s: &Session, cwd: &str, options: &CreateSessionOptions) -> Result<String> {
        let t = &s.timeouts;
        let init = s
            .conn
            .request(
                "initialize",
                json!({
                    "protocolVersion": PROTOCOL_VERSION,
                    "clientCapabilities": { "fs": { "readTextFile": true, "writeTextFile": true }, "terminal": true },
                    "clientInfo": { "name": "agentos", "version": env!("CARGO_PKG_VERSION") },
                }),
                t.initialize,
            )
            .await?;
        let init = &init["result"];
        if let Some(v) = init.get("protocolVersion").and_then(Value::as_u64)
            && v != PROTOCOL_VERSION
        {
            return Err(s
                .conn
                .error(format!("initialize: the agent speaks ACP protocol version {v}, we speak {PROTOCOL_VERSION}")));
        }
        let mut params = json!({ "cwd": cwd, "mcpServers": options.mcp_servers });
        if let Some(text) = &options.additional_instructions {
            params["_meta"] = json!({ "agentOs": { "additionalInstructions": text } });
        }
        let new = s.conn.request("session/new", params, t.new_session).await?;
        let new = &new["result"];
        let acp_id = new
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| s.conn.error("session/new: the agent's answer has no sessionId"))?
            .to_string();
        let mut d = s.described.lock();
        d.acp_session_id = acp_id.clone();
        d.agent_info = init.get("agentInfo").cloned();
        d.agent_capabilities = init.get("agentCapabilities").cloned();
        d.modes = new.get("modes").cloned().filter(|v| !v.is_null());
        d.models = new.get("models").cloned().filter(|v| !v.is_null());
        d.config_options = new.get("configOptions").cloned().filter(|v| !v.is_null());
        Ok(acp_id)
    }

    fn info(s: &Session) -> SessionInfo {
        let d = s.described.lock();
        SessionInfo {
            session_id: s.id(),
            agent_id: s.agent_id.clone(),
            pid: s.conn.pid(),
            acp_session_id: d.acp_session_id.clone(),
            agent_info: d.agent_info.clone(),
            agent_capabilities: d.agent_capabilities.clone(),
            modes: d.modes.clone(),
            models: d.models.clone(),
            config_options: d.config_options.clone(),
        }
    }

    /// The open sessions, by id.
    pub fn list_sessions(&self) -> Vec<SessionInfo> {
        let mut v: Vec<_> = self.inner.sessions.map.lock().values().map(|s| Self::info(s)).collect();
        v.sort_by(|a, b| a.session_id.cmp(&b.session_id));
        v
    }

    /// One session: its agent, modes, models, config options, agent info
    /// and capabilities.
    pub fn session_info(&self, session: &str) -> Result<SessionInfo> {
        let s = self.session(session)?;
        Ok(Self::info(&s))
    }

    fn acp_id(s: &Session) -> String {
        s.described.lock().acp_session_id.clone()
    }

    /// Send a prompt (`session/prompt`) and wait for the turn to end.
    /// `text` is every `agent_message_chunk` text of the turn.
    pub async fn prompt(&self, session: &str, input: impl Into<PromptInput>) -> Result<PromptResult> {
        let s = self.session(session)?;
        let blocks = match input.into() {
            PromptInput::Text(text) => vec![json!({ "type": "text", "text": text })],
            PromptInput::Blocks(b) => b,
        };
        *s.prompt_text.lock() = Some(String::new());
        let params = json!({ "sessionId": Self::acp_id(&s), "prompt": blocks });
        let request = s.conn.request("session/prompt", params, s.timeouts.prompt);
        // After a cancel, the agent gets `cancel_grace` to end its turn;
        // then the turn ends here (its late answer is dropped).
        let grace = async {
            s.cancelled.notified().await;
            tokio::time::sleep(s.timeouts.cancel_grace).await;
        };
        let response = tokio::select! {
            r = request => r,
            () = grace => Ok(json!({ "jsonrpc": "2.0", "id": null, "result": { "stopReason": "cancelled" } })),
        };
        let text = s.prompt_text.lock().take().unwrap_or_default();
        let response = response?;
        let stop_reason = response["result"]["stopReason"].as_str().unwrap_or_default().to_string();
        Ok(PromptResult { stop_reason, text, response })
    }

    /// Cancel the turn in progress: send `session/cancel` and answer the
    /// session's unanswered permission requests with `cancelled`. The
    /// pending [`AgentOs::prompt`] then resolves with the agent's answer
    /// (stop reason `cancelled`), or, if the agent has not ended its turn
    /// within [`super::SessionTimeouts::cancel_grace`], with a synthetic
    /// `{"result": {"stopReason": "cancelled"}}` response (`id` null).
    pub async fn cancel_session(&self, session: &str) -> Result<()> {
        let s = self.session(session)?;
        let waits: Vec<_> = s.permissions.lock().pending.drain().map(|(_, tx)| tx).collect();
        for tx in waits {
            let _ = tx.send(Decision::Cancelled);
        }
        s.cancelled.notify_waiters();
        s.conn.notify("session/cancel", json!({ "sessionId": Self::acp_id(&s) }))
    }

    /// `session/set_mode`; returns the agent's result.
    pub async fn set_session_mode(&self, session: &str, mode_id: &str) -> Result<Value> {
        let s = self.session(session)?;
        let params = json!({ "sessionId": Self::acp_id(&s), "modeId": mode_id });
        let r = s.conn.request("session/set_mode", params, s.timeouts.request).await?;
        if let Some(modes) = s.described.lock().modes.as_mut() {
            modes["currentModeId"] = json!(mode_id);
        }
        Ok(r["result"].clone())
    }

    /// Choose the model: through the config option of category `model` if
    /// the agent has one, else `session/set_model`. Returns the agent's
    /// result.
    pub async fn set_session_model(&self, session: &str, model_id: &str) -> Result<Value> {
        let s = self.session(session)?;
        let option = s.described.lock().config_options.as_ref().and_then(|o| {
            o.as_array()?
                .iter()
                .find(|o| o.get("category").and_then(Value::as_str) == Some("model"))?
                .get("id")?
                .as_str()
                .map(str::to_string)
        });
        if let Some(config_id) = option {
            return self.set_session_config_option(session, &config_id, json!(model_id)).await;
        }
        let params = json!({ "sessionId": Self::acp_id(&s), "modelId": model_id });
        let r = s.conn.request("session/set_model", params, s.timeouts.request).await?;
        if let Some(models) = s.described.lock().models.as_mut() {
            models["currentModelId"] = json!(model_id);
        }
        Ok(r["result"].clone())
    }

    /// `session/set_config_option`; returns the agent's result (whose
    /// `configOptions`, if any, become the session's).
    pub async fn set_session_config_option(&self, session: &str, config_id: &str, value: Value) -> Result<Value> {
        let s = self.session(session)?;
        let params = json!({ "sessionId": Self::acp_id(&s), "configId": config_id, "value": value });
        let r = s.conn.request("session/set_config_option", params, s.timeouts.request).await?;
        if let Some(options) = r["result"].get("configOptions") {
            s.described.lock().config_options = Some(options.clone());
        }
        Ok(r["result"].clone())
    }

    /// Send any request to the agent; returns the whole JSON-RPC response
    /// (an error response is an [`Error::Acp`]).
    pub async fn raw_send(&self, session: &str, method: &str, params: Value) -> Result<Value> {
        let s = self.session(session)?;
        s.conn.request(method, params, s.timeouts.request).await
    }

    /// Close a session: pending calls fail with `Session closed: <id>`,
    /// permission waits end, and the adapter's whole process tree and its
    /// terminals are killed.
    pub fn close_session(&self, session: &str) -> Result<()> {
        let s = self
            .inner
            .sessions
            .map
            .lock()
            .remove(session)
            .ok_or_else(|| Error::SessionNotFound(session.to_string()))?;
        shut_down(self, &s, &format!("Session closed: {session}"));
        Ok(())
    }

    /// Subscribe to a session's `session/update` notifications from now on,
    /// in order. Handlers run on the thread the adapter writes from; keep
    /// them short. Returns a function that unsubscribes.
    pub fn on_session_event(&self, session: &str, handler: SessionEventHandler) -> Result<impl FnOnce() + use<>> {
        let s = self.session(session)?;
        let id = s.events.subscribe(handler, None);
        Ok(move || s.events.unsubscribe(id))
    }

    /// Subscribe after first replaying the events numbered above `since`
    /// (0: all of them): no event is missed or delivered twice.
    pub fn on_session_event_with_history(
        &self,
        session: &str,
        since: u64,
        handler: SessionEventHandler,
    ) -> Result<impl FnOnce() + use<>> {
        let s = self.session(session)?;
        let id = s.events.subscribe(handler, Some(since));
        Ok(move || s.events.unsubscribe(id))
    }

    /// The session's events numbered above `since` (0: the whole history).
    pub fn session_events(&self, session: &str, since: u64) -> Result<Vec<SequencedEvent>> {
        Ok(self.session(session)?.events.since(since))
    }

    /// Handle the session's permission requests. With no handler, a
    /// request is rejected at once; an unanswered one is rejected after
    /// [`super::SessionTimeouts::permission`]. Returns a function that
    /// unsubscribes.
    pub fn on_permission_request(&self, session: &str, handler: PermissionHandler) -> Result<impl FnOnce() + use<>> {
        let s = self.session(session)?;
        let id = {
            let mut p = s.permissions.lock();
            p.next_handler += 1;
            let id = p.next_handler;
            p.handlers.push((id, handler));
            id
        };
        Ok(move || s.permissions.lock().handlers.retain(|(i, _)| *i != id))
    }

    /// Answer a permission request. `Always` also answers later requests
    /// for the same kind of tool call in this session.
    pub fn respond_permission(&self, session: &str, permission_id: &str, reply: PermissionReply) -> Result<()> {
        let s = self.session(session)?;
        let tx = s.permissions.lock().pending.remove(permission_id);
        match tx {
            Some(tx) => {
                let _ = tx.send(Decision::Reply(reply));
                Ok(())
            }
            None => Err(Error::Acp {
                message: format!("No pending permission request: {permission_id}"),
                stderr_tail: String::new(),
            }),
        }
    }
}
