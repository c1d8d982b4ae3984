//! Three-way merge of two diverged packet revisions against their merge base. Pure.
//!
//! Lists merge as sets: additions from either side are kept; a removal is honoured when one side
//! removed an item and the other left it alone. A scalar changed on one side takes that side; a
//! scalar changed on both takes the newer revision (latest `updated`, ties broken by the larger
//! revision commit id) and the other value is recorded as a conflict, so nothing is lost.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::packet::{normalize, Control, Finding, ListField, Packet, PairField, Verdict};

/// One side of a merge: a packet and the chain commit that holds it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub packet: &'a Packet,
    pub commit: &'a str,
}

/// A scalar both sides changed: the value kept and the one set aside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub field: String,
    pub kept: Value,
    pub other: Value,
}

/// The merged packet (header fields other than `id` and `base` are the caller's) and its conflicts.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub packet: Packet,
    pub conflicts: Vec<Conflict>,
}

struct Scalars<'a> {
    base: Option<&'a Packet>,
    ours_newer: bool,
    conflicts: Vec<Conflict>,
}

impl Scalars<'_> {
    fn pick<T: Clone + PartialEq + Serialize>(
        &mut self,
        field: &str,
        get: impl Fn(&Packet) -> T,
        ours: &Packet,
        theirs: &Packet,
    ) -> T {
        let (kept, other) = self.choose(&get, ours, theirs);
        if let Some(other) = other {
            self.conflicts.push(Conflict {
                field: field.to_string(),
                kept: crate::packet::plain_json(&kept),
                other: crate::packet::plain_json(&other),
            });
        }
        kept
    }

    /// The three-way choice: the side that changed, else the newer side, with the value set
    /// aside when both changed.
    fn choose<T: Clone + PartialEq>(
        &self,
        get: impl Fn(&Packet) -> T,
        ours: &Packet,
        theirs: &Packet,
    ) -> (T, Option<T>) {
        let (o, t) = (get(ours), get(theirs));
        if o == t {
            return (o, None);
        }
        match self.base.map(&get) {
            Some(b) if b == o => (t, None),
            Some(b) if b == t => (o, None),
            _ if self.ours_newer => (o, Some(t)),
            _ => (t, Some(o)),
        }
    }
}

/// Merges `ours` and `theirs` against `base` (their merge-base revision, if any).
#[allow(clippy::many_single_char_names)] // o, t, b, s, p: the sides read best short here
pub fn merge(base: Option<&Packet>, ours: Side<'_>, theirs: Side<'_>) -> Merged {
    let (o, t) = (ours.packet, theirs.packet);
    let ours_newer = (o.updated, ours.commit) >= (t.updated, theirs.commit);
    let mut s = Scalars {
        base,
        ours_newer,
        conflicts: Vec::new(),
    };
    let mut p = o.clone();
    p.id = s.pick("id", |p| p.id.clone(), o, t);
    // Where each side was written is no choice to review: the newer side's base stands.
    p.base = s.choose(|p| p.base.clone(), o, t).0;
    p.task.goal = s.pick("task.goal", |p| p.task.goal.clone(), o, t);
    p.task.intent = s.pick("task.intent", |p| p.task.intent.clone(), o, t);
    p.control.reviewer = s.pick("control.reviewer", |p| p.control.reviewer.clone(), o, t);
    p.control.max_hops = s.pick("control.max_hops", |p| p.control.max_hops, o, t);
    // Who holds the work is one fact: lane, owner, executor, the last change of hands and the
    // status that follows them come from the same side, never half from each.
    let holder = |p: &Packet| {
        let c = &p.control;
        let h = (
            c.lane,
            c.owner.clone(),
            c.executor.clone(),
            c.handover.clone(),
        );
        (h, p.state.status)
    };
    let ((lane, owner, executor, handover), status) = s.pick("control", holder, o, t);
    p.state.status = status;
    // Counts of transfers and returns: the larger count stands (a kill condition never loosens
    // in a merge), among the sides with the most budget resets (a supervisor's reset stands).
    let resets = o.control.resets.max(t.control.resets);
    let counted = [o, t].into_iter().filter(|x| x.control.resets == resets);
    let (hops, cycles) = counted.fold((0, 0), |(h, c), x| {
        (h.max(x.control.hops), c.max(x.control.cycles))
    });
    p.control = Control {
        lane,
        owner,
        reviewer: p.control.reviewer.clone(),
        hops: hops.min(p.control.max_hops),
        max_hops: p.control.max_hops,
        cycles,
        resets,
        executor,
        handover,
    };
    // A result belongs to its command, with its provenance (tree, source, exit code, time).
    p.validation = s.pick("validation", |p| p.validation.clone(), o, t);

    for field in ListField::ALL {
        let get = |p: &Packet| field.get(p).clone();
        *field.get_mut(&mut p) = set(base.map(get).as_ref(), &get(o), &get(t), |i| normalize(i));
    }
    for field in PairField::ALL {
        let get = |p: &Packet| field.owned(p);
        let merged = set(base.map(get).as_ref(), &get(o), &get(t), |(a, b)| {
            format!("{}\u{0}{}", normalize(a), normalize(b))
        });
        field.set(&mut p, merged);
    }
    p.verdicts = verdicts(&o.verdicts, &t.verdicts);
    p.findings = findings(
        base.map(|p| p.findings.as_slice()),
        &o.findings,
        &t.findings,
    );
    Merged {
        packet: p,
        conflicts: s.conflicts,
    }
}

/// Set union with removals honoured when one side removed an item the other left alone.
fn set<T: Clone>(
    base: Option<&Vec<T>>,
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> String,
) -> Vec<T> {
    let keys = |items: &[T]| items.iter().map(&key).collect::<HashSet<String>>();
    let (in_base, in_ours, in_theirs) = (
        base.map(|b| keys(b)).unwrap_or_default(),
        keys(ours),
        keys(theirs),
    );
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for item in ours.iter().chain(theirs) {
        let k = key(item);
        let removed = in_base.contains(&k) && (!in_ours.contains(&k) || !in_theirs.contains(&k));
        if !removed && seen.insert(k) {
            out.push(item.clone());
        }
    }
    out
}

/// Verdicts are never lost: the union of both sides, oldest first.
fn verdicts(ours: &[Verdict], theirs: &[Verdict]) -> Vec<Verdict> {
    let mut out: Vec<Verdict> = ours.to_vec();
    for v in theirs {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out.sort_by(|a, b| (a.at, &a.commit).cmp(&(b.at, &b.commit)));
    out
}

/// Findings merge as a set by id (by severity, message and path for findings written without
/// one); `resolved` set on either side sticks unless the other side reopened a finding the base
/// had resolved, and the side whose resolution stands gives the whole record.
fn findings(base: Option<&[Finding]>, ours: &[Finding], theirs: &[Finding]) -> Vec<Finding> {
    let key = |f: &Finding| match &f.id {
        Some(id) => id.clone(),
        None => format!(
            "{}\u{0}{}\u{0}{}",
            f.severity.as_str(),
            normalize(&f.message),
            f.path.as_deref().unwrap_or("")
        ),
    };
    let base_vec = base.map(<[Finding]>::to_vec);
    let mut merged = set(base_vec.as_ref(), ours, theirs, key);
    for f in &mut merged {
        let find = |list: &[Finding]| list.iter().find(|x| key(x) == key(f)).cloned();
        let (b, o, t) = (
            base.and_then(&find).map(|x| x.resolved),
            find(ours),
            find(theirs),
        );
        *f = match (o, t) {
            (Some(o), Some(t)) if o.resolved != t.resolved => {
                if b == Some(o.resolved) {
                    t
                } else {
                    o
                }
            }
            (Some(o), _) => o,
            (None, Some(t)) => t,
            (None, None) => f.clone(),
        };
    }
    merged
}

#[cfg(test)]
mod tests;
