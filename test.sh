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
command -v jq >/dev/null || need_apt+=(jq)
command -v xxd >/dev/null || need_apt+=(xxd)
command -v hexdump >/dev/null || need_apt+=(bsdextrautils)
command -v patch >/dev/null || need_apt+=(patch)
command -v diff >/dev/null || need_apt+=(diffutils)
command -v bzip2 >/dev/null || need_apt+=(bzip2)
command -v strings >/dev/null || need_apt+=(binutils)
command -v tmux >/dev/null || need_apt+=(tmux)
command -v tree >/dev/null || need_apt+=(tree)
command -v file >/dev/null || need_apt+=(file)
command -v clang-16 >/dev/null || need_apt+=(clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi
# A real S3 server on loopback for the S3 mount tests (crates/host/tests/all/s3.rs).
command -v moto_server >/dev/null || python3 -m pip install --quiet 'moto[server]'
rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy || true

# npm packages the JS runtime's tests use inside the VM (crates/js/tests/all/npm.rs).
npm_cache=target/npm-cache
if command -v npm >/dev/null && [ ! -d "$npm_cache/node_modules/express" ]; then
    npm install --silent --no-audit --no-fund --prefix "$npm_cache" lodash@4.17.21 commander@12.1.0 yargs@17.7.2 \
        chalk@5.3.0 zod@3.23.8 semver@7.6.3 uuid@10.0.0 minimist@1.2.8 glob@10.4.5 express@4.21.2
fi
# The agentOS registry's WASM command packages, for the registry conformance
# suite (crates/agentos/tests/all/conformance.rs).
if command -v npm >/dev/null && [ ! -f "$npm_cache/node_modules/@agentos-software/findutils/dist/package.aospkg" ]; then
    npm install --silent --no-audit --no-fund --prefix "$npm_cache" @agentos-software/coreutils@0.3.4 \
        @agentos-software/grep@0.3.4 @agentos-software/sed@0.3.4 @agentos-software/gawk@0.3.4 \
        @agentos-software/findutils@0.3.4
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
