//! Five lanes over a `git daemon`: a planner, two executors, an auditor and a supervisor hand one
//! branch around, with hooks everywhere and the server's check on. Every commit that reaches the
//! protected branch carries its own packet revision, and no revision anyone wrote is lost.

use crate::common::{Server, TestRepo};

/// A clone with the hooks and the fetch refspecs, on the shared branch.
fn join(server: &Server, who: &str) -> TestRepo {
    let repo = server.clone(who);
    repo.init_hooks();
    repo.git(&["fetch", "-q"]);
    repo.git(&["checkout", "-q", "feature"]);
    repo
}

/// Writes a revision and returns its chain commit.
fn write(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["update", "--format", "json"];
    all.extend_from_slice(args);
    let run = repo.handoff(&all);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    v["commit"].as_str().expect("commit").to_string()
}

/// Pushes the branch (and with it the packets), merging the remote's work first when needed.
fn deliver(repo: &TestRepo) {
    if repo.git_run(&["push", "-q", "origin", "feature"]).code != 0 {
        repo.git(&[
            "pull",
            "-q",
            "--no-rebase",
            "--no-edit",
            "origin",
            "feature",
        ]);
        repo.git(&["push", "-q", "origin", "feature"]);
    }
}

#[test]
fn five_lanes_hand_one_branch_around_and_lose_nothing() {
    let server = Server::daemon();
    server
        .env
        .handoff_in(&server.env.root.join("remote.git"), &["init"])
        .ok();
    let planner = server.clone("Planner");
    planner.git(&["checkout", "-q", "-b", "main"]);
    planner.commit("root");
    planner.git(&["push", "-q", "origin", "main"]);
    planner.git(&["checkout", "-q", "-b", "feature"]);
    planner.init_hooks();
    let mut written = Vec::new();
    let start = planner.handoff(&[
        "start",
        "--format",
        "json",
        "--goal",
        "Retry callbacks",
        "--accept",
        "retries 3 times",
        "--lane",
        "plan",
        "--status",
        "ready",
        "--next",
        "loop",
        "--next",
        "backoff",
    ]);
    let v: serde_json::Value = serde_json::from_str(start.ok()).expect("json");
    written.push(v["commit"].as_str().expect("commit").to_string());
    planner.hook_commit("plan");
    planner.git(&["push", "-q", "origin", "feature"]);

    // Two executors take the work at once; each writes and commits without seeing the other.
    let one = join(&server, "ExecOne");
    let two = join(&server, "ExecTwo");
    written.push(write(
        &one,
        &[
            "--lane",
            "execute",
            "--status",
            "in-progress",
            "--in-progress",
            "loop",
        ],
    ));
    one.hook_commit("loop");
    written.push(write(
        &two,
        &[
            "--in-progress",
            "backoff",
            "--decision",
            "jitter :: thundering herds",
        ],
    ));
    two.hook_commit("backoff");
    deliver(&one);
    deliver(&two);
    one.git(&[
        "pull",
        "-q",
        "--no-rebase",
        "--no-edit",
        "origin",
        "feature",
    ]);
    written.push(write(&one, &["--done", "loop"]));
    one.hook_commit("loop tests");
    deliver(&one);

    // The auditor reviews what arrived; the supervisor merges it into the protected branch.
    let auditor = join(&server, "Auditor");
    written.push(write(
        &auditor,
        &[
            "--lane",
            "audit",
            "--status",
            "in-review",
            "--done",
            "backoff",
        ],
    ));
    auditor.hook_commit("audit notes");
    written.push(write(&auditor, &["--status", "approved"]));
    deliver(&auditor);
    auditor.handoff(&["push"]).ok();
    let supervisor = join(&server, "Supervisor");
    supervisor.git(&["checkout", "-q", "main"]);
    supervisor.git(&["merge", "-q", "--ff-only", "origin/feature"]);
    let run = supervisor.git_run(&["push", "origin", "main"]);
    assert_eq!(run.code, 0, "an approved packet merges into main: {run:?}");

    assert_nothing_lost(&server, &written);
    let p = supervisor.handoff(&["show", "feature", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(p.ok()).expect("json");
    assert_eq!(v["state"]["status"], "approved");
    assert_eq!(v["state"]["done"], serde_json::json!(["loop", "backoff"]));
    assert_eq!(v["decisions"][0]["what"], "jitter");
}

/// Every commit main holds carries a packet revision of its own, as plain git on the server
/// shows it, and every revision anyone wrote is in the server's chain.
fn assert_nothing_lost(server: &Server, written: &[String]) {
    // Every commit main gained carries a packet revision of its own, as plain git shows it.
    let remote = server.env.root.join("remote.git");
    let git_dir = remote.to_str().expect("utf-8");
    let commits = server
        .env
        .git(&["--git-dir", git_dir, "rev-list", "main", "^main~1"]);
    let range = server.env.git(&["--git-dir", git_dir, "rev-list", "main"]);
    assert!(!commits.is_empty());
    for commit in range.lines().filter(|c| {
        server
            .env
            .git(&["--git-dir", git_dir, "log", "-1", "--format=%s", c])
            != "root"
    }) {
        let note = server.env.git_run(&[
            "--git-dir",
            git_dir,
            "notes",
            "--ref=handoff",
            "show",
            commit,
        ]);
        assert_eq!(note.code, 0, "{commit} carries its packet: {note:?}");
        assert!(note.stdout.contains("id = \"hx-"), "{note:?}");
    }
    // No revision anyone wrote is lost: each is in the server's chain.
    for commit in written {
        let kept = server.env.git_run(&[
            "--git-dir",
            git_dir,
            "merge-base",
            "--is-ancestor",
            commit,
            "refs/handoff/heads/feature",
        ]);
        assert_eq!(
            kept.code, 0,
            "revision commit {commit} is in the chain: {kept:?}"
        );
    }
}
