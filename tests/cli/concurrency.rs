//! Concurrent writers never lose a revision.

use std::thread;

use crate::common::TestRepo;

#[test]
fn eight_writers_times_twenty_five_updates_leave_two_hundred_revisions_without_gaps() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    thread::scope(|scope| {
        for writer in 0..8 {
            let repo = &repo;
            scope.spawn(move || {
                for n in 0..25 {
                    let item = format!("writer {writer} step {n}");
                    let run = repo.handoff(&["update", "--done", &item]);
                    assert_eq!(run.code, 0, "update failed under contention: {run:?}");
                }
            });
        }
    });
    let messages = repo.git(&["log", "--format=%s", "refs/handoff/heads/feature"]);
    let mut numbers: Vec<u64> = messages
        .lines()
        .map(|l| {
            let r = l.split_whitespace().nth(2).expect("rN:");
            r.trim_start_matches('r')
                .trim_end_matches(':')
                .parse()
                .expect("number")
        })
        .collect();
    numbers.reverse();
    assert_eq!(
        numbers,
        (1..=201).collect::<Vec<u64>>(),
        "one revision per write, in order, no gaps"
    );
    assert_eq!(
        repo.git(&[
            "rev-list",
            "--count",
            "--merges",
            "refs/handoff/heads/feature"
        ]),
        "0"
    );
    let p = repo.packet_json();
    assert_eq!(p["revision"], 201);
    assert_eq!(
        p["state"]["done"].as_array().map(Vec::len),
        Some(200),
        "every writer's item is there"
    );
    repo.fsck();
}
