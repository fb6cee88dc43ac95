//! Agent sessions over the Agent Client Protocol (ACP): an agent's ACP
//! adapter runs as a guest `node` process inside the VM, and the host
//! speaks ACP to it over the process's stdio — the reference's
//! `createSession`/`prompt`/`onSessionEvent` (its `agent-os.ts` and the
//! sidecar's `acp/`), and what Zed does with an external agent.
//!
//! Wire format: newline-delimited JSON-RPC 2.0 of our own ([`rpc`]), with
//! messages as `serde_json::Value` in ACP's own (camelCase) shapes. The
//! `agent-client-protocol` crate (v5) was considered: its connection
//! runtime owns the transport and drives handlers through its own
//! `connect_with` closure and futures-concurrency executor, which does not
//! fit a transport that is a VM process's output callback plus a
//! `write_process_stdin` call; and its schema structs are `non_exhaustive`
//! builders that drop fields we must pass through raw (`_meta`, unstable
//! update kinds, agent-specific config options). Values keep every field
//! the agent sent, and the events API hands them on unchanged.
//!
//! Files: [`api`] (the `AgentOs` methods), [`client`] (requests the agent
//! makes of us: files, terminals, permissions), [`events`] (history and
//! subscribers), [`rpc`] (framing, pending requests, timeouts).
//!
//! Lock order: `Sessions::map` is a leaf taken only to look up, insert or
//! remove; a `Session`'s own mutexes are leaves and are never held across a
//! callback or an `await`.

mod api;
mod client;
mod events;
mod rpc;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde_json::Value;

pub use events::{SequencedEvent, SessionEventHandler};

use crate::vm::AgentOs;

/// A session's id: the `sessionId` the agent gave in `session/new` (made
/// unique within the VM with a `#N` suffix if two agents pick the same).
pub type SessionId = String;

/// Computes an agent's environment at session creation.
pub type AgentEnvFn = Arc<dyn Fn(&SoftwareContext) -> Vec<(String, String)> + Send + Sync>;

/// Receives a session's permission requests; answer each with
/// [`AgentOs::respond_permission`] (from the handler or later).
pub type PermissionHandler = Arc<dyn Fn(&PermissionRequest) + Send + Sync>;

/// An agent that [`AgentOs::create_session`] can start: the reference's
/// `agent` software descriptor.
#[derive(Clone)]
pub struct AgentDescriptor {
    /// The id given to `create_session` (`pi`, `claude`, …).
    pub id: String,
    /// The ACP adapter: an absolute path of a JavaScript file in the VM, or
    /// an npm package name resolved under `/usr/local/lib/node_modules` (its
    /// `package.json` `bin`, else `main`, else `index.js`). It runs as
    /// `node <entry> <launch_args…>`.
    pub acp_adapter: String,
    /// Arguments after the entry point.
    pub launch_args: Vec<String>,
    /// Environment of the adapter (under `env` and the session's own).
    pub static_env: Vec<(String, String)>,
    /// Environment computed when a session starts (over `static_env`, under
    /// the session's own).
    pub env: Option<AgentEnvFn>,
}

impl AgentDescriptor {
    /// An agent with no arguments or environment of its own.
    pub fn new(id: impl Into<String>, acp_adapter: impl Into<String>) -> AgentDescriptor {
        AgentDescriptor {
            id: id.into(),
            acp_adapter: acp_adapter.into(),
            launch_args: Vec::new(),
            static_env: Vec::new(),
            env: None,
        }
    }
}

impl std::fmt::Debug for AgentDescriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentDescriptor")
            .field("id", &self.id)
            .field("acp_adapter", &self.acp_adapter)
            .field("launch_args", &self.launch_args)
            .field("static_env", &self.static_env)
            .field("env", &self.env.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

/// What an [`AgentDescriptor::env`] function can ask about the VM: where
/// packages and their programs are.
pub struct SoftwareContext {
    vm: AgentOs,
}

/// Where npm packages live in the VM. The reference projects them at
/// `/root/node_modules`, but here `/root` is `0700 root` and agents run as
/// `user`, so packages go where npm puts global ones.
pub(crate) const NODE_MODULES: &str = "/usr/local/lib/node_modules";

impl SoftwareContext {
    /// The VM path of a package: `/usr/local/lib/node_modules/<package>`.
    pub fn resolve_package(&self, package: &str) -> String {
        format!("{NODE_MODULES}/{package}")
    }

    /// The VM path of a package's program: `bin` of its `package.json`
    /// (the entry named `bin`, or the only/first one), else `main`, else
    /// `index.js`.
    pub fn resolve_bin(&self, package: &str, bin: Option<&str>) -> String {
        let dir = self.resolve_package(package);
        let manifest = self.vm.read_file_sync(&format!("{dir}/package.json")).ok();
        format!("{dir}/{}", bin_entry(manifest.as_deref(), bin))
    }
}

/// The entry of a program in a package, relative to the package: `bin` of
/// its `package.json` (the entry named `bin`, or the only/first one), else
/// `main`, else `index.js`.
pub(crate) fn bin_entry(manifest: Option<&[u8]>, bin: Option<&str>) -> String {
    let manifest: Value = manifest.and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
    let entry = match manifest.get("bin") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(map)) => {
            bin.and_then(|b| map.get(b)).or_else(|| map.values().next()).and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    }
    .or_else(|| manifest.get("main").and_then(Value::as_str).map(str::to_string))
    .unwrap_or_else(|| "index.js".to_string());
    entry.trim_start_matches("./").to_string()
}

/// A registered agent, as [`AgentOs::list_agents`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentListing {
    /// The agent's id.
    pub id: String,
    /// The adapter as registered.
    pub acp_adapter: String,
    /// The adapter's entry point in the VM.
    pub entry: String,
    /// Whether the entry point exists in the VM.
    pub installed: bool,
}

/// Timeouts of a session's ACP calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// `initialize` (default 10 s).
    pub initialize: Duration,
    /// `session/new` (default 30 s).
    pub new_session: Duration,
    /// `session/prompt` (default 10 minutes).
    pub prompt: Duration,
    /// Every other request to the agent (default 2 minutes).
    pub request: Duration,
    /// How long a permission request waits for
    /// [`AgentOs::respond_permission`] before it is rejected (default 10
    /// minutes).
    pub permission: Duration,
    /// How long a prompt waits for the agent to end its turn after
    /// [`AgentOs::cancel_session`] before it resolves as `cancelled` on its
    /// own (default 5 s).
    pub cancel_grace: Duration,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        SessionTimeouts {
            initialize: Duration::from_secs(10),
            new_session: Duration::from_secs(30),
            prompt: Duration::from_secs(600),
            request: Duration::from_secs(120),
            permission: Duration::from_secs(600),
            cancel_grace: Duration::from_secs(5),
        }
    }
}

/// Options of [`AgentOs::create_session`].
#[derive(Clone, Debug, Default)]
pub struct CreateSessionOptions {
    /// Environment of the adapter, over the agent's own.
    pub env: Vec<(String, String)>,
    /// Working directory of the adapter and of the ACP session (default
    /// `/home/user`).
    pub cwd: Option<String>,
    /// MCP servers, in ACP's own shape (`session/new`'s `mcpServers`),
    /// passed through unchanged.
    pub mcp_servers: Vec<Value>,
    /// Extra instructions for the agent: given to the adapter as
    /// `AGENTOS_ADDITIONAL_INSTRUCTIONS` and in `session/new`'s
    /// `_meta.agentOs.additionalInstructions`.
    pub additional_instructions: Option<String>,
    /// Timeouts of the session's calls.
    pub timeouts: SessionTimeouts,
}

/// What [`AgentOs::prompt`] sends: text, or ACP content blocks.
#[derive(Clone, Debug, PartialEq)]
pub enum PromptInput {
    /// One text block.
    Text(String),
    /// ACP `ContentBlock`s as they go on the wire.
    Blocks(Vec<Value>),
}

impl From<&str> for PromptInput {
    fn from(s: &str) -> Self {
        PromptInput::Text(s.to_string())
    }
}

impl From<String> for PromptInput {
    fn from(s: String) -> Self {
        PromptInput::Text(s)
    }
}

impl From<Vec<Value>> for PromptInput {
    fn from(b: Vec<Value>) -> Self {
        PromptInput::Blocks(b)
    }
}

/// What [`AgentOs::prompt`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct PromptResult {
    /// Why the turn ended: `end_turn`, `max_tokens`, `max_turn_requests`,
    /// `refusal` or `cancelled`.
    pub stop_reason: String,
    /// The text of every `agent_message_chunk` of the turn, concatenated.
    pub text: String,
    /// The whole JSON-RPC response.
    pub response: Value,
}

/// A permission option the agent offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionOption {
    /// Its id, sent back when chosen.
    pub option_id: String,
    /// Its label.
    pub name: String,
    /// `allow_once`, `allow_always`, `reject_once` or `reject_always`.
    pub kind: String,
}

/// A `session/request_permission` from the agent.
#[derive(Clone, Debug, PartialEq)]
pub struct PermissionRequest {
    /// The id to answer with (the JSON-RPC request id, as text).
    pub permission_id: String,
    /// The session.
    pub session_id: SessionId,
    /// The tool call's title, if it has one.
    pub description: Option<String>,
    /// The options offered.
    pub options: Vec<PermissionOption>,
    /// The request's params as sent (`toolCall`, `options`, …).
    pub params: Value,
}

/// An answer to a [`PermissionRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionReply {
    /// Allow this once (`allow_once`).
    Once,
    /// Allow, and allow later requests of the same kind of tool call in
    /// this session without asking (`allow_always`).
    Always,
    /// Refuse (`reject_once`).
    Reject,
}

/// A session as [`AgentOs::list_sessions`] and [`AgentOs::session_info`]
/// describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    /// The session's id.
    pub session_id: SessionId,
    /// The agent it runs.
    pub agent_id: String,
    /// The adapter's process id in the VM.
    pub pid: i32,
    /// `sessionId` as the agent knows it.
    pub acp_session_id: String,
    /// `initialize`'s `agentInfo` (`{name, title?, version?}`), if sent.
    pub agent_info: Option<Value>,
    /// `initialize`'s `agentCapabilities`.
    pub agent_capabilities: Option<Value>,
    /// `{currentModeId, availableModes}`, kept current.
    pub modes: Option<Value>,
    /// `{currentModelId, availableModels}`, kept current.
    pub models: Option<Value>,
    /// `configOptions`, kept current.
    pub config_options: Option<Value>,
}

/// What the agent told us about the session, kept current by updates.
#[derive(Default)]
struct Described {
    acp_session_id: String,
    agent_info: Option<Value>,
    agent_capabilities: Option<Value>,
    modes: Option<Value>,
    models: Option<Value>,
    config_options: Option<Value>,
}

/// Permission book-keeping of one session.
#[derive(Default)]
struct Permissions {
    handlers: Vec<(u64, PermissionHandler)>,
    next_handler: u64,
    /// Unanswered requests by permission id.
    pending: HashMap<String, tokio::sync::oneshot::Sender<client::Decision>>,
    /// Tool-call kinds (or titles) answered `Always`.
    always: HashSet<String>,
}

/// One open session.
pub(crate) struct Session {
    me: std::sync::Weak<Session>,
    id: Mutex<SessionId>,
    agent_id: String,
    conn: rpc::Connection,
    events: events::EventLog,
    described: Mutex<Described>,
    permissions: Mutex<Permissions>,
    terminals: Mutex<HashMap<String, Arc<client::Terminal>>>,
    next_terminal: Mutex<u64>,
    /// Woken by `cancel_session`, for a prompt whose agent ignores it.
    cancelled: tokio::sync::Notify,
    /// Agent text of the prompt in flight.
    prompt_text: Mutex<Option<String>>,
    /// Ids of the agent's requests being served, so a duplicate is
    /// answered once.
    seen: Mutex<HashSet<String>>,
    timeouts: SessionTimeouts,
    runtime: tokio::runtime::Handle,
}

impl Session {
    fn id(&self) -> SessionId {
        self.id.lock().clone()
    }
}

/// Every open session of a VM.
#[derive(Default)]
pub(crate) struct Sessions {
    map: Mutex<HashMap<SessionId, Arc<Session>>>,
}

/// Close every session (the VM is being disposed).
pub(crate) fn dispose(vm: &AgentOs) {
    let all: Vec<_> = vm.inner.sessions.map.lock().drain().map(|(_, s)| s).collect();
    for s in all {
        api::shut_down(vm, &s, "VM disposed");
    }
}
