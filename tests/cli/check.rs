//! The branch review check: each check, each output format, exit codes, policy precedence.

use crate::common::TestRepo;

/// A feature branch off main with a packet that passes every default check.
fn passing() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["checkout", "-q", "-b", "main"]);
    repo.commit("root");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.init_hooks();
    std::fs::create_dir_all(repo.path.join("src")).expect("mkdir");
    std::fs::write(repo.path.join("src/lib.rs"), "// code\n").expect("write");
    repo.git(&["add", "src/lib.rs"]);
    repo.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--artifact",
        "src/lib.rs :: the code",
        "--validate",
        "true",
        "--status",
        "in-review",
    ])
    .ok();
    repo.git(&["commit", "-q", "-m", "code"]);
    repo.handoff(&["update", "--done", "code"]).ok();
    repo.hook_commit("more");
    repo.handoff(&["update", "--done", "more"]).ok();
    repo
}

fn json(repo: &TestRepo, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = repo.handoff(&all);
    (
        run.code,
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}")),
    )
}

/// Commits with `message` skipping the gate, as `--no-verify` does.
fn past_the_gate(repo: &TestRepo, message: &str) {
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--allow-empty",
        "-m",
        message,
    ]);
}

fn checks(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["check"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_well_kept_branch_passes_with_exit_0() {
    let repo = passing();
    let run = repo.handoff(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .ends_with("feature: passes the handoff check (0 errors, 0 warnings)\n"),
        "{run:?}"
    );
    let (code, v) = json(&repo, &[]);
    assert_eq!(
        (code, v["ok"].clone(), v["branch"].clone()),
        (0, true.into(), "feature".into())
    );
}

#[test]
fn a_tip_made_through_the_gate_is_current_without_another_update() {
    let repo = passing();
    // The gate asked for an update before this commit; the commit carries that revision.
    repo.handoff(&["update", "--next", "ship it"]).ok();
    repo.hook_commit("last");
    let run = repo.handoff(&["check"]);
    assert_eq!(
        (run.code, run.stdout.contains("current")),
        (0, false),
        "the gate and the check agree on what is current: {run:?}"
    );
    // The same revision carried by a second commit made past the gate is not current.
    past_the_gate(&repo, "past");
    let (code, v) = json(&repo, &[]);
    assert_eq!(code, 1);
    assert!(checks(&v).contains(&"current".to_string()), "{v}");
}

#[test]
fn a_missing_packet_fails_with_exit_1() {
    let repo = TestRepo::new();
    repo.git(&["checkout", "-q", "-b", "main"]);
    repo.commit("root");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit("work");
    let (code, v) = json(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(checks(&v), ["packet-exists"]);
    assert!(v["findings"][0]["hint"]
        .as_str()
        .is_some_and(|h| h.contains("git handoff start")));
}

#[test]
fn each_broken_rule_is_its_own_finding() {
    let repo = passing();
    repo.hook_commit("unrecorded");
    past_the_gate(&repo, "bare");
    let bare = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["notes", "--ref=handoff", "remove", &bare]);
    repo.handoff(&[
        "update",
        "--artifact",
        "docs/missing.md :: gone",
        "--status",
        "draft",
        "--blocker",
        "waiting on API",
    ])
    .ok();
    let (code, v) = json(&repo, &["--require-validation"]);
    assert_eq!(code, 1);
    let found = checks(&v);
    for check in ["intent", "artifacts", "validation", "blockers", "status"] {
        assert!(
            found.iter().any(|c| c == check),
            "{check} missing from {found:?}"
        );
    }
    let intent = &v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == "intent")
        .expect("intent")["commit"];
    assert_eq!(
        intent,
        &serde_json::Value::from(bare.as_str()),
        "the commit without intent is named"
    );
    repo.git(&["commit", "-q", "--allow-empty", "-m", "gated"]); // made under the latest
    let (_, v) = json(&repo, &[]);
    assert!(!checks(&v).contains(&"current".to_string()), "{v}");
    past_the_gate(&repo, "stale");
    let (_, v) = json(&repo, &[]);
    assert!(checks(&v).contains(&"current".to_string()), "{v}");
}

#[test]
fn a_lost_note_with_a_trailer_is_a_warning_that_repair_fixes() {
    let repo = passing();
    let tip = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["notes", "--ref=handoff", "remove", &tip]);
    let (code, v) = json(&repo, &[]);
    assert_eq!(code, 0, "a warning does not fail: {v}");
    assert_eq!(v["findings"][0]["severity"], "warning");
    assert!(v["findings"][0]["hint"]
        .as_str()
        .is_some_and(|h| h.contains("git handoff repair")));
    repo.handoff(&["repair"]).ok();
    assert_eq!(json(&repo, &[]).1["findings"], serde_json::json!([]));
}

#[test]
fn policy_file_config_and_flags_layer_up() {
    let repo = passing();
    let policy = "required = [\"control.owner\"]\nmax-hops = 0\n";
    // On the branch under review, a policy does not apply to it (it could exempt itself)...
    std::fs::write(repo.path.join(".handoff.toml"), policy).expect("write");
    repo.git(&["add", ".handoff.toml"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "policy"]);
    repo.handoff(&["update", "--done", "policy"]).ok();
    assert_eq!(
        json(&repo, &["--base", "main"]).0,
        0,
        "the branch's own policy is not the judge"
    );
    // ...the base's does.
    repo.git(&["checkout", "-q", "main"]);
    std::fs::write(repo.path.join(".handoff.toml"), policy).expect("write");
    repo.git(&["add", ".handoff.toml"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "team policy"]);
    repo.git(&["checkout", "-q", "feature"]);
    let (code, v) = json(&repo, &["--base", "main"]);
    assert_eq!(code, 1);
    assert_eq!(checks(&v), ["required-fields"], "{v}");
    let (_, v) = json(&repo, &["--base", "main", "--require-validation"]);
    assert!(
        checks(&v).contains(&"validation".to_string()),
        "the flag adds a rule: {v}"
    );
    let overridden = repo.git_run(&[
        "-c",
        "handoff.maxHops=1",
        "handoff",
        "policy",
        "--format",
        "json",
    ]);
    let p: serde_json::Value = serde_json::from_str(overridden.ok()).expect("json");
    assert_eq!(
        (
            p["max-hops"]["value"].clone(),
            p["max-hops"]["source"].clone()
        ),
        (1.into(), "git-config".into()),
        "git -c counts"
    );
    repo.git(&["config", "handoff.maxhop", "3"]);
    repo.handoff(&["policy"])
        .fails(2, "handoff.maxhop: unknown setting");
    repo.git(&["config", "--unset", "handoff.maxhop"]);
    let shown = repo.handoff(&["policy", "--format", "json"]);
    let p: serde_json::Value = serde_json::from_str(shown.ok()).expect("json");
    assert_eq!(p["required"]["source"], "file");
    assert_eq!(p["trailer"]["source"], "default");
    repo.git(&["config", "handoff.required", "task.intent"]);
    let p: serde_json::Value =
        serde_json::from_str(repo.handoff(&["policy", "--format", "json"]).ok()).expect("json");
    assert_eq!(
        (
            p["required"]["value"][0].clone(),
            p["required"]["source"].clone()
        ),
        ("task.intent".into(), "git-config".into())
    );
    let human = repo.handoff(&["policy"]);
    assert!(
        human
            .ok()
            .lines()
            .any(|l| l.starts_with("required ") && l.ends_with("(git-config)")),
        "{human:?}"
    );
    std::fs::write(repo.path.join(".handoff.toml"), "colour = \"red\"\n").expect("write");
    repo.handoff(&["policy"]).fails(2, "colour");
}

#[test]
fn exempt_branches_pass_and_the_check_needs_a_branch() {
    let repo = passing();
    repo.git(&["checkout", "-q", "main"]);
    let run = repo.handoff(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    repo.git(&["checkout", "-q", "--detach"]);
    repo.handoff(&["check"]).fails(2, "detached");
    repo.handoff(&["check", "--branch", "feature", "--base", "nope"])
        .fails(2, "--base nope");
}

#[test]
fn github_and_junit_formats() {
    let repo = passing();
    repo.handoff(&["update", "--status", "draft"]).ok();
    let gh = repo.handoff(&["check", "--format", "github"]);
    assert_eq!(gh.code, 1);
    assert!(
        gh.stdout
            .starts_with("::error title=handoff status::status draft"),
        "{gh:?}"
    );
    assert!(
        gh.stdout
            .contains("%0Ahint: git handoff update --status in-review"),
        "{gh:?}"
    );
    let junit = repo.handoff(&["check", "--format", "junit"]);
    assert_eq!(junit.code, 1);
    assert!(
        junit
            .stdout
            .contains("<testsuite name=\"git-handoff check\" tests=\"16\" failures=\"1\""),
        "{junit:?}"
    );
    assert!(
        junit
            .stdout
            .contains("<testcase classname=\"handoff.feature\" name=\"status\">\n    <failure"),
        "{junit:?}"
    );
    assert_eq!(
        junit.stdout.matches("<testcase ").count(),
        16,
        "one test case per check"
    );
}

#[test]
fn a_merge_commit_does_not_hide_stale_work_below_it() {
    let repo = passing();
    past_the_gate(&repo, "gated");
    past_the_gate(&repo, "stale");
    let (code, _) = json(&repo, &[]);
    assert_eq!(code, 1, "the second commit made past the gate is stale");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~3"]);
    past_the_gate(&repo, "side work");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "merge side"]);
    let (code, v) = json(&repo, &[]);
    assert_eq!(code, 1, "{v}");
    assert!(checks(&v).contains(&"current".to_string()), "{v}");
}
