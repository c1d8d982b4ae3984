//! One test per merge rule, and property tests over random divergent histories.

use super::*;
use crate::packet::{Header, Reason, Status, Timestamp};

fn packet(goal: &str, done: &[&str], updated: i64) -> Packet {
    let draft = crate::packet::Draft::default();
    let mut p = draft.into_packet(Header {
        id: "hx-merge1".into(),
        revision: 1,
        branch: "feature".into(),
        base: String::new(),
        updated: Timestamp(chrono::DateTime::from_timestamp(updated, 0).expect("time")),
        author: "A <a@example.com>".into(),
        actor: None,
    });
    p.task.goal = goal.into();
    p.task.acceptance = vec!["ok".into()];
    p.state.done = done.iter().map(ToString::to_string).collect();
    p
}

fn side<'a>(p: &'a Packet, commit: &'a str) -> Side<'a> {
    Side { packet: p, commit }
}

#[test]
fn list_additions_from_both_sides_are_kept() {
    let base = packet("g", &["a"], 0);
    let ours = packet("g", &["a", "b"], 10);
    let theirs = packet("g", &["a", "c"], 20);
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(m.packet.state.done, ["a", "b", "c"]);
    assert!(m.conflicts.is_empty());
}

#[test]
fn a_removal_on_one_side_is_honoured_when_the_other_did_not_touch_it() {
    let base = packet("g", &["a", "b"], 0);
    let ours = packet("g", &["b"], 10);
    let theirs = packet("g", &["a", "b", "c"], 20);
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(m.packet.state.done, ["b", "c"]);
}

#[test]
fn items_compare_by_normalized_content() {
    let base = packet("g", &[], 0);
    let ours = packet("g", &["fix  the   bug"], 10);
    let theirs = packet("g", &[" fix the bug "], 20);
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(m.packet.state.done, ["fix  the   bug"]);
}

#[test]
fn a_scalar_changed_on_one_side_takes_that_side() {
    let base = packet("g", &[], 0);
    let ours = packet("g", &[], 10);
    let mut theirs = packet("g", &[], 5);
    theirs.state.status = Status::Blocked;
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(
        m.packet.state.status,
        Status::Blocked,
        "even though ours is newer"
    );
    assert!(m.conflicts.is_empty());
}

#[test]
fn a_scalar_changed_on_both_sides_takes_the_newer_and_records_the_other() {
    let base = packet("g", &[], 0);
    let ours = packet("ours", &[], 10);
    let theirs = packet("theirs", &[], 20);
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(m.packet.task.goal, "theirs");
    assert_eq!(
        m.conflicts,
        [Conflict {
            field: "task.goal".into(),
            kept: "theirs".into(),
            other: "ours".into()
        }]
    );
}

#[test]
fn a_tie_on_updated_is_broken_by_the_revision_commit_id() {
    let base = packet("g", &[], 0);
    let ours = packet("ours", &[], 10);
    let theirs = packet("theirs", &[], 10);
    let a = merge(Some(&base), side(&ours, "ffff"), side(&theirs, "0000"));
    let b = merge(Some(&base), side(&theirs, "0000"), side(&ours, "ffff"));
    assert_eq!(a.packet.task.goal, "ours");
    assert_eq!(
        b.packet.task.goal, "ours",
        "the same winner whichever side merges"
    );
}

#[test]
fn without_a_merge_base_lists_are_unioned_and_differences_conflict() {
    let ours = packet("ours", &["a"], 10);
    let theirs = packet("theirs", &["b"], 20);
    let m = merge(None, side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(m.packet.state.done, ["a", "b"]);
    assert_eq!(m.packet.task.goal, "theirs");
    assert_eq!(m.conflicts.len(), 1);
}

#[test]
fn decisions_merge_as_pairs() {
    let base = packet("g", &[], 0);
    let mut ours = packet("g", &[], 10);
    ours.decisions.push(Reason {
        what: "x".into(),
        why: "1".into(),
    });
    let mut theirs = packet("g", &[], 20);
    theirs.decisions.push(Reason {
        what: "x".into(),
        why: "2".into(),
    });
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert_eq!(
        m.packet.decisions.len(),
        2,
        "same what, different why: both kept"
    );
}

#[test]
fn a_finding_resolved_on_one_side_stays_resolved() {
    let mut base = packet("g", &[], 0);
    base.findings
        .push(Finding::new(crate::packet::Severity::Blocker, "m"));
    let mut ours = base.clone();
    ours.findings[0].resolved = true;
    let theirs = base.clone();
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    assert!(m.packet.findings[0].resolved);
    let m = merge(Some(&base), side(&theirs, "2"), side(&ours, "1"));
    assert!(m.packet.findings[0].resolved);
}

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Derives a side from the base: removes some items, adds some new ones, maybe changes scalars.
fn diverge(g: &mut Gen, base: &Packet, tag: &str, updated: i64) -> Packet {
    let mut p = base.clone();
    p.updated = Timestamp(chrono::DateTime::from_timestamp(updated, 0).expect("time"));
    p.state.done.retain(|_| g.below(4) != 0);
    for i in 0..g.below(4) {
        p.state.done.push(format!("{tag}-{i}-{}", g.below(3)));
    }
    p.state.next.retain(|_| g.below(3) != 0);
    if g.below(3) == 0 {
        p.task.goal = format!("goal {tag}");
    }
    if g.below(4) == 0 {
        p.state.status = Status::InReview;
    }
    p
}

#[test]
fn merging_is_deterministic_and_keeps_every_item_either_side_added() {
    let mut g = Gen(0x1234_5678_9abc_def1);
    for round in 0..500 {
        let mut base = packet("g", &[], 0);
        base.state.done = (0..g.below(5)).map(|i| format!("base-{i}")).collect();
        base.state.next = (0..g.below(5)).map(|i| format!("next-{i}")).collect();
        let (t_ours, t_theirs) = (
            i64::try_from(g.below(3)).expect("small"),
            i64::try_from(g.below(3)).expect("small"),
        );
        let ours = diverge(&mut g, &base, "o", t_ours);
        let theirs = diverge(&mut g, &base, "t", t_theirs);
        let m1 = merge(Some(&base), side(&ours, "aa"), side(&theirs, "bb"));
        let m2 = merge(Some(&base), side(&ours, "aa"), side(&theirs, "bb"));
        assert_eq!(m1, m2, "round {round}: deterministic");
        for item in ours.state.done.iter().chain(&theirs.state.done) {
            if !base.state.done.contains(item) {
                assert!(
                    m1.packet.state.done.contains(item),
                    "round {round}: {item} was added and must stay"
                );
            }
        }
        for item in &base.state.done {
            let removed = !ours.state.done.contains(item) || !theirs.state.done.contains(item);
            assert_eq!(
                m1.packet.state.done.contains(item),
                !removed,
                "round {round}: removal of {item}"
            );
        }
        let swapped = merge(Some(&base), side(&theirs, "bb"), side(&ours, "aa"));
        let as_set = |v: &[String]| v.iter().cloned().collect::<HashSet<_>>();
        assert_eq!(
            as_set(&swapped.packet.state.done),
            as_set(&m1.packet.state.done),
            "round {round}: same items either way"
        );
        assert_eq!(
            swapped.packet.task.goal, m1.packet.task.goal,
            "round {round}: same scalar winner either way"
        );
        assert_eq!(
            swapped.packet.state.status, m1.packet.state.status,
            "round {round}"
        );
    }
}

#[test]
fn who_holds_the_work_comes_from_one_side_and_a_reset_budget_stands() {
    use crate::packet::{Handover, HandoverKind, Lane};
    let handover = |kind, to, reset, at: i64| Handover {
        kind,
        by: "x".into(),
        at: Timestamp(chrono::DateTime::from_timestamp(at, 0).expect("time")),
        from_lane: None,
        to_lane: Some(to),
        from_owner: None,
        to_owner: None,
        why: None,
        reset_budget: reset,
    };
    let mut base = packet("g", &[], 0);
    base.control.hops = 3;
    let mut ours = base.clone();
    ours.updated = Timestamp(chrono::DateTime::from_timestamp(10, 0).expect("time"));
    (ours.control.lane, ours.control.owner, ours.control.hops) =
        (Some(Lane::Audit), Some("rev".into()), 4);
    ours.control.handover = Some(handover(HandoverKind::Pass, Lane::Audit, false, 10));
    let mut theirs = base.clone();
    theirs.updated = Timestamp(chrono::DateTime::from_timestamp(20, 0).expect("time"));
    (
        theirs.control.lane,
        theirs.control.owner,
        theirs.control.hops,
    ) = (Some(Lane::Execute), Some("exec".into()), 1);
    theirs.control.handover = Some(handover(HandoverKind::Pass, Lane::Execute, true, 20));
    theirs.control.resets = 1;
    let m = merge(Some(&base), side(&ours, "1"), side(&theirs, "2"));
    let c = &m.packet.control;
    assert_eq!(
        (c.lane, c.owner.as_deref(), c.hops),
        (Some(Lane::Execute), Some("exec"), 1)
    );
    let conflict = serde_json::to_string(&m.conflicts).expect("json");
    assert!(
        conflict.contains("\"control\"") && !conflict.contains("toml_private"),
        "{conflict}"
    );
}

#[test]
fn a_reset_stands_after_later_passes_and_status_moves_with_the_holder() {
    use crate::packet::Lane;
    let mut base = packet("g", &[], 0);
    base.control.hops = 5;
    let mut reset = base.clone();
    reset.updated = Timestamp(chrono::DateTime::from_timestamp(30, 0).expect("time"));
    (reset.control.hops, reset.control.resets, reset.control.lane) = (2, 1, Some(Lane::Plan));
    reset.state.status = Status::Ready;
    let mut other = base.clone();
    other.updated = Timestamp(chrono::DateTime::from_timestamp(10, 0).expect("time"));
    other.state.done.push("side".into());
    let m = merge(Some(&base), side(&reset, "1"), side(&other, "2"));
    assert_eq!((m.packet.control.hops, m.packet.control.resets), (2, 1));
    assert_eq!(
        (m.packet.control.lane, m.packet.state.status),
        (Some(Lane::Plan), Status::Ready)
    );
}
