//! Files named on the command line: a packet body to read (TOML, JSON or HANDOFF.md, or stdin),
//! a place to write a page or an export.

use std::io::Read;
use std::path::Path;

use crate::error::{user_error, UserError};
use crate::packet::{self, Draft};

/// Reads a packet body from a file, or from stdin for `-`.
/// `whole` says the draft becomes a whole new body (start): Markdown is taken only so, since an
/// update from HANDOFF.md goes through `import`, which keeps what the file does not say.
pub(crate) fn read_draft(path: &Path, whole: bool) -> anyhow::Result<Draft> {
    let text = read_text(
        path,
        "--from takes a TOML, JSON or HANDOFF.md file, or - for stdin",
    )?;
    let parsed = packet::parse_draft(&text);
    // Markdown by its name or its block; a text that is no TOML or JSON but has headings too
    // (unless its name says TOML or JSON: then its own error is the one to read).
    let named_data = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"));
    let markdown = crate::handoff_md::is_markdown(path, &text)
        || (parsed.is_err()
            && !named_data
            && text
                .lines()
                .any(|l| l.starts_with("## ") || l.starts_with("# ")));
    if markdown {
        if !whole {
            return user_error(
                format!("{}: update --from takes TOML or JSON", path.display()),
                format!(
                    "git handoff import {} writes HANDOFF.md into the packet (the fields the file has; a stale export is refused)",
                    crate::escape::shell(&path.display().to_string())
                ),
            );
        }
        let imported = crate::handoff_md::import(&text);
        if let Some(problem) = imported.unknown.first() {
            return user_error(
                format!("{} line {}: {}", path.display(), problem.line, problem.what),
                "git handoff import --start --skip-unknown FILE leaves such parts out",
            );
        }
        return serde_json::from_value(imported.apply_to(&serde_json::json!({}))).map_err(|e| {
            UserError::new(format!("{}: {e}", path.display()))
                .hint("fix the value named above; git handoff export prints a file to start from")
                .into()
        });
    }
    parsed.map_err(|e| {
        UserError::new(format!("{}: {e}", path.display()))
            .hint("fix the file; `git handoff show --format toml` prints a valid packet to start from")
            .into()
    })
}

/// Refuses to write `path` where its directory does not exist (a typo, most likely), rather
/// than making directories nobody asked for.
pub(crate) fn writable_place(path: &Path) -> anyhow::Result<()> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if dir.is_dir() {
        return Ok(());
    }
    user_error(
        format!(
            "cannot write {}: no directory {}",
            path.display(),
            dir.display()
        ),
        format!(
            "create it first (mkdir -p {}) or name another file",
            crate::escape::shell(&dir.display().to_string())
        ),
    )
}

/// Reads a file given on the command line, or stdin for `-` (refusing an empty stdin).
pub(crate) fn read_text(path: &Path, hint: &str) -> anyhow::Result<String> {
    if path != Path::new("-") {
        return std::fs::read_to_string(path).map_err(|e| {
            UserError::new(format!("cannot read {}: {e}", path.display()))
                .hint(hint)
                .into()
        });
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| UserError::new(format!("cannot read stdin: {e}")).hint(hint))?;
    if text.trim().is_empty() {
        return user_error("-: stdin gave no packet (it was empty)", hint);
    }
    Ok(text)
}
