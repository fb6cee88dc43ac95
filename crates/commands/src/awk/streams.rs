//! The interpreter's side of I/O: `print`/`printf` and their
//! redirections, the main input over `ARGV` (with `var=value` operands),
//! `getline` in its forms, `close`, `fflush` and `system`.

use std::rc::Rc;

use agentos_kernel::abi::OFlags;

use super::ast::{Expr, Redir, Special};
use super::interp::{Interp, Jump, Res, fatal};
use super::io::{self, Output, RecordReader};
use super::value::{Value, num_to_str};

impl Interp<'_> {
    /// Append to output `i`, flushing standard output when its buffer is
    /// large and standard error at once.
    pub fn write_out(&mut self, i: usize, data: &[u8]) -> Res<()> {
        let o = &mut self.outputs[i];
        o.buf.extend_from_slice(data);
        if o.buf.len() >= 32 * 1024 || o.fd == 2 {
            let r = o.flush(self.task);
            if let Err(e) = r {
                let name = String::from_utf8_lossy(&o.name).into_owned();
                return fatal(format!("print to \"{name}\" failed ({})", e.strerror()));
            }
        }
        Ok(())
    }

    /// The output index for a redirection, opening it on first use.
    fn output(&mut self, redir: Option<&(Redir, Expr)>) -> Res<usize> {
        let Some((kind, target)) = redir else { return Ok(0) };
        let name = self.eval_str(target)?;
        if *kind != Redir::Pipe && (&name[..] == b"/dev/stdout" || &name[..] == b"-") {
            return Ok(0);
        }
        if let Some(i) = self.outputs.iter().position(|o| o.name[..] == name[..]) {
            return Ok(i);
        }
        let (fd, pid, owned) = match kind {
            Redir::Pipe => {
                self.flush_all();
                match io::pipe_to(self.task, &name) {
                    Ok((fd, pid)) => (fd, Some(pid), true),
                    Err(e) => {
                        return fatal(format!(
                            "can't open pipe `{}' for output: {}",
                            String::from_utf8_lossy(&name),
                            e.strerror()
                        ));
                    }
                }
            }
            _ if &name[..] == b"/dev/stderr" => (2, None, false),
            _ => match io::open_output(self.task, &name, *kind == Redir::Append) {
                Ok(fd) => (fd, None, true),
                Err(e) => {
                    let n = String::from_utf8_lossy(&name);
                    return fatal(format!("can't redirect to `{n}': {}", e.strerror()));
                }
            },
        };
        self.outputs.push(Output { name: name.to_vec(), fd, buf: Vec::new(), pid, owned });
        Ok(self.outputs.len() - 1)
    }

    /// A value as `print` shows it: numbers with OFMT.
    fn print_str(&self, v: &Value, out: &mut Vec<u8>) {
        match v {
            Value::Num(n) => out.extend_from_slice(&num_to_str(*n, &self.ofmt)),
            Value::Str(s) | Value::StrNum(s, _) => out.extend_from_slice(s),
            Value::Uninit => {}
        }
    }

    pub fn print(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> Res<()> {
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        if args.is_empty() {
            line.extend_from_slice(&self.record.text);
        }
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                line.extend_from_slice(&self.ofs);
            }
            match a {
                Expr::Field(e) => {
                    let v = self.field_value(e)?;
                    self.print_str(&v, &mut line);
                }
                a => {
                    let v = self.eval(a)?;
                    self.print_str(&v, &mut line);
                }
            }
        }
        line.extend_from_slice(&self.ors);
        let r = self.output(redir).and_then(|o| self.write_out(o, &line));
        self.scratch = line;
        r
    }

    pub fn printf(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> Res<()> {
        if args.is_empty() {
            return fatal("printf: no arguments");
        }
        let s = self.sprintf(args)?;
        let o = self.output(redir)?;
        self.write_out(o, &s)
    }

    pub fn sprintf(&mut self, args: &[Expr]) -> Res<Vec<u8>> {
        let fmt = self.eval_str(&args[0])?;
        let mut vals = Vec::with_capacity(args.len() - 1);
        for a in &args[1..] {
            vals.push(self.eval(a)?);
        }
        let conv = self.convfmt.clone();
        super::format::sprintf(&fmt, &vals, &|v: &Value| v.to_str(&conv).to_vec()).or_else(|(m, at)| {
            // gawk shows the format and where the arguments ran out.
            let caret = " ".repeat(at);
            fatal(format!("{m}\n\t`{}'\n\t{caret}^ ran out for this one", String::from_utf8_lossy(&fmt)))
        })
    }

    pub fn flush_all(&mut self) {
        for o in self.outputs.iter_mut() {
            let _ = o.flush(self.task);
        }
    }

    /// At exit: flush, close files and pipes, wait for pipe commands.
    pub fn close_all(&mut self) {
        let _ = self.outputs[0].flush(self.task);
        for mut o in self.outputs.drain(1..).collect::<Vec<_>>() {
            let _ = o.flush(self.task);
            if o.owned {
                let _ = self.task.close(o.fd);
            }
            if let Some(pid) = o.pid {
                io::wait_child(self.task, pid);
            }
        }
        for (_, mut r) in std::mem::take(&mut self.in_cmds) {
            r.close(self.task);
            if let Some(pid) = r.pid {
                io::wait_child(self.task, pid);
            }
        }
        for (_, mut r) in std::mem::take(&mut self.in_files) {
            r.close(self.task);
        }
    }

    /// `close(name)`: the command's exit status for pipes, 0 for files,
    /// -1 if nothing of that name is open.
    pub fn close_stream(&mut self, name: &[u8]) -> f64 {
        if let Some(i) = self.outputs.iter().skip(1).position(|o| o.name == name).map(|i| i + 1) {
            let mut o = self.outputs.remove(i);
            let _ = o.flush(self.task);
            if o.owned {
                let _ = self.task.close(o.fd);
            }
            return match o.pid {
                Some(pid) => io::wait_child(self.task, pid),
                None => 0.0,
            };
        }
        if let Some(i) = self.in_cmds.iter().position(|(n, _)| n == name) {
            let (_, mut r) = self.in_cmds.remove(i);
            r.close(self.task);
            return r.pid.map(|p| io::wait_child(self.task, p)).unwrap_or(0.0);
        }
        if let Some(i) = self.in_files.iter().position(|(n, _)| n == name) {
            let (_, mut r) = self.in_files.remove(i);
            r.close(self.task);
            return 0.0;
        }
        -1.0
    }

    pub fn fflush(&mut self, name: Option<&[u8]>) -> f64 {
        match name {
            None => {
                self.flush_all();
                0.0
            }
            Some(n) => match self.outputs.iter_mut().find(|o| o.name == n || (n == b"/dev/stdout" && o.fd == 1)) {
                Some(o) => {
                    let _ = o.flush(self.task);
                    0.0
                }
                None => -1.0,
            },
        }
    }

    pub fn system(&mut self, cmd: &[u8]) -> f64 {
        self.flush_all();
        match io::spawn_shell(self.task, cmd, None, None) {
            Ok(pid) => io::wait_child(self.task, pid),
            Err(_) => -1.0,
        }
    }

    /// Open the next main-input file from ARGV, doing `var=value`
    /// operands on the way. False when there are no more.
    fn open_next_main(&mut self) -> Res<bool> {
        loop {
            let argc = self.num_special(Special::Argc) as usize;
            if self.main.next_arg == 0 {
                self.main.next_arg = 1;
            }
            if self.main.next_arg >= argc {
                if self.main.saw_file {
                    return Ok(false);
                }
                self.main.saw_file = true;
                self.main.reader = Some(RecordReader::new(0, false));
                self.set_special(Special::Fnr, Value::Num(0.0));
                return Ok(true);
            }
            let i = self.main.next_arg;
            self.main.next_arg += 1;
            let argv = self.array(super::ast::Var::Global(Special::Argv as usize))?;
            let arg = argv.borrow().get(i.to_string().as_bytes()).map(|v| v.to_str(b"%.6g"));
            let Some(arg) = arg else { continue };
            if arg.is_empty() {
                continue;
            }
            if let Some((name, value)) = super::split_assignment(&arg) {
                let v = super::process_escapes(value);
                let slot = self.prog.globals.iter().position(|g| g.as_bytes() == name);
                if let Some(slot) = slot {
                    self.set_var(super::ast::Var::Global(slot), Value::input(&v))?;
                }
                continue;
            }
            self.main.saw_file = true;
            self.set_special(Special::Filename, Value::Str(arg.clone()));
            self.set_special(Special::Fnr, Value::Num(0.0));
            if &arg[..] == b"-" || &arg[..] == b"/dev/stdin" {
                self.main.reader = Some(RecordReader::new(0, false));
                return Ok(true);
            }
            let path = String::from_utf8_lossy(&arg).into_owned();
            match self.task.open(&path, OFlags::RDONLY | OFlags::CLOEXEC, 0) {
                Ok(fd) => {
                    self.main.reader = Some(RecordReader::new(fd, true));
                    return Ok(true);
                }
                Err(e) => {
                    let _ = self.outputs[0].flush(self.task);
                    let at = if self.line > 0 { format!("cmd. line:{}: ", self.line) } else { String::new() };
                    let m = format!("awk: {at}fatal: cannot open file `{path}' for reading: {}\n", e.strerror());
                    let _ = self.task.write_all(2, m.as_bytes());
                    self.close_all();
                    self.exit_code = 2;
                    return Err(Jump::Fatal(String::new()));
                }
            }
        }
    }

    /// Read the next main-input record into `$0` (`into_record`) or into
    /// the scratch buffer; updates NR and FNR.
    pub fn next_main_record(&mut self, into_record: bool) -> Res<bool> {
        if self.main.done {
            return Ok(false);
        }
        loop {
            if self.main.reader.is_none() && !self.open_next_main()? {
                self.main.done = true;
                return Ok(false);
            }
            let mut buf = std::mem::take(&mut self.scratch);
            let mut rt = std::mem::take(&mut self.rt);
            let r = match self.main.reader.as_mut() {
                Some(rd) => rd.read(self.task, &self.rs, &mut buf, &mut rt),
                None => Ok(false),
            };
            match r {
                Ok(true) => {
                    self.rt = rt;
                    self.bump_nr(true);
                    if into_record {
                        std::mem::swap(&mut self.record.text, &mut buf);
                        self.record.reset();
                        self.rec_fs = self.fs.clone();
                    } else {
                        self.getline_buf = Some(Value::input(&buf));
                    }
                    self.scratch = buf;
                    self.set_special(Special::Rt, Value::str(&self.rt.clone()));
                    return Ok(true);
                }
                Ok(false) => {
                    self.scratch = buf;
                    self.rt = rt;
                    if let Some(mut rd) = self.main.reader.take() {
                        rd.close(self.task);
                    }
                }
                Err(e) => {
                    self.scratch = buf;
                    self.rt = rt;
                    let name = self.special(Special::Filename).to_str(b"%.6g");
                    return fatal(format!(
                        "error reading input file `{}': {}",
                        String::from_utf8_lossy(&name),
                        e.strerror()
                    ));
                }
            }
        }
    }

    fn bump_nr(&mut self, fnr: bool) {
        let nr = self.num_special(Special::Nr) + 1.0;
        self.set_special(Special::Nr, Value::Num(nr));
        if fnr {
            let f = self.num_special(Special::Fnr) + 1.0;
            self.set_special(Special::Fnr, Value::Num(f));
        }
    }

    pub fn skip_file(&mut self) {
        if let Some(mut rd) = self.main.reader.take() {
            rd.close(self.task);
        }
    }

    /// `getline [var] [< file]` and `cmd | getline [var]`.
    pub fn getline(&mut self, var: Option<&Expr>, file: Option<&Expr>, cmd: Option<&Expr>) -> Res<Value> {
        let source = match (file, cmd) {
            (Some(f), _) => Some((self.eval_str(f)?, false)),
            (_, Some(c)) => Some((self.eval_str(c)?, true)),
            _ => None,
        };
        let Some((name, is_cmd)) = source else {
            // The main input.
            if var.is_none() {
                return Ok(Value::Num(if self.next_main_record(true)? { 1.0 } else { 0.0 }));
            }
            if !self.next_main_record(false)? {
                return Ok(Value::Num(0.0));
            }
            let v = self.getline_buf.take().unwrap_or_default();
            self.assign(var.unwrap_or(&Expr::Num(0.0)), v)?;
            return Ok(Value::Num(1.0));
        };
        let list = if is_cmd { &self.in_cmds } else { &self.in_files };
        let idx = match list.iter().position(|(n, _)| n[..] == name[..]) {
            Some(i) => i,
            None => {
                let reader = if is_cmd {
                    self.flush_all();
                    match io::pipe_from(self.task, &name) {
                        Ok((fd, pid)) => {
                            let mut r = RecordReader::new(fd, true);
                            r.pid = Some(pid);
                            r
                        }
                        Err(_) => return Ok(Value::Num(-1.0)),
                    }
                } else if &name[..] == b"-" || &name[..] == b"/dev/stdin" {
                    RecordReader::new(0, false)
                } else {
                    let path = String::from_utf8_lossy(&name).into_owned();
                    match self.task.open(&path, OFlags::RDONLY | OFlags::CLOEXEC, 0) {
                        Ok(fd) => RecordReader::new(fd, true),
                        Err(_) => return Ok(Value::Num(-1.0)),
                    }
                };
                let list = if is_cmd { &mut self.in_cmds } else { &mut self.in_files };
                list.push((name.to_vec(), reader));
                list.len() - 1
            }
        };
        let mut buf = Vec::new();
        let mut rt = Vec::new();
        let rs = self.rs.clone();
        let task = self.task;
        let list = if is_cmd { &mut self.in_cmds } else { &mut self.in_files };
        let got = list[idx].1.read(task, &rs, &mut buf, &mut rt);
        match got {
            Ok(true) => {}
            Ok(false) => return Ok(Value::Num(0.0)),
            Err(_) => return Ok(Value::Num(-1.0)),
        }
        self.set_special(Special::Rt, Value::Str(Rc::from(rt)));
        // Only `cmd | getline` (into $0) counts records, as in gawk.
        if is_cmd && var.is_none() {
            self.bump_nr(false);
        }
        match var {
            Some(v) => self.assign(v, Value::input(&buf))?,
            None => {
                self.record.set(&buf);
                self.rec_fs = self.fs.clone();
            }
        }
        Ok(Value::Num(1.0))
    }
}
