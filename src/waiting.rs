//! What waits for someone: the rule that says whether a packet is in an actor's hands. Pure.

use crate::packet::{Lane, Packet, Status};

/// Why a packet waits for the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The review is the actor's.
    Review,
    /// The work came back with findings to the actor.
    ChangesRequested,
    /// The actor holds the work.
    Holds,
}

impl Why {
    /// A few words for a line.
    pub fn words(self) -> &'static str {
        match self {
            Why::Review => "review",
            Why::ChangesRequested => "changes requested",
            Why::Holds => "yours",
        }
    }
}

/// Returns why `p` waits for `actor`, if it does: a review assigned to them, work returned to
/// them, or work they hold that is not finished.
pub fn waits_for(p: &Packet, actor: &str) -> Option<Why> {
    let status = p.state.status;
    if matches!(status, Status::Done | Status::Approved) {
        return None;
    }
    let holds = p.control.owner.as_deref() == Some(actor);
    let reviews = p.control.reviewer.as_deref() == Some(actor);
    if status == Status::InReview && (reviews || holds && p.control.lane == Some(Lane::Audit)) {
        return Some(Why::Review);
    }
    if !holds {
        return None;
    }
    Some(match status {
        Status::ChangesRequested => Why::ChangesRequested,
        _ => Why::Holds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_returned_work_and_held_work_wait_finished_work_does_not() {
        let mut p = crate::test_support::full_packet();
        p.control.owner = Some("codex".into());
        p.control.lane = Some(Lane::Execute);
        p.control.reviewer = Some("claude".into());
        p.state.status = Status::InReview;
        assert_eq!(waits_for(&p, "claude"), Some(Why::Review));
        assert_eq!(waits_for(&p, "codex"), Some(Why::Holds));
        p.state.status = Status::ChangesRequested;
        assert_eq!(waits_for(&p, "claude"), None);
        assert_eq!(waits_for(&p, "codex"), Some(Why::ChangesRequested));
        p.state.status = Status::Done;
        assert_eq!(waits_for(&p, "codex"), None);
        assert_eq!(waits_for(&p, "gemini"), None);
    }
}
