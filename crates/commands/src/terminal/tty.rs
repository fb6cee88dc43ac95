//! `tty [-s]`: print the name of the terminal on standard input.

use agentos_kernel::Task;

/// `tty`: `/dev/pts/N`, or `not a tty` with status 1.
pub fn main(task: &mut Task) -> i32 {
    let mut silent = false;
    let args = task.argv[1..].to_vec();
    for a in &args {
        match a.as_str() {
            "-s" | "--silent" | "--quiet" => silent = true,
            _ => {
                let _ = task.write_all(
                    2,
                    format!("tty: extra operand '{a}'\nTry 'tty --help' for more information.\n").as_bytes(),
                );
                return 2;
            }
        }
    }
    match task.ttyname(0) {
        Ok(name) => {
            if !silent {
                let _ = task.write_all(1, format!("{name}\n").as_bytes());
            }
            0
        }
        Err(_) => {
            if !silent {
                let _ = task.write_all(1, b"not a tty\n");
            }
            1
        }
    }
}
