//! Views across branches (inbox, recall, board): local and fetched packets alike, over clones of
//! one server.

use crate::common::{Server, TestRepo};

/// A branch of the seeded server: its name, goal, and the update flags that set it up.
const BRANCHES: &[(&str, &str, &[&str])] = &[
    (
        "fix-login",
        "Fix the login retry",
        &[
            "--owner",
            "alice",
            "--lane",
            "execute",
            "--status",
            "in-progress",
        ],
    ),
    (
        "returned",
        "Tighten the cache keys",
        &[
            "--owner",
            "alice",
            "--lane",
            "execute",
            "--status",
            "changes-requested",
        ],
    ),
    (
        "api-review",
        "Version the public API",
        &[
            "--owner",
            "bob",
            "--lane",
            "execute",
            "--reviewer",
            "alice",
            "--status",
            "in-review",
        ],
    ),
    (
        "free-audit",
        "Audit the session store",
        &["--lane", "audit", "--status", "ready"],
    ),
    (
        "asks-alice",
        "Pick a schema",
        &[
            "--owner",
            "bob",
            "--lane",
            "plan",
            "--status",
            "blocked",
            "--blocker",
            "@alice: which schema wins?",
        ],
    ),
    (
        "finished",
        "Drop the old flag",
        &["--owner", "alice", "--status", "done"],
    ),
    (
        "bobs",
        "Bob's own work",
        &[
            "--owner",
            "bob",
            "--lane",
            "execute",
            "--status",
            "in-progress",
        ],
    ),
];

/// A server whose branches each carry a packet, pushed from a seed clone with the hooks.
fn seeded_server() -> Server {
    let server = Server::file();
    let seed = server.clone("Seed");
    seed.commit("base");
    seed.git(&["push", "-q", "origin", "HEAD:main"]);
    seed.init_hooks();
    for (branch, goal, flags) in BRANCHES {
        seed.git(&["switch", "-q", "-c", branch, "main"]);
        seed.handoff(&["start", "--goal", goal, "--accept", "it works"])
            .ok();
        let mut args = vec!["update"];
        args.extend_from_slice(flags);
        seed.handoff(&args).ok();
        seed.hook_commit(&format!("work on {branch}"));
        seed.git(&["push", "-q", "origin", branch]);
    }
    server
}

/// A clone with the fetch refspecs for packets, fetched but not pulled.
fn fetched_clone(server: &Server, who: &str) -> TestRepo {
    let repo = server.clone(who);
    repo.init_hooks();
    repo.git(&["fetch", "-q", "origin"]);
    repo
}

fn branches_of(json: &serde_json::Value) -> Vec<String> {
    json.as_array()
        .expect("an array")
        .iter()
        .map(|e| e["branch"].as_str().expect("a branch").to_string())
        .collect()
}

#[test]
fn the_inbox_lists_what_waits_for_the_actor_in_the_order_to_take_it_up() {
    let server = seeded_server();
    let alice = fetched_clone(&server, "Alice");
    let run = alice.handoff(&[
        "inbox", "--as", "alice", "--lane", "audit", "--format", "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(
        branches_of(&json),
        [
            "returned",
            "api-review",
            "asks-alice",
            "free-audit",
            "fix-login"
        ],
        "changes requested, in review, blocked, ready, in progress; done and bob's own left out"
    );
    let reasons: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["reason"].as_str().expect("reason"))
        .collect();
    assert_eq!(
        reasons,
        ["changes-requested", "review", "mentioned", "lane", "owner"]
    );
    assert_eq!(json[0]["sources"], serde_json::json!(["origin"]));
    // Without the lane, the unowned audit work is not alice's.
    let human = alice.handoff(&["inbox", "--as", "alice"]);
    let lines: Vec<&str> = human.ok().lines().collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].starts_with("changes-requested  returned"),
        "{lines:?}"
    );
    assert!(lines[0].contains("execute/alice"), "{lines:?}");
    assert!(lines[0].contains("Tighten the cache keys"), "{lines:?}");
    assert!(lines[0].contains("[from origin]"), "{lines:?}");
    // The lane can come from git config, as a personal setting.
    alice.git(&["config", "handoff.lane", "audit"]);
    let configured = alice.handoff(&["inbox", "--as", "alice"]);
    assert!(configured.ok().contains("free-audit"));
    // --all shows every open packet, whoever it waits for.
    let all = alice.handoff(&["inbox", "--as", "carol", "--all", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(all.ok()).expect("json");
    assert_eq!(
        branches_of(&json).len(),
        BRANCHES.len() - 1,
        "all but the finished one"
    );
}

#[test]
fn a_packet_seen_locally_and_from_two_remotes_appears_once_newest_first() {
    let server = seeded_server();
    let alice = fetched_clone(&server, "Alice");
    alice.git(&["remote", "add", "mirror", &server.url]);
    alice.handoff(&["init"]).ok();
    alice.git(&["fetch", "-q", "mirror"]);
    alice.git(&[
        "switch",
        "-q",
        "-c",
        "fix-login",
        "--track",
        "origin/fix-login",
    ]);
    alice.handoff(&["pull"]).ok();
    alice
        .handoff(&["update", "--as", "alice", "--next", "retry with backoff"])
        .ok();
    let run = alice.handoff(&["inbox", "--as", "alice", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    let fix: Vec<&serde_json::Value> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["branch"] == "fix-login")
        .collect();
    assert_eq!(fix.len(), 1, "{json:#}");
    assert_eq!(
        fix[0]["sources"],
        serde_json::json!(["local", "mirror", "origin"])
    );
    assert_eq!(fix[0]["revision"], 3, "the local revision is the newest");
    assert_eq!(fix[0]["ref"], "refs/handoff/heads/fix-login");
}

#[test]
fn an_empty_inbox_exits_zero_and_a_bad_lane_setting_is_named() {
    let repo = TestRepo::new();
    let run = repo.handoff(&["inbox", "--as", "nobody"]);
    assert_eq!(run.ok(), "");
    assert!(run.stderr.contains("nothing waits for nobody"), "{run:#?}");
    let json = repo.handoff(&["inbox", "--as", "nobody", "--format", "json"]);
    assert_eq!(json.ok().trim(), "[]");
    repo.git(&["config", "handoff.lane", "qa"]);
    repo.handoff(&["inbox", "--as", "nobody"])
        .fails(2, "handoff.lane: \"qa\" is not a lane");
}

#[test]
fn inbox_flags_stale_work_over_its_limits_and_results_for_another_tree() {
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.start();
    repo.handoff(&[
        "update",
        "--owner",
        "ada",
        "--status",
        "in-progress",
        "--validate",
        "true",
    ])
    .ok();
    repo.handoff(&["update", "--result", "pass"]).ok();
    repo.commit("more work");
    repo.git(&["config", "handoff.staleAfter", "0"]);
    let run = repo.handoff(&["inbox", "--as", "ada", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(
        json[0]["flags"],
        serde_json::json!(["stale", "validation-not-tip"]),
        "{json:#}"
    );
}

fn recall_json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["recall", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(repo.handoff(&all).ok()).expect("json")
}

#[test]
fn a_rejected_approach_removed_at_r5_is_recalled_at_r9_even_once_its_chain_is_gone() {
    let server = Server::file();
    let seed = server.clone("Seed");
    seed.commit("base");
    seed.git(&["push", "-q", "origin", "HEAD:main"]);
    seed.init_hooks();
    seed.git(&["switch", "-q", "-c", "lock-work"]);
    seed.handoff(&[
        "start",
        "--goal",
        "Keep writers apart",
        "--accept",
        "no lost write",
    ])
    .ok();
    seed.handoff(&[
        "update",
        "--rejected",
        "Use a global lock :: it deadlocks beside git pack-refs",
    ])
    .ok();
    seed.handoff(&["update", "--next", "try compare-and-swap"])
        .ok();
    seed.hook_commit("the r3 commit");
    seed.handoff(&[
        "update",
        "--decision",
        "Compare and swap every ref :: no lock to leave behind",
    ])
    .ok();
    seed.handoff(&["update", "--remove-rejected", "Use a global lock"])
        .ok();
    for n in 6..=9 {
        seed.handoff(&["update", "--done", &format!("step {n}")])
            .ok();
    }
    assert_eq!(seed.packet_json()["revision"], 9);
    seed.hook_commit("the r9 commit");
    seed.git(&["push", "-q", "origin", "lock-work"]);
    let bob = fetched_clone(&server, "Bob");
    let hits = recall_json(&bob, &["GLOBAL", "lock"]);
    assert_eq!(hits.as_array().expect("array").len(), 2, "{hits:#}");
    assert_eq!(
        hits[1]["kind"], "decision",
        "one term only ranks second: {hits:#}"
    );
    let hit = &hits[0];
    assert_eq!(hit["kind"], "rejected");
    assert_eq!(hit["text"], "Use a global lock");
    assert_eq!(hit["why"], "it deadlocks beside git pack-refs");
    assert_eq!(hit["branch"], "lock-work");
    assert_eq!(
        (
            hit["first_revision"].as_u64(),
            hit["last_revision"].as_u64()
        ),
        (Some(2), Some(4))
    );
    assert_eq!(hit["author"], "Seed");
    let human = bob.handoff(&["recall", "deadlock"]);
    assert!(
        human
            .ok()
            .starts_with("rejected  Use a global lock — it deadlocks"),
        "{human:#?}"
    );
    assert!(human.ok().contains("lock-work · "), "{human:#?}");
    // Filters: kind, branch glob, date.
    assert_eq!(
        recall_json(&bob, &["lock", "--kind", "decision"])[0]["text"],
        "Compare and swap every ref"
    );
    assert_eq!(
        recall_json(&bob, &["lock", "--branch", "other/*"]),
        serde_json::json!([])
    );
    assert_eq!(
        recall_json(&bob, &["lock", "--since", "2099-01-01"]),
        serde_json::json!([])
    );
    bob.handoff(&["recall", "lock", "--since", "yesterday"])
        .fails(2, "--since \"yesterday\"");
    bob.handoff(&["recall", "--", "--"])
        .fails(2, "no word to look for");
    // The chain gone (a remote deleted it): the notes of its commits still remember.
    bob.git(&[
        "update-ref",
        "-d",
        "refs/handoff-remotes/origin/heads/lock-work",
    ]);
    let from_notes = recall_json(&bob, &["global", "lock"]);
    assert_eq!(from_notes[0]["text"], "Use a global lock", "{from_notes:#}");
    assert_eq!(from_notes[0]["last_revision"], 3, "the r3 commit's note");
}

#[test]
fn the_board_puts_every_packet_in_its_status_column_and_the_page_escapes_what_packets_say() {
    let server = seeded_server();
    let alice = fetched_clone(&server, "Alice");
    let json: serde_json::Value =
        serde_json::from_str(alice.handoff(&["board", "--format", "json"]).ok()).expect("json");
    let columns: Vec<(String, Vec<String>)> = json
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            (
                c["key"].as_str().expect("key").to_string(),
                branches_of(&c["cards"]),
            )
        })
        .collect();
    let expect = |key: &str, mut branches: Vec<&str>| {
        let found = &columns.iter().find(|(k, _)| k == key).expect("column").1;
        let mut found: Vec<&str> = found.iter().map(String::as_str).collect();
        found.sort_unstable();
        branches.sort_unstable();
        assert_eq!(found, branches, "column {key}");
    };
    expect("todo", vec!["free-audit"]);
    expect("in-progress", vec!["fix-login", "bobs"]);
    expect("blocked", vec!["asks-alice"]);
    expect("in-review", vec!["api-review"]);
    expect("changes-requested", vec!["returned"]);
    expect("finished", vec!["finished"]);
    let card = &json[3]["cards"][0];
    assert_eq!(card["owner"], "bob");
    assert_eq!(card["reviewer"], "alice");
    assert_eq!(card["sources"], serde_json::json!(["origin"]));
    let human = alice.handoff(&["board"]);
    assert!(
        human
            .ok()
            .starts_with("Draft / ready (1)\n  free-audit  audit/-"),
        "{human:#?}"
    );

    alice.git(&["switch", "-q", "-c", "markup"]);
    alice
        .handoff(&[
            "start",
            "--goal",
            "Fix <script>alert(1)</script> & \"quotes\"",
            "--accept",
            "ok",
        ])
        .ok();
    let page = alice.root.join("board.html");
    let run = alice.handoff(&["board", "--html", page.to_str().expect("utf-8")]);
    assert_eq!(run.ok(), "", "the page goes to the file, not stdout");
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("Fix &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(!html.contains("<script"), "no script at all");
    assert!(!html.contains("http"), "no external asset");
    assert_eq!(html.matches("<section").count(), 6);
    assert_eq!(html.matches("<article").count(), BRANCHES.len() + 1);
    let missing = page.join("inside-a-file.html");
    alice
        .handoff(&["board", "--html", missing.to_str().expect("utf-8")])
        .fails(2, "cannot write");
}

#[test]
fn export_then_import_carries_edits_and_keeps_the_text_around_the_block() {
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.start();
    repo.handoff(&[
        "update",
        "--in-progress",
        "wire the retry",
        "--decision",
        "Jitter :: fair under load",
    ])
    .ok();
    let file = repo.path.join("HANDOFF.md");
    std::fs::write(&file, "# Team notes\n\nKeep this line.\n").expect("write");
    repo.handoff(&["export", "--to", "HANDOFF.md"]).ok();
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(
        text.starts_with(
            "# Team notes\n\nKeep this line.\n\n<!-- git-handoff:begin export v1 -->\n"
        ),
        "{text}"
    );
    for section in [
        "## Current State",
        "## Completed",
        "## In Progress",
        "## Blockers",
        "## Next Steps",
        "## Key Decisions",
        "## What NOT to Do",
        "## Artifacts",
        "## Validation",
        "## Findings",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "{section} in {text}"
        );
    }
    assert_eq!(
        repo.handoff(&["export"]).ok(),
        &text["# Team notes\n\nKeep this line.\n\n".len()..]
    );
    repo.handoff(&["import", "HANDOFF.md"])
        .fails(1, "nothing to import");
    let edited = text
        .replace("- [ ] wire the retry", "- [x] wire the retry")
        .replace("## Next Steps\n", "## Next Steps\n\n1. measure it\n");
    std::fs::write(&file, format!("{edited}\nA line after the block.\n")).expect("write");
    let run = repo.handoff(&["import", "HANDOFF.md"]);
    assert!(run.stderr.contains("imported HANDOFF.md as"), "{run:#?}");
    let p = repo.packet_json();
    assert_eq!(p["revision"], 3);
    assert_eq!(p["state"]["done"], serde_json::json!(["wire the retry"]));
    assert_eq!(p["state"]["next"], serde_json::json!(["measure it"]));
    assert!(p["state"]["in_progress"].is_null(), "{p:#}");
    assert_eq!(p["decisions"][0]["why"], "fair under load");
    repo.handoff(&["update", "--from", "HANDOFF.md"])
        .fails(2, "HANDOFF.md: update --from takes TOML or JSON")
        .fails(2, "git handoff import 'HANDOFF.md'");
    // The file now holds r2's export: importing it again would undo r3.
    repo.handoff(&["import", "HANDOFF.md"])
        .fails(2, "was exported at r2, but the packet is at r3");
    repo.handoff(&["export", "--to", "HANDOFF.md"]).ok();
    let again = std::fs::read_to_string(&file).expect("read");
    assert!(
        again.starts_with("# Team notes\n\nKeep this line.\n\n"),
        "{again}"
    );
    assert!(
        again.ends_with("<!-- git-handoff:end -->\n\nA line after the block.\n"),
        "{again}"
    );
    // The export starts a packet elsewhere too, as --from takes it.
    repo.git(&["switch", "-q", "-c", "copy"]);
    repo.handoff(&["start", "--from", "HANDOFF.md"]).ok();
    assert_eq!(
        repo.packet_json()["state"]["next"],
        serde_json::json!(["measure it"])
    );
}

#[test]
fn a_hand_written_handoff_md_starts_a_packet_and_an_unknown_section_is_named() {
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    let notes = "# HANDOFF\n\n## Task\nMake the retry fair\n\n## Definition of Done\n- no writer starves\n\n## Progress\n- [x] measured the stalls\n- [ ] cap the backoff\n\n## Mistakes to Avoid\n- A global lock — it deadlocks beside pack-refs\n\n## Deployment\n- tell ops\n";
    std::fs::write(repo.path.join("NOTES.md"), notes).expect("write");
    let before = repo.refs_snapshot();
    repo.handoff(&["import", "--start", "NOTES.md"]).fails(
        2,
        "NOTES.md line 16: section \"Deployment\" fits no packet field",
    );
    assert_eq!(repo.refs_snapshot(), before, "nothing written");
    let run = repo.handoff(&["import", "--start", "--skip-unknown", "NOTES.md"]);
    assert!(run.stderr.contains("line 16: left out"), "{run:#?}");
    let p = repo.packet_json();
    assert_eq!(p["task"]["goal"], "Make the retry fair");
    assert_eq!(
        p["task"]["acceptance"],
        serde_json::json!(["no writer starves"])
    );
    assert_eq!(
        p["state"]["done"],
        serde_json::json!(["measured the stalls"])
    );
    assert_eq!(
        p["state"]["in_progress"],
        serde_json::json!(["cap the backoff"])
    );
    assert_eq!(p["rejected"][0]["what"], "A global lock");
    assert_eq!(p["rejected"][0]["why"], "it deadlocks beside pack-refs");
    let again = repo.handoff(&["import", "--start", "--skip-unknown", "NOTES.md"]);
    assert_eq!(again.code, 1, "{again:#?}");
    assert!(
        again
            .stderr
            .contains("refused: branch feature already has an open packet"),
        "{again:#?}"
    );
}

#[test]
fn the_recall_cache_follows_new_revisions_and_a_damaged_one_is_rebuilt() {
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.start();
    repo.handoff(&[
        "update",
        "--rejected",
        "Poll the server :: wastes the rate limit",
    ])
    .ok();
    assert_eq!(recall_json(&repo, &["poll"])[0]["text"], "Poll the server");
    let cache = repo.path.join(".git/handoff-recall-cache");
    assert!(cache.exists(), "the first run leaves a cache");
    repo.handoff(&["update", "--rejected", "Poll the queue :: same"])
        .ok();
    let hits = recall_json(&repo, &["poll"]);
    assert_eq!(
        hits.as_array().expect("array").len(),
        2,
        "a new revision is read: {hits:#}"
    );
    std::fs::write(
        &cache,
        "git-handoff recall cache v4\nchain refs/handoff/heads/feature x 9\nbroken\n",
    )
    .expect("damage");
    assert_eq!(
        recall_json(&repo, &["poll"]),
        hits,
        "a damaged cache is rebuilt"
    );
    let text = std::fs::read_to_string(&cache).expect("cache");
    std::fs::write(&cache, text.replace('\t', " ")).expect("fields run together");
    assert_eq!(recall_json(&repo, &["poll"]), hits);
    std::fs::write(&cache, [0xff, 0xfe, 0x00]).expect("binary");
    assert_eq!(recall_json(&repo, &["poll"]), hits);
}

#[test]
fn a_stale_approval_waits_for_its_reviewer_and_a_replaced_packet_shows_once() {
    let repo = TestRepo::new();
    repo.commit("base");
    let as_ = |who: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--as", who]);
        repo.handoff(&all).ok().to_string()
    };
    as_(
        "planner",
        &[
            "start",
            "--goal",
            "Retry",
            "--accept",
            "ok",
            "--lane",
            "plan",
            "--owner",
            "planner",
            "--reviewer",
            "auditor",
            "--validate",
            "true",
            "--next",
            "do it",
        ],
    );
    as_("planner", &["pass", "--to", "execute", "--owner", "codex"]);
    repo.commit("the work");
    as_("codex", &["update", "--done", "do it"]);
    as_("codex", &["validate"]);
    as_("codex", &["pass", "--to", "audit"]);
    as_("auditor", &["review", "--approve"]);
    let inbox = |who: &str| -> serde_json::Value {
        serde_json::from_str(
            repo.handoff(&["inbox", "--as", who, "--format", "json"])
                .ok(),
        )
        .expect("json")
    };
    assert_eq!(
        inbox("auditor"),
        serde_json::json!([]),
        "approved for the tip: nothing waits"
    );
    repo.commit("more work after the approval");
    // A packet started from this one's export has a record of its own: no hops, no verdicts.
    repo.handoff(&["export", "--to", "approved.md"]).ok();
    repo.git(&["switch", "-q", "-c", "copy"]);
    repo.handoff(&["start", "--from", "approved.md"]).ok();
    let copy = repo.packet_json();
    assert_eq!(
        (copy["control"]["hops"].as_u64(), copy["verdicts"].is_null()),
        (Some(0), true),
        "{copy:#}"
    );
    repo.git(&["switch", "-q", "feature"]);
    let waiting = inbox("auditor");
    assert_eq!(waiting[0]["reason"], "review", "{waiting:#}");
    assert_eq!(
        waiting[0]["flags"],
        serde_json::json!(["validation-not-tip", "approval-stale"])
    );
    // A packet replaced by start --new on a branch whose old packet was fetched: one line.
    let server = crate::common::Server::file();
    repo.git(&["remote", "add", "origin", &server.url]);
    repo.handoff(&["init"]).ok();
    repo.handoff(&["push"]).ok();
    repo.git(&["fetch", "-q", "origin"]);
    repo.handoff(&[
        "start",
        "--new",
        "--goal",
        "Replacement",
        "--accept",
        "ok",
        "--as",
        "auditor",
    ])
    .ok();
    let all = repo.handoff(&["inbox", "--all", "--as", "nobody", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(all.ok()).expect("json");
    let goals: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["goal"].as_str().expect("goal"))
        .collect();
    assert_eq!(
        goals,
        ["Replacement"],
        "the old packet is history now: {json:#}"
    );
}

#[test]
fn many_chains_read_on_several_threads_keep_each_packet_with_its_ref() {
    let repo = TestRepo::new();
    repo.commit("base");
    let mut tips = Vec::new();
    for n in 0..3 {
        repo.git(&["switch", "-q", "-c", &format!("seed{n}"), "feature"]);
        repo.handoff(&["start", "--goal", &format!("packet {n}"), "--accept", "ok"])
            .ok();
        tips.push(repo.git(&["rev-parse", &format!("refs/handoff/heads/seed{n}")]));
    }
    for n in 0..90 {
        repo.git(&[
            "update-ref",
            &format!("refs/handoff/heads/many/{n}"),
            &tips[n % 3],
        ]);
    }
    let json: serde_json::Value =
        serde_json::from_str(repo.handoff(&["list", "--format", "json"]).ok()).expect("json");
    let rows = json.as_array().expect("rows");
    assert_eq!(rows.len(), 93);
    for row in rows {
        let refname = row["ref"].as_str().expect("ref");
        let goal = repo.git(&["show", &format!("{refname}:packet.toml")]);
        let id = row["id"].as_str().expect("id");
        assert!(
            goal.contains(&format!("id = \"{id}\"")),
            "{refname} lists its own packet"
        );
    }
}

#[test]
fn a_limited_recall_shows_the_best_hits_of_the_full_ranking_and_says_more_are_left() {
    let repo = TestRepo::new();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.start();
    // Items with both words, with one of them, and with a word that only contains one.
    for (n, what) in [
        "Global lock on the writer",
        "A lock that is global to the store",
        "Global cache of the index",
        "Per-ref lock only",
        "Unlock the global queue",
        "Global lock again, for notes",
    ]
    .iter()
    .enumerate()
    {
        repo.handoff(&["update", "--decision", &format!("{what} :: reason {n}")])
            .ok();
    }
    let all = recall_json(&repo, &["global", "lock", "--limit", "0"]);
    let all = all.as_array().expect("array");
    let texts = |hits: &[serde_json::Value]| -> Vec<String> {
        hits.iter().map(|h| h["text"].to_string()).collect()
    };
    assert_eq!(all.len(), 6, "{all:#?}");
    assert_eq!(
        texts(&all[..2]),
        [
            "\"Global lock again, for notes\"",
            "\"Global lock on the writer\""
        ],
        "both words side by side first, newest first"
    );
    for limit in ["1", "2", "3", "4"] {
        let run = repo.handoff(&[
            "recall", "--format", "json", "global", "lock", "--limit", limit,
        ]);
        let some: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
        let n: usize = limit.parse().expect("number");
        assert_eq!(
            texts(some.as_array().expect("array")),
            texts(&all[..n]),
            "--limit {limit}"
        );
        assert!(
            run.stderr.contains("more hits"),
            "--limit {limit}: {}",
            run.stderr
        );
    }
}

#[test]
fn an_item_whose_copies_differ_ranks_alike_with_and_without_a_limit() {
    // The notes keep an old revision of a decision (reason "fast cache for sessions"); the
    // chain's newest says otherwise. The item is found through its old copy, once, with the
    // newest reason, and ranks the same under --limit 1 as in the full list.
    let repo = TestRepo::new();
    repo.commit("base");
    repo.init_hooks();
    repo.start();
    repo.handoff(&[
        "update",
        "--decision",
        "Use redis :: fast cache for sessions",
    ])
    .ok();
    repo.hook_commit("redis");
    repo.handoff(&["update", "--remove-decision", "Use redis"])
        .ok();
    repo.handoff(&[
        "update",
        "--decision",
        "USE   Redis :: shared memcached cluster",
    ])
    .ok();
    repo.handoff(&[
        "update",
        "--decision",
        "Warm the fast cache nightly :: cold starts",
    ])
    .ok();
    repo.handoff(&["update", "--decision", "Keep a fast local cache :: latency"])
        .ok();
    repo.handoff(&[
        "update",
        "--decision",
        "İstanbul office :: the İstanbul team",
    ])
    .ok();
    let texts = |hits: &serde_json::Value| -> Vec<String> {
        (hits.as_array().expect("array").iter())
            .map(|h| h["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let all = recall_json(&repo, &["fast", "cache", "redis", "--limit", "0"]);
    assert_eq!(texts(&all).len(), 3, "one hit per item: {all:#}");
    for n in 1..=3 {
        let some = recall_json(
            &repo,
            &["fast", "cache", "redis", "--limit", &n.to_string()],
        );
        assert_eq!(texts(&some), texts(&all)[..n], "--limit {n}");
    }
    let redis = (all.as_array().expect("array").iter())
        .find(|h| h["text"].as_str().is_some_and(|t| t.contains("edis")))
        .expect("the redis item is found through its older copy");
    assert_eq!(redis["why"], "shared memcached cluster", "{redis:#}");
    let run = repo.handoff(&["recall", "redis", "--limit", "1"]);
    assert!(
        !run.stderr.contains("more hits"),
        "one item, two copies: {run:?}"
    );
    assert_eq!(
        texts(&recall_json(&repo, &["İstanbul"])),
        ["İstanbul office"],
        "a word whose lowercase form has a combining mark"
    );
}
