//! Notes: written so git reads them, read in whatever fanout git writes.

use crate::common::TestRepo;

#[test]
fn note_attaches_the_packet_blob_itself_and_git_shows_it() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    let run = repo.handoff(&["note"]);
    assert!(run.stderr.starts_with("attached hx-"), "{run:?}");
    let blob = repo.git(&["rev-parse", "refs/handoff/heads/feature:packet.toml"]);
    assert_eq!(
        repo.git(&["notes", "--ref=handoff", "list", "HEAD"]),
        blob,
        "the note is the same blob"
    );
    let packet = repo.git(&["cat-file", "-p", &blob]);
    assert_eq!(
        repo.git(&["notes", "--ref=handoff", "show", "HEAD"]),
        packet
    );
    let log = repo.git(&["log", "--notes=handoff", "-1"]);
    assert!(
        log.contains("Notes (handoff):") && log.contains("goal = \"Ship the retry\""),
        "{log}"
    );
    assert_eq!(repo.handoff(&["show", "HEAD"]).ok().trim_end(), packet);
    let again = repo.handoff(&["note", "HEAD"]);
    assert!(again.stderr.starts_with("already attached"), "{again:?}");
    assert_eq!(
        repo.git(&["rev-list", "--count", "refs/notes/handoff"]),
        "1",
        "no empty notes commit"
    );
    repo.fsck();
}

#[test]
fn a_later_revision_replaces_the_note_and_older_commits_keep_theirs() {
    let repo = TestRepo::new();
    let first = repo.commit("one");
    repo.start();
    repo.handoff(&["note"]).ok();
    let second = repo.commit("two");
    repo.handoff(&["update", "--done", "two"]).ok();
    repo.handoff(&["note", &second]).ok();
    let shown: serde_json::Value =
        serde_json::from_str(repo.handoff(&["show", &first, "--format", "json"]).ok())
            .expect("json");
    assert_eq!(shown["revision"], 1);
    let shown: serde_json::Value =
        serde_json::from_str(repo.handoff(&["show", &second, "--format", "json"]).ok())
            .expect("json");
    assert_eq!(shown["revision"], 2);
    let listed = repo.handoff(&["notes"]);
    let lines: Vec<&str> = listed.ok().lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(&second) && lines[0].contains(" r2@") && lines[0].ends_with(" draft"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with(&first) && lines[1].contains(" r1@") && lines[1].ends_with(" draft"),
        "{lines:?}"
    );
    repo.fsck();
}

#[test]
fn notes_in_the_fanout_git_writes_are_read_and_extended() {
    let repo = TestRepo::new();
    let root = repo.commit("root");
    repo.start();
    let mut stream = String::new();
    for i in 0..330 {
        let from = if i == 0 {
            format!("from {root}\n")
        } else {
            String::new()
        };
        stream.push_str(&format!(
            "commit refs/heads/feature\ncommitter A <a@example.com> {} +0000\ndata <<END\nc{i}\nEND\n{from}\n",
            1_763_763_000 + i
        ));
    }
    repo.git_stdin(&["fast-import", "--quiet"], &stream);
    let blob = repo.git(&["rev-parse", "refs/handoff/heads/feature:packet.toml"]);
    let commits = repo.git(&["rev-list", "HEAD"]);
    let commits: Vec<&str> = commits.lines().collect();
    assert_eq!(commits.len(), 331);
    repo.git(&["notes", "--ref=handoff", "add", "-C", &blob, commits[0]]);
    let pairs: String = commits[1..]
        .iter()
        .map(|c| format!("{} {c}\n", commits[0]))
        .collect();
    repo.git_stdin(&["notes", "--ref=handoff", "copy", "--stdin"], &pairs);
    let top = repo.git(&["ls-tree", "refs/notes/handoff"]);
    assert!(
        top.lines().all(|l| l.contains(" tree ")),
        "git wrote a 2/38 fanout: {top}"
    );

    let ours = repo.handoff(&["notes"]);
    let annotated = ours.ok().lines().filter(|l| l.contains(" r1@")).count();
    assert_eq!(annotated, 331, "every note git wrote is found");
    let git_view = repo.git(&["log", "--notes=handoff", "--format=%H %N"]);
    assert_eq!(git_view.matches("revision = 1").count(), 331);
    for commit in [commits[0], commits[165], commits[330]] {
        let shown = repo.handoff(&["show", commit]);
        assert!(shown.ok().contains("Ship the retry"), "{commit}");
    }

    let new = repo.commit("after fanout");
    repo.handoff(&["update", "--done", "fanout"]).ok();
    repo.handoff(&["note", &new]).ok();
    let note = repo.git(&["notes", "--ref=handoff", "show", &new]);
    assert!(
        note.contains("revision = 2"),
        "git reads our note in the fanout tree: {note}"
    );
    assert_eq!(
        repo.git(&["notes", "--ref=handoff", "list"])
            .lines()
            .count(),
        332
    );
    let old_note = repo.git(&["notes", "--ref=handoff", "show", commits[7]]);
    assert!(old_note.contains("revision = 1"), "other notes are kept");
    repo.fsck();
}

#[test]
fn notes_json_lists_every_commit_with_or_without_a_note() {
    let repo = TestRepo::new();
    let one = repo.commit("one");
    repo.start();
    repo.handoff(&["note"]).ok();
    let two = repo.commit("two");
    let v: serde_json::Value =
        serde_json::from_str(repo.handoff(&["notes", "--format", "json"]).ok()).expect("json");
    assert_eq!(v[0]["commit"], two.as_str());
    assert!(v[0]["note"].is_null());
    assert_eq!(v[1]["commit"], one.as_str());
    assert_eq!(v[1]["note"]["revision"], 1);
    let range = repo.handoff(&["notes", &format!("{one}..HEAD")]);
    assert_eq!(range.ok(), format!("{two} -\n"));
}

#[test]
fn a_notes_tree_with_two_entries_for_one_commit_stays_usable() {
    let repo = TestRepo::new();
    let one = repo.commit("one");
    repo.start();
    let blob = repo.git(&["rev-parse", "refs/handoff/heads/feature:packet.toml"]);
    // Git reads a tree holding both a flat and a fanned-out entry for the same commit.
    let (head, rest) = one.split_at(2);
    let sub = repo.git_stdin(&["mktree"], &format!("100644 blob {blob}\t{rest}\n"));
    let root = repo.git_stdin(
        &["mktree"],
        &format!("100644 blob {blob}\t{one}\n040000 tree {sub}\t{head}\n"),
    );
    let notes = repo.git(&["commit-tree", &root, "-m", "hand-made notes"]);
    repo.git(&["update-ref", "refs/notes/handoff", &notes]);
    assert!(repo
        .git(&["notes", "--ref=handoff", "show", &one])
        .contains("Ship the retry"));
    assert!(
        repo.handoff(&["show", &one])
            .ok()
            .contains("Ship the retry"),
        "read through the odd tree"
    );
    let two = repo.commit("two");
    repo.handoff(&["note", &two]).ok();
    assert!(repo
        .git(&["notes", "--ref=handoff", "show", &two])
        .contains("Ship the retry"));
    assert!(
        repo.git(&["notes", "--ref=handoff", "show", &one])
            .contains("Ship the retry"),
        "nothing lost"
    );
    repo.fsck();
}

#[test]
fn the_notes_commit_carries_the_configured_identity_in_utc_or_the_pinned_date() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    // No pinned date: the clock, stamped in UTC whatever the zone; `git -c` counts as config.
    let mut cmd = repo.command("git", &repo.path);
    cmd.env_remove("GIT_AUTHOR_DATE")
        .env_remove("GIT_COMMITTER_DATE")
        .env("TZ", "America/New_York")
        .args(["-c", "user.name=Grace Hopper", "handoff", "note"]);
    let run = crate::common::Run::from(&cmd.output().expect("run git handoff"));
    assert_eq!(run.code, 0, "{run:?}");
    let line = repo.git(&[
        "log",
        "-1",
        "--format=%an|%ae|%cn|%ce|%ct|%cd",
        "--date=raw",
        "refs/notes/handoff",
    ]);
    let fields: Vec<&str> = line.split('|').collect();
    assert_eq!(
        fields[..4],
        [
            "Grace Hopper",
            "ada@example.com",
            "Grace Hopper",
            "ada@example.com"
        ],
        "{line}"
    );
    let seconds: i64 = fields[4].parse().expect("seconds");
    let now = chrono::Utc::now().timestamp();
    assert!(
        (now - seconds).abs() < 600,
        "the clock, not a pinned date: {line}"
    );
    assert!(fields[5].ends_with(" +0000"), "UTC: {line}");
    assert_eq!(
        repo.git(&["reflog", "-1", "--format=%gn <%ge>", "refs/notes/handoff"]),
        "Grace Hopper <ada@example.com>"
    );
    // A pinned date is honoured as git honours it, offset included, in the form git exports to
    // its hooks (`@<seconds> <offset>`) as in the others.
    for (n, pinned) in ["1763763000 +0200", "@1763763600 -0130", "yesterday"]
        .into_iter()
        .enumerate()
    {
        let commit = repo.commit(&format!("pinned {n}"));
        repo.handoff(&["update", "--done", &format!("pinned {n}")])
            .ok();
        let mut cmd = repo.command(crate::common::bin(), &repo.path);
        cmd.env("GIT_COMMITTER_DATE", pinned)
            .args(["note", &commit]);
        let run = crate::common::Run::from(&cmd.output().expect("run git-handoff"));
        assert_eq!(run.code, 0, "{run:?}");
        let date = repo.git(&[
            "log",
            "-1",
            "--format=%cd",
            "--date=raw",
            "refs/notes/handoff",
        ]);
        match n {
            0 => assert_eq!(date, "1763763000 +0200"),
            1 => assert_eq!(date, "1763763600 -0130"),
            _ => {
                let seconds: i64 = date
                    .split(' ')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("raw date");
                let ago = chrono::Utc::now().timestamp() - seconds;
                assert!((86_000..87_000).contains(&ago), "yesterday: {date}");
            }
        }
    }
}

#[test]
fn identity_follows_git_environment_over_command_line_config_and_use_config_only() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    // The environment wins over `git -c`, as in git; names lose what git strips.
    let mut cmd = repo.command("git", &repo.path);
    cmd.env("GIT_AUTHOR_NAME", " Env Name ").args([
        "-c",
        "author.name=Config Name",
        "handoff",
        "note",
    ]);
    let run = crate::common::Run::from(&cmd.output().expect("run"));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an|%cn", "refs/notes/handoff"]),
        "Env Name|Ada Lovelace"
    );
    // A blank author name is refused as git refuses it: neither user.name nor the committer's
    // identity stands in for it.
    for (env, config) in [(Some(""), None), (None, Some("author.name= "))] {
        let before = repo.refs_snapshot();
        let mut cmd = repo.command("git", &repo.path);
        cmd.env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "c@example.com");
        if let Some(value) = env {
            cmd.env("GIT_AUTHOR_NAME", value);
        }
        if let Some(setting) = config {
            cmd.args(["-c", setting]);
        }
        cmd.args(["handoff", "update", "--done", "blank"]);
        let run = crate::common::Run::from(&cmd.output().expect("run"));
        assert_eq!(run.code, 2, "{env:?} {config:?}: {run:?}");
        assert!(run.stderr.contains("user.name is not set"), "{run:?}");
        assert_eq!(repo.refs_snapshot(), before, "nothing written");
    }
    // user.useConfigOnly: no user.email configured means no identity, EMAIL or not.
    let second = repo.commit("two");
    repo.handoff(&["update", "--done", "two"]).ok();
    repo.git(&["config", "--unset", "user.email"]);
    repo.git(&["config", "user.useConfigOnly", "true"]);
    let before = repo.refs_snapshot();
    let mut cmd = repo.command(crate::common::bin(), &repo.path);
    cmd.env("EMAIL", "someone@env.example")
        .args(["note", &second]);
    let run = crate::common::Run::from(&cmd.output().expect("run"));
    run.fails(2, "user.email is not set");
    assert_eq!(repo.refs_snapshot(), before, "nothing written");
}
