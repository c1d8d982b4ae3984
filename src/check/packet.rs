//! Checks on the packet itself.

use super::Problem;
use crate::packet::{self, Outcome, Packet, Provenance, Severity};
use crate::policy::Policy;
use crate::repo::short;

/// Policy's required fields are present and non-empty.
pub fn required_fields(policy: &Policy, p: &Packet) -> Vec<Problem> {
    packet::blank_fields(p, &policy.required)
        .into_iter()
        .map(|field| {
            Problem::error(
                "required-fields",
                format!("{field} is required by policy and is empty"),
                match flag_for(field) {
                    Some(flag) => format!("git handoff update --{flag} …   (or git handoff edit)"),
                    None => "git handoff edit".to_string(),
                },
            )
        })
        .collect()
}

/// The `update` flag that fills a field, when there is one.
fn flag_for(field: &str) -> Option<&'static str> {
    packet::Field::named(field).and_then(packet::Field::flag)
}

/// The latest revision covers the tip (see [`crate::gate::covers`]): written at the tip, or the
/// tip was made under it.
pub fn current(p: &Packet, tip: &str, parents: &[String], carries: bool) -> Option<Problem> {
    (!crate::gate::covers(&p.base, Some(tip), parents, carries)).then(|| {
        let base = if p.base.is_empty() {
            "an unborn branch".to_string()
        } else {
            short(&p.base)
        };
        Problem::error(
            "current",
            format!(
                "the packet ({} r{}) was written at {base}, and the tip {} was made after it without an update",
                p.id,
                p.revision,
                short(tip)
            ),
            "git handoff update --done \"…\" --next \"…\" on the tip, then push it",
        )
    })
}

/// Every artifact path exists at the tip.
pub fn artifacts(p: &Packet, missing: &[String]) -> Vec<Problem> {
    if p.artifacts.is_empty() {
        return vec![Problem::warning(
            "artifacts",
            "the packet names no artifact paths",
            "git handoff update --artifact \"PATH :: why\"",
        )];
    }
    missing
        .iter()
        .map(|path| {
            Problem::error(
                "artifacts",
                format!("artifact {path} does not exist at the tip"),
                format!(
                    "fix the path, or git handoff update --remove-artifact {}",
                    crate::escape::shell(path)
                ),
            )
        })
        .collect()
}

/// A validation command is named and its last result is one the tool ran on the tip's tree:
/// anything less is a warning, and an error when policy requires validation.
pub fn validation(policy: &Policy, p: &Packet, tip_tree: &str) -> Vec<Problem> {
    let make = if policy.require_validation {
        Problem::error
    } else {
        Problem::warning
    };
    let Some(command) = &p.validation.command else {
        return vec![make(
            "validation",
            "the packet names no validation command".to_string(),
            "git handoff update --validate \"CMD\"".to_string(),
        )];
    };
    let v = &p.validation;
    let run = v.source == Some(Provenance::Run);
    let here = v.tree.as_deref() == Some(tip_tree);
    let what = match (v.result, run, v.tree.as_deref()) {
        (Outcome::Unknown, ..) if !policy.require_validation => return Vec::new(),
        (Outcome::Unknown, ..) => "has no recorded result".to_string(),
        (_, false, _) => format!(
            "{} was reported, not run by git handoff validate",
            outcome_word(v.result)
        ),
        (_, true, Some(tree)) if !here => format!(
            "{} on tree {}, not on the tip's tree {}",
            outcome_word(v.result),
            short(tree),
            short(tip_tree)
        ),
        (Outcome::Fail, ..) => "failed on the tip's tree".to_string(),
        _ => return Vec::new(),
    };
    let rule = if policy.require_validation {
        "; policy requires a pass the tool ran on the tip"
    } else {
        ""
    };
    vec![make(
        "validation",
        format!("`{command}` {what}{rule}"),
        "git handoff validate (runs it on the tip and records the result)".to_string(),
    )]
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "a pass",
        Outcome::Fail => "a failure",
        Outcome::Unknown => "no result",
    }
}

/// Hops stay within the packet's and the policy's limit.
pub fn hops(policy: &Policy, p: &Packet) -> Option<Problem> {
    let limit = p.control.max_hops.min(policy.max_hops);
    (p.control.hops > limit).then(|| {
        Problem::error(
            "hops",
            format!(
                "the work changed hands {} times, over the limit of {limit}",
                p.control.hops
            ),
            "stop passing it on: a supervisor should re-plan the task",
        )
    })
}

/// No open blocker finding, no open blocker in the state.
pub fn blockers(p: &Packet) -> Vec<Problem> {
    let mut out: Vec<Problem> = p
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Blocker && !f.resolved)
        .map(|f| {
            let at = f
                .path
                .as_deref()
                .map_or(String::new(), |path| format!(" ({path})"));
            Problem::error(
                "blockers",
                format!("open blocker finding: {}{at}", f.message),
                "fix it and mark the finding resolved (git handoff edit)",
            )
        })
        .collect();
    out.extend(p.state.blockers.iter().map(|b| {
        Problem::error(
            "blockers",
            format!("open blocker: {b}"),
            format!(
                "resolve it, then git handoff update --remove-blocker {}",
                crate::escape::shell(b)
            ),
        )
    }));
    out
}

/// The status allows a merge.
pub fn status(policy: &Policy, p: &Packet) -> Option<Problem> {
    (!policy.merge_statuses.contains(&p.state.status)).then(|| {
        let allowed: Vec<&str> = policy.merge_statuses.iter().map(|s| s.as_str()).collect();
        Problem::error(
            "status",
            format!(
                "status {} is not one a branch merges in (allowed: {})",
                p.state.status.as_str(),
                allowed.join(", ")
            ),
            format!(
                "git handoff update --status {}",
                allowed.first().copied().unwrap_or("in-review")
            ),
        )
    })
}

/// The packet fits the policy's size limit.
pub fn size(policy: &Policy, p: &Packet) -> Option<Problem> {
    let bytes = packet::to_toml(p).len();
    (bytes > policy.max_packet_bytes).then(|| {
        Problem::error(
            "size",
            format!(
                "the packet is {bytes} bytes, over the policy limit of {}",
                policy.max_packet_bytes
            ),
            "move detail into the artifacts it points at (git handoff edit)",
        )
    })
}

/// The brief (`git handoff brief`) states the whole packet within policy's `brief-tokens`; what
/// it leaves out the next agent sees only in the full packet, so that is a warning.
pub fn brief(policy: &Policy, p: &Packet) -> Option<Problem> {
    let ctx = crate::brief::Context {
        branch: p.branch.clone(),
        max_cycles: policy.max_cycles,
        ..crate::brief::Context::default()
    };
    let budget = policy.brief_tokens.max(crate::brief::MIN_TOKENS);
    let b = crate::brief::build(p, None, budget, &ctx, crate::brief::Style::Markdown);
    let left: Vec<String> = b
        .sections
        .iter()
        .filter(|s| s.omitted > 0)
        .map(|s| format!("{} {}", s.omitted, s.title))
        .collect();
    (!left.is_empty()).then(|| {
        Problem::warning(
            "brief",
            format!(
                "the brief leaves out {} at brief-tokens = {}",
                left.join(", "),
                policy.brief_tokens
            ),
            "trim done items and old decisions (git handoff edit), or raise brief-tokens",
        )
    })
}
