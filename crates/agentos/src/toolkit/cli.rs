//! The guest side of host tools: `agentos-<toolkit> <tool> [flags]` and
//! `agentos list-tools [TOOLKIT]`.
//!
//! Exit statuses: 0 — the handler succeeded (`{"ok":true,"result":…}` on
//! stdout); 1 — the handler failed, panicked or timed out
//! (`{"ok":false,"error":"…"}` on stdout), or the policy denied the call
//! (`EACCES: permission denied, invoke 'kit:tool'` on stderr); 2 — a usage
//! error (unknown tool, bad or missing flag, bad `--json`) on stderr, with
//! a hint to `--help`.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;
use serde_json::{Map, Number, Value};

use super::{FlagType, ItemType, Tool, ToolKit};

/// How often a waiting command looks for signals (a killed command stops
/// waiting for its handler; the handler's thread finishes on its own).
const SIGNAL_POLL: Duration = Duration::from_millis(20);

fn out(task: &Task, text: &str) {
    let _ = task.write_all(1, text.as_bytes());
}

fn err(task: &Task, text: &str) {
    let _ = task.write_all(2, text.as_bytes());
}

/// `agentos`: lists toolkits and their tools.
pub(super) fn run_lister(task: &mut Task, kits: &[ToolKit]) -> i32 {
    let usage = "Usage: agentos list-tools [TOOLKIT]\n\
                 Lists the host toolkits, or the tools of TOOLKIT. Call a tool with \
                 'agentos-<toolkit> <tool> [--flag value]...'; '--help' shows its flags.\n";
    let args: Vec<&str> = task.argv.iter().skip(1).map(String::as_str).collect();
    match args.as_slice() {
        [] => {
            err(task, usage);
            2
        }
        ["-h" | "--help"] => {
            out(task, usage);
            0
        }
        ["list-tools"] => {
            let text: String = kits.iter().map(|k| format!("{}: {}\n", k.name, k.description)).collect();
            out(task, &text);
            0
        }
        ["list-tools", name] => match kits.iter().find(|k| k.name == *name) {
            Some(k) => {
                let text: String = k.tools.iter().map(|t| format!("{}: {}\n", t.name, t.description)).collect();
                out(task, &text);
                0
            }
            None => {
                let names: Vec<&str> = kits.iter().map(|k| k.name.as_str()).collect();
                err(task, &format!("agentos: unknown toolkit '{name}' (toolkits: {})\n", names.join(", ")));
                2
            }
        },
        [cmd, ..] => {
            err(task, &format!("agentos: unknown command '{cmd}'\n{usage}"));
            2
        }
    }
}

fn kit_usage(kit: &ToolKit) -> String {
    let mut s = format!(
        "Usage: agentos-{0} <tool> [--flag value]... [--json JSON | --json-file FILE]\n{1}\nTools:\n",
        kit.name, kit.description
    );
    let width = kit.tools.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &kit.tools {
        s.push_str(&format!("  {:width$}  {}\n", t.name, t.description));
    }
    s.push_str(&format!("Run 'agentos-{} <tool> --help' for a tool's flags.\n", kit.name));
    s
}

fn type_name(kind: FlagType) -> &'static str {
    match kind {
        FlagType::String | FlagType::Array(ItemType::String) => "<string>",
        FlagType::Number | FlagType::Array(ItemType::Number) => "<number>",
        FlagType::Integer | FlagType::Array(ItemType::Integer) => "<integer>",
        FlagType::Boolean | FlagType::Array(ItemType::Boolean) => "<boolean>",
        FlagType::Json => "<json>",
    }
}

fn tool_help(kit: &ToolKit, tool: &Tool) -> String {
    let mut s = format!("Usage: agentos-{} {} [flags]\n{}\n\nFlags:\n", kit.name, tool.name, tool.description);
    let mut rows: Vec<(String, String)> = tool
        .flags
        .iter()
        .map(|f| {
            let head = match f.kind {
                FlagType::Boolean => format!("--{0}, --no-{0}", f.name),
                FlagType::Array(_) => format!("--{} {}...", f.name, type_name(f.kind)),
                k => format!("--{} {}", f.name, type_name(k)),
            };
            let req = if f.required { "(required) " } else { "" };
            (head, format!("{req}{}", f.description))
        })
        .collect();
    rows.push(("--json JSON".into(), "the whole input as one JSON object".into()));
    rows.push(("--json-file FILE".into(), "the same, read from FILE".into()));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (head, text) in rows {
        s.push_str(&format!("  {head:width$}  {text}\n"));
    }
    s
}

/// `agentos-<kit>`: parse, check, call, print.
pub(super) fn run_toolkit(task: &mut Task, kit: &ToolKit) -> i32 {
    let prog = format!("agentos-{}", kit.name);
    let args: Vec<String> = task.argv.iter().skip(1).cloned().collect();
    let Some(first) = args.first() else {
        err(task, &kit_usage(kit));
        return 2;
    };
    if first == "-h" || first == "--help" {
        out(task, &kit_usage(kit));
        return 0;
    }
    let Some(tool) = kit.tools.iter().find(|t| t.name == *first) else {
        let names: Vec<&str> = kit.tools.iter().map(|t| t.name.as_str()).collect();
        err(
            task,
            &format!(
                "{prog}: unknown tool '{first}' (tools: {})\nTry '{prog} --help' for more information.\n",
                names.join(", ")
            ),
        );
        return 2;
    };
    let rest = &args[1..];
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        out(task, &tool_help(kit, tool));
        return 0;
    }
    let input = match parse_input(task, tool, rest) {
        Ok(v) => v,
        Err(msg) => {
            err(task, &format!("{prog} {0}: {msg}\nTry '{prog} {0} --help' for more information.\n", tool.name));
            return 2;
        }
    };
    if let Err(e) = task.permit_tool(&kit.name, &tool.name) {
        err(task, &format!("{prog}: {}: permission denied, invoke '{}:{}'\n", e.name(), kit.name, tool.name));
        return 1;
    }
    // Written by hand so that `ok` comes first.
    let (envelope, code) = match call(task, kit, tool, input) {
        Ok(result) => (format!("{{\"ok\":true,\"result\":{result}}}"), 0),
        Err(error) => (format!("{{\"ok\":false,\"error\":{}}}", Value::String(error)), 1),
    };
    out(task, &format!("{envelope}\n"));
    code
}

/// Run the handler on a thread of its own: a panic or a timeout becomes an
/// error message, and a killed command stops waiting.
fn call(task: &Task, kit: &ToolKit, tool: &Tool, input: Value) -> Result<Value, String> {
    let (tx, rx) = channel();
    let handler = tool.handler.clone();
    std::thread::Builder::new()
        .name(format!("tool {}:{}", kit.name, tool.name))
        .spawn(move || {
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| handler(input)));
            let _ = tx.send(r);
        })
        .map_err(|e| format!("cannot start the tool's handler: {e}"))?;
    let deadline = Instant::now() + tool.timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left.min(SIGNAL_POLL)) {
            Ok(Ok(r)) => return r,
            Ok(Err(panic)) => {
                let msg = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                return Err(format!("tool handler panicked: {msg}"));
            }
            Err(RecvTimeoutError::Disconnected) => return Err("tool handler ended without a result".into()),
            Err(RecvTimeoutError::Timeout) if left.is_zero() => {
                return Err(format!("tool '{}:{}' timed out after {:?}", kit.name, tool.name, tool.timeout));
            }
            Err(RecvTimeoutError::Timeout) => {
                // A fatal signal unwinds the command here.
                task.check_signals(false).map_err(|e| format!("interrupted: {}", e.strerror()))?;
            }
        }
    }
}

/// The input object from `--json`/`--json-file` and the flags (which win),
/// checked against the tool's flags.
fn parse_input(task: &Task, tool: &Tool, args: &[String]) -> Result<Value, String> {
    let mut base: Option<Map<String, Value>> = None;
    let mut fields = Map::new();
    let mut arrays: Vec<(String, Vec<Value>)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let Some(body) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument '{arg}'"));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            let v = args.get(*i).cloned().ok_or_else(|| format!("flag '--{name}' needs a value"))?;
            *i += 1;
            Ok(v)
        };
        if name == "json" || name == "json-file" {
            if base.is_some() {
                return Err("give --json or --json-file once".into());
            }
            let v = value(&mut i)?;
            let text = if name == "json" { v } else { read_file(task, &v)? };
            match serde_json::from_str(&text) {
                Ok(Value::Object(m)) => base = Some(m),
                Ok(_) => return Err(format!("--{name}: expected a JSON object")),
                Err(e) => return Err(format!("--{name}: invalid JSON: {e}")),
            }
            continue;
        }
        let negated = name.strip_prefix("no-");
        let flag = tool
            .flags
            .iter()
            .find(|f| f.name == name)
            .or_else(|| negated.and_then(|n| tool.flags.iter().find(|f| f.name == n && is_boolean(f.kind))));
        let Some(flag) = flag else {
            return Err(format!("unknown flag '--{name}'"));
        };
        let item = if flag.name != name {
            if inline.is_some() {
                return Err(format!("flag '--{name}' takes no value"));
            }
            Value::Bool(false)
        } else if is_boolean(flag.kind) && inline.is_none() {
            Value::Bool(true)
        } else {
            parse_value(flag.kind, &flag.name, &value(&mut i)?)?
        };
        match flag.kind {
            FlagType::Array(_) => match arrays.iter_mut().find(|(n, _)| *n == flag.name) {
                Some((_, v)) => v.push(item),
                None => arrays.push((flag.name.clone(), vec![item])),
            },
            _ => {
                fields.insert(flag.name.clone(), item);
            }
        }
    }
    let mut input = base.unwrap_or_default();
    for (k, v) in fields {
        input.insert(k, v);
    }
    for (k, v) in arrays {
        input.insert(k, Value::Array(v));
    }
    check(tool, &input)?;
    Ok(Value::Object(input))
}

fn is_boolean(kind: FlagType) -> bool {
    matches!(kind, FlagType::Boolean | FlagType::Array(ItemType::Boolean))
}

fn parse_value(kind: FlagType, name: &str, text: &str) -> Result<Value, String> {
    let scalar = match kind {
        FlagType::String => return Ok(Value::String(text.into())),
        FlagType::Json => {
            return serde_json::from_str(text).map_err(|e| format!("flag '--{name}': invalid JSON: {e}"));
        }
        FlagType::Number => ItemType::Number,
        FlagType::Integer => ItemType::Integer,
        FlagType::Boolean => ItemType::Boolean,
        FlagType::Array(item) => item,
    };
    let bad = |what: &str| format!("flag '--{name}': '{text}' is not {what}");
    match scalar {
        ItemType::String => Ok(Value::String(text.into())),
        ItemType::Integer => text.parse::<i64>().map(Value::from).map_err(|_| bad("an integer")),
        ItemType::Number => match text.parse::<i64>() {
            Ok(n) => Ok(Value::from(n)),
            Err(_) => {
                text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number).ok_or_else(|| bad("a number"))
            }
        },
        ItemType::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
    }
}

/// Every field is a flag of the right type; every required flag is there.
fn check(tool: &Tool, input: &Map<String, Value>) -> Result<(), String> {
    for (k, v) in input {
        let Some(flag) = tool.flags.iter().find(|f| f.name == *k) else {
            return Err(format!("unknown field '{k}'"));
        };
        let item_ok = |item: ItemType, v: &Value| match item {
            ItemType::String => v.is_string(),
            ItemType::Number => v.is_number(),
            ItemType::Integer => v.is_i64() || v.is_u64(),
            ItemType::Boolean => v.is_boolean(),
        };
        let ok = match flag.kind {
            FlagType::String => v.is_string(),
            FlagType::Number => v.is_number(),
            FlagType::Integer => v.is_i64() || v.is_u64(),
            FlagType::Boolean => v.is_boolean(),
            FlagType::Json => true,
            FlagType::Array(item) => v.as_array().is_some_and(|a| a.iter().all(|e| item_ok(item, e))),
        };
        if !ok {
            let want = match flag.kind {
                FlagType::Array(_) => format!("an array of {}", type_name(flag.kind)),
                k => type_name(k).to_string(),
            };
            return Err(format!("field '{k}' must be {want}, not {v}"));
        }
    }
    match tool.flags.iter().find(|f| f.required && !input.contains_key(&f.name)) {
        Some(f) => Err(format!("missing required flag '--{}'", f.name)),
        None => Ok(()),
    }
}

/// Read a guest file through the kernel (its permissions and policy).
fn read_file(task: &Task, path: &str) -> Result<String, String> {
    let fd = task.open(path, OFlags::RDONLY, 0).map_err(|e| format!("--json-file: {path}: {}", e.strerror()))?;
    let data = task.read_to_end(fd);
    let _ = task.close(fd);
    let data = data.map_err(|e| format!("--json-file: {path}: {}", e.strerror()))?;
    String::from_utf8(data).map_err(|_| format!("--json-file: {path}: not UTF-8"))
}
