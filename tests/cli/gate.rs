//! The pre-commit gate: missing, invalid, stale packets block; updated ones and exempt
//! branches pass.

use crate::common::TestRepo;

fn setup() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.init_hooks();
    repo
}

#[test]
fn a_branch_without_a_packet_is_blocked_with_the_command_that_fixes_it() {
    let repo = setup();
    let before = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.try_commit("work");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("has no handoff packet"), "{run:?}");
    assert!(
        run.stderr.contains("hint: git handoff start --goal"),
        "{run:?}"
    );
    assert_eq!(
        repo.git(&["rev-parse", "HEAD"]),
        before,
        "nothing committed"
    );
}

#[test]
fn a_stale_packet_blocks_until_updated_then_the_next_commit_passes() {
    let repo = setup();
    repo.start();
    repo.hook_commit("first");
    let run = repo.try_commit("second");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("not updated since the last commit"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("hint: git handoff update --done"),
        "{run:?}"
    );
    repo.handoff(&["update", "--done", "first"]).ok();
    repo.hook_commit("second");
}

#[test]
fn an_invalid_packet_blocks_and_points_at_edit() {
    let repo = setup();
    repo.start();
    // A chain tip whose packet.toml is not a packet.
    let blob = repo.git_stdin(&["hash-object", "-w", "--stdin"], "schema = 1\ngarbage\n");
    let tree = repo.git_stdin(&["mktree"], &format!("100644 blob {blob}\tpacket.toml\n"));
    let parent = repo.git(&["rev-parse", "refs/handoff/heads/feature"]);
    let commit = repo.git(&[
        "commit-tree",
        &tree,
        "-p",
        &parent,
        "-m",
        "handoff hx-x r2: update",
    ]);
    repo.git(&["update-ref", "refs/handoff/heads/feature", &commit]);
    let run = repo.try_commit("work");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("is invalid") && run.stderr.contains("git handoff edit"),
        "{run:?}"
    );
    repo.handoff(&["update", "--done", "x"])
        .fails(2, "git handoff edit");
    let fix = repo.root.join("fix.sh");
    let script =
        "#!/bin/sh\nprintf '[task]\\ngoal = \"fixed\"\\nacceptance = [\"a\"]\\n' > \"$1\"\n";
    std::fs::write(&fix, script).expect("write");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&fix)
        .status()
        .expect("chmod");
    let out = repo
        .command(crate::common::bin(), &repo.path)
        .env("GIT_EDITOR", &fix)
        .arg("edit")
        .output()
        .expect("edit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "edit repairs what the gate pointed at: {stderr}"
    );
    assert_eq!(repo.packet_json()["revision"], 3);
    repo.hook_commit("work");
}

#[test]
fn exempt_branches_follow_defaults_the_policy_file_and_git_config() {
    let repo = setup();
    repo.git(&["checkout", "-q", "-b", "main"]);
    repo.hook_commit("on main");
    repo.git(&["checkout", "-q", "-b", "release/1.0"]);
    repo.hook_commit("on release");
    repo.git(&["checkout", "-q", "-b", "docs/readme"]);
    assert_eq!(repo.try_commit("docs").code, 1, "not exempt by default");
    std::fs::write(repo.path.join(".handoff.toml"), "exempt = [\"docs/*\"]\n").expect("write");
    repo.hook_commit("docs");
    repo.git(&["config", "handoff.exempt", "other/*"]);
    assert_eq!(
        repo.try_commit("docs again").code,
        1,
        "git config replaces the file's list"
    );
    std::fs::write(
        repo.path.join(".handoff.toml"),
        "exempt = [\"docs/*\"]\nsurprise = 1\n",
    )
    .expect("write");
    let run = repo.try_commit("bad policy");
    assert_eq!(run.code, 1, "git stops on the hook's error: {run:?}");
    assert!(run.stderr.contains("surprise"), "{run:?}");
}

#[test]
fn a_commit_that_bypassed_the_gate_still_fails_the_branch_check() {
    let repo = setup();
    repo.start();
    repo.hook_commit("gated");
    std::fs::write(repo.path.join("x"), "x").expect("write");
    repo.git(&["add", "x"]);
    let gated = repo.git_run(&["commit", "-q", "-m", "stale"]);
    assert_eq!(gated.code, 1, "the gate stops a stale packet: {gated:?}");
    repo.git(&["commit", "-q", "--no-verify", "-m", "bypass"]);
    let check = repo.handoff(&["check"]);
    assert_eq!(
        check.code, 1,
        "the review check is the real gate: {check:?}"
    );
    assert!(
        check.stdout.contains("error   current "),
        "it names the stale packet: {check:?}"
    );
}

#[test]
fn merges_are_not_gated_unless_configured() {
    let repo = setup();
    repo.start();
    repo.hook_commit("one");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.handoff(&["start", "--goal", "side", "--accept", "a"])
        .ok();
    repo.hook_commit("side work");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "merge side"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.git(&["config", "handoff.gateMerges", "true"]);
    let run = repo.git_run(&["merge", "-q", "--no-ff", "side", "-m", "merge side"]);
    assert_ne!(
        run.code, 0,
        "a gated merge with a stale packet is blocked: {run:?}"
    );
    assert!(
        run.stderr.contains("not updated since the last commit"),
        "{run:?}"
    );
}

#[test]
fn amend_right_after_a_commit_needs_no_new_revision() {
    let repo = setup();
    repo.start();
    let first = repo.hook_commit("first");
    let run = repo.git_run(&["commit", "-q", "--amend", "-m", "first, reworded"]);
    assert_eq!(
        run.code, 0,
        "amending the commit the packet was written for passes: {run:?}"
    );
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), first);
}

#[test]
fn the_trailer_can_be_turned_off() {
    let repo = setup();
    repo.start();
    repo.git(&["config", "handoff.trailer", "false"]);
    repo.hook_commit("no trailer");
    assert!(!repo.git(&["log", "-1", "--format=%B"]).contains("Handoff:"));
    assert_eq!(
        repo.note_revision("HEAD"),
        Some(1),
        "the note is still attached"
    );
}

#[test]
fn under_a_hook_manager_amend_passes_and_a_second_commit_is_still_blocked() {
    // A manager's layers between git and the gate: git runs a script that runs a shell that
    // runs the gate, each staying alive (no exec), as husky, lefthook and pre-commit do.
    let repo = TestRepo::new();
    repo.commit("base");
    let hooks = repo.path.join("manager-hooks");
    std::fs::create_dir_all(&hooks).expect("hooks dir");
    for hook in ["pre-commit", "commit-msg", "post-commit"] {
        let script = format!(
            "#!/bin/sh\nsh -c '\"{}\" hook {hook} \"$@\"; exit $?' manager \"$@\"\nexit $?\n",
            crate::common::bin()
        );
        let path = hooks.join(hook);
        std::fs::write(&path, script).expect("hook");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
    }
    repo.git(&[
        "config",
        "core.hooksPath",
        hooks.to_str().expect("utf-8 path"),
    ]);
    repo.start();
    let first = repo.hook_commit("first");
    let amend = repo.git_run(&["commit", "-q", "--amend", "-m", "first, reworded"]);
    assert_eq!(amend.code, 0, "amend under a manager passes: {amend:?}");
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), first);
    let second = repo.try_commit("second");
    assert_eq!(second.code, 1, "{second:?}");
    assert!(
        second.stderr.contains("not updated since the last commit"),
        "{second:?}"
    );
}
