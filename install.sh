#!/usr/bin/env bash
# Builds git-handoff, installs it and its man page, and shows it working.
#
#   ./install.sh                     installs into ${PREFIX:-$HOME/.local}/bin
#   ./install.sh --prefix /usr/local installs into /usr/local/bin and /usr/local/share/man
#   ./install.sh --bindir DIR        installs the binary into DIR (man page beside, in DIR/../share/man)
#   ./install.sh --binary PATH       installs an already built binary instead of building one
#   ./install.sh --build-only        builds, prints the binary's path and installs nothing
#
# Re-running it is safe: files are replaced atomically.
set -euo pipefail

die() { printf 'error: %s\nhint: %s\n' "$1" "$2" >&2; exit 2; }

prefix="${PREFIX:-$HOME/.local}"
bindir=""
binary=""
build_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory" "./install.sh --prefix DIR"; prefix="$2"; shift 2 ;;
    --bindir) [ $# -ge 2 ] || die "--bindir needs a directory" "./install.sh --bindir DIR"; bindir="$2"; shift 2 ;;
    --binary) [ $# -ge 2 ] || die "--binary needs a path" "./install.sh --binary target/release/git-handoff"; binary="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" "./install.sh [--prefix DIR] [--bindir DIR] [--binary PATH] [--build-only]" ;;
  esac
done
[ -n "$bindir" ] || bindir="$prefix/bin"
mandir="$(dirname "$bindir")/share/man/man1"

command -v git >/dev/null 2>&1 || die "git is not installed" "install git first (apt-get install git)"
here="$(cd "$(dirname "$0")" && pwd)"
# On Linux with glibc the binary is linked statically: nothing to load at each start, and the
# hooks start it three times per commit. Elsewhere (or where the static build fails) a regular
# build. The flag joins RUSTFLAGS (or CARGO_ENCODED_RUSTFLAGS) when you set them; otherwise it is
# the target's rustflags, and cargo then leaves a `build.rustflags` of your cargo config aside
# for this build. cargo puts the binary under CARGO_TARGET_DIR when that is set.
build() {
  local target host flags static="-C target-feature=+crt-static"
  target="${CARGO_TARGET_DIR:-$here/target}"
  case "$target" in /*) ;; *) target="$here/$target" ;; esac
  host="$(rustc -vV 2>/dev/null | sed -n 's/^host: //p' || true)"
  if [ -n "$host" ] && [[ "$host" == *-linux-gnu ]]; then
    flags="CARGO_TARGET_$(printf '%s' "$host" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
    # Set at all, even empty, they are what cargo uses: join them rather than be ignored.
    if [ -n "${CARGO_ENCODED_RUSTFLAGS+set}" ]; then
      set -- CARGO_ENCODED_RUSTFLAGS="${CARGO_ENCODED_RUSTFLAGS:+$CARGO_ENCODED_RUSTFLAGS$'\x1f'}-Ctarget-feature=+crt-static"
    elif [ -n "${RUSTFLAGS+set}" ]; then
      set -- RUSTFLAGS="$RUSTFLAGS $static"
    else
      set -- "$flags=${!flags:-} $static"
    fi
    if (cd "$here" && env "$@" cargo build --release --locked --quiet --target "$host"); then
      binary="$target/$host/release/git-handoff"
      if grep -q "/ld-linux" "$binary" 2>/dev/null; then
        echo "warning: $binary is linked dynamically (a flag of yours may have overridden +crt-static); it works, only its start is slower" >&2
      fi
      return
    fi
    echo "warning: the static build failed (see above); building a regular one" >&2
  fi
  (cd "$here" && cargo build --release --locked --quiet)
  binary="$target/release/git-handoff"
}

if [ -z "$binary" ]; then
  command -v cargo >/dev/null 2>&1 || die "cargo is not installed" "install Rust from https://rustup.rs, then re-run ./install.sh"
  echo "building git-handoff (release)…" >&2
  build
  [ -x "$binary" ] || die "cargo built no binary at $binary" "check the build output above, then run ./install.sh again"
fi
[ -x "$binary" ] || die "no binary at $binary" "build it with cargo build --release, or drop --binary"
if [ -n "$build_only" ]; then printf '%s\n' "$binary"; exit 0; fi

mkdir -p "$bindir" "$mandir"
install -m 0755 "$binary" "$bindir/.git-handoff.new"
mv -f "$bindir/.git-handoff.new" "$bindir/git-handoff"
"$bindir/git-handoff" man --dir "$mandir"
echo "installed $bindir/git-handoff and its manual pages in $mandir" >&2

case ":$PATH:" in
  *":$bindir:"*) ;;
  *) printf 'warning: %s is not on PATH; add it so `git handoff` works:\n  export PATH="%s:$PATH"\n' "$bindir" "$bindir" >&2 ;;
esac

# Show it working on a throwaway repository.
demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
(
  cd "$demo"
  export PATH="$bindir:$PATH" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
  git init -q -b demo .
  git config user.name "git-handoff demo"
  git config user.email "demo@example.invalid"
  git handoff --quiet start --goal "Try git-handoff" --accept "the packet shows up" --next "run it in a real repository"
  git handoff show --format md
) >&2
"$bindir/git-handoff" --version >&2

cat <<'TXT'
First use, in a repository, on a branch of its own (docs/workflow.md tells the handoff):
  git handoff init && git handoff start --goal "what this branch is for" --accept "how we know it is done"
  git handoff update --done "what you did" --next "what comes next"   # then: git handoff brief
TXT
