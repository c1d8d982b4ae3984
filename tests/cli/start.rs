use crate::common::{Run, TestRepo};

#[test]
fn start_writes_revision_one_that_git_reads_back() {
    let repo = TestRepo::new();
    let head = repo.commit("base");
    let run = repo.handoff(&[
        "start",
        "--goal",
        "Retry OAuth callbacks",
        "--intent",
        "users stop seeing login errors",
        "--accept",
        "callback retries 3 times",
        "--accept",
        "cargo test passes",
        "--constraint",
        "no new crates",
        "--non-goal",
        "token format",
        "--owner",
        "codex",
        "--lane",
        "execute",
        "--reviewer",
        "alice",
        "--validate",
        "cargo test",
        "--artifact",
        "src/auth.rs :: retry lives here",
    ]);
    // No data without --format json; the status goes to stderr. Time and id are pinned.
    assert_eq!(
        run,
        Run {
            code: 0,
            stdout: String::new(),
            stderr: "started hx-vfpwe3 r1 on feature\n".into(),
        }
    );
    let stored = repo.git(&["cat-file", "-p", "refs/handoff/heads/feature:packet.toml"]);
    let shown = repo.handoff(&["show"]);
    assert_eq!(
        shown.ok().trim_end(),
        stored,
        "show prints the stored packet.toml"
    );
    let p = repo.packet_json();
    assert_eq!(p["schema"], 1);
    assert_eq!(p["revision"], 1);
    assert_eq!(p["branch"], "feature");
    assert_eq!(p["base"], head.as_str(), "base is HEAD when written");
    assert_eq!(
        p["updated"], "2026-11-21T22:10:06Z",
        "the time of the start"
    );
    assert_eq!(p["author"], "Ada Lovelace <ada@example.com>");
    assert_eq!(p["task"]["acceptance"][1], "cargo test passes");
    assert_eq!(p["control"]["lane"], "execute");
    assert_eq!(p["artifacts"][0]["why"], "retry lives here");
    let id = p["id"].as_str().expect("id");
    assert_eq!(id, "hx-vfpwe3", "minted ids look like hx-xxxxxx");
    let message = repo.git(&[
        "log",
        "-1",
        "--format=%s|%an <%ae>|%aI|%cI",
        "refs/handoff/heads/feature",
    ]);
    assert_eq!(
        message,
        "handoff hx-vfpwe3 r1: start|Ada Lovelace <ada@example.com>|2026-11-21T22:10:06Z|2026-11-21T22:10:06Z",
        "the chain commit carries the packet's author and time"
    );
    assert_eq!(
        repo.git(&["rev-list", "--count", "refs/handoff/heads/feature"]),
        "1"
    );
    repo.fsck();
}

#[test]
fn start_on_an_unborn_branch_records_an_empty_base() {
    let repo = TestRepo::new();
    repo.start();
    assert_eq!(repo.packet_json()["base"], "");
    assert_eq!(
        repo.ref_target("HEAD"),
        None,
        "start does not create commits on the branch"
    );
    repo.fsck();
}

#[test]
fn start_refuses_a_second_open_packet_unless_new() {
    let repo = TestRepo::new();
    repo.start();
    let before = repo.refs_snapshot();
    repo.handoff(&["start", "--goal", "Other", "--accept", "x"])
        .fails(1, "already has an open packet");
    assert_eq!(
        repo.refs_snapshot(),
        before,
        "a refused start writes nothing"
    );
    let first_id = repo.packet_json()["id"].clone();
    repo.handoff(&["start", "--new", "--goal", "Other", "--accept", "x"])
        .ok();
    let p = repo.packet_json();
    assert_ne!(p["id"], first_id, "--new mints a new id");
    assert_eq!(p["revision"], 2, "the chain keeps numbering");
    assert_eq!(p["task"]["goal"], "Other");
}

#[test]
fn start_after_a_done_packet_needs_no_flag() {
    let repo = TestRepo::new();
    repo.start();
    repo.handoff(&["update", "--status", "done"]).ok();
    repo.handoff(&["start", "--goal", "Next task", "--accept", "y"])
        .ok();
    assert_eq!(repo.packet_json()["revision"], 3);
}

#[test]
fn start_without_goal_or_acceptance_names_the_field() {
    let repo = TestRepo::new();
    repo.handoff(&["start", "--accept", "x"])
        .fails(2, "task.goal");
    repo.handoff(&["start", "--goal", "x"])
        .fails(2, "task.acceptance");
    assert_eq!(repo.ref_target("refs/handoff/heads/feature"), None);
}

#[test]
fn start_from_a_toml_file_takes_the_body_and_flags_on_top() {
    let repo = TestRepo::new();
    let file = repo.root.join("packet.toml");
    std::fs::write(
        &file,
        "id = \"ignored-on-start\"\n[task]\ngoal = \"From file\"\nacceptance = [\"a\"]\n\n[[decisions]]\nwhat = \"d\"\nwhy = \"w\"\n",
    )
    .expect("write");
    repo.handoff(&[
        "start",
        "--from",
        file.to_str().expect("utf-8"),
        "--accept",
        "b",
    ])
    .ok();
    let p = repo.packet_json();
    assert_eq!(p["task"]["goal"], "From file");
    assert_eq!(p["task"]["acceptance"], serde_json::json!(["a", "b"]));
    assert_eq!(p["decisions"][0]["what"], "d");
    assert_ne!(p["id"], "ignored-on-start", "start always mints the id");
}

#[test]
fn start_from_json_on_stdin() {
    let repo = TestRepo::new();
    let body =
        r#"{"task": {"goal": "From JSON", "acceptance": ["ok"]}, "state": {"status": "ready"}}"#;
    repo.handoff_stdin(&["start", "--from", "-"], body).ok();
    let p = repo.packet_json();
    assert_eq!(p["task"]["goal"], "From JSON");
    assert_eq!(p["state"]["status"], "ready");
}

#[test]
fn start_from_a_malformed_file_reports_line_and_column_and_writes_nothing() {
    let repo = TestRepo::new();
    let file = repo.root.join("bad.toml");
    std::fs::write(
        &file,
        "[task]\ngoal = \"x\"\nacceptance = [\"a\"\nsurprise = 1\n",
    )
    .expect("write");
    let run = repo.handoff(&["start", "--from", file.to_str().expect("utf-8")]);
    run.fails(2, "line ");
    assert!(
        run.stderr
            .lines()
            .next()
            .is_some_and(|l| l.contains("column")),
        "{run:?}"
    );
    let unknown = repo.root.join("unknown.toml");
    std::fs::write(
        &unknown,
        "[task]\ngoal = \"x\"\nacceptance = [\"a\"]\ncolour = \"red\"\n",
    )
    .expect("write");
    repo.handoff(&["start", "--from", unknown.to_str().expect("utf-8")])
        .fails(2, "colour");
    let future = repo.root.join("future.toml");
    std::fs::write(&future, "schema = 2\n[task]\ngoal = \"x\"\n").expect("write");
    repo.handoff(&["start", "--from", future.to_str().expect("utf-8")])
        .fails(2, "schema 2");
    repo.handoff(&["start", "--from", "/nonexistent/file.toml"])
        .fails(2, "cannot read");
    let status = repo.root.join("status.toml");
    std::fs::write(
        &status,
        "[task]\ngoal = \"x\"\nacceptance = [\"a\"]\n[state]\nstatus = \"finished\"\n",
    )
    .expect("write");
    repo.handoff(&["start", "--from", status.to_str().expect("utf-8")])
        .fails(2, "finished");
    assert_eq!(repo.ref_target("refs/handoff/heads/feature"), None);
}

#[test]
fn oversized_strings_are_refused_with_the_field_name() {
    let repo = TestRepo::new();
    let long = "x".repeat(5000);
    repo.handoff(&["start", "--goal", &long, "--accept", "a"])
        .fails(2, "task.goal");
    repo.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--decision",
        "no separator",
    ])
    .fails(2, "::");
    let escape = "\u{1b}[31mred";
    repo.handoff(&["start", "--goal", "g", "--accept", "a", "--owner", escape])
        .fails(2, "control.owner");
    let old = repo
        .command(crate::common::bin(), &repo.path)
        .env("GIT_HANDOFF_NOW", "0000-01-01T00:00:00+01:00")
        .args(["start", "--goal", "g", "--accept", "a"])
        .output()
        .expect("run");
    assert_eq!(
        old.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&old.stderr)
    );
    assert_eq!(
        repo.ref_target("refs/handoff/heads/feature"),
        None,
        "nothing written"
    );
}

#[test]
fn a_packet_started_on_an_exempt_branch_says_the_gate_will_not_ask_for_it() {
    let repo = TestRepo::new();
    repo.git(&["checkout", "-q", "-b", "main"]);
    let run = repo.handoff(&["start", "--goal", "g", "--accept", "a"]);
    assert!(
        run.ok().is_empty()
            && run
                .stderr
                .contains("warning: main is exempt by policy: its commits are not gated"),
        "{run:?}"
    );
}
