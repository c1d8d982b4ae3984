#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz). Crashes land in
# fuzz/artifacts/<target>/; each one found becomes a regression test in the normal suite.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(packet_reader note_reader trailer secrets markdown_import)
fi
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "fuzzing $target for ${seconds}s" >&2
    cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1
done
