//! WebAssembly programs in agentOS.
#![forbid(unsafe_code)]
