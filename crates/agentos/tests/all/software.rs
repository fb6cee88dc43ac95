//! Software descriptors: WASM command packages (PATH, aliases, precedence,
//! tiers enforced by the kernel), npm tools, agents, and validation.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use agentos::{
    AgentDescriptor, AgentOs, AgentOsOptions, CreateSessionOptions, Error, ExecOptions, Software, TierList, Tiers,
};
use serde_json::json;

use crate::wasm_enc::{leb, name, section};

/// `i32.const v` (signed LEB128).
fn i32c(mut v: i64, out: &mut Vec<u8>) {
    out.push(0x41);
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A hand-encoded WASI command. With `create = None` it prints `text` to
/// stdout; with `Some(path)` it calls `path_open(3, 0, path, O_CREAT)` on
/// preopen 3, the working directory (`/home/user` for `exec`), and exits with the WASI errno it got.
fn wasm(text: &str, create: Option<&str>) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    // Types: 0 = () -> (); 1 = fd_write; 2 = path_open; 3 = proc_exit.
    let mut t = vec![4, 0x60, 0, 0, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f];
    t.extend([0x60, 9, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7e, 0x7e, 0x7f, 0x7f, 1, 0x7f]);
    t.extend([0x60, 1, 0x7f, 0]);
    section(1, t, &mut m);
    let mut imp = vec![3];
    for (f, ty) in [("fd_write", 1u8), ("path_open", 2), ("proc_exit", 3)] {
        name("wasi_snapshot_preview1", &mut imp);
        name(f, &mut imp);
        imp.extend([0, ty]);
    }
    section(2, imp, &mut m);
    section(3, vec![1, 0], &mut m);
    section(5, vec![1, 0, 1], &mut m);
    let mut ex = vec![2];
    name("_start", &mut ex);
    ex.extend([0, 3]);
    name("memory", &mut ex);
    ex.extend([2, 0]);
    section(7, ex, &mut m);
    let mut body = vec![0];
    match create {
        None => {
            for v in [1, 0, 1, 8] {
                i32c(v, &mut body);
            }
            body.extend([0x10, 0, 0x1a]);
        }
        Some(p) => {
            for v in [3, 0, 128, p.len() as i64, 1] {
                i32c(v, &mut body);
            }
            body.extend([0x42, 0x7f, 0x42, 0x7f]); // rights: all (-1)
            i32c(0, &mut body);
            i32c(16, &mut body);
            body.extend([0x10, 1, 0x10, 2]);
        }
    }
    body.push(0x0b);
    let mut code = vec![1];
    leb(body.len() as u64, &mut code);
    code.extend(body);
    section(10, code, &mut m);
    // Data: iovec {64, len} at 0; the text at 64; the path at 128.
    let mut data = vec![3];
    let seg = |off: i64, bytes: &[u8], data: &mut Vec<u8>| {
        data.push(0);
        i32c(off, data);
        data.push(0x0b);
        leb(bytes.len() as u64, data);
        data.extend_from_slice(bytes);
    };
    let mut iov = 64u32.to_le_bytes().to_vec();
    iov.extend((text.len() as u32).to_le_bytes());
    seg(0, &iov, &mut data);
    seg(64, text.as_bytes(), &mut data);
    seg(128, create.unwrap_or("").as_bytes(), &mut data);
    section(11, data, &mut m);
    m
}

fn put(dir: &Path, file: &str, bytes: &[u8], mode: u32) {
    let p = dir.join(file);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn commands(dir: &Path, aliases: &[(&str, &str)], permissions: Tiers) -> Software {
    Software::WasmCommands {
        name: "test-commands".into(),
        command_dir: dir.to_path_buf(),
        aliases: aliases.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        permissions,
    }
}

async fn vm_with(software: Vec<Software>) -> AgentOs {
    AgentOs::create(AgentOsOptions { software, ..Default::default() }).await.unwrap()
}

async fn sh(vm: &AgentOs, cmd: &str) -> (String, String, i32) {
    let r = vm.exec(cmd, ExecOptions::default()).await.unwrap();
    (String::from_utf8_lossy(&r.stdout).into_owned(), String::from_utf8_lossy(&r.stderr).into_owned(), r.exit_code)
}

#[tokio::test(flavor = "multi_thread")]
async fn wasm_commands_on_path_with_aliases_and_precedence() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    put(a.path(), "hello.wasm", &wasm("hello from a\n", None), 0o755);
    // Shadows the native `wc` (shell builtins like `true` still win, as in
    // bash).
    put(a.path(), "wc", &wasm("wasm wc\n", None), 0o755);
    put(a.path(), "README", b"not a command", 0o755);
    put(b.path(), "hello", &wasm("hello from b\n", None), 0o755);
    // No execute bit on the host: still a command.
    put(b.path(), "only-b", &wasm("b only\n", None), 0o644);
    let vm = vm_with(vec![Software::Meta(vec![
        commands(a.path(), &[("hi", "hello")], Tiers::default()),
        commands(b.path(), &[], Tiers::default()),
    ])])
    .await;
    assert_eq!(
        sh(&vm, "hello; hi; only-b; wc").await,
        ("hello from a\nhello from a\nb only\nwasm wc\n".into(), String::new(), 0)
    );
    assert_eq!(
        sh(&vm, "echo $PATH").await.0,
        "/opt/agentos/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    );
    assert_eq!(sh(&vm, "ls /opt/agentos/bin").await.0, "hello\nhi\nonly-b\nwc\n");
    assert_eq!(sh(&vm, "readlink /opt/agentos/bin/hi").await.0, "/opt/agentos/commands/0/hello.wasm\n");
    let (_, err, code) = sh(&vm, "echo x > /opt/agentos/commands/0/new").await;
    assert_ne!(code, 0, "{err}");
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn each_tier_is_enforced_by_the_kernel() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["mk-full", "mk-rw", "mk-ro", "mk-iso"] {
        put(dir.path(), cmd, &wasm("", Some("made")), 0o755);
    }
    let list = |v: &[&str]| TierList::List(v.iter().map(|s| s.to_string()).collect());
    let tiers = Tiers {
        full: list(&["mk-full"]),
        read_write: list(&["mk-rw"]),
        read_only: TierList::All,
        isolated: list(&["mk-iso"]),
    };
    let vm = vm_with(vec![commands(dir.path(), &[], tiers)]).await;
    // WASI errnos: 0 success, 2 EACCES, 8 EBADF (isolated: no preopen).
    for (cmd, want) in [("mk-ro", 2), ("mk-iso", 8), ("mk-rw", 0), ("mk-full", 0)] {
        let _ = vm.remove("/home/user/made", Default::default()).await;
        assert_eq!(sh(&vm, cmd).await.2, want, "{cmd}");
    }
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn tool_bins_run_with_our_node() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("node_modules/@demo/greeter");
    put(&pkg, "package.json", br#"{"name":"@demo/greeter","bin":{"greet":"./bin/greet.js"}}"#, 0o644);
    put(&pkg, "bin/greet.js", b"console.log('hello ' + process.argv.slice(2).join(','));\n", 0o644);
    let deep = dir.path().join("packages/mine");
    std::fs::create_dir_all(&deep).unwrap();
    let vm = vm_with(vec![Software::Tool {
        name: "greeter".into(),
        package_dir: deep,
        requires: vec!["@demo/greeter".into()],
        bins: vec![("greet".into(), "@demo/greeter".into())],
    }])
    .await;
    assert_eq!(sh(&vm, "greet a b").await, ("hello a,b\n".into(), String::new(), 0));
    assert_eq!(
        sh(&vm, "cat /usr/local/lib/node_modules/@demo/greeter/package.json").await.0,
        r#"{"name":"@demo/greeter","bin":{"greet":"./bin/greet.js"}}"#
    );
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_software_registers_a_working_agent() {
    let dir = tempfile::tempdir().unwrap();
    let adapter = dir.path().join("node_modules/test-acp");
    put(&adapter, "package.json", br#"{"name":"test-acp","bin":{"test-acp":"dist/acp.js"}}"#, 0o644);
    put(&adapter, "dist/acp.js", include_bytes!("../fixtures/agents/streaming.js"), 0o644);
    let sdk = dir.path().join("node_modules/test-sdk");
    put(&sdk, "package.json", br#"{"name":"test-sdk","main":"lib/sdk.js"}"#, 0o644);
    put(&sdk, "lib/sdk.js", b"module.exports = 1;\n", 0o644);
    let mut agent = AgentDescriptor::new("soft", "test-acp");
    agent.launch_args = vec!["--x".into()];
    agent.static_env = vec![("A".into(), "static".into())];
    agent.env =
        Some(Arc::new(|ctx: &agentos::SoftwareContext| vec![("SDK".to_string(), ctx.resolve_bin("test-sdk", None))]));
    let vm = vm_with(vec![Software::Agent {
        name: "soft-agent".into(),
        package_dir: dir.path().to_path_buf(),
        requires: vec!["test-acp".into(), "test-sdk".into()],
        agent_package: "test-sdk".into(),
        agent,
    }])
    .await;
    let listed = vm.list_agents();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].entry, "/usr/local/lib/node_modules/test-acp/dist/acp.js");
    assert!(listed[0].installed);
    let s = vm.create_session("soft", CreateSessionOptions::default()).await.unwrap();
    let r = vm.raw_send(&s, "x/env", json!({ "names": ["A", "SDK"] })).await.unwrap();
    assert_eq!(r["result"]["argv"], json!(["--x"]));
    assert_eq!(r["result"]["env"], json!(["static", "/usr/local/lib/node_modules/test-sdk/lib/sdk.js"]));
    let p = vm.prompt(&s, "hi").await.unwrap();
    assert_eq!(p.stop_reason, "end_turn");
    vm.close_session(&s).unwrap();
    vm.dispose().await.unwrap();
}

fn invalid(e: Error) -> String {
    match e {
        e @ Error::InvalidSoftware { .. } => e.to_string(),
        other => panic!("expected InvalidSoftware, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_software_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "ls", &wasm("x", None), 0o755);
    let missing = dir.path().join("missing");
    let create = |s: Software| AgentOs::create_sync(AgentOsOptions { software: vec![s], ..Default::default() });
    let e = invalid(create(commands(&missing, &[], Tiers::default())).err().unwrap());
    assert_eq!(
        e,
        format!("invalid software 'test-commands': command_dir {}: no such file or directory", missing.display())
    );
    let e = invalid(create(commands(dir.path(), &[("ll", "nope")], Tiers::default())).err().unwrap());
    assert_eq!(e, "invalid software 'test-commands': alias 'll' names unknown command 'nope'");
    let e = invalid(create(commands(Path::new("rel"), &[], Tiers::default())).err().unwrap());
    assert_eq!(e, "invalid software 'test-commands': command_dir must be absolute: rel");
    let tiers = Tiers { read_only: TierList::List(vec!["cat".into()]), ..Default::default() };
    let e = invalid(create(commands(dir.path(), &[], tiers)).err().unwrap());
    assert_eq!(e, "invalid software 'test-commands': permissions name unknown command 'cat'");
    let agent = |requires: &[&str]| Software::Agent {
        name: "a".into(),
        package_dir: dir.path().to_path_buf(),
        requires: requires.iter().map(|s| s.to_string()).collect(),
        agent_package: "sdk".into(),
        agent: AgentDescriptor::new("a", "adapter"),
    };
    let e = invalid(create(agent(&["sdk"])).err().unwrap());
    assert_eq!(e, "invalid software 'a': acp_adapter 'adapter' is not in requires");
    let e = invalid(create(agent(&["adapter"])).err().unwrap());
    assert_eq!(e, "invalid software 'a': agent_package 'sdk' is not in requires");
    let e = invalid(create(agent(&["adapter", "sdk"])).err().unwrap());
    assert_eq!(
        e,
        format!(
            "invalid software 'a': package 'adapter' not found in node_modules from {} upward",
            dir.path().display()
        )
    );
    let tool = Software::Tool {
        name: "t".into(),
        package_dir: dir.path().to_path_buf(),
        requires: vec![],
        bins: vec![("x".into(), "pkg".into())],
    };
    let e = invalid(create(tool).err().unwrap());
    assert_eq!(e, "invalid software 't': bin 'x' names package 'pkg', which is not in requires");
}

/// An `.aospkg` (the registry's packed format; see agentos-host's
/// `aospkg.rs`) with `files` under `/bin` and `commands` naming them.
fn aospkg(commands: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let s = |t: &str, out: &mut Vec<u8>| name(t, out);
    let mut h = vec![1, 0];
    s("demo", &mut h);
    s("1.2.3", &mut h);
    h.extend([0, 0]);
    leb(commands.len() as u64, &mut h);
    for (c, p) in commands {
        s(c, &mut h);
        s(p, &mut h);
    }
    h.extend([0, 0]);
    let mut x = vec![1, 0];
    leb(2 + files.len() as u64, &mut x);
    let mut data = Vec::new();
    let entry = |path: &str, kind: u8, off: u64, size: u64, mode: u32, x: &mut Vec<u8>| {
        s(path, x);
        x.push(kind);
        x.extend(off.to_le_bytes());
        x.extend(size.to_le_bytes());
        for v in [mode, 1000, 1000] {
            x.extend(v.to_le_bytes());
        }
        x.extend(1_700_000_000u64.to_le_bytes());
        s("", x);
    };
    entry("/", 1, 0, 0, 0o755, &mut x);
    entry("/bin", 1, 0, 0, 0o755, &mut x);
    for (f, bytes) in files {
        entry(&format!("/bin/{f}"), 0, data.len() as u64, bytes.len() as u64, 0o755, &mut x);
        data.extend_from_slice(bytes);
    }
    let mut out = b"\x89AOS".to_vec();
    for v in [1u32, h.len() as u32, x.len() as u32] {
        out.extend(v.to_le_bytes());
    }
    out.extend(h);
    out.extend(x);
    out.extend(data);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn packed_packages_run_from_the_package_file() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = aospkg(
        &[("hi", "bin/hi"), ("hey", "bin/hi"), ("mk", "bin/mk")],
        &[("hi", wasm("hi from a package\n", None)), ("mk", wasm("", Some("made")))],
    );
    put(dir.path(), "demo.aospkg", &pkg, 0o644);
    let path = dir.path().join("demo.aospkg");
    let tiers = Tiers { read_only: TierList::List(vec!["mk".into()]), ..Default::default() };
    let vm = vm_with(vec![Software::WasmPackage { path: path.clone(), permissions: tiers }]).await;
    assert_eq!(sh(&vm, "hi; hey").await, ("hi from a package\nhi from a package\n".into(), String::new(), 0));
    // The tier follows the command's file: `mk` may not create (EACCES = 2).
    assert_eq!(sh(&vm, "mk").await.2, 2);
    assert_eq!(
        sh(&vm, "ls /opt/agentos/commands/0/bin; echo x > /opt/agentos/commands/0/bin/hi").await,
        ("hi\nmk\n".into(), "sh: line 1: /opt/agentos/commands/0/bin/hi: Read-only file system\n".into(), 1)
    );
    vm.dispose().await.unwrap();

    let create = |s: Software| AgentOs::create_sync(AgentOsOptions { software: vec![s], ..Default::default() });
    let bad = dir.path().join("bad.aospkg");
    put(dir.path(), "bad.aospkg", b"\x89AOS\x02\0\0\0", 0o644);
    let e = invalid(create(Software::WasmPackage { path: bad.clone(), permissions: Tiers::default() }).err().unwrap());
    assert_eq!(e, format!("invalid software '{}': not a valid .aospkg package: format version 2", bad.display()));
    let missing = dir.path().join("missing.aospkg");
    let e =
        invalid(create(Software::WasmPackage { path: missing.clone(), permissions: Tiers::default() }).err().unwrap());
    assert_eq!(e, format!("invalid software '{}': no such file or directory", missing.display()));
    let tiers = Tiers { full: TierList::List(vec!["nope".into()]), ..Default::default() };
    let e = invalid(create(Software::WasmPackage { path: path.clone(), permissions: tiers }).err().unwrap());
    assert_eq!(e, format!("invalid software '{}': permissions name unknown command 'nope'", path.display()));
}
