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
        actor: Some("codex".into()),
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
            cycles: 1,
            resets: 1,
            executor: Some("codex".into()),
            handover: Some(Handover {
                kind: HandoverKind::Pass,
                by: "codex".into(),
                at: Timestamp::parse("2026-11-21T22:09:00Z").expect("valid"),
                from_lane: Some(Lane::Execute),
                to_lane: Some(Lane::Audit),
                from_owner: Some("codex".into()),
                to_owner: Some("owner".into()),
                why: Some("ready for review".into()),
                reset_budget: false,
            }),
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
            source: Some(Provenance::Run),
            exit_code: Some(0),
            duration_ms: Some(1500),
            at: Some(Timestamp::parse("2026-11-21T22:08:00Z").expect("valid")),
            by: Some("codex".into()),
        },
        artifacts: vec![Artifact {
            path: "src/lib.rs".into(),
            why: "entry".into(),
        }],
        decisions: vec![reason("decision")],
        rejected: vec![reason("rejected")],
        verdicts: vec![Verdict {
            verdict: VerdictKind::Revise,
            reviewer: "reviewer".into(),
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
            tree: "89abcdef0123456789abcdef0123456789abcdef".into(),
            at: Timestamp::parse("2026-11-21T22:09:30Z").expect("valid"),
            note: Some("see findings".into()),
        }],
        findings: vec![Finding {
            id: Some("f1a2b3c4".into()),
            path: Some("src/lib.rs".into()),
            line: Some(7),
            reviewer: Some("reviewer".into()),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            resolved: true,
            resolved_by: Some("codex".into()),
            resolved_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            resolution: Some("fixed".into()),
            ..Finding::new(Severity::Major, "finding")
        }],
    }
}
