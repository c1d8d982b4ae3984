//! The rules a packet must satisfy beyond its shape: required fields, formats and size bounds.

use super::{ListField, Packet, PairField, SCHEMA};

/// Longest allowed string field, in bytes.
pub const MAX_STRING_BYTES: usize = 4096;
/// Most items allowed in one list field.
pub const MAX_LIST_ITEMS: usize = 256;
/// Highest allowed revision number: far beyond any real chain, and far from `u64`'s end, so
/// `revision + 1` can never wrap.
pub const MAX_REVISION: u64 = 1_000_000_000;
/// Largest allowed packet, serialized as TOML, in bytes.
pub const MAX_PACKET_BYTES: usize = 64 * 1024;

/// A broken rule, naming the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Invalid {
    pub field: String,
    pub problem: String,
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

/// Checks every rule and returns the first one broken.
pub fn validate(p: &Packet) -> Result<(), Invalid> {
    validate_fields(p)?;
    check_displayable(p)?;
    check_size(super::to_toml(p).len())
}

/// Checks the size of a packet's TOML text.
pub(super) fn check_size(size: usize) -> Result<(), Invalid> {
    if size > MAX_PACKET_BYTES {
        return Err(invalid(
            "packet",
            format!("is {size} bytes, the limit is {MAX_PACKET_BYTES}"),
        ));
    }
    Ok(())
}

/// Refuses text that displays differently than it reads: a carriage return (which lets a line
/// overwrite its own start) or an invisible direction control. Every write checks it, and so
/// does every revision and note that comes in from a remote.
pub fn check_displayable(p: &Packet) -> Result<(), Invalid> {
    for (field, value) in strings(p) {
        // Names and paths print on one line (list rows, log lines): a newline would forge one.
        let last = field.rsplit('.').next().unwrap_or("");
        let one_line = matches!(
            field.as_str(),
            "branch" | "author" | "actor" | "validation.tree" | "validation.by"
        ) || (field.starts_with("control.") && last != "why")
            || (field.starts_with("artifacts[") && last == "path")
            || ((field.starts_with("findings[") || field.starts_with("verdicts["))
                && matches!(
                    last,
                    "id" | "path"
                        | "reviewer"
                        | "commit"
                        | "resolved_by"
                        | "resolved_commit"
                        | "tree"
                ));
        if one_line && value.contains('\n') {
            return Err(invalid(field, "must be one line"));
        }
        if let Some(c) = value.chars().find(|c| {
            *c == '\r' || crate::escape::is_direction_control(*c) || crate::escape::is_invisible(*c)
        }) {
            return Err(invalid(
                field,
                format!(
                    "contains the control character U+{:04X} (text must read as it displays)",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

/// Checks every rule but the size.
pub(super) fn validate_fields(p: &Packet) -> Result<(), Invalid> {
    if p.schema != SCHEMA {
        return Err(invalid("schema", format!("must be {SCHEMA}")));
    }
    check_id(&p.id)?;
    if !(1..=MAX_REVISION).contains(&p.revision) {
        return Err(invalid(
            "revision",
            format!("must be between 1 and {MAX_REVISION}"),
        ));
    }
    if p.branch.trim().is_empty() {
        return Err(invalid("branch", "must not be empty"));
    }
    check_base(&p.base)?;
    for (field, at) in timestamps(p) {
        if !(1970..=9999).contains(&chrono::Datelike::year(&at.0)) {
            return Err(invalid(
                &field,
                format!("{at} is outside the years 1970-9999"),
            ));
        }
    }
    check_author(&p.author)?;
    required("task.goal", &p.task.goal)?;
    if p.task.acceptance.is_empty() {
        return Err(invalid("task.acceptance", "needs at least one criterion"));
    }
    check_records(p)?;
    if p.control.hops > p.control.max_hops {
        return Err(invalid(
            "control.hops",
            format!(
                "{} exceeds control.max_hops = {}",
                p.control.hops, p.control.max_hops
            ),
        ));
    }
    for (field, value) in strings(p) {
        if value.len() > MAX_STRING_BYTES {
            return Err(invalid(
                field,
                format!("is {} bytes, the limit is {MAX_STRING_BYTES}", value.len()),
            ));
        }
        // Carriage returns are read (earlier builds wrote them) but never written: see
        // `check_displayable`.
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            return Err(invalid(
                field,
                format!("contains the control character U+{:04X}", u32::from(c)),
            ));
        }
    }
    for (field, len) in lists(p) {
        if len > MAX_LIST_ITEMS {
            return Err(invalid(
                field,
                format!("has {len} items, the limit is {MAX_LIST_ITEMS}"),
            ));
        }
    }
    for field in ListField::ALL {
        if let Some(i) = field.get(p).iter().position(|s| s.trim().is_empty()) {
            return Err(invalid(
                format!("{}[{i}]", field.name()),
                "must not be empty",
            ));
        }
    }
    Ok(())
}

/// The handoff records: object ids are full ids, finding ids are well formed and unique.
fn check_records(p: &Packet) -> Result<(), Invalid> {
    let mut ids = std::collections::HashSet::new();
    for (i, f) in p.findings.iter().enumerate() {
        if let Some(id) = &f.id {
            let ok = (1..=32).contains(&id.len())
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                return Err(invalid(
                    format!("findings[{i}].id"),
                    format!("{id:?} is not a finding id (1-32 of a-z 0-9 -)"),
                ));
            }
            if !ids.insert(id.as_str()) {
                return Err(invalid(
                    format!("findings[{i}].id"),
                    format!("{id:?} names two findings"),
                ));
            }
        }
        for (name, value) in [
            ("commit", &f.commit),
            ("resolved_commit", &f.resolved_commit),
        ] {
            if let Some(v) = value {
                check_object_id(&format!("findings[{i}].{name}"), v)?;
            }
        }
    }
    for (i, v) in p.verdicts.iter().enumerate() {
        check_object_id(&format!("verdicts[{i}].commit"), &v.commit)?;
        check_object_id(&format!("verdicts[{i}].tree"), &v.tree)?;
        required(&format!("verdicts[{i}].reviewer"), &v.reviewer)?;
    }
    if let Some(tree) = &p.validation.tree {
        check_object_id("validation.tree", tree)?;
    }
    if let Some(h) = &p.control.handover {
        required("control.handover.by", &h.by)?;
    }
    Ok(())
}

fn check_object_id(field: &str, id: &str) -> Result<(), Invalid> {
    if is_object_id(id) {
        Ok(())
    } else {
        Err(invalid(field, format!("{id:?} is not a full object id")))
    }
}

fn is_object_id(id: &str) -> bool {
    (id.len() == 40 || id.len() == 64)
        && id
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

fn required(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        Err(invalid(field, "is required and must not be empty"))
    } else {
        Ok(())
    }
}

fn check_id(id: &str) -> Result<(), Invalid> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "id",
            format!("{id:?} is not an id (1-64 of A-Z a-z 0-9 . _ -)"),
        ))
    }
}

fn check_base(base: &str) -> Result<(), Invalid> {
    if base.is_empty() || is_object_id(base) {
        Ok(())
    } else {
        Err(invalid(
            "base",
            format!("{base:?} is not a full commit id (or \"\" on an unborn branch)"),
        ))
    }
}

fn check_author(author: &str) -> Result<(), Invalid> {
    let trimmed = author.trim();
    let ok = trimmed
        .find('<')
        .is_some_and(|open| open > 0 && trimmed.ends_with('>') && trimmed.len() > open + 1);
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "author",
            format!("{author:?} is not a git identity \"Name <email>\""),
        ))
    }
}

/// Lists every string of a packet with its dotted field path.
pub fn strings(p: &Packet) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = vec![
        ("id".into(), &p.id),
        ("branch".into(), &p.branch),
        ("author".into(), &p.author),
        ("task.goal".into(), &p.task.goal),
    ];
    let optional = [
        ("actor", &p.actor),
        ("task.intent", &p.task.intent),
        ("control.owner", &p.control.owner),
        ("control.reviewer", &p.control.reviewer),
        ("control.executor", &p.control.executor),
        ("validation.command", &p.validation.command),
        ("validation.tree", &p.validation.tree),
        ("validation.by", &p.validation.by),
    ];
    for (field, value) in optional {
        if let Some(v) = value {
            out.push((field.into(), v));
        }
    }
    if let Some(h) = &p.control.handover {
        out.push(("control.handover.by".into(), &h.by));
        let optional = [
            ("control.handover.from_owner", &h.from_owner),
            ("control.handover.to_owner", &h.to_owner),
            ("control.handover.why", &h.why),
        ];
        for (field, value) in optional {
            if let Some(v) = value {
                out.push((field.into(), v));
            }
        }
    }
    for field in ListField::ALL {
        for (i, item) in field.get(p).iter().enumerate() {
            out.push((format!("{}[{i}]", field.name()), item));
        }
    }
    for field in PairField::ALL {
        let (first, second) = field.parts();
        for (i, (a, b)) in field.get(p).into_iter().enumerate() {
            out.push((format!("{}[{i}].{first}", field.name()), a));
            out.push((format!("{}[{i}].{second}", field.name()), b));
        }
    }
    for (i, v) in p.verdicts.iter().enumerate() {
        out.push((format!("verdicts[{i}].reviewer"), &v.reviewer));
        out.push((format!("verdicts[{i}].commit"), &v.commit));
        out.push((format!("verdicts[{i}].tree"), &v.tree));
        if let Some(note) = &v.note {
            out.push((format!("verdicts[{i}].note"), note));
        }
    }
    for (i, f) in p.findings.iter().enumerate() {
        out.push((format!("findings[{i}].message"), &f.message));
        let optional = [
            ("id", &f.id),
            ("path", &f.path),
            ("reviewer", &f.reviewer),
            ("commit", &f.commit),
            ("resolved_by", &f.resolved_by),
            ("resolved_commit", &f.resolved_commit),
            ("resolution", &f.resolution),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                out.push((format!("findings[{i}].{name}"), v));
            }
        }
    }
    out
}

fn lists(p: &Packet) -> Vec<(&'static str, usize)> {
    let mut out: Vec<_> = ListField::ALL
        .iter()
        .map(|f| (f.name(), f.get(p).len()))
        .collect();
    out.extend(PairField::ALL.iter().map(|f| (f.name(), f.get(p).len())));
    out.push(("verdicts", p.verdicts.len()));
    out.push(("findings", p.findings.len()));
    out
}

/// Every date-time of a packet, with its dotted field path.
pub fn timestamps(p: &Packet) -> Vec<(String, super::Timestamp)> {
    let mut out = vec![("updated".to_string(), p.updated)];
    if let Some(at) = p.validation.at {
        out.push(("validation.at".into(), at));
    }
    if let Some(h) = &p.control.handover {
        out.push(("control.handover.at".into(), h.at));
    }
    for (i, v) in p.verdicts.iter().enumerate() {
        out.push((format!("verdicts[{i}].at"), v.at));
    }
    out
}
