//! The sections of HANDOFF.md: the fixed ones the export writes, in order, with the packet field
//! each holds, and the other names hand-written files give the same sections.

/// How a section holds its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `- key: value` items for these keys of one table.
    Scalars(&'static [&'static str]),
    /// One item per string of a list; the marker the export writes (`1.` numbers them).
    List(&'static str),
    /// One item per record (or the one record of a table), titled by this key.
    Records(&'static str),
    /// One string: the section's text (hand-written files only).
    Text,
}

/// One section: heading, where its field lives in the packet's JSON, and its shape.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub title: &'static str,
    /// `##` or `###`.
    pub level: usize,
    pub path: &'static [&'static str],
    pub shape: Shape,
    /// Other headings hand-written files use for it (lower case, compared without punctuation).
    pub aliases: &'static [&'static str],
}

const fn section(
    title: &'static str,
    level: usize,
    path: &'static [&'static str],
    shape: Shape,
    aliases: &'static [&'static str],
) -> Section {
    Section {
        title,
        level,
        path,
        shape,
        aliases,
    }
}

/// Scalars of the task and its control, as the Current State section lists them.
pub const TASK_KEYS: &[&str] = &["goal", "intent"];
pub const STATE_KEYS: &[&str] = &["status"];
pub const CONTROL_KEYS: &[&str] = &[
    "lane", "owner", "reviewer", "hops", "max_hops", "cycles", "resets", "executor",
];
pub const VALIDATION_KEYS: &[&str] = &[
    "command",
    "result",
    "tree",
    "source",
    "exit_code",
    "duration_ms",
    "at",
    "by",
];

/// Every section, in the order the export writes them.
pub const SECTIONS: [Section; 20] = [
    section(
        "Current State",
        2,
        &["task"],
        Shape::Scalars(TASK_KEYS),
        &["state", "current status", "summary", "context"],
    ),
    section("Status", 3, &["state"], Shape::Scalars(STATE_KEYS), &[]),
    section(
        "Control",
        3,
        &["control"],
        Shape::Scalars(CONTROL_KEYS),
        &["ownership", "lanes"],
    ),
    section(
        "Handover",
        3,
        &["control", "handover"],
        Shape::Records("kind"),
        &[],
    ),
    section(
        "Acceptance",
        3,
        &["task", "acceptance"],
        Shape::List("-"),
        &[
            "acceptance criteria",
            "definition of done",
            "success criteria",
            "done when",
        ],
    ),
    section(
        "Constraints",
        3,
        &["task", "constraints"],
        Shape::List("-"),
        &["requirements", "rules"],
    ),
    section(
        "Non-goals",
        3,
        &["task", "non_goals"],
        Shape::List("-"),
        &["non goals", "nongoals", "out of scope"],
    ),
    section(
        "Open Questions",
        3,
        &["state", "questions"],
        Shape::List("-"),
        &["questions", "unknowns"],
    ),
    section(
        "Completed",
        2,
        &["state", "done"],
        Shape::List("- [x]"),
        &[
            "done",
            "finished",
            "progress",
            "what's done",
            "whats done",
            "accomplished",
            "completed work",
        ],
    ),
    section(
        "In Progress",
        2,
        &["state", "in_progress"],
        Shape::List("- [ ]"),
        &["current work", "working on", "ongoing", "wip"],
    ),
    section(
        "Blockers",
        2,
        &["state", "blockers"],
        Shape::List("-"),
        &["blocked", "known issues", "issues", "problems"],
    ),
    section(
        "Next Steps",
        2,
        &["state", "next"],
        Shape::List("1."),
        &[
            "next",
            "todo",
            "to do",
            "remaining",
            "remaining work",
            "next actions",
        ],
    ),
    section(
        "Key Decisions",
        2,
        &["decisions"],
        Shape::Records("what"),
        &["decisions", "decisions made", "design decisions"],
    ),
    section(
        "What NOT to Do",
        2,
        &["rejected"],
        Shape::Records("what"),
        &[
            "mistakes to avoid",
            "rejected approaches",
            "rejected",
            "dead ends",
            "avoid",
            "don't",
            "dont",
            "failed approaches",
            "what not to try",
            "pitfalls",
        ],
    ),
    section(
        "Artifacts",
        2,
        &["artifacts"],
        Shape::Records("path"),
        &["files", "key files", "relevant files", "important files"],
    ),
    section(
        "Validation",
        2,
        &["validation"],
        Shape::Scalars(VALIDATION_KEYS),
        &[
            "testing",
            "tests",
            "how to test",
            "verification",
            "how to verify",
        ],
    ),
    section(
        "Findings",
        2,
        &["findings"],
        Shape::Records("message"),
        &["review findings", "review"],
    ),
    section(
        "Verdicts",
        3,
        &["verdicts"],
        Shape::Records("verdict"),
        &["review verdicts"],
    ),
    // Headings the export never writes but hand-written files do: they fill one field.
    section(
        "Intent",
        2,
        &["task", "intent"],
        Shape::Text,
        &["original intent", "original request", "request"],
    ),
    section(
        "Goal",
        2,
        &["task", "goal"],
        Shape::Text,
        &["objective", "task", "current task", "current goal"],
    ),
];

/// The number of sections the export writes (the rest only read hand-written files).
pub const EXPORTED: usize = 18;

/// Folds a heading for comparison: lower case, letters, digits, spaces and `'` only.
pub fn fold(heading: &str) -> String {
    let kept: String = heading
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '\'' || *c == '-')
        .flat_map(char::to_lowercase)
        .collect();
    let kept = kept.replace('-', " ");
    let words: Vec<&str> = kept.split_whitespace().collect();
    // "1. Next Steps" numbers its sections: the number is no part of the name.
    let skip = usize::from(words.len() > 1 && words[0].chars().all(|c| c.is_ascii_digit()));
    words[skip..].join(" ")
}

/// Finds the section a heading names.
pub fn find(heading: &str) -> Option<&'static Section> {
    let folded = fold(heading);
    SECTIONS
        .iter()
        .find(|s| fold(s.title) == folded || s.aliases.contains(&folded.as_str()))
}
