//! The brief keeps its budget, its order and its promises.

use super::*;
use crate::packet::{Lane, Reason};

fn big() -> Packet {
    let mut p = crate::test_support::full_packet();
    for i in 0..200 {
        p.state
            .next
            .push(format!("step {i}: {}", "do the thing ".repeat(10)));
        p.rejected.push(Reason {
            what: format!("approach {i}"),
            why: "it failed before".into(),
        });
    }
    p.task.acceptance = (0..50).map(|i| format!("criterion {i} holds")).collect();
    p
}

fn ctx() -> Context {
    Context {
        tip_tree: Some("89abcdef0123456789abcdef0123456789abcdef".into()),
        review_range: Some(("0123456..89abcde".into(), 3)),
        branch: "feature/x".into(),
        max_cycles: 3,
    }
}

#[test]
fn the_budget_is_never_exceeded() {
    for p in [crate::test_support::full_packet(), big()] {
        for budget in [MIN_TOKENS, 100, 200, 500, 2000] {
            for lane in [
                None,
                Some(Lane::Audit),
                Some(Lane::Execute),
                Some(Lane::Supervise),
            ] {
                for style in [Style::Text, Style::Markdown] {
                    let b = build(&p, lane, budget, &ctx(), style);
                    let text = render(&b, style);
                    assert!(
                        tokens(&text) <= budget,
                        "{budget}: {} tokens\n{text}",
                        tokens(&text)
                    );
                    assert_eq!(b.tokens, tokens(&text), "the count is the rendered text's");
                }
            }
        }
    }
}

#[test]
fn gate_and_do_not_survive_and_the_rest_says_what_it_left_out() {
    let b = build(&big(), None, 300, &ctx(), Style::Markdown);
    let text = render(&b, Style::Markdown);
    let titles: Vec<&str> = b.sections.iter().map(|s| s.title).collect();
    assert_eq!(&titles[..3], ["Goal", "Gate", "Do NOT"], "{text}");
    for s in &b.sections {
        if KEPT.contains(&s.title) {
            assert!(!s.items.is_empty(), "{} kept: {text}", s.title);
        }
    }
    assert!(
        text.contains("more now") || text.contains("more do not"),
        "{text}"
    );
    assert!(
        text.ends_with("Full packet: git handoff show feature/x\n"),
        "{text}"
    );
}

#[test]
fn a_lane_sees_its_concerns_first() {
    let audit = build(&big(), Some(Lane::Audit), 500, &ctx(), Style::Text);
    assert_eq!(audit.sections[0].title, "Gate");
    assert_eq!(audit.sections[1].title, "Proof");
    let text = render(&audit, Style::Text);
    assert!(
        text.contains("review: 0123456..89abcde (3 commits)"),
        "{text}"
    );
    let execute = build(&big(), Some(Lane::Execute), 500, &ctx(), Style::Text);
    assert_eq!(execute.sections[0].title, "Now");
    assert_eq!(execute.sections[1].title, "Do NOT");
}

#[test]
fn the_same_input_gives_the_same_brief() {
    let a = render(&build(&big(), None, 500, &ctx(), Style::Text), Style::Text);
    let b = render(&build(&big(), None, 500, &ctx(), Style::Text), Style::Text);
    assert_eq!(a, b);
}

#[test]
fn a_huge_budget_is_no_overflow() {
    let b = build(&big(), None, usize::MAX, &ctx(), Style::Text);
    assert!(b.sections.iter().all(|s| s.omitted == 0));
}

#[test]
fn a_long_first_item_is_cut_to_fit_rather_than_dropped() {
    let mut p = big();
    p.task.goal = "retry ".repeat(100);
    let b = build(&p, None, 150, &ctx(), Style::Text);
    let text = render(&b, Style::Text);
    assert!(tokens(&text) <= 150, "{text}");
    for s in &b.sections {
        assert!(
            !s.items.is_empty(),
            "{} has its first item: {text}",
            s.title
        );
    }
}
