//! Real npm packages inside the VM. `test.sh` installs pinned versions
//! into `target/npm-cache`; each test copies a package tree into the VM's
//! `/home/user/node_modules` and uses it. Without the cache the tests
//! report that they were skipped.

#![allow(clippy::disallowed_methods)] // host side: reading the npm cache

use std::path::Path;

use agentos::AgentOs;

use crate::{repo_root, run_js, vm};

pub(crate) fn cache() -> Option<std::path::PathBuf> {
    let p = repo_root().join("target/npm-cache/node_modules");
    p.is_dir().then_some(p)
}

fn copy_tree(vm: &AgentOs, host: &Path, guest: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    rt.block_on(copy_tree_async(vm, host, guest));
}

/// Copy the host tree `host` into the VM at `guest`.
pub(crate) async fn copy_tree_async(vm: &AgentOs, host: &Path, guest: &str) {
    let mut files = Vec::new();
    let mut stack = vec![(host.to_path_buf(), guest.to_string())];
    while let Some((h, g)) = stack.pop() {
        for e in std::fs::read_dir(&h).expect("read dir").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let ft = e.file_type().expect("file type");
            if ft.is_dir() {
                stack.push((e.path(), format!("{g}/{name}")));
            } else if ft.is_file() {
                files.push((format!("{g}/{name}"), std::fs::read(e.path()).expect("read file")));
            }
        }
    }
    let results = vm.write_files(&files).await.expect("write files");
    assert!(results.iter().all(|r| r.error.is_none()));
}

fn with_packages(script: &str) -> Option<String> {
    let cache = cache()?;
    let vm = vm();
    copy_tree(&vm, &cache, "/home/user/node_modules");
    let r = run_js(&vm, "/home/user/t.js", script);
    assert_eq!(r.exit_code, 0, "stderr: {}", r.stderr_str());
    Some(r.stdout_str())
}

/// Note a test skipped for want of the npm cache; under CI (where
/// test.sh installs the packages) a skip is a failure, never a silent pass.
pub fn skip(name: &str) {
    assert!(std::env::var_os("CI").is_none(), "{name}: the npm cache is missing under CI");
    eprintln!("{name}: no npm cache (run test.sh); skipped");
}

macro_rules! npm_test {
    ($name:ident, $script:expr, $want:expr) => {
        #[test]
        fn $name() {
            match with_packages($script) {
                Some(out) => assert_eq!(out, $want),
                None => crate::npm::skip(stringify!($name)),
            }
        }
    };
}

npm_test!(
    lodash,
    "const _ = require('lodash');\nconsole.log(_.chunk([1,2,3,4,5], 2), _.camelCase('hello big world'), _.uniq([1,1,2]));\n",
    "[ [ 1, 2 ], [ 3, 4 ], [ 5 ] ] helloBigWorld [ 1, 2 ]\n"
);
npm_test!(
    minimist,
    "console.log(require('minimist')(['-a', '1', '--b=x', 'pos']));\n",
    "{ _: [ 'pos' ], a: 1, b: 'x' }\n"
);
npm_test!(
    semver,
    "const s = require('semver');\nconsole.log(s.satisfies('1.2.3', '^1.0.0'), s.inc('1.2.3', 'minor'), s.gt('2.0.0', '1.9.9'));\n",
    "true 1.3.0 true\n"
);
npm_test!(
    uuid,
    "const { v4, validate, v5 } = require('uuid');\nconsole.log(validate(v4()), v5('hello', v5.DNS));\n",
    "true 9342d47a-1bab-5709-9869-c840b2eac501\n"
);
npm_test!(
    commander,
    "const { Command } = require('commander');\nconst p = new Command().option('-n, --name <n>').option('-v, --verbose');\np.parse(['node', 't', '-n', 'zed', '-v']);\nconsole.log(p.opts());\n",
    "{ name: 'zed', verbose: true }\n"
);
npm_test!(
    yargs,
    "const yargs = require('yargs/yargs');\nconst argv = yargs(['--count', '3', 'go']).parse();\nconsole.log(argv.count, argv._);\n",
    "3 [ 'go' ]\n"
);
npm_test!(
    chalk,
    "import('chalk').then(({ default: chalk }) => { console.log(JSON.stringify(new chalk.constructor({ level: 1 }).red('r'))); });\n",
    "\"\\u001b[31mr\\u001b[39m\"\n"
);
npm_test!(
    zod,
    "const { z } = require('zod');\nconst S = z.object({ a: z.number() });\nconsole.log(S.parse({ a: 1 }), S.safeParse({ a: 'x' }).success);\n",
    "{ a: 1 } false\n"
);
npm_test!(
    glob,
    "const fs = require('fs');\nfs.mkdirSync('/tmp/g/a', { recursive: true });\nfs.writeFileSync('/tmp/g/a/x.js', '');\nfs.writeFileSync('/tmp/g/y.txt', '');\nconst { globSync } = require('glob');\nconsole.log(globSync('**/*.js', { cwd: '/tmp/g' }));\n",
    "[ 'a/x.js' ]\n"
);
