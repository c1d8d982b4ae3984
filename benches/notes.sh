#!/usr/bin/env bash
# Benchmark: reading packet notes, git-handoff against plain git, side by side in one run.
#
#   benches/notes.sh            20,000 commits, a packet note on each (cached in target/bench-repo)
#   COMMITS=5000 RUNS=21 benches/notes.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 31
cd "$repo"
mid=$(git rev-parse "HEAD~$((commits / 2))")
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits, $(git notes --ref=handoff list | wc -l) notes"
compare "show COMMIT (one note)" "$runs" -- "$bin" show "$mid" -- git notes --ref=handoff show "$mid"
compare "notes of every commit" "$((runs / 3 + 1))" -- "$bin" notes HEAD -- git log --notes=handoff --format='%H %N'
