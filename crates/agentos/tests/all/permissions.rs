//! The permission policy, enforced in the kernel: the same rules stop the
//! shell, its commands, JavaScript and the API alike.

use agentos::{AgentOs, AgentOsOptions, DomainPolicy, Errno, ExecOptions, MountBackend, PermissionMode, Policy, Rule};

fn policy() -> Policy {
    use PermissionMode::{Allow, Deny};
    Policy {
        fs: DomainPolicy {
            default: Deny,
            rules: vec![
                Rule::new(Allow, &["*"], &["**"]),
                Rule::new(Deny, &["*"], &["/home/user/secret", "/home/user/secret/**"]),
                Rule::new(Deny, &["write", "rm", "create_dir"], &["/etc/**", "/home/user/*.lock"]),
                Rule::new(Deny, &["mount"], &["**"]),
            ],
        },
        child_process: DomainPolicy {
            default: Deny,
            rules: vec![Rule::new(Allow, &["spawn"], &["**"]), Rule::new(Deny, &["spawn"], &["/usr/bin/rm"])],
        },
        env: DomainPolicy { default: Allow, rules: vec![Rule::new(Deny, &["read"], &["SECRET_*"])] },
        ..Default::default()
    }
}

async fn sh(vm: &AgentOs, cmd: &str) -> (i32, String, String) {
    let r = vm.exec(cmd, ExecOptions::default()).await.unwrap();
    (r.exit_code, String::from_utf8_lossy(&r.stdout).into_owned(), String::from_utf8_lossy(&r.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn policy_is_enforced_for_shell_commands_js_and_api() {
    // Set up the secret before the policy exists.
    let vm = AgentOs::create(AgentOsOptions {
        permissions: Some(policy()),
        env: vec![("SECRET_TOKEN".into(), "hunter2".into()), ("VISIBLE".into(), "yes".into())],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(vm.mkdir("/home/user/secret", Default::default()).await.unwrap_err().errno(), Some(Errno::EACCES));
    assert_eq!(vm.permission_denials().1.as_deref(), Some("EACCES: permission denied, create_dir '/home/user/secret'"));
    // Allowed things work.
    assert_eq!(sh(&vm, "echo ok > /home/user/f && cat /home/user/f").await, (0, "ok\n".into(), String::new()));
    // Denied paths the mode bits would allow: shell redirections, commands,
    // and through symlinks (checks use the resolved path).
    let (code, _, err) = sh(&vm, "echo x > /home/user/a.lock").await;
    assert_eq!(code, 1);
    assert!(err.contains("Permission denied"), "{err}");
    let (code, _, _) = sh(&vm, "ln -s /home/user/b.lock /home/user/alias && touch /home/user/alias").await;
    assert_eq!(code, 1);
    assert_eq!(
        sh(&vm, "readlink /home/user/alias; ls /home/user").await.1,
        "/home/user/b.lock
alias
f
"
    );
    assert_eq!(sh(&vm, "cat /etc/hostname").await.1, "agentos\n");
    // child_process: rm may not be started; the file stays.
    let (code, _, _) = sh(&vm, "rm /home/user/f").await;
    assert_ne!(code, 0);
    assert!(vm.exists("/home/user/f").await.unwrap());
    // env: denied variables never reach a process.
    assert_eq!(sh(&vm, "echo \"[$SECRET_TOKEN] $VISIBLE\"").await.1, "[] yes\n");
    // JavaScript goes through the same kernel checks.
    vm.write_file(
        "/tmp/t.js",
        "try { require('fs').writeFileSync('/home/user/c.lock', '1') } catch (e) { console.log(e.code) }",
    )
    .await
    .unwrap();
    assert_eq!(sh(&vm, "node /tmp/t.js").await.1, "EACCES\n");
    // Mounting is an fs operation too.
    assert_eq!(vm.mount("/mnt/x", MountBackend::Memory, false).unwrap_err().errno(), Some(Errno::EACCES));
    let (denials, last) = vm.permission_denials();
    assert!(denials >= 6, "{denials}");
    assert_eq!(last.as_deref(), Some("EACCES: permission denied, mount '/mnt/x'"));
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_policy_denies_everything_and_no_policy_allows() {
    let vm =
        AgentOs::create(AgentOsOptions { permissions: Some(Policy::default()), ..Default::default() }).await.unwrap();
    assert_eq!(vm.read_file("/etc/hostname").await.unwrap_err().errno(), Some(Errno::EACCES));
    let free = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    assert_eq!(free.read_file("/etc/hostname").await.unwrap(), b"agentos\n");
    assert_eq!(free.permission_denials(), (0, None));
}
