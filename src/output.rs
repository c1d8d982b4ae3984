//! Where things are written: data on stdout in the chosen format, status and warnings on stderr.

use std::io::{self, Write};

use crate::cli::Format;
use crate::error::UserError;

/// The output side of one invocation.
#[derive(Debug, Clone)]
pub struct Output {
    format: Option<Format>,
    quiet: bool,
    /// The formats the command prints, its default first.
    formats: &'static [Format],
}

impl Output {
    /// Creates the output for the given `--format` and `--quiet`.
    pub fn new(format: Option<Format>, quiet: bool, formats: &'static [Format]) -> Self {
        Output {
            format,
            quiet,
            formats,
        }
    }

    /// Returns the chosen format, or the command's default; refuses one the command does not
    /// print (see [`crate::cli::formats`]).
    pub fn format(&self) -> anyhow::Result<Format> {
        let format = self
            .format
            .or(self.formats.first().copied())
            .unwrap_or(Format::Human);
        if self.formats.contains(&format) {
            return Ok(format);
        }
        let names: Vec<&str> = self.formats.iter().map(|f| f.name()).collect();
        Err(UserError::new(format!(
            "this command does not print --format {}",
            format.name()
        ))
        .hint(format!("use --format {}", names.join(" or --format ")))
        .into())
    }

    /// Writes data to stdout, escaped for a terminal (see [`crate::escape`]); a closed pipe ends
    /// the program quietly, as for other git tools.
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        write_stdout(&crate::escape::terminal(text))
    }

    /// Writes a view as JSON (pretty, newline-terminated) to stdout.
    pub fn json(&self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        let mut text =
            crate::escape::json_direction_controls(&serde_json::to_string_pretty(value)?);
        text.push('\n');
        write_stdout(&text)
    }

    /// Writes a status line to stderr unless `--quiet`.
    pub fn status(&self, line: &str) {
        if !self.quiet {
            to_stderr(&format!("{}\n", crate::escape::terminal(line)));
        }
    }

    /// Writes a hint (how to go on) to stderr, even with `--quiet`: it is advice the user asked
    /// for by running the command, not progress.
    pub fn hint(&self, line: &str) {
        to_stderr(&format!("hint: {}\n", crate::escape::terminal(line)));
    }

    /// Writes a warning to stderr, even with `--quiet`.
    pub fn warn(&self, line: &str) {
        to_stderr(&format!("warning: {}\n", crate::escape::terminal(line)));
    }
}

/// Counts in words: "1 error", "2 errors".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A status line or a warning that a library step hands back for the command to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Status(String),
    Warning(String),
}

impl Output {
    /// Prints notices in order: statuses unless `--quiet`, warnings always.
    pub fn tell(&self, notices: &[Notice]) {
        for notice in notices {
            match notice {
                Notice::Status(line) => self.status(line),
                Notice::Warning(line) => self.warn(line),
            }
        }
    }
}

/// Writes to stderr; a closed stderr (`2>&1 | head -1`) loses the text but never panics, as
/// `eprintln!` would.
pub fn to_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// The reader of stdout went away (`git handoff log | head -1`): the command ends early, as
/// other git tools do, and successfully; unwinding as an error lets every destructor run.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed")]
pub struct ClosedPipe;

/// Writes to stdout; a closed pipe becomes [`ClosedPipe`].
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
        other => Ok(other?),
    }
}

/// Pads columns to a common width, two spaces apart; trailing blanks are cut.
pub fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
