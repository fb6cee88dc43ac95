//! Path resolution: components, `.` and `..`, symlinks in every component
//! (at most 40 hops, then `ELOOP`), mount crossings, search permission.
//!
//! Analogue: Linux `link_path_walk`. `..` is physical: it leaves the
//! directory actually reached, after symlinks, and climbs out of a mount's
//! root into the directory it covers.

use std::collections::VecDeque;

use super::{MountTable, Vfs, Vnode};
use crate::abi::{Cred, Errno, Fd, KResult, MAX_SYMLINK_HOPS, NAME_MAX, PATH_MAX, Pid, Stat, X_OK};
use crate::fs::Special;

/// Who is resolving, and from where.
#[derive(Clone, Copy, Debug)]
pub struct PathCtx<'a> {
    pub cred: Cred,
    /// Absolute canonical working directory; relative paths start here.
    pub cwd: &'a str,
    /// The caller's pid, for `/proc/self`.
    pub pid: Pid,
    /// The caller's permission tier ([`crate::policy::Tier::Full`] for the
    /// kernel's own work and the host).
    pub tier: crate::policy::Tier,
}

/// What a path names beyond a plain inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Node,
    /// A `/proc/<pid>/fd/<n>` magic link, followed as the last component.
    FdLink {
        pid: Pid,
        fd: Fd,
    },
}

/// A resolved path.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub vnode: Vnode,
    /// Canonical absolute path (no symlinks, `.` or `..`).
    pub path: String,
    pub stat: Stat,
    pub target: Target,
}

struct Frame {
    name: String,
    vnode: Vnode,
    stat: Stat,
}

fn canonical(stack: &[Frame]) -> String {
    if stack.len() == 1 {
        return "/".to_string();
    }
    let mut s = String::new();
    for f in &stack[1..] {
        s.push('/');
        s.push_str(&f.name);
    }
    s
}

/// Split a path into components, checking length limits.
pub(super) fn components(path: &str) -> KResult<VecDeque<String>> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    if path.as_bytes().contains(&0) {
        return Err(Errno::EINVAL);
    }
    let mut out = VecDeque::new();
    for c in path.split('/') {
        if c.is_empty() || c == "." {
            continue;
        }
        if c.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        out.push_back(c.to_string());
    }
    Ok(out)
}

impl Vfs {
    fn root_frame(&self, t: &MountTable) -> KResult<Frame> {
        let m = t.by_path.get("/").cloned().ok_or(Errno::EIO)?;
        let vnode = Vnode { ino: m.fs.root(), mount: m };
        let stat = vnode.stat()?;
        Ok(Frame { name: String::new(), vnode, stat })
    }

    /// The frames for the directory a relative path starts from.
    fn start(&self, t: &MountTable, ctx: &PathCtx<'_>, path: &str) -> KResult<Vec<Frame>> {
        let mut stack = vec![self.root_frame(t)?];
        if !path.starts_with('/') {
            let comps = components(ctx.cwd)?;
            let mut hops = 0;
            self.walk(t, ctx, &mut stack, comps, true, &mut hops)?;
        }
        Ok(stack)
    }

    /// Walk `comps` from the top of `stack`, pushing a frame per component.
    /// Returns the fd-link target if the last component was one.
    fn walk(
        &self,
        t: &MountTable,
        ctx: &PathCtx<'_>,
        stack: &mut Vec<Frame>,
        mut comps: VecDeque<String>,
        follow_last: bool,
        hops: &mut u32,
    ) -> KResult<Target> {
        while let Some(comp) = comps.pop_front() {
            if comp == ".." {
                if stack.len() > 1 {
                    stack.pop();
                }
                continue;
            }
            let top = stack.last().ok_or(Errno::EIO)?;
            if !top.stat.is_dir() {
                return Err(Errno::ENOTDIR);
            }
            if !ctx.cred.may(&top.stat, X_OK) {
                return Err(Errno::EACCES);
            }
            let ino = top.vnode.mount.fs.lookup(top.vnode.ino, &comp)?;
            let mut vnode = Vnode { mount: top.vnode.mount.clone(), ino };
            while let Some(m) = t.by_cover.get(&(vnode.mount.id, vnode.ino)) {
                vnode = Vnode { ino: m.fs.root(), mount: m.clone() };
            }
            let stat = vnode.stat()?;
            let last = comps.is_empty();
            if stat.is_symlink() && (!last || follow_last) {
                *hops += 1;
                if *hops > MAX_SYMLINK_HOPS {
                    return Err(Errno::ELOOP);
                }
                let target = match vnode.mount.fs.special(vnode.ino) {
                    Some(Special::ProcSelf) => ctx.pid.to_string(),
                    Some(Special::ProcFdLink { pid, fd }) if last => {
                        return self.fd_link(stack, comp, vnode, stat, pid, fd);
                    }
                    _ => vnode.mount.fs.readlink(vnode.ino)?,
                };
                if target.is_empty() {
                    return Err(Errno::ENOENT);
                }
                if target.starts_with('/') {
                    stack.truncate(1);
                }
                let mut tc = components(&target)?;
                tc.extend(comps.drain(..));
                comps = tc;
                continue;
            }
            stack.push(Frame { name: comp, vnode, stat });
        }
        Ok(Target::Node)
    }

    fn fd_link(
        &self,
        stack: &mut Vec<Frame>,
        name: String,
        vnode: Vnode,
        stat: Stat,
        pid: Pid,
        fd: Fd,
    ) -> KResult<Target> {
        stack.push(Frame { name, vnode, stat });
        Ok(Target::FdLink { pid, fd })
    }

    /// Resolve `path`. With `follow`, a symlink as the last component is
    /// followed; a trailing slash always follows and requires a directory.
    pub fn resolve(&self, ctx: &PathCtx<'_>, path: &str, follow: bool) -> KResult<Resolved> {
        let t = self.table();
        let comps = components(path)?;
        let trailing = path.ends_with('/');
        let mut stack = self.start(&t, ctx, path)?;
        let mut hops = 0;
        let target = self.walk(&t, ctx, &mut stack, comps, follow || trailing, &mut hops)?;
        let path = canonical(&stack);
        let top = stack.pop().ok_or(Errno::EIO)?;
        if trailing && target == Target::Node && !top.stat.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok(Resolved { vnode: top.vnode, path, stat: top.stat, target })
    }

    /// Resolve all but the last component of `path`, which must be a
    /// directory. Returns it, the last component (`"."`, `".."` or `""` for
    /// `/` included, for the caller to judge), and whether a slash trailed.
    pub fn resolve_parent(&self, ctx: &PathCtx<'_>, path: &str) -> KResult<(Resolved, String, bool)> {
        let t = self.table();
        let mut comps = components(path)?;
        let trailing = path.ends_with('/') && !path.trim_end_matches('/').is_empty();
        // `components` drops `.`; a final `.` still matters to the caller.
        let raw_last = path.split('/').rfind(|c| !c.is_empty());
        let last = if raw_last == Some(".") { ".".to_string() } else { comps.pop_back().unwrap_or_default() };
        let mut stack = self.start(&t, ctx, path)?;
        let mut hops = 0;
        self.walk(&t, ctx, &mut stack, comps, true, &mut hops)?;
        let parent_path = canonical(&stack);
        let top = stack.pop().ok_or(Errno::EIO)?;
        if !top.stat.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let dir = Resolved { vnode: top.vnode, path: parent_path, stat: top.stat, target: Target::Node };
        Ok((dir, last, trailing))
    }
}

/// Join a canonical directory and a name.
pub fn join(dir: &str, name: &str) -> String {
    if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") }
}

/// Lexically normalise an absolute path (`.`, `..`, repeated slashes).
pub fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() { "/".to_string() } else { format!("/{}", out.join("/")) }
}
