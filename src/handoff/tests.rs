//! One test per handoff rule.

use super::*;
use crate::packet::{Lane, Status, Timestamp, VerdictKind};
use crate::policy::Policy;

const HEAD: &str = "0123456789abcdef0123456789abcdef01234567";
const TREE: &str = "89abcdef0123456789abcdef0123456789abcdef";

fn act(actor: &str) -> Act<'_> {
    Act {
        actor,
        at: Timestamp::parse("2026-11-21T22:10:00Z").expect("time"),
        head: Some(HEAD),
        tree: Some(TREE),
    }
}

fn planned() -> Packet {
    let mut p = crate::test_support::full_packet();
    p.control = crate::packet::Control {
        lane: Some(Lane::Plan),
        owner: Some("planner".into()),
        ..crate::packet::Control::default()
    };
    p.findings.clear();
    p.verdicts.clear();
    p.control.reviewer = Some("auditor".into());
    p
}

fn to(lane: Lane) -> PassRequest<'static> {
    PassRequest {
        to: lane,
        owner: None,
        why: None,
        reset_budget: false,
        tip_current: true,
        has_commit: true,
    }
}

#[test]
fn a_pass_counts_a_hop_and_sets_lane_owner_and_status() {
    let mut p = planned();
    let req = PassRequest {
        owner: Some("codex"),
        ..to(Lane::Execute)
    };
    pass(&mut p, &Policy::default(), &req, &act("planner")).expect("pass");
    assert_eq!(p.control.hops, 1);
    assert_eq!(p.control.lane, Some(Lane::Execute));
    assert_eq!(p.control.owner.as_deref(), Some("codex"));
    assert_eq!(p.control.executor.as_deref(), Some("codex"));
    assert_eq!(p.state.status, Status::InProgress);
    pass(&mut p, &Policy::default(), &to(Lane::Audit), &act("codex")).expect("to audit");
    assert_eq!(
        p.control.owner.as_deref(),
        Some("auditor"),
        "the reviewer receives it"
    );
    assert_eq!(p.state.status, Status::InReview);
    let h = p.control.handover.as_ref().expect("recorded");
    assert_eq!(
        (h.from_lane, h.to_lane),
        (Some(Lane::Execute), Some(Lane::Audit))
    );
}

/// The refusal of `req` by the planner.
fn refused(p: &mut Packet, req: &PassRequest<'_>) -> Refusal {
    pass(p, &Policy::default(), req, &act("planner")).unwrap_err()
}

/// The message of the refusal of `req` by the planner.
fn refusal(p: &mut Packet, req: &PassRequest<'_>) -> String {
    refused(p, req).message
}

#[test]
fn a_pass_nowhere_or_sideways_without_a_reason_is_refused() {
    let mut p = planned();
    let same = PassRequest {
        owner: Some("planner"),
        ..to(Lane::Plan)
    };
    assert!(refusal(&mut p, &same).contains("nothing changes hands"));
    let sideways = PassRequest {
        owner: Some("gemini"),
        ..to(Lane::Plan)
    };
    assert!(refusal(&mut p, &sideways).contains("needs a reason"));
    let with_why = PassRequest {
        why: Some("context window full"),
        ..sideways
    };
    pass(&mut p, &Policy::default(), &with_why, &act("planner")).expect("recorded switch");
}

#[test]
fn each_lane_refuses_a_packet_that_lacks_what_it_needs() {
    let mut p = planned();
    p.state.next.clear();
    p.artifacts.clear();
    let err = refused(&mut p, &to(Lane::Execute));
    assert!(
        err.message.contains("no artifact and no next step"),
        "{err:?}"
    );
    let mut p = planned();
    p.validation.command = None;
    p.state.done.clear();
    p.control.owner = Some("auditor".into());
    let stale = PassRequest {
        tip_current: false,
        ..to(Lane::Audit)
    };
    let err = pass(&mut p, &Policy::default(), &stale, &act("auditor")).unwrap_err();
    for what in [
        "validation command",
        "nothing done",
        "the reviewer is the passer",
        "the tip",
    ] {
        assert!(err.message.contains(what), "{what}: {err:?}");
    }
    let policy = Policy {
        execute_requires: vec!["task.constraints".into()],
        ..Policy::default()
    };
    let mut p = planned();
    p.task.constraints.clear();
    let err = pass(&mut p, &policy, &to(Lane::Execute), &act("planner")).unwrap_err();
    assert!(err.message.contains("task.constraints"), "{err:?}");
}

#[test]
fn kill_conditions_stop_passes_but_never_escalation() {
    let mut p = planned();
    p.control.max_hops = 2;
    p.control.hops = 2;
    let err = refused(&mut p, &to(Lane::Execute));
    assert!(err.hint.contains("--to supervise"), "{err:?}");
    pass(
        &mut p,
        &Policy::default(),
        &to(Lane::Supervise),
        &act("planner"),
    )
    .expect("escalation");
    assert_eq!(
        p.control.hops, 2,
        "escalation does not count past the limit"
    );
    assert_eq!(p.state.status, Status::Blocked);
    let reset = PassRequest {
        reset_budget: true,
        owner: Some("codex"),
        ..to(Lane::Execute)
    };
    let err = pass(&mut p, &Policy::default(), &reset, &act("boss")).unwrap_err();
    assert!(
        err.message
            .contains("only the holder of the supervise lane"),
        "{err:?}"
    );
    take(&mut p, None, false, None, &act("boss")).expect("the supervisor takes it");
    pass(&mut p, &Policy::default(), &reset, &act("boss")).expect("reset");
    assert_eq!(
        (p.control.hops, p.control.cycles, p.control.resets),
        (1, 0, 1)
    );
    let again = PassRequest {
        reset_budget: true,
        ..to(Lane::Plan)
    };
    let again = pass(&mut p, &Policy::default(), &again, &act("boss")).unwrap_err();
    assert!(again
        .message
        .contains("only the holder of the supervise lane"));
}

#[test]
fn review_returns_work_counts_cycles_and_guards_approval() {
    let mut p = planned();
    pass(
        &mut p,
        &Policy::default(),
        &PassRequest {
            owner: Some("codex"),
            ..to(Lane::Execute)
        },
        &act("planner"),
    )
    .expect("pass");
    pass(&mut p, &Policy::default(), &to(Lane::Audit), &act("codex")).expect("audit");
    let policy = Policy {
        max_cycles: 1,
        ..Policy::default()
    };
    let revise = |findings: &[&str]| ReviewRequest {
        verdict: VerdictKind::Revise,
        findings: findings
            .iter()
            .map(|f| parse_finding(f).expect("finding"))
            .collect(),
        note: None,
    };
    assert!(review(&mut p, &policy, revise(&[]), &act("auditor")).is_err());
    let ids = review(
        &mut p,
        &policy,
        revise(&["major: src/a.rs:3: off by one"]),
        &act("auditor"),
    )
    .expect("revise");
    assert_eq!(ids.len(), 1);
    assert_eq!(
        (p.control.lane, p.control.owner.as_deref()),
        (Some(Lane::Execute), Some("codex"))
    );
    assert_eq!(
        (p.control.cycles, p.state.status),
        (1, Status::ChangesRequested)
    );
    let approve = || ReviewRequest {
        verdict: VerdictKind::Approve,
        findings: Vec::new(),
        note: None,
    };
    pass(&mut p, &policy, &to(Lane::Audit), &act("codex")).expect("back to audit");
    assert!(review(&mut p, &policy, approve(), &act("auditor"))
        .unwrap_err()
        .message
        .contains(&ids[0]));
    assert!(
        review(&mut p, &policy, revise(&["minor: nit"]), &act("auditor"))
            .unwrap_err()
            .hint
            .contains("supervise")
    );
    resolve(&mut p, Some(&ids), Some("fixed"), &act("codex")).expect("resolve");
    assert!(review(&mut p, &policy, approve(), &act("codex"))
        .unwrap_err()
        .message
        .contains("auditor holds the review"));
    p.control.owner = Some("codex".into()); // the executor took the review over
    assert!(review(&mut p, &policy, approve(), &act("codex"))
        .unwrap_err()
        .message
        .contains("cannot approve it"));
    p.control.owner = Some("auditor".into());
    review(&mut p, &policy, approve(), &act("auditor")).expect("approve");
    assert_eq!(p.state.status, Status::Approved);
    assert_eq!(p.verdicts.last().map(|v| v.tree.as_str()), Some(TREE));
}

#[test]
fn take_claims_resumes_or_takes_over_on_purpose() {
    let mut p = planned();
    assert_eq!(
        take(&mut p, None, false, None, &act("planner")),
        Ok(Taken::AlreadyHeld)
    );
    assert!(take(&mut p, None, false, None, &act("codex"))
        .unwrap_err()
        .hint
        .contains("--force"));
    assert!(
        take(&mut p, Some(Lane::Execute), true, None, &act("codex")).is_err(),
        "a lane switch is a pass"
    );
    let hops = p.control.hops;
    assert_eq!(
        take(&mut p, None, true, None, &act("codex")),
        Ok(Taken::Claimed {
            from: Some("planner".into())
        })
    );
    assert_eq!(p.control.hops, hops, "no hop");
}

#[test]
fn findings_read_severity_path_line_and_message() {
    let f = parse_finding("Major: src/a.rs:12: off by one: really").expect("ok");
    assert_eq!(
        (f.path.as_deref(), f.line, f.message.as_str()),
        (Some("src/a.rs"), Some(12), "off by one: really")
    );
    let f = parse_finding("minor: naming is odd").expect("ok");
    assert_eq!((f.path, f.message.as_str()), (None, "naming is odd"));
    assert!(parse_finding("huge: x").is_err());
    assert!(parse_finding("major:   ").is_err());
}

#[test]
fn the_intent_changes_only_in_the_supervise_lane_with_a_reason() {
    let cur = planned();
    let mut next = cur.clone();
    next.task.intent = Some("another request".into());
    let at = act("x").at;
    assert!(intent_change(&cur, &next, "planner", Some("why"), at).is_err());
    let mut sup = cur.clone();
    sup.control.lane = Some(Lane::Supervise);
    sup.control.owner = Some("boss".into());
    assert!(intent_change(&sup, &next, "boss", None, at).is_err());
    let decision = intent_change(&sup, &next, "boss", Some("the user changed it"), at).expect("ok");
    assert!(decision.is_some_and(|d| d.why.contains("boss")));
    let mut unset = cur.clone();
    unset.task.intent = None;
    assert_eq!(intent_change(&unset, &next, "anyone", None, at), Ok(None));
}

#[test]
fn a_finding_raised_again_after_its_resolution_reopens() {
    let mut p = planned();
    p.control.lane = Some(Lane::Audit);
    p.control.owner = Some("auditor".into());
    p.control.executor = Some("codex".into());
    let revise = || ReviewRequest {
        verdict: VerdictKind::Revise,
        findings: vec![parse_finding("major: a.rs:3: off by one").expect("finding")],
        note: None,
    };
    let ids = review(&mut p, &Policy::default(), revise(), &act("auditor")).expect("revise");
    resolve(&mut p, None, None, &act("codex")).expect("resolve");
    p.control.lane = Some(Lane::Audit);
    p.control.owner = Some("auditor".into());
    let again = review(&mut p, &Policy::default(), revise(), &act("auditor")).expect("reopened");
    assert_eq!(again, ids);
    assert!(!p.findings[0].resolved);
}

#[test]
fn the_owner_claims_a_lane_where_none_was_set() {
    let mut p = planned();
    p.control.lane = None;
    let taken = take(&mut p, Some(Lane::Execute), false, None, &act("planner"));
    assert_eq!(taken, Ok(Taken::Claimed { from: None }));
    assert_eq!(p.control.lane, Some(Lane::Execute));
}
