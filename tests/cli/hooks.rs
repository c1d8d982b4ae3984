//! Installing hooks politely: chained, refused, dry-run, hooksPath, worktrees, uninstall.

use std::os::unix::fs::PermissionsExt;

use crate::common::TestRepo;

const NAMES: [&str; 8] = [
    "pre-commit",
    "commit-msg",
    "post-commit",
    "post-rewrite",
    "post-merge",
    "pre-merge-commit",
    "pre-push",
    "pre-receive",
];

fn write_hook(path: &std::path::Path, body: &str) {
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(path, body).expect("write hook");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn every_shipped_shim_is_valid_sh_with_a_marker_and_one_exec() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/hooks");
    for name in NAMES {
        let path = format!("{dir}/{name}");
        let status = std::process::Command::new("sh")
            .args(["-n", &path])
            .status()
            .expect("sh -n");
        assert!(status.success(), "{name} does not parse");
        let text = std::fs::read_to_string(&path).expect("shim");
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("# git-handoff hook shim")),
            "{name}"
        );
        assert_eq!(text.matches("exec git-handoff hook").count(), 1, "{name}");
        assert!(text.lines().count() <= 6, "{name} stays tiny");
    }
}

#[test]
fn init_installs_every_hook_and_is_idempotent() {
    let repo = TestRepo::new();
    repo.init_hooks();
    let hooks = repo.path.join(".git/hooks");
    assert!(
        !hooks.join("pre-receive").exists(),
        "the server's hook is not a clone's"
    );
    for name in NAMES.iter().filter(|n| **n != "pre-receive") {
        let mode = std::fs::metadata(hooks.join(name))
            .expect(name)
            .permissions()
            .mode();
        assert!(mode & 0o111 != 0, "{name} is executable");
    }
    let again = repo.handoff(&["init", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(again.ok()).expect("json");
    assert!(
        v["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .all(|s| s["action"] == "keep"),
        "{v}"
    );
}

#[test]
fn a_foreign_hook_is_chained_runs_first_blocks_and_comes_back_byte_for_byte() {
    let repo = TestRepo::new();
    repo.commit("base");
    let hook = repo.path.join(".git/hooks/pre-commit");
    let original =
        "#!/bin/sh\n# team lint\necho team-lint-ran >&2\n[ -f BLOCK ] && exit 3\nexit 0\n";
    write_hook(&hook, original);
    let dry = repo.handoff(&["init", "--dry-run"]);
    assert!(
        dry.ok()
            .contains(&format!("would chain    {}\n", hook.display())),
        "{dry:?}"
    );
    assert!(
        !dry.stdout.contains("pre-receive"),
        "a clone gets the client hooks only: {dry:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&hook).expect("hook"),
        original,
        "dry run changes nothing"
    );
    repo.init_hooks();
    repo.start();
    let run = repo.try_commit("one");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("team-lint-ran"),
        "the chained hook ran: {run:?}"
    );
    std::fs::write(repo.path.join("BLOCK"), "").expect("write");
    repo.handoff(&["update", "--done", "one"]).ok();
    let run = repo.try_commit("two");
    assert_eq!(
        run.code, 1,
        "the chained hook's failure still blocks: {run:?}"
    );
    assert!(run.stderr.contains("existing pre-commit hook"), "{run:?}");
    repo.handoff(&["uninstall"]).ok();
    assert_eq!(
        std::fs::read_to_string(&hook).expect("hook"),
        original,
        "put back byte for byte"
    );
    assert!(std::fs::metadata(&hook).expect("hook").permissions().mode() & 0o111 != 0);
    for name in NAMES.iter().filter(|n| **n != "pre-commit") {
        assert!(
            !repo.path.join(".git/hooks").join(name).exists(),
            "{name} removed"
        );
    }
}

#[test]
fn no_chain_refuses_and_writes_nothing() {
    let repo = TestRepo::new();
    let hook = repo.path.join(".git/hooks/commit-msg");
    write_hook(&hook, "#!/bin/sh\nexit 0\n");
    repo.handoff(&["init", "--no-chain"])
        .fails(1, "without --no-chain");
    assert!(
        !repo.path.join(".git/hooks/pre-commit").exists(),
        "nothing installed"
    );
}

#[test]
fn core_hooks_path_is_honoured_and_linked_worktrees_share_the_common_hooks() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    // A hooks directory in the work tree holds the repository's files: init says so first.
    repo.handoff(&["init"]).fails(1, "is in the work tree");
    assert!(!repo.path.join(".githooks").exists(), "nothing written");
    let run = repo.handoff(&["init", "--in-tree"]);
    run.ok();
    assert!(run.stderr.contains("commit them"), "{run:?}");
    // Files everyone shares name no one machine's binary: the shell shims, which use PATH.
    let shim = std::fs::read_to_string(repo.path.join(".githooks/pre-commit")).expect("shim");
    assert!(shim.starts_with("#!/bin/sh\n"), "{shim}");
    assert!(!repo.path.join(".git/hooks/pre-commit").exists());
    let doctor = repo.handoff(&["doctor"]);
    assert!(!doctor.stdout.contains("problem  git hooks"), "{doctor:?}");
    // A shim there that names a machine's binary is a problem even where that binary exists.
    let direct = format!(
        "#!{} hook-shim\n# git-handoff hook shim: written by `git handoff init`\n",
        crate::common::bin()
    );
    std::fs::write(repo.path.join(".githooks/pre-commit"), direct).expect("write");
    let doctor = repo.handoff(&["doctor"]);
    assert!(doctor.stdout.contains("problem  git hooks"), "{doctor:?}");
    repo.handoff(&["init", "--in-tree"]).ok();
    repo.git(&["config", "--unset", "core.hooksPath"]);
    let wt = repo.root.join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "side",
        wt.to_str().expect("utf-8"),
    ]);
    repo.handoff_in(&wt, &["init"]).ok();
    assert!(
        repo.path.join(".git/hooks/pre-commit").exists(),
        "installed in the common dir"
    );
}

#[test]
fn a_shim_names_the_binary_by_its_link_on_path_so_an_upgrade_behind_the_link_keeps_it() {
    // A package manager links bin/git-handoff into a versioned directory it replaces on upgrade.
    let repo = TestRepo::new();
    let cellar = |version: &str| repo.root.join(format!("cellar/{version}/git-handoff"));
    let install = |version: &str| {
        let real = cellar(version);
        std::fs::create_dir_all(real.parent().expect("dir")).expect("dir");
        crate::common::copy_binary(&real);
        let link = repo.root.join("bin/git-handoff");
        std::fs::create_dir_all(link.parent().expect("dir")).expect("dir");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link).expect("link");
    };
    install("1.0");
    let path = std::env::join_paths(
        std::iter::once(repo.root.join("bin"))
            .chain(std::env::split_paths(&crate::common::path_with_binary())),
    )
    .expect("PATH");
    let mut init = repo.command("git", &repo.path);
    init.env("PATH", &path).args(["handoff", "init"]);
    let run = crate::common::Run::from(&init.output().expect("init"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "the hooks start {}",
            repo.root.join("bin/git-handoff").display()
        )),
        "init says which binary git will start: {run:?}"
    );
    let shim = std::fs::read_to_string(repo.path.join(".git/hooks/pre-commit")).expect("shim");
    let link = repo.root.join("bin/git-handoff");
    assert!(
        shim.starts_with(&format!("#!{} hook-shim\n", link.display())),
        "the link, not {}: {shim}",
        cellar("1.0").display()
    );
    // The upgrade removes 1.0; the hooks still start, through the link.
    install("2.0");
    std::fs::remove_dir_all(cellar("1.0").parent().expect("dir")).expect("rm");
    repo.start();
    std::fs::write(repo.path.join("f"), "x").expect("write");
    repo.git(&["add", "f"]);
    let mut commit = repo.command("git", &repo.path);
    commit
        .env("PATH", &path)
        .args(["commit", "-q", "-m", "after the upgrade"]);
    let run = crate::common::Run::from(&commit.output().expect("commit"));
    assert_eq!(run.code, 0, "{run:?}");
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(
        repo.note_revision(&head).is_some(),
        "post-commit ran and attached the note"
    );
}

/// Copies the binary into `dir` (under the test's root), runs `init` with that copy, and returns
/// the copy's path and the pre-commit shim it wrote.
fn init_from_a_copy_in(repo: &TestRepo, dir: &str) -> (std::path::PathBuf, String) {
    let dir = repo.root.join(dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let copy = dir.join("git-handoff");
    crate::common::copy_binary(&copy);
    let init = repo
        .command(copy.to_str().expect("utf-8"), &repo.path)
        .arg("init")
        .output();
    assert!(init.expect("init").status.success());
    let shim = std::fs::read_to_string(repo.path.join(".git/hooks/pre-commit")).expect("shim");
    (copy, shim)
}

#[test]
fn the_hooks_start_the_binary_directly_and_a_vanished_binary_blocks_the_commit() {
    // The shims name the binary init ran as: git starts it with no shell in between.
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    let (copy, shim) = init_from_a_copy_in(&repo, "bin");
    assert!(
        shim.starts_with(&format!("#!{} hook-shim\n", copy.display())),
        "{shim}"
    );
    let run = repo.try_commit("work");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("has no handoff packet"), "{run:?}");
    // Another copy on PATH (the one doctor runs as): the hooks still work, and doctor says so.
    let doctor = repo.handoff(&["doctor"]);
    assert!(
        doctor
            .stdout
            .contains(&format!("some starting {}", copy.display())),
        "{doctor:?}"
    );
    assert!(!doctor.stdout.contains("problem  git hooks"), "{doctor:?}");
    // Gone: git cannot start the gate, and the commit is blocked, PATH or not.
    std::fs::remove_file(&copy).expect("rm");
    let run = repo.try_commit("work");
    assert_ne!(run.code, 0, "pre-commit fails closed: {run:?}");
    let doctor = repo.handoff(&["doctor"]);
    assert!(
        doctor
            .stdout
            .contains(&format!("start {}, which is gone", copy.display()))
            && doctor.stdout.contains("fix: git handoff init"),
        "{doctor:?}"
    );
    // The hook file itself says what to do, and a tool that hands it to sh gets the shell
    // shim's lines, which fail closed without git-handoff on PATH.
    let shim = std::fs::read_to_string(repo.path.join(".git/hooks/pre-commit")).expect("shim");
    assert!(shim.contains("If git cannot exec it"), "{shim}");
    let mut sh = repo.command("sh", &repo.path);
    sh.env("PATH", "/usr/bin:/bin").arg(".git/hooks/pre-commit");
    let run = crate::common::Run::from(&sh.output().expect("sh"));
    assert_eq!(run.code, 1, "fails closed under sh: {run:?}");
    assert!(run.stderr.contains("not on PATH"), "{run:?}");
    repo.handoff(&["init"]).ok();
    repo.start();
    repo.hook_commit("with the hooks pointed at this binary");
    // Kept under another name (the pre-commit framework's `.legacy`), it is still pre-commit.
    let hooks = repo.path.join(".git/hooks");
    std::fs::copy(hooks.join("pre-commit"), hooks.join("pre-commit.legacy")).expect("copy");
    let mut legacy = repo.command(
        hooks.join("pre-commit.legacy").to_str().expect("utf-8"),
        &repo.path,
    );
    let run = crate::common::Run::from(&legacy.output().expect("run"));
    assert_eq!(run.code, 1, "the gate, not a parser error: {run:?}");
    assert!(
        run.stderr.contains("not updated since the last commit"),
        "{run:?}"
    );
    // Under a name that is no hook at all: git-handoff's own error, with its hint.
    std::fs::rename(hooks.join("pre-commit.legacy"), hooks.join("lint")).expect("rename");
    let mut other = repo.command(hooks.join("lint").to_str().expect("utf-8"), &repo.path);
    let run = crate::common::Run::from(&other.output().expect("run"));
    run.fails(2, "unknown hook \"lint\"");
}

#[test]
fn where_the_binary_path_cannot_stand_in_a_shebang_the_shell_shims_fail_closed_then_open() {
    let repo = TestRepo::new();
    let (_, shim) = init_from_a_copy_in(&repo, "a dir with spaces");
    assert!(shim.starts_with("#!/bin/sh\n"), "{shim}");
    let no_binary = "/usr/bin:/bin:/usr/local/bin";
    let mut cmd = repo.command("git", &repo.path);
    std::fs::write(repo.path.join("f"), "x").expect("write");
    repo.git(&["add", "f"]);
    let out = cmd
        .env("PATH", no_binary)
        .args(["commit", "-q", "-m", "x"])
        .output()
        .expect("git");
    assert_eq!(out.status.code(), Some(1), "pre-commit fails closed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("git-handoff is not on PATH"));
    std::fs::remove_file(repo.path.join(".git/hooks/pre-commit")).expect("rm");
    let out = repo
        .command("git", &repo.path)
        .env("PATH", no_binary)
        .args(["commit", "-q", "-m", "x"])
        .output()
        .expect("git");
    assert_eq!(out.status.code(), Some(0), "the other hooks fail open");
}

#[test]
fn the_pre_commit_framework_manifest_names_real_hook_steps() {
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .expect("manifest");
    let entries: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: git-handoff hook "))
        .collect();
    assert_eq!(entries.len(), 5, "{entries:?}");
    for entry in entries {
        assert!(NAMES.contains(&entry), "{entry} is a hook git-handoff runs");
    }
}

#[test]
fn post_rewrite_without_input_repairs_recent_notes_from_trailers() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.init_hooks();
    repo.start();
    let c = repo.hook_commit("one");
    repo.git(&["notes", "--ref=handoff", "remove", &c]);
    let run = repo.handoff_stdin(&["hook", "post-rewrite", "amend"], "");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        repo.note_revision(&c),
        Some(1),
        "the trailer brought the note back"
    );
}

#[test]
fn an_unknown_hook_name_is_an_error() {
    let repo = TestRepo::new();
    repo.handoff(&["hook", "pre-receive-ish"])
        .fails(2, "unknown hook");
}

#[test]
fn a_husky_repository_is_not_switched_off_and_init_adds_its_lines_to_husky() {
    // The layout husky 9 writes: core.hooksPath .husky/_, a dispatcher `h` that runs
    // .husky/<its own file name>, one-line hooks calling it, and the user's scripts.
    let repo = TestRepo::new();
    repo.commit("base");
    let dispatch = repo.path.join(".husky/_");
    std::fs::create_dir_all(&dispatch).expect("dir");
    let h = "#!/usr/bin/env sh\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n[ ! -f \"$s\" ] && exit 0\nsh -e \"$s\" \"$@\"\n";
    std::fs::write(dispatch.join("h"), h).expect("h");
    for hook in ["pre-commit", "commit-msg", "post-commit"] {
        let path = dispatch.join(hook);
        std::fs::write(&path, "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n").expect("hook");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
    }
    std::fs::write(repo.path.join(".husky/pre-commit"), "test ! -e BAD\n").expect("lint");
    repo.git(&["config", "core.hooksPath", ".husky/_"]);
    let before = std::fs::read_to_string(dispatch.join("pre-commit")).expect("read");
    repo.handoff(&["init"]).fails(1, "husky's");
    assert_eq!(
        std::fs::read_to_string(dispatch.join("pre-commit")).expect("read"),
        before,
        "husky's dispatcher is left as it was"
    );
    assert!(!dispatch.join("pre-commit.handoff-chained").exists());
    repo.handoff(&["init", "--manager", "lefthook"])
        .fails(1, "husky's, not lefthook's");
    repo.handoff(&["init", "--manager", "husky"]).ok();
    let script = std::fs::read_to_string(repo.path.join(".husky/pre-commit")).expect("read");
    assert_eq!(
        script,
        "git-handoff hook pre-commit \"$@\"\ntest ! -e BAD\n"
    );
    // The gate runs through husky: no packet, no commit; the user's own step still blocks.
    let run = repo.try_commit("work");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("has no handoff packet"), "{run:?}");
    repo.start();
    std::fs::write(repo.path.join("BAD"), "x").expect("bad");
    assert_eq!(
        repo.try_commit("lint fails").code,
        1,
        "husky's own step blocks"
    );
    std::fs::remove_file(repo.path.join("BAD")).expect("rm");
    repo.hook_commit("passes");
    assert!(repo
        .git(&["log", "-1", "--format=%B"])
        .contains("Handoff: "));
    assert_eq!(repo.note_revision("HEAD"), Some(1));
    let doctor = repo.handoff(&["doctor"]);
    assert!(doctor.stdout.contains("run by husky"), "{doctor:?}");
    // uninstall takes the lines out again: the user's script byte for byte, the scripts init
    // created gone, husky's dispatcher untouched; a dry run first changes nothing.
    let dry = repo.handoff(&["uninstall", "--dry-run"]);
    assert!(dry.ok().contains("would remove line"), "{dry:?}");
    assert!(repo.path.join(".husky/commit-msg").exists());
    let json: serde_json::Value =
        serde_json::from_str(repo.handoff(&["uninstall", "--format", "json"]).ok()).expect("json");
    assert_eq!(json["husky_scripts"][0]["action"], "removed", "{json}");
    assert_eq!(
        std::fs::read_to_string(repo.path.join(".husky/pre-commit")).expect("read"),
        "test ! -e BAD\n"
    );
    assert!(
        !repo.path.join(".husky/commit-msg").exists(),
        "created by init, deleted"
    );
    assert_eq!(
        std::fs::read_to_string(dispatch.join("pre-commit")).expect("read"),
        before
    );
    repo.hook_commit("no gate now");
    assert_eq!(
        repo.note_revision("HEAD"),
        None,
        "git-handoff no longer runs"
    );
    repo.handoff(&["init", "--manager", "husky"]).ok();
    // husky's own install of a script without git-handoff: doctor says the gate is off.
    std::fs::write(repo.path.join(".husky/pre-commit"), "test ! -e BAD\n").expect("lint");
    let doctor = repo.handoff(&["doctor"]);
    assert!(
        doctor.stdout.contains("git handoff init --manager husky"),
        "{doctor:?}"
    );
}

#[test]
fn a_repository_under_a_path_that_is_not_utf8_commits_through_the_hooks() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let odd = repo.root.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    let git = |dir: &std::path::Path, args: &[&std::ffi::OsStr]| {
        let run =
            crate::common::Run::from(&repo.command("git", dir).args(args).output().expect("git"));
        assert_eq!(run.code, 0, "git {args:?}: {run:?}");
        run.stdout
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    std::fs::create_dir_all(&odd).expect("dir");
    for args in [
        &["init", "-q", "-b", "feature"][..],
        &["config", "user.name", "Ada Lovelace"],
        &["config", "user.email", "ada@example.com"],
        &["handoff", "init"],
        &["commit", "-q", "--allow-empty", "--no-verify", "-m", "base"],
    ] {
        git(&odd, &args.iter().map(|a| os(a)).collect::<Vec<_>>());
    }
    // From a linked worktree git runs the common hooks by absolute path, bytes and all.
    let wt = odd.join("wt");
    git(
        &odd,
        &[
            os("worktree"),
            os("add"),
            os("-q"),
            os("-b"),
            os("side"),
            wt.as_os_str(),
        ],
    );
    git(
        &wt,
        &[
            os("handoff"),
            os("start"),
            os("--goal"),
            os("g"),
            os("--accept"),
            os("a"),
        ],
    );
    std::fs::write(wt.join("f"), "x").expect("write");
    git(&wt, &[os("add"), os("f")]);
    git(
        &wt,
        &[os("commit"), os("-q"), os("-m"), os("under an odd path")],
    );
    let message = git(&wt, &[os("log"), os("-1"), os("--format=%B")]);
    assert!(message.contains("Handoff: "), "commit-msg ran: {message}");
    let note = git(
        &wt,
        &[os("notes"), os("--ref=handoff"), os("show"), os("HEAD")],
    );
    assert!(note.contains("revision = 1"), "post-commit ran: {note}");
}

#[test]
fn manager_lines_for_an_existing_config_are_to_be_merged_not_appended() {
    let repo = TestRepo::new();
    repo.commit("base");
    let run = repo.handoff(&["init", "--manager", "pre-commit"]);
    assert!(run.ok().starts_with("repos:"), "{run:?}");
    assert!(run.stderr.contains("add these lines to"), "{run:?}");
    std::fs::write(
        repo.path.join(".pre-commit-config.yaml"),
        "repos:\n  - repo: local\n    hooks: []\n",
    )
    .expect("config");
    let run = repo.handoff(&["init", "--manager", "pre-commit"]);
    assert!(
        run.ok().starts_with("repos:") && run.stderr.contains("merge these lines into"),
        "a second repos: key would replace the first: {run:?}"
    );
}
