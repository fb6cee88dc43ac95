//! Integration tests of the public API and the data-driven conformance
//! suites (our VM against the host's real bash and GNU tools).

// The conformance runner compares against the host: it runs host bash and
// reads case files, which guest code never may.
#![allow(clippy::disallowed_methods)]

mod api;
mod conformance;
mod cron;
mod fetch;
mod mounts;
mod permissions;
mod sessions;
mod shell;
mod software;
mod tools;
// The WebAssembly encoding helpers the benchmark's test modules use too.
#[path = "../../../bench/src/wasm_enc.rs"]
mod wasm_enc;
