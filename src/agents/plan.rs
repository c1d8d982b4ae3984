//! What `setup` changes for a runtime: each file's text before and after, decided from the
//! texts alone (the caller reads and writes the files). Pure.

use std::path::PathBuf;

use serde::Serialize;

use super::{block, settings, Runtime, Scope};

/// What a file is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The runtime's hooks (our entries in it, or the whole file ours).
    Hooks,
    /// The instructions file the runtime reads (our managed block in it).
    Instructions,
}

/// One file's change.
#[derive(Debug, Clone)]
pub struct Change {
    /// As the user knows it: relative to the repository root, or `~/…`.
    pub shown: String,
    pub path: PathBuf,
    pub role: Role,
    /// The text now (`None`: no file).
    pub old: Option<String>,
    /// The text wanted (`None`: no file).
    pub new: Option<String>,
}

impl Change {
    /// What happens to the file.
    pub fn action(&self) -> &'static str {
        match (&self.old, &self.new) {
            (a, b) if a == b => "unchanged",
            (None, Some(_)) => "create",
            (Some(_), None) => "delete",
            _ => "update",
        }
    }
}

/// Where the runtime's files are for `scope`: `base` is the repository root (project) or the
/// home directory (user); `shown` prefixes the names shown.
pub struct Place<'a> {
    pub scope: Scope,
    pub base: &'a std::path::Path,
    pub shown: &'a str,
}

/// The files `runtime` is set up (or, with `remove`, cleaned) through, and their texts after;
/// `read` gives a file's text, `None` when it does not exist. An error names the file that
/// cannot be edited, and nothing is to be written then.
pub fn plan(
    runtime: Runtime,
    place: &Place<'_>,
    remove: bool,
    read: impl Fn(&std::path::Path) -> Result<Option<String>, String>,
) -> Result<Vec<Change>, String> {
    let mut files = vec![(Role::Hooks, runtime.hooks_file(place.scope))];
    if let Some(file) = runtime.instructions_file(place.scope) {
        files.push((Role::Instructions, file));
    }
    let mut out = Vec::new();
    for (role, file) in files {
        let path = place.base.join(file);
        let shown = format!("{}{file}", place.shown);
        let old = read(&path).map_err(|e| format!("{shown}: {e}"))?;
        let fail = |e: String| format!("{shown}: {e}");
        if role == Role::Instructions {
            if let Some(line) = old.as_deref().and_then(block::unclosed) {
                return Err(format!(
                    "{shown}: line {line}: a git-handoff:begin marker with no {} after it; delete that line or close the block",
                    block::END
                ));
            }
        }
        let new = match (role, remove, old.as_deref()) {
            (Role::Hooks, false, old) => Some(settings::install(runtime, old).map_err(fail)?),
            (Role::Hooks, true, Some(text)) => settings::remove(runtime, text).map_err(fail)?,
            (Role::Instructions, false, old) => Some(block::install(old)),
            (Role::Instructions, true, Some(text)) => block::remove(text),
            (_, true, None) => None,
        };
        out.push(Change {
            shown,
            path,
            role,
            old,
            new,
        });
    }
    Ok(out)
}
