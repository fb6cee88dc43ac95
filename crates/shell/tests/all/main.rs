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

#[test]
fn sh_c_positional_arguments() {
    check("echo \"$0|$1|$#\"; sh -c 'echo \"$0 $1\"' zero one", "bash||0\nzero one\n", "", 0);
}

#[test]
fn script_file_and_source() {
    let script = "printf 'echo \"in $0 args=$*\"\\nexit 4\\n' > s.sh\nbash s.sh a b\necho rc=$?\n\
                  printf 'v=sourced\\n' > lib.sh\n. ./lib.sh\necho $v";
    check(script, "in s.sh args=a b\nrc=4\nsourced\n", "", 0);
}

#[test]
fn shebang_script() {
    check("printf '#!/bin/sh\\necho shebang $1\\n' > x\nchmod +x x\n./x arg", "shebang arg\n", "", 0);
}

#[test]
fn stdin_script_and_no_shebang_script() {
    let script = "echo 'echo from-stdin $0' | bash\nprintf 'echo plain $1\\n' > y\nchmod +x y\n./y arg";
    check(script, "from-stdin bash\nplain arg\n", "", 0);
}

#[test]
fn background_jobs_and_wait() {
    check("(exit 3) & p=$!; wait $p; echo rc=$?; { echo bg; } & wait; echo done", "rc=3\nbg\ndone\n", "", 0);
}

#[test]
fn trap_on_signal_to_self() {
    check("trap 'echo caught TERM' TERM; kill -TERM $$; echo after", "caught TERM\nafter\n", "", 0);
}

#[test]
fn busy_loop_is_killable() {
    check("( while :; do :; done ) & p=$!; kill $p; wait $p; echo rc=$?", "rc=143\n", "", 0);
}

#[test]
fn large_heredoc_uses_a_temp_file() {
    let body: String = (0..20000).map(|i| format!("line {i}\n")).collect();
    let script = format!("cat <<'EOF' | tail -1\n{body}EOF\nls -A /tmp");
    check(&script, "line 19999\nconf\n", "", 0);
}

#[test]
fn errexit_and_pipefail() {
    check("set -euo pipefail\nfalse | true\necho unreachable", "", "", 1);
}

#[test]
fn read_file_substitution_and_bash_source() {
    check(
        "echo hi > f; x=$(< f); echo \"$x\"; printf 'echo ${BASH_SOURCE[0]}\\n' > s.sh; bash s.sh",
        "hi\ns.sh\n",
        "",
        0,
    );
}

#[test]
fn pushd_popd() {
    check("mkdir -p a/b; cd a; pushd b >/dev/null; basename $PWD; popd >/dev/null; basename $PWD", "b\na\n", "", 0);
}
