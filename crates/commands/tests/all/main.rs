//! End-to-end tests: boot a kernel with every command installed in
//! `/usr/bin`, run commands as processes with captured output, and compare
//! with what GNU coreutils prints.

mod extras;
mod files;
mod harness;
mod misc;
mod script_tools;
mod text;
