//! Glue over `brush-parser`: parse shell source into its AST, and turn its
//! errors into bash's messages (`syntax error near unexpected token
//! `fi'`, `unexpected EOF while looking for matching `"'`, ...).
//!
//! bash reads and runs a script one complete command at a time, so the
//! commands before a syntax error still run; [`parse_prefix`] finds the
//! longest run of leading lines that parses, for the executor to run
//! before it reports the error.

use brush_parser::ast::Program;
use brush_parser::{ParseError, Parser, ParserOptions, TokenizerError};

/// A syntax error, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Line the error is reported at (1-based).
    pub line: usize,
    /// `(line, message)` pairs to print, in order.
    pub messages: Vec<(usize, String)>,
}

fn options() -> ParserOptions {
    ParserOptions { tilde_expansion_at_word_start: false, ..ParserOptions::default() }
}

fn raw_parse(text: &str) -> Result<Program, ParseError> {
    let mut p = Parser::new(std::io::Cursor::new(text.as_bytes()), &options());
    p.parse_program()
}

/// A parsed program and the warnings bash would print while reading it.
pub struct Parsed {
    pub program: Program,
    /// `(line, message)`.
    pub warnings: Vec<(usize, String)>,
}

/// `for ((;;))`: brush-parser rejects empty parts (`;;` lexes as one
/// operator), so give them neutral values: `0` for the initializer and
/// update, `1` (true) for the condition.
fn rewrite_empty_for_parts(text: &str) -> Option<String> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"\bfor(\s*)\(\(([^;()]*);([^;()]*);([^()]*)\)\)").ok()).as_ref()?;
    let mut changed = false;
    let out = re.replace_all(text, |c: &regex::Captures| {
        let mut part = |i: usize, dflt: &str| {
            let p = &c[i];
            if p.trim().is_empty() {
                changed = true;
                dflt.to_string()
            } else {
                p.to_string()
            }
        };
        let (a, b, d) = (part(2, "0"), part(3, "1"), part(4, "0"));
        format!("for{}(({a};{b};{d}))", &c[1])
    });
    changed.then(|| out.into_owned())
}

/// Parse a whole source text.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let mut warnings = Vec::new();
    let first = match rewrite_empty_for_parts(text) {
        Some(t) => raw_parse(&t),
        None => raw_parse(text),
    };
    match first {
        Ok(program) => Ok(Parsed { program, warnings }),
        Err(ParseError::Tokenizing { inner: TokenizerError::UnterminatedHereDocuments(tags, at), .. }) => {
            // bash ends an unterminated here-document at end of file,
            // with a warning.
            let mut fixed = text.to_string();
            if !fixed.ends_with('\n') {
                fixed.push('\n');
            }
            let start = at.split(',').next().and_then(|l| l.trim().parse::<usize>().ok()).unwrap_or(1);
            let line = fixed.matches('\n').count();
            for tag in tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let tag = tag.trim_matches(|c| c == '\'' || c == '"');
                warnings.push((
                    line,
                    format!("warning: here-document at line {start} delimited by end-of-file (wanted `{tag}')"),
                ));
                fixed.push_str(tag);
                fixed.push('\n');
            }
            let program = raw_parse(&fixed).map_err(|e| describe(text, e))?;
            Ok(Parsed { program, warnings })
        }
        Err(e) => Err(describe(text, e)),
    }
}

/// The program made of the longest prefix of whole lines before `line`
/// that parses by itself (what bash would already have run).
pub fn parse_prefix(text: &str, line: usize) -> Option<Program> {
    let starts: Vec<usize> =
        std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(|&i| i <= text.len()).collect();
    let mut k = line.saturating_sub(1).min(starts.len().saturating_sub(1));
    while k > 0 {
        let prefix = &text[..starts[k]];
        if let Ok(p) = raw_parse(prefix) {
            return Some(p);
        }
        k -= 1;
    }
    None
}

fn line_text(text: &str, line: usize) -> &str {
    text.split('\n').nth(line.saturating_sub(1)).unwrap_or("")
}

/// Line number bash gives to "unexpected end of file".
fn eof_line(text: &str) -> usize {
    text.matches('\n').count() + 1
}

const RESERVED: [&str; 12] = ["fi", "then", "else", "elif", "do", "done", "esac", "in", "}", "{", "!", "function"];

fn describe(text: &str, e: ParseError) -> SyntaxError {
    match e {
        ParseError::ParsingAtEndOfInput => {
            // Find a bad token the parser only noticed at the end by
            // appending an always-invalid sentinel.
            let probe = format!("{text}\n;;\n");
            if let Err(ParseError::ParsingNear(pos)) = raw_parse(&probe)
                && pos.index <= text.len()
            {
                let (tok, line) = token_at(text, pos.index, pos.line);
                return near(text, line, &tok);
            }
            let trimmed = text.trim_end();
            if trimmed.ends_with('(') && !trimmed.ends_with("$(") {
                let line = trimmed.matches('\n').count() + 1;
                return near(text, line, "newline");
            }
            let line = eof_line(text);
            SyntaxError { line, messages: vec![(line, "syntax error: unexpected end of file".into())] }
        }
        ParseError::ParsingNear(pos) => {
            let (tok, line) = token_at(text, pos.index, pos.line);
            near(text, line, &tok)
        }
        ParseError::Tokenizing { inner, position } => {
            let quote = match &inner {
                TokenizerError::UnterminatedSingleQuote(p) => Some(('\'', p.line)),
                TokenizerError::UnterminatedDoubleQuote(p) => Some(('"', p.line)),
                TokenizerError::UnterminatedBackquote(p) => Some(('`', p.line)),
                TokenizerError::UnterminatedAnsiCQuote(p) => Some(('\'', p.line)),
                TokenizerError::UnterminatedCommandSubstitution => Some((')', eof_line(text))),
                TokenizerError::UnterminatedVariable => Some(('}', eof_line(text))),
                _ => None,
            };
            match quote {
                Some((q, line)) => SyntaxError {
                    line,
                    messages: vec![
                        (line, format!("unexpected EOF while looking for matching `{q}'")),
                        (eof_line(text), "syntax error: unexpected end of file".into()),
                    ],
                },
                None => {
                    let line = position.map(|p| p.line).unwrap_or_else(|| eof_line(text));
                    SyntaxError { line, messages: vec![(line, "syntax error: unexpected end of file".into())] }
                }
            }
        }
    }
}

fn near(text: &str, line: usize, tok: &str) -> SyntaxError {
    SyntaxError {
        line,
        messages: vec![
            (line, format!("syntax error near unexpected token `{tok}'")),
            (line, format!("`{}'", line_text(text, line))),
        ],
    }
}

/// The token bash would blame for an error the parser reported at byte
/// `index`: the token there, or the reserved word just before it.
fn token_at(text: &str, index: usize, line: usize) -> (String, usize) {
    let Ok(tokens) = brush_parser::tokenize_str(text) else {
        return ("newline".into(), line);
    };
    let mut prev: Option<(String, usize)> = None;
    for tok in &tokens {
        let loc = tok.location();
        let s = tok.to_str().to_string();
        if loc.start.index >= index {
            let here = if s == "\n" { "newline".to_string() } else { s.clone() };
            if (matches!(s.as_str(), "\n" | ";") || loc.start.index > index)
                && let Some((p, l)) = prev
                && RESERVED.contains(&p.as_str())
            {
                return (p, l);
            }
            return (here, loc.start.line);
        }
        prev = Some((s, loc.start.line));
    }
    match prev {
        Some((p, l)) if RESERVED.contains(&p.as_str()) => (p, l),
        _ => ("newline".into(), line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgs(text: &str) -> Vec<(usize, String)> {
        parse(text).err().map(|e| e.messages).unwrap_or_default()
    }

    #[test]
    fn errors() {
        assert_eq!(
            msgs("echo one\necho two )\necho three\n"),
            vec![(2, "syntax error near unexpected token `)'".into()), (2, "`echo two )'".into())]
        );
        assert_eq!(msgs("fi")[0].1, "syntax error near unexpected token `fi'");
        assert_eq!(msgs("if then")[0].1, "syntax error near unexpected token `then'");
        assert_eq!(msgs("echo (")[0].1, "syntax error near unexpected token `newline'");
        assert_eq!(
            msgs("echo before\nif true; then\necho missing fi\n"),
            vec![(4, "syntax error: unexpected end of file".into())]
        );
        assert_eq!(msgs("echo \"abc")[0], (1, "unexpected EOF while looking for matching `\"'".into()));
    }

    #[test]
    fn empty_for_parts() {
        assert_eq!(rewrite_empty_for_parts("for ((;;)); do :; done").as_deref(), Some("for ((0;1;0)); do :; done"));
        assert_eq!(rewrite_empty_for_parts("for ((i=0;i<3;i++))"), None);
        assert!(parse("i=0\nfor ((;;)); do ((i++)); [ $i -ge 3 ] && break; done\n").is_ok());
    }

    #[test]
    fn prefix() {
        let p = parse_prefix("echo one\necho two )\necho three\n", 2);
        assert_eq!(p.map(|p| p.complete_commands.len()), Some(1));
    }
}
