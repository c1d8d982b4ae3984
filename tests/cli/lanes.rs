//! The handoff across three clones and a `git daemon`, as docs/workflow.md tells it: a planner
//! passes to an executor, who works, validates and passes to audit; the auditor sends it back
//! with two findings, the executor resolves them and passes back, the auditor approves; a new
//! commit makes the approval stale; review returns run into `max-cycles`, and the supervise
//! lane takes over. `check` and `log` tell the whole story.

use crate::common::{Server, TestRepo};

/// A clone with the hooks, on the shared branch, its packet pulled in.
fn join(server: &Server, who: &str) -> TestRepo {
    let repo = server.clone(who);
    repo.init_hooks();
    repo.git(&["config", "handoff.agent", &who.to_lowercase()]);
    repo.git(&["config", "handoff.maxHops", "20"]);
    repo.git(&["fetch", "-q"]);
    repo.git(&["checkout", "-q", "feature"]);
    repo.handoff(&["pull"]).ok();
    repo
}

/// Takes in what the others pushed: the branch and its packets.
fn catch_up(repo: &TestRepo) {
    repo.git(&[
        "pull",
        "-q",
        "--no-rebase",
        "--no-edit",
        "origin",
        "feature",
    ]);
    repo.handoff(&["pull"]).ok();
}

/// Commits work under a fresh revision and pushes branch and packets.
fn work(repo: &TestRepo, what: &str) {
    repo.handoff(&["update", "--done", what]).ok();
    repo.hook_commit(what);
    repo.git(&["push", "-q", "origin", "feature"]);
}

fn run_ok(repo: &TestRepo, args: &[&str]) {
    repo.handoff(args).ok();
    repo.handoff(&["push"]).ok();
}

#[test]
fn three_clones_plan_execute_audit_and_escalate_over_a_daemon() {
    let server = Server::daemon();
    let planner = plan(&server);
    let (executor, auditor) = first_round(&server);
    // A commit after the approval: the approval is for another tree now.
    catch_up(&executor);
    work(&executor, "late change");
    catch_up(&auditor);
    let stale = auditor.handoff(&["check"]);
    assert!(
        stale.stderr.contains("approved at") || stale.stdout.contains("approved at"),
        "{stale:?}"
    );

    // Returns until max-cycles (3) refuses the fourth; escalation stays open.
    // The work is still in review: the auditor sends it back again.
    for round in 2..=3 {
        catch_up(&auditor);
        let finding = format!("major: round {round} still wrong");
        run_ok(&auditor, &["review", "--revise", "--finding", &finding]);
        catch_up(&executor);
        run_ok(&executor, &["resolve", "--all"]);
        run_ok(&executor, &["pass", "--to", "audit"]);
    }
    catch_up(&auditor);
    let before = auditor.refs_snapshot();
    auditor
        .handoff(&["review", "--revise", "--finding", "major: round 4"])
        .fails(1, "max-cycles = 3");
    assert_eq!(
        auditor.refs_snapshot(),
        before,
        "the refused return wrote nothing"
    );
    run_ok(
        &auditor,
        &[
            "pass",
            "--to",
            "supervise",
            "--why",
            "three returns, still wrong",
        ],
    );

    catch_up(&planner);
    let p = planner.packet_json();
    assert_eq!(
        (
            p["control"]["lane"].as_str(),
            p["control"]["cycles"].as_u64(),
            p["state"]["status"].as_str()
        ),
        (Some("supervise"), Some(3), Some("blocked"))
    );
    assert_eq!(
        p["task"]["intent"], "login survives 5xx",
        "the intent stayed as started"
    );
    assert_story(&planner);
    supervise(&planner, &executor);
}

/// Execute, audit, revise with two findings, resolve, approve.
fn first_round(server: &Server) -> (TestRepo, TestRepo) {
    let executor = join(server, "Executor");
    executor.handoff(&["take"]).ok();
    work(&executor, "loop");
    run_ok(&executor, &["validate"]);
    run_ok(&executor, &["pass", "--to", "audit"]);

    let auditor = join(server, "Auditor");
    run_ok(
        &auditor,
        &[
            "review",
            "--revise",
            "--finding",
            "major: loop.txt:1: no backoff",
            "--finding",
            "minor: name it retry",
        ],
    );
    catch_up(&executor);
    assert_eq!(
        executor.packet_json()["state"]["status"],
        "changes-requested"
    );
    run_ok(&executor, &["resolve", "--all", "--note", "backoff added"]);
    work(&executor, "backoff");
    run_ok(&executor, &["validate"]);
    run_ok(&executor, &["pass", "--to", "audit"]);
    catch_up(&auditor);
    run_ok(&auditor, &["review", "--approve"]);
    assert_eq!(
        auditor.handoff(&["check", "--format", "json"]).code,
        0,
        "approved and current"
    );

    (executor, auditor)
}

/// `log` tells the story in order.
fn assert_story(planner: &TestRepo) {
    let log = planner.handoff(&["log"]);
    // Finding ids are content hashes: the story reads the same without them.
    let is_id = |w: &str| {
        w.len() == 8 && w.starts_with('f') && w[1..].chars().all(|c| c.is_ascii_hexdigit())
    };
    let story: Vec<String> = log
        .ok()
        .lines()
        .rev()
        .filter_map(|l| l.split("  ").nth(3))
        .filter(|e| !e.starts_with("update") && !e.starts_with("merge"))
        .map(|e| {
            e.split(' ')
                .filter(|w| !is_id(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let revise = |n: usize| format!("review revise by auditor: {n} finding(s)");
    assert_eq!(
        story,
        [
            "start",
            "pass plan→execute by planner",
            "validate pass by executor",
            "pass execute→audit by executor",
            &revise(2),
            "resolve by executor",
            "validate pass by executor",
            "pass execute→audit by executor",
            "review approve by auditor",
            &revise(1),
            "resolve by executor",
            "pass execute→audit by executor",
            &revise(1),
            "resolve by executor",
            "pass execute→audit by executor",
            "pass audit→supervise by auditor: three returns, still wrong",
        ],
        "{log:?}"
    );
}

/// The planner starts the packet and passes it to the executor.
fn plan(server: &Server) -> TestRepo {
    let planner = server.clone("Planner");
    planner.git(&["config", "handoff.agent", "planner"]);
    planner.git(&["config", "handoff.maxHops", "20"]);
    planner.git(&["checkout", "-q", "-b", "main"]);
    planner.commit("root");
    planner.git(&["push", "-q", "origin", "main"]);
    planner.git(&["checkout", "-q", "-b", "feature"]);
    planner.init_hooks();
    planner
        .handoff(&[
            "start",
            "--goal",
            "Retry callbacks",
            "--accept",
            "retries 3 times",
            "--intent",
            "login survives 5xx",
            "--lane",
            "plan",
            "--owner",
            "planner",
            "--next",
            "loop",
            "--reviewer",
            "auditor",
            "--validate",
            "test -f loop.txt",
            "--max-hops",
            "20",
        ])
        .ok();
    planner.hook_commit("plan");
    planner
        .handoff(&["pass", "--to", "execute", "--owner", "executor"])
        .ok();
    planner.git(&["push", "-q", "origin", "feature"]);

    planner
}

/// The supervisor takes the escalated work and re-plans it with a fresh budget.
fn supervise(planner: &TestRepo, executor: &TestRepo) {
    // The supervisor takes it and re-plans with a fresh budget.
    planner.handoff(&["take", "--as", "boss"]).ok();
    planner
        .handoff(&[
            "update",
            "--next",
            "retries only; backoff in its own branch",
            "--as",
            "boss",
        ])
        .ok();
    planner
        .handoff(&[
            "pass",
            "--to",
            "execute",
            "--owner",
            "executor",
            "--reset-budget",
            "--why",
            "split the task",
            "--as",
            "boss",
        ])
        .ok();
    let p = planner.packet_json();
    assert_eq!(p["control"]["hops"], 1);
    assert_eq!(
        p["control"]["cycles"].as_u64().unwrap_or(0),
        0,
        "cycles 0 is left out"
    );
    planner.handoff(&["push"]).ok();
    catch_up(executor);
    assert_eq!(
        executor.packet_json()["control"]["handover"]["reset_budget"],
        true
    );
}
