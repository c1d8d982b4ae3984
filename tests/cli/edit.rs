use std::process::Command;

use crate::common::TestRepo;

/// Writes an editor script and returns the `GIT_EDITOR` value that runs it.
fn editor(repo: &TestRepo, body: &str) -> String {
    let path = repo.root.join("editor.sh");
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).expect("write editor");
    Command::new("chmod")
        .arg("+x")
        .arg(&path)
        .status()
        .expect("chmod");
    path.to_str().expect("utf-8").to_string()
}

fn edit(repo: &TestRepo, editor: &str) -> crate::common::Run {
    let output = repo
        .command(crate::common::bin(), &repo.path)
        .env("GIT_EDITOR", editor)
        .arg("edit")
        .output()
        .expect("run edit");
    crate::common::Run::from(&output)
}

#[test]
fn edit_writes_what_the_editor_saved_as_the_next_revision() {
    let repo = TestRepo::new();
    repo.start();
    let e = editor(
        &repo,
        r#"sed -i 's/Ship the retry/Ship the retry today/' "$1""#,
    );
    edit(&repo, &e).ok();
    let p = repo.packet_json();
    assert_eq!(p["task"]["goal"], "Ship the retry today");
    assert_eq!(p["revision"], 2);
    let event = repo.git(&["log", "-1", "--format=%s", "refs/handoff/heads/feature"]);
    assert!(event.ends_with("r2: edit"), "{event}");
    repo.fsck();
}

#[test]
fn edit_reopens_with_the_error_on_top_until_the_packet_parses() {
    let repo = TestRepo::new();
    repo.start();
    let seen = repo.root.join("seen.txt");
    let e = editor(
        &repo,
        &format!(
            r#"if [ -f {seen} ]; then cat "$1" > {seen}; sed -i 's/^goal = .*/goal = "fixed"/' "$1"; else touch {seen}; sed -i 's/^goal = .*/goal = "broken/' "$1"; fi"#,
            seen = seen.display()
        ),
    );
    // Only a person at a terminal is asked again: run it on a pseudo-terminal.
    let output = repo
        .command("script", &repo.path)
        .env("GIT_EDITOR", &e)
        .args(["-qec", "git-handoff edit", "/dev/null"])
        .output()
        .expect("run script");
    let run = crate::common::Run::from(&output);
    assert_eq!(run.code, 0, "{run:?}");
    let second_round = std::fs::read_to_string(&seen).expect("editor ran twice");
    assert!(
        second_round.starts_with("# error: line "),
        "the error is on top: {second_round}"
    );
    assert_eq!(repo.packet_json()["task"]["goal"], "fixed");
}

#[test]
fn without_a_terminal_an_invalid_edit_stops_at_once_and_keeps_the_text() {
    let repo = TestRepo::new();
    repo.start();
    let runs = repo.root.join("runs.txt");
    let e = editor(
        &repo,
        &format!(
            r#"echo x >> {runs}; sed -i 's/^goal = .*/goal = "broken/' "$1""#,
            runs = runs.display()
        ),
    );
    let before = repo.refs_snapshot();
    let run = edit(&repo, &e);
    run.fails(2, "the edited packet is still invalid");
    assert_eq!(
        std::fs::read_to_string(&runs).expect("ran").lines().count(),
        1,
        "the editor is not re-opened without a person to answer"
    );
    let kept = repo.path.join(".git/HANDOFF_EDIT.toml");
    assert!(
        run.stderr.contains(kept.to_str().expect("utf-8")),
        "{run:?}"
    );
    assert!(std::fs::read_to_string(&kept)
        .expect("kept")
        .contains("goal = \"broken"));
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn an_emptied_file_aborts_without_writing() {
    let repo = TestRepo::new();
    repo.start();
    let before = repo.refs_snapshot();
    let e = editor(&repo, r#": > "$1""#);
    edit(&repo, &e).fails(1, "empty");
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn an_unchanged_file_or_a_failing_editor_writes_nothing() {
    let repo = TestRepo::new();
    repo.start();
    let before = repo.refs_snapshot();
    edit(&repo, "true").fails(1, "no changes");
    edit(&repo, "false").fails(2, "editor");
    let stubborn = editor(&repo, r#"sed -i 's/^goal = .*/goal = 1/' "$1""#);
    edit(&repo, &stubborn).fails(2, "still invalid");
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn an_editor_that_saves_the_same_invalid_text_again_ends_the_loop() {
    let repo = TestRepo::new();
    repo.start();
    let bad = repo.root.join("bad.toml");
    std::fs::write(&bad, "[task]\ngoal = \"g\"\nacceptance = []\n").expect("write");
    let before = repo.refs_snapshot();
    let e = editor(&repo, &format!("cp {} \"$1\"", bad.display()));
    let run = edit(&repo, &e);
    run.fails(2, "the edited packet is still invalid");
    assert_eq!(repo.refs_snapshot(), before, "nothing written");
}

#[test]
fn every_refused_write_leaves_every_ref_as_it_was() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    repo.commit("one");
    let before = repo.refs_snapshot();
    let refusals = [
        repo.handoff(&["start", "--goal", "again", "--accept", "a"]),
        repo.handoff(&["update"]),
        repo.handoff(&["update", "--remove-next", "nope"]),
        repo.handoff(&["update", "--goal", " "]),
        repo.handoff(&[
            "update",
            "--done",
            "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        ]),
        repo.handoff(&["note", "no-such-commit"]),
        repo.handoff(&["repair", "HEAD"]),
        edit(&repo, &editor(&repo, "true")),
        edit(&repo, &editor(&repo, r#": > "$1""#)),
        repo.handoff(&["push"]),
    ];
    for run in &refusals {
        assert_ne!(run.code, 0, "{run:?}");
    }
    assert_eq!(
        repo.refs_snapshot(),
        before,
        "no refused write moved a ref: {refusals:#?}"
    );
}
