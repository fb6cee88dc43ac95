//! `column [-t] [-s SEP] [-o OUTSEP] [FILE]...`: columnate lists, like
//! util-linux column. With `-t`, a table whose columns are as wide as
//! their widest cell; otherwise entries filled down columns that fit the
//! width (`-c`, default 80) at tab stops.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "column";

const LONG: &[(&str, Arg, char)] = &[
    ("table", Arg::No, 't'),
    ("separator", Arg::Req, 's'),
    ("output-separator", Arg::Req, 'o'),
    ("columns", Arg::Req, 'c'),
    ("fillrows", Arg::No, 'x'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

/// Lay out `lines` as a table.
pub fn table(lines: &[String], seps: Option<&str>, out_sep: &str) -> String {
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match seps {
            Some(s) => l.split(|c| s.contains(c)).collect(),
            None => l.split_ascii_whitespace().collect(),
        })
        .collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; ncols];
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            out.push_str(c);
            if i + 1 < ncols {
                out.push_str(&" ".repeat(widths[i] - c.chars().count()));
                out.push_str(out_sep);
            }
        }
        out.push('\n');
    }
    out
}

/// Fill entries into columns (down first, or across with `across`).
pub fn fill(entries: &[String], width: usize, across: bool) -> String {
    let maxlen = entries.iter().map(|e| e.chars().count()).max().unwrap_or(0);
    let colw = (maxlen + 8) & !7;
    if entries.is_empty() {
        return String::new();
    }
    let ncols = (width / colw.max(1)).max(1);
    let nrows = entries.len().div_ceil(ncols);
    let mut out = String::new();
    for r in 0..nrows {
        let row: Vec<&String> = if across {
            entries.iter().skip(r * ncols).take(ncols).collect()
        } else {
            (0..ncols).filter_map(|c| entries.get(c * nrows + r)).collect()
        };
        for (i, e) in row.iter().enumerate() {
            out.push_str(e);
            if i + 1 < row.len() {
                let len = e.chars().count();
                let tabs = (colw - (len & !7)).div_ceil(8);
                out.push_str(&"\t".repeat(tabs.max(1)));
            }
        }
        out.push('\n');
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("ts:o:c:xhV", LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 1),
    };
    if p.has('h') {
        return util::help(task, NAME, "[options] [<file>...]");
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut lines = Vec::new();
    let mut status = 0;
    for f in &files {
        match util::input::read_file(task, f) {
            Ok(d) => lines.extend(String::from_utf8_lossy(&d).lines().map(String::from)),
            Err(e) => {
                util::error(task, NAME, &format!("cannot open {f}: {}", e.strerror()));
                status = 1;
            }
        }
    }
    let text = if p.has('t') {
        table(&lines, p.last('s'), p.last('o').unwrap_or("  "))
    } else {
        let width = p.last('c').and_then(|c| c.parse().ok()).unwrap_or(80);
        let entries: Vec<String> = lines.into_iter().filter(|l| !l.is_empty()).collect();
        fill(&entries, width, p.has('x'))
    };
    util::out(task, text.as_bytes());
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let l = vec!["a,b,,c".to_string(), "longer,x,y".to_string()];
        assert_eq!(table(&l, Some(","), "  "), "a       b     c\nlonger  x  y  \n");
        let l = vec!["a b   c".to_string(), "dd e f".to_string()];
        assert_eq!(table(&l, None, "|"), "a |b|c\ndd|e|f\n");
    }
}
