#!/usr/bin/env bash
# Benchmark: the views across branches on a generated repository of PACKETS packet chains with
# REVISIONS revisions each (default 10,000 × 10 = 100,000 revisions), side by side with what git
# needs to read the same packets, alternating in one run.
#
#   benches/views.sh
#   PACKETS=2000 REVISIONS=10 RUNS=11 benches/views.sh
#
# inbox and list against `git for-each-ref … | git cat-file --batch` (git reading every tip
# packet); recall cold (no cache) and warm against `git log --all --grep` over the chains, with
# peak memory from /usr/bin/time when it is there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here="$(cd "$(dirname "$0")/.." && pwd)"
packets="${PACKETS:-10000}"
revisions="${REVISIONS:-10}"
runs="${RUNS:-11}"
repo="${BENCH_REPO:-$here/target/bench-views-$packets-$revisions}"
bin="$("$here/install.sh" --build-only)"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
if [ ! -f "$repo/.bench-done" ]; then
  echo "generating $packets packets × $revisions revisions in $repo (cached)…" >&2
  rm -rf "$repo"
  git init -q -b main "$repo"
  python3 "$here/benches/gen_views.py" "$packets" "$revisions" | git -C "$repo" fast-import --quiet
  git -C "$repo" gc -q
  touch "$repo/.bench-done"
fi
cd "$repo"
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $packets packets, $((packets * revisions)) revisions"
read_tips() { git for-each-ref --format='%(refname):packet.toml' refs/handoff | git cat-file --batch; }
compare "inbox --as bench" "$runs" -- "$bin" inbox --as bench -- read_tips
compare "list" "$runs" -- "$bin" list -- read_tips
cold() { rm -f .git/handoff-recall-cache; "$bin" recall global lock; }
B_NAME="git log --grep" compare "recall (cold: no cache)" 3 -- cold -- git log --all --grep='global lock' -i --format=%H
B_NAME="git log --grep" compare "recall (warm)" "$runs" -- "$bin" recall global lock -- git log --all --grep='global lock' -i --format=%H
if [ -x /usr/bin/time ]; then
  rm -f .git/handoff-recall-cache
  /usr/bin/time -f "recall peak memory, cold: %M KB" "$bin" recall global lock >/dev/null
  /usr/bin/time -f "recall peak memory, warm: %M KB" "$bin" recall global lock >/dev/null
  echo "recall cache: $(du -h .git/handoff-recall-cache | cut -f1)"
fi
