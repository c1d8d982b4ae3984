//! Odd repositories and bad input: one error line, one hint, exit 2, nothing written.

use crate::common::{Run, TestRepo};

#[test]
fn a_path_outside_any_repository() {
    let repo = TestRepo::empty();
    std::fs::create_dir_all(&repo.path).expect("dir");
    repo.handoff(&["show"]).fails(2, "not a git repository");
    repo.handoff(&["start", "--goal", "g", "--accept", "a"])
        .fails(2, "-C");
}

#[test]
fn a_detached_head() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    repo.git(&["checkout", "-q", "--detach"]);
    let before = repo.refs_snapshot();
    repo.handoff(&["update", "--done", "x"])
        .fails(2, "git switch -c");
    repo.handoff(&["show"]).fails(2, "detached");
    repo.handoff(&["log"])
        .fails(2, "hint: git handoff log <branch>");
    repo.handoff(&["check"])
        .fails(2, "hint: git handoff check --branch <branch>");
    repo.handoff(&["show", "feature"]).ok();
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn a_bare_repository_reads_but_refuses_writes() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    let bare = repo.root.join("bare.git");
    repo.git(&[
        "clone",
        "-q",
        "--bare",
        repo.path.to_str().expect("utf-8"),
        bare.to_str().expect("utf-8"),
    ]);
    repo.git(&[
        "--git-dir",
        bare.to_str().expect("utf-8"),
        "fetch",
        "-q",
        repo.path.to_str().expect("utf-8"),
        "refs/handoff/*:refs/handoff/*",
    ]);
    repo.handoff_in(&bare, &["start", "--goal", "g", "--accept", "a"])
        .fails(2, "bare repository");
    let shown = repo.handoff_in(&bare, &["show", "feature"]);
    assert!(shown.ok().contains("Ship the retry"));
}

#[test]
fn a_branch_without_a_packet() {
    let repo = TestRepo::new();
    repo.handoff(&["show"]).fails(2, "git handoff start");
    repo.handoff(&["log"]).fails(2, "has no packet");
    repo.handoff(&["diff"]).fails(2, "has no packet");
    repo.handoff(&["note"]).fails(2, "no packet");
    repo.handoff(&["show", "nothing-here"])
        .fails(2, "git handoff list");
}

#[test]
fn a_missing_identity() {
    let t = TestRepo::new();
    t.git(&["config", "--unset", "user.name"]);
    t.git(&["config", "--unset", "user.email"]);
    t.handoff(&["start", "--goal", "g", "--accept", "a"])
        .fails(2, "user.name");
    assert_eq!(t.ref_target("refs/handoff/heads/feature"), None);
}

#[test]
fn a_hostile_chain_and_a_hostile_note_are_errors_not_panics() {
    let repo = TestRepo::new();
    let head = repo.commit("one");
    repo.git(&[
        "notes",
        "--ref=handoff",
        "add",
        "-m",
        "this is not a packet = [",
        &head,
    ]);
    repo.handoff(&["show", &head])
        .fails(2, "not a valid packet");
    let garbage = repo.root.join("g.toml");
    std::fs::write(&garbage, "schema = 1\nid = \"../../etc\"\n").expect("write");
    let blob = repo.git(&["hash-object", "-w", garbage.to_str().expect("utf-8")]);
    let tree = repo.git_stdin(&["mktree"], &format!("100644 blob {blob}\tpacket.toml\n"));
    let commit = repo.git(&["commit-tree", &tree, "-m", "handoff evil r1: start"]);
    repo.git(&[
        "update-ref",
        "refs/handoff-remotes/origin/heads/evil",
        &commit,
    ]);
    repo.handoff(&["show", "origin/evil"])
        .fails(2, "not a valid packet");
    let list = repo.handoff(&["list"]);
    assert_eq!(list.code, 0, "list skips a bad chain: {list:?}");
    assert!(
        list.stderr
            .contains("skipping refs/handoff-remotes/origin/heads/evil"),
        "{list:?}"
    );
}

#[test]
fn unsupported_formats_and_usage_errors_exit_2() {
    let repo = TestRepo::new();
    repo.start();
    repo.handoff(&["list", "--format", "md"])
        .fails(2, "--format");
    let run = repo.handoff(&["update", "--status", "finished"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = repo.handoff(&["frobnicate"]);
    assert_eq!(run.code, 2, "{run:?}");
    let help = repo.handoff(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("start"));
}

#[test]
fn a_leftover_chain_in_the_way_of_a_new_branch_is_named() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.git(&["checkout", "-q", "-b", "a"]);
    repo.start();
    repo.git(&["checkout", "-q", "-b", "a-tmp"]);
    repo.git(&["branch", "-q", "-D", "a"]);
    repo.git(&["checkout", "-q", "-b", "a/b"]);
    repo.handoff(&["start", "--goal", "g", "--accept", "a"])
        .fails(2, "refs/handoff/heads/a is in the way");
    assert!(
        repo.ref_target("refs/handoff/heads/a").is_some(),
        "the old chain is untouched"
    );
}

#[test]
fn a_lock_left_by_a_crashed_process_is_named_with_how_to_remove_it() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    let before = repo.refs_snapshot();
    let lock = repo.path.join(".git/refs/handoff/heads/feature.lock");
    std::fs::write(&lock, "").expect("write a leftover lock");
    let run = repo.handoff(&["update", "--done", "one"]);
    run.fails(2, "feature.lock': file exists");
    assert!(
        run.stderr
            .contains("another git process seems to be running")
            && run.stderr.contains("rm '"),
        "the hint says what git says and how to remove the lock: {run:?}"
    );
    assert!(
        !run.stderr.contains("gave up"),
        "an unchanging lock is not contention: {run:?}"
    );
    assert_eq!(repo.refs_snapshot(), before, "nothing moved");
    assert!(lock.exists(), "the lock is not ours to remove");

    std::fs::remove_file(&lock).expect("remove the lock");
    std::fs::create_dir_all(repo.path.join(".git/refs/notes")).expect("notes dir");
    let notes_lock = repo.path.join(".git/refs/notes/handoff.lock");
    std::fs::write(&notes_lock, "").expect("write a leftover notes lock");
    repo.handoff(&["note"]).fails(2, "refs/notes/handoff.lock");
    std::fs::remove_file(&notes_lock).expect("remove the notes lock");
    repo.handoff(&["note"]).ok();
}

#[test]
fn common_mistakes_print_exactly_one_error_and_one_hint() {
    let repo = TestRepo::new();
    repo.commit("one");
    let expect = |args: &[&str], code: i32, stderr: &str| {
        let run = repo.handoff(args);
        assert_eq!(
            run,
            Run {
                code,
                stdout: String::new(),
                stderr: stderr.into(),
            },
            "git handoff {args:?}"
        );
    };
    expect(
        &["update", "--done", "x"],
        2,
        "error: branch feature has no packet\nhint: start one: git handoff start --goal \"…\" --accept \"…\"\n",
    );
    repo.start();
    expect(&["update", "--remove-next", "nope"], 2, "error: state.next has no item \"nope\"\nhint: git handoff show lists the items as they are\n");
    expect(&["update"], 1, "refused: nothing to update: the packet would not change\nhint: say what changed, e.g. git handoff update --done \"…\" --next \"…\"\n");
    expect(
        &["show", "--revision", "9"],
        2,
        "error: feature has no revision 9\nhint: git handoff log feature lists its revisions\n",
    );
    expect(&["update", "--decision", "no separator"], 2, "error: --decision \"no separator\" needs two parts separated by \"::\"\nhint: --decision \"what :: why\"\n");
    expect(&["hook", "pre-fetch"], 2, "error: unknown hook \"pre-fetch\"\nhint: git handoff hook runs pre-commit, commit-msg, post-commit, post-rewrite, post-merge, pre-merge-commit, pre-push, pre-receive\n");
}

#[test]
fn each_command_lists_and_accepts_only_the_formats_it_prints() {
    let repo = TestRepo::new();
    let show = repo.handoff(&["show", "--help"]);
    assert!(
        show.ok()
            .contains("Formats (--format): toml (default), json, md"),
        "{show:?}"
    );
    let update = repo.handoff(&["update", "--help"]);
    assert!(
        update
            .ok()
            .contains("Formats (--format): human (default), json")
            && !update.stdout.contains("junit"),
        "{update:?}"
    );
    let check = repo.handoff(&["check", "--help"]);
    assert!(
        check.ok().contains("human (default), json, github, junit"),
        "{check:?}"
    );
    repo.commit("one");
    repo.start();
    repo.handoff(&["show", "--format", "human"])
        .fails(2, "use --format toml or --format json or --format md");
}

#[test]
fn a_misspelt_setting_names_the_right_one_and_how_to_remove_it() {
    let repo = TestRepo::new();
    repo.git(&["config", "handoff.maxhop", "3"]);
    let run = repo.handoff(&["policy"]);
    assert_eq!(
        run,
        Run {
            code: 2,
            stdout: String::new(),
            stderr: "error: git config handoff.maxhop: unknown setting\nhint: did you mean handoff.maxHops? remove it with git config --unset-all handoff.maxhop; docs/policy.md lists the settings\n".into(),
        }
    );
}
