//! The scripting text tools: `sed` and `awk` (also installed as `gawk`),
//! and the regular-expression front end they share.

pub mod regex;

use agentos_kernel::exec::NativeMain;

pub use self::regex::Dialect;

/// The commands of this family, by installed name.
pub const COMMANDS: &[(&str, NativeMain)] =
    &[("sed", crate::sed::main), ("awk", crate::awk::main), ("gawk", crate::awk::main)];

/// Compile a POSIX regular expression. The one place to switch to the
/// shared `util::posix_regex` translator once every dialect is there.
pub fn compile_regex(
    pat: &[u8],
    dialect: Dialect,
    icase: bool,
    multiline: bool,
) -> Result<::regex::bytes::Regex, String> {
    self::regex::compile(pat, dialect, icase, multiline)
}
