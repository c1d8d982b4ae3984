//! A revision names one thing: concurrent clones that both write `r<N>` are told apart by the
//! content id in their trailers, and a fetched chain whose numbers do not increase is refused.

use crate::common::{Server, TestRepo};

/// Clones the server, checks out `feature` and installs the hooks.
fn agent(server: &Server, who: &str) -> TestRepo {
    let repo = server.clone(who);
    repo.git(&["checkout", "-q", "feature"]);
    repo.init_hooks();
    repo
}

fn note_blob(repo: &TestRepo, commit: &str) -> String {
    repo.git(&["notes", "--ref=handoff", "list", commit])
}

/// Alice and Bob both write r2 of one packet, both commit under it and both push; returns the
/// server and each one's (commit, note blob).
fn two_clones_write_r2() -> (Server, (String, String), (String, String)) {
    let server = Server::file();
    let seed = server.clone("Seed");
    seed.git(&["checkout", "-q", "-b", "feature"]);
    seed.init_hooks();
    seed.start();
    seed.hook_commit("seed");
    seed.git(&["push", "-q", "origin", "feature"]);
    let alice = agent(&server, "Alice");
    let bob = agent(&server, "Bob");
    for repo in [&alice, &bob] {
        repo.handoff(&["pull"]).ok();
    }
    alice.handoff(&["update", "--done", "alice's part"]).ok();
    bob.handoff(&["update", "--done", "bob's part"]).ok();
    let alice_commit = alice.hook_commit("alice's work");
    bob.hook_commit("bob's work");
    alice.git(&["push", "-q", "origin", "feature"]);
    bob.git(&["pull", "-q", "--rebase", "origin", "feature"]);
    let bob_commit = bob.git(&["rev-parse", "HEAD"]);
    bob.git(&["push", "-q", "origin", "feature"]);
    let (alice_blob, bob_blob) = (
        note_blob(&alice, &alice_commit),
        note_blob(&bob, &bob_commit),
    );
    assert_ne!(alice_blob, bob_blob, "two different r2 packets");
    (server, (alice_commit, alice_blob), (bob_commit, bob_blob))
}

#[test]
fn two_clones_writing_r2_at_once_get_their_own_packets_back_from_repair() {
    let (server, (alice_commit, alice_blob), (bob_commit, bob_blob)) = two_clones_write_r2();
    let carol = agent(&server, "Carol");
    carol.handoff(&["pull"]).ok();
    carol.git(&["update-ref", "-d", "refs/notes/handoff"]);
    carol.git(&[
        "update-ref",
        "-d",
        "refs/handoff-remotes/origin/notes/handoff",
    ]);
    carol.handoff(&["repair"]).ok();
    assert_eq!(
        note_blob(&carol, &alice_commit),
        alice_blob,
        "alice's commit gets alice's r2 back"
    );
    assert_eq!(
        note_blob(&carol, &bob_commit),
        bob_blob,
        "bob's commit gets bob's r2 back"
    );

    let ambiguous = carol.handoff(&["show", "--revision", "2"]);
    ambiguous.fails(1, "revision 2 of feature is ambiguous");
    for blob in [&alice_blob, &bob_blob] {
        assert!(
            ambiguous.stderr.contains(&format!("2@{}", &blob[..12])),
            "every candidate is listed: {ambiguous:?}"
        );
    }
    let picked = carol.handoff(&[
        "show",
        "--revision",
        &format!("2@{}", &bob_blob[..8]),
        "--format",
        "json",
    ]);
    let packet: serde_json::Value = serde_json::from_str(picked.ok()).expect("json");
    assert_eq!(
        packet["state"]["done"][0], "bob's part",
        "N@content picks one"
    );
    let log = carol.handoff(&["log"]);
    assert!(
        log.ok().contains(&format!("r2@{}", &alice_blob[..12])),
        "log tells the two r2 apart: {log:?}"
    );
    let diff = carol.handoff(&["diff", &format!("2@{}", &alice_blob[..12])]);
    assert!(
        diff.ok()
            .starts_with(&format!("r2@{}..r", &alice_blob[..12])),
        "so does diff: {diff:?}"
    );

    // A trailer of an earlier build names the number alone: repair lists, never guesses.
    let id = carol.packet_json()["id"].as_str().expect("id").to_string();
    let old = carol.commit_without_hooks(&format!("old style\n\nHandoff: {id} r2"));
    let before = carol.refs_snapshot();
    let refused = carol.handoff(&["repair"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains(
            "refused: 1 commit names an ambiguous revision and was left without a note\nhint: "
        ),
        "{refused:?}"
    );
    assert!(
        refused.stderr.contains(&alice_blob) && refused.stderr.contains(&bob_blob),
        "both candidate blobs are named: {refused:?}"
    );
    assert_eq!(carol.refs_snapshot(), before, "no note was guessed");
    assert_eq!(
        carol
            .git_run(&["notes", "--ref=handoff", "list", &old])
            .code,
        1,
        "the ambiguous commit stays without a note"
    );
}

#[test]
fn repair_keeps_a_valid_note_unless_forced() {
    let repo = TestRepo::new();
    repo.init_hooks();
    repo.start();
    let c = repo.hook_commit("one");
    let first = note_blob(&repo, &c);
    repo.handoff(&["update", "--done", "more"]).ok();
    repo.handoff(&["note", &c]).ok();
    let newer = note_blob(&repo, &c);
    assert_ne!(first, newer);
    let kept = repo.handoff(&["repair"]);
    kept.fails(1, "nothing to repair");
    assert_eq!(note_blob(&repo, &c), newer, "a valid note stays");
    repo.handoff(&["repair", "--force"]).ok();
    assert_eq!(
        note_blob(&repo, &c),
        first,
        "--force puts back what the trailer names"
    );
}

/// Pushes a chain commit on top of the remote's tip whose packet claims `revision`.
fn push_revision_claim(evil: &TestRepo, revision: &str) {
    let id = evil.packet_json()["id"].as_str().expect("id").to_string();
    let forged: String = evil
        .handoff(&["show"])
        .ok()
        .lines()
        .map(|l| {
            if l.starts_with("revision = ") {
                format!("revision = {revision}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    evil.push_forged_revision(&forged, &format!("handoff {id} r{revision}: update"));
}

#[test]
fn a_fetched_chain_whose_numbers_go_back_or_overflow_is_refused_whole() {
    for (claim, reason) in [
        ("1", "follows revision 3; the next one is 4"),
        ("1000000000", "follows revision 3; the next one is 4"),
        ("9223372036854775807", "revision: must be between 1 and"),
    ] {
        let server = Server::file();
        let evil = server.clone("Mallory");
        evil.git(&["checkout", "-q", "-b", "feature"]);
        evil.commit("x");
        evil.start();
        evil.handoff(&["update", "--done", "a"]).ok();
        evil.handoff(&["update", "--done", "b"]).ok();
        evil.git(&["push", "-q", "origin", "feature"]);
        evil.handoff(&["push"]).ok();
        let victim = server.clone("Victim");
        victim.git(&["checkout", "-q", "feature"]);
        victim.handoff(&["pull"]).ok();
        push_revision_claim(&evil, claim);
        let before = victim.refs_snapshot();
        let run = victim.handoff(&["pull"]);
        assert_eq!(run.code, 1, "{claim}: the pull refuses: {run:?}");
        assert!(
            run.stderr.contains("the chain is refused at commit") && run.stderr.contains(reason),
            "{claim}: the reason names the bad commit: {run:?}"
        );
        assert_eq!(
            TestRepo::local_packet_refs(&victim.refs_snapshot()),
            TestRepo::local_packet_refs(&before),
            "{claim}: the local chain is untouched"
        );
        victim.handoff(&["update", "--done", "c"]).ok();
        assert_eq!(
            victim.packet_json()["revision"],
            4,
            "{claim}: numbering goes on"
        );
    }
}

#[test]
fn repair_finds_packets_by_content_id_in_a_sha256_repository_too() {
    let repo = TestRepo::empty();
    repo.git(&[
        "init",
        "-q",
        "--object-format=sha256",
        "-b",
        "feature",
        "work",
    ]);
    repo.configure_identity();
    repo.init_hooks();
    repo.start();
    let first = repo.hook_commit("one");
    let blob = note_blob(&repo, &first);
    assert_eq!(blob.len(), 64, "a SHA-256 repository");
    repo.handoff(&["update", "--done", "one"]).ok();
    repo.git(&["update-ref", "-d", "refs/notes/handoff"]);
    repo.handoff(&["repair"]).ok();
    assert_eq!(
        note_blob(&repo, &first),
        blob,
        "the loose packet blob is found by its 12-digit content id"
    );
}

#[test]
fn a_content_id_longer_than_any_object_id_names_nothing_and_panics_nothing() {
    let repo = TestRepo::new();
    repo.init_hooks();
    repo.start();
    repo.hook_commit("one");
    repo.git(&["gc", "-q"]);
    let id = repo.packet_json()["id"].as_str().expect("id").to_string();
    let packed = repo.git(&["rev-parse", "HEAD"]);
    for content in [
        format!("{packed}000000"),
        format!("{packed}{packed}")[..64].to_string(),
    ] {
        repo.commit_without_hooks(&format!("odd\n\nHandoff: {id} r1@{content}"));
        let run = repo.handoff(&["repair", "HEAD~1..HEAD"]);
        assert!(
            !run.stderr.contains("panicked"),
            "{content}: no panic: {run:?}"
        );
        assert_eq!(run.code, 1, "{content}: nothing it names is here: {run:?}");
    }
}
