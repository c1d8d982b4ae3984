#!/usr/bin/env bash
# Benchmark: reading and writing packet notes, git-handoff against plain git, side by side in one run.
#
#   benches/notes.sh            20,000 commits, a packet note on each (cached in target/bench-repo)
#   COMMITS=5000 RUNS=21 benches/notes.sh
#   COMMITS=100000 benches/notes.sh    the 100,000-note tree the note-writing goal names
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_setup 31
cd "$repo"
mid=$(git rev-parse "HEAD~$((commits / 2))")
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, $commits commits, $(git notes --ref=handoff list | wc -l) notes"
compare "show COMMIT (one note)" "$runs" -- "$bin" show "$mid" -- git notes --ref=handoff show "$mid"
compare "notes of every commit" "$((runs / 3 + 1))" -- "$bin" notes HEAD -- git log --notes=handoff --format='%H %N'

# Writing a note: `git handoff note` on a new commit against `git notes add -C <packet blob>` on
# another, alternating, each on a commit of its own made untimed just before. Done on a copy, so
# the cached repository stays as generated.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$repo" "$work/repo"
cd "$work/repo"
git config maintenance.auto false; git config gc.auto 0
blob=$(git rev-parse refs/handoff/heads/main:packet.toml)
ta=() tb=()
for ((i = 0; i < runs; i++)); do
  git -c core.hooksPath=/dev/null commit -q --allow-empty -m "note $i"
  t0=${EPOCHREALTIME/[.,]/}; "$bin" -q note; t1=${EPOCHREALTIME/[.,]/}; ta+=($((t1 - t0)))
  git -c core.hooksPath=/dev/null commit -q --allow-empty -m "git note $i"
  t0=${EPOCHREALTIME/[.,]/}; git notes --ref=handoff add -C "$blob" HEAD; t1=${EPOCHREALTIME/[.,]/}; tb+=($((t1 - t0)))
done
[ "$(git notes --ref=handoff list HEAD~1)" = "$blob" ] || { echo "note wrote no note" >&2; exit 1; }
ma=$(printf '%s\n' "${ta[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
mb=$(printf '%s\n' "${tb[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
awk -v a="$ma" -v b="$mb" -v n="$runs" \
  'BEGIN { printf "%-34s git-handoff %8.2f ms   git %8.2f ms   ratio %.2f   (median of %d)\n", "note (write one)", a/1e3, b/1e3, a/b, n }'
