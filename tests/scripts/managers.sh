#!/usr/bin/env bash
# The hooks under the real hook managers, installed from their registries: the pre-commit
# framework (PyPI), lefthook and husky (npm), each configured the way `git handoff init --manager`
# does it (the pre-commit framework also through this repository's manifest); a plain `init`
# must refuse to touch each manager's hooks.
# For each: the gate blocks a branch without a packet and passes once there is one, the commit
# gets its trailer and note, a second commit without an update is blocked, `commit --amend`
# without an update passes, a failing lint of the manager's own still blocks, and the manager's
# uninstall leaves plain commits working. The pre-commit framework also parses this repository's
# .pre-commit-hooks.yaml (`pre-commit try-repo`).
#
#   tests/scripts/managers.sh     (needs cargo, git, python3 with venv, node and npm; run by .ci/run)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
cargo build --locked --quiet --manifest-path "$here/Cargo.toml"
bindir="${CARGO_TARGET_DIR:-$here/target}/debug"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
export PATH="$bindir:$PATH" PRE_COMMIT_HOME="$work/pre-commit-cache"
mkdir -p "$HOME"
git config --global user.name "Manager Test"
git config --global user.email "managers@example.com"
git config --global init.defaultBranch main
git config --global protocol.file.allow always

fail() { echo "managers: $*" >&2; exit 1; }

# A repository on branch `feature` with one commit made without hooks.
new_repo() {
  local dir="$work/$1"
  git init -q "$dir"
  git -C "$dir" commit -q --allow-empty --no-verify -m base
  git -C "$dir" switch -q -c feature
  echo "$dir"
}

# The scenario every manager must pass, in the repository $1 with the manager installed.
scenario() {
  local dir="$1" name="$2"
  cd "$dir"
  echo one > one.txt && git add one.txt
  if git commit -q -m one 2>"$work/err"; then fail "$name: a branch without a packet was let through"; fi
  grep -q "has no handoff packet" "$work/err" || fail "$name: unexpected refusal: $(cat "$work/err")"
  git handoff start -q --goal "Try $name" --accept "the gate holds"
  git commit -q -m one 2>"$work/err" || fail "$name: an updated packet was blocked: $(cat "$work/err")"
  git log -1 --format=%B | grep -q '^Handoff: ' || fail "$name: no trailer"
  git notes --ref=handoff show HEAD >/dev/null 2>&1 || fail "$name: no note"
  echo two > two.txt && git add two.txt
  if git commit -q -m two 2>"$work/err"; then fail "$name: a second commit without an update passed"; fi
  grep -q "not updated since the last commit" "$work/err" || fail "$name: $(cat "$work/err")"
  git reset -q
  git commit -q --amend -m "one, reworded" 2>"$work/err" || fail "$name: amend was blocked: $(cat "$work/err")"
  git notes --ref=handoff show HEAD >/dev/null 2>&1 || fail "$name: the amended commit lost its note"
  git handoff update -q --done "two"
  echo BAD > bad.txt && git add bad.txt
  if git commit -q -m bad 2>"$work/err"; then fail "$name: the manager's failing lint did not block"; fi
  git rm -q --cached bad.txt && rm bad.txt
  git add two.txt
  git commit -q -m two 2>"$work/err" || fail "$name: $(cat "$work/err")"
  cd "$work"
}

# After the manager's uninstall, a plain commit goes through without any gate.
plain_commit_works() {
  local dir="$1" name="$2"
  echo three > "$dir/three.txt"
  git -C "$dir" add three.txt
  git -C "$dir" commit -q -m three 2>"$work/err" || fail "$name: after uninstall: $(cat "$work/err")"
}

# --- the pre-commit framework -----------------------------------------------------------------
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit==4.7.0
pc="$work/venv/bin/pre-commit"
# Its own parse of the manifest, against a copy of this repository at HEAD plus the manifest as it
# is in the work tree.
git clone -q "$here" "$work/self"
cp "$here/.pre-commit-hooks.yaml" "$work/self/"
git -C "$work/self" add .pre-commit-hooks.yaml
git -C "$work/self" -c user.name=t -c user.email=t@t commit -q --allow-empty -m manifest
"$pc" validate-manifest "$here/.pre-commit-hooks.yaml" ||
  fail "pre-commit: .pre-commit-hooks.yaml is not a valid manifest"
repo="$(new_repo pre-commit)"
# try-repo reads the manifest and runs a step from it: the gate refuses this packetless branch.
if (cd "$repo" && "$pc" try-repo "$work/self" handoff-gate >"$work/out" 2>&1); then
  fail "pre-commit try-repo: the gate let a branch without a packet through: $(cat "$work/out")"
fi
grep -q "has no handoff packet" "$work/out" || fail "pre-commit try-repo: $(cat "$work/out")"
rev="$(git -C "$work/self" rev-parse HEAD)"
cat > "$repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $work/self
    rev: $rev
    hooks:
      - id: handoff-gate
      - id: handoff-trailer
      - id: handoff-note
      - id: handoff-rewrite
  - repo: local
    hooks:
      - id: no-bad
        name: no BAD files
        entry: sh -c '! grep -l BAD "\$@"' --
        language: system
EOF
git -C "$repo" add .pre-commit-config.yaml
git -C "$repo" commit -q --no-verify -m "pre-commit config"
(cd "$repo" && "$pc" install --hook-type pre-commit --hook-type commit-msg \
  --hook-type post-commit --hook-type post-rewrite >/dev/null)
scenario "$repo" pre-commit
(cd "$repo" && "$pc" uninstall --hook-type pre-commit --hook-type commit-msg \
  --hook-type post-commit --hook-type post-rewrite >/dev/null)
plain_commit_works "$repo" pre-commit
echo "managers: pre-commit $("$pc" --version | cut -d' ' -f2) with the manifest: gate, trailer, note, amend, lint, uninstall"
# The same with the lines `git handoff init --manager pre-commit` prints (local hooks), after it
# refuses to touch the framework's hooks.
repo="$(new_repo pre-commit-local)"
(cd "$repo" && "$pc" install --hook-type pre-commit >/dev/null)
if (cd "$repo" && git handoff init 2>"$work/err"); then fail "pre-commit: init replaced the framework's hooks"; fi
grep -q "pre-commit's" "$work/err" || fail "pre-commit: $(cat "$work/err")"
(cd "$repo" && git handoff init --manager pre-commit > .pre-commit-config.yaml 2>"$work/err")
install="$(sed -n 's/^then run: //p' "$work/err")"
cat >> "$repo/.pre-commit-config.yaml" <<'LINT'
      - id: no-bad
        name: no BAD files
        entry: sh -c '! grep -l BAD "$@"' --
        language: system
LINT
"$pc" validate-config "$repo/.pre-commit-config.yaml" || fail "pre-commit: init's lines are not a valid configuration"
git -C "$repo" add .pre-commit-config.yaml
git -C "$repo" commit -q --no-verify -m "pre-commit config"
(cd "$repo" && eval "$work/venv/bin/$install" >/dev/null)
scenario "$repo" pre-commit-local
echo "managers: pre-commit with init --manager's lines: gate, trailer, note, amend, lint"

# --- lefthook ---------------------------------------------------------------------------------
npm install --silent --no-audit --no-fund --prefix "$work/npm" lefthook@2.2.0 husky@9.1.7 >/dev/null
lefthook="$work/npm/node_modules/.bin/lefthook"
repo="$(new_repo lefthook)"
(cd "$repo" && git handoff init --manager lefthook > lefthook.yml 2>/dev/null)
cat > "$repo/lefthook-local.yml" <<'LINT'
pre-commit:
  commands:
    no-bad:
      run: sh -c '! grep -l BAD {staged_files}'
LINT
git -C "$repo" add lefthook.yml
git -C "$repo" commit -q --no-verify -m "lefthook config"
(cd "$repo" && "$lefthook" install >/dev/null)
if (cd "$repo" && git handoff init 2>"$work/err"); then fail "lefthook: init replaced lefthook's hooks"; fi
grep -q "lefthook's" "$work/err" || fail "lefthook: $(cat "$work/err")"
(cd "$repo" && git handoff doctor | grep -q "run by lefthook") || fail "lefthook: doctor does not see it"
scenario "$repo" lefthook
# git-handoff's uninstall does not edit lefthook.yml: it names it.
(cd "$repo" && git handoff uninstall 2>"$work/err" >/dev/null) || fail "lefthook: uninstall: $(cat "$work/err")"
grep -q "lefthook.yml still runs git-handoff" "$work/err" || fail "lefthook: uninstall is silent: $(cat "$work/err")"
(cd "$repo" && "$lefthook" uninstall >/dev/null)
plain_commit_works "$repo" lefthook
echo "managers: lefthook $("$lefthook" version): gate, trailer, note, amend, lint, uninstall"

# --- husky ------------------------------------------------------------------------------------
repo="$(new_repo husky)"
(cd "$repo" && "$work/npm/node_modules/.bin/husky" >/dev/null)
printf '! grep -l BAD $(git diff --cached --name-only)\n' > "$repo/.husky/pre-commit"
if (cd "$repo" && git handoff init 2>"$work/err"); then fail "husky: init replaced husky's hooks"; fi
grep -q "husky's" "$work/err" || fail "husky: $(cat "$work/err")"
(cd "$repo" && git handoff init --manager husky 2>/dev/null)
git -C "$repo" add .husky
git -C "$repo" commit -q --no-verify -m "husky config"
scenario "$repo" husky
# git-handoff's uninstall takes its lines out of husky's scripts; husky's own step stays.
(cd "$repo" && git handoff uninstall 2>/dev/null) || fail "husky: uninstall failed"
grep -q "git-handoff" "$repo/.husky/pre-commit" && fail "husky: uninstall left the line"
grep -q "grep -l BAD" "$repo/.husky/pre-commit" || fail "husky: uninstall took the user's step"
plain_commit_works "$repo" husky
echo "managers: husky 9.1.7: gate, trailer, note, amend, lint, uninstall"
