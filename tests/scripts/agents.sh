#!/usr/bin/env bash
# Script-level check of what `git handoff setup` writes for agent runtimes, with real tools from
# the package registries: the managed block passes markdownlint (markdownlint-cli2, default
# rules) in a file setup creates and appended to a file the user already has; and the real
# Gemini CLI loads the settings setup writes (project and user) without a configuration error.
# Gemini CLI checks its settings before it asks for credentials, so it runs here offline; the
# real GitHub Copilot CLI lists the instruction files it would load (ours among them); Claude
# Code validates the hooks setup writes as a plugin's. docs/agents.md says what each proves.
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

npm install --silent --no-audit --no-fund --prefix "$work/gemini" @google/gemini-cli@0.61.0 >/dev/null
gemini="$work/gemini/node_modules/.bin/gemini"
# What Gemini CLI says when it starts: configuration errors first, then the missing credentials.
gemini_says() { (cd "$1" && timeout 120 "$gemini" --list-extensions </dev/null 2>&1 || true); }
git init -q "$work/gem"
(cd "$work/gem" && "$bin" setup gemini -q 2>/dev/null && "$bin" setup gemini --user -q 2>/dev/null)
said="$(gemini_says "$work/gem")"
if grep -qiE 'invalid configuration|error in' <<<"$said" || ! grep -q 'Auth method' <<<"$said"; then
  echo "Gemini CLI did not load the settings setup wrote:" >&2; echo "$said" >&2; exit 1
fi
# The control: the same check does see a settings file Gemini refuses.
git init -q "$work/bad"
mkdir -p "$work/bad/.gemini"
sed 's/"timeout": 10000/"timeout": "soon"/' "$work/gem/.gemini/settings.json" > "$work/bad/.gemini/settings.json"
grep -q 'Invalid configuration' <<<"$(gemini_says "$work/bad")" \
  || { echo "Gemini CLI no longer reports invalid settings: this check proves nothing" >&2; exit 1; }
echo "agents: Gemini CLI $("$gemini" --version) loads the project and user settings setup writes"

npm install --silent --no-audit --no-fund --prefix "$work/copilot" @github/copilot@1.0.102 >/dev/null
copilot="$work/copilot/node_modules/.bin/copilot"
git init -q "$work/cop"
(cd "$work/cop" && "$bin" setup copilot -q 2>/dev/null && "$bin" setup copilot --user -q 2>/dev/null)
listed="$(cd "$work/cop" && timeout 120 "$copilot" instruction list </dev/null 2>&1)"
for source in "from AGENTS.md" "from $HOME/.copilot/copilot-instructions.md"; do
  grep -qF "$source" <<<"$listed" \
    || { echo "Copilot CLI does not list $source:" >&2; echo "$listed" >&2; exit 1; }
done
echo "agents: $("$copilot" --version | head -1 | sed 's/\.$//') reads the instruction files setup writes"

# Claude Code checks a plugin's hooks against its own schema without a login: the hooks setup
# writes, put in a plugin, pass `claude plugin validate --strict`; a control that must fail.
npm install --silent --no-audit --no-fund --prefix "$work/claude" @anthropic-ai/claude-code@2.1.197 >/dev/null
claude="$work/claude/node_modules/.bin/claude"
git init -q "$work/cla"
(cd "$work/cla" && "$bin" setup claude -q 2>/dev/null)
mkdir -p "$work/plugin/.claude-plugin" "$work/plugin/hooks"
printf '{"name":"git-handoff-check","version":"0.1.0","description":"setup check","author":{"name":"ci"}}\n' \
  > "$work/plugin/.claude-plugin/plugin.json"
cp "$work/cla/.claude/settings.json" "$work/plugin/hooks/hooks.json"
(cd "$work" && timeout 120 "$claude" plugin validate --strict ./plugin </dev/null >/dev/null 2>&1) \
  || { echo "Claude Code refuses the hooks setup writes:" >&2
       (cd "$work" && "$claude" plugin validate --strict ./plugin </dev/null) >&2; exit 1; }
sed -i 's/"timeout": 10/"timeout": "ten"/' "$work/plugin/hooks/hooks.json"
if (cd "$work" && timeout 120 "$claude" plugin validate --strict ./plugin </dev/null >/dev/null 2>&1); then
  echo "Claude Code no longer checks hook entries: this check proves nothing" >&2; exit 1
fi
echo "agents: Claude Code $("$claude" --version | cut -d' ' -f1) accepts the hooks setup writes"
