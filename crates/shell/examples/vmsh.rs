//! Run `bash -c SCRIPT` inside a fresh VM and print the result framed for
//! the conformance helper: stdout length and bytes, stderr length and
//! bytes, then the status, each length on its own line.

#[path = "../tests/all/vm.rs"]
mod vm;

use std::io::Write;

// A host-side tool: it reads its own command line, not a guest's.
#[allow(clippy::disallowed_methods)]
fn main() {
    let script = std::env::args().nth(1).unwrap_or_default();
    let o = vm::run(&script);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", o.stdout.len());
    let _ = out.write_all(&o.stdout);
    let _ = writeln!(out, "{}", o.stderr.len());
    let _ = out.write_all(&o.stderr);
    let _ = writeln!(out, "{}", o.status);
}
