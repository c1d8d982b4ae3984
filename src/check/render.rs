//! Renders findings for people, for tools (JSON), for GitHub annotations and as `JUnit` XML.

use std::fmt::Write;

use serde::Serialize;

use super::{passes, Level, Problem, CHECKS, SERVER_CHECKS};

/// Lines for people: grouped by check, the hint under each finding, a verdict last.
pub fn human(branch: &str, findings: &[Problem]) -> String {
    let mut out = String::new();
    for &check in CHECKS.iter().chain(&SERVER_CHECKS) {
        for f in findings.iter().filter(|f| f.check == check) {
            let level = if f.severity == Level::Error {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(out, "{level:<7} {:<15} {}", f.check, f.message);
            let _ = writeln!(out, "{:23} hint: {}", "", f.hint);
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Level::Error)
        .count();
    let warnings = findings.len() - errors;
    let verdict = if passes(findings) { "passes" } else { "fails" };
    let _ = writeln!(
        out,
        "{branch}: {verdict} the handoff check ({})",
        [
            crate::output::count(errors, "error", "errors"),
            crate::output::count(warnings, "warning", "warnings")
        ]
        .join(", ")
    );
    out
}

/// The JSON report: `{"ok", "branch", "findings": [...]}`.
#[derive(Serialize)]
pub struct Report<'a> {
    ok: bool,
    branch: &'a str,
    findings: &'a [Problem],
}

/// Builds the JSON report.
pub fn json<'a>(branch: &'a str, findings: &'a [Problem]) -> Report<'a> {
    Report {
        ok: passes(findings),
        branch,
        findings,
    }
}

/// GitHub Actions workflow commands, one annotation per finding.
pub fn github(findings: &[Problem]) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let title = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings {
        let level = if f.severity == Level::Error {
            "error"
        } else {
            "warning"
        };
        let commit = f
            .commit
            .as_deref()
            .map_or(String::new(), |c| format!(" ({c})"));
        let _ = writeln!(
            out,
            "::{level} title={}::{}{commit}%0Ahint: {}",
            title(&format!("handoff {}", f.check)),
            escape(&f.message),
            escape(&f.hint)
        );
    }
    out
}

/// `JUnit` XML: one test case per check; errors are failures, warnings go to system-out.
pub fn junit(branch: &str, findings: &[Problem]) -> String {
    let failed = CHECKS
        .iter()
        .filter(|c| {
            findings
                .iter()
                .any(|f| f.check == **c && f.severity == Level::Error)
        })
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"git-handoff check\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
        CHECKS.len()
    );
    for check in CHECKS {
        let mine: Vec<&Problem> = findings.iter().filter(|f| f.check == check).collect();
        let _ = write!(
            out,
            "  <testcase classname=\"handoff.{}\" name=\"{check}\"",
            xml(branch)
        );
        if mine.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let errors: Vec<&&Problem> = mine.iter().filter(|f| f.severity == Level::Error).collect();
        if let Some(first) = errors.first() {
            let body: Vec<String> = errors
                .iter()
                .map(|f| format!("{}\nhint: {}", f.message, f.hint))
                .collect();
            let _ = writeln!(
                out,
                "    <failure message=\"{}\">{}</failure>",
                xml(&first.message),
                xml(&body.join("\n"))
            );
        }
        let notes: Vec<String> = mine
            .iter()
            .filter(|f| f.severity == Level::Warning)
            .map(|f| format!("warning: {}\nhint: {}", f.message, f.hint))
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(
                out,
                "    <system-out>{}</system-out>",
                xml(&notes.join("\n"))
            );
        }
        out.push_str("  </testcase>\n");
    }
    out.push_str("</testsuite>\n");
    out
}

fn xml(text: &str) -> String {
    text.chars()
        // XML 1.0 allows neither most controls nor the non-characters U+FFFE and U+FFFF.
        .filter(|c| {
            (*c == '\n' || *c == '\t' || !c.is_control()) && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        })
        .fold(String::new(), |mut s, c| {
            match c {
                '&' => s.push_str("&amp;"),
                '<' => s.push_str("&lt;"),
                '>' => s.push_str("&gt;"),
                '"' => s.push_str("&quot;"),
                '\'' => s.push_str("&apos;"),
                _ => s.push(c),
            }
            s
        })
}
