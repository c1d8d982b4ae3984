#!/usr/bin/env bash
# Benchmark: the agent runtime handlers (`git handoff agent …`), which a runtime waits for at
# every session start and stop; the goal is at most 50 ms each on the 20,000-commit repository.
# Side by side in one run with what a hand-written hook would run instead (`git status`, the
# brief), alternating.
#
#   benches/agent.sh             20,000 commits (the repository is cached in target/bench-repo-*)
#   COMMITS=5000 RUNS=21 benches/agent.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 31
work="$(mktemp -d)"
trap 'rm -rf "$work"; git -C "$repo" worktree prune' EXIT
cd "$repo"

# A worktree with 2,000 tracked files besides the history, a packet, and a packet on ten other
# branches (three of them waiting for the agent), as a busy repository has.
git worktree add -q -b "bench/agent-$$" "$work/agent" main
cd "$work/agent"
mkdir -p src
for i in $(seq 1 2000); do echo "line $i" > "src/file$i.txt"; done
git add src && git commit -q -m "2,000 files"
for i in $(seq 1 10); do
  git switch -q -c "bench/other-$i-$$"
  owner=$([ "$i" -le 3 ] && echo claude || echo someone)
  "$bin" start -q --goal "Other work $i" --accept "done" --lane execute --owner "$owner" --as "$owner"
done
git switch -q "bench/agent-$$"
"$bin" start -q --goal "Benchmark the agent hooks" --accept "under 50 ms" --next "measure" \
  --validate true --lane execute --owner claude --as claude
payload="{\"session_id\":\"b\",\"cwd\":\"$work/agent\",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\"}"
stop="{\"session_id\":\"b\",\"cwd\":\"$work/agent\",\"hook_event_name\":\"Stop\",\"stop_hook_active\":false}"
start_hook() { "$bin" agent session-start --runtime claude <<<"$payload"; }
# A clean tree: the stop hook reads HEAD, the packet and every file's stat, and lets it go.
stop_hook() { "$bin" agent stop --runtime claude <<<"$stop"; }
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits, $(git ls-files | wc -l) tracked files"
B_NAME="brief" compare "agent session-start" "$runs" -- start_hook -- "$bin" brief
B_NAME="git status" compare "agent stop (clean tree)" "$runs" -- stop_hook -- git status --porcelain
# A changed file: the hook blocks once, then remembers the state and lets the next stop go.
echo "changed" > src/file7.txt
B_NAME="git status" compare "agent stop (a file changed)" "$runs" -- stop_hook -- git status --porcelain
