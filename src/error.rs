//! Errors a user can act on: one line saying what is wrong, one `hint:` line saying how to fix it.

use std::fmt;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for a refusal, a blocked action or findings.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code for an error or a usage mistake.
pub const EXIT_ERROR: u8 = 2;

/// An error meant for the person or agent at the keyboard.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    pub code: u8,
}

/// The advice an error carries (its hint), as ` (…)` to end a warning line; empty when none.
pub fn advice_of(err: &anyhow::Error) -> String {
    err.downcast_ref::<UserError>()
        .and_then(|e| e.hint.as_deref())
        .map_or(String::new(), |h| format!(" ({h})"))
}

impl UserError {
    /// Builds an error (exit 2).
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
            code: EXIT_ERROR,
        }
    }

    /// Builds a refusal (exit 1): the request was understood and declined.
    pub fn refused(message: impl Into<String>) -> Self {
        UserError {
            code: EXIT_REFUSED,
            ..UserError::new(message)
        }
    }

    /// Adds the line that tells how to fix it.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Shorthand for `Err(UserError::new(message).hint(hint).into())`.
pub fn user_error<T>(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Result<T> {
    Err(UserError::new(message).hint(hint).into())
}

/// Writes the error to stderr and returns the exit code it stands for.
pub fn report(err: &anyhow::Error) -> u8 {
    if err
        .chain()
        .any(<dyn std::error::Error>::is::<crate::output::ClosedPipe>)
    {
        return EXIT_OK; // the reader has what it wanted
    }
    if let Some(user) = err.chain().find_map(|e| e.downcast_ref::<UserError>()) {
        let label = if user.code == EXIT_REFUSED {
            "refused"
        } else {
            "error"
        };
        crate::output::to_stderr(&format!("{label}: {}\n", one_line(&user.message)));
        if let Some(hint) = &user.hint {
            for line in hint.lines() {
                crate::output::to_stderr(&format!("hint: {}\n", crate::escape::terminal(line)));
            }
        }
        return user.code;
    }
    crate::output::to_stderr(&format!("error: {}\n", one_line(&format!("{err:#}"))));
    EXIT_ERROR
}

fn one_line(text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::escape::terminal(&text).into_owned()
}
