//! The check named `intent`: every commit in the range carries a packet revision, as a note or
//! at least as a trailer.

use super::Problem;
use crate::repo::short;

/// `commits` are those of the range (or the tip alone, as policy says) without a valid note.
/// Commits carrying none are errors; a commit whose note is gone but whose trailer remains is
/// a warning that `git handoff repair` fixes.
pub fn check(commits: &[super::Carried]) -> Vec<Problem> {
    let mut out = Vec::new();
    for c in commits {
        let finding = match (&c.note, c.trailer) {
            (Some(Ok(())), _) => continue,
            (Some(Err(problem)), _) => Problem::error(
                "intent",
                format!(
                    "commit {} has a note that is not a packet: {problem}",
                    short(&c.id)
                ),
                format!("replace it: git handoff note {}", c.id),
            ),
            (None, true) => Problem::warning(
                "intent",
                format!("commit {} has a Handoff trailer but no note", short(&c.id)),
                "git handoff pull (if the notes were fetched but not merged), else git handoff repair; then git handoff push",
            ),
            (None, false) => Problem::error(
                "intent",
                format!(
                    "commit {} carries no intent (no note, no Handoff trailer)",
                    short(&c.id)
                ),
                format!("attach the packet: git handoff note {}", c.id),
            ),
        };
        out.push(Problem {
            commit: Some(c.id.clone()),
            ..finding
        });
    }
    out
}
