#!/usr/bin/env bash
# Benchmark: `git handoff check` (intent of every commit) against
# `git log --notes=handoff --format='%H %N' <root>..HEAD`, side by side in one run.
#
#   benches/check.sh            20,000 commits with a packet note on each (cached)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 15
cd "$repo"
# The packet chain of `main` doubles as the chain of a non-exempt branch at the same tip.
git update-ref refs/heads/feature refs/heads/main
git update-ref refs/handoff/heads/feature refs/handoff/heads/main
root=$(git rev-list --max-parents=0 HEAD)
"$bin" check --branch feature --base "$root" --format json | head -c 0 || true
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits, $(git rev-list --count "$root..HEAD") in range"
compare "check --base ROOT (every commit)" "$runs" -- "$bin" check --branch feature --base "$root" --format json \
  -- git log --notes=handoff --format='%H %N' "$root..HEAD"
