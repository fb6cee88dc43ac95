//! `less` and `more`: pagers. Output that is not a terminal gets the
//! files unchanged, as both do; a terminal gets them too (there is no
//! interactive paging yet), which is what `less -F` does for short input.

use agentos_kernel::Task;

use crate::util::{self, Input};

fn page(task: &mut Task, name: &str) -> i32 {
    let files: Vec<String> = task.argv[1..].iter().filter(|a| !a.starts_with('-') || *a == "-").cloned().collect();
    let files = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for f in &files {
        if f != "-" && task.stat(f).is_ok_and(|s| s.is_dir()) {
            util::error(task, name, &format!("{f} is a directory"));
            status = 1;
            continue;
        }
        // more marks each named file when not paging a terminal.
        if name == "more" && f != "-" && !task.isatty(1) {
            util::out(task, format!("::::::::::::::\n{f}\n::::::::::::::\n").as_bytes());
        }
        let mut input = match Input::open(task, f) {
            Ok(i) => i,
            Err(e) => {
                util::error(task, name, &format!("{f}: {}", e.strerror()));
                status = 1;
                continue;
            }
        };
        loop {
            match input.chunk() {
                Ok([]) => break,
                Ok(c) => {
                    let c = c.to_vec();
                    util::out(task, &c);
                }
                Err(e) => {
                    util::error(task, name, &format!("{f}: {}", e.strerror()));
                    status = 1;
                    break;
                }
            }
        }
    }
    status
}

pub fn less_main(task: &mut Task) -> i32 {
    page(task, "less")
}

pub fn more_main(task: &mut Task) -> i32 {
    page(task, "more")
}
