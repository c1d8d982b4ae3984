use super::*;
use crate::test_support::full_packet;

fn open(status: Status) -> Packet {
    let mut p = full_packet();
    p.state.status = status;
    p.state.blockers.clear();
    p.state.questions.clear();
    p.control.owner = Some("codex".into());
    p.control.reviewer = Some("claude".into());
    p.control.lane = Some(Lane::Execute);
    p
}

fn ask(actor: &str, lane: Option<Lane>) -> Asker<'_> {
    Asker { actor, lane }
}

#[test]
fn owner_reviewer_lane_and_mentions_each_bring_a_packet_in() {
    let p = open(Status::InProgress);
    assert_eq!(reason(&p, ask("codex", None)), Some(Reason::Owner));
    assert_eq!(reason(&p, ask("claude", None)), None);
    let mut r = open(Status::InReview);
    assert_eq!(reason(&r, ask("claude", None)), Some(Reason::Review));
    r.state.status = Status::ChangesRequested;
    assert_eq!(
        reason(&r, ask("codex", None)),
        Some(Reason::ChangesRequested)
    );
    let mut free = open(Status::Ready);
    free.control.owner = None;
    assert_eq!(
        reason(&free, ask("gemini", Some(Lane::Execute))),
        Some(Reason::Lane)
    );
    assert_eq!(reason(&free, ask("gemini", Some(Lane::Audit))), None);
    assert_eq!(reason(&free, ask("gemini", None)), None);
    let mut asked = open(Status::Blocked);
    asked
        .state
        .questions
        .push("@Gemini: which schema wins?".into());
    assert_eq!(reason(&asked, ask("gemini", None)), Some(Reason::Mentioned));
    asked.state.status = Status::Done;
    assert_eq!(reason(&asked, ask("gemini", None)), None);
    assert_eq!(reason(&asked, ask("codex", None)), None);
}

#[test]
fn a_mention_is_the_whole_name_after_an_at_sign() {
    assert!(mentions("ask @codex.", "codex"));
    assert!(mentions("@codex, see the log", "codex"));
    assert!(mentions("(@CODEX)", "codex"));
    assert!(!mentions("ask @codex2", "codex"));
    assert!(!mentions("mail codex@example.com", "codex"));
    assert!(!mentions("ask @codex.bot", "codex"));
    assert!(!mentions("ask codex", "codex"));
    assert!(mentions("ask @codex.bot", "codex.bot"));
    assert!(mentions("frage @jürgen bitte", "Jürgen"));
}

#[test]
fn work_is_taken_up_changes_requested_first_and_finished_last() {
    let order = [
        Status::ChangesRequested,
        Status::InReview,
        Status::Blocked,
        Status::Ready,
        Status::InProgress,
        Status::Draft,
        Status::Approved,
        Status::Done,
    ];
    assert!(order.windows(2).all(|w| rank(w[0]) < rank(w[1])));
}

fn facts(p: &Packet) -> Facts {
    Facts {
        now: p.updated.seconds() + 60,
        stale_after_days: 3,
        max_hops: 8,
        max_cycles: 3,
        tip_tree: None,
    }
}

#[test]
fn flags_say_stale_over_limits_and_results_for_another_tree() {
    let mut p = open(Status::InProgress);
    p.verdicts.clear();
    p.validation = crate::packet::Validation::default();
    p.control.cycles = 0;
    let mut f = facts(&p);
    assert_eq!(flags(&p, &f), Vec::<Flag>::new());
    f.now += 3 * 86_400;
    assert_eq!(flags(&p, &f), vec![Flag::Stale]);
    p.state.status = Status::Done;
    assert_eq!(
        flags(&p, &f),
        Vec::<Flag>::new(),
        "finished work is never stale"
    );
    p.control.hops = 9;
    p.control.cycles = 4;
    assert_eq!(flags(&p, &f), vec![Flag::OverHops, Flag::OverCycles]);
    let mut q = full_packet();
    q.validation.result = Outcome::Pass;
    q.validation.tree = Some("aaa".into());
    q.verdicts.last_mut().expect("a verdict").verdict = VerdictKind::Approve;
    q.verdicts.last_mut().expect("a verdict").tree = "aaa".into();
    let mut g = facts(&q);
    g.tip_tree = Some("aaa".into());
    assert_eq!(flags(&q, &g), Vec::<Flag>::new());
    g.tip_tree = Some("bbb".into());
    assert_eq!(
        flags(&q, &g),
        vec![Flag::ValidationNotTip, Flag::ApprovalStale]
    );
}

#[test]
fn ages_read_in_the_largest_whole_unit() {
    assert_eq!(age(-5), "0s");
    assert_eq!(age(59), "59s");
    assert_eq!(age(60), "1m");
    assert_eq!(age(7_200), "2h");
    assert_eq!(age(3 * 86_400), "3d");
    assert_eq!(age(15 * 86_400), "2w");
}
