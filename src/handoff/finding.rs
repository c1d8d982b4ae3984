//! Findings as a reviewer writes them on the command line, and their stable ids.

use crate::packet::{Finding, Severity};

/// A finding read from `SEVERITY: [PATH[:LINE]:] MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFinding {
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

/// Reads `SEVERITY: [PATH[:LINE]:] MESSAGE`. A path is the text before the next `: ` when it has
/// no blank in it (`major: src/a.rs:12: off by one`); otherwise the whole rest is the message
/// (`minor: naming: use snake case` has the path `naming`, so write such a message without the
/// first colon or give a path).
pub fn parse_finding(text: &str) -> Result<ParsedFinding, String> {
    let usage = "write it as SEVERITY: [PATH[:LINE]:] MESSAGE, e.g. \"major: src/auth.rs:42: token is logged\"";
    let (severity, rest) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?} has no severity; {usage}"))?;
    let severity = Severity::parse(severity).ok_or_else(|| {
        format!(
            "{:?} is not a severity (blocker, major or minor); {usage}",
            severity.trim()
        )
    })?;
    let rest = rest.trim();
    let (path, line, message) = match rest.split_once(": ") {
        Some((head, message)) if !head.is_empty() && !head.contains(char::is_whitespace) => {
            match head.rsplit_once(':') {
                Some((path, line)) if !path.is_empty() && line.parse::<u32>().is_ok() => {
                    (Some(path.to_string()), line.parse().ok(), message.trim())
                }
                _ => (Some(head.to_string()), None, message.trim()),
            }
        }
        _ => (None, None, rest),
    };
    if message.is_empty() {
        return Err(format!("{text:?} has no message; {usage}"));
    }
    Ok(ParsedFinding {
        severity,
        path,
        line,
        message: message.to_string(),
    })
}

impl ParsedFinding {
    /// Turns it into a packet finding, with an id derived from its content and the commit
    /// reviewed (the same finding written in two clones gets the same id) and unique among
    /// `existing`.
    pub fn into_finding(self, reviewer: &str, commit: &str, existing: &[Finding]) -> Finding {
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{commit}",
            self.severity.as_str(),
            self.path.as_deref().unwrap_or(""),
            self.line.unwrap_or(0),
            crate::packet::normalize(&self.message)
        );
        let mut salt = 0u32;
        let id = loop {
            let hash = crate::clock::fnv1a(format!("{key}\u{0}{salt}").as_bytes());
            let id = format!("f{:07x}", hash & 0x0fff_ffff);
            let taken = existing
                .iter()
                .any(|f| f.id.as_deref() == Some(id.as_str()) && f.message != self.message);
            if !taken {
                break id;
            }
            salt += 1;
        };
        Finding {
            id: Some(id),
            path: self.path,
            line: self.line,
            reviewer: Some(reviewer.to_string()),
            commit: Some(commit.to_string()),
            ..Finding::new(self.severity, self.message)
        }
    }
}
