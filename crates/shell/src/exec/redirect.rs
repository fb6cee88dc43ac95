//! Redirections, applied to the shell's own descriptor table: the old
//! descriptor is saved above 10 (close-on-exec, so children never see
//! it) and put back afterwards. `exec` applies them for good.
//!
//! Here-documents and here-strings become a pipe holding the text (or an
//! unlinked temporary file when it is larger than a pipe holds).

use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, Fd, OFlags, PIPE_CAPACITY, Whence};
use brush_parser::ast;

use crate::expand::lex::Mode;
use crate::state::{Ctl, Shell};

/// Descriptors to put back: (descriptor, saved copy or `None` if it was
/// closed before).
#[derive(Default)]
pub struct Saved(Vec<(Fd, Option<Fd>)>);

/// Why a redirection failed: already reported, with this status; or
/// control flow from an expansion.
enum Fail {
    Status(i32),
    Ctl(Ctl),
}

impl From<Ctl> for Fail {
    fn from(c: Ctl) -> Fail {
        Fail::Ctl(c)
    }
}

impl Shell {
    /// Apply redirections, saving what they replace. On failure the
    /// message is printed, earlier ones are undone, and the status (1)
    /// returned.
    pub fn apply_redirects(&mut self, t: &mut Task, redirs: &[ast::IoRedirect]) -> Result<Saved, i32> {
        let mut saved = Saved::default();
        for r in redirs {
            match self.redirect_one(t, r, Some(&mut saved)) {
                Ok(()) => {}
                Err(Fail::Status(s)) => {
                    self.restore_redirects(t, saved);
                    return Err(s);
                }
                Err(Fail::Ctl(c)) => {
                    self.restore_redirects(t, saved);
                    return Err(match c {
                        Ctl::Abort(s) | Ctl::Exit(s) => s,
                        _ => 1,
                    });
                }
            }
        }
        Ok(saved)
    }

    /// `exec` with no command: redirections that stay.
    pub fn apply_redirects_permanent(&mut self, t: &mut Task, redirs: &[ast::IoRedirect]) -> Result<(), i32> {
        for r in redirs {
            match self.redirect_one(t, r, None) {
                Ok(()) => {}
                Err(Fail::Status(s)) => return Err(s),
                Err(Fail::Ctl(_)) => return Err(1),
            }
        }
        Ok(())
    }

    pub fn restore_redirects(&mut self, t: &mut Task, saved: Saved) {
        for (fd, copy) in saved.0.into_iter().rev() {
            match copy {
                Some(c) => {
                    let _ = t.dup2(c, fd);
                    let _ = t.close(c);
                }
                None => {
                    let _ = t.close(fd);
                }
            }
        }
    }

    fn save(&self, t: &Task, saved: &mut Option<&mut Saved>, fd: Fd) {
        if let Some(s) = saved.as_deref_mut()
            && !s.0.iter().any(|(f, _)| *f == fd)
        {
            s.0.push((fd, t.dup_min(fd, 10, true).ok()));
        }
    }

    /// Expand a redirection target to exactly one word.
    fn target(&mut self, t: &mut Task, w: &ast::Word) -> Result<String, Fail> {
        let words = self.expand_words(t, &[w.value.as_str()])?;
        if words.len() != 1 {
            self.error(t, &format!("{}: ambiguous redirect", w.value));
            return Err(Fail::Status(1));
        }
        Ok(words.into_iter().next().unwrap_or_default())
    }

    /// Open `path` onto descriptor `fd`.
    fn open_onto(
        &mut self,
        t: &mut Task,
        saved: &mut Option<&mut Saved>,
        fd: Fd,
        path: &str,
        flags: OFlags,
    ) -> Result<(), Fail> {
        if self.opts.noclobber
            && flags.contains(OFlags::TRUNC)
            && !flags.contains(OFlags::EXCL)
            && t.stat(path).is_ok_and(|s| s.is_file())
        {
            self.error(t, &format!("{path}: cannot overwrite existing file"));
            return Err(Fail::Status(1));
        }
        let flags = OFlags(flags.0 & !OFlags::EXCL.0);
        let nfd = match t.open(path, flags | OFlags::CLOEXEC, 0o666) {
            Ok(n) => n,
            Err(e) => {
                self.error(t, &format!("{path}: {}", e.strerror()));
                return Err(Fail::Status(1));
            }
        };
        self.save(t, saved, fd);
        if nfd != fd {
            let r = t.dup2(nfd, fd);
            let _ = t.close(nfd);
            r.map_err(|e| {
                self.error(t, &format!("{fd}: {}", e.strerror()));
                Fail::Status(1)
            })?;
        } else {
            let _ = t.set_cloexec(fd, false);
        }
        Ok(())
    }

    fn dup_onto(&mut self, t: &mut Task, saved: &mut Option<&mut Saved>, fd: Fd, src: &str) -> Result<(), Fail> {
        if src == "-" {
            self.save(t, saved, fd);
            let _ = t.close(fd);
            return Ok(());
        }
        let (num, close_src) = match src.strip_suffix('-') {
            Some(n) => (n, true),
            None => (src, false),
        };
        let Ok(n) = num.parse::<Fd>() else {
            self.error(t, &format!("{src}: ambiguous redirect"));
            return Err(Fail::Status(1));
        };
        if t.file(n).is_err() {
            self.error(t, &format!("{n}: {}", Errno::EBADF.strerror()));
            return Err(Fail::Status(1));
        }
        if n == fd {
            return Ok(());
        }
        self.save(t, saved, fd);
        let _ = t.dup2(n, fd);
        if close_src {
            let _ = t.close(n);
        }
        Ok(())
    }

    fn redirect_one(&mut self, t: &mut Task, r: &ast::IoRedirect, mut saved: Option<&mut Saved>) -> Result<(), Fail> {
        use ast::IoFileRedirectKind as K;
        match r {
            ast::IoRedirect::File(fd, kind, target) => {
                let default_fd = match kind {
                    K::Read | K::ReadAndWrite | K::DuplicateInput => 0,
                    _ => 1,
                };
                let fd = fd.unwrap_or(default_fd);
                let path = match target {
                    ast::IoFileRedirectTarget::Filename(w) => self.target(t, w)?,
                    ast::IoFileRedirectTarget::Fd(n) => return self.dup_onto(t, &mut saved, fd, &n.to_string()),
                    ast::IoFileRedirectTarget::Duplicate(w) => {
                        let s = self.target(t, w)?;
                        let is_fd = s == "-" || s.trim_end_matches('-').parse::<Fd>().is_ok();
                        if is_fd || matches!(kind, K::DuplicateInput) {
                            return self.dup_onto(t, &mut saved, fd, &s);
                        }
                        // `>&file` means `&>file`.
                        self.open_onto(t, &mut saved, 1, &s, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC)?;
                        return self.dup_onto(t, &mut saved, 2, "1");
                    }
                    ast::IoFileRedirectTarget::ProcessSubstitution(k, sub) => self.process_subst(t, k, &sub.list)?,
                };
                let flags = match kind {
                    K::Read | K::DuplicateInput => OFlags::RDONLY,
                    K::Write | K::DuplicateOutput => OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC,
                    K::Clobber => OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC | OFlags::EXCL,
                    K::Append => OFlags::WRONLY | OFlags::CREAT | OFlags::APPEND,
                    K::ReadAndWrite => OFlags::RDWR | OFlags::CREAT,
                };
                self.open_onto(t, &mut saved, fd, &path, flags)
            }
            ast::IoRedirect::OutputAndError(w, append) => {
                let path = self.target(t, w)?;
                let flags = if *append {
                    OFlags::WRONLY | OFlags::CREAT | OFlags::APPEND
                } else {
                    OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC
                };
                self.open_onto(t, &mut saved, 1, &path, flags)?;
                self.dup_onto(t, &mut saved, 2, "1")
            }
            ast::IoRedirect::HereDocument(fd, doc) => {
                let body = if doc.requires_expansion {
                    self.expand_mode(t, &doc.doc.value, Mode::Heredoc)?
                } else {
                    doc.doc.value.clone()
                };
                self.feed(t, &mut saved, fd.unwrap_or(0), body.as_bytes())
            }
            ast::IoRedirect::HereString(fd, w) => {
                let mut body = self.expand_str(t, &w.value)?;
                body.push('\n');
                self.feed(t, &mut saved, fd.unwrap_or(0), body.as_bytes())
            }
        }
    }

    /// Make descriptor `fd` read `data`.
    fn feed(&mut self, t: &mut Task, saved: &mut Option<&mut Saved>, fd: Fd, data: &[u8]) -> Result<(), Fail> {
        let rfd = if data.len() <= PIPE_CAPACITY {
            let (r, w) = t.pipe(OFlags::CLOEXEC).map_err(|_| Fail::Status(1))?;
            let _ = t.write_all(w, data);
            let _ = t.close(w);
            r
        } else {
            let path = format!("/tmp/.sh-here-{}-{}", t.pid(), self.lineno);
            let f = t.open(&path, OFlags::RDWR | OFlags::CREAT | OFlags::EXCL | OFlags::CLOEXEC, 0o600);
            let f = f.map_err(|e| {
                self.error(t, &format!("cannot create temp file for here-document: {}", e.strerror()));
                Fail::Status(1)
            })?;
            let _ = t.unlink(&path);
            let _ = t.write_all(f, data);
            let _ = t.lseek(f, 0, Whence::Set);
            f
        };
        self.save(t, saved, fd);
        if rfd != fd {
            let _ = t.dup2(rfd, fd);
            let _ = t.close(rfd);
        } else {
            let _ = t.set_cloexec(fd, false);
        }
        Ok(())
    }
}
