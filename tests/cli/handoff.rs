//! The handoff itself: pass, take, review, resolve, validate and brief, each a checked,
//! recorded event; every refusal exits 1 with a hint and writes nothing.

use crate::common::{bin, Run, TestRepo};

/// A packet in the plan lane held by `planner`, with a next step, a validation command that
/// passes and a reviewer, on a branch with one commit.
fn planned() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.handoff(&[
        "start",
        "--goal",
        "Retry OAuth callbacks",
        "--accept",
        "tests pass",
        "--intent",
        "make login survive 5xx",
        "--lane",
        "plan",
        "--owner",
        "planner",
        "--next",
        "write the retry loop",
        "--reviewer",
        "auditor",
        "--validate",
        "test -f base.txt",
        "--non-goal",
        "no new dependencies",
        "--as",
        "planner",
    ])
    .ok();
    repo
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(run.ok()).expect("JSON on stdout")
}

/// Runs git-handoff with `GIT_HANDOFF_AGENT` set.
fn as_agent(repo: &TestRepo, agent: &str, args: &[&str]) -> Run {
    let mut cmd = repo.command(bin(), &repo.path);
    cmd.env("GIT_HANDOFF_AGENT", agent).args(args);
    Run::from(&cmd.output().expect("run git-handoff"))
}

#[test]
fn a_planner_executor_auditor_round_is_recorded_event_by_event() {
    let repo = planned();
    let v = json(&repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner", "--format", "json",
    ]));
    assert_eq!(
        (
            v["from"].as_str(),
            v["to"].as_str(),
            v["hops"].as_u64(),
            v["status"].as_str()
        ),
        (Some("plan"), Some("execute"), Some(1), Some("in-progress"))
    );
    let resumed = as_agent(&repo, "codex", &["take", "--format", "json"]);
    assert_eq!(
        json(&resumed)["already_held"],
        true,
        "resuming writes nothing"
    );
    repo.commit("retry loop");
    repo.handoff(&["update", "--done", "write the retry loop", "--as", "codex"])
        .ok();
    let v = json(&as_agent(&repo, "codex", &["validate", "--format", "json"]));
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    assert_eq!(
        (v["result"].as_str(), v["tree"].as_str()),
        (Some("pass"), Some(tree.as_str()))
    );
    as_agent(&repo, "codex", &["pass", "--to", "audit"]).ok();
    let p = repo.packet_json();
    assert_eq!(
        p["control"]["owner"], "auditor",
        "the reviewer receives the work"
    );
    assert_eq!(p["state"]["status"], "in-review");
    let v = json(&as_agent(
        &repo,
        "auditor",
        &[
            "review",
            "--revise",
            "--finding",
            "major: src/retry.rs:12: no backoff",
            "--finding",
            "minor: naming is loose",
            "--format",
            "json",
        ],
    ));
    let ids: Vec<String> = v["findings"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|i| i.as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        (v["owner"].as_str(), v["cycles"].as_u64()),
        (Some("codex"), Some(1)),
        "back to the executor"
    );
    let p = repo.packet_json();
    assert_eq!(p["state"]["status"], "changes-requested");
    assert_eq!(p["findings"][0]["path"], "src/retry.rs");
    assert_eq!(p["findings"][0]["line"], 12);
    assert_eq!(p["findings"][0]["reviewer"], "auditor");
    assert_eq!(
        p["findings"][0]["commit"],
        repo.git(&["rev-parse", "HEAD"]).as_str()
    );
    as_agent(
        &repo,
        "codex",
        &["resolve", &ids[0], "--note", "exponential backoff"],
    )
    .ok();
    as_agent(&repo, "codex", &["pass", "--to", "audit"]).ok();
    as_agent(&repo, "auditor", &["review", "--approve", "--note", "good"]).ok();
    let p = repo.packet_json();
    assert_eq!(p["state"]["status"], "approved");
    assert_eq!(p["verdicts"][1]["tree"], tree.as_str());
    assert_eq!(
        p["actor"], "auditor",
        "the actor is recorded with the git author"
    );
    assert_eq!(p["author"], "Ada Lovelace <ada@example.com>");
    assert_eq!(p["control"]["hops"], 4);
    let log = repo.handoff(&["log"]);
    for event in [
        "pass plan→execute by planner",
        "validate pass by codex",
        "pass execute→audit by codex",
        "review revise by auditor: 2 finding(s)",
        &format!("resolve {} by codex", ids[0]),
        "review approve by auditor",
    ] {
        assert!(log.ok().contains(event), "{event} in {log:?}");
    }
}

#[test]
fn an_approval_holds_for_the_tree_reviewed_only() {
    let repo = planned();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    repo.commit("retry loop");
    repo.handoff(&["update", "--done", "loop", "--as", "codex"])
        .ok();
    as_agent(&repo, "codex", &["pass", "--to", "audit"]).ok();
    as_agent(
        &repo,
        "auditor",
        &["review", "--approve", "--finding", "minor: naming is loose"],
    )
    .ok();
    let check = repo.handoff(&["check", "--format", "json"]);
    let findings = json_checks(&check);
    assert!(
        findings.contains(&("findings".into(), "warning".into())),
        "the minor finding warns: {findings:?}"
    );
    repo.commit("after approval");
    repo.handoff(&["update", "--done", "polish", "--as", "codex"])
        .ok();
    let check = repo.handoff(&["check", "--format", "json"]);
    let text = check.stdout.clone();
    assert!(
        text.contains("approved at") && text.contains("1 commit since"),
        "{text}"
    );
    repo.fsck();
}

fn json_checks(run: &Run) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("check JSON");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_handoff_refusal_exits_1_with_a_hint_and_writes_nothing() {
    let repo = planned();
    let refusals: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "pass", "--to", "plan", "--owner", "planner", "--as", "planner",
            ],
            "nothing changes hands",
        ),
        (
            vec![
                "pass", "--to", "plan", "--owner", "gemini", "--as", "planner",
            ],
            "needs a reason",
        ),
        (
            vec![
                "pass", "--to", "audit", "--owner", "planner", "--as", "planner",
            ],
            "the reviewer is the passer",
        ),
        (
            vec!["pass", "--to", "execute", "--as", "codex"],
            "planner holds the work",
        ),
        (
            vec!["pass", "--to", "audit", "--as", "planner"],
            "nothing done",
        ),
        (
            vec![
                "pass",
                "--to",
                "execute",
                "--reset-budget",
                "--as",
                "planner",
            ],
            "only the holder of the supervise lane",
        ),
        (vec!["take", "--as", "codex"], "planner holds the work"),
        (
            vec!["pass", "--to", "execute", "--owner", " ", "--as", "planner"],
            "--owner is blank",
        ),
        (
            vec!["take", "--lane", "execute", "--as", "planner"],
            "is a switch",
        ),
        (
            vec!["review", "--approve", "--as", "auditor"],
            "reviews happen in the audit lane",
        ),
        (vec!["resolve", "f0000000", "--as", "codex"], "no finding"),
        (
            vec!["resolve", "--all", "--as", "codex"],
            "no finding is open",
        ),
        (
            vec!["update", "--intent", "something else", "--as", "planner"],
            "original request",
        ),
    ];
    for (args, needle) in &refusals {
        let before = repo.refs_snapshot();
        repo.handoff(args).fails(1, needle);
        assert_eq!(repo.refs_snapshot(), before, "{args:?} wrote nothing");
    }
}

#[test]
fn kill_conditions_refuse_passes_but_escalation_and_a_budget_reset_stay_open() {
    let repo = planned();
    repo.handoff(&["update", "--max-hops", "1", "--as", "planner"])
        .ok();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    let before = repo.refs_snapshot();
    repo.handoff(&["pass", "--to", "plan", "--as", "codex"])
        .fails(1, "--to supervise");
    assert_eq!(repo.refs_snapshot(), before);
    repo.handoff(&[
        "pass",
        "--to",
        "supervise",
        "--why",
        "out of hops",
        "--as",
        "codex",
    ])
    .ok();
    assert_eq!(repo.packet_json()["state"]["status"], "blocked");
    repo.handoff(&["update", "--intent", "a new request", "--as", "codex"])
        .fails(1, "original request");
    repo.handoff(&["take", "--as", "boss"]).ok();
    repo.handoff(&["update", "--intent", "a new request", "--as", "boss"])
        .fails(1, "needs a reason");
    repo.handoff(&[
        "update",
        "--intent",
        "a new request",
        "--why",
        "the user asked",
        "--as",
        "boss",
    ])
    .ok();
    let v = json(&repo.handoff(&[
        "pass",
        "--to",
        "execute",
        "--owner",
        "codex",
        "--reset-budget",
        "--why",
        "re-planned",
        "--as",
        "boss",
        "--format",
        "json",
    ]));
    assert_eq!(
        (v["hops"].as_u64(), v["cycles"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn an_approval_needs_a_reviewer_other_than_the_executor_and_no_open_findings() {
    let repo = planned();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    repo.handoff(&[
        "update",
        "--max-hops",
        "8",
        "--done",
        "loop",
        "--as",
        "codex",
    ])
    .ok();
    repo.handoff(&[
        "pass", "--to", "audit", "--owner", "auditor", "--as", "codex",
    ])
    .ok();
    let before = repo.refs_snapshot();
    repo.handoff(&["review", "--revise", "--as", "auditor"])
        .fails(1, "at least one new finding");
    repo.handoff(&["review", "--approve", "--as", "codex"])
        .fails(1, "auditor holds the review");
    repo.handoff(&[
        "review",
        "--approve",
        "--finding",
        "major: broken",
        "--as",
        "auditor",
    ])
    .fails(1, "findings are open");
    assert_eq!(repo.refs_snapshot(), before, "no refusal wrote anything");
    // Taking the review over does not make the executor a reviewer of their own work.
    repo.handoff(&["take", "--force", "--as", "codex"]).ok();
    let before = repo.refs_snapshot();
    repo.handoff(&["review", "--approve", "--as", "codex"])
        .fails(1, "cannot approve it");
    assert_eq!(repo.refs_snapshot(), before);
    repo.handoff(&["update", "--intent", "x", "--as", "bad\u{7}name"])
        .fails(2, "not an actor name");
}

#[test]
fn whoever_passes_work_out_of_an_ownerless_execute_lane_executed_it() {
    let repo = planned();
    repo.handoff(&["pass", "--to", "execute", "--as", "planner"])
        .ok();
    repo.commit("work");
    repo.handoff(&["update", "--done", "work", "--as", "bob"])
        .ok();
    repo.handoff(&["pass", "--to", "audit", "--owner", "alice", "--as", "bob"])
        .ok();
    repo.handoff(&["review", "--approve", "--as", "bob"])
        .fails(1, "alice holds the review");
    repo.handoff(&["take", "--force", "--why", "alice is away", "--as", "bob"])
        .ok();
    repo.handoff(&["review", "--approve", "--as", "bob"])
        .fails(1, "cannot approve it");
}

#[test]
fn update_from_a_file_cannot_rewrite_the_handoff_records() {
    let repo = planned();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    let mut toml = repo.handoff(&["show"]).ok().to_string();
    toml = toml.replace("hops = 1", "hops = 0");
    let before = repo.refs_snapshot();
    repo.handoff_stdin(&["update", "--from", "-", "--as", "codex"], &toml)
        .fails(1, "control.hops");
    assert_eq!(repo.refs_snapshot(), before);
    // A body written from scratch keeps the records it does not mention.
    let body = "[task]\ngoal = \"Retry OAuth callbacks\"\nacceptance = [\"tests pass\", \"and docs\"]\nintent = \"make login survive 5xx\"\n";
    repo.handoff_stdin(&["update", "--from", "-", "--as", "codex"], body)
        .ok();
    let p = repo.packet_json();
    assert_eq!(
        (
            p["control"]["hops"].as_u64(),
            p["control"]["executor"].as_str()
        ),
        (Some(1), Some("codex"))
    );
}

#[test]
fn the_actor_is_as_then_the_environment_then_config_then_the_user_name() {
    let repo = planned();
    assert_eq!(repo.packet_json()["actor"], "planner");
    repo.handoff(&["update", "--done", "a"]).ok();
    assert_eq!(
        repo.packet_json()["actor"],
        "Ada Lovelace",
        "user.name by default"
    );
    repo.git(&["config", "handoff.agent", "gemini"]);
    repo.handoff(&["update", "--done", "b"]).ok();
    assert_eq!(repo.packet_json()["actor"], "gemini");
    as_agent(&repo, "claude", &["update", "--done", "c"]).ok();
    assert_eq!(repo.packet_json()["actor"], "claude");
    as_agent(&repo, "claude", &["update", "--done", "d", "--as", "codex"]).ok();
    assert_eq!(repo.packet_json()["actor"], "codex");
    repo.git(&["config", "--unset", "handoff.agent"]);
    let long = "N".repeat(80);
    repo.git(&["config", "user.name", &long]);
    repo.handoff(&["update", "--done", "e"]).ok();
    assert_eq!(
        repo.packet_json()["actor"],
        "N".repeat(64).as_str(),
        "a long user.name is cut, not refused"
    );
}

#[test]
fn validate_binds_its_result_to_the_tree_it_ran_on() {
    let repo = planned();
    repo.handoff(&[
        "update",
        "--validate",
        "echo checking; test ! -f broken.txt",
        "--as",
        "codex",
    ])
    .ok();
    std::fs::write(repo.path.join("broken.txt"), "x").expect("write");
    let run = repo.handoff(&["validate", "--format", "json", "--as", "codex"]);
    assert_eq!(run.code, 1, "a failed validation is a refusal: {run:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        (v["result"].as_str(), v["exit_code"].as_i64()),
        (Some("fail"), Some(1))
    );
    assert_eq!(v["tail"][0], "checking", "the output's last lines are kept");
    assert!(
        run.stderr.contains("checking"),
        "the output goes to stderr: {run:?}"
    );
    let p = repo.packet_json();
    assert_eq!(
        (
            p["validation"]["result"].as_str(),
            p["validation"]["source"].as_str()
        ),
        (Some("fail"), Some("run"))
    );
    // A dirty tree: the tree recorded is the one a commit of exactly that work tree has.
    std::fs::remove_file(repo.path.join("broken.txt")).expect("rm");
    std::fs::write(repo.path.join("new.txt"), "new").expect("write");
    repo.handoff(&["validate", "--as", "codex"]).ok();
    let recorded = repo.packet_json()["validation"]["tree"]
        .as_str()
        .expect("tree")
        .to_string();
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "?? new.txt",
        "the index is untouched"
    );
    repo.git(&["add", "--all"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "as validated"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD^{tree}"]), recorded);
    // Only a result the tool ran on the tip counts where policy requires validation.
    repo.handoff(&["update", "--done", "x", "--as", "codex"])
        .ok();
    let required = |repo: &TestRepo| {
        json_checks(&repo.handoff(&["check", "--format", "json", "--require-validation"]))
    };
    assert!(
        !required(&repo).iter().any(|(c, _)| c == "validation"),
        "{:?}",
        required(&repo)
    );
    repo.handoff(&["update", "--result", "pass", "--as", "codex"])
        .ok();
    assert_eq!(repo.packet_json()["validation"]["source"], "reported");
    assert!(required(&repo).contains(&("validation".into(), "error".into())));
    // A new command: the old result is not its result.
    repo.handoff(&["update", "--validate", "true", "--as", "codex"])
        .ok();
    assert_eq!(repo.packet_json()["validation"]["result"], "unknown");
    // Run from a subdirectory, it still runs at the root and records the whole tree.
    std::fs::create_dir_all(repo.path.join("sub")).expect("mkdir");
    repo.handoff_in(&repo.path.join("sub"), &["validate"]).ok();
    // What the command leaves running in the background does not hold the report.
    repo.handoff(&[
        "update",
        "--validate",
        "echo hi; (sleep 30 &); echo bye",
        "--as",
        "codex",
    ])
    .ok();
    let started = std::time::Instant::now();
    repo.handoff(&["validate"]).ok();
    assert!(
        started.elapsed().as_secs() < 20,
        "a background child does not hold validate"
    );
    // A command that outlives its timeout is stopped, children included.
    repo.handoff(&[
        "update",
        "--validate",
        "sleep 30 & sleep 30",
        "--as",
        "codex",
    ])
    .ok();
    let started = std::time::Instant::now();
    let run = repo.handoff(&["validate", "--timeout", "1", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        started.elapsed().as_secs() < 20,
        "the timeout stops the command"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).expect("JSON")["timed_out"],
        true
    );
}

#[test]
fn the_brief_fits_its_budget_and_puts_the_lanes_concerns_first() {
    let repo = planned();
    let mut args = vec!["update".to_string(), "--as".into(), "planner".into()];
    for i in 0..60 {
        args.push("--next".into());
        args.push(format!(
            "step {i}: refactor the module carefully and keep the tests green"
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.handoff(&args).ok();
    let brief = repo.handoff(&["brief", "--budget", "200"]);
    let text = brief.ok();
    assert!(
        text.len().div_ceil(4) <= 200,
        "{} bytes: {text}",
        text.len()
    );
    assert!(
        text.starts_with(
            "Goal:\n- Retry OAuth callbacks\n- Original request: make login survive 5xx\nGate:\n"
        ),
        "{text}"
    );
    assert!(text.contains("Do NOT:\n- no new dependencies"), "{text}");
    assert!(text.contains("more now"), "{text}");
    assert!(
        text.ends_with("Full packet: git handoff show feature\n"),
        "{text}"
    );
    let v = json(&repo.handoff(&["brief", "--lane", "execute", "--format", "json"]));
    assert_eq!(v["sections"][0]["title"], "Now");
    assert!(v["tokens"].as_u64().expect("tokens") <= 500);
    let md = repo.handoff(&["brief", "--format", "md", "--lane", "audit"]);
    assert!(md.ok().starts_with("## Gate\n"), "{md:?}");
    repo.handoff(&["brief", "--budget", "10"])
        .fails(2, "at least");
    assert_eq!(
        repo.handoff(&["brief"]),
        repo.handoff(&["brief"]),
        "deterministic"
    );
}

#[test]
fn a_validation_does_not_stand_for_an_update_after_a_commit() {
    let repo = planned();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    repo.handoff(&["update", "--done", "loop", "--as", "codex"])
        .ok();
    repo.commit("undescribed work");
    repo.handoff(&["validate", "--as", "codex"]).ok();
    let before = repo.refs_snapshot();
    repo.handoff(&["pass", "--to", "audit", "--as", "codex"])
        .fails(1, "the tip was made after the latest revision");
    assert_eq!(repo.refs_snapshot(), before);
    repo.handoff(&["update", "--done", "described", "--as", "codex"])
        .ok();
    repo.handoff(&["update", "--validate", "false", "--as", "codex"])
        .ok();
    let run = repo.handoff(&["pass", "--to", "audit", "--as", "codex"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("`false` has not been run"),
        "the pass says what its proof lacks: {run:?}"
    );
}

#[test]
fn empty_input_and_a_missing_terminal_are_said_plainly() {
    let repo = planned();
    repo.handoff_stdin(&["update", "--from", "-"], "")
        .fails(2, "stdin gave no packet");
    let mut cmd = repo.command(bin(), &repo.path);
    cmd.env_remove("EDITOR").env_remove("VISUAL").arg("edit");
    Run::from(&cmd.output().expect("run")).fails(2, "no one is at a terminal");
}

#[test]
fn check_and_brief_judge_a_branch_not_checked_out_at_the_remotes_copy() {
    let server = crate::common::Server::file();
    let alice = server.clone("Alice");
    alice.init_hooks();
    alice.git(&["checkout", "-q", "-b", "main"]);
    alice.commit("root");
    alice.git(&["push", "-q", "origin", "main"]);
    alice.git(&["checkout", "-q", "-b", "feature"]);
    alice
        .handoff(&[
            "start",
            "--goal",
            "g",
            "--accept",
            "a",
            "--validate",
            "true",
        ])
        .ok();
    alice.hook_commit("work");
    alice.handoff(&["update", "--done", "work"]).ok();
    alice.handoff(&["validate"]).ok();
    alice.git(&["push", "-q", "origin", "feature"]);
    let bob = server.clone("Bob");
    bob.init_hooks();
    bob.git(&["fetch", "-q"]);
    bob.handoff(&["pull"]).ok();
    assert_eq!(bob.git(&["branch", "--show-current"]), "main");
    let found = json_checks(&bob.handoff(&["check", "--branch", "feature", "--format", "json"]));
    assert!(
        !found
            .iter()
            .any(|(c, _)| c == "current" || c == "validation"),
        "judged at origin/feature, not at main: {found:?}"
    );
    let brief = bob.handoff(&["brief", "feature"]);
    assert!(brief.ok().contains("run on the tip's tree"), "{brief:?}");
    let named = bob.handoff(&["brief", "origin/feature"]);
    assert!(named.ok().contains("run on the tip's tree"), "{named:?}");
}

#[test]
fn the_holder_keeps_the_work_against_update_edit_and_forged_findings() {
    let repo = planned();
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    let before = repo.refs_snapshot();
    repo.handoff(&[
        "update", "--lane", "audit", "--owner", "mallory", "--as", "mallory",
    ])
    .fails(1, "codex holds the work");
    repo.handoff(&["update", "--owner", "claude", "--as", "codex"])
        .fails(1, "git handoff pass");
    let mut cmd = repo.command(bin(), &repo.path);
    cmd.env("GIT_EDITOR", "sed -i -e 's/^hops = 1/hops = 0/'")
        .args(["edit", "--as", "codex"]);
    Run::from(&cmd.output().expect("run")).fails(1, "control.hops");
    let forged = format!(
        "{}\n[[findings]]\nid = \"fdeadbee\"\nseverity = \"minor\"\nmessage = \"forged\"\n",
        repo.handoff(&["show"]).ok()
    );
    repo.handoff_stdin(&["update", "--from", "-", "--as", "codex"], &forged)
        .fails(1, "findings");
    assert_eq!(repo.refs_snapshot(), before, "nothing was written");
}

#[test]
fn escalation_never_counts_past_the_policys_hop_limit() {
    let repo = planned();
    repo.git(&["config", "handoff.maxHops", "1"]);
    repo.handoff(&[
        "pass", "--to", "execute", "--owner", "codex", "--as", "planner",
    ])
    .ok();
    repo.handoff(&[
        "pass",
        "--to",
        "supervise",
        "--why",
        "stuck",
        "--as",
        "codex",
    ])
    .ok();
    assert_eq!(repo.packet_json()["control"]["hops"], 1);
}

#[test]
fn a_pull_that_merges_revisions_leaves_the_tip_current_for_a_pass() {
    let server = crate::common::Server::file();
    let a = server.clone("A");
    a.init_hooks();
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "x",
        "--validate",
        "true",
        "--reviewer",
        "rev",
        "--lane",
        "execute",
        "--owner",
        "a",
        "--as",
        "a",
    ])
    .ok();
    a.hook_commit("first");
    a.git(&["push", "-q", "origin", "feature"]);
    let b = server.clone("B");
    b.init_hooks();
    b.git(&["fetch", "-q"]);
    b.git(&["checkout", "-q", "feature"]);
    b.handoff(&["pull"]).ok();
    b.handoff(&["update", "--question", "why?", "--as", "b"])
        .ok();
    b.handoff(&["push"]).ok();
    a.handoff(&["update", "--done", "d", "--as", "a"]).ok();
    a.hook_commit("second");
    a.handoff(&["pull"]).ok();
    let log = a.handoff(&["log"]);
    assert!(log.ok().contains("  merge"), "the pull merged: {log:?}");
    a.handoff(&["validate", "--as", "a"]).ok();
    a.handoff(&["pass", "--to", "audit", "--as", "a"]).ok();
}
