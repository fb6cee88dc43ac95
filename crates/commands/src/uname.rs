//! `uname [-asnrvmpio]`: the VM presents itself as x86_64 GNU/Linux
//! 6.1.0-agentos, with the VM's hostname.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "uname";

pub fn main(task: &mut Task) -> i32 {
    const LONG: &[(&str, Arg, char)] = &[
        ("all", Arg::No, 'a'),
        ("kernel-name", Arg::No, 's'),
        ("nodename", Arg::No, 'n'),
        ("kernel-release", Arg::No, 'r'),
        ("kernel-version", Arg::No, 'v'),
        ("machine", Arg::No, 'm'),
        ("processor", Arg::No, 'p'),
        ("hardware-platform", Arg::No, 'i'),
        ("operating-system", Arg::No, 'o'),
        ("help", Arg::No, 'H'),
    ];
    let p = match opts::parse(&Spec::new("asnrvmpio", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]...");
    }
    if let Some(extra) = p.operands.first() {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(extra)), 1);
    }
    let all = p.has('a');
    let host = task.hostname().to_string();
    let fields: [(char, &str); 8] = [
        ('s', "Linux"),
        ('n', &host),
        ('r', "6.1.0-agentos"),
        ('v', "#1 SMP PREEMPT_DYNAMIC agentOS"),
        ('m', "x86_64"),
        ('p', "unknown"),
        ('i', "unknown"),
        ('o', "GNU/Linux"),
    ];
    let any = fields.iter().any(|(c, _)| p.has(*c));
    let mut out: Vec<&str> = Vec::new();
    for (c, v) in fields {
        let want = if all { v != "unknown" || p.has(c) } else { p.has(c) || (!any && c == 's') };
        if want {
            out.push(v);
        }
    }
    util::out(task, format!("{}\n", out.join(" ")).as_bytes());
    0
}
