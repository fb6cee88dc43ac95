//! awk's `printf`/`sprintf`: C conversions `%c %d %i %o %x %X %u %e %E %f
//! %F %g %G %s %%` with flags `-+ #0`, width, precision and `*`, as gawk
//! formats them (infinities as `+inf`, `%c` of a number is that byte).

use super::value::{Value, fmt_e, fmt_f, fmt_g, nonfinite};

#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// Pad `body` (with its sign/prefix already) to the width.
fn pad(out: &mut Vec<u8>, sp: &Spec, body: &[u8], numeric: bool) {
    let n = body.len();
    if n >= sp.width {
        out.extend_from_slice(body);
        return;
    }
    let fill = sp.width - n;
    if sp.left {
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if sp.zero && numeric {
        // Zeros go after the sign or 0x prefix.
        let mut split = 0;
        if matches!(body.first(), Some(b'+' | b'-' | b' ')) {
            split = 1;
        }
        if body[split..].starts_with(b"0x") || body[split..].starts_with(b"0X") {
            split += 2;
        }
        out.extend_from_slice(&body[..split]);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(&body[split..]);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(body);
    }
}

fn sign(sp: &Spec, neg: bool) -> &'static str {
    if neg {
        "-"
    } else if sp.plus {
        "+"
    } else if sp.space {
        " "
    } else {
        ""
    }
}

fn float(out: &mut Vec<u8>, sp: &Spec, conv: u8, n: f64) {
    if !n.is_finite() {
        // gawk spells these "+inf", "-nan" in every conversion.
        let s = nonfinite(n);
        let sp2 = Spec { zero: false, ..*sp };
        pad(out, &sp2, s.as_bytes(), false);
        return;
    }
    let prec = sp.prec.unwrap_or(6);
    let neg = n.is_sign_negative();
    let a = n.abs();
    let body = match conv {
        b'e' | b'E' => fmt_e(a, prec, conv == b'E'),
        b'f' | b'F' => {
            let s = fmt_f(a, prec);
            if sp.alt && prec == 0 { s + "." } else { s }
        }
        _ => fmt_g(a, prec, conv == b'G', sp.alt),
    };
    let s = format!("{}{}", sign(sp, neg), body);
    pad(out, sp, s.as_bytes(), true);
}

fn integer(out: &mut Vec<u8>, sp: &Spec, conv: u8, n: f64) {
    if !n.is_finite() {
        let s = nonfinite(n);
        let sp2 = Spec { zero: false, ..*sp };
        pad(out, &sp2, s.as_bytes(), false);
        return;
    }
    let t = n.trunc();
    let (neg, digits) = match conv {
        b'd' | b'i' => {
            let neg = t < 0.0;
            let mag = t.abs();
            let d = if mag < 1e19 { (mag as u64).to_string() } else { format!("{mag:.0}") };
            (neg, d)
        }
        _ => {
            let u = if t < 0.0 {
                (t as i64) as u64
            } else if t < 1.8e19 {
                t as u64
            } else {
                u64::MAX
            };
            let d = match conv {
                b'o' => format!("{u:o}"),
                b'x' => format!("{u:x}"),
                b'X' => format!("{u:X}"),
                _ => u.to_string(),
            };
            (false, d)
        }
    };
    let mut digits = digits;
    if let Some(p) = sp.prec {
        if p == 0 && t == 0.0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let prefix = match conv {
        b'o' if sp.alt && !digits.starts_with('0') => "0",
        b'x' if sp.alt && t != 0.0 => "0x",
        b'X' if sp.alt && t != 0.0 => "0X",
        _ => "",
    };
    let s =
        if matches!(conv, b'd' | b'i') { format!("{}{}", sign(sp, neg), digits) } else { format!("{prefix}{digits}") };
    // A precision turns off zero padding, as in C.
    let sp2 = Spec { zero: sp.zero && sp.prec.is_none(), ..*sp };
    pad(out, &sp2, s.as_bytes(), true);
}

/// Format `args` by `fmt`. `to_str` converts a value for `%s` (CONVFMT).
/// Errors are gawk's fatal messages.
/// Errors: the message and the index in `fmt` of the conversion that had
/// no argument.
pub fn sprintf(fmt: &[u8], args: &[Value], to_str: &dyn Fn(&Value) -> Vec<u8>) -> Result<Vec<u8>, (String, usize)> {
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut ai = 0;
    let mut i = 0;
    let next_arg = |ai: &mut usize, at: usize| -> Result<&Value, (String, usize)> {
        let v = args.get(*ai).ok_or_else(|| ("not enough arguments to satisfy format string".to_string(), at))?;
        *ai += 1;
        Ok(v)
    };
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        let start = i - 1;
        let mut sp = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => sp.left = true,
                b'+' => sp.plus = true,
                b' ' => sp.space = true,
                b'#' => sp.alt = true,
                b'0' => sp.zero = true,
                _ => break,
            }
            i += 1;
        }
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = next_arg(&mut ai, i)?.to_num();
            if w < 0.0 {
                sp.left = true;
            }
            sp.width = w.abs() as usize;
        } else {
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                sp.width = sp.width * 10 + (d - b'0') as usize;
                i += 1;
            }
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = next_arg(&mut ai, i)?.to_num();
                sp.prec = (p >= 0.0).then_some(p as usize);
            } else {
                let mut p = 0;
                while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    p = p * 10 + (d - b'0') as usize;
                    i += 1;
                }
                sp.prec = Some(p);
            }
        }
        // Length modifiers are accepted and ignored.
        while matches!(fmt.get(i), Some(b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(&fmt[start..]);
            break;
        };
        i += 1;
        match conv {
            b'%' => out.push(b'%'),
            b'c' => {
                let v = next_arg(&mut ai, i - 1)?;
                let body: Vec<u8> = match v {
                    Value::Num(n) => {
                        let n = *n as u32;
                        if n < 256 {
                            vec![n as u8]
                        } else {
                            char::from_u32(n).map(|c| c.to_string().into_bytes()).unwrap_or_default()
                        }
                    }
                    v => vec![to_str(v).first().copied().unwrap_or(0)],
                };
                pad(&mut out, &sp, &body, false);
            }
            b's' => {
                let v = next_arg(&mut ai, i - 1)?;
                let s = to_str(v);
                let s = match sp.prec {
                    Some(p) if p < s.len() => &s[..p],
                    _ => &s[..],
                };
                pad(&mut out, &sp, s, false);
            }
            b'd' | b'i' | b'o' | b'x' | b'X' | b'u' => {
                let n = next_arg(&mut ai, i - 1)?.to_num();
                integer(&mut out, &sp, conv, n);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let n = next_arg(&mut ai, i - 1)?.to_num();
                float(&mut out, &sp, conv, n);
            }
            _ => out.extend_from_slice(&fmt[start..i]),
        }
    }
    Ok(out)
}

/// Format one number with a CONVFMT/OFMT-style format.
pub fn sprintf_num(fmt: &[u8], n: f64) -> Vec<u8> {
    sprintf(fmt, &[Value::Num(n)], &|_| Vec::new()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Value]) -> String {
        let to_str = |v: &Value| v.to_str(b"%.6g").to_vec();
        String::from_utf8(sprintf(fmt.as_bytes(), args, &to_str).unwrap()).unwrap()
    }

    #[test]
    fn conversions() {
        use Value::Num;
        assert_eq!(
            f("%5.2f|%-5d|%05d|%x|%o|%X", &[Num(3.14158), Num(42.0), Num(-42.0), Num(255.0), Num(8.0), Num(255.0)]),
            " 3.14|42   |-0042|ff|10|FF"
        );
        assert_eq!(
            f(
                "%c%c|%s|%.2s|%10s|",
                &[Num(65.0), Value::str(b"hello"), Value::str(b"x"), Value::str(b"abc"), Value::str(b"r")]
            ),
            "Ah|x|ab|         r|"
        );
        assert_eq!(f("%*d|%-*d|%.3d", &[Num(4.0), Num(7.0), Num(3.0), Num(1.0), Num(5.0)]), "   7|1  |005");
        assert_eq!(
            f("%e|%g|%G|%i", &[Num(12345.678), Num(0.0001), Num(1e-10), Num(3.9)]),
            "1.234568e+04|0.0001|1E-10|3"
        );
        assert_eq!(f("%+d % d %#o %#x %%", &[Num(5.0), Num(5.0), Num(8.0), Num(255.0)]), "+5  5 010 0xff %");
        assert_eq!(f("%d %s", &[Num(1.0), Num(0.5)]), "1 0.5");
        assert_eq!(f("%z %", &[]), "%z %");
        assert_eq!(f("%d", &[Num(-1e30)]), "-1000000000000000019884624838656");
        let err = sprintf(b"%d %d", &[Num(1.0)], &|_| Vec::new()).unwrap_err();
        assert_eq!(err, ("not enough arguments to satisfy format string".to_string(), 4));
    }
}
