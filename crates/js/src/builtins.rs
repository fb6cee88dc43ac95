//! The JS sources of Node's built-in modules, embedded in the binary.
//! Each is compiled once per host process (bytecode cache) and evaluated
//! lazily, on first `require`, in each guest process.
//!
//! Small modules that are mostly re-exports (`timers/promises`,
//! `stream/promises`, `path/posix`, `tty`, `perf_hooks`...) live in
//! `misc.js` and are reached through the bootstrap's alias table.

/// The bootstrap script: sets up `process`, globals and the event loop.
pub const BOOTSTRAP: &str = include_str!("js/bootstrap.js");

/// The source of built-in module `name` (without `node:`).
pub fn source(name: &str) -> Option<&'static str> {
    Some(match name {
        "util" => include_str!("js/util.js"),
        "internal/inspect" => include_str!("js/inspect.js"),
        "events" => include_str!("js/events.js"),
        "buffer" => include_str!("js/buffer.js"),
        "path" => include_str!("js/path.js"),
        "fs" => include_str!("js/fs.js"),
        "fs/promises" => include_str!("js/fs_promises.js"),
        "stream" => include_str!("js/stream.js"),
        "module" => include_str!("js/module.js"),
        "url" => include_str!("js/url.js"),
        "querystring" => include_str!("js/querystring.js"),
        "child_process" => include_str!("js/child_process.js"),
        "crypto" => include_str!("js/crypto.js"),
        "zlib" => include_str!("js/zlib.js"),
        "os" => include_str!("js/os.js"),
        "assert" => include_str!("js/assert.js"),
        "readline" => include_str!("js/readline.js"),
        "string_decoder" => include_str!("js/string_decoder.js"),
        "timers" => include_str!("js/timers.js"),
        "internal/web" => include_str!("js/web.js"),
        "internal/misc" => include_str!("js/misc.js"),
        "net" => include_str!("js/net.js"),
        "dns" => include_str!("js/dns.js"),
        "http" => include_str!("js/http.js"),
        "https" => include_str!("js/https.js"),
        "tls" => include_str!("js/tls.js"),
        "dgram" => include_str!("js/dgram.js"),
        "internal/fetch" => include_str!("js/fetch.js"),
        _ => return None,
    })
}
