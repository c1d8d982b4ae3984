#!/usr/bin/env bash
# Script-level check of what `git handoff setup` writes for agent runtimes, with real tools from
# the package registries: the managed block passes markdownlint (markdownlint-cli2, default
# rules) in a file setup creates and appended to a file the user already has.
#
#   tests/scripts/agents.sh      (needs cargo, git, node and npm; run by .ci/run)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
cargo build --locked --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/debug/git-handoff"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"

npm install --silent --no-audit --no-fund --prefix "$work/npm" markdownlint-cli2@0.22.1 >/dev/null
lint="$work/npm/node_modules/.bin/markdownlint-cli2"

# Files setup creates: CLAUDE.md, AGENTS.md, GEMINI.md.
git init -q "$work/new"
(cd "$work/new" && "$bin" setup claude codex gemini -q 2>/dev/null)
# Files the user has: a heading and text (one ending without a newline), a second setup run.
git init -q "$work/old"
printf '# Project\n\nUse tabs.\n' > "$work/old/CLAUDE.md"
printf '# Agents\n\n- run the tests' > "$work/old/AGENTS.md"
(cd "$work/old" && "$bin" setup claude codex -q 2>/dev/null && "$bin" setup claude codex -q 2>/dev/null)
for f in "$work/new/CLAUDE.md" "$work/new/AGENTS.md" "$work/new/GEMINI.md" \
  "$work/old/CLAUDE.md" "$work/old/AGENTS.md"; do
  grep -q 'git-handoff:begin v1' "$f" || { echo "no managed block in $f" >&2; exit 1; }
done
(cd "$work" && "$lint" new/CLAUDE.md new/AGENTS.md new/GEMINI.md old/CLAUDE.md old/AGENTS.md)
echo "agents: the managed block passes markdownlint in created and existing files"
