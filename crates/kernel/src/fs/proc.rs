//! `/proc`: process and system information generated from kernel state.
//!
//! Analogue: Linux `fs/proc`. Inode numbers encode what they show:
//! `pid << 16 | kind` for per-process entries, `pid << 16 | 0x8000 | fd`
//! for descriptor links. Files report size 0 and are generated on read.

use std::fmt::Write as _;
use std::sync::{Arc, Weak};

use crate::abi::{DirEntry, Errno, FileType, KResult, S_IFDIR, S_IFLNK, S_IFREG, Stat};
use crate::fs::{FileSystem, Ino, NewNode, SetAttr, Special};
use crate::kernel::KernelInner;
use crate::process::Process;

const ROOT: Ino = 1;
const SELF: Ino = 2;
const SYS_FILES: &[(&str, Ino)] =
    &[("cpuinfo", 3), ("loadavg", 4), ("meminfo", 5), ("mounts", 6), ("uptime", 7), ("version", 8), ("filesystems", 9)];

const K_DIR: u64 = 0;
const K_CMDLINE: u64 = 1;
const K_COMM: u64 = 2;
const K_CWD: u64 = 3;
const K_ENVIRON: u64 = 4;
const K_FD: u64 = 5;
const K_STAT: u64 = 6;
const K_STATUS: u64 = 7;
const PID_FILES: &[(&str, u64)] = &[
    ("cmdline", K_CMDLINE),
    ("comm", K_COMM),
    ("cwd", K_CWD),
    ("environ", K_ENVIRON),
    ("fd", K_FD),
    ("stat", K_STAT),
    ("status", K_STATUS),
];
const FD_BIT: u64 = 0x8000;

/// The `/proc` filesystem of one kernel.
pub struct ProcFs {
    kernel: Weak<KernelInner>,
}

impl ProcFs {
    pub fn new(kernel: Weak<KernelInner>) -> ProcFs {
        ProcFs { kernel }
    }

    fn kernel(&self) -> KResult<Arc<KernelInner>> {
        self.kernel.upgrade().ok_or(Errno::ENOENT)
    }

    fn proc_of(&self, ino: Ino) -> KResult<Arc<Process>> {
        let pid = (ino >> 16) as i32;
        let k = self.kernel()?;
        let p = k.procs.lock().get(pid).ok_or(Errno::ENOENT)?;
        if pid <= 1 {
            return Err(Errno::ENOENT);
        }
        Ok(p)
    }

    fn generate(&self, ino: Ino) -> KResult<Vec<u8>> {
        let k = self.kernel()?;
        let mut s = String::new();
        match ino {
            3 => {
                s.push_str("processor\t: 0\nvendor_id\t: agentOS\nmodel name\t: agentOS virtual CPU\ncpu MHz\t\t: 1000.000\ncache size\t: 0 KB\ncpu cores\t: 1\nflags\t\t:\n\n");
            }
            4 => {
                let n = k.procs.lock().count();
                let _ = writeln!(s, "0.00 0.00 0.00 1/{n} {}", k.procs.lock().map.keys().last().copied().unwrap_or(1));
            }
            5 => {
                let usage = k.vfs.root_mount().fs.usage();
                let total = 1u64 << 20;
                let used = usage.bytes_used / 1024;
                let free = total.saturating_sub(used);
                let _ = write!(
                    s,
                    "MemTotal:       {total:>8} kB\nMemFree:        {free:>8} kB\nMemAvailable:   {free:>8} kB\nBuffers:               0 kB\nCached:         {used:>8} kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n"
                );
            }
            6 => {
                for m in k.vfs.mounts() {
                    let src = if m.path == "/" { "rootfs" } else { m.fs.fs_type() };
                    let _ = writeln!(
                        s,
                        "{src} {} {} {} 0 0",
                        m.path,
                        m.fs.fs_type(),
                        if m.read_only { "ro" } else { "rw" }
                    );
                }
            }
            7 => {
                let up = k.clock.monotonic().as_nanos() - k.boot.as_nanos();
                let secs = up as f64 / 1e9;
                let _ = writeln!(s, "{secs:.2} {secs:.2}");
            }
            8 => s.push_str("Linux version 6.1.0-agentos (agentos@agentos) #1 SMP\n"),
            9 => s.push_str("nodev\ttmpfs\nnodev\tproc\n"),
            _ => {
                let p = self.proc_of(ino)?;
                let st = p.state.lock();
                let comm = st.argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string()).unwrap_or_default();
                let comm: String = comm.chars().take(15).collect();
                match ino & 0xffff {
                    K_CMDLINE => {
                        let mut v = Vec::new();
                        for a in &st.argv {
                            v.extend_from_slice(a.as_bytes());
                            v.push(0);
                        }
                        return Ok(v);
                    }
                    K_ENVIRON => {
                        let mut v = Vec::new();
                        for (k, val) in &st.env {
                            v.extend_from_slice(format!("{k}={val}").as_bytes());
                            v.push(0);
                        }
                        return Ok(v);
                    }
                    K_COMM => {
                        let _ = writeln!(s, "{comm}");
                    }
                    K_STATUS => {
                        let state = if st.status.is_some() {
                            "Z (zombie)"
                        } else if st.sig.stopped.is_some() {
                            "T (stopped)"
                        } else {
                            "S (sleeping)"
                        };
                        let _ = write!(
                            s,
                            "Name:\t{comm}\nUmask:\t{:04o}\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{}\nUid:\t{u}\t{u}\t{u}\t{u}\nGid:\t{g}\t{g}\t{g}\t{g}\nFDSize:\t64\nThreads:\t1\n",
                            st.umask,
                            st.ppid,
                            pid = p.pid,
                            u = st.cred.uid,
                            g = st.cred.gid
                        );
                    }
                    K_STAT => {
                        let state = if st.status.is_some() {
                            'Z'
                        } else if st.sig.stopped.is_some() {
                            'T'
                        } else {
                            'S'
                        };
                        // tty_nr (major 136 = /dev/pts) and the terminal's
                        // foreground group.
                        let (tty_nr, tpgid) = match &st.ctty {
                            Some(t) => ((136 << 8) | t.index() as i64, t.fg_pgrp().unwrap_or(-1) as i64),
                            None => (0, -1),
                        };
                        let _ = writeln!(
                            s,
                            "{} ({comm}) {state} {} {} {} {tty_nr} {tpgid} 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0",
                            p.pid, st.ppid, st.pgid, st.sid
                        );
                    }
                    _ => return Err(Errno::EINVAL),
                }
            }
        }
        Ok(s.into_bytes())
    }

    fn attr(&self, ino: Ino, mode: u32, uid: u32) -> Stat {
        let now = self.kernel.upgrade().map(|k| k.clock.realtime()).unwrap_or_default();
        Stat {
            dev: 0,
            ino,
            mode,
            nlink: if mode & S_IFDIR != 0 { 2 } else { 1 },
            uid,
            gid: uid,
            rdev: 0,
            size: 0,
            blksize: 1024,
            blocks: 0,
            atime: now,
            mtime: now,
            ctime: now,
            btime: now,
        }
    }
}

impl FileSystem for ProcFs {
    fn fs_type(&self) -> &'static str {
        "proc"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        if dir == ROOT {
            if name == "self" {
                return Ok(SELF);
            }
            if let Some((_, ino)) = SYS_FILES.iter().find(|(n, _)| *n == name) {
                return Ok(*ino);
            }
            let pid: i32 = name.parse().map_err(|_| Errno::ENOENT)?;
            let ino = (pid as u64) << 16;
            self.proc_of(ino)?;
            return Ok(ino);
        }
        match dir & 0xffff {
            K_DIR if dir >> 16 != 0 => {
                self.proc_of(dir)?;
                PID_FILES.iter().find(|(n, _)| *n == name).map(|(_, k)| (dir & !0xffff) | k).ok_or(Errno::ENOENT)
            }
            K_FD => {
                let p = self.proc_of(dir)?;
                let fd: i32 = name.parse().map_err(|_| Errno::ENOENT)?;
                if fd < 0 || fd as u64 >= FD_BIT {
                    return Err(Errno::ENOENT);
                }
                p.fds.lock().get(fd).map_err(|_| Errno::ENOENT)?;
                Ok((dir & !0xffff) | FD_BIT | fd as u64)
            }
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        if ino == ROOT {
            return Ok(self.attr(ino, S_IFDIR | 0o555, 0));
        }
        if ino == SELF {
            return Ok(self.attr(ino, S_IFLNK | 0o777, 0));
        }
        if SYS_FILES.iter().any(|(_, i)| *i == ino) {
            return Ok(self.attr(ino, S_IFREG | 0o444, 0));
        }
        let p = self.proc_of(ino)?;
        let uid = p.state.lock().cred.uid;
        let kind = ino & 0xffff;
        Ok(match kind {
            K_DIR | K_FD => self.attr(ino, S_IFDIR | if kind == K_FD { 0o500 } else { 0o555 }, uid),
            K_CWD => self.attr(ino, S_IFLNK | 0o777, uid),
            k if k & FD_BIT != 0 => {
                p.fds.lock().get((k & !FD_BIT) as i32).map_err(|_| Errno::ENOENT)?;
                self.attr(ino, S_IFLNK | 0o700, uid)
            }
            K_ENVIRON => self.attr(ino, S_IFREG | 0o400, uid),
            _ => self.attr(ino, S_IFREG | 0o444, uid),
        })
    }

    fn setattr(&self, _ino: Ino, _attr: &SetAttr) -> KResult<Stat> {
        Err(Errno::EPERM)
    }

    fn readlink(&self, ino: Ino) -> KResult<String> {
        if ino == SELF {
            return Err(Errno::EINVAL);
        }
        let p = self.proc_of(ino)?;
        match ino & 0xffff {
            K_CWD => Ok(p.state.lock().cwd.clone()),
            k if k & FD_BIT != 0 => Ok(p.fds.lock().get((k & !FD_BIT) as i32).map_err(|_| Errno::ENOENT)?.describe()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let data = self.generate(ino)?;
        let off = (offset as usize).min(data.len());
        let n = buf.len().min(data.len() - off);
        buf[..n].copy_from_slice(&data[off..off + n]);
        Ok(n)
    }

    fn write(&self, _ino: Ino, _offset: u64, _data: &[u8]) -> KResult<usize> {
        Err(Errno::EACCES)
    }

    fn create(&self, _dir: Ino, _name: &str, _node: &NewNode<'_>) -> KResult<Ino> {
        Err(Errno::ENOENT)
    }

    fn link(&self, _ino: Ino, _newdir: Ino, _newname: &str) -> KResult<()> {
        Err(Errno::EPERM)
    }

    fn unlink(&self, _dir: Ino, _name: &str) -> KResult<()> {
        Err(Errno::EACCES)
    }

    fn rmdir(&self, _dir: Ino, _name: &str) -> KResult<()> {
        Err(Errno::EACCES)
    }

    fn rename(&self, _od: Ino, _on: &str, _nd: Ino, _nn: &str) -> KResult<()> {
        Err(Errno::EACCES)
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let mut out = Vec::new();
        if dir == ROOT {
            let k = self.kernel()?;
            let pids: Vec<i32> = k.procs.lock().map.keys().copied().filter(|p| *p > 1).collect();
            for pid in pids {
                out.push(DirEntry { name: pid.to_string(), ino: (pid as u64) << 16, kind: FileType::Directory });
            }
            for (n, ino) in SYS_FILES {
                out.push(DirEntry { name: n.to_string(), ino: *ino, kind: FileType::Regular });
            }
            out.push(DirEntry { name: "self".into(), ino: SELF, kind: FileType::Symlink });
            return Ok(out);
        }
        let p = self.proc_of(dir)?;
        let base = dir & !0xffff;
        match dir & 0xffff {
            K_DIR => {
                for (n, k) in PID_FILES {
                    let kind = match *k {
                        K_FD => FileType::Directory,
                        K_CWD => FileType::Symlink,
                        _ => FileType::Regular,
                    };
                    out.push(DirEntry { name: n.to_string(), ino: base | k, kind });
                }
            }
            K_FD => {
                for fd in p.fds.lock().fds() {
                    out.push(DirEntry {
                        name: fd.to_string(),
                        ino: base | FD_BIT | fd as u64,
                        kind: FileType::Symlink,
                    });
                }
            }
            _ => return Err(Errno::ENOTDIR),
        }
        Ok(out)
    }

    fn special(&self, ino: Ino) -> Option<Special> {
        if ino == SELF {
            return Some(Special::ProcSelf);
        }
        let k = ino & 0xffff;
        if ino >> 16 != 0 && k & FD_BIT != 0 {
            return Some(Special::ProcFdLink { pid: (ino >> 16) as i32, fd: (k & !FD_BIT) as i32 });
        }
        None
    }
}
