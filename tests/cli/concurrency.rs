//! Concurrent writers never lose a revision or a note, even while git's own maintenance
//! (`git pack-refs`, `git gc --auto`) moves the refs they write into `packed-refs`.
//!
//! Each scenario runs once by default; `HANDOFF_STRESS_RUNS=5` (set by `.ci/run`) repeats it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crate::common::{Run, TestRepo};

const WRITERS: usize = 16;
const UPDATES: usize = 50;
/// The list fields the updates are spread over (each list holds at most 256 items).
const FIELDS: [(&str, &str); 4] = [
    ("--done", "done"),
    ("--next", "next"),
    ("--in-progress", "in_progress"),
    ("--question", "questions"),
];

fn runs() -> usize {
    std::env::var("HANDOFF_STRESS_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// Runs `writers` while a thread repeats the git command `maintenance` until they are done.
fn beside_maintenance<T>(repo: &TestRepo, maintenance: &[&str], writers: impl FnOnce() -> T) -> T {
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        let maintainer = scope.spawn(|| {
            let mut rounds = 0u32;
            while !done.load(Ordering::SeqCst) {
                // A round may fail while a writer holds a lock git wants; git says so and moves on.
                let _ = repo.git_run(maintenance);
                rounds += 1;
            }
            rounds
        });
        let result = writers();
        done.store(true, Ordering::SeqCst);
        let rounds = maintainer.join().expect("maintenance thread");
        assert!(rounds > 0, "git {maintenance:?} ran beside the writers");
        result
    })
}

/// Sixteen writers each make fifty updates; returns every (item, field, run).
fn sixteen_writers(repo: &TestRepo) -> Vec<(String, &'static str, Run)> {
    in_parallel(WRITERS, |writer| {
        (0..UPDATES)
            .map(|n| {
                let (flag, field) = FIELDS[n % FIELDS.len()];
                let item = format!("writer {writer} step {n}");
                let run = repo.handoff(&["update", flag, &item]);
                (item, field, run)
            })
            .collect()
    })
}

/// Runs `work(i)` for `i` in `0..threads` at once and returns all results, in thread order.
fn in_parallel<T: Send>(threads: usize, work: impl Fn(usize) -> Vec<T> + Sync) -> Vec<T> {
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let work = &work;
                scope.spawn(move || work(i))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("writer thread"))
            .collect()
    })
}

/// Asserts that every update reported success, that the chain holds one revision per write with
/// no gap or duplicate, and that the tip carries every item.
#[track_caller]
fn assert_nothing_lost(repo: &TestRepo, results: &[(String, &str, Run)]) {
    for (item, _, run) in results {
        assert_eq!(run.code, 0, "update {item:?} failed: {run:#?}");
    }
    let subjects = repo.git(&["log", "--format=%s", "refs/handoff/heads/feature"]);
    let mut numbers: Vec<u64> = subjects
        .lines()
        .map(|l| {
            let r = l.split_whitespace().nth(2).expect("handoff <id> rN:");
            r.trim_start_matches('r')
                .trim_end_matches(':')
                .parse()
                .expect("a revision number")
        })
        .collect();
    numbers.sort_unstable();
    let expected: Vec<u64> = (1..=(WRITERS * UPDATES + 1) as u64).collect();
    assert_eq!(
        numbers, expected,
        "one revision per successful write, no gap, no duplicate"
    );
    assert_eq!(
        repo.git(&[
            "rev-list",
            "--count",
            "--merges",
            "refs/handoff/heads/feature"
        ]),
        "0",
        "local writers never need a merge"
    );
    let packet = repo.packet_json();
    for (item, field, _) in results {
        let list = packet["state"][*field]
            .as_array()
            .unwrap_or_else(|| panic!("state.{field} is a list: {packet:#}"));
        assert!(
            list.iter().any(|v| v == item.as_str()),
            "{item:?} was reported written, so it is in state.{field}"
        );
    }
    repo.fsck();
}

fn started_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    repo
}

#[test]
fn sixteen_writers_lose_no_revision_while_git_pack_refs_runs_beside_them() {
    for _ in 0..runs() {
        let repo = started_repo();
        let results = beside_maintenance(&repo, &["pack-refs", "--all"], || sixteen_writers(&repo));
        assert_nothing_lost(&repo, &results);
    }
}

#[test]
fn sixteen_writers_lose_no_revision_while_git_gc_auto_runs_beside_them() {
    for _ in 0..runs() {
        let repo = started_repo();
        repo.git(&["config", "gc.auto", "1"]);
        repo.git(&["config", "gc.autoPackLimit", "1"]);
        repo.git(&["config", "gc.autoDetach", "false"]);
        let results = beside_maintenance(&repo, &["gc", "--auto", "--quiet"], || {
            sixteen_writers(&repo)
        });
        assert_nothing_lost(&repo, &results);
    }
}

#[test]
fn eight_writers_attaching_notes_lose_none_while_git_pack_refs_runs_beside_them() {
    const PER_WRITER: usize = 25;
    for _ in 0..runs() {
        let repo = started_repo();
        let commits: Vec<String> = (0..8 * PER_WRITER)
            .map(|n| {
                repo.git(&[
                    "commit",
                    "-q",
                    "--allow-empty",
                    "--no-verify",
                    "-m",
                    &format!("c{n}"),
                ]);
                repo.git(&["rev-parse", "HEAD"])
            })
            .collect();
        let results: Vec<Run> = beside_maintenance(&repo, &["pack-refs", "--all"], || {
            let chunks: Vec<&[String]> = commits.chunks(PER_WRITER).collect();
            in_parallel(chunks.len(), |i| {
                chunks[i]
                    .iter()
                    .map(|c| repo.handoff(&["note", c]))
                    .collect()
            })
        });
        for run in &results {
            assert_eq!(run.code, 0, "note failed: {run:#?}");
        }
        let listed = repo.git(&["notes", "--ref=handoff", "list"]);
        for commit in &commits {
            assert!(
                listed.lines().any(|l| l.ends_with(commit.as_str())),
                "the note of {commit} was reported written, so git lists it"
            );
        }
        repo.fsck();
    }
}
