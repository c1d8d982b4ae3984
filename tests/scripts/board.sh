#!/usr/bin/env bash
# Script-level check of `git handoff board --html` in a real browser: headless Chromium (Debian's
# package, installed here when missing) loads the page (which holds no script at all), and the DOM
# it builds
# holds the six columns, each card in the column of its status, and a hostile goal as text, not
# markup. Also lints the exported HANDOFF.md with markdownlint.
#
#   tests/scripts/board.sh [SCREENSHOT.png]   (needs cargo, git; run by .ci/run)
#
# With a path, it also saves a screenshot of the board (docs/board.png is made so).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
shot="${1:-}"
[ -z "$shot" ] || shot="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
cargo build --locked --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/debug/git-handoff"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Ada Lovelace"
git config --global user.email ada@example.com
git config --global init.defaultBranch main

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "board: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi

# A realistic board: six branches, one per column, a returned review, a blocker, a stale one.
repo="$work/repo"
git init -q "$repo"
cd "$repo"
git commit -q --allow-empty -m base
card() { # branch goal status owner lane [more update flags…]
  local branch="$1" goal="$2" status="$3" owner="$4" lane="$5"
  shift 5
  git switch -q -c "$branch" main
  "$bin" start -q --goal "$goal" --accept "the tests pass" --as planner
  "$bin" update -q --as planner --owner "$owner" --lane "$lane" --status "$status" --validate "cargo test" "$@"
}
card plan/search-index "Plan the search index for recall" draft planner plan --next "list the fields to index"
card fix/login-retry "Retry the login with jittered backoff" in-progress codex execute --in-progress "wire the backoff into push"
card feat/export "Export HANDOFF.md both ways" blocked claude execute --blocker "@gemini: which heading names count?"
card feat/board "Operator board as one HTML page" in-review codex audit --reviewer gemini
card fix/cache-keys "Tighten the cache keys" changes-requested codex execute --reviewer claude
card chore/old-flag "Drop the --legacy flag" done codex execute
git switch -q -c hostile main
"$bin" start -q --goal '<script>document.title="pwned"</script><img src=x onerror=alert(1)>' --accept ok

"$bin" board --html "$work/board.html"
if grep -q '<script' "$work/board.html"; then
  echo "board: the page holds a script element" >&2
  exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run
  --disable-extensions --disable-sync)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/board.html" 2>/dev/null > "$work/dom.html"
python3 - "$work/dom.html" <<'PY'
import sys
from html.parser import HTMLParser

class Board(HTMLParser):
    def __init__(self):
        super().__init__()
        self.columns, self.column, self.card, self.text = {}, None, None, []
        self.depth = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe"):
            raise SystemExit(f"board: the DOM holds a <{tag}> element")
        if tag == "section":
            self.column = a.get("data-status")
            self.columns[self.column] = []
        if tag == "article":
            self.card = {"branch": a.get("data-branch"), "text": ""}
    def handle_endtag(self, tag):
        if tag == "article" and self.card:
            self.columns[self.column].append(self.card)
            self.card = None
    def handle_data(self, data):
        if self.card is not None:
            self.card["text"] += data

board = Board()
board.feed(open(sys.argv[1], encoding="utf-8").read())
expected = {
    "todo": {"plan/search-index", "hostile"},
    "in-progress": {"fix/login-retry"},
    "blocked": {"feat/export"},
    "in-review": {"feat/board"},
    "changes-requested": {"fix/cache-keys"},
    "finished": {"chore/old-flag"},
}
assert list(board.columns) == list(expected), f"columns in order: {list(board.columns)}"
for column, branches in expected.items():
    got = {c["branch"] for c in board.columns[column]}
    assert got == branches, f"{column}: {got} != {branches}"
cards = {c["branch"]: c["text"] for cs in board.columns.values() for c in cs}
assert "Retry the login with jittered backoff" in cards["fix/login-retry"], cards["fix/login-retry"]
assert "execute / codex" in cards["fix/login-retry"]
assert "reviewer: gemini" in cards["feat/board"]
assert '<script>document.title="pwned"</script>' in cards["hostile"], "the hostile goal reads as text"
print("board: Chromium renders six columns, every card in its column, hostile text as text")
PY
if [ -n "$shot" ]; then
  git switch -q main
  git branch -q -D hostile
  git update-ref -d refs/handoff/heads/hostile
  "$bin" board --html "$work/board.html"
  timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1500,360 --screenshot="$shot" \
    "file://$work/board.html" 2>/dev/null
  echo "board: screenshot in $shot"
fi

# The export passes markdownlint, alone and below a file's own text.
npm install --silent --no-audit --no-fund --prefix "$work/npm" markdownlint-cli2@0.22.1 >/dev/null
git switch -q feat/export
"$bin" export --to "$work/HANDOFF.md"
printf '# Team notes\n\nKeep this.\n' > "$work/NOTES.md"
"$bin" export --to "$work/NOTES.md"
(cd "$work" && "$work/npm/node_modules/.bin/markdownlint-cli2" HANDOFF.md NOTES.md)
echo "board: the HANDOFF.md export passes markdownlint"
