//! The native programs every VM has: the shell and the built-in commands
//! (the default `common` software).

use agentos_kernel::exec::NativeRegistry;

/// The registry of built-in native programs.
pub(crate) fn registry() -> NativeRegistry {
    let mut reg = NativeRegistry::new();
    agentos_commands::register(&mut reg);
    agentos_shell::register(&mut reg);
    agentos_js::register(&mut reg);
    reg
}
