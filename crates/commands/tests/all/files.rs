//! File commands: ls cp mv rm mkdir rmdir touch ln chmod stat readlink
//! realpath du mktemp.

use crate::harness::{Vm, fail, ok};

#[test]
fn ls_sorted_one_per_line_and_missing() {
    let vm = Vm::new();
    for f in ["b", "a", "C", "_x", "1"] {
        vm.write(f, "");
    }
    assert_eq!(vm.run(&["ls"]), ok("1\nC\n_x\na\nb\n"));
    assert_eq!(vm.run(&["ls", "nosuch"]), fail("", "ls: cannot access 'nosuch': No such file or directory\n", 2));
    assert_eq!(vm.run(&["ls", "-m"]), ok("1, C, _x, a, b\n"));
}

#[test]
fn ls_long_format_and_sorting() {
    let vm = Vm::new();
    vm.write("big", "aaa");
    vm.write("small", "a");
    assert_eq!(vm.run(&["touch", "-d", "2020-01-02 03:04:05", "big"]).code, 0);
    assert_eq!(vm.run(&["touch", "-d", "2019-05-06 07:08:09", "small"]).code, 0);
    assert_eq!(vm.run(&["mkdir", "d"]).code, 0);
    assert_eq!(
        vm.run(&["ls", "-l", "big", "small"]),
        ok("-rw-r--r-- 1 user user 3 Jan  2  2020 big\n-rw-r--r-- 1 user user 1 May  6  2019 small\n")
    );
    // Directories are 4096 bytes, as on ext4.
    assert_eq!(vm.run(&["ls", "-S"]), ok("d\nbig\nsmall\n"));
    assert_eq!(vm.run(&["ls", "-t", "big", "small"]), ok("big\nsmall\n"));
    assert_eq!(vm.run(&["ls", "-rF"]), ok("small\nd/\nbig\n"));
    assert_eq!(vm.run(&["ls", "-a", "d"]), ok(".\n..\n"));
    // The kernel's manual clock says 2024-01-01: a file made now is recent.
    assert_eq!(vm.run(&["ls", "-ld", "d"]).stdout, "drwxr-xr-x 2 user user 4096 Jan  1 00:00 d\n");
    // Past six months the year replaces the time of day.
    vm.clock.advance(std::time::Duration::from_secs(200 * 86400));
    assert_eq!(vm.run(&["ls", "-ld", "d"]).stdout, "drwxr-xr-x 2 user user 4096 Jan  1  2024 d\n");
}

#[test]
fn ls_recursive_headers() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["mkdir", "-p", "a/b"]).code, 0);
    vm.write("a/f", "");
    vm.write("a/b/g", "");
    assert_eq!(vm.run(&["ls", "-R", "a"]), ok("a:\nb\nf\n\na/b:\ng\n"));
}

#[test]
fn cp_mv_rm_messages() {
    let vm = Vm::new();
    vm.write("a", "data\n");
    assert_eq!(vm.run(&["cp", "a", "b"]), ok(""));
    assert_eq!(vm.read("b"), "data\n");
    assert_eq!(vm.run(&["cp", "missing", "x"]), fail("", "cp: cannot stat 'missing': No such file or directory\n", 1));
    assert_eq!(vm.run(&["mkdir", "d"]).code, 0);
    assert_eq!(vm.run(&["cp", "d", "e"]), fail("", "cp: -r not specified; omitting directory 'd'\n", 1));
    assert_eq!(vm.run(&["cp", "a", "a"]), fail("", "cp: 'a' and 'a' are the same file\n", 1));
    assert_eq!(vm.run(&["cp", "-v", "a", "d"]), ok("'a' -> 'd/a'\n"));
    assert_eq!(vm.run(&["mv", "-v", "b", "c"]), ok("renamed 'b' -> 'c'\n"));
    assert_eq!(vm.run(&["mv", "nosuch", "x"]), fail("", "mv: cannot stat 'nosuch': No such file or directory\n", 1));
    assert_eq!(vm.run(&["rm", "d"]), fail("", "rm: cannot remove 'd': Is a directory\n", 1));
    assert_eq!(vm.run(&["rm", "-rv", "d"]), ok("removed 'd/a'\nremoved directory 'd'\n"));
    assert_eq!(
        vm.run(&["rm", "-rf", "."]),
        fail("", "rm: refusing to remove '.' or '..' directory: skipping '.'\n", 1)
    );
    assert_eq!(vm.run(&["rm", "nosuch"]), fail("", "rm: cannot remove 'nosuch': No such file or directory\n", 1));
    assert_eq!(vm.run(&["rm", "-f", "nosuch"]), ok(""));
    assert_eq!(vm.run(&["ls"]), ok("a\nc\n"));
}

#[test]
fn cp_recursive_preserving_links_and_modes() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["mkdir", "-p", "src/sub"]).code, 0);
    vm.write("src/sub/f", "x");
    assert_eq!(vm.run(&["chmod", "640", "src/sub/f"]).code, 0);
    assert_eq!(vm.run(&["ln", "-s", "sub/f", "src/l"]).code, 0);
    assert_eq!(vm.run(&["cp", "-a", "src", "dst"]).code, 0);
    assert_eq!(vm.run(&["readlink", "dst/l"]), ok("sub/f\n"));
    assert_eq!(vm.run(&["stat", "-c", "%a %F", "dst/sub/f", "dst/l"]), ok("640 regular file\n777 symbolic link\n"));
    assert_eq!(
        vm.run(&["cp", "-r", "src", "src/sub"]).stderr,
        "cp: cannot copy a directory, 'src', into itself, 'src/sub/src'\n"
    );
}

#[test]
fn mkdir_rmdir_touch() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["mkdir", "a"]), ok(""));
    assert_eq!(vm.run(&["mkdir", "a"]), fail("", "mkdir: cannot create directory 'a': File exists\n", 1));
    assert_eq!(
        vm.run(&["mkdir", "x/y"]),
        fail("", "mkdir: cannot create directory 'x/y': No such file or directory\n", 1)
    );
    assert_eq!(vm.run(&["mkdir", "-pv", "p/q"]), ok("mkdir: created directory 'p'\nmkdir: created directory 'p/q'\n"));
    assert_eq!(vm.run(&["mkdir", "-m", "700", "priv"]).code, 0);
    assert_eq!(vm.run(&["stat", "-c", "%a", "priv"]), ok("700\n"));
    assert_eq!(vm.run(&["rmdir", "-p", "p/q"]), ok(""));
    assert_eq!(vm.run(&["touch", "-c", "ghost"]), ok(""));
    assert_eq!(
        vm.run(&["touch", "nodir/f"]),
        fail("", "touch: cannot touch 'nodir/f': No such file or directory\n", 1)
    );
    assert_eq!(vm.run(&["touch", "-d", "2001-02-03 04:05:06", "f"]).code, 0);
    assert_eq!(vm.run(&["stat", "-c", "%y|%Y", "f"]), ok("2001-02-03 04:05:06.000000000 +0000|981173106\n"));
    assert_eq!(vm.run(&["touch", "-r", "f", "g"]).code, 0);
    assert_eq!(vm.run(&["stat", "-c", "%Y", "g"]), ok("981173106\n"));
}

#[test]
fn chmod_ln_readlink_realpath() {
    let vm = Vm::new();
    vm.write("f", "");
    assert_eq!(vm.run(&["chmod", "u+x,g+w", "f"]), ok(""));
    assert_eq!(vm.run(&["stat", "-c", "%a %A", "f"]), ok("764 -rwxrw-r--\n"));
    assert_eq!(vm.run(&["chmod", "-w", "f"]).code, 0);
    assert_eq!(vm.run(&["stat", "-c", "%a", "f"]), ok("564\n"));
    assert_eq!(
        vm.run(&["chmod", "999", "f"]),
        fail("", "chmod: invalid mode: '999'\nTry 'chmod --help' for more information.\n", 1)
    );
    assert_eq!(vm.run(&["ln", "-s", "f", "l"]), ok(""));
    assert_eq!(vm.run(&["ln", "-s", "f", "l"]), fail("", "ln: failed to create symbolic link 'l': File exists\n", 1));
    assert_eq!(vm.run(&["readlink", "-f", "l"]), ok("/home/user/f\n"));
    assert_eq!(vm.run(&["readlink", "f"]), fail("", "", 1));
    assert_eq!(vm.run(&["realpath", "--relative-to=/home", "l"]), ok("user/f\n"));
    assert_eq!(vm.run(&["realpath", "-m", "x/../y"]), ok("/home/user/y\n"));
    assert_eq!(vm.run(&["realpath", "nosuch/x"]), fail("", "realpath: nosuch/x: No such file or directory\n", 1));
}

#[test]
fn stat_default_layout() {
    let vm = Vm::new();
    vm.write("f", "hello");
    let out = vm.run(&["stat", "f"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "  File: f");
    assert_eq!(lines[1], "  Size: 5         \tBlocks: 8          IO Block: 4096   regular file");
    assert_eq!(lines[3], "Access: (0644/-rw-r--r--)  Uid: ( 1000/    user)   Gid: ( 1000/    user)");
    assert_eq!(lines[4], "Access: 2024-01-01 00:00:00.000000000 +0000");
    assert_eq!(vm.run(&["stat", "nosuch"]), fail("", "stat: cannot statx 'nosuch': No such file or directory\n", 1));
}

#[test]
fn du_and_mktemp() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["mkdir", "d"]).code, 0);
    vm.write("d/f", &"0".repeat(1000));
    assert_eq!(vm.run(&["du", "-b", "d/f"]), ok("1000\td/f\n"));
    assert_eq!(vm.run(&["du", "-a", "d"]), ok("4\td/f\n8\td\n"));
    assert_eq!(vm.run(&["du", "-sh", "d"]), ok("8.0K\td\n"));
    let m = vm.run(&["mktemp", "-p", ".", "tmp.XXXXXX"]);
    assert_eq!(m.code, 0);
    assert!(m.stdout.starts_with("./tmp.") && m.stdout.len() == "./tmp.XXXXXX\n".len(), "{m:?}");
    assert_eq!(vm.run(&["stat", "-c", "%a", m.stdout.trim()]), ok("600\n"));
    assert_eq!(vm.run(&["mktemp", "xx"]), fail("", "mktemp: too few X's in template 'xx'\n", 1));
}

#[test]
fn mv_across_filesystems_copies_then_removes() {
    use agentos_kernel::abi::Cred;
    use agentos_kernel::fs::mem::{MemFs, MemLimits};
    use agentos_kernel::vfs::PathCtx;
    use std::sync::Arc;
    let vm = Vm::new();
    let ctx = PathCtx { cred: Cred::ROOT, cwd: "/", pid: 1, tier: agentos_kernel::policy::Tier::Full };
    let at = vm.k.vfs.resolve(&ctx, "/mnt", true).unwrap();
    let fs = MemFs::new(vm.clock.clone(), MemLimits { max_bytes: 1 << 20, max_inodes: 100 }, 0o777, 0, 0);
    vm.k.vfs.mount(&at, Arc::new(fs), false).unwrap();
    assert_eq!(vm.run(&["mkdir", "-p", "tree/sub"]).code, 0);
    vm.write("tree/sub/f", "payload\n");
    assert_eq!(vm.run(&["mv", "tree", "/mnt/tree"]), ok(""));
    assert_eq!(vm.run(&["ls"]), ok(""));
    assert_eq!(vm.read("/mnt/tree/sub/f"), "payload\n");
    let df = vm.run(&["df", "/mnt"]);
    assert_eq!(
        df,
        ok(
            "Filesystem     1K-blocks  Used Available Use% Mounted on\ntmpfs               1024     1      1023   1% /mnt\n"
        )
    );
}
