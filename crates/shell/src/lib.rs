//! placeholder
#![forbid(unsafe_code)]
pub fn register(reg: &mut agentos_kernel::exec::NativeRegistry) {
    let _ = reg;
}
