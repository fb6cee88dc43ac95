//! The `node` command line: `node [options] [script.js | -e CODE | -p EXPR | -] [args...]`.
//!
//! Analogue: Node's `src/node_options.cc` (the subset agents use).

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Main {
    /// A script file (as given; resolved against the cwd).
    File(String),
    /// `-e CODE` (`print`: `-p`).
    Eval { code: String, print: bool },
    /// The script on stdin (`node -` or no script with stdin not a tty).
    Stdin,
    /// `--version`.
    Version,
    /// `--help`.
    Help,
}

/// Parsed command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub main: Main,
    /// Arguments after the script (`process.argv.slice(2)`).
    pub args: Vec<String>,
    /// Options before the script (`process.execArgv`).
    pub exec_argv: Vec<String>,
    /// `--max-old-space-size` in MiB.
    pub memory_mb: Option<u64>,
    /// `--input-type=module` for `-e`/stdin.
    pub esm_input: bool,
    /// `--cpu-time-limit=SECONDS` (agentOS extension).
    pub cpu_limit_secs: Option<f64>,
    /// `-r`/`--require` preloads.
    pub preload: Vec<String>,
}

/// Parse `argv` (with `argv[0]`). `Err` is the message for stderr (exit 9,
/// like Node's bad-option status).
pub fn parse(argv: &[String]) -> Result<Options, String> {
    let mut o = Options {
        main: Main::Stdin,
        args: Vec::new(),
        exec_argv: Vec::new(),
        memory_mb: None,
        esm_input: false,
        cpu_limit_secs: None,
        preload: Vec::new(),
    };
    let mut it = argv.iter().skip(1);
    let mut chosen = false;
    while let Some(a) = it.next() {
        if chosen {
            o.args.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let value = |o: &mut Options, it: &mut std::iter::Skip<std::slice::Iter<'_, String>>| {
            let v = inline.clone().or_else(|| it.next().cloned());
            if let Some(v) = &v {
                o.exec_argv.push(a.clone());
                if inline.is_none() {
                    o.exec_argv.push(v.clone());
                }
            }
            v.ok_or_else(|| format!("node: {name} requires an argument"))
        };
        match name {
            "-e" | "--eval" | "-p" | "--print" => {
                let code = value(&mut o, &mut it)?;
                o.main = Main::Eval { code, print: name == "-p" || name == "--print" };
                chosen = true;
            }
            "-r" | "--require" | "--import" => {
                let v = value(&mut o, &mut it)?;
                o.preload.push(v);
            }
            "--max-old-space-size" => {
                let v = value(&mut o, &mut it)?;
                o.memory_mb = Some(v.parse().map_err(|_| format!("node: invalid value for {name}"))?);
            }
            "--cpu-time-limit" => {
                let v = value(&mut o, &mut it)?;
                o.cpu_limit_secs = Some(v.parse().map_err(|_| format!("node: invalid value for {name}"))?);
            }
            "--input-type" => {
                let v = value(&mut o, &mut it)?;
                o.esm_input = v == "module";
            }
            "-v" | "--version" => {
                o.main = Main::Version;
                return Ok(o);
            }
            "-h" | "--help" => {
                o.main = Main::Help;
                return Ok(o);
            }
            "-" => {
                o.main = Main::Stdin;
                chosen = true;
            }
            "--" => {
                if let Some(f) = it.next() {
                    o.main = Main::File(f.clone());
                }
                chosen = true;
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                // Flags we accept and ignore (V8 tuning, warnings...).
                o.exec_argv.push(a.clone());
            }
            _ => {
                o.main = Main::File(a.clone());
                chosen = true;
            }
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Options {
        let v: Vec<String> = std::iter::once("node").chain(args.iter().copied()).map(String::from).collect();
        parse(&v).unwrap()
    }

    #[test]
    fn script_and_args() {
        let o = p(&["--no-warnings", "x.js", "-e", "1"]);
        assert_eq!(o.main, Main::File("x.js".into()));
        assert_eq!(o.args, vec!["-e", "1"]);
        assert_eq!(o.exec_argv, vec!["--no-warnings"]);
    }

    #[test]
    fn eval_print_and_memory() {
        let o = p(&["--max-old-space-size=64", "-p", "1+1", "a"]);
        assert_eq!(o.main, Main::Eval { code: "1+1".into(), print: true });
        assert_eq!(o.memory_mb, Some(64));
        assert_eq!(o.args, vec!["a"]);
    }
}
