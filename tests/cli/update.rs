use crate::common::TestRepo;

#[test]
fn update_writes_the_next_revision_on_top_of_the_last() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--next",
        "write parser",
        "--next",
        "write docs",
    ])
    .ok();
    let head = repo.commit("parser");
    repo.handoff(&[
        "update",
        "--done",
        "write parser",
        "--in-progress",
        "write docs",
        "--status",
        "in-progress",
        "--decision",
        "toml crate :: it is the contract",
        "--rejected",
        "hand parser :: error-prone",
        "--blocker",
        "CI is red",
        "--question",
        "which MSRV?",
    ])
    .ok();
    let p = repo.packet_json();
    assert_eq!(p["revision"], 2);
    assert_eq!(p["base"], head.as_str(), "base follows HEAD");
    assert_eq!(p["state"]["done"], serde_json::json!(["write parser"]));
    assert_eq!(
        p["state"]["in_progress"],
        serde_json::json!(["write docs"]),
        "starting an item takes it off next"
    );
    assert!(
        p["state"].get("next").is_none(),
        "both next items moved on: {p}"
    );
    assert_eq!(p["rejected"][0]["why"], "error-prone");
    let chain = repo.git(&["log", "--format=%s", "refs/handoff/heads/feature"]);
    let id = p["id"].as_str().expect("id");
    assert_eq!(
        chain,
        format!("handoff {id} r2: update\nhandoff {id} r1: start")
    );
    assert_eq!(
        repo.git(&["rev-parse", "refs/handoff/heads/feature~1"]),
        repo.git(&["rev-list", "--max-parents=0", "refs/handoff/heads/feature"]),
        "r2's parent is r1"
    );
    repo.fsck();
}

#[test]
fn update_that_changes_nothing_is_refused_and_writes_nothing() {
    let repo = TestRepo::new();
    repo.start();
    let before = repo.refs_snapshot();
    repo.handoff(&["update"]).fails(1, "nothing to update");
    repo.handoff(&["update", "--accept", "tests pass"])
        .fails(1, "nothing to update");
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn update_removes_items_and_refuses_to_remove_what_is_not_there() {
    let repo = TestRepo::new();
    repo.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--accept",
        "b",
        "--decision",
        "x :: y",
    ])
    .ok();
    repo.handoff(&["update", "--remove-accept", "b", "--remove-decision", "x"])
        .ok();
    let p = repo.packet_json();
    assert_eq!(p["task"]["acceptance"], serde_json::json!(["a"]));
    assert!(p.get("decisions").is_none());
    let before = repo.refs_snapshot();
    repo.handoff(&["update", "--remove-next", "ghost"])
        .fails(2, "state.next has no item");
    repo.handoff(&["update", "--remove-accept", "a"])
        .fails(2, "task.acceptance");
    assert_eq!(repo.refs_snapshot(), before);
}

#[test]
fn update_result_records_the_tree_of_head() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.start();
    repo.handoff(&["update", "--validate", "cargo test", "--result", "pass"])
        .ok();
    let p = repo.packet_json();
    assert_eq!(p["validation"]["result"], "pass");
    assert_eq!(p["validation"]["command"], "cargo test");
    assert_eq!(
        p["validation"]["tree"],
        repo.git(&["rev-parse", "HEAD^{tree}"]).as_str()
    );
}

#[test]
fn update_from_a_file_replaces_the_body_but_keeps_the_id() {
    let repo = TestRepo::new();
    repo.start();
    let mut shown = repo.handoff(&["show"]).ok().to_string();
    shown = shown.replace("Ship the retry", "Ship the retry, with backoff");
    let file = repo.root.join("edited.toml");
    std::fs::write(&file, &shown).expect("write");
    repo.handoff(&["update", "--from", file.to_str().expect("utf-8")])
        .ok();
    let p = repo.packet_json();
    assert_eq!(p["task"]["goal"], "Ship the retry, with backoff");
    assert_eq!(p["revision"], 2);
    repo.handoff(&["update", "--next", "someone else's step"])
        .ok();
    let run = repo.handoff(&["update", "--from", file.to_str().expect("utf-8")]);
    run.fails(2, "written from r1");
    assert!(
        repo.packet_json()["state"]["next"][0] == "someone else's step",
        "r3 was not undone"
    );
    std::fs::write(
        &file,
        shown
            .replace("id = \"hx-", "id = \"zz-")
            .replace("revision = 1\n", ""),
    )
    .expect("write");
    repo.handoff(&["update", "--from", file.to_str().expect("utf-8")])
        .fails(2, "is for packet zz-");
}

#[test]
fn update_without_a_packet_says_how_to_start() {
    let repo = TestRepo::new();
    repo.handoff(&["update", "--done", "x"])
        .fails(2, "git handoff start");
}

#[test]
fn json_format_on_writes_prints_the_revision() {
    let repo = TestRepo::new();
    let run = repo.handoff(&["--format", "json", "start", "--goal", "g", "--accept", "a"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(v["revision"], 1);
    assert_eq!(
        v["commit"].as_str(),
        repo.ref_target("refs/handoff/heads/feature").as_deref()
    );
    let blob = repo.git(&["rev-parse", "refs/handoff/heads/feature:packet.toml"]);
    assert_eq!(v["blob"], blob.as_str());
}

#[test]
fn progress_flags_apply_from_under_way_to_done_whatever_their_order() {
    let repo = TestRepo::new();
    repo.start();
    repo.handoff(&[
        "update",
        "--next",
        "x",
        "--done",
        "x",
        "--done",
        "y",
        "--in-progress",
        "y",
    ])
    .ok();
    let p = repo.packet_json();
    assert_eq!(p["state"]["done"], serde_json::json!(["x", "y"]));
    assert_eq!(
        p["state"]["next"],
        serde_json::json!(["x"]),
        "a next step named with done stays next"
    );
    assert_eq!(p["state"].get("in_progress"), None, "y finished");
}

#[test]
fn done_never_refuses_the_oldest_items_retire_and_other_lists_keep_their_bound() {
    let repo = TestRepo::new();
    repo.start();
    let mut args: Vec<String> = vec!["update".into()];
    for i in 0..256 {
        args.extend(["--done".into(), format!("step {i}")]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.handoff(&refs).ok();
    let run = repo.handoff(&["update", "--done", "step 256", "--done", "step 257"]);
    assert!(
        run.stderr
            .contains("2 oldest state.done items left the packet"),
        "{run:?}"
    );
    let done = repo.packet_json()["state"]["done"].clone();
    let done = done.as_array().expect("done");
    assert_eq!(done.len(), 256);
    assert_eq!(
        (done[0].as_str(), done[255].as_str()),
        (Some("step 2"), Some("step 257"))
    );
    let earlier = repo.handoff(&["show", "--revision", "2", "--format", "json"]);
    assert!(earlier.ok().contains("\"step 0\""), "history keeps them");
    let mut next: Vec<String> = vec!["update".into()];
    for i in 0..257 {
        next.extend(["--next".into(), format!("n {i}")]);
    }
    let refs: Vec<&str> = next.iter().map(String::as_str).collect();
    repo.handoff(&refs)
        .fails(2, "state.next: has 257 items, the limit is 256");
}
