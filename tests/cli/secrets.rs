//! Credentials never enter a packet unnoticed and never leave the clone: every write and every
//! outgoing revision is scanned, refused with the field, the rule and a redacted preview.

use crate::common::{Server, TestRepo};

const TOKEN: &str = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";

/// Returns the fingerprint a refusal's hint names.
fn fingerprint(stderr: &str) -> String {
    let after = stderr
        .split("--allow-secret ")
        .nth(1)
        .expect("the hint names a fingerprint");
    after
        .split_whitespace()
        .next()
        .expect("fingerprint")
        .to_string()
}

#[test]
fn a_token_in_an_update_is_refused_with_field_rule_and_a_redacted_preview() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    let before = repo.refs_snapshot();
    let item = format!("deploy with {TOKEN}");
    let run = repo.handoff(&["update", "--next", &item]);
    run.fails(1, "state.next[0] looks like a credential (github-token: ghp_…[redacted]); nothing was written");
    assert!(
        !run.stderr.contains(TOKEN),
        "the secret is never printed: {run:?}"
    );
    assert_eq!(repo.refs_snapshot(), before, "nothing was written");
    let allow = fingerprint(&run.stderr);
    assert!(allow.starts_with("github-token:"), "{allow}");
    repo.handoff(&["update", "--next", &item, "--allow-secret", &allow])
        .ok();

    std::fs::write(
        repo.path.join("body.toml"),
        "[task]\ngoal = \"g\"\nacceptance = [\"a\"]\nconstraints = [\"password=Tr0ub4dor&3xQ!\"]\n",
    )
    .expect("write body");
    repo.handoff(&["start", "--new", "--from", "body.toml"])
        .fails(
            1,
            "task.constraints[0] looks like a credential (secret-assignment",
        );
}

#[test]
fn a_policy_fingerprint_allows_a_known_false_positive() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    let item = "the fixture key is AKIAIOSFODNN7EXAMPLF";
    let run = repo.handoff(&["update", "--next", item]);
    let allow = fingerprint(&run.stderr);
    std::fs::write(
        repo.path.join(".handoff.toml"),
        format!("allow-secrets = [\"{allow}\"]\n"),
    )
    .expect("write policy");
    repo.handoff(&["update", "--next", item]).ok();
}

#[test]
fn a_revision_holding_a_secret_does_not_leave_the_clone() {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.start();
    a.handoff(&["push"]).ok();
    let item = format!("use {TOKEN}");
    let refused = a.handoff(&["update", "--next", &item]);
    let allow = fingerprint(&refused.stderr);
    a.handoff(&["update", "--next", &item, "--allow-secret", &allow])
        .ok();
    a.handoff(&["update", "--remove-next", &item]).ok();
    let before = server.remote_ref("refs/handoff/heads/feature");
    let run = a.handoff(&["push"]);
    run.fails(1, "feature r2: state.next[0] looks like a credential");
    assert!(
        run.stderr.contains("nothing was pushed to origin"),
        "{run:?}"
    );
    assert_eq!(
        server.remote_ref("refs/handoff/heads/feature"),
        before,
        "an item removed later still sits in an earlier revision, so nothing goes"
    );
    a.handoff(&["push", "--allow-secret", &allow]).ok();
    assert_ne!(server.remote_ref("refs/handoff/heads/feature"), before);
}

/// Alice pushes (with its fingerprint allowed) a revision holding a token, which `removed` takes
/// out again in a later one; Bob has pulled the packet before. Returns the server, Bob, the
/// fingerprint and the item.
fn a_token_on_the_server(removed: bool) -> (Server, TestRepo, String, String) {
    let server = Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.start();
    a.handoff(&["push"]).ok();
    let b = server.clone("Bob");
    b.git(&["checkout", "-q", "-b", "feature"]);
    b.handoff(&["init"]).ok();
    b.handoff(&["pull"]).ok();
    let item = format!("use {TOKEN}");
    let allow = fingerprint(&a.handoff(&["update", "--next", &item]).stderr);
    a.handoff(&["update", "--next", &item, "--allow-secret", &allow])
        .ok();
    if removed {
        a.handoff(&["update", "--remove-next", &item]).ok();
    }
    a.handoff(&["push", "--allow-secret", &allow]).ok();
    (server, b, allow, item)
}

#[test]
fn a_fetched_revision_holding_a_secret_is_not_merged_in_unless_allowed() {
    let (_server, b, allow, item) = a_token_on_the_server(false);
    b.handoff(&["update", "--done", "bob's part"]).ok();
    let before = TestRepo::local_packet_refs(&b.refs_snapshot());
    let run = b.handoff(&["pull"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("refused: the packet of feature fetched from origin was not integrated")
            && run
                .stderr
                .contains("r2: state.next[0] looks like a credential")
            && run.stderr.contains(&format!("--allow-secret {allow}")),
        "{run:?}"
    );
    assert_eq!(
        TestRepo::local_packet_refs(&b.refs_snapshot()),
        before,
        "no merge revision carries the token into the local chain"
    );
    let sync = b.handoff(&["sync"]);
    assert_eq!(sync.code, 1, "{sync:?}");
    assert!(sync.stderr.contains("looks like a credential"), "{sync:?}");
    b.handoff(&["pull", "--allow-secret", &allow]).ok();
    assert_eq!(b.packet_json()["state"]["next"][0], item.as_str());
}

#[test]
fn a_write_after_a_plain_fetch_does_not_merge_in_a_fetched_credential() {
    let (_server, b, _, _) = a_token_on_the_server(true);
    b.git(&["fetch", "-q", "origin"]);
    let run = b.handoff(&["update", "--done", "bob's part"]);
    assert_eq!(run.code, 0, "the write goes on: {run:?}");
    assert!(
        run.stderr.contains("left aside") && run.stderr.contains("looks like a credential"),
        "{run:?}"
    );
    let log = b.git(&["log", "-p", "refs/handoff/heads/feature"]);
    assert!(
        !log.contains(TOKEN),
        "no revision of the local chain holds the token"
    );
}
