//! `which [-a] COMMAND...`: the executables the shell would run, found on
//! `PATH` (Debian's `which`: silent on misses, exit 1).

use agentos_kernel::Task;
use agentos_kernel::abi::X_OK;

use crate::util;

pub fn main(task: &mut Task) -> i32 {
    let mut all = false;
    let mut names = Vec::new();
    for a in &task.argv[1..] {
        match a.as_str() {
            "-a" => all = true,
            "-s" => {}
            s => names.push(s.to_string()),
        }
    }
    if names.is_empty() {
        return 1;
    }
    let path = task.getenv("PATH").unwrap_or(agentos_kernel::rootfs::DEFAULT_PATH).to_string();
    let mut status = 0;
    let mut out = String::new();
    for n in &names {
        let mut found = false;
        let cands: Vec<String> = if n.contains('/') {
            vec![n.clone()]
        } else {
            path.split(':').map(|d| util::path::join(if d.is_empty() { "." } else { d }, n)).collect()
        };
        for c in cands {
            if task.stat(&c).is_ok_and(|s| s.is_file()) && task.access(&c, X_OK).is_ok() {
                out.push_str(&c);
                out.push('\n');
                found = true;
                if !all {
                    break;
                }
            }
        }
        if !found {
            status = 1;
        }
    }
    util::out(task, out.as_bytes());
    status
}
