#!/usr/bin/env python3
"""Writes a git fast-import stream of PACKETS packet chains with REVISIONS revisions each (for
benches/views.sh): every revision adds a done item and a decision, every third a rejected
approach; a tenth of the packets wait for `bench` (owner), the rest for others."""
import sys

packets, revisions = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
words = ["retry", "backoff", "lock", "cache", "index", "schema", "writer", "notes", "merge", "push"]
statuses = ["ready", "in-progress", "blocked", "in-review", "changes-requested", "done"]
mark = 0
for p in range(packets):
    owner = "bench" if p % 10 == 0 else f"agent{p % 7}"
    done, decisions, rejected = [], [], []
    parent = None
    for r in range(1, revisions + 1):
        w = words[(p + r) % len(words)]
        done.append(f"step {r} of the {w} work")
        decisions.append((f"Use {w} {p}-{r}", f"it keeps the {words[r % 10]} path simple"))
        if r % 3 == 0:
            rejected.append((f"A global {w} for packet {p}", "it deadlocks beside git pack-refs"))
        lines = [
            "schema = 1", f'id = "hx-{p:06d}"', f"revision = {r}", f'branch = "b/{p}"',
            'base = ""', f"updated = 2026-11-{1 + r % 28:02d}T10:00:00Z",
            'author = "Bench <bench@example.com>"', "", "[task]",
            f'goal = "Packet {p}: make the {w} path fair"', 'acceptance = ["it works"]', "",
            "[control]", 'lane = "execute"', f'owner = "{owner}"', "hops = 0", "max_hops = 8", "",
            "[state]", f'status = "{statuses[p % len(statuses)]}"',
            "done = [" + ", ".join(f'"{d}"' for d in done[-20:]) + "]", "",
        ]
        for what, why in decisions[-20:]:
            lines += ["[[decisions]]", f'what = "{what}"', f'why = "{why}"', ""]
        for what, why in rejected[-20:]:
            lines += ["[[rejected]]", f'what = "{what}"', f'why = "{why}"', ""]
        body = ("\n".join(lines).rstrip("\n") + "\n").encode()
        mark += 1
        out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(body)) + body + b"\n")
        msg = f"handoff hx-{p:06d} r{r}: update\n".encode()
        out.write(b"commit refs/handoff/heads/b/%d\nmark :%d\n" % (p, mark + 1))
        out.write(b"committer Bench <bench@example.com> %d +0000\n" % (1700000000 + r))
        out.write(b"data %d\n" % len(msg) + msg)
        if parent:
            out.write(b"from :%d\n" % parent)
        out.write(b"M 644 :%d packet.toml\n\n" % mark)
        parent = mark + 1
        mark += 1
