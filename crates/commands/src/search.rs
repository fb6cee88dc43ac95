//! Registration of the search tools: `grep` (`egrep`, `fgrep`), `rg`,
//! `find`, `xargs`.

use agentos_kernel::exec::NativeMain;

use crate::{find, grep, rg, xargs};

/// The search commands, by the name they are installed under.
pub const COMMANDS: &[(&str, NativeMain)] = &[
    ("egrep", grep::main),
    ("fgrep", grep::main),
    ("find", find::main),
    ("grep", grep::main),
    ("rg", rg::main),
    ("xargs", xargs::main),
];
