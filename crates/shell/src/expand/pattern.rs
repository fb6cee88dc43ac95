//! Shell pattern matching (`fnmatch(3)` with bash's extended globs), used by
//! `case`, `[[ == ]]`, `${x#pat}`-style operators and pathname expansion.
//!
//! Pattern text comes out of word expansion with quoted characters escaped
//! by a backslash, so `\*` always means a literal star.

/// One element of a compiled pattern.
#[derive(Clone, Debug)]
enum Node {
    Lit(char),
    /// `?`
    Any,
    /// `*`
    Star,
    /// `[...]`: negated?, members.
    Class(bool, Vec<ClassItem>),
    /// `?(..)`, `*(..)`, `+(..)`, `@(..)`, `!(..)`.
    Ext(char, Vec<Vec<Node>>),
}

#[derive(Clone, Debug)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    nodes: Vec<Node>,
    nocase: bool,
}

/// Whether `p` contains an unescaped glob metacharacter.
pub fn has_meta(p: &str) -> bool {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            b'+' | b'@' | b'!' if b.get(i + 1) == Some(&b'(') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Remove the escaping backslashes of a pattern (its literal meaning).
pub fn unescape(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            } else {
                out.push('\\');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escape every pattern metacharacter of `s` so it matches literally.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '(' | ')' | '|' | '!' | '+' | '@') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn parse(chars: &[char], i: &mut usize, stop_at_alt: bool) -> Vec<Node> {
    let mut nodes = Vec::new();
    while *i < chars.len() {
        let c = chars[*i];
        if stop_at_alt && (c == '|' || c == ')') {
            return nodes;
        }
        match c {
            '\\' => {
                *i += 1;
                nodes.push(Node::Lit(chars.get(*i).copied().unwrap_or('\\')));
                *i += 1;
            }
            '?' | '*' | '+' | '@' | '!' if chars.get(*i + 1) == Some(&'(') && has_close(chars, *i + 1) => {
                *i += 2;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse(chars, i, true));
                    match chars.get(*i) {
                        Some('|') => *i += 1,
                        _ => {
                            *i += 1;
                            break;
                        }
                    }
                }
                nodes.push(Node::Ext(c, alts));
            }
            '?' => {
                nodes.push(Node::Any);
                *i += 1;
            }
            '*' => {
                if !matches!(nodes.last(), Some(Node::Star)) {
                    nodes.push(Node::Star);
                }
                *i += 1;
            }
            '[' => match parse_class(chars, *i) {
                Some((node, next)) => {
                    nodes.push(node);
                    *i = next;
                }
                None => {
                    nodes.push(Node::Lit('['));
                    *i += 1;
                }
            },
            _ => {
                nodes.push(Node::Lit(c));
                *i += 1;
            }
        }
    }
    nodes
}

/// Whether the `(` at `open` has a matching `)`.
fn has_close(chars: &[char], open: usize) -> bool {
    let mut depth = 0;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

fn parse_class(chars: &[char], start: usize) -> Option<(Node, usize)> {
    let mut i = start + 1;
    let neg = matches!(chars.get(i), Some('!') | Some('^'));
    if neg {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Node::Class(neg, items), i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                items.push(ClassItem::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&h| h != ']') {
            let mut hi = chars[i + 2];
            i += 2;
            if hi == '\\' {
                i += 1;
                hi = *chars.get(i)?;
            }
            items.push(ClassItem::Range(lo, hi));
        } else {
            items.push(ClassItem::Char(lo));
        }
        i += 1;
    }
}

fn class_has(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_control(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && c != ' ',
        "word" => c.is_alphanumeric() || c == '_',
        _ => false,
    }
}

fn fold(c: char, nocase: bool) -> char {
    if nocase { c.to_ascii_lowercase() } else { c }
}

fn class_match(neg: bool, items: &[ClassItem], c: char, nocase: bool) -> bool {
    let c = fold(c, nocase);
    let hit = items.iter().any(|it| match it {
        ClassItem::Char(x) => fold(*x, nocase) == c,
        ClassItem::Range(lo, hi) => (fold(*lo, nocase)..=fold(*hi, nocase)).contains(&c),
        ClassItem::Named(n) => class_has(n, c),
    });
    hit != neg
}

impl Pattern {
    pub fn new(p: &str) -> Pattern {
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        Pattern { nodes: parse(&chars, &mut i, false), nocase: false }
    }

    /// Match case-insensitively (`nocaseglob`, `nocasematch`).
    pub fn nocase(mut self, on: bool) -> Pattern {
        self.nocase = on;
        self
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        self.matches_chars(&chars)
    }

    pub fn matches_chars(&self, s: &[char]) -> bool {
        m(&self.nodes, s, self.nocase)
    }

    /// Whether the pattern begins with a literal `.` (needed to match
    /// hidden files).
    pub fn starts_with_dot(&self) -> bool {
        matches!(self.nodes.first(), Some(Node::Lit('.')))
    }
}

fn m(p: &[Node], s: &[char], nocase: bool) -> bool {
    let Some((first, rest)) = p.split_first() else { return s.is_empty() };
    match first {
        Node::Lit(c) => s.first().is_some_and(|x| fold(*x, nocase) == fold(*c, nocase)) && m(rest, &s[1..], nocase),
        Node::Any => !s.is_empty() && m(rest, &s[1..], nocase),
        Node::Class(neg, items) => {
            s.first().is_some_and(|x| class_match(*neg, items, *x, nocase)) && m(rest, &s[1..], nocase)
        }
        Node::Star => {
            if rest.is_empty() {
                return true;
            }
            (0..=s.len()).any(|k| m(rest, &s[k..], nocase))
        }
        Node::Ext(kind, alts) => {
            (0..=s.len()).any(|k| ext_prefix(*kind, alts, &s[..k], nocase) && m(rest, &s[k..], nocase))
        }
    }
}

/// Whether `s` (exactly) matches the extended-glob group.
fn ext_prefix(kind: char, alts: &[Vec<Node>], s: &[char], nocase: bool) -> bool {
    let one = |t: &[char]| alts.iter().any(|a| m(a, t, nocase));
    match kind {
        '@' => one(s),
        '?' => s.is_empty() || one(s),
        '!' => !one(s),
        '*' => s.is_empty() || repeat(alts, s, nocase),
        _ => !s.is_empty() && repeat(alts, s, nocase),
    }
}

/// One or more concatenated matches of the alternatives.
fn repeat(alts: &[Vec<Node>], s: &[char], nocase: bool) -> bool {
    if s.is_empty() {
        return true;
    }
    (1..=s.len()).any(|k| alts.iter().any(|a| m(a, &s[..k], nocase)) && repeat(alts, &s[k..], nocase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(p: &str, s: &str) -> bool {
        Pattern::new(p).matches(s)
    }

    #[test]
    fn basics() {
        assert!(t("*.txt", "a.txt"));
        assert!(!t("*.txt", "a.log"));
        assert!(t("a?c", "abc"));
        assert!(t("[a-c]x", "bx"));
        assert!(!t("[!a-c]x", "bx"));
        assert!(t("[^a]1", "b1"));
        assert!(t("\\*", "*"));
        assert!(!t("\\*", "x"));
        assert!(t("[[:upper:]]*", "B2"));
        assert!(t("*[[:punct:]]", "c_"));
        assert!(t("[x", "[x"));
        assert!(t("*rr*", "cherry"));
        assert!(t("", ""));
        assert!(t("[]]", "]"));
    }

    #[test]
    fn extglob() {
        assert!(t("!(*.txt)", "b.log"));
        assert!(!t("!(*.txt)", "a.txt"));
        assert!(t("*.@(log|md)", "c.md"));
        assert!(t("+(a|b).*", "ab.txt"));
        assert!(!t("+(a|b).*", "c.txt"));
        assert!(t("?(x)y", "y"));
        assert!(t("*(ab)", "abab"));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a*b"), "a\\*b");
        assert_eq!(unescape("a\\*b"), "a*b");
        assert!(has_meta("a*"));
        assert!(!has_meta("a\\*"));
        assert!(t(&escape("[x]"), "[x]"));
    }
}
