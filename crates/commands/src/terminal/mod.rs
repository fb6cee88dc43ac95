//! Terminal commands: `stty` and `tty`, over the kernel's pseudo-terminal
//! calls. Registered as a group so the coreutils table in `lib.rs` stays
//! untouched.

use agentos_kernel::exec::NativeMain;

pub mod stty;
pub mod tty;

/// Every command of this group, by the name it is installed under.
pub const COMMANDS: &[(&str, NativeMain)] = &[("stty", stty::main), ("tty", tty::main)];
