//! Tab completion: command names (builtins, functions, aliases and the
//! programs on `PATH`) in command position, paths elsewhere.
//!
//! Analogue: readline's default completion in bash. Directories complete
//! with a trailing `/`; dot files only when the word starts with `.`.

use agentos_kernel::Task;

use crate::state::Shell;

/// Builtins and keywords offered as commands.
const BUILTINS: &[&str] = &[
    "alias",
    "bg",
    "break",
    "builtin",
    "cd",
    "command",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fg",
    "getopts",
    "hash",
    "jobs",
    "kill",
    "let",
    "local",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "test",
    "trap",
    "true",
    "type",
    "typeset",
    "umask",
    "unalias",
    "unset",
    "wait",
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "while",
    "until",
    "do",
    "done",
    "case",
    "esac",
    "function",
    "select",
    "time",
];

/// What can replace the word that ends at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset of the word in the text before the cursor.
    pub start: usize,
    /// Full replacements for the word, sorted; directories end in `/`.
    pub candidates: Vec<String>,
}

/// Complete the last word of `before` (the line up to the cursor).
pub fn complete(sh: &Shell, t: &Task, before: &str) -> Completion {
    let start = before.rfind(|c: char| c.is_whitespace() || ";|&(<>".contains(c)).map_or(0, |i| i + 1);
    let word = &before[start..];
    let head = before[..start].trim_end();
    let command_pos = head.is_empty() || head.ends_with([';', '|', '&', '(']);
    let mut candidates = if command_pos && !word.contains('/') { commands(sh, t, word) } else { paths(sh, t, word) };
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

fn commands(sh: &Shell, t: &Task, word: &str) -> Vec<String> {
    let mut out: Vec<String> = BUILTINS.iter().filter(|b| b.starts_with(word)).map(|b| b.to_string()).collect();
    out.extend(sh.funcs.keys().filter(|f| f.starts_with(word)).cloned());
    out.extend(sh.aliases.keys().filter(|a| a.starts_with(word)).cloned());
    let path = sh.vars.get_str("PATH").unwrap_or("").to_string();
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        if let Ok(entries) = t.readdir(dir) {
            out.extend(
                entries
                    .into_iter()
                    .filter(|e| e.name.starts_with(word) && !e.name.starts_with('.'))
                    .filter(|e| t.stat(&format!("{dir}/{}", e.name)).is_ok_and(|s| s.is_file() && s.mode & 0o111 != 0))
                    .map(|e| e.name),
            );
        }
    }
    out
}

fn paths(sh: &Shell, t: &Task, word: &str) -> Vec<String> {
    let (dir, prefix) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let home = sh.vars.get_str("HOME").unwrap_or("/").to_string();
    let lookup = if dir.is_empty() {
        ".".to_string()
    } else if let Some(rest) = dir.strip_prefix("~/") {
        format!("{home}/{rest}")
    } else {
        dir.to_string()
    };
    let Ok(entries) = t.readdir(&lookup) else { return Vec::new() };
    entries
        .into_iter()
        .filter(|e| e.name.starts_with(prefix) && (prefix.starts_with('.') || !e.name.starts_with('.')))
        .map(|e| {
            let full = format!("{}/{}", lookup.trim_end_matches('/'), e.name);
            let slash = if t.stat(&full).is_ok_and(|s| s.is_dir()) { "/" } else { "" };
            format!("{dir}{}{slash}", e.name)
        })
        .collect()
}
