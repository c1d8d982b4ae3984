//! Helpers the unit tests share: deterministic random texts built from pieces chosen to stress a
//! parser, so that a property test runs the same inputs on every machine.

/// Yields `count` texts of up to `max_pieces` pieces each, drawn with a xorshift generator.
pub(crate) fn random_texts<'a>(
    seed: u64,
    pieces: &'a [&'a str],
    count: usize,
    max_pieces: usize,
) -> impl Iterator<Item = String> + 'a {
    let mut state = seed | 1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).expect("below n fits")
    };
    (0..count).map(move |_| {
        let len = next(max_pieces);
        (0..len).map(|_| pieces[next(pieces.len())]).collect()
    })
}

/// A packet with every field filled, for tests that walk all fields.
pub(crate) fn full_packet() -> crate::packet::Packet {
    use crate::packet::*;
    let one = |text: &str| vec![text.to_string()];
    let reason = |what: &str| Reason {
        what: what.into(),
        why: "because".into(),
    };
    Packet {
        schema: SCHEMA,
        id: "hx-abc123".into(),
        revision: 3,
        branch: "feature/x".into(),
        base: "0123456789abcdef0123456789abcdef01234567".into(),
        updated: Timestamp::parse("2026-11-21T22:10:00Z").expect("valid"),
        author: "Ada <ada@example.com>".into(),
        task: Task {
            goal: "goal".into(),
            intent: Some("intent".into()),
            acceptance: one("acceptance"),
            constraints: one("constraint"),
            non_goals: one("non-goal"),
        },
        control: Control {
            lane: Some(Lane::Audit),
            owner: Some("owner".into()),
            reviewer: Some("reviewer".into()),
            hops: 1,
            max_hops: 8,
        },
        state: State {
            status: Status::InProgress,
            done: one("done"),
            in_progress: one("in progress"),
            next: one("next"),
            blockers: one("blocker"),
            questions: one("question"),
        },
        validation: Validation {
            command: Some("cargo test".into()),
            result: Outcome::Pass,
            tree: Some("89abcdef0123456789abcdef0123456789abcdef".into()),
        },
        artifacts: vec![Artifact {
            path: "src/lib.rs".into(),
            why: "entry".into(),
        }],
        decisions: vec![reason("decision")],
        rejected: vec![reason("rejected")],
        findings: vec![Finding {
            severity: Severity::Major,
            message: "finding".into(),
            path: Some("src/lib.rs".into()),
            resolved: false,
        }],
    }
}
