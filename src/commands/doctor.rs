//! `git handoff doctor`: what a runtime would see: the binary its hooks run, the git hooks, the
//! fetch refspecs that bring packets, and each runtime's setup; each problem with its fix.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::agents::health::{self, ScopeFiles, Seen};
use crate::agents::{Runtime, Scope};
use crate::cli::Format;
use crate::error::UserError;
use crate::hooks::Action;
use crate::output::Output;
use crate::repo::Repo;

#[derive(Debug, Args)]
pub struct DoctorArgs {}

/// One thing looked at.
#[derive(Serialize)]
struct Check {
    name: String,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

#[derive(Serialize)]
struct View {
    problems: usize,
    checks: Vec<Check>,
}

fn ok(name: &str, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        ok: true,
        detail: detail.into(),
        fix: None,
    }
}

fn problem(name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        ok: false,
        detail: detail.into(),
        fix: Some(fix.into()),
    }
}

pub fn cmd_doctor(_args: &DoctorArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let mut checks = vec![binary()];
    let repo = super::open().ok();
    match &repo {
        Some(repo) if !repo.is_bare() => {
            checks.push(git_hooks(repo));
            checks.push(refspecs(repo));
        }
        _ => checks.push(ok(
            "repository",
            "not in a work tree: only the user's setup is checked",
        )),
    }
    let root = repo
        .as_ref()
        .and_then(Repo::workdir)
        .and_then(|w| std::path::absolute(w).ok());
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    for runtime in Runtime::ALL {
        checks.extend(runtime_checks(runtime, root.as_deref(), home.as_deref()));
    }
    let view = View {
        problems: checks.iter().filter(|c| !c.ok).count(),
        checks,
    };
    if format == Format::Json {
        out.json(&view)?;
    } else {
        let mut text = String::new();
        for c in &view.checks {
            text.push_str(&format!(
                "{:<8} {}: {}\n",
                if c.ok { "ok" } else { "problem" },
                c.name,
                c.detail
            ));
            if let Some(fix) = &c.fix {
                text.push_str(&format!("         fix: {fix}\n"));
            }
        }
        out.data(&text)?;
    }
    if view.problems > 0 {
        return Err(UserError::refused(format!(
            "{} found",
            crate::output::count(view.problems, "problem", "problems")
        ))
        .hint("run each fix above, then git handoff doctor again")
        .into());
    }
    Ok(())
}

/// The binary the runtimes' hooks run: `git-handoff` as PATH finds it.
fn binary() -> Check {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("git-handoff"))
            .find(|p| is_executable(p))
    });
    let Some(found) = found else {
        return problem(
            "binary",
            "git-handoff is not on PATH, so no runtime hook can run it",
            "run ./install.sh, or add the directory holding git-handoff to PATH",
        );
    };
    let this = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let same = found.canonicalize().ok() == this;
    let detail = format!(
        "{} (the agent runtimes' hooks run git-handoff from PATH)",
        found.display()
    );
    if same {
        ok("binary", detail)
    } else {
        let running = this.map(|p| p.display().to_string()).unwrap_or_default();
        ok(
            "binary",
            format!("{detail}; this doctor runs {running}, a different copy"),
        )
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The git hooks: ours in every place, foreign ones chained.
fn git_hooks(repo: &Repo) -> Check {
    let dir = repo.hooks_dir();
    if let Some(manager) = crate::managers::Manager::owning(&dir) {
        let root = repo.workdir().unwrap_or_default();
        let name = manager.name();
        if manager.runs_handoff(&root, &dir) {
            return ok(
                "git hooks",
                format!("run by {name} ({})", manager.config_place(&root, &dir)),
            );
        }
        return problem(
            "git hooks",
            format!(
                "the hooks in {} are {name}'s and its configuration does not run git-handoff: no gate, no trailer, no notes",
                dir.display()
            ),
            format!("git handoff init --manager {name}"),
        );
    }
    let direct = !super::init::in_work_tree(repo, &dir);
    let steps = crate::hooks::plan_install(&dir, true, false, direct);
    // A shim that starts another copy of git-handoff works as long as that copy is there; one
    // whose binary is gone makes git fail with "cannot exec" on every commit.
    let mut started: Vec<PathBuf> = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    let missing: Vec<&str> = (steps.iter())
        .filter(|s| {
            if s.action == Action::Keep {
                return false;
            }
            match crate::hooks::shim_binary(&dir.join(s.hook)) {
                // Only outside the work tree: shared hook files must not name a machine's binary.
                Some(bin) if direct && s.action == Action::Refresh && is_executable(&bin) => {
                    if !started.contains(&bin) {
                        started.push(bin);
                    }
                    false
                }
                Some(bin) if !is_executable(&bin) => {
                    let bin = bin.display().to_string();
                    if !gone.contains(&bin) {
                        gone.push(bin);
                    }
                    true
                }
                _ => true,
            }
        })
        .map(|s| s.hook)
        .collect();
    if !gone.is_empty() {
        return problem(
            "git hooks",
            format!(
                "{} in {} start {}, which is gone: git cannot run them",
                missing.join(", "),
                dir.display(),
                gone.join(", ")
            ),
            "git handoff init   (points the hooks at this git-handoff)",
        );
    }
    if missing.is_empty() {
        let chained: Vec<&str> = (steps.iter())
            .filter(|s| crate::hooks::chained_hook(&dir, s.hook).is_some())
            .map(|s| s.hook)
            .collect();
        let mut detail = format!("{} installed in {}", steps.len(), dir.display());
        if !started.is_empty() {
            let names: Vec<String> = started.iter().map(|b| b.display().to_string()).collect();
            detail.push_str(&format!(", some starting {}", names.join(", ")));
        }
        if !chained.is_empty() {
            detail.push_str(&format!(", chaining {}", chained.join(", ")));
        }
        return ok("git hooks", detail);
    }
    problem(
        "git hooks",
        format!(
            "{} not installed or outdated in {}",
            missing.join(", "),
            dir.display()
        ),
        "git handoff init",
    )
}

/// The fetch refspecs that bring packets and notes with a plain `git fetch`.
fn refspecs(repo: &Repo) -> Check {
    let remotes = repo.remote_names();
    if remotes.is_empty() {
        return ok(
            "fetch refspecs",
            "no remote yet (after adding one, run git handoff init again so git fetch brings packets)",
        );
    }
    let mut missing = Vec::new();
    for remote in remotes {
        let have = repo.config_strings(&format!("remote.{remote}.fetch"));
        if crate::store::fetch_refspecs(&remote)
            .iter()
            .any(|s| !have.contains(s))
        {
            missing.push(remote);
        }
    }
    if missing.is_empty() {
        return ok(
            "fetch refspecs",
            "every remote brings packets with git fetch",
        );
    }
    problem(
        "fetch refspecs",
        format!("git fetch from {} brings no packets", missing.join(", ")),
        "git handoff init",
    )
}

/// The runtime's setup, one check (set up or not, and each problem).
fn runtime_checks(runtime: Runtime, root: Option<&Path>, home: Option<&Path>) -> Vec<Check> {
    let mut scopes = Vec::new();
    for (scope, base, prefix) in [(Scope::Project, root, ""), (Scope::User, home, "~/")] {
        let Some(base) = base else { continue };
        let seen = |file: &str| Seen {
            shown: format!("{prefix}{file}"),
            text: super::setup::read(&base.join(file)).ok().flatten(),
        };
        let mut hooks = vec![seen(runtime.hooks_file(scope))];
        hooks.extend(runtime.also_read(scope).iter().map(|f| seen(f)));
        scopes.push(ScopeFiles {
            scope,
            hooks,
            instructions: runtime.instructions_file(scope).map(seen),
        });
    }
    let h = health::health(runtime, &scopes);
    let name = runtime.name();
    let mut checks = Vec::new();
    if h.problems.is_empty() {
        let detail = match h.installed.first() {
            None => format!("not set up (git handoff setup {name})"),
            Some(Scope::Project) => "set up for this project".into(),
            Some(Scope::User) => "set up for the user".into(),
        };
        checks.push(ok(name, detail));
    }
    for (detail, fix) in h.problems {
        checks.push(problem(name, detail, fix));
    }
    checks
}
