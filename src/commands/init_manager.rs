//! `git handoff init --manager <husky|lefthook|pre-commit>`: run git-handoff through the hook
//! manager that owns the hooks, its own way.

use serde::Serialize;

use crate::cli::Format;
use crate::error::UserError;
use crate::managers::{self, Added, Manager};
use crate::output::Output;
use crate::repo::Repo;

#[derive(Serialize)]
struct View {
    manager: &'static str,
    dry_run: bool,
    /// husky: the scripts written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scripts: Vec<Added>,
    /// lefthook and pre-commit: the lines for the configuration, where they go, and the
    /// command to run afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    then_run: Option<String>,
    already_configured: bool,
}

pub fn integrate(
    repo: &Repo,
    manager: Manager,
    owner: Option<Manager>,
    dry_run: bool,
    out: &Output,
) -> anyhow::Result<()> {
    let format = out.format()?;
    let Some(root) = repo.workdir() else {
        return Err(UserError::new("a bare repository has no hook manager")
            .hint("git handoff init installs the server's hooks")
            .into());
    };
    let dir = repo.hooks_dir();
    if let Some(other) = owner.filter(|o| *o != manager) {
        return Err(UserError::refused(format!(
            "the hooks in {} are {}'s, not {}'s",
            dir.display(),
            other.name(),
            manager.name()
        ))
        .hint(format!("git handoff init --manager {}", other.name()))
        .into());
    }
    if manager == Manager::Husky && owner.is_none() {
        return Err(UserError::refused(format!(
            "husky is not installed in this repository (no husky dispatcher in {})",
            dir.display()
        ))
        .hint("run npx husky first (it sets core.hooksPath to .husky/_), then git handoff init --manager husky")
        .into());
    }
    let already = manager.runs_handoff(&root, &dir);
    let mut view = View {
        manager: manager.name(),
        dry_run,
        scripts: Vec::new(),
        lines: None,
        config: None,
        then_run: None,
        already_configured: already,
    };
    if manager == Manager::Husky {
        view.scripts = managers::add_to_husky(&dir, dry_run).map_err(|e| match e {
            managers::HuskyError::InPackageJson => UserError::refused(
                "this husky (version 4) keeps its steps in package.json, which init does not edit",
            )
            .hint("add \"git-handoff hook <name>\" to each hook in package.json's husky section, or upgrade husky"),
            managers::HuskyError::Link(path) => UserError::refused(format!(
                "{} is a link: adding git-handoff's line would change every hook sharing it",
                path.display()
            ))
            .hint("replace the link with a script of its own, then run init --manager husky again"),
            managers::HuskyError::Io(e) => UserError::new(format!("cannot write husky's scripts: {e}"))
                .hint("check the permissions of the .husky directory"),
        })?;
    } else {
        view.lines = manager.snippet();
        view.config = Some(manager.config_place(&root, &dir));
        view.then_run = manager.install_command();
    }
    if format == Format::Json {
        return out.json(&view);
    }
    if manager == Manager::Husky {
        let lines: String = view
            .scripts
            .iter()
            .map(|a| {
                let label = if dry_run {
                    // The plan, in the form of the other dry runs: `would add line`.
                    let verb = match a.action {
                        "created" => "create",
                        "added" => "add line",
                        _ => "keep",
                    };
                    format!("would {verb}")
                } else {
                    a.action.to_string()
                };
                format!("{label:<14} {}\n", a.path)
            })
            .collect();
        if dry_run {
            return out.data(&lines);
        }
        out.status(lines.trim_end());
        if !already {
            out.status("husky runs git-handoff now; commit the .husky scripts for everyone");
            out.status("everyone who commits then needs git-handoff on PATH: without it, husky's pre-commit fails and the commit is blocked");
        }
        return Ok(());
    }
    out.data(view.lines.as_deref().unwrap_or_default())?;
    let config = view.config.unwrap_or_default();
    if already {
        out.status(&format!("{config} already runs git-handoff"));
    } else if std::path::Path::new(&config).is_file() {
        // YAML keeps the last of two equal keys: appended as they are, the lines would replace
        // the file's own `repos:` (or `pre-commit:`, …) and switch its hooks off without a word.
        out.status(&format!(
            "merge these lines into {config}: put each entry under the section the file already has (a second `repos:` or `pre-commit:` key would silently replace the first)"
        ));
    } else {
        out.status(&format!("add these lines to {config}"));
    }
    if let Some(command) = view.then_run {
        out.status(&format!("then run: {command}"));
    }
    Ok(())
}
