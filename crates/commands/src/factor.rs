//! `factor [NUMBER]...`: print the prime factors of each number (up to
//! 2^128 - 1), reading numbers from standard input when none are given.
//! Trial division for small factors, then Pollard's rho with a
//! deterministic Miller–Rabin test.

use agentos_kernel::Task;

use crate::util;

const NAME: &str = "factor";

fn mul_mod(a: u128, b: u128, m: u128) -> u128 {
    if let (Ok(a64), Ok(b64)) = (u64::try_from(a), u64::try_from(b))
        && let Some(p) = (a64 as u128).checked_mul(b64 as u128)
    {
        return p % m;
    }
    // Double-and-add, to avoid overflowing 128 bits.
    let (mut a, mut b, mut r) = (a % m, b % m, 0u128);
    while b > 0 {
        if b & 1 == 1 {
            r = if r >= m - a { r - (m - a) } else { r + a };
        }
        a = if a >= m - a { a - (m - a) } else { a + a };
        b >>= 1;
    }
    r
}

fn pow_mod(mut b: u128, mut e: u128, m: u128) -> u128 {
    let mut r = 1 % m;
    b %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, b, m);
        }
        b = mul_mod(b, b, m);
        e >>= 1;
    }
    r
}

fn is_prime(n: u128) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u128, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let (mut d, mut s) = (n - 1, 0);
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'w: for a in [2u128, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53] {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'w;
            }
        }
        return false;
    }
    true
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn rho(n: u128) -> u128 {
    let mut c = 1u128;
    loop {
        let f = |x: u128| (mul_mod(x, x, n) + c) % n;
        let (mut x, mut y, mut d) = (2u128, 2u128, 1u128);
        while d == 1 {
            x = f(x);
            y = f(f(y));
            d = gcd(x.abs_diff(y), n);
        }
        if d != n {
            return d;
        }
        c += 1;
    }
}

/// The prime factors of `n`, smallest first.
pub fn factor(mut n: u128) -> Vec<u128> {
    let mut out = Vec::new();
    for p in [2u128, 3, 5] {
        while n.is_multiple_of(p) && n > 1 {
            out.push(p);
            n /= p;
        }
    }
    let mut p = 7u128;
    while p * p <= n && p < 10_000 {
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
        p += 2;
    }
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        if m == 1 {
            continue;
        }
        if is_prime(m) {
            out.push(m);
            continue;
        }
        let d = rho(m);
        stack.push(d);
        stack.push(m / d);
    }
    out.sort_unstable();
    out
}

fn one(task: &Task, s: &str, out: &mut String) -> bool {
    let t = s.strip_prefix('+').unwrap_or(s);
    match t.parse::<u128>() {
        Ok(n) if t.bytes().all(|b| b.is_ascii_digit()) => {
            out.push_str(&format!("{n}:"));
            for f in factor(n) {
                out.push_str(&format!(" {f}"));
            }
            out.push('\n');
            true
        }
        _ => {
            // factor buffers its output apart from stdio, so errors come
            // out before the results.
            util::error(task, NAME, &format!("{} is not a valid positive integer", util::quote(s)));
            false
        }
    }
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].iter().filter(|a| *a != "--").cloned().collect();
    if args.first().map(String::as_str) == Some("--help") {
        return util::help(task, NAME, "[OPTION] [NUMBER]...");
    }
    let nums = if args.is_empty() {
        match util::input::read_file(task, "-") {
            Ok(d) => String::from_utf8_lossy(&d).split_ascii_whitespace().map(String::from).collect(),
            Err(e) => {
                util::error(task, NAME, e.strerror());
                return 1;
            }
        }
    } else {
        args
    };
    let mut out = String::new();
    let mut ok = true;
    for n in &nums {
        ok &= one(task, n, &mut out);
    }
    util::out(task, out.as_bytes());
    i32::from(!ok)
}

#[cfg(test)]
mod tests {
    use super::factor;

    #[test]
    fn factors() {
        assert_eq!(factor(1), Vec::<u128>::new());
        assert_eq!(factor(12), vec![2, 2, 3]);
        assert_eq!(factor(1000000007), vec![1000000007]);
        assert_eq!(factor(600851475143), vec![71, 839, 1471, 6857]);
        assert_eq!(factor(18446744073709551617), vec![274177, 67280421310721]);
        assert_eq!(factor(1000000016000000063), vec![1000000007, 1000000009]);
    }
}
