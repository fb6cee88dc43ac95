//! `find -printf FORMAT` directives and `-ls` lines.
//!
//! Analogue: GNU findutils `print.c`. Supported directives: `%p %f %h %P
//! %H %s %k %b %m %M %y %Y %d %l %u %g %U %G %i %n %t %a %c %T@ %A@ %C@
//! %Tk %Ak %Ck %%`, with `-`/`0` flags and widths; escapes `\n \t \0 \\
//! \a \b \f \r \v` and octal `\NNN`.

use agentos_kernel::Task;
use agentos_kernel::abi::{FileType, Timespec};

use crate::util::users::Db;
use crate::util::walk::Entry;
use crate::util::{mode_string, path, time};

/// `Thu Jan  2 03:04:05.0000000000 2020` (`%t`).
fn ctime_frac(t: Timespec) -> String {
    format!("{}.{:09}0 {}", time::strftime("%a %b %e %H:%M:%S", t), t.nsec, time::strftime("%Y", t))
}

fn epoch_frac(t: Timespec) -> String {
    format!("{}.{:09}0", t.sec, t.nsec)
}

fn type_char(t: FileType) -> char {
    match t {
        FileType::Directory => 'd',
        FileType::Symlink => 'l',
        FileType::CharDevice => 'c',
        FileType::BlockDevice => 'b',
        FileType::Fifo => 'p',
        FileType::Socket => 's',
        _ => 'f',
    }
}

/// Render `fmt` for entry `e` under starting point `root`.
pub fn format(task: &Task, db: &Db, fmt: &str, e: &Entry, root: &str) -> Vec<u8> {
    let st = &e.stat;
    let b = fmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                i += 1;
                match b[i] {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'\\' => out.push(b'\\'),
                    b'c' => return out,
                    b'0'..=b'7' => {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                            v = v * 8 + (b[i] - b'0') as u32;
                            i += 1;
                            n += 1;
                        }
                        out.push(v as u8);
                        continue;
                    }
                    c => {
                        out.push(b'\\');
                        out.push(c);
                    }
                }
                i += 1;
            }
            b'%' if i + 1 < b.len() => {
                i += 1;
                let spec_start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b' ' | b'#' | b'0') {
                    i += 1;
                }
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                let spec = &fmt[spec_start..i];
                let Some(&d) = b.get(i) else {
                    out.push(b'%');
                    break;
                };
                i += 1;
                let text: String = match d {
                    b'%' => "%".into(),
                    b'p' => e.path.clone(),
                    b'f' => {
                        if e.depth == 0 {
                            path::basename(&e.path).to_string()
                        } else {
                            e.name().to_string()
                        }
                    }
                    b'h' => {
                        if e.depth == 0 {
                            match e.path.trim_end_matches('/').rfind('/') {
                                Some(0) => "/".into(),
                                Some(k) => e.path[..k].to_string(),
                                None => ".".into(),
                            }
                        } else {
                            e.path[..e.name_at].trim_end_matches('/').to_string()
                        }
                    }
                    b'P' => {
                        if e.depth == 0 {
                            String::new()
                        } else {
                            e.path[root.len()..].trim_start_matches('/').to_string()
                        }
                    }
                    b'H' => root.to_string(),
                    b's' => st.size.to_string(),
                    b'k' => st.blocks.div_ceil(2).to_string(),
                    b'b' => st.blocks.to_string(),
                    b'm' => format!("{:o}", st.mode & 0o7777),
                    b'M' => mode_string(st.mode),
                    b'y' => type_char(st.file_type()).to_string(),
                    b'Y' => {
                        let t = if st.is_symlink() {
                            match task.stat(&e.path) {
                                Ok(s) => type_char(s.file_type()),
                                Err(agentos_kernel::Errno::ELOOP) => 'L',
                                Err(_) => 'N',
                            }
                        } else {
                            type_char(st.file_type())
                        };
                        t.to_string()
                    }
                    b'd' => e.depth.to_string(),
                    b'l' => {
                        if st.is_symlink() {
                            task.readlink(&e.path).unwrap_or_default()
                        } else {
                            String::new()
                        }
                    }
                    b'u' => db.user_name(st.uid),
                    b'g' => db.group_name(st.gid),
                    b'U' => st.uid.to_string(),
                    b'G' => st.gid.to_string(),
                    b'i' => st.ino.to_string(),
                    b'n' => st.nlink.to_string(),
                    b'D' => st.dev.to_string(),
                    b't' => ctime_frac(st.mtime),
                    b'a' => ctime_frac(st.atime),
                    b'c' => ctime_frac(st.ctime),
                    b'T' | b'A' | b'C' | b'B' => {
                        let t = match d {
                            b'T' => st.mtime,
                            b'A' => st.atime,
                            b'C' => st.ctime,
                            _ => st.btime,
                        };
                        let Some(&k) = b.get(i) else { break };
                        i += 1;
                        match k {
                            b'@' => epoch_frac(t),
                            b'S' => format!("{}.{:09}0", time::strftime("%S", t), t.nsec),
                            b'T' => format!("{}.{:09}0", time::strftime("%H:%M:%S", t), t.nsec),
                            b'+' => format!(
                                "{}+{}.{:09}0",
                                time::strftime("%Y-%m-%d", t),
                                time::strftime("%H:%M:%S", t),
                                t.nsec
                            ),
                            k => time::strftime(&format!("%{}", k as char), t),
                        }
                    }
                    c => {
                        // Unknown directive: GNU prints it as is.
                        out.push(b'%');
                        out.push(c);
                        continue;
                    }
                };
                out.extend_from_slice(
                    pad(spec, &text, matches!(d, b's' | b'k' | b'b' | b'd' | b'i' | b'n' | b'U' | b'G')).as_bytes(),
                );
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Apply a `-`/`0`/width spec to a rendered field.
fn pad(spec: &str, text: &str, numeric: bool) -> String {
    let left = spec.contains('-');
    let zero = numeric && spec.trim_start_matches(['-', '+', ' ', '#']).starts_with('0');
    let digits: String = spec.chars().skip_while(|c| "-+ #0".contains(*c)).take_while(|c| c.is_ascii_digit()).collect();
    let width: usize = digits.parse().unwrap_or(0);
    let text = match spec.find('.') {
        Some(k) if !numeric => {
            let prec: usize = spec[k + 1..].parse().unwrap_or(0);
            text.chars().take(prec).collect()
        }
        _ => text.to_string(),
    };
    let n = text.chars().count();
    if n >= width {
        return text;
    }
    let fill = width - n;
    if left {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{text}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

/// One `-ls` line, as `ls -dils` prints it.
pub fn ls_line(task: &Task, db: &Db, e: &Entry, now: Timespec) -> Vec<u8> {
    let st = &e.stat;
    let six_months = 60 * 60 * 24 * 365 / 2;
    let when = if (now.sec - st.mtime.sec).abs() > six_months || st.mtime.sec > now.sec {
        time::strftime("%b %e  %Y", st.mtime)
    } else {
        time::strftime("%b %e %H:%M", st.mtime)
    };
    let mut s = format!(
        "{:>9} {:>6} {} {:>3} {:<8} {:<8} {:>8} {} {}",
        st.ino,
        st.blocks.div_ceil(2),
        mode_string(st.mode),
        st.nlink,
        db.user_name(st.uid),
        db.group_name(st.gid),
        st.size,
        when,
        e.path
    );
    if st.is_symlink() {
        s.push_str(" -> ");
        s.push_str(&task.readlink(&e.path).unwrap_or_default());
    }
    s.push('\n');
    s.into_bytes()
}
