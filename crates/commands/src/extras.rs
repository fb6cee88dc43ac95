//! The second group of commands: developer and system tools (diff, patch,
//! tar, gzip, jq, expr, xxd, ps, kill…), registered together so that their
//! table does not collide with the coreutils table in `lib.rs`.

use agentos_kernel::exec::NativeMain;

use crate::{
    cmp, column, diff, expr, factor, file, gzip, hex, jq, kill, numfmt, pager, patch, ps, strings, sysinfo, tar, tree,
    tsort,
};

/// Every command of this group, by the name it is installed under.
pub const COMMANDS: &[(&str, NativeMain)] = &[
    ("clear", sysinfo::clear_main),
    ("tree", tree::main),
    ("file", file::main),
    ("cmp", cmp::main),
    ("column", column::main),
    ("diff", diff::main),
    ("expr", expr::main),
    ("factor", factor::main),
    ("free", sysinfo::free_main),
    ("gunzip", gzip::gunzip_main),
    ("gzip", gzip::gzip_main),
    ("hd", hex::hd_main),
    ("hexdump", hex::hexdump_main),
    ("jq", jq::main),
    ("kill", kill::main),
    ("less", pager::less_main),
    ("more", pager::more_main),
    ("numfmt", numfmt::main),
    ("patch", patch::main),
    ("ps", ps::main),
    ("strings", strings::main),
    ("tar", tar::main),
    ("tsort", tsort::main),
    ("uptime", sysinfo::uptime_main),
    ("xxd", hex::xxd_main),
    ("zcat", gzip::zcat_main),
];
