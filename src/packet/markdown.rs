//! A Markdown rendering of a packet, for people and for prompts.

use std::fmt::Write;

use super::{Field, Outcome, Packet, FIELDS};

/// Renders the packet as a Markdown brief.
pub fn to_markdown(p: &Packet) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", p.task.goal);
    let _ = writeln!(
        s,
        "`{}` r{} on `{}` · {} · {} · {}\n",
        p.id,
        p.revision,
        p.branch,
        p.state.status.as_str(),
        p.author,
        p.updated
    );
    if let Some(intent) = &p.task.intent {
        let _ = writeln!(s, "> {}\n", intent.replace('\n', "\n> "));
    }
    let mut control = Vec::new();
    if let Some(lane) = p.control.lane {
        control.push(format!("lane: {}", lane.as_str()));
    }
    if let Some(owner) = &p.control.owner {
        control.push(format!("owner: {owner}"));
    }
    if let Some(reviewer) = &p.control.reviewer {
        control.push(format!("reviewer: {reviewer}"));
    }
    control.push(format!("hops: {}/{}", p.control.hops, p.control.max_hops));
    if p.control.cycles > 0 {
        control.push(format!("review returns: {}", p.control.cycles));
    }
    if let Some(actor) = &p.actor {
        control.push(format!("written by: {actor}"));
    }
    let _ = writeln!(s, "{}\n", control.join(" · "));
    for field in FIELDS {
        match field {
            Field::List(f) => list(&mut s, f.spec().title, f.get(p)),
            Field::Pairs(f) => {
                let items: Vec<String> = f
                    .get(p)
                    .into_iter()
                    .map(|(a, b)| format!("`{a}`: {b}"))
                    .collect();
                list(&mut s, f.spec().title, &items);
            }
            Field::Findings => findings(&mut s, p),
            Field::Verdicts => verdicts(&mut s, p),
            Field::Header(_) | Field::Scalar { .. } => {}
        }
    }
    if let Some(command) = &p.validation.command {
        let result = match p.validation.result {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
        };
        let _ = writeln!(s, "## Validation\n\n`{command}`: {result}\n");
    }
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

fn list(s: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {title}\n");
    for item in items {
        let _ = writeln!(s, "- {}", item.replace('\n', "\n  "));
    }
    s.push('\n');
}

fn verdicts(s: &mut String, p: &Packet) {
    let items: Vec<String> = p
        .verdicts
        .iter()
        .map(|v| {
            let note = v
                .note
                .as_deref()
                .map_or(String::new(), |n| format!(": {n}"));
            format!(
                "{} by {} at `{}`{note}",
                v.verdict.as_str(),
                v.reviewer,
                crate::repo::short(&v.commit)
            )
        })
        .collect();
    list(s, "Verdicts", &items);
}

fn findings(s: &mut String, p: &Packet) {
    let findings: Vec<String> = p
        .findings
        .iter()
        .map(|f| {
            let mark = if f.resolved { "resolved" } else { "open" };
            let path = f.location().map_or(String::new(), |l| format!(" (`{l}`)"));
            let id =
                f.id.as_deref()
                    .map_or(String::new(), |id| format!("`{id}` "));
            format!("{id}{} [{mark}]: {}{path}", f.severity.as_str(), f.message)
        })
        .collect();
    list(s, "Findings", &findings);
}
