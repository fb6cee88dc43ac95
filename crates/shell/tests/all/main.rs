//! Integration tests: the shell running inside a booted kernel.

mod vm;

fn check(script: &str, stdout: &str, stderr: &str, status: i32) {
    let o = vm::run(script);
    assert_eq!(String::from_utf8_lossy(&o.stdout), stdout, "stdout of {script:?}");
    assert_eq!(String::from_utf8_lossy(&o.stderr), stderr, "stderr of {script:?}");
    assert_eq!(o.status, status, "status of {script:?}");
}

#[test]
fn echo_hello() {
    check("echo hello", "hello\n", "", 0);
}

#[test]
fn pipeline_and_status() {
    check("echo b; echo a | cat; false | true; echo \"rc=$? ${PIPESTATUS[*]}\"", "b\na\nrc=0 1 0\n", "", 0);
}

#[test]
fn command_not_found() {
    check("nosuch\necho \"rc=$?\"", "rc=127\n", "bash: line 1: nosuch: command not found\n", 0);
}

#[test]
fn expansions() {
    check("x=abc; a=(1 2 3); echo ${x^^} ${#a[@]} $((2**10)) {a,b}c", "ABC 3 1024 ac bc\n", "", 0);
}

#[test]
fn exit_status() {
    check("f() { return 3; }; f; exit $?", "", "", 3);
}
