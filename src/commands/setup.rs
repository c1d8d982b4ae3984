//! `git handoff setup <runtime>…`: install (or `--remove`) the agent runtime hooks that call
//! `git handoff agent …`, and the managed block in the instructions file the runtime reads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::agents::plan::{self, Change, Place, Role};
use crate::agents::{Runtime, Scope};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub struct SetupArgs {
    /// The runtimes to set up
    #[arg(value_enum, required = true, value_name = "RUNTIME")]
    pub runtimes: Vec<Runtime>,
    /// Write the repository's own config files (the default)
    #[arg(long, conflicts_with = "user")]
    pub project: bool,
    /// Write the user's config files (in the home directory) instead
    #[arg(long)]
    pub user: bool,
    /// Print the diff that would be applied and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove our hooks and managed blocks (and any file or container left empty)
    #[arg(long)]
    pub remove: bool,
}

/// One file in the report.
#[derive(Serialize)]
struct FileView {
    path: String,
    role: Role,
    action: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    diff: String,
}

/// The report of one runtime.
#[derive(Serialize)]
struct RuntimeView {
    runtime: &'static str,
    scope: &'static str,
    files: Vec<FileView>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct View {
    dry_run: bool,
    remove: bool,
    runtimes: Vec<RuntimeView>,
}

pub fn cmd_setup(args: &SetupArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let scope = if args.user {
        Scope::User
    } else {
        Scope::Project
    };
    let (base, shown) = base_of(scope)?;
    let place = Place {
        scope,
        base: &base,
        shown: &shown,
    };
    // Every runtime's plan first, each reading what the ones before it would leave: a file
    // that cannot be edited stops all before any write.
    let runtimes = dedup(&args.runtimes);
    let mut overlay: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut plans = Vec::new();
    for runtime in &runtimes {
        let read_now = |path: &Path| match overlay.get(path) {
            Some(text) => Ok(text.clone()),
            None => read(path),
        };
        let mut changes = plan::plan(*runtime, &place, args.remove, read_now).map_err(|e| {
            UserError::new(format!("cannot set up {}: {e}", runtime.title()))
                .hint("fix the file and run setup again; nothing was written")
        })?;
        let mut notes = notes(*runtime, args.remove);
        if args.remove {
            keep_shared_block(*runtime, &runtimes, &place, &mut changes, &mut notes);
        }
        for c in &changes {
            overlay.insert(c.path.clone(), c.new.clone());
        }
        plans.push((*runtime, changes, notes));
    }
    let mut view = View {
        dry_run: args.dry_run,
        remove: args.remove,
        runtimes: Vec::new(),
    };
    for (runtime, changes, notes) in plans {
        if !args.dry_run {
            apply(&changes, &base)?;
        }
        view.runtimes.push(RuntimeView {
            runtime: runtime.name(),
            scope: scope_name(scope),
            files: changes.iter().map(file_view).collect(),
            notes,
        });
    }
    report(&view, format, out)
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Project => "project",
        Scope::User => "user",
    }
}

/// The runtimes named, each once.
fn dedup(runtimes: &[Runtime]) -> Vec<Runtime> {
    let mut out: Vec<Runtime> = Vec::new();
    for r in runtimes {
        if !out.contains(r) {
            out.push(*r);
        }
    }
    out
}

/// Where the files of `scope` are, and how their names are shown.
pub(crate) fn base_of(scope: Scope) -> anyhow::Result<(PathBuf, String)> {
    match scope {
        Scope::User => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .ok_or_else(|| {
                    UserError::new("HOME is not set, so there is no user configuration to write")
                        .hint(
                            "set HOME, or set up the project instead: git handoff setup <runtime>",
                        )
                })?;
            Ok((PathBuf::from(home), "~/".into()))
        }
        Scope::Project => {
            let repo = super::open().map_err(|e| {
                UserError::new(format!("{e:#}")).hint(
                    "run setup inside the repository, or give --user for your own configuration",
                )
            })?;
            let root = repo.workdir().ok_or_else(|| {
                UserError::new("this is a bare repository; runtimes read the config of a work tree")
                    .hint("run setup in a clone, or give --user")
            })?;
            Ok((std::path::absolute(root)?, String::new()))
        }
    }
}

/// Reads a file's text; `None` when it does not exist.
pub(crate) fn read(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "the file is not UTF-8 text".to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

fn apply(changes: &[Change], base: &Path) -> anyhow::Result<()> {
    for c in changes {
        let result = match (&c.old, &c.new) {
            (old, new) if old == new => Ok(()),
            (_, Some(text)) => crate::atomic::write(&c.path, text),
            (_, None) => crate::atomic::remove(&c.path, base),
        };
        result.map_err(|e| {
            UserError::new(format!("cannot write {}: {e}", c.shown))
                .hint("check the file's permissions and run setup again")
        })?;
    }
    Ok(())
}

fn file_view(c: &Change) -> FileView {
    FileView {
        path: c.shown.clone(),
        role: c.role,
        action: c.action(),
        diff: crate::textdiff::unified(&c.shown, c.old.as_deref(), c.new.as_deref()),
    }
}

/// On removal, keeps the managed block in an instructions file that another runtime, set up and
/// not being removed, reads too.
fn keep_shared_block(
    runtime: Runtime,
    removing: &[Runtime],
    place: &Place<'_>,
    changes: &mut [Change],
    notes: &mut Vec<String>,
) {
    let Some(file) = runtime.instructions_file(place.scope) else {
        return;
    };
    let users: Vec<&str> = (Runtime::ALL.iter())
        .filter(|r| !removing.contains(r) && r.instructions_file(place.scope) == Some(file))
        .filter(|r| {
            let hooks = place.base.join(r.hooks_file(place.scope));
            read(&hooks).ok().flatten().is_some_and(|text| {
                crate::agents::settings::count(**r, &text)
                    .is_ok_and(|counts| counts.iter().any(|(_, n)| *n > 0))
            })
        })
        .map(|r| r.name())
        .collect();
    if users.is_empty() {
        return;
    }
    for c in changes.iter_mut().filter(|c| c.role == Role::Instructions) {
        c.new.clone_from(&c.old);
        notes.push(format!(
            "{} keeps its managed block, also read by {}",
            c.shown,
            users.join(", ")
        ));
    }
}

/// What the user must know beyond the files.
fn notes(runtime: Runtime, remove: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if remove {
        return notes;
    }
    if runtime == Runtime::Gemini {
        notes.push(
            "Gemini runs hooks only in folders you trust (its folder trust is on by default): trust this one when Gemini asks".into(),
        );
    }
    if runtime == Runtime::Codex {
        notes.push(
            "Codex runs these hooks only once you trust them: open /hooks in Codex and trust the git-handoff entries (setup does not write trust for you)".into(),
        );
    }
    notes
}

fn report(view: &View, format: Format, out: &Output) -> anyhow::Result<()> {
    if format == Format::Json {
        return out.json(view);
    }
    let verb = |action: &str| match (view.dry_run, action) {
        (true, "create") => "would create",
        (true, "update") => "would update",
        (true, "delete") => "would delete",
        (false, "create") => "created",
        (false, "update") => "updated",
        (false, "delete") => "deleted",
        _ => "unchanged",
    };
    let mut diffs = String::new();
    for r in &view.runtimes {
        for f in &r.files {
            out.status(&format!("{}: {} {}", r.runtime, verb(f.action), f.path));
            if view.dry_run {
                diffs.push_str(&f.diff);
            }
        }
        for note in &r.notes {
            out.hint(note);
        }
    }
    if !diffs.is_empty() {
        out.data(&diffs)?;
    }
    Ok(())
}
