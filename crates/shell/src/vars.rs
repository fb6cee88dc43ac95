//! Shell variables: scalars, indexed and associative arrays, their
//! attributes (`export`, `readonly`, `-i`, `-l`, `-u`), and the scope stack
//! that `local` pushes onto (bash's dynamic scoping: a function sees its
//! callers' locals).

use std::collections::{BTreeMap, HashMap};

/// A variable's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Indexed(BTreeMap<i64, String>),
    Assoc(BTreeMap<String, String>),
}

impl Value {
    /// The scalar view: element 0 of an indexed array, `[0]` of an
    /// associative one.
    pub fn scalar(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Indexed(m) => m.get(&0).map(|s| s.as_str()),
            Value::Assoc(m) => m.get("0").map(|s| s.as_str()),
        }
    }

    /// All element values in index order.
    pub fn values(&self) -> Vec<String> {
        match self {
            Value::Str(s) => vec![s.clone()],
            Value::Indexed(m) => m.values().cloned().collect(),
            Value::Assoc(m) => m.values().cloned().collect(),
        }
    }

    /// All keys, as text.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Value::Str(_) => vec!["0".into()],
            Value::Indexed(m) => m.keys().map(|k| k.to_string()).collect(),
            Value::Assoc(m) => m.keys().cloned().collect(),
        }
    }
}

/// Attribute flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub export: bool,
    pub readonly: bool,
    pub integer: bool,
    pub lower: bool,
    pub upper: bool,
}

/// One variable. `value` is `None` when declared but unset (`local x`).
#[derive(Clone, Debug, Default)]
pub struct Var {
    pub value: Option<Value>,
    pub attrs: Attrs,
}

impl Var {
    /// Apply `-l`/`-u` to a value being stored.
    pub fn convert(&self, s: String) -> String {
        if self.attrs.lower {
            s.to_lowercase()
        } else if self.attrs.upper {
            s.to_uppercase()
        } else {
            s
        }
    }
}

/// The scope stack: globals plus one frame per active function call.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    globals: HashMap<String, Var>,
    frames: Vec<HashMap<String, Var>>,
}

impl Vars {
    pub fn get(&self, name: &str) -> Option<&Var> {
        for f in self.frames.iter().rev() {
            if let Some(v) = f.get(name) {
                return Some(v);
            }
        }
        self.globals.get(name)
    }

    /// The variable `name` where it lives (innermost scope), created as a
    /// global if it does not exist.
    pub fn get_mut_or_create(&mut self, name: &str) -> &mut Var {
        let pos = self.frames.iter().rposition(|f| f.contains_key(name));
        match pos {
            Some(i) => self.frames[i].entry(name.to_string()).or_default(),
            None => self.globals.entry(name.to_string()).or_default(),
        }
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Var> {
        let pos = self.frames.iter().rposition(|f| f.contains_key(name));
        match pos {
            Some(i) => self.frames[i].get_mut(name),
            None => self.globals.get_mut(name),
        }
    }

    /// The scalar value of `name`, if set.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.value.as_ref()).and_then(|v| v.scalar())
    }

    /// Set a scalar without attribute processing (for the shell's own
    /// bookkeeping variables).
    pub fn set_str(&mut self, name: &str, value: impl Into<String>) {
        self.get_mut_or_create(name).value = Some(Value::Str(value.into()));
    }

    /// Set an array (bookkeeping, e.g. `PIPESTATUS`, `BASH_REMATCH`).
    pub fn set_array(&mut self, name: &str, items: Vec<String>) {
        let m = items.into_iter().enumerate().map(|(i, s)| (i as i64, s)).collect();
        self.get_mut_or_create(name).value = Some(Value::Indexed(m));
    }

    /// Whether a function frame is active.
    pub fn in_function(&self) -> bool {
        !self.frames.is_empty()
    }

    pub fn push_frame(&mut self) {
        self.frames.push(HashMap::new());
    }

    pub fn pop_frame(&mut self) {
        self.frames.pop();
    }

    /// Make `name` local to the current function (unset, unless it already
    /// is local there). Returns the variable.
    pub fn make_local(&mut self, name: &str) -> &mut Var {
        let outer_attrs = self.get(name).map(|v| v.attrs).unwrap_or_default();
        match self.frames.last_mut() {
            Some(f) => f.entry(name.to_string()).or_insert_with(|| Var {
                value: None,
                attrs: Attrs { export: outer_attrs.export, ..Attrs::default() },
            }),
            None => self.globals.entry(name.to_string()).or_default(),
        }
    }

    /// Unset `name`. A local of the current function stays declared (and
    /// shadows outer ones), as in bash.
    pub fn unset(&mut self, name: &str) {
        if let Some(f) = self.frames.last_mut()
            && let Some(v) = f.get_mut(name)
        {
            v.value = None;
            return;
        }
        if let Some(i) = self.frames.iter().rposition(|f| f.contains_key(name)) {
            self.frames[i].remove(name);
            return;
        }
        self.globals.remove(name);
    }

    /// Names of all visible variables, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.globals.keys().cloned().collect();
        for f in &self.frames {
            v.extend(f.keys().cloned());
        }
        v.sort();
        v.dedup();
        v
    }

    /// The environment for a child process: exported, set scalars.
    pub fn environ(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for name in self.names() {
            if let Some(v) = self.get(&name)
                && v.attrs.export
                && let Some(val) = v.value.as_ref().and_then(|x| x.scalar())
            {
                out.push((name, val.to_string()));
            }
        }
        out
    }
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let mut v = Vars::default();
        v.set_str("x", "global");
        v.push_frame();
        v.make_local("x");
        assert_eq!(v.get_str("x"), None);
        v.set_str("x", "inner");
        assert_eq!(v.get_str("x"), Some("inner"));
        v.set_str("y", "set-in-f");
        v.pop_frame();
        assert_eq!(v.get_str("x"), Some("global"));
        assert_eq!(v.get_str("y"), Some("set-in-f"));
        assert!(is_name("_a1"));
        assert!(!is_name("1abc"));
    }
}
