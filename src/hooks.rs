//! Installing the hook shims politely: never clobber a hook we did not write, chain it instead,
//! and put back exactly what was there on uninstall.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The argument a direct shim's `#!` line passes: the binary then reads the hook's name from
/// the shim's file name.
pub const SHIM_COMMAND: &str = "hook-shim";

/// The running binary's path, when it can stand in a `#!` line: absolute, no white space, and
/// short enough for every kernel's limit on that line (127 bytes on older Linux). The name it
/// has on `PATH` is preferred to the resolved file (a package manager's link such as
/// `/opt/homebrew/bin/git-handoff` outlives the versioned directory it points into).
fn direct_interpreter() -> Option<String> {
    static CHOSEN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    CHOSEN.get_or_init(find_interpreter).clone()
}

fn find_interpreter() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let resolved = fs::canonicalize(&exe).unwrap_or_else(|_| exe.clone());
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .filter(|dir| dir.is_absolute())
            .map(|dir| dir.join("git-handoff"))
            .find(|candidate| fs::canonicalize(candidate).is_ok_and(|c| c == resolved))
    });
    let chosen = on_path.unwrap_or(exe);
    let chosen = chosen.to_str()?;
    let fits = chosen.starts_with('/')
        && !chosen.contains(char::is_whitespace)
        && chosen.len() + SHIM_COMMAND.len() + 3 <= 120;
    fits.then(|| chosen.to_string())
}

/// The binary a direct shim starts (from its `#!` line); `None` for a shell shim or another file.
pub fn shim_binary(path: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(path).ok()?;
    let first = text.lines().next()?;
    let interpreter = first
        .strip_prefix("#!")?
        .strip_suffix(SHIM_COMMAND)?
        .strip_suffix(' ')?;
    Some(PathBuf::from(interpreter))
}

/// The line that marks a shim as ours.
pub const MARKER: &str = "# git-handoff hook shim";
/// The suffix a chained (pre-existing) hook is kept under.
pub const CHAINED_SUFFIX: &str = ".handoff-chained";

/// The hooks git-handoff installs: one table for their names, shims and behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    PreCommit,
    CommitMsg,
    PostCommit,
    PostRewrite,
    PostMerge,
    PreMergeCommit,
    PrePush,
    PreReceive,
}

impl Hook {
    /// Every hook, in install order.
    pub const ALL: [Hook; 8] = [
        Hook::PreCommit,
        Hook::CommitMsg,
        Hook::PostCommit,
        Hook::PostRewrite,
        Hook::PostMerge,
        Hook::PreMergeCommit,
        Hook::PrePush,
        Hook::PreReceive,
    ];

    /// Returns the hook's name as git knows it, and its shim as shipped in `hooks/`.
    fn spec(self) -> (&'static str, &'static str) {
        match self {
            Hook::PreCommit => ("pre-commit", include_str!("../hooks/pre-commit")),
            Hook::CommitMsg => ("commit-msg", include_str!("../hooks/commit-msg")),
            Hook::PostCommit => ("post-commit", include_str!("../hooks/post-commit")),
            Hook::PostRewrite => ("post-rewrite", include_str!("../hooks/post-rewrite")),
            Hook::PostMerge => ("post-merge", include_str!("../hooks/post-merge")),
            Hook::PreMergeCommit => (
                "pre-merge-commit",
                include_str!("../hooks/pre-merge-commit"),
            ),
            Hook::PrePush => ("pre-push", include_str!("../hooks/pre-push")),
            Hook::PreReceive => ("pre-receive", include_str!("../hooks/pre-receive")),
        }
    }

    /// Returns the hook's name as git knows it.
    pub fn name(self) -> &'static str {
        self.spec().0
    }

    /// Returns the shim installed for it. `direct`: a file whose `#!` line starts this very
    /// binary (no shell in between: the kernel runs `git-handoff hook-shim <this file> <git's
    /// arguments>`), with the shell shim's lines below it for a tool that hands the file to `sh`.
    /// Otherwise, or where the binary's path cannot stand in a `#!` line, the shell shim shipped
    /// in `hooks/`, which finds `git-handoff` on PATH (a hooks directory in the work tree is
    /// shared through the repository: no one machine's path belongs in it).
    pub fn shim(self, direct: bool) -> String {
        let shell = self.spec().1;
        match direct.then(direct_interpreter).flatten() {
            Some(exe) => {
                let rest = shell.split_once('\n').map_or("", |(_, rest)| rest);
                format!(
                    "#!{exe} {SHIM_COMMAND}\n{rest}# git starts {exe} on this file, which runs the {} hook (a chained hook first);\n# the lines above run only when a tool hands this file to sh. If git cannot exec it,\n# that binary is gone: reinstall it there, or run `git handoff init` with yours.\n",
                    self.name()
                )
            }
            None => shell.to_string(),
        }
    }

    /// Finds a hook by name.
    pub fn named(name: &str) -> Option<Hook> {
        Hook::ALL.into_iter().find(|h| h.name() == name)
    }

    /// Returns true when the hook's failure stops git.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            Hook::PreCommit
                | Hook::CommitMsg
                | Hook::PreMergeCommit
                | Hook::PrePush
                | Hook::PreReceive
        )
    }

    /// Returns true when the hook runs where pushes are received (a bare repository), not
    /// where commits are made.
    pub fn on_server(self) -> bool {
        self == Hook::PreReceive
    }

    /// Returns true when git feeds the hook on stdin.
    pub fn reads_input(self) -> bool {
        matches!(self, Hook::PostRewrite | Hook::PrePush | Hook::PreReceive)
    }
}

/// What install or uninstall does to one hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Write the shim where there was no hook.
    Install,
    /// Our shim is there and current.
    Keep,
    /// Our shim is there but outdated: rewrite it.
    Refresh,
    /// A foreign hook is there: keep it as `<name>.handoff-chained` and run it first.
    Chain,
    /// A foreign hook is there and chaining is off (or a chained copy exists): leave it.
    Refuse,
    /// Remove our shim.
    Remove,
    /// Remove our shim and put the chained hook back.
    Restore,
}

/// One planned step.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub hook: &'static str,
    pub action: Action,
}

/// Returns true when `path` holds one of our shims.
pub fn is_ours(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|text| text.lines().take(3).any(|l| l.starts_with(MARKER)))
}

fn chained(dir: &Path, hook: &str) -> PathBuf {
    dir.join(format!("{hook}{CHAINED_SUFFIX}"))
}

/// Plans an install into `dir`: the server's hooks for a bare repository, the others for a
/// repository with a work tree; `direct`: shims that start this binary without a shell.
pub fn plan_install(dir: &Path, chain: bool, bare: bool, direct: bool) -> Vec<Step> {
    Hook::ALL
        .iter()
        .filter(|h| h.on_server() == bare)
        .map(|h| {
            let (hook, body) = (h.name(), h.shim(direct));
            let path = dir.join(hook);
            let action = if !path.exists() {
                Action::Install
            } else if is_ours(&path) {
                if fs::read_to_string(&path).is_ok_and(|t| t == body) {
                    Action::Keep
                } else {
                    Action::Refresh
                }
            } else if chain && !chained(dir, hook).exists() {
                Action::Chain
            } else {
                Action::Refuse
            };
            Step { hook, action }
        })
        .collect()
}

/// Plans an uninstall from `dir`: only our shims are touched.
pub fn plan_uninstall(dir: &Path) -> Vec<Step> {
    Hook::ALL
        .iter()
        .filter_map(|h| {
            let hook = h.name();
            let path = dir.join(hook);
            if !is_ours(&path) {
                return None;
            }
            let action = if chained(dir, hook).exists() {
                Action::Restore
            } else {
                Action::Remove
            };
            Some(Step { hook, action })
        })
        .collect()
}

/// Carries out planned steps.
pub fn apply(dir: &Path, steps: &[Step], direct: bool) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for step in steps {
        let path = dir.join(step.hook);
        let body = Hook::named(step.hook).map_or_else(String::new, |h| h.shim(direct));
        match step.action {
            Action::Install | Action::Refresh => write_executable(&path, &body)?,
            Action::Chain => {
                fs::rename(&path, chained(dir, step.hook))?;
                write_executable(&path, &body)?;
            }
            Action::Remove => fs::remove_file(&path)?,
            Action::Restore => fs::rename(chained(dir, step.hook), &path)?,
            Action::Keep | Action::Refuse => {}
        }
    }
    Ok(())
}

fn write_executable(path: &Path, body: &str) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let tmp = path.with_extension("handoff-new");
    fs::write(&tmp, body)?;
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))?;
    fs::rename(&tmp, path)
}

/// Returns the chained hook for `hook` in `dir`, if one is kept there and executable.
pub fn chained_hook(dir: &Path, hook: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = chained(dir, hook);
    let meta = fs::metadata(&path).ok()?;
    (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then_some(path)
}
