//! The receiving clone: after a plain `git fetch`, every read command works on the fetched data,
//! says so, and no hint leads to a second packet beside the one that exists.

use crate::common::{Server, TestRepo};

/// Alice's branch with two revisions, pushed; Bob's fresh clone with `init` and a plain fetch.
fn received() -> (Server, TestRepo, TestRepo) {
    let server = Server::file();
    let alice = server.clone("Alice");
    alice.git(&["checkout", "-q", "-b", "feature"]);
    alice.init_hooks();
    alice.start();
    alice.hook_commit("one");
    alice
        .handoff(&["update", "--done", "one", "--status", "in-review"])
        .ok();
    alice.hook_commit("two");
    alice.git(&["push", "-q", "origin", "feature"]);
    let bob = server.clone("Bob");
    bob.init_hooks();
    bob.git(&["fetch", "-q"]);
    bob.git(&["checkout", "-q", "feature"]);
    (server, alice, bob)
}

#[test]
fn every_read_command_works_on_fetched_data_and_says_so() {
    let (_server, _alice, bob) = received();
    let fetched =
        "feature: reading the packet fetched from origin; git handoff pull makes it yours";
    for args in [&["show"][..], &["log"], &["diff"], &["check"]] {
        let run = bob.handoff(args);
        assert_eq!(run.code, 0, "git handoff {args:?}: {run:?}");
        assert!(
            run.stderr.contains(fetched),
            "git handoff {args:?}: {run:?}"
        );
        assert!(
            !run.stdout.contains("trailer but no note") && !run.stderr.contains("start one"),
            "git handoff {args:?}: {run:?}"
        );
    }
    let notes = bob.handoff(&["notes", "HEAD"]);
    let lines: Vec<&str> = notes.ok().lines().collect();
    assert!(
        lines.len() == 2 && lines.iter().all(|l| l.contains(" r")),
        "fetched notes count: {notes:?}"
    );
    assert!(
        notes
            .stderr
            .contains("notes read from the notes fetched from origin"),
        "{notes:?}"
    );
    let list = bob.handoff(&["list"]);
    assert!(list.ok().contains("origin/feature"), "{list:?}");
}

#[test]
fn no_hint_leads_to_a_second_packet_and_a_refusal_writes_nothing() {
    let (_server, _alice, bob) = received();
    let before = bob.refs_snapshot();
    let start = bob.handoff(&["start", "--goal", "again", "--accept", "a"]);
    start.fails(1, "fetched from origin");
    assert!(start.stderr.contains("git handoff pull"), "{start:?}");
    let note = bob.handoff(&["note"]);
    note.fails(2, "git handoff pull origin");
    let commit = bob.try_commit("three");
    assert_eq!(commit.code, 1, "{commit:?}");
    assert!(
        commit.stderr.contains("was fetched from origin")
            && commit.stderr.contains("hint: git handoff pull origin"),
        "{commit:?}"
    );
    bob.git(&["reset", "-q", "HEAD"]);
    for run in [&start, &note, &commit] {
        assert!(!run.stderr.contains("git handoff start"), "{run:?}");
    }
    assert_eq!(
        bob.refs_snapshot(),
        before,
        "every refusal left the refs as they were"
    );
    // The way the hints point works.
    bob.handoff(&["pull"]).ok();
    bob.handoff(&["update", "--done", "two"]).ok();
    bob.hook_commit("three");
}

#[test]
fn a_branch_without_a_packet_shows_its_tips_note_and_says_whose_it_is() {
    let (_server, _alice, bob) = received();
    bob.handoff(&["pull"]).ok();
    bob.git(&["checkout", "-q", "-b", "other"]);
    let run = bob.handoff(&["show"]);
    assert!(run.ok().contains("Ship the retry"), "{run:?}");
    assert!(
        run.stderr
            .contains("warning: other has no packet of its own; showing the note of its tip"),
        "{run:?}"
    );
    assert!(run.stderr.contains("of branch feature"), "{run:?}");
}

#[test]
fn revisions_brought_by_a_plain_git_pull_are_shown_and_merged_before_the_next_write() {
    let (_server, alice, bob) = received();
    bob.handoff(&["pull"]).ok();
    bob.handoff(&["update", "--done", "two", "--next", "bob's step"])
        .ok();
    bob.hook_commit("three");
    bob.git(&["push", "-q", "origin", "feature"]);
    // A plain `git pull`: the configured refspecs bring the packet refs too.
    alice.git(&["fetch", "-q"]);
    alice.git(&["merge", "-q", "--ff-only", "origin/feature"]);
    let shown = alice.handoff(&["show"]);
    assert!(
        shown.ok().contains("revision = 2")
            && shown
                .stderr
                .contains("origin holds revisions of this packet that yours lacks"),
        "{shown:?}"
    );
    // A refused write leaves the refs as they were, fetched revisions merged for it included.
    let before = alice.refs_snapshot();
    alice.handoff(&["update"]).fails(1, "nothing to update");
    alice
        .handoff(&["start", "--goal", "again", "--accept", "a"])
        .fails(1, "already has an open packet");
    assert_eq!(alice.refs_snapshot(), before);
    let update = alice.handoff(&["update", "--next", "alice's step"]);
    assert!(
        update
            .stderr
            .contains("merged the revisions fetched from origin first"),
        "{update:?}"
    );
    let p = alice.packet_json();
    assert_eq!(
        p["state"]["next"],
        serde_json::json!(["bob's step", "alice's step"]),
        "the update continues Bob's revision, not a fork: {p}"
    );
    let fetched = alice.git(&["rev-parse", "refs/handoff-remotes/origin/heads/feature"]);
    alice.git(&[
        "merge-base",
        "--is-ancestor",
        &fetched,
        "refs/handoff/heads/feature",
    ]);
}
