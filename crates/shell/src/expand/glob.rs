//! Pathname expansion against the VM's filesystem (`task.readdir`): `*`,
//! `?`, `[...]`, extended globs, `**` with `globstar`, hidden files only
//! by an explicit dot (or `dotglob`), results sorted in the C locale.

use agentos_kernel::Task;

use super::pattern::{self, Pattern};
use crate::state::Shell;

impl Shell {
    /// Paths matching `pat` (quoted characters escaped), sorted; empty if
    /// none.
    pub fn glob(&self, t: &Task, pat: &str) -> Vec<String> {
        let absolute = pat.starts_with('/');
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        let trailing_slash = pat.ends_with('/') && !comps.is_empty();
        let mut paths: Vec<String> = vec![if absolute { "/".to_string() } else { String::new() }];
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let mut next = Vec::new();
            for base in &paths {
                if !pattern::has_meta(comp) {
                    let p = join(base, &pattern::unescape(comp));
                    if !last || trailing_slash || t.lstat(&p).is_ok() {
                        next.push(p);
                    }
                    continue;
                }
                if *comp == "**" && self.shopts.globstar {
                    let mut acc = Vec::new();
                    if last {
                        self.walk(t, base, &mut acc, true);
                    } else {
                        acc.push(base.clone());
                        self.walk(t, base, &mut acc, false);
                    }
                    next.extend(acc);
                    continue;
                }
                let dir = if base.is_empty() { "." } else { base.as_str() };
                let Ok(entries) = t.readdir(dir) else { continue };
                let p = Pattern::new(comp).nocase(self.shopts.nocaseglob);
                let dot_ok = p.starts_with_dot() || self.shopts.dotglob;
                for e in entries {
                    if e.name.starts_with('.') && !dot_ok {
                        continue;
                    }
                    if !p.matches(&e.name) {
                        continue;
                    }
                    let full = join(base, &e.name);
                    if (!last || trailing_slash) && !t.stat(&full).is_ok_and(|s| s.is_dir()) {
                        continue;
                    }
                    next.push(full);
                }
            }
            paths = next;
            if paths.is_empty() {
                return paths;
            }
        }
        if trailing_slash {
            for p in &mut paths {
                p.push('/');
            }
        }
        if paths.len() == 1 && (paths[0].is_empty() || paths[0] == "/") {
            return Vec::new();
        }
        paths.sort();
        paths
    }

    /// Everything under `base` (directories only unless `files`), for `**`.
    fn walk(&self, t: &Task, base: &str, acc: &mut Vec<String>, files: bool) {
        let dir = if base.is_empty() { "." } else { base };
        let Ok(entries) = t.readdir(dir) else { return };
        for e in entries {
            if e.name.starts_with('.') && !self.shopts.dotglob {
                continue;
            }
            let full = join(base, &e.name);
            let is_dir = t.stat(&full).is_ok_and(|s| s.is_dir());
            if is_dir || files {
                acc.push(full.clone());
            }
            if is_dir && !t.lstat(&full).is_ok_and(|s| s.is_symlink()) {
                self.walk(t, &full, acc, files);
            }
        }
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}
