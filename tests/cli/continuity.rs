//! The continuity matrix: after each git operation, what `git log --notes=handoff` and
//! `git handoff show COMMIT` say. docs/hooks.md carries the same table.

use crate::common::TestRepo;

/// A repository with the hooks installed, a base commit and a packet at r1.
fn setup() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.init_hooks();
    repo.start();
    repo
}

/// Commits `name` under a fresh revision (the first commit uses r1); returns the commit id.
fn work(repo: &TestRepo, name: &str) -> String {
    let p = repo.packet_json();
    if p["base"] != repo.git(&["rev-parse", "HEAD"]).as_str() {
        repo.handoff(&["update", "--done", name]).ok();
    }
    repo.hook_commit(name)
}

/// Asserts that git and git-handoff both see revision `rev` as the intent of `commit`.
#[track_caller]
fn assert_intent(repo: &TestRepo, commit: &str, rev: u64) {
    assert_eq!(
        repo.note_revision(commit),
        Some(rev),
        "git notes show {commit}"
    );
    let log = repo.git(&["log", "-1", "--notes=handoff", "--format=%N", commit]);
    assert!(
        log.contains(&format!("revision = {rev}\n")),
        "git log --notes=handoff: {log}"
    );
    let shown = repo.handoff(&["show", commit, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(shown.ok()).expect("json");
    assert_eq!(v["revision"], rev, "git handoff show {commit}");
}

fn trailers(repo: &TestRepo, commit: &str) -> Vec<String> {
    let out = repo.git(&[
        "log",
        "-1",
        "--format=%(trailers:key=Handoff,valueonly)",
        commit,
    ]);
    out.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let revision = l.split_whitespace().last().unwrap_or("");
            revision.split('@').next().unwrap_or("").to_string()
        })
        .collect()
}

fn rebase_todo(repo: &TestRepo, script: &str, onto: &str) {
    repo.git_env(
        &[("GIT_SEQUENCE_EDITOR", script), ("GIT_EDITOR", "true")],
        &["rebase", "-q", "-i", onto],
    );
}

#[test]
fn commit() {
    let repo = setup();
    let c = work(&repo, "one");
    assert_intent(&repo, &c, 1);
    assert_eq!(trailers(&repo, &c), ["r1"]);
    let note_blob = repo.git(&["notes", "--ref=handoff", "list", &c]);
    let value = repo.git(&[
        "log",
        "-1",
        "--format=%(trailers:key=Handoff,valueonly)",
        &c,
    ]);
    assert!(
        value.ends_with(&format!("r1@{}", &note_blob[..12])),
        "the trailer's content id abbreviates the note's packet blob, and git parses it: {value:?} vs {note_blob}"
    );
    repo.fsck();
}

#[test]
fn amend_after_an_update_carries_the_new_revision_and_one_trailer() {
    let repo = setup();
    work(&repo, "one");
    repo.handoff(&["update", "--done", "amended"]).ok();
    repo.git(&["commit", "-q", "--amend", "-m", "one, amended"]);
    assert_intent(&repo, "HEAD", 2);
    assert_eq!(trailers(&repo, "HEAD"), ["r2"], "no duplicate trailer");
}

#[test]
fn reword_keeps_the_intent_and_the_trailer() {
    let repo = setup();
    work(&repo, "one");
    repo.git_env(
        &[("GIT_EDITOR", "sed -i 1s/one/one-reworded/")],
        &["commit", "-q", "--amend"],
    );
    assert!(repo
        .git(&["log", "-1", "--format=%s"])
        .contains("one-reworded"));
    assert_intent(&repo, "HEAD", 1);
    assert_eq!(trailers(&repo, "HEAD"), ["r1"]);
}

#[test]
fn rebase_carries_every_note() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    repo.git(&["rebase", "-q", "--force-rebase", "HEAD~2"]);
    assert_intent(&repo, "HEAD~1", 1);
    assert_intent(&repo, "HEAD", 2);
    repo.fsck();
}

#[test]
fn rebase_interactive_squash_keeps_the_newest_revision_as_one_packet() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    work(&repo, "three");
    rebase_todo(&repo, "sed -i 3s/^pick/squash/", "HEAD~3");
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "3");
    assert_intent(&repo, "HEAD~1", 1);
    assert_intent(&repo, "HEAD", 3);
}

#[test]
fn fixup_keeps_the_newest_revision() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    rebase_todo(&repo, "sed -i 2s/^pick/fixup/", "HEAD~2");
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "2");
    assert_intent(&repo, "HEAD", 2);
}

#[test]
fn drop_leaves_the_others_their_notes() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    work(&repo, "three");
    rebase_todo(&repo, "sed -i 2s/^pick/drop/", "HEAD~3");
    assert_intent(&repo, "HEAD~1", 1);
    assert_intent(&repo, "HEAD", 3);
}

#[test]
fn reorder_moves_notes_with_their_commits() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    rebase_todo(&repo, "sed -i '1{h;d;};2G'", "HEAD~2");
    assert!(repo.git(&["log", "-1", "--format=%s"]).starts_with("one"));
    assert_intent(&repo, "HEAD", 1);
    assert_intent(&repo, "HEAD~1", 2);
}

#[test]
fn cherry_pick_carries_the_original_intent_at_once() {
    let repo = setup();
    work(&repo, "one");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.handoff(&["start", "--goal", "side goal", "--accept", "a"])
        .ok();
    let side = repo.hook_commit("side work");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["cherry-pick", side.as_str()]);
    let shown = repo.handoff(&["show", "HEAD"]);
    assert!(
        shown.ok().contains("goal = \"side goal\""),
        "the picked commit keeps side's intent"
    );
    assert_eq!(repo.note_revision("HEAD"), Some(1));
}

#[test]
fn merge_commit_carries_the_branch_packet() {
    let repo = setup();
    work(&repo, "one");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.handoff(&["start", "--goal", "side goal", "--accept", "a"])
        .ok();
    repo.hook_commit("side work");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "merge side"]);
    assert_intent(&repo, "HEAD", 1);
    assert!(repo
        .handoff(&["show", "HEAD"])
        .ok()
        .contains("Ship the retry"));
    assert!(
        repo.handoff(&["show", "HEAD^2"]).ok().contains("side goal"),
        "merged commits keep theirs"
    );
}

#[test]
fn merge_squash_commit_carries_the_updated_branch_packet() {
    let repo = setup();
    work(&repo, "one");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.handoff(&["start", "--goal", "side goal", "--accept", "a"])
        .ok();
    repo.hook_commit("side work");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--squash", "side"]);
    repo.handoff(&["update", "--done", "squashed side in"]).ok();
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_intent(&repo, "HEAD", 2);
    assert!(
        repo.handoff(&["show", "HEAD"])
            .ok()
            .contains("Ship the retry"),
        "the branch's own packet wins"
    );
}

#[test]
fn revert_carries_the_current_revision() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    repo.git(&["revert", "--no-edit", "HEAD"]);
    assert_intent(&repo, "HEAD", 2);
}

#[test]
fn stash_and_pop_leave_notes_alone() {
    let repo = setup();
    let c = work(&repo, "one");
    let notes_before = repo.git(&["rev-parse", "refs/notes/handoff"]);
    std::fs::write(repo.path.join("one.txt"), "changed").expect("write");
    repo.git(&["stash", "-q"]);
    repo.git(&["stash", "pop", "-q"]);
    assert_eq!(
        repo.git(&["rev-parse", "refs/notes/handoff"]),
        notes_before,
        "stash commits get no notes"
    );
    assert_intent(&repo, &c, 1);
}

#[test]
fn commit_in_a_linked_worktree() {
    let repo = setup();
    work(&repo, "one");
    let wt = repo.root.join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "wt-branch",
        wt.to_str().expect("utf-8"),
    ]);
    repo.handoff_in(&wt, &["start", "--goal", "worktree goal", "--accept", "a"])
        .ok();
    std::fs::write(wt.join("w.txt"), "w").expect("write");
    let run = repo
        .command("git", &wt)
        .args(["add", "w.txt"])
        .output()
        .expect("git");
    assert!(run.status.success());
    let run = repo
        .command("git", &wt)
        .args(["commit", "-q", "-m", "in worktree"])
        .output()
        .expect("git");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(repo
        .handoff(&["show", "wt-branch"])
        .ok()
        .contains("worktree goal"));
    assert_eq!(repo.note_revision("wt-branch"), Some(1));
    assert!(repo
        .handoff(&["show", "wt-branch", "--revision", "1"])
        .ok()
        .contains("worktree goal"));
}

#[test]
fn commit_on_a_detached_head_has_no_branch_so_no_packet() {
    let repo = setup();
    work(&repo, "one");
    repo.git(&["checkout", "-q", "--detach"]);
    let c = repo.hook_commit("detached work");
    assert_eq!(
        repo.note_revision(&c),
        None,
        "no branch, no packet: docs/hooks.md says why"
    );
    assert!(trailers(&repo, &c).is_empty());
    repo.handoff(&["note", &c, "--branch", "feature"]).ok();
    assert_eq!(
        repo.note_revision(&c),
        Some(1),
        "git handoff note attaches one on purpose"
    );
}

#[test]
fn first_commit_on_an_unborn_branch() {
    let repo = TestRepo::new();
    repo.init_hooks();
    repo.start();
    let c = repo.hook_commit("first ever");
    assert_intent(&repo, &c, 1);
    assert_eq!(trailers(&repo, &c), ["r1"]);
}

#[test]
fn no_verify_commit_still_gets_its_note_and_repair_restores_lost_ones() {
    let repo = setup();
    work(&repo, "one");
    std::fs::write(repo.path.join("nv.txt"), "x").expect("write");
    repo.git(&["add", "nv.txt"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "no verify"]);
    assert_intent(&repo, "HEAD", 1);
    assert!(
        trailers(&repo, "HEAD").is_empty(),
        "--no-verify skips the trailer step"
    );
    repo.git(&["notes", "--ref=handoff", "remove", "HEAD~1"]);
    let run = repo.handoff(&["repair"]);
    assert!(run.ok().contains("r1"), "{run:?}");
    assert_intent(&repo, "HEAD~1", 1);
    repo.handoff(&["repair"]).fails(1, "nothing to repair");
}

#[test]
fn forge_squash_merge_then_repair_restores_the_newest_intent() {
    let repo = setup();
    work(&repo, "one");
    work(&repo, "two");
    work(&repo, "three");
    let log = repo.git(&["log", "--format=* %B", "HEAD~3..HEAD"]);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let base = repo.git(&["rev-parse", "HEAD~3"]);
    let message = format!("Feature (#12)\n\n{log}");
    let squash = repo.git(&["commit-tree", &tree, "-p", &base, "-m", &message]);
    repo.git(&["update-ref", "refs/heads/main", &squash]);
    assert_eq!(
        repo.note_revision("main"),
        None,
        "a forge squash arrives without notes"
    );
    let run = repo.handoff(&["repair", "main", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(v["repaired"][0]["revision"], 3);
    assert_intent(&repo, "main", 3);
    repo.fsck();
}

#[test]
fn git_merge_squash_on_main_carries_the_newest_revision_of_the_squashed_commits() {
    let repo = setup();
    let base = repo.git(&["rev-parse", "HEAD"]);
    work(&repo, "one");
    work(&repo, "two");
    repo.git(&["checkout", "-q", "-b", "main", &base]);
    repo.git(&["merge", "-q", "--squash", "feature"]);
    // git writes the squashed messages indented; main is exempt and has no packet of its own.
    repo.git(&["commit", "-q", "--no-edit"]);
    assert!(
        repo.git(&["log", "-1", "--format=%B"])
            .contains("\n    Handoff: hx-"),
        "git's own squash message quotes the trailers"
    );
    assert_intent(&repo, "main", 2);
    repo.git(&["notes", "--ref=handoff", "remove", "main"]);
    let run = repo.handoff(&["repair", "main", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(v["repaired"][0]["revision"], 2, "{v}");
    assert_intent(&repo, "main", 2);
}

/// Without trailers, only post-rewrite can carry the notes: prove it does.
fn setup_without_trailers() -> TestRepo {
    let repo = setup();
    repo.git(&["config", "handoff.trailer", "false"]);
    repo
}

#[test]
fn without_trailers_rebase_squash_and_reorder_rely_on_post_rewrite() {
    let repo = setup_without_trailers();
    work(&repo, "one");
    work(&repo, "two");
    work(&repo, "three");
    assert!(
        trailers(&repo, "HEAD").is_empty(),
        "no trailers in this repository"
    );
    repo.git(&["rebase", "-q", "--force-rebase", "HEAD~3"]);
    assert_intent(&repo, "HEAD~2", 1);
    assert_intent(&repo, "HEAD~1", 2);
    assert_intent(&repo, "HEAD", 3);
    rebase_todo(&repo, "sed -i 3s/^pick/squash/", "HEAD~3");
    assert_intent(&repo, "HEAD", 3);
    assert_intent(&repo, "HEAD~1", 1);
    rebase_todo(&repo, "sed -i '1{h;d;};2G'", "HEAD~2");
    assert_intent(&repo, "HEAD", 1);
    assert_intent(&repo, "HEAD~1", 3);
}

#[test]
fn without_trailers_amend_and_fixup_rely_on_post_rewrite() {
    let repo = setup_without_trailers();
    work(&repo, "one");
    repo.git(&["commit", "-q", "--amend", "-m", "one, reworded"]);
    assert_intent(&repo, "HEAD", 1);
    work(&repo, "two");
    rebase_todo(&repo, "sed -i 2s/^pick/fixup/", "HEAD~2");
    assert_intent(&repo, "HEAD", 2);
}

#[test]
fn the_newest_revision_wins_even_when_clocks_disagree() {
    let repo = setup_without_trailers();
    work(&repo, "one");
    // r2 is written by a machine whose clock runs a day behind.
    let behind = repo
        .command(crate::common::bin(), &repo.path)
        .env("GIT_HANDOFF_NOW", "2026-11-20T22:10:00Z")
        .args(["update", "--done", "two"])
        .output()
        .expect("run");
    assert!(behind.status.success());
    repo.hook_commit("two");
    rebase_todo(&repo, "sed -i 2s/^pick/squash/", "HEAD~2");
    assert_intent(&repo, "HEAD", 2);
}

#[test]
fn commits_applied_from_patch_mail_get_their_notes_back_from_the_trailers() {
    let repo = setup();
    let base = repo.git(&["rev-parse", "HEAD"]);
    work(&repo, "one");
    work(&repo, "two");
    let mail = repo.root.join("mail");
    repo.git(&[
        "format-patch",
        "-q",
        "-o",
        mail.to_str().expect("utf-8"),
        &format!("{base}..feature"),
    ]);
    repo.git(&["checkout", "-q", "-b", "main", &base]);
    let patches: Vec<String> = std::fs::read_dir(&mail)
        .expect("mail")
        .map(|e| e.expect("entry").path().display().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut am = vec!["am", "-q"];
    am.extend(patches.iter().map(String::as_str));
    repo.git(&am);
    // The hooks attached them as the mail was applied; take them away, as a tool without
    // hooks would have left them, and repair brings them back from the trailers.
    assert_intent(&repo, "main", 2);
    repo.git(&["notes", "--ref=handoff", "remove", "main~1", "main"]);
    let run = repo.handoff(&["repair", "main~2..main", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(v["repaired"].as_array().map(Vec::len), Some(2), "{v}");
    assert_intent(&repo, "main~1", 1);
    assert_intent(&repo, "main", 2);
}
