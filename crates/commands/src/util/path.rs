//! String-level path helpers (POSIX `basename`/`dirname` semantics) and
//! small file-type queries through the kernel.

use agentos_kernel::Task;

/// The last component, ignoring trailing slashes (`/` for `/`).
pub fn basename(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "" } else { "/" };
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// Everything before the last component (`.` if none).
pub fn dirname(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.starts_with('/') { "/" } else { "." };
    }
    match t.rfind('/') {
        None => ".",
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() { "/" } else { d }
        }
    }
}

/// `dir/name`, without doubling a slash.
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') { format!("{dir}{name}") } else { format!("{dir}/{name}") }
}

/// Whether `p` names a directory (following symlinks).
pub fn is_dir(task: &Task, p: &str) -> bool {
    task.stat(p).map(|s| s.is_dir()).unwrap_or(false)
}

/// Make `p` absolute against the task's working directory, lexically.
pub fn absolute(task: &Task, p: &str) -> String {
    if p.starts_with('/') { p.to_string() } else { join(&task.getcwd(), p) }
}

/// How much of a path must exist for [`canonicalize`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canon {
    /// Every component (`readlink -e`, `realpath -e`).
    Existing,
    /// All but the last (`readlink -f`, plain `realpath`).
    AllButLast,
    /// None (`-m`).
    Missing,
}

/// Resolve `p` to an absolute path without symlinks, `.` or `..`, the way
/// coreutils' `canonicalize_filename_mode` does.
pub fn canonicalize(task: &Task, p: &str, mode: Canon) -> Result<String, agentos_kernel::Errno> {
    use agentos_kernel::Errno;
    let mut pending: Vec<String> = p.split('/').filter(|c| !c.is_empty()).map(String::from).rev().collect();
    let mut out: Vec<String> = if p.starts_with('/') {
        Vec::new()
    } else {
        task.getcwd().split('/').filter(|c| !c.is_empty()).map(String::from).collect()
    };
    let mut hops = 0;
    while let Some(c) = pending.pop() {
        match c.as_str() {
            "." => continue,
            ".." => {
                out.pop();
                continue;
            }
            _ => {}
        }
        let cand = format!("/{}", out.iter().chain(std::iter::once(&c)).cloned().collect::<Vec<_>>().join("/"));
        match task.lstat(&cand) {
            Ok(st) if st.is_symlink() => {
                hops += 1;
                if hops > 40 {
                    return Err(Errno::ELOOP);
                }
                let target = task.readlink(&cand)?;
                if target.starts_with('/') {
                    out.clear();
                }
                for t in target.split('/').filter(|x| !x.is_empty()).rev() {
                    pending.push(t.to_string());
                }
            }
            Ok(st) => {
                if !st.is_dir() && !pending.is_empty() && mode != Canon::Missing {
                    return Err(Errno::ENOTDIR);
                }
                out.push(c);
            }
            Err(e) => {
                let last = pending.is_empty();
                match mode {
                    Canon::Missing => out.push(c),
                    Canon::AllButLast if last && e == Errno::ENOENT => out.push(c),
                    _ => return Err(e),
                }
            }
        }
    }
    Ok(format!("/{}", out.join("/")))
}

/// `to` relative to the directory `from` (both absolute and canonical).
pub fn relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').filter(|c| !c.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|c| !c.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; f.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_and_dir() {
        assert_eq!(basename("/usr/local/bin/tool"), "tool");
        assert_eq!(basename("dir/"), "dir");
        assert_eq!(basename("/"), "/");
        assert_eq!(basename("//"), "/");
        assert_eq!(dirname("/usr/local/bin"), "/usr/local");
        assert_eq!(dirname("dir/file"), "dir");
        assert_eq!(dirname("file"), ".");
        assert_eq!(dirname("/"), "/");
        assert_eq!(dirname("dir/"), ".");
        assert_eq!(dirname("a//b//"), "a");
        assert_eq!(dirname("/a"), "/");
        assert_eq!(join("/", "x"), "/x");
        assert_eq!(join("a", "x"), "a/x");
        assert_eq!(relative("/a/b", "/a/b/c/d"), "c/d");
        assert_eq!(relative("/a/b", "/a"), "..");
        assert_eq!(relative("/a/b", "/a/x/y"), "../x/y");
        assert_eq!(relative("/a", "/a"), ".");
    }
}
