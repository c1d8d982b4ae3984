//! The check on the server: a pre-receive hook rejects branches without current intent, over
//! file:// and over a real `git daemon`.

use crate::common::{Server, TestRepo};

fn guarded(server: &Server) {
    let bare = server.env.root.join("remote.git");
    server.env.handoff_in(&bare, &["init"]).ok();
    assert!(
        bare.join("hooks/pre-receive").exists() && !bare.join("hooks/pre-commit").exists(),
        "init installs the server hook, and only it, in a bare repository"
    );
}

fn push(repo: &TestRepo, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["push", "--no-verify", "origin"];
    all.extend_from_slice(args);
    repo.git_run(&all)
}

/// A guarded server with `main` pushed, and a client with hooks on a new branch `feature`.
fn client_on_feature(server: &Server) -> TestRepo {
    guarded(server);
    let c = server.clone("Client");
    c.git(&["checkout", "-q", "-b", "main"]);
    c.commit("root");
    push(&c, &["main"]).ok();
    c.git(&["checkout", "-q", "-b", "feature"]);
    c.init_hooks();
    c
}

fn rejects_then_accepts(server: &Server) {
    guarded(server);
    let c = server.clone("Client");
    c.git(&["checkout", "-q", "-b", "main"]);
    c.commit("root");
    let run = push(&c, &["main"]);
    assert_eq!(run.code, 0, "an exempt branch passes: {run:?}");

    c.git(&["checkout", "-q", "-b", "feature"]);
    c.commit("work without a packet");
    let run = push(&c, &["feature"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("remote: error   packet-exists   branch feature has no handoff packet"),
        "{run:?}"
    );
    assert!(run.stderr.contains("pre-receive hook declined"), "{run:?}");
    assert!(
        server.remote_ref("refs/heads/feature").is_none(),
        "nothing landed"
    );

    c.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--status",
        "in-review",
        "--artifact",
        "work-without-a-packet.txt :: the work",
        "--validate",
        "true",
    ])
    .ok();
    c.handoff(&["note", "HEAD"]).ok();
    // The packet chain and the notes travel in the same push as the branch, and count.
    let run = push(
        &c,
        &[
            "feature",
            "refs/handoff/heads/feature",
            "refs/notes/handoff",
        ],
    );
    assert_eq!(run.code, 0, "a current packet is accepted: {run:?}");
    assert!(server.remote_ref("refs/heads/feature").is_some());

    c.commit("unannotated");
    let run = push(&c, &["feature"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("carries no intent"),
        "the new commit has no note or trailer: {run:?}"
    );
    assert!(
        run.stderr.contains("error   current"),
        "the packet was not updated for it: {run:?}"
    );
}

#[test]
fn pre_receive_over_file_remote() {
    rejects_then_accepts(&Server::file());
}

#[test]
fn pre_receive_over_git_daemon() {
    rejects_then_accepts(&Server::daemon());
}

#[test]
fn packet_refs_on_the_server_are_append_only_and_a_push_cannot_exempt_itself() {
    let server = Server::file();
    guarded(&server);
    let c = server.clone("Client");
    c.git(&["checkout", "-q", "-b", "main"]);
    c.commit("root");
    push(&c, &["main"]).ok();
    c.git(&["checkout", "-q", "-b", "feature"]);
    c.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--status",
        "in-review",
        "--artifact",
        "root.txt :: r",
        "--validate",
        "true",
    ])
    .ok();
    c.commit("work");
    c.handoff(&["update", "--done", "work"]).ok();
    c.handoff(&["note"]).ok();
    push(
        &c,
        &[
            "feature",
            "refs/handoff/heads/feature",
            "refs/notes/handoff",
        ],
    )
    .ok();

    let run = push(&c, &[":refs/handoff/heads/feature"]);
    assert!(
        run.code != 0 && run.stderr.contains("never deleted"),
        "{run:?}"
    );
    let run = push(&c, &[":refs/notes/handoff"]);
    assert!(
        run.code != 0 && run.stderr.contains("never deleted"),
        "{run:?}"
    );
    let orphan_tree = c.git(&["rev-parse", "refs/handoff/heads/feature^{tree}"]);
    let orphan = c.git(&["commit-tree", &orphan_tree, "-m", "handoff x r1: start"]);
    let run = push(&c, &[&format!("+{orphan}:refs/handoff/heads/feature")]);
    assert!(
        run.code != 0 && run.stderr.contains("only additions"),
        "{run:?}"
    );
    let run = push(&c, &["main:refs/handoff/notes/handoff"]);
    assert!(
        run.code != 0 && run.stderr.contains("only packet chains"),
        "{run:?}"
    );
    assert!(server.remote_ref("refs/handoff/heads/feature").is_some());

    c.git(&["checkout", "-q", "-b", "sneaky", "main"]);
    std::fs::write(c.path.join(".handoff.toml"), "exempt = [\"**\"]\n").expect("write");
    c.git(&["add", ".handoff.toml"]);
    c.git(&["commit", "-q", "--no-verify", "-m", "exempt myself"]);
    let run = push(&c, &["sneaky"]);
    assert!(
        run.code != 0 && run.stderr.contains("packet-exists"),
        "the server's policy decides: {run:?}"
    );
}

#[test]
fn the_server_checks_a_pushed_chain_whole_and_never_lets_notes_go() {
    let server = Server::file();
    guarded(&server);
    let c = server.clone("Client");
    c.git(&["checkout", "-q", "-b", "feature"]);
    c.init_hooks();
    c.start();
    c.hook_commit("one");
    c.handoff(&["push"]).ok();
    // A valid packet on top of a code commit: the tip reads, the history does not.
    let code = c.git(&["rev-parse", "HEAD"]);
    let r2 = c
        .handoff(&["show"])
        .ok()
        .replace("revision = 1\n", "revision = 2\n");
    let blob = c.git_stdin(&["hash-object", "-w", "--stdin"], &r2);
    let tree = c.git_stdin(&["mktree"], &format!("100644 blob {blob}\tpacket.toml\n"));
    let id = c.packet_json()["id"].as_str().expect("id").to_string();
    let forged = c.git(&[
        "commit-tree",
        &tree,
        "-p",
        "refs/handoff/heads/feature",
        "-p",
        &code,
        "-m",
        &format!("handoff {id} r2: update"),
    ]);
    let run = push(&c, &[&format!("{forged}:refs/handoff/heads/feature")]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("is not a packet revision"), "{run:?}");
    // A notes commit that drops every note.
    let notes = c.git(&["rev-parse", "refs/notes/handoff"]);
    let empty = c.git_stdin(&["mktree"], "");
    let wipe = c.git(&["commit-tree", &empty, "-p", &notes, "-m", "wipe"]);
    let run = push(&c, &[&format!("{wipe}:refs/notes/handoff")]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("removes the note of"), "{run:?}");
    assert_eq!(
        server.remote_ref("refs/notes/handoff").as_deref(),
        Some(notes.as_str()),
        "the server's notes stay"
    );
}

#[test]
fn lanes_share_work_in_progress_and_only_ready_packets_enter_a_protected_branch() {
    let server = Server::daemon();
    let c = client_on_feature(&server);
    c.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--status",
        "in-progress",
    ])
    .ok();
    c.hook_commit("work");
    let run = c.git_run(&["push", "-q", "origin", "feature"]);
    assert_eq!(run.code, 0, "work in progress is shared: {run:?}");
    assert!(server.remote_ref("refs/heads/feature").is_some());

    c.git(&["checkout", "-q", "main"]);
    c.git(&["merge", "-q", "--ff-only", "feature"]);
    let run = push(&c, &["main"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("main is protected: it would take in commits of feature (hx-",)
            && run
                .stderr
                .contains("whose status is in-progress (allowed: approved, done)"),
        "{run:?}"
    );
    let main_before = server.remote_ref("refs/heads/main");

    c.git(&["checkout", "-q", "feature"]);
    c.handoff(&["update", "--status", "approved"]).ok();
    c.handoff(&["push"]).ok();
    c.git(&["checkout", "-q", "main"]);
    assert_eq!(
        server.remote_ref("refs/heads/main"),
        main_before,
        "nothing landed"
    );
    let run = push(&c, &["main"]);
    assert_eq!(run.code, 0, "an approved packet merges: {run:?}");
    assert_eq!(
        server.remote_ref("refs/heads/main"),
        Some(c.git(&["rev-parse", "HEAD"]))
    );
}

#[test]
fn a_protected_branch_judges_the_newest_word_on_each_packet_and_trailers_without_notes() {
    let server = Server::file();
    let c = client_on_feature(&server);
    c.handoff(&[
        "start", "--goal", "g", "--accept", "a", "--status", "approved",
    ])
    .ok();
    c.hook_commit("approved work");
    c.git(&["push", "-q", "origin", "feature"]);
    // Work goes on after the approval; its commit carries the newer, unapproved revision.
    c.handoff(&["update", "--status", "in-progress", "--next", "more"])
        .ok();
    c.hook_commit("unreviewed work");
    c.handoff(&["note"]).ok();
    let run = c.git_run(&["push", "origin", "feature:main"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("whose status is in-progress"),
        "{run:?}"
    );
    // A commit whose packet never reached the server, pushed without the hooks.
    c.git(&["checkout", "-q", "-b", "other", "main"]);
    c.handoff(&["start", "--goal", "o", "--accept", "a"]).ok();
    c.hook_commit("other work");
    let run = push(&c, &["other:main"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("a packet this repository does not hold"),
        "{run:?}"
    );
}
