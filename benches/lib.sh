# Shared helpers for the benchmark scripts: a generated repository and side-by-side timing.
# Source it; it defines gen_repo and compare.

set -euo pipefail

# gen_repo DIR COMMITS: a repository with COMMITS commits on `main`, a packet chain and a
# packet note on every commit (one packet revision per 100 commits), built with git fast-import.
gen_repo() {
  local dir="$1" commits="$2"
  if [ -f "$dir/.bench-$commits-settled" ]; then return; fi
  rm -rf "$dir"; git init -q -b main "$dir"
  (
    cd "$dir"
    git config user.name Bench; git config user.email bench@example.com
    local revs=$(( (commits + 99) / 100 ))
    {
      for ((r = 1; r <= revs; r++)); do
        local body
        body=$(printf 'schema = 1\nid = "hx-bench1"\nrevision = %d\nbranch = "main"\nbase = ""\nupdated = 2026-11-21T22:10:00Z\nauthor = "Bench <bench@example.com>"\n\n[task]\ngoal = "Benchmark packet %d"\nacceptance = ["notes read fast"]\n\n[state]\nstatus = "in-progress"\ndone = ["step %d"]\nnext = ["step %d"]\n' "$r" "$r" "$r" "$((r + 1))")
        printf 'blob\nmark :%d\ndata %d\n%s\n\n' "$((1000000 + r))" "$(( ${#body} + 1 ))" "$body"
      done
      for ((i = 1; i <= commits; i++)); do
        printf 'commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata <<END\ncommit %d\nEND\nM 644 inline f\ndata <<END\n%d\nEND\n\n' "$i" "$((1700000000 + i))" "$i" "$i"
      done
      printf 'commit refs/handoff/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata <<END\nhandoff hx-bench1 r%d: update\nEND\nM 644 :%d packet.toml\n\n' "$revs" "$((1000000 + revs))"
      printf 'commit refs/notes/handoff\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata <<END\nbench notes\nEND\n'
      for ((i = 1; i <= commits; i++)); do
        printf 'N :%d :%d\n' "$((1000000 + (i + 99) / 100))" "$i"
      done
      printf '\n'
    } | git fast-import --quiet
    git reset -q --hard main
    # fast-import lays every notes subtree out at one fanout level. git's own notes code gives a
    # subtree a second level the first time it rewrites it with enough notes in it (about 70
    # tree objects at once); a repository whose notes git wrote one by one made that move long
    # ago. Rewrite each subtree once, in one notes commit, so that the benchmarks measure the
    # steady state rather than a one-time migration that would land on random timed writes.
    git notes --ref=handoff list | awk '{ p = substr($2, 1, 2); if (!(p in seen)) { seen[p] = 1; print $2, $2 } }' |
      git notes --ref=handoff copy -f --stdin
    git gc -q
  )
  touch "$dir/.bench-$commits-settled"
}


# Times come from bash's EPOCHREALTIME (microseconds, no process spawn inside the timed span).
# compare LABEL RUNS -- CMD_A... -- CMD_B...: runs A and B alternately RUNS times (output to
# /dev/null) and prints the median of each and the ratio A/B. B_NAME names B (default: git).
compare() {
  local label="$1" runs="$2"; shift 3
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift
  b=("$@")
  local ta=() tb=() t0 t1 i
  "${a[@]}" >/dev/null || true; "${b[@]}" >/dev/null || true  # warm caches
  for ((i = 0; i < runs; i++)); do
    # Exit codes are findings, not failures: time the run either way.
    t0=${EPOCHREALTIME/[.,]/}; "${a[@]}" >/dev/null 2>&1 || true; t1=${EPOCHREALTIME/[.,]/}; ta+=($((t1 - t0)))
    t0=${EPOCHREALTIME/[.,]/}; "${b[@]}" >/dev/null 2>&1 || true; t1=${EPOCHREALTIME/[.,]/}; tb+=($((t1 - t0)))
  done
  local ma mb
  ma=$(printf '%s\n' "${ta[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  mb=$(printf '%s\n' "${tb[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  awk -v l="$label" -v a="$ma" -v b="$mb" -v n="$runs" -v bn="${B_NAME:-git}" \
    'BEGIN { printf "%-34s git-handoff %8.2f ms   %s %8.2f ms   ratio %.2f   (median of %d)\n", l, a/1e3, bn, b/1e3, a/b, n }'
}

# bench_setup DEFAULT_RUNS: the preamble every benchmark shares. Reads COMMITS, RUNS,
# BENCH_REPO and CARGO_TARGET_DIR; builds the release binary; sets commits, runs, repo (the
# cached generated repository, made if missing) and bin; keeps git's global config out.
bench_setup() {
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  commits="${COMMITS:-20000}"
  runs="${RUNS:-$1}"
  repo="${BENCH_REPO:-$here/target/bench-repo-$commits}"
  # Built as install.sh builds it (statically linked where it can be): what users run.
  bin="$("$here/install.sh" --build-only)"
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
  echo "generating $commits commits with notes in $repo (cached)…" >&2
  gen_repo "$repo" "$commits"
}
