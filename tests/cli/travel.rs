//! Packets travel with plain push and fetch, and merge without loss, over file:// and a real
//! `git daemon` on 127.0.0.1.

use crate::common::{Server, TestRepo};

fn decisions(repo: &TestRepo) -> Vec<String> {
    let p = repo.packet_json();
    let mut d: Vec<String> = p["decisions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["what"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    d.sort();
    d
}

/// Restating the kept goal settles the conflict: a revision, and the warning is gone.
fn settle_the_conflict(b: &TestRepo) {
    let kept = b.packet_json()["task"]["goal"]
        .as_str()
        .expect("goal")
        .to_string();
    b.handoff(&["update", "--goal", &kept]).ok();
    assert!(!b
        .handoff(&["show"])
        .stderr
        .contains("unreviewed merge conflict"));
    assert!(
        !b.handoff(&["log"]).ok().contains("conflict base"),
        "where each side was written is no conflict"
    );
}

fn two_clones_hand_off_and_converge(server: &Server) {
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.init_hooks();
    a.handoff(&["start", "--goal", "Shared goal", "--accept", "it works"])
        .ok();
    a.hook_commit("alice one");
    a.git(&["push", "-q", "-u", "origin", "feature"]);
    assert!(
        server.remote_ref("refs/handoff/heads/feature").is_some(),
        "plain git push carried the packet"
    );
    assert!(
        server.remote_ref("refs/notes/handoff").is_some(),
        "and the notes"
    );

    let b = server.clone("Bob");
    b.handoff(&["init"]).ok();
    b.git(&["fetch", "-q"]);
    assert!(
        b.handoff(&["show", "origin/feature"])
            .ok()
            .contains("Shared goal"),
        "plain git fetch brought it"
    );
    b.git(&["checkout", "-q", "feature"]);
    b.handoff(&["update", "--decision", "bob first :: reviewed the API"])
        .ok();
    b.hook_commit("bob one");
    b.git(&["push", "-q"]);
    assert_eq!(b.note_revision("HEAD"), Some(2));

    // Both update offline, both change the goal, then sync in turn.
    a.handoff(&["pull"]).ok();
    a.handoff(&[
        "update",
        "--goal",
        "Goal by Alice",
        "--decision",
        "alice offline :: she knew",
    ])
    .ok();
    b.handoff(&[
        "update",
        "--goal",
        "Goal by Bob",
        "--decision",
        "bob offline :: he knew",
    ])
    .ok();
    a.handoff(&["sync"]).ok();
    let merged = b.handoff(&["sync"]);
    assert!(
        merged.ok().is_empty() && merged.stderr.contains("merged"),
        "{merged:?}"
    );
    a.handoff(&["sync"]).ok();
    assert_eq!(
        a.packet_json(),
        b.packet_json(),
        "both end with the same packet"
    );
    assert_eq!(
        decisions(&a),
        ["alice offline", "bob first", "bob offline"],
        "every decision either side added"
    );
    let shown = b.handoff(&["show"]);
    assert!(
        shown.stderr.contains("unreviewed merge conflict") && shown.stderr.contains("task.goal"),
        "{shown:?}"
    );
    let quiet = b.handoff(&["show", "--quiet"]);
    assert_eq!(
        quiet.stderr, shown.stderr,
        "--quiet keeps the warning and the hint: they are not progress"
    );
    assert!(
        shown.stderr.ends_with("\nhint: keep the merged value with any git handoff update (restating it is enough), or set the other one: git handoff update --goal \"…\"\n"),
        "{shown:?}"
    );
    let log = b.handoff(&["log"]);
    assert!(
        log.ok()
            .lines()
            .next()
            .is_some_and(|l| l.contains("merge") && l.contains("conflict task.goal")),
        "{log:?}"
    );
    let tip = b.git(&["rev-parse", "refs/handoff/heads/feature"]);
    assert_eq!(
        b.git(&["rev-list", "--parents", "-n", "1", &tip])
            .split_whitespace()
            .count(),
        3,
        "a merge has both parents"
    );
    assert_eq!(server.remote_ref("refs/handoff/heads/feature"), Some(tip));
    settle_the_conflict(&b);
    a.fsck();
    b.fsck();
}

#[test]
fn two_clones_over_file_remote() {
    two_clones_hand_off_and_converge(&Server::file());
}

#[test]
fn two_clones_over_git_daemon() {
    two_clones_hand_off_and_converge(&Server::daemon());
}

#[test]
fn init_adds_glob_refspecs_once_and_a_missing_remote_ref_does_not_break_fetch() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.handoff(&["init"]).ok();
    a.handoff(&["init"]).ok();
    let specs = a.git(&["config", "--get-all", "remote.origin.fetch"]);
    assert_eq!(
        specs.lines().count(),
        3,
        "default + two globs, once: {specs}"
    );
    a.git(&["fetch", "-q"]); // the remote has neither packets nor notes yet
    a.git(&["remote", "add", "second", &server.url]);
    a.handoff(&["init"]).ok();
    assert_eq!(
        a.git(&["config", "--get-all", "remote.second.fetch"])
            .lines()
            .count(),
        3
    );
}

#[test]
fn push_pull_and_sync_work_on_a_remote_init_never_saw() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.handoff(&["start", "--goal", "g", "--accept", "a"]).ok();
    let pushed = a.handoff(&["push", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(pushed.ok()).expect("json");
    assert_eq!(v["retries"], 0);
    let b = server.clone("Bob");
    b.git(&["checkout", "-q", "-b", "feature"]);
    b.handoff(&["pull", "origin", "feature"]).ok();
    assert!(b.handoff(&["show"]).ok().contains("goal = \"g\""));
    b.handoff(&["update", "--next", "more"]).ok();
    b.handoff(&["sync", "--all"]).ok();
    a.handoff(&["pull"]).ok();
    assert_eq!(a.packet_json()["revision"], 2);
}

#[test]
fn deleting_a_branch_keeps_its_packet_and_fetch_prune_keeps_the_copies() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.init_hooks();
    a.start();
    a.hook_commit("one");
    a.git(&["push", "-q", "origin", "feature"]);
    let b = server.clone("Bob");
    b.handoff(&["init"]).ok();
    b.git(&["fetch", "-q"]);
    a.git(&["push", "-q", "origin", ":feature"]);
    assert!(server.remote_ref("refs/heads/feature").is_none());
    assert!(
        server.remote_ref("refs/handoff/heads/feature").is_some(),
        "the packet chain stays on the remote"
    );
    b.git(&["fetch", "-q", "--prune"]);
    assert!(
        b.ref_target("refs/remotes/origin/feature").is_none(),
        "prune removed the branch copy"
    );
    assert!(
        b.handoff(&["show", "origin/feature"])
            .ok()
            .contains("Ship the retry"),
        "but kept the packet copy"
    );
}

#[test]
fn notes_merge_as_a_union_and_a_conflicting_note_keeps_the_higher_revision() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.start();
    let shared = a.commit("shared");
    a.git(&["push", "-q", "origin", "feature"]);
    a.handoff(&["push"]).ok();
    let b = server.clone("Bob");
    b.git(&["checkout", "-q", "feature"]);
    b.handoff(&["pull"]).ok();
    a.handoff(&["note", &shared]).ok(); // r1 on the shared commit
    let only_a = a.commit("only a");
    a.handoff(&["note", &only_a]).ok();
    b.handoff(&["update", "--done", "b"]).ok();
    b.handoff(&["note", &shared]).ok(); // r2 on the same commit
    b.handoff(&["sync"]).ok();
    a.handoff(&["sync"]).ok();
    assert_eq!(
        a.note_revision(&shared),
        Some(2),
        "the higher revision of the same packet wins"
    );
    assert_eq!(
        a.note_revision(&only_a),
        Some(1),
        "a note only one side had is kept"
    );
    b.handoff(&["pull"]).ok();
    assert_eq!(
        a.git(&["rev-parse", "refs/notes/handoff"]),
        b.git(&["rev-parse", "refs/notes/handoff"])
    );
    a.fsck();
}

#[test]
fn a_hostile_fetched_chain_is_left_aside_and_nothing_local_changes() {
    let server = Server::file();
    let evil = server.clone("Mallory");
    evil.git(&["checkout", "-q", "-b", "feature"]);
    evil.commit("x");
    let blob = evil.git_stdin(&["hash-object", "-w", "--stdin"], "schema = 1\nid = [\n");
    let tree = evil.git_stdin(&["mktree"], &format!("100644 blob {blob}\tpacket.toml\n"));
    let commit = evil.git(&["commit-tree", &tree, "-m", "handoff x r1: start"]);
    evil.git(&[
        "push",
        "-q",
        "origin",
        &format!("{commit}:refs/handoff/heads/feature"),
        "feature",
    ]);
    let victim = server.clone("Victim");
    victim.git(&["checkout", "-q", "feature"]);
    victim.start();
    let before = victim.refs_snapshot();
    let run = victim.handoff(&["pull"]);
    assert_eq!(
        run.code, 1,
        "a pull that leaves a fetched chain aside says so in its exit code: {run:?}"
    );
    assert!(
        run.stderr.contains("left aside") && run.stderr.contains("not a valid packet"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("refused: the packet of feature fetched from origin was not integrated")
            && run.stderr.contains("hint: ")
            && run.stderr.contains("git handoff show origin/feature"),
        "the last lines name what was not integrated and how to look at it: {run:?}"
    );
    let json = victim.handoff(&["pull", "--format", "json"]);
    assert_eq!(json.code, 1, "{json:?}");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("pull prints JSON");
    assert_eq!(v["branches"][0]["outcome"], "left-aside", "{v:#}");
    let after = victim.refs_snapshot();
    assert_eq!(
        TestRepo::local_packet_refs(&after),
        TestRepo::local_packet_refs(&before),
        "the local chain is untouched"
    );
}

#[test]
fn eight_clones_twenty_five_updates_each_sync_through_the_daemon_without_loss() {
    let server = Server::daemon();
    let first = server.clone("Seed");
    first.git(&["checkout", "-q", "-b", "feature"]);
    first.commit("seed");
    first.start();
    first.git(&["push", "-q", "origin", "feature"]);
    first.handoff(&["push"]).ok();
    let clones: Vec<TestRepo> = (0..8).map(|i| server.clone(&format!("Agent{i}"))).collect();
    for c in &clones {
        c.git(&["checkout", "-q", "feature"]);
        c.handoff(&["pull"]).ok();
    }
    let retries: u64 = std::thread::scope(|scope| {
        let handles: Vec<_> = clones
            .iter()
            .enumerate()
            .map(|(i, c)| {
                scope.spawn(move || {
                    let mut retries = 0;
                    for n in 0..25 {
                        c.handoff(&["update", "--done", &format!("agent {i} step {n}")])
                            .ok();
                        let run = c.handoff(&["sync", "--format", "json"]);
                        let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
                        retries += v["retries"].as_u64().unwrap_or(0);
                    }
                    retries
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("clone thread"))
            .sum()
    });
    for c in &clones {
        c.handoff(&["sync"]).ok();
    }
    let tips: Vec<String> = clones
        .iter()
        .map(|c| c.git(&["rev-parse", "refs/handoff/heads/feature"]))
        .collect();
    assert!(
        tips.iter().all(|t| *t == tips[0]),
        "all eight hold the same chain: {tips:?}"
    );
    let done = clones[0].packet_json()["state"]["done"]
        .as_array()
        .map(Vec::len);
    assert_eq!(
        done,
        Some(200),
        "every one of the 200 updates is in the packet"
    );
    let updates = clones[0].git(&["log", "--format=%s", "refs/handoff/heads/feature"]);
    assert_eq!(
        updates.lines().filter(|l| l.ends_with(": update")).count(),
        200,
        "all 200 revisions are in the chain"
    );
    eprintln!("eight clones: {retries} push retries in total");
    clones[0].fsck();
}

#[test]
fn broken_remote_notes_and_stray_refs_never_block_work() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.handoff(&["init"]).ok();
    a.start();
    a.commit("one");
    a.git(&["push", "-q", "origin", "feature"]);
    // Someone pushes garbage where the notes and a stray ref live (no server hook here).
    let blob = a.git_stdin(&["hash-object", "-w", "--stdin"], "not a commit\n");
    a.git(&[
        "push",
        "-q",
        "--no-verify",
        "--force",
        "origin",
        &format!("{blob}:refs/notes/handoff"),
    ]);
    a.git(&[
        "push",
        "-q",
        "--no-verify",
        "origin",
        "feature:refs/handoff/notes/handoff",
    ]);
    a.git(&["fetch", "-q"]);
    a.handoff(&["update", "--done", "one"]).ok();
    a.hook_commit("two");
    let pulled = a.handoff(&["pull"]);
    assert_eq!(
        pulled.code, 1,
        "a pull that leaves the notes aside says so: {pulled:?}"
    );
    assert!(
        pulled
            .stderr
            .contains("refused: the notes fetched from origin were not integrated")
            && pulled.stderr.contains("your notes are unchanged"),
        "{pulled:?}"
    );
    let run = a.git_run(&["push", "origin", "feature"]);
    assert_eq!(run.code, 0, "the push goes through: {run:?}");
    assert!(
        run.stderr
            .contains("notes fetched from origin are left aside")
            && run
                .stderr
                .contains("the notes were not pushed to origin: its notes do not merge with ours"),
        "the push says why the notes stayed behind: {run:?}"
    );
    let pushed = a.handoff(&["push"]);
    assert_eq!(
        pushed.code, 1,
        "notes left behind are no success: {pushed:?}"
    );
    assert!(
        pushed
            .stderr
            .contains("refused: the notes were not pushed to origin: its notes were left aside"),
        "{pushed:?}"
    );
}

#[test]
fn packets_started_apart_are_not_blended_and_urls_work_as_remotes() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.handoff(&["start", "--goal", "alice's task", "--accept", "a"])
        .ok();
    a.handoff(&["push", &server.url]).ok();
    let b = server.clone("Bob");
    b.git(&["checkout", "-q", "-b", "feature"]);
    b.handoff(&["start", "--goal", "bob's task", "--accept", "b"])
        .ok();
    let run = b.handoff(&["push", &server.url]);
    assert_eq!(
        run.code, 1,
        "refused: what was fetched does not merge: {run:?}"
    );
    assert!(run.stderr.contains("another packet for feature"), "{run:?}");
    // What happened on the way is told even though the push failed.
    assert!(
        run.stderr
            .contains("has packet revisions this clone lacks; merging them and pushing again")
            && run
                .stderr
                .contains("warning: feature: the packet fetched from"),
        "{run:?}"
    );
    assert!(
        b.packet_json()["task"]["goal"] == "bob's task",
        "nothing blended locally"
    );
    assert!(
        b.git(&["for-each-ref", "refs/handoff-remotes"]).is_empty(),
        "a URL's copies are not kept"
    );
}

#[test]
fn a_renamed_push_carries_the_packet_under_the_remote_name_and_dry_runs_push_nothing() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.init_hooks();
    a.start();
    a.hook_commit("one");
    a.git(&["push", "-q", "--dry-run", "origin", "feature"]);
    assert!(
        server.remote_ref("refs/handoff/heads/feature").is_none(),
        "a dry run pushes no packet"
    );
    a.git(&["push", "-q", "origin", "feature:review"]);
    assert!(
        server.remote_ref("refs/handoff/heads/review").is_some(),
        "the packet travels with the remote name"
    );
    assert!(server.remote_ref("refs/handoff/heads/feature").is_none());
}

#[test]
fn a_push_the_remote_refuses_is_not_retried_and_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::file();
    let hook = server.env.root.join("remote.git/hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'error   policy          no packets today' >&2\nexit 1\n",
    )
    .expect("hook");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.start();
    let run = a.handoff(&["push"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(
            "refused: origin refused refs/handoff/heads/feature: error policy no packets today"
        ) && !run.stderr.contains("retrying"),
        "{run:?}"
    );
}
