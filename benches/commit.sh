#!/usr/bin/env bash
# Benchmark: `git commit` with every git-handoff hook installed against `git commit` without
# hooks, alternating, in one run, on the 20,000-commit repository with a note on each commit.
#
#   benches/commit.sh                 RUNS=41 COMMITS=20000 by default
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 41
cached="$repo"
export PATH="$(dirname "$bin"):$PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$cached" "$work/repo"
mkdir "$work/no-hooks" "$work/noop-hooks"
for h in pre-commit commit-msg post-commit; do
  printf '#!/bin/sh\nexec true\n' > "$work/noop-hooks/$h"; chmod +x "$work/noop-hooks/$h"
done
cd "$work/repo"
# Background maintenance would land on some commits and not others; keep it out of both sides.
git config maintenance.auto false; git config gc.auto 0
git checkout -q -B bench-commits
git handoff -q start --goal "benchmark commits" --accept "overhead under 10 ms"
git handoff -q init

with=() without=() noop=()
for ((i = 0; i < runs; i++)); do
  git handoff -q update --done "step $i"          # untimed: the gate wants a fresh revision
  t0=${EPOCHREALTIME/[.,]/}; git commit -q --allow-empty -m "with hooks $i"; t1=${EPOCHREALTIME/[.,]/}
  with+=($((t1 - t0)))
  t0=${EPOCHREALTIME/[.,]/}; git -c core.hooksPath="$work/no-hooks" commit -q --allow-empty -m "without $i"; t1=${EPOCHREALTIME/[.,]/}
  without+=($((t1 - t0)))
  t0=${EPOCHREALTIME/[.,]/}; git -c core.hooksPath="$work/noop-hooks" commit -q --allow-empty -m "noop $i"; t1=${EPOCHREALTIME/[.,]/}
  noop+=($((t1 - t0)))
done
[ "$(git notes --ref=handoff show HEAD~2 | grep -c '^revision')" = 1 ] || { echo "hooked commits lack notes" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}"); mn=$(median "${noop[@]}")
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits + notes, $runs commits each way"
awk -v a="$mw" -v b="$mo" -v n="$mn" 'BEGIN {
  printf "git commit with hooks %.2f ms   without %.2f ms   overhead %.2f ms   ratio %.2f (medians)\n", a/1e3, b/1e3, (a-b)/1e3, a/b
  printf "three no-op sh hooks  %.2f ms   (the cost of starting three hooks: %.2f ms; git-handoff work beyond it: %.2f ms)\n", n/1e3, (n-b)/1e3, (a-n)/1e3 }'
