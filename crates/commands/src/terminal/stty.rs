//! `stty [-a] [SETTING]...`: show or change the terminal on standard
//! input: `size`, `-a`, `raw`/`-raw`/`cooked`, `sane`, `[-]echo`,
//! `[-]icanon`, `[-]isig`, `[-]icrnl`, `[-]opost`, `[-]onlcr`, `[-]echoe`,
//! `[-]echok`, `[-]echoctl`, `[-]echoke`, `[-]iexten`, `[-]noflsh`,
//! `[-]tostop`, `rows N`, `cols N`, and control characters (`intr ^C`).
//!
//! Analogue: GNU coreutils `stty`; `-a` prints the same layout, limited to
//! the flags this kernel has.

use agentos_kernel::Task;
use agentos_kernel::file::termios::*;

const NAME: &str = "stty";

fn fail(task: &Task, msg: &str) -> i32 {
    let _ = task.write_all(2, format!("{NAME}: {msg}\n").as_bytes());
    1
}

/// `^C`, `^?`, `<undef>`.
fn show_cc(c: u8) -> String {
    match c {
        0 => "<undef>".into(),
        0x7f => "^?".into(),
        c if c < 0x20 => format!("^{}", (c ^ 0x40) as char),
        c => (c as char).to_string(),
    }
}

/// Parse `^C`, `^?`, `undef`, or a single character.
fn parse_cc(s: &str) -> Option<u8> {
    match s {
        "undef" | "^-" => Some(0),
        "^?" => Some(0x7f),
        _ if s.len() == 2 && s.starts_with('^') => Some(s.as_bytes()[1].to_ascii_uppercase() ^ 0x40),
        _ if s.len() == 1 => Some(s.as_bytes()[0]),
        _ => None,
    }
}

const CCS: &[(&str, usize)] = &[
    ("intr", VINTR),
    ("quit", VQUIT),
    ("erase", VERASE),
    ("kill", VKILL),
    ("eof", VEOF),
    ("eol", VEOL),
    ("susp", VSUSP),
    ("rprnt", VREPRINT),
    ("werase", VWERASE),
    ("lnext", VLNEXT),
];

/// Which flag word a flag lives in.
#[derive(Clone, Copy)]
enum Word {
    I,
    O,
    L,
}

const FLAGS: &[(&str, Word, u32)] = &[
    ("ignbrk", Word::I, IGNBRK),
    ("brkint", Word::I, BRKINT),
    ("inlcr", Word::I, INLCR),
    ("igncr", Word::I, IGNCR),
    ("icrnl", Word::I, ICRNL),
    ("ixon", Word::I, IXON),
    ("iutf8", Word::I, IUTF8),
    ("opost", Word::O, OPOST),
    ("onlcr", Word::O, ONLCR),
    ("isig", Word::L, ISIG),
    ("icanon", Word::L, ICANON),
    ("iexten", Word::L, IEXTEN),
    ("echo", Word::L, ECHO),
    ("echoe", Word::L, ECHOE),
    ("echok", Word::L, ECHOK),
    ("echonl", Word::L, ECHONL),
    ("noflsh", Word::L, NOFLSH),
    ("tostop", Word::L, TOSTOP),
    ("echoctl", Word::L, ECHOCTL),
    ("echoke", Word::L, ECHOKE),
];

fn word(t: &mut Termios, w: Word) -> &mut u32 {
    match w {
        Word::I => &mut t.iflag,
        Word::O => &mut t.oflag,
        Word::L => &mut t.lflag,
    }
}

/// `stty -a`.
fn show_all(t: &Termios, ws: Winsize) -> String {
    let mut out = format!("speed 38400 baud; rows {}; columns {}; line = 0;\n", ws.rows, ws.cols);
    let ccs: Vec<String> = CCS.iter().map(|(n, i)| format!("{n} = {}", show_cc(t.cc[*i]))).collect();
    out.push_str(&format!("{}; min = {}; time = {};\n", ccs.join("; "), t.cc[VMIN], t.cc[VTIME]));
    out.push_str(if t.cflag & CREAD != 0 { "cs8 cread\n" } else { "cs8 -cread\n" });
    for w in [Word::I, Word::O, Word::L] {
        let mut t2 = *t;
        let bits = *word(&mut t2, w);
        let names: Vec<String> = FLAGS
            .iter()
            .filter(|(_, fw, _)| std::mem::discriminant(fw) == std::mem::discriminant(&w))
            .map(|(n, _, f)| if bits & f != 0 { n.to_string() } else { format!("-{n}") })
            .collect();
        out.push_str(&names.join(" "));
        out.push('\n');
    }
    out
}

/// `stty`.
pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut t = match task.tcgetattr(0) {
        Ok(t) => t,
        Err(e) => return fail(task, &format!("'standard input': {}", e.strerror())),
    };
    let mut ws = task.get_winsize(0).unwrap_or_default();
    if args.is_empty() || args.iter().any(|a| a == "-a" || a == "--all") {
        let _ = task.write_all(1, show_all(&t, ws).as_bytes());
        return 0;
    }
    let (old_t, old_ws) = (t, ws);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize| -> Option<String> {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "size" => {
                let _ = task.write_all(1, format!("{} {}\n", ws.rows, ws.cols).as_bytes());
            }
            "raw" => t.make_raw(),
            "-raw" | "cooked" => {
                t.iflag |= BRKINT | ICRNL | IXON;
                t.oflag |= OPOST;
                t.lflag |= ISIG | ICANON | IEXTEN;
            }
            "sane" => t = Termios::default(),
            "rows" | "cols" | "columns" => {
                let Some(n) = value(&mut i).and_then(|v| v.parse::<u16>().ok()) else {
                    return fail(task, &format!("invalid integer argument for '{a}'"));
                };
                if a == "rows" {
                    ws.rows = n;
                } else {
                    ws.cols = n;
                }
            }
            _ => {
                if let Some((_, idx)) = CCS.iter().find(|(n, _)| *n == a) {
                    let Some(c) = value(&mut i).as_deref().and_then(parse_cc) else {
                        return fail(task, &format!("invalid argument for '{a}'"));
                    };
                    t.cc[*idx] = c;
                } else if let Some((_, w, f)) = FLAGS.iter().find(|(n, _, _)| *n == a.trim_start_matches('-')) {
                    let bits = word(&mut t, *w);
                    if a.starts_with('-') {
                        *bits &= !f;
                    } else {
                        *bits |= f;
                    }
                } else if a == "min" || a == "time" {
                    let Some(n) = value(&mut i).and_then(|v| v.parse::<u8>().ok()) else {
                        return fail(task, &format!("invalid integer argument for '{a}'"));
                    };
                    t.cc[if a == "min" { VMIN } else { VTIME }] = n;
                } else {
                    return fail(task, &format!("invalid argument '{a}'\nTry 'stty --help' for more information."));
                }
            }
        }
        i += 1;
    }
    if t != old_t
        && let Err(e) = task.tcsetattr(0, SetWhen::Drain, &t)
    {
        return fail(task, &format!("'standard input': {}", e.strerror()));
    }
    if ws != old_ws
        && let Err(e) = task.set_winsize(0, ws)
    {
        return fail(task, &format!("'standard input': {}", e.strerror()));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_chars_round_trip() {
        assert_eq!(show_cc(0x03), "^C");
        assert_eq!(show_cc(0x7f), "^?");
        assert_eq!(show_cc(0), "<undef>");
        assert_eq!(parse_cc("^c"), Some(0x03));
        assert_eq!(parse_cc("^?"), Some(0x7f));
        assert_eq!(parse_cc("undef"), Some(0));
        assert_eq!(parse_cc("xy"), None);
    }

    #[test]
    fn show_all_of_a_sane_terminal() {
        let text = show_all(&Termios::default(), Winsize::default());
        assert_eq!(
            text,
            "speed 38400 baud; rows 24; columns 80; line = 0;\n\
             intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>; susp = ^Z; rprnt = ^R; \
             werase = ^W; lnext = ^V; min = 1; time = 0;\n\
             cs8 cread\n\
             -ignbrk -brkint -inlcr -igncr icrnl ixon iutf8\n\
             opost onlcr\n\
             isig icanon iexten echo echoe echok -echonl -noflsh -tostop echoctl echoke\n"
        );
    }
}
