//! Host tools: toolkits as `agentos-<toolkit>` commands, their flags, the
//! JSON envelope, failures, and the `tool` permission domain.

use std::time::Duration;

use agentos::{
    AgentOs, AgentOsOptions, DomainPolicy, Error, ExecOptions, Flag, FlagType, ItemType, PermissionMode, Policy, Rule,
    Tool, ToolKit,
};
use serde_json::{Value, json};

fn math() -> ToolKit {
    let add = Tool::new("add", "Add two numbers", |v: Value| {
        let a = v["a"].as_f64().ok_or("a is missing")?;
        let b = v["b"].as_f64().ok_or("b is missing")?;
        let sum = a + b;
        Ok(if sum.fract() == 0.0 { json!(sum as i64) } else { json!(sum) })
    })
    .flag(Flag::new("a", FlagType::Number, "the first addend").required())
    .flag(Flag::new("b", FlagType::Number, "the second addend").required());
    let echo = Tool::new("echo", "Return the input object", Ok)
        .flag(Flag::new("s", FlagType::String, "a string"))
        .flag(Flag::new("n", FlagType::Integer, "an integer"))
        .flag(Flag::new("x", FlagType::Number, "a number"))
        .flag(Flag::new("loud", FlagType::Boolean, "a switch"))
        .flag(Flag::new("tag", FlagType::Array(ItemType::String), "tags"))
        .flag(Flag::new("id", FlagType::Array(ItemType::Integer), "ids"))
        .flag(Flag::new("cfg", FlagType::Json, "any JSON"));
    let div = Tool::new("div", "Divide a by b", |v: Value| {
        let (a, b) = (v["a"].as_f64().unwrap_or(0.0), v["b"].as_f64().unwrap_or(0.0));
        if b == 0.0 { Err("division by zero".into()) } else { Ok(json!(a / b)) }
    })
    .flag(Flag::new("a", FlagType::Number, "dividend").required())
    .flag(Flag::new("b", FlagType::Number, "divisor").required());
    let boom = Tool::new("boom", "Panics", |_| panic!("kaboom"));
    let slow = Tool::new("slow", "Sleeps past its timeout", |_| {
        std::thread::sleep(Duration::from_millis(1500));
        Ok(json!(null))
    })
    .timeout(Duration::from_millis(200));
    ToolKit::new("math", "Arithmetic", vec![add, echo, div, boom, slow])
}

fn web() -> ToolKit {
    ToolKit::new("web", "Web access", vec![Tool::new("fetch", "Fetch a URL", |_| Ok(json!("page")))])
}

async fn vm(policy: Option<Policy>) -> AgentOs {
    AgentOs::create(AgentOsOptions { toolkits: vec![math(), web()], permissions: policy, ..Default::default() })
        .await
        .unwrap()
}

async fn sh(vm: &AgentOs, cmd: &str) -> (i32, String, String) {
    let r = vm.exec(cmd, ExecOptions::default()).await.unwrap();
    (r.exit_code, String::from_utf8_lossy(&r.stdout).into_owned(), String::from_utf8_lossy(&r.stderr).into_owned())
}

fn ok(stdout: &str) -> (i32, String, String) {
    (0, format!("{stdout}\n"), String::new())
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_are_commands_with_a_json_envelope() {
    let vm = vm(None).await;
    assert_eq!(sh(&vm, "agentos-math add --a 1 --b 2").await, ok(r#"{"ok":true,"result":3}"#));
    assert_eq!(sh(&vm, "agentos-math add --a=1.5 --b -4").await, ok(r#"{"ok":true,"result":-2.5}"#));
    assert_eq!(
        sh(&vm, "command -v agentos-math agentos").await.1,
        "/opt/agentos/bin/agentos-math\n/opt/agentos/bin/agentos\n"
    );
    // Every flag type; repeated flags make arrays; `--no-` is false.
    assert_eq!(
        sh(
            &vm,
            r#"agentos-math echo --s 'hi there' --n 7 --x 0.25 --loud --tag a --tag b --id 1 --id 2 --cfg '{"k":[1]}'"#
        )
        .await,
        ok(
            r#"{"ok":true,"result":{"cfg":{"k":[1]},"id":[1,2],"loud":true,"n":7,"s":"hi there","tag":["a","b"],"x":0.25}}"#
        )
    );
    assert_eq!(sh(&vm, "agentos-math echo --no-loud").await, ok(r#"{"ok":true,"result":{"loud":false}}"#));
    assert_eq!(
        sh(&vm, "agentos-math echo --loud=false --s=a=b").await,
        ok(r#"{"ok":true,"result":{"loud":false,"s":"a=b"}}"#)
    );
    // --json, and flags over it; --json-file is read through the kernel.
    assert_eq!(sh(&vm, r#"agentos-math add --json '{"a":2,"b":40}'"#).await, ok(r#"{"ok":true,"result":42}"#));
    assert_eq!(sh(&vm, r#"agentos-math add --json '{"a":2,"b":40}' --b 1"#).await, ok(r#"{"ok":true,"result":3}"#));
    vm.write_file("/tmp/in.json", r#"{"a": 10, "b": 5}"#).await.unwrap();
    assert_eq!(sh(&vm, "agentos-math add --json-file /tmp/in.json").await, ok(r#"{"ok":true,"result":15}"#));
    // The output is JSON a guest can pipe on.
    assert_eq!(sh(&vm, "agentos-math add --a 1 --b 2 | jq .result").await, ok("3"));
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn help_and_listing() {
    let vm = vm(None).await;
    assert_eq!(
        sh(&vm, "agentos-math add --help").await,
        (
            0,
            "Usage: agentos-math add [flags]
Add two numbers

Flags:
  --a <number>      (required) the first addend
  --b <number>      (required) the second addend
  --json JSON       the whole input as one JSON object
  --json-file FILE  the same, read from FILE
"
            .to_string(),
            String::new()
        )
    );
    let echo_help = "Usage: agentos-math echo [flags]
Return the input object

Flags:
  --s <string>       a string
  --n <integer>      an integer
  --x <number>       a number
  --loud, --no-loud  a switch
  --tag <string>...  tags
  --id <integer>...  ids
  --cfg <json>       any JSON
  --json JSON        the whole input as one JSON object
  --json-file FILE   the same, read from FILE
";
    assert_eq!(sh(&vm, "agentos-math echo --s x -h").await, (0, echo_help.to_string(), String::new()));
    let usage = "Usage: agentos-math <tool> [--flag value]... [--json JSON | --json-file FILE]
Arithmetic
Tools:
  add   Add two numbers
  echo  Return the input object
  div   Divide a by b
  boom  Panics
  slow  Sleeps past its timeout
Run 'agentos-math <tool> --help' for a tool's flags.
";
    assert_eq!(sh(&vm, "agentos-math --help").await, (0, usage.to_string(), String::new()));
    assert_eq!(sh(&vm, "agentos-math").await, (2, String::new(), usage.to_string()));
    assert_eq!(sh(&vm, "agentos list-tools").await, (0, "math: Arithmetic\nweb: Web access\n".into(), String::new()));
    assert_eq!(sh(&vm, "agentos list-tools web").await, (0, "fetch: Fetch a URL\n".into(), String::new()));
    assert_eq!(
        sh(&vm, "agentos list-tools nope").await,
        (2, String::new(), "agentos: unknown toolkit 'nope' (toolkits: math, web)\n".into())
    );
    let (code, _, err) = sh(&vm, "agentos frobnicate").await;
    assert_eq!((code, err.lines().next()), (2, Some("agentos: unknown command 'frobnicate'")));
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_have_clear_messages_and_statuses() {
    let vm = vm(None).await;
    assert_eq!(
        sh(&vm, "agentos-nope x").await,
        (127, String::new(), "sh: line 1: agentos-nope: command not found\n".into())
    );
    let usage_error = |msg: &str, tool: &str| {
        (
            2,
            String::new(),
            format!("agentos-math {tool}: {msg}\nTry 'agentos-math {tool} --help' for more information.\n"),
        )
    };
    assert_eq!(
        sh(&vm, "agentos-math sub --a 1").await,
        (
            2,
            String::new(),
            "agentos-math: unknown tool 'sub' (tools: add, echo, div, boom, slow)\n\
             Try 'agentos-math --help' for more information.\n"
                .into()
        )
    );
    assert_eq!(sh(&vm, "agentos-math add --a 1").await, usage_error("missing required flag '--b'", "add"));
    assert_eq!(
        sh(&vm, "agentos-math add --a one --b 2").await,
        usage_error("flag '--a': 'one' is not a number", "add")
    );
    assert_eq!(sh(&vm, "agentos-math echo --n 1.5").await, usage_error("flag '--n': '1.5' is not an integer", "echo"));
    assert_eq!(sh(&vm, "agentos-math add --a 1 --c 2").await, usage_error("unknown flag '--c'", "add"));
    assert_eq!(sh(&vm, "agentos-math add --a").await, usage_error("flag '--a' needs a value", "add"));
    assert_eq!(sh(&vm, "agentos-math add 1 2").await, usage_error("unexpected argument '1'", "add"));
    assert_eq!(sh(&vm, "agentos-math echo --no-s").await, usage_error("unknown flag '--no-s'", "echo"));
    assert_eq!(sh(&vm, "agentos-math add --json '[1]'").await, usage_error("--json: expected a JSON object", "add"));
    assert_eq!(
        sh(&vm, "agentos-math add --json '{\"a\":\"1\",\"b\":2}'").await,
        usage_error("field 'a' must be <number>, not \"1\"", "add")
    );
    assert_eq!(
        sh(&vm, "agentos-math add --json-file /tmp/missing.json").await,
        usage_error("--json-file: /tmp/missing.json: No such file or directory", "add")
    );
    let (code, _, err) = sh(&vm, "agentos-math add --json '{'").await;
    assert_eq!((code, err.starts_with("agentos-math add: --json: invalid JSON: ")), (2, true), "{err}");
    // The handler's own error, a panic and a timeout are error envelopes;
    // the host lives on.
    assert_eq!(
        sh(&vm, "agentos-math div --a 1 --b 0").await,
        (1, "{\"ok\":false,\"error\":\"division by zero\"}\n".into(), String::new())
    );
    assert_eq!(
        sh(&vm, "agentos-math boom").await,
        (1, "{\"ok\":false,\"error\":\"tool handler panicked: kaboom\"}\n".into(), String::new())
    );
    assert_eq!(
        sh(&vm, "agentos-math slow").await,
        (1, "{\"ok\":false,\"error\":\"tool 'math:slow' timed out after 200ms\"}\n".into(), String::new())
    );
    assert_eq!(sh(&vm, "agentos-math div --a 1 --b 4").await, ok(r#"{"ok":true,"result":0.25}"#));
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tool_domain_of_the_policy_decides() {
    use PermissionMode::{Allow, Deny};
    let policy = Policy {
        fs: DomainPolicy::allow_all(),
        child_process: DomainPolicy::allow_all(),
        env: DomainPolicy::allow_all(),
        tool: DomainPolicy {
            default: Deny,
            rules: vec![Rule::new(Allow, &["invoke"], &["math:*"]), Rule::new(Deny, &["invoke"], &["math:div"])],
        },
        ..Default::default()
    };
    let vm = vm(Some(policy)).await;
    assert_eq!(sh(&vm, "agentos-math add --a 1 --b 2").await, ok(r#"{"ok":true,"result":3}"#));
    assert_eq!(
        sh(&vm, "agentos-math div --a 1 --b 2").await,
        (1, String::new(), "agentos-math: EACCES: permission denied, invoke 'math:div'\n".into())
    );
    assert_eq!(
        sh(&vm, "agentos-web fetch").await,
        (1, String::new(), "agentos-web: EACCES: permission denied, invoke 'web:fetch'\n".into())
    );
    assert_eq!(vm.permission_denials(), (2, Some("EACCES: permission denied, invoke 'web:fetch'".into())));
    // Help and listings invoke nothing.
    assert_eq!(sh(&vm, "agentos list-tools web").await.0, 0);
    vm.dispose().await.unwrap();
    // A policy that says nothing about tools denies them all.
    let vm = vm_with(Policy {
        fs: DomainPolicy::allow_all(),
        child_process: DomainPolicy::allow_all(),
        env: DomainPolicy::allow_all(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        sh(&vm, "agentos-math add --a 1 --b 2").await,
        (1, String::new(), "agentos-math: EACCES: permission denied, invoke 'math:add'\n".into())
    );
    vm.dispose().await.unwrap();
}

async fn vm_with(policy: Policy) -> AgentOs {
    vm(Some(policy)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_toolkits_are_refused_at_create() {
    let noop = |name: &str| Tool::new(name, "does nothing", |_| Ok(json!(null)));
    let cases: Vec<(Vec<ToolKit>, &str)> = vec![
        (
            vec![ToolKit::new("Math", "", vec![noop("a")])],
            "invalid toolkit 'Math': a toolkit name is 1-64 lowercase letters, digits and '-', not starting with '-'",
        ),
        (
            vec![ToolKit::new("m", "", vec![noop("a")]), ToolKit::new("m", "", vec![noop("b")])],
            "invalid toolkit 'm': declared twice",
        ),
        (vec![ToolKit::new("m", "", vec![])], "invalid toolkit 'm': it has no tools"),
        (
            vec![ToolKit::new("m", "", vec![noop("a_b")])],
            "invalid toolkit 'm': tool 'a_b': a tool name is 1-64 lowercase letters, digits and '-', not starting with '-'",
        ),
        (vec![ToolKit::new("m", "", vec![noop("a"), noop("a")])], "invalid toolkit 'm': tool 'a' declared twice"),
        (
            vec![ToolKit::new("m", "", vec![Tool::new("a", &"x".repeat(201), |_| Ok(json!(null)))])],
            "invalid toolkit 'm': tool 'a': the description must be 1-200 characters (it has 201)",
        ),
        (
            vec![ToolKit::new("m", "", vec![noop("a").flag(Flag::new("json", FlagType::String, ""))])],
            "invalid toolkit 'm': tool 'a': invalid flag name 'json' (lowercase letters, digits and '-'; not json, json-file, help or no-*)",
        ),
        (
            vec![ToolKit::new(
                "m",
                "",
                vec![noop("a").flag(Flag::new("x", FlagType::String, "")).flag(Flag::new("x", FlagType::Number, ""))],
            )],
            "invalid toolkit 'm': tool 'a': flag 'x' declared twice",
        ),
        (
            vec![ToolKit::new("m", "", vec![noop("a").timeout(Duration::ZERO)])],
            "invalid toolkit 'm': tool 'a': the timeout must be more than zero",
        ),
    ];
    for (toolkits, want) in cases {
        let e = AgentOs::create(AgentOsOptions { toolkits, ..Default::default() }).await.err().expect(want);
        assert!(matches!(e, Error::InvalidToolkit { .. }), "{e:?}");
        assert_eq!(e.to_string(), want);
    }
    // A 200-character description is fine; no toolkits, no `agentos` command.
    let kit = ToolKit::new("m", "", vec![Tool::new("a", &"x".repeat(200), |_| Ok(json!(null)))]);
    assert!(AgentOs::create(AgentOsOptions { toolkits: vec![kit], ..Default::default() }).await.is_ok());
    let plain = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    assert_eq!(
        sh(&plain, "agentos list-tools").await,
        (127, String::new(), "sh: line 1: agentos: command not found\n".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persistent_root_drops_the_commands_of_toolkits_no_longer_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("root.sqlite");
    let opts = |toolkits| AgentOsOptions {
        root: Some(agentos::RootConfig::Sqlite(db.clone())),
        toolkits,
        ..Default::default()
    };
    let vm = AgentOs::create(opts(vec![math(), web()])).await.unwrap();
    assert_eq!(sh(&vm, "agentos-web fetch").await, ok(r#"{"ok":true,"result":"page"}"#));
    vm.dispose().await.unwrap();
    let vm = AgentOs::create(opts(vec![math()])).await.unwrap();
    assert_eq!(
        sh(&vm, "agentos-web fetch").await,
        (127, String::new(), "sh: line 1: agentos-web: command not found\n".into())
    );
    assert_eq!(sh(&vm, "agentos list-tools").await, ok("math: Arithmetic"));
    vm.dispose().await.unwrap();
    let vm = AgentOs::create(opts(vec![])).await.unwrap();
    assert_eq!(sh(&vm, "ls /opt/agentos/bin").await, (0, String::new(), String::new()));
}
