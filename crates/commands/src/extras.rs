//! The second group of commands: developer and system tools (diff, patch,
//! tar, gzip, jq, expr, xxd, ps, kill…), registered together so that their
//! table does not collide with the coreutils table in `lib.rs`.

use agentos_kernel::exec::NativeMain;

use crate::{cmp, diff, expr, patch};

/// Every command of this group, by the name it is installed under.
pub const COMMANDS: &[(&str, NativeMain)] =
    &[("cmp", cmp::main), ("diff", diff::main), ("expr", expr::main), ("patch", patch::main)];
