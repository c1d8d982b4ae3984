#!/usr/bin/env bash
# Benchmark: the handoff commands against `git handoff update`, side by side in one run, on the
# generated 20,000-commit repository (each on a branch of its own, in a worktree of its own).
#
#   benches/handoff.sh           20,000 commits (the repository is cached in target/bench-repo-*)
#   COMMITS=5000 RUNS=21 benches/handoff.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 31
work="$(mktemp -d)"
trap 'rm -rf "$work"; git -C "$repo" worktree prune' EXIT
cd "$repo"
git config handoff.maxHops 4000000000

# One worktree per command, each with its own packet: a write on one branch never slows another.
branch() {
  local name="$1" lane="$2" owner="$3"
  git worktree add -q -b "bench/$name-$$" "$work/$name" main
  (cd "$work/$name" && "$bin" start -q --goal "Benchmark $name" --accept "it is fast" \
    --next "step" --done "first" --reviewer auditor --validate true --lane "$lane" \
    --owner "$owner" --max-hops 4000000000 --non-goal "no new crates" --as "$owner")
}
branch update execute executor
branch pass execute executor
branch review audit auditor
branch brief execute executor
# A packet near the 64 KiB bound, for the brief's own limit (10 ms).
branch big execute executor
(cd "$work/big" && for i in $(seq 1 8); do
  args=(); for j in $(seq 1 30); do args+=(--next "step $i.$j: $(printf 'keep the tests green %.0s' 1 2 3 4 5 6 7 8 9 10)"); done
  "$bin" update -q "${args[@]}" --as executor; done
  args=(); for j in $(seq 1 30); do args+=(--rejected "approach $j :: $(printf 'it broke the build again %.0s' 1 2 3 4 5 6 7 8)"); done
  "$bin" update -q "${args[@]}" --as executor)
n=0
do_update() { n=$((n + 1)); "$bin" -C "$work/update" update -q --done "step $n" --as executor; }
do_pass() { n=$((n + 1)); "$bin" -C "$work/pass" pass -q --to execute --owner "agent$n" --why "switch $n" --as executor; }
do_review() { n=$((n + 1)); "$bin" -C "$work/review" review -q --approve --note "round $n" --as auditor; }
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits; big packet $(git -C "$work/big" cat-file -s "refs/handoff/heads/bench/big-$$:packet.toml") bytes"
export B_NAME="update"
compare "pass (one hop)" "$runs" -- do_pass -- do_update
# Each approval adds a verdict; a packet holds at most 256.
compare "review --approve" "$((runs < 120 ? runs : 120))" -- do_review -- do_update
compare "brief" "$runs" -- "$bin" -C "$work/brief" brief -- do_update
B_NAME="show" compare "brief, 60 KiB packet" "$runs" -- "$bin" -C "$work/big" brief -- "$bin" -C "$work/big" show
