//! Assignment: `x=v`, `x+=v`, `a[i]=v`, `a=(...)`, honoring the
//! variable's attributes (`readonly` refuses, `-i` evaluates, `-l`/`-u`
//! convert, `allexport` exports).

use std::collections::BTreeMap;

use agentos_kernel::Task;
use brush_parser::ast;

use crate::state::{Ctl, Shell};
use crate::vars::Value;

impl Shell {
    fn check_writable(&self, t: &Task, name: &str) -> Result<(), Ctl> {
        if self.vars.get(name).is_some_and(|v| v.attrs.readonly) {
            self.error(t, &format!("{name}: readonly variable"));
            return Err(Ctl::Abort(1));
        }
        Ok(())
    }

    /// The index of `a[index]` for an indexed array (arithmetic, negative
    /// counts from the end).
    fn array_index(&mut self, t: &mut Task, name: &str, index: &str) -> Result<i64, Ctl> {
        let text = self.expand_str(t, index)?;
        let mut i = self.arith(t, &text)?;
        if i < 0 {
            let len = match self.vars.get(name).and_then(|v| v.value.as_ref()) {
                Some(Value::Indexed(m)) => m.keys().next_back().map(|k| k + 1).unwrap_or(0),
                _ => 1,
            };
            i += len;
            if i < 0 {
                self.error(t, &format!("{name}[{index}]: bad array subscript"));
                return Err(Ctl::Abort(1));
            }
        }
        Ok(i)
    }

    /// Assign `value` to `name` or `name[index]`.
    pub fn assign_ref(&mut self, t: &mut Task, name: &str, index: Option<&str>, value: &str) -> Result<(), Ctl> {
        self.assign_full(t, name, index, value, false)
    }

    /// Assign or append (`+=`) a scalar value.
    pub fn assign_full(
        &mut self,
        t: &mut Task,
        name: &str,
        index: Option<&str>,
        value: &str,
        append: bool,
    ) -> Result<(), Ctl> {
        self.check_writable(t, name)?;
        let (integer, is_assoc) = match self.vars.get(name) {
            Some(v) => (v.attrs.integer, matches!(v.value, Some(Value::Assoc(_)))),
            None => (false, false),
        };
        let key = match index {
            Some(i) if is_assoc => Some(Key::Assoc(self.expand_str(t, i)?)),
            Some(i) => Some(Key::Index(self.array_index(t, name, i)?)),
            None => None,
        };
        let old = if append {
            match &key {
                Some(Key::Assoc(k)) => match self.vars.get(name).and_then(|v| v.value.as_ref()) {
                    Some(Value::Assoc(m)) => m.get(k).cloned(),
                    _ => None,
                },
                Some(Key::Index(i)) => match self.vars.get(name).and_then(|v| v.value.as_ref()) {
                    Some(Value::Indexed(m)) => m.get(i).cloned(),
                    Some(Value::Str(s)) if *i == 0 => Some(s.clone()),
                    _ => None,
                },
                None => self.vars.get_str(name).map(str::to_string),
            }
        } else {
            None
        };
        let mut value = if integer {
            let mut v = self.arith(t, value)?;
            if let Some(o) = &old {
                v = v.wrapping_add(self.arith(t, o)?);
            }
            v.to_string()
        } else {
            format!("{}{value}", old.unwrap_or_default())
        };
        let allexport = self.opts.allexport;
        let var = self.vars.get_mut_or_create(name);
        value = var.convert(value);
        if allexport {
            var.attrs.export = true;
        }
        match key {
            None => match &mut var.value {
                Some(Value::Indexed(m)) => {
                    m.insert(0, value);
                }
                Some(Value::Assoc(m)) => {
                    m.insert("0".into(), value);
                }
                slot => *slot = Some(Value::Str(value)),
            },
            Some(Key::Assoc(k)) => match &mut var.value {
                Some(Value::Assoc(m)) => {
                    m.insert(k, value);
                }
                slot => *slot = Some(Value::Assoc(BTreeMap::from([(k, value)]))),
            },
            Some(Key::Index(i)) => match &mut var.value {
                Some(Value::Indexed(m)) => {
                    m.insert(i, value);
                }
                slot => {
                    let mut m = BTreeMap::new();
                    if let Some(Value::Str(s)) = slot.take() {
                        m.insert(0, s);
                    }
                    m.insert(i, value);
                    *slot = Some(Value::Indexed(m));
                }
            },
        }
        Ok(())
    }

    /// `name=(...)` / `name+=(...)`.
    pub fn assign_array(
        &mut self,
        t: &mut Task,
        name: &str,
        items: &[(Option<ast::Word>, ast::Word)],
        append: bool,
        force_assoc: bool,
    ) -> Result<(), Ctl> {
        self.check_writable(t, name)?;
        let existing = self.vars.get(name).and_then(|v| v.value.clone());
        let assoc = force_assoc || matches!(existing, Some(Value::Assoc(_)));
        if assoc {
            let mut m = match (append, existing) {
                (true, Some(Value::Assoc(m))) => m,
                _ => BTreeMap::new(),
            };
            for (k, v) in items {
                let key = match k {
                    Some(k) => self.expand_str(t, &k.value)?,
                    None => {
                        self.error(
                            t,
                            &format!("{name}: {}: must use subscript when assigning associative array", v.value),
                        );
                        continue;
                    }
                };
                let val = self.expand_assign(t, &v.value)?;
                m.insert(key, val);
            }
            let var = self.vars.get_mut_or_create(name);
            var.value = Some(Value::Assoc(m));
            return Ok(());
        }
        let mut m = match (append, existing) {
            (true, Some(Value::Indexed(m))) => m,
            (true, Some(Value::Str(s))) => BTreeMap::from([(0, s)]),
            _ => BTreeMap::new(),
        };
        let mut next = m.keys().next_back().map(|k| k + 1).unwrap_or(0);
        for (k, v) in items {
            match k {
                Some(k) => {
                    let text = self.expand_str(t, &k.value)?;
                    let i = self.arith(t, &text)?;
                    let val = self.expand_assign(t, &v.value)?;
                    m.insert(i, val);
                    next = i + 1;
                }
                None => {
                    for val in self.expand_words(t, &[v.value.as_str()])? {
                        m.insert(next, val);
                        next += 1;
                    }
                }
            }
        }
        let integer = self.vars.get(name).is_some_and(|v| v.attrs.integer);
        if integer {
            for v in m.values_mut() {
                *v = self.arith(t, v)?.to_string();
            }
        }
        let var = self.vars.get_mut_or_create(name);
        var.value = Some(Value::Indexed(m));
        Ok(())
    }

    /// Perform one parsed assignment (`x=v`, `a[i]+=v`, `a=(..)`).
    pub fn assign(&mut self, t: &mut Task, a: &ast::Assignment, force_assoc: bool) -> Result<(), Ctl> {
        let (name, index) = match &a.name {
            ast::AssignmentName::VariableName(n) => (n.as_str(), None),
            ast::AssignmentName::ArrayElementName(n, i) => (n.as_str(), Some(i.as_str())),
        };
        match &a.value {
            ast::AssignmentValue::Scalar(w) => {
                let v = self.expand_assign(t, &w.value)?;
                self.assign_full(t, name, index, &v, a.append)
            }
            ast::AssignmentValue::Array(items) => self.assign_array(t, name, items, a.append, force_assoc),
        }
    }

    /// Attribute letters of a variable, as `${x@a}` and `declare -p` show.
    pub fn attr_flags(&self, name: &str) -> String {
        let Some(v) = self.vars.get(name) else { return String::new() };
        let mut s = String::new();
        match v.value {
            Some(Value::Indexed(_)) => s.push('a'),
            Some(Value::Assoc(_)) => s.push('A'),
            _ => {}
        }
        if v.attrs.integer {
            s.push('i');
        }
        if v.attrs.lower {
            s.push('l');
        }
        if v.attrs.readonly {
            s.push('r');
        }
        if v.attrs.upper {
            s.push('u');
        }
        if v.attrs.export {
            s.push('x');
        }
        s
    }
}

enum Key {
    Assoc(String),
    Index(i64),
}
