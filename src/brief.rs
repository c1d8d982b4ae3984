//! The brief: what the next agent needs from a packet, in fixed sections, within a token budget.
//! Deterministic (no model): the same packet, lane and budget give the same text. Pure.
//!
//! Tokens are estimated as the UTF-8 length in bytes divided by 4, rounded up: about right for
//! English prose and code under common tokenizers, and never lower than the count for text that
//! is mostly ASCII. The budget is never exceeded: what does not fit becomes `+N more <section>`;
//! Gate and Do NOT keep at least their first item.

use serde::Serialize;

use crate::packet::{Lane, Outcome, Packet, Provenance};

/// The smallest budget a brief can be made in.
pub const MIN_TOKENS: usize = 80;
/// Longest item, in characters, before it is cut with `…`.
const ITEM_CHARS: usize = 240;

/// Returns the estimated token count of `text`: bytes / 4, rounded up.
pub fn tokens(text: &str) -> usize {
    text.len().div_ceil(4)
}

/// The facts beyond the packet a brief states.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The branch tip's tree, to say whether the validation result is for it.
    pub tip_tree: Option<String>,
    /// The commits an auditor reviews (`A..B`) and how many there are.
    pub review_range: Option<(String, usize)>,
    /// The branch, for the pointer to the full packet.
    pub branch: String,
    /// Policy's cap on review returns.
    pub max_cycles: u32,
}

/// One section of the brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: &'static str,
    /// The items shown.
    pub items: Vec<String>,
    /// How many items did not fit.
    pub omitted: usize,
}

/// A brief: its sections in order, the closing pointer, and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    pub sections: Vec<Section>,
    pub more: String,
    pub tokens: usize,
    pub budget: usize,
}

/// How a brief is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
}

/// Builds the brief of `p` for `lane` (its concerns first) within `budget` tokens as `style`
/// renders it.
pub fn build(p: &Packet, lane: Option<Lane>, budget: usize, ctx: &Context, style: Style) -> Brief {
    let all = sections(p, ctx);
    let order = order(lane);
    let all: Vec<(&'static str, Vec<String>)> = order
        .iter()
        .filter_map(|t| all.iter().find(|(title, _)| title == t).cloned())
        .collect();
    let mut more = format!("Full packet: git handoff show {}", ctx.branch);
    // Every section's first item, cut shorter until they fit; failing that, only what is never
    // dropped (Gate and Do NOT); failing that, nothing but the pointer.
    let firsts: Vec<usize> = all
        .iter()
        .map(|(_, items)| usize::from(!items.is_empty()))
        .collect();
    let kept: Vec<usize> = all
        .iter()
        .map(|(title, items)| usize::from(KEPT.contains(title) && !items.is_empty()))
        .collect();
    let limit = budget.saturating_mul(4);
    let mut cut = ITEM_CHARS;
    let mut sizes = Sizes::new(&all, cut, style);
    while sizes.total(&all, &firsts, &more) > limit && cut > 16 {
        cut /= 2;
        sizes = Sizes::new(&all, cut, style);
    }
    let mut counts = if sizes.total(&all, &firsts, &more) <= limit {
        firsts
    } else {
        kept
    };
    if sizes.total(&all, &counts, &more) > limit {
        counts.fill(0);
        more = "Full packet: git handoff show".to_string();
    }
    // Then the rest, section by section, while it fits.
    for s in 0..all.len() {
        while counts[s] < all[s].1.len() {
            counts[s] += 1;
            if sizes.total(&all, &counts, &more) > limit {
                counts[s] -= 1;
                break;
            }
        }
    }
    let sections: Vec<Section> = all
        .iter()
        .zip(&counts)
        .filter(|((_, items), _)| !items.is_empty())
        .map(|((title, items), n)| Section {
            title,
            items: items[..*n].iter().map(|i| clip(i, cut)).collect(),
            omitted: items.len() - n,
        })
        .collect();
    let text = render_parts(&all, &counts, cut, &more, style);
    Brief {
        sections,
        more,
        tokens: tokens(&text),
        budget,
    }
}

/// The rendered size of each part, in bytes, for one item length: the brief is fitted by
/// arithmetic, not by rendering it again for every item.
struct Sizes {
    /// Per section: the heading, then each item's line.
    heading: Vec<usize>,
    lines: Vec<Vec<usize>>,
}

impl Sizes {
    fn new(all: &[(&'static str, Vec<String>)], cut: usize, style: Style) -> Sizes {
        Sizes {
            heading: all
                .iter()
                .map(|(t, _)| match style {
                    // "## Title\n" and the blank line closing the section
                    Style::Markdown => t.len() + 5,
                    Style::Text => t.len() + 2,
                })
                .collect(),
            lines: all
                .iter()
                .map(|(_, items)| items.iter().map(|i| clip(i, cut).len() + 3).collect())
                .collect(),
        }
    }

    /// The size of the brief showing `counts` items of each section.
    fn total(&self, all: &[(&'static str, Vec<String>)], counts: &[usize], more: &str) -> usize {
        let mut total = more.len() + 1;
        for (s, (title, items)) in all.iter().enumerate() {
            if items.is_empty() {
                continue;
            }
            total += self.heading[s] + self.lines[s][..counts[s]].iter().sum::<usize>();
            let omitted = items.len() - counts[s];
            if omitted > 0 {
                total += format!("- +{omitted} more {}\n", title.to_lowercase()).len();
            }
        }
        total
    }
}

/// Renders a brief as text or Markdown.
pub fn render(b: &Brief, style: Style) -> String {
    let parts: Vec<(&'static str, Vec<String>)> = b
        .sections
        .iter()
        .map(|s| {
            let mut items = s.items.clone();
            items.extend(std::iter::repeat_n(String::new(), s.omitted));
            (s.title, items)
        })
        .collect();
    let counts: Vec<usize> = b.sections.iter().map(|s| s.items.len()).collect();
    render_parts(&parts, &counts, usize::MAX, &b.more, style)
}

/// The sections Gate and Do NOT are never dropped whole.
const KEPT: [&str; 2] = ["Gate", "Do NOT"];

fn order(lane: Option<Lane>) -> [&'static str; 7] {
    match lane {
        Some(Lane::Audit) => ["Gate", "Proof", "Now", "Goal", "Do NOT", "Where", "Who"],
        Some(Lane::Execute) => ["Now", "Do NOT", "Goal", "Gate", "Where", "Proof", "Who"],
        Some(Lane::Supervise) => ["Who", "Now", "Goal", "Gate", "Do NOT", "Proof", "Where"],
        Some(Lane::Plan) | None => ["Goal", "Gate", "Do NOT", "Now", "Where", "Proof", "Who"],
    }
}

fn render_parts(
    all: &[(&'static str, Vec<String>)],
    counts: &[usize],
    cut: usize,
    more: &str,
    style: Style,
) -> String {
    let mut out = String::new();
    for ((title, items), n) in all.iter().zip(counts) {
        if items.is_empty() {
            continue;
        }
        match style {
            Style::Markdown => out.push_str(&format!("## {title}\n")),
            Style::Text => out.push_str(&format!("{title}:\n")),
        }
        for item in &items[..*n] {
            out.push_str(&format!("- {}\n", clip(item, cut)));
        }
        let omitted = items.len() - n;
        if omitted > 0 {
            out.push_str(&format!("- +{omitted} more {}\n", title.to_lowercase()));
        }
        if style == Style::Markdown {
            out.push('\n');
        }
    }
    out.push_str(more);
    out.push('\n');
    out
}

/// One line, at most `cut` characters.
fn clip(item: &str, cut: usize) -> String {
    let line = item.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= cut {
        return line;
    }
    let mut s: String = line.chars().take(cut.saturating_sub(1)).collect();
    s.push('…');
    s
}

fn sections(p: &Packet, ctx: &Context) -> Vec<(&'static str, Vec<String>)> {
    let mut goal = vec![p.task.goal.clone()];
    if let Some(intent) = p.task.intent.as_ref().filter(|i| **i != p.task.goal) {
        goal.push(format!("Original request: {intent}"));
    }
    let mut dont: Vec<String> = p.task.non_goals.clone();
    dont.extend(
        p.rejected
            .iter()
            .map(|r| format!("rejected: {} ({})", r.what, r.why)),
    );
    dont.extend(
        p.task
            .constraints
            .iter()
            .map(|c| format!("constraint: {c}")),
    );
    let mut now: Vec<String> = p
        .state
        .blockers
        .iter()
        .map(|b| format!("BLOCKED: {b}"))
        .collect();
    now.extend(p.findings.iter().filter(|f| !f.resolved).map(|f| {
        let at = f.location().map_or(String::new(), |l| format!(" {l}"));
        format!(
            "fix {} {}{at}: {}",
            f.id.as_deref().unwrap_or("finding"),
            f.severity.as_str(),
            f.message
        )
    }));
    now.extend(p.state.next.iter().map(|n| format!("next: {n}")));
    now.extend(
        p.state
            .in_progress
            .iter()
            .map(|n| format!("in progress: {n}")),
    );
    now.extend(p.state.questions.iter().map(|q| format!("question: {q}")));
    let where_: Vec<String> = p
        .artifacts
        .iter()
        .map(|a| format!("{}: {}", a.path, a.why))
        .collect();
    vec![
        ("Goal", goal),
        ("Gate", p.task.acceptance.clone()),
        ("Do NOT", dont),
        ("Now", now),
        ("Where", where_),
        ("Proof", proof(p, ctx)),
        ("Who", who(p, ctx)),
    ]
}

fn proof(p: &Packet, ctx: &Context) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((range, n)) = &ctx.review_range {
        out.push(format!("review: {range} ({n} commits)"));
    }
    let Some(command) = &p.validation.command else {
        out.push("no validation command".into());
        return out;
    };
    let v = &p.validation;
    let result = match v.result {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Unknown => "not run",
    };
    let how = match (
        v.result,
        v.source,
        v.tree.as_deref(),
        ctx.tip_tree.as_deref(),
    ) {
        (Outcome::Unknown, ..) => String::new(),
        (_, Some(Provenance::Run), Some(t), Some(tip)) if t == tip => {
            ", run on the tip's tree".into()
        }
        (_, Some(Provenance::Run), ..) => ", run on another tree than the tip's".into(),
        _ => ", reported, not run by the tool".into(),
    };
    out.push(format!("`{command}`: {result}{how}"));
    out
}

fn who(p: &Packet, ctx: &Context) -> Vec<String> {
    let c = &p.control;
    let mut line = vec![format!("lane {}", crate::handoff::lane_name(c.lane))];
    if let Some(o) = &c.owner {
        line.push(format!("owner {o}"));
    }
    if let Some(r) = &c.reviewer {
        line.push(format!("reviewer {r}"));
    }
    line.push(format!("hops {}/{}", c.hops, c.max_hops));
    line.push(format!("cycles {}/{}", c.cycles, ctx.max_cycles));
    line.push(format!("status {}", p.state.status.as_str()));
    let mut out = vec![line.join(", ")];
    if let Some(h) = &c.handover {
        let why = h.why.as_deref().map_or(String::new(), |w| format!(": {w}"));
        out.push(format!(
            "last {} {}→{} by {}{why}",
            h.kind.as_str(),
            crate::handoff::lane_name(h.from_lane),
            crate::handoff::lane_name(h.to_lane),
            h.by
        ));
    }
    out
}

#[cfg(test)]
mod tests;
