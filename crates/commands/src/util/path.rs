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
    }
}
