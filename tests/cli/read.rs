//! Reading commands: show, log, diff, list, and where they can be run from.

use crate::common::TestRepo;

fn toml_to_json(text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(text).expect("toml");
    let mut json = serde_json::to_value(value).expect("json");
    // toml's datetime has its own JSON form; compare the keys and nesting only.
    json["updated"] = serde_json::Value::Null;
    json
}

#[test]
fn json_uses_exactly_the_toml_field_names_and_nesting() {
    let repo = TestRepo::new();
    repo.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--decision",
        "d :: w",
        "--artifact",
        "p :: w",
        "--validate",
        "make test",
        "--owner",
        "o",
        "--lane",
        "audit",
    ])
    .ok();
    let toml_text = repo.handoff(&["show", "--format", "toml"]).ok().to_string();
    let mut json = repo.packet_json();
    json["updated"] = serde_json::Value::Null;
    assert_eq!(json, toml_to_json(&toml_text));
}

#[test]
fn show_finds_old_revisions_ids_and_fetched_copies() {
    let repo = TestRepo::new();
    repo.start();
    repo.handoff(&["update", "--goal", "second goal"]).ok();
    let r1 = repo.handoff(&["show", "--revision", "1", "--format", "json"]);
    let r1: serde_json::Value = serde_json::from_str(r1.ok()).expect("json");
    assert_eq!(r1["task"]["goal"], "Ship the retry");
    repo.handoff(&["show", "--revision", "9"])
        .fails(2, "no revision 9");
    let id = repo.packet_json()["id"].as_str().expect("id").to_string();
    repo.git(&["checkout", "-q", "-b", "other"]);
    assert!(
        repo.handoff(&["show", &id]).ok().contains("second goal"),
        "show finds a packet by id"
    );
    assert!(repo
        .handoff(&["show", "feature"])
        .ok()
        .contains("second goal"));
    let tip = repo.git(&["rev-parse", "refs/handoff/heads/feature"]);
    repo.git(&[
        "update-ref",
        "refs/handoff-remotes/origin/heads/shared",
        &tip,
    ]);
    assert!(repo
        .handoff(&["show", "origin/shared"])
        .ok()
        .contains("second goal"));
    let md = repo.handoff(&["show", "feature", "--format", "md"]);
    assert!(md.ok().starts_with("# second goal\n"), "{md:?}");
    assert!(
        md.stdout.contains("## Acceptance\n\n- tests pass"),
        "{md:?}"
    );
}

#[test]
fn log_lists_revisions_with_the_fields_each_changed() {
    let repo = TestRepo::new();
    repo.start();
    repo.handoff(&["update", "--status", "in-progress", "--next", "x"])
        .ok();
    let log = repo.handoff(&["log"]);
    let lines: Vec<&str> = log.ok().lines().collect();
    assert_eq!(
        lines,
        [
            "r2  2026-11-21T22:10:04Z  Ada Lovelace <ada@example.com>  update  state.status, state.next",
            "r1  2026-11-21T22:10:03Z  Ada Lovelace <ada@example.com>  start",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(repo.handoff(&["log", "--format", "json"]).ok()).expect("json");
    assert_eq!(
        json[0]["changed"],
        serde_json::json!(["state.status", "state.next"])
    );
    assert_eq!(json[1]["event"], "start");
    assert_eq!(
        json[0]["commit"],
        repo.git(&["rev-parse", "refs/handoff/heads/feature"])
            .as_str()
    );
}

#[test]
fn diff_compares_fields_between_revisions() {
    let repo = TestRepo::new();
    repo.handoff(&["start", "--goal", "g", "--accept", "a", "--next", "n1"])
        .ok();
    repo.handoff(&["update", "--done", "n1", "--status", "in-progress"])
        .ok();
    repo.handoff(&["update", "--question", "q?"]).ok();
    let last = repo.handoff(&["diff"]);
    assert_eq!(last.ok(), "r2..r3\n+ state.questions: \"q?\"\n");
    let wide = repo.handoff(&["diff", "1", "r3"]);
    assert_eq!(
        wide.ok(),
        "r1..r3\n~ state.status: \"draft\" -> \"in-progress\"\n+ state.done: \"n1\"\n- state.next: \"n1\"\n+ state.questions: \"q?\"\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(repo.handoff(&["diff", "1", "2", "--format", "json"]).ok())
            .expect("json");
    assert_eq!(
        json["changes"][0],
        serde_json::json!({"change": "changed", "field": "state.status", "old": "draft", "new": "in-progress"})
    );
    repo.handoff(&["diff", "x"])
        .fails(2, "\"x\" is not a revision");
}

#[test]
fn list_shows_local_and_fetched_packets() {
    let repo = TestRepo::new();
    repo.handoff(&[
        "start", "--goal", "g", "--accept", "a", "--owner", "codex", "--lane", "execute",
    ])
    .ok();
    let tip = repo.git(&["rev-parse", "refs/handoff/heads/feature"]);
    repo.git(&[
        "update-ref",
        "refs/handoff-remotes/origin/heads/feature",
        &tip,
    ]);
    let list = repo.handoff(&["list"]);
    let lines: Vec<&str> = list.ok().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("feature  ") && lines[0].contains("r1  draft  execute  codex"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("origin/feature  "), "{lines:?}");
    let json: serde_json::Value =
        serde_json::from_str(repo.handoff(&["list", "--format", "json"]).ok()).expect("json");
    assert_eq!(json[1]["remote"], "origin");
    assert_eq!(json[0]["status"], "draft");
}

#[test]
fn works_from_subdirectories_with_dash_c_and_in_linked_worktrees() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    let sub = repo.path.join("a/b");
    std::fs::create_dir_all(&sub).expect("mkdir");
    assert!(repo
        .handoff_in(&sub, &["show"])
        .ok()
        .contains("Ship the retry"));
    let elsewhere = repo.root.clone();
    let run = repo.handoff_in(&elsewhere, &["-C", "work", "show"]);
    assert!(run.ok().contains("Ship the retry"));
    repo.handoff(&["-C", "/nonexistent", "show"]).fails(2, "-C");

    let wt = repo.root.join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "side",
        wt.to_str().expect("utf-8"),
    ]);
    repo.handoff_in(&wt, &["start", "--goal", "side work", "--accept", "b"])
        .ok();
    repo.handoff_in(&wt, &["note"]).ok();
    assert!(
        repo.handoff(&["show", "side"]).ok().contains("side work"),
        "refs are shared across worktrees"
    );
    let note = repo.git(&["notes", "--ref=handoff", "show", "side"]);
    assert!(note.contains("branch = \"side\""));
    repo.fsck();
}

#[test]
fn quiet_silences_status_but_not_data() {
    let repo = TestRepo::new();
    let run = repo.handoff(&["--quiet", "start", "--goal", "g", "--accept", "a"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    assert!(repo.handoff(&["-q", "show"]).ok().contains("goal = \"g\""));
}

#[test]
fn a_printed_packet_reads_back_identically_in_a_second_toml_parser() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.handoff(&[
        "start",
        "--goal",
        "quotes \" and \\ backslashes, tabs\tand\nnewlines, 日本, 🦀, 'single' '''triple'''",
        "--accept",
        "a = b # not a comment",
    ])
    .ok();
    repo.handoff(&[
        "update",
        "--decision",
        "[x] :: \"\"\" closes nothing",
        "--artifact",
        "src/é.rs :: why",
        "--max-hops",
        "4000000000",
    ])
    .ok();
    let toml = repo.handoff(&["show"]).ok().to_string();
    let script = "import sys, tomllib, json\n\
        d = tomllib.loads(sys.stdin.read())\n\
        d['updated'] = d['updated'].strftime('%Y-%m-%dT%H:%M:%SZ')\n\
        print(json.dumps(d))";
    let mut python = repo.command("python3", &repo.path);
    python.args(["-c", script]);
    let parsed = crate::common::with_input(python, &toml);
    assert_eq!(
        parsed.code, 0,
        "Python's tomllib reads what show prints: {parsed:?}"
    );
    let theirs: serde_json::Value = serde_json::from_str(&parsed.stdout).expect("json");
    assert_eq!(
        theirs,
        repo.packet_json(),
        "both parsers read the same packet"
    );
}

#[test]
fn log_and_diff_read_a_packet_that_was_only_fetched_so_far() {
    let server = crate::common::Server::file();
    let a = server.clone("Alice");
    a.git(&["checkout", "-q", "-b", "feature"]);
    a.start();
    a.handoff(&["update", "--done", "one"]).ok();
    a.handoff(&["push"]).ok();
    let b = server.clone("Bob");
    b.handoff(&["init"]).ok();
    b.git(&["fetch", "-q"]);
    b.git(&["checkout", "-q", "-b", "feature"]);
    assert_eq!(
        b.handoff(&["log"]).ok().lines().count(),
        2,
        "log reads the fetched copy"
    );
    assert!(
        b.handoff(&["diff"]).ok().starts_with("r1..r2"),
        "so does diff"
    );
}
