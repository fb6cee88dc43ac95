#!/usr/bin/env bash
# Run everything CI runs: install what the tests need, then fmt, clippy and
# all tests (unit, integration, and the conformance suites that compare our
# VM with the host's real bash and GNU tools).
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v bash >/dev/null || need_apt+=(bash)
command -v sed >/dev/null || need_apt+=(sed)
command -v grep >/dev/null || need_apt+=(grep)
command -v gawk >/dev/null || need_apt+=(gawk)
command -v python3 >/dev/null || need_apt+=(python3)
command -v clang-16 >/dev/null || need_apt+=(clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi
rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy || true

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
