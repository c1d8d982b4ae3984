//! The repository: discovery, HEAD, identity and revision resolution (gix lives here and in store/).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error::UserError;

mod changes;
mod config;
mod history;
mod identity;
mod worktree;

pub use changes::Touched;
pub use identity::Role;

/// An object id (SHA-1 or SHA-256).
pub type Oid = gix::ObjectId;

/// An open repository.
pub struct Repo {
    pub(crate) git: gix::Repository,
    /// `git -c key=value` settings, which git passes in `GIT_CONFIG_PARAMETERS` (gix reads only
    /// `GIT_CONFIG_COUNT`); they win over every file.
    overrides: Vec<(String, String)>,
    /// A scratch object directory joining a push's quarantine with the repository's objects.
    scratch: Option<PathBuf>,
}

/// What a reader thread opens its own handle from (gix handles stay on their thread).
pub struct Seed {
    git_dir: PathBuf,
}

impl Seed {
    /// The thread's own handle on the repository.
    pub fn open(&self) -> anyhow::Result<Repo> {
        Repo::open_git_dir(&self.git_dir)
    }
}

impl Repo {
    /// A seed for reader threads; none inside a push's quarantine, whose objects only this
    /// handle sees.
    pub fn seed(&self) -> Option<Seed> {
        self.scratch.is_none().then(|| Seed {
            git_dir: self.git_dir().to_path_buf(),
        })
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Returns true when `name` is a branch name git accepts (`git check-ref-format --branch`): a
/// valid ref name under `refs/heads/`, not `HEAD`, not starting with `-`, and not `@`.
pub fn is_branch_name(name: &str) -> bool {
    name != "HEAD"
        && name != "@"
        && !name.starts_with('-')
        && !name.contains("@{")
        && gix::refs::FullName::try_from(format!("refs/heads/{name}")).is_ok()
}

/// What HEAD points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch; `commit` is `None` while the branch is unborn.
    Branch { name: String, commit: Option<Oid> },
    /// Detached at a commit.
    Detached(Oid),
}

impl Repo {
    /// Returns the fingerprint that allow-lists a string the secret scan found: `<rule>:` and
    /// 16 hex digits of the string's git blob id (`printf %s TEXT | git hash-object --stdin`).
    pub fn secret_fingerprint(&self, rule: &str, text: &str) -> String {
        let id = gix::objs::compute_hash(
            self.git.object_hash(),
            gix::objs::Kind::Blob,
            text.as_bytes(),
        )
        .map_or_else(|_| "0".repeat(16), |id| id.to_hex_with_len(16).to_string());
        format!("{rule}:{id}")
    }

    /// Finds the repository containing the current directory, honouring `GIT_DIR` and friends.
    pub fn discover() -> anyhow::Result<Repo> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let git = gix::ThreadSafeRepository::discover_with_environment_overrides(".")
            .map_err(|err| {
                let reason = format!("{err:#}");
                if reason.contains("NoGitRepository")
                    || reason.contains("Could not find a git repository")
                    || reason.contains("not a git repository")
                {
                    UserError::new(format!(
                        "not a git repository (or any parent up to /): {}",
                        cwd.display()
                    ))
                    .hint("run it inside a repository, or point at one with -C <path>")
                } else {
                    UserError::new(format!(
                        "cannot open the repository at {}: {reason}",
                        cwd.display()
                    ))
                    .hint("check it with git status; git-handoff reads what git reads")
                }
            })?
            .to_thread_local();
        if git.git_dir_trust() != gix::sec::Trust::Full {
            let dir = git
                .workdir()
                .unwrap_or_else(|| git.git_dir())
                .display()
                .to_string();
            return Err(UserError::new(format!(
                "detected dubious ownership in repository at {dir}"
            ))
            .hint(format!(
                "if you trust it: git config --global --add safe.directory {dir}"
            ))
            .into());
        }
        Repo::wrap(git)
    }

    /// Opens the repository at `git_dir` again, as [`Repo::discover`] would (for another thread).
    pub fn open_git_dir(git_dir: &Path) -> anyhow::Result<Repo> {
        Repo::wrap(
            gix::open(git_dir).with_context(|| format!("cannot open {}", git_dir.display()))?,
        )
    }

    /// Completes an opened repository: pushed objects in quarantine, object caches, `git -c`.
    fn wrap(mut git: gix::Repository) -> anyhow::Result<Repo> {
        let scratch = match std::env::var_os("GIT_QUARANTINE_PATH") {
            Some(quarantine) => Some(see_quarantine(&mut git, Path::new(&quarantine))?),
            None => None,
        };
        git.object_cache_size_if_unset(8 * 1024 * 1024);
        // Bases of recently resolved deltas: packet revisions are stored as deltas of each other.
        git.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::new(
                16 * 1024 * 1024,
            ))
        });
        Ok(Repo {
            git,
            scratch,
            overrides: config::command_line_config(),
        })
    }

    /// Returns true for a repository without a work tree.
    pub fn is_bare(&self) -> bool {
        self.git.is_bare()
    }

    /// Returns the directory shared by all worktrees (where hooks and shared refs live).
    pub fn common_dir(&self) -> &Path {
        self.git.common_dir()
    }

    /// Returns this worktree's private git directory.
    pub fn git_dir(&self) -> &Path {
        self.git.git_dir()
    }

    /// Returns the work tree root, if any.
    pub fn workdir(&self) -> Option<PathBuf> {
        self.git.workdir().map(Path::to_path_buf)
    }

    /// Reads HEAD.
    pub fn head(&self) -> anyhow::Result<Head> {
        let head = self.git.head().context("cannot read HEAD")?;
        Ok(match head.kind {
            gix::head::Kind::Symbolic(reference) => Head::Branch {
                name: short_branch(reference.name.as_bstr().to_string()),
                commit: reference.target.try_id().map(ToOwned::to_owned),
            },
            gix::head::Kind::Unborn(name) => Head::Branch {
                name: short_branch(name.as_bstr().to_string()),
                commit: None,
            },
            gix::head::Kind::Detached { target, .. } => Head::Detached(target),
        })
    }

    /// Resolves a revision to a commit, or `None` when it names nothing.
    pub fn resolve_commit(&self, spec: &str) -> Option<Oid> {
        let id = self.git.rev_parse_single(spec).ok()?;
        let object = id.object().ok()?;
        let commit = object.peel_to_commit().ok()?;
        Some(commit.id)
    }

    /// Returns true when `name` is a local branch (`refs/heads/<name>` exists).
    pub fn is_branch(&self, name: &str) -> bool {
        self.git
            .try_find_reference(format!("refs/heads/{name}").as_str())
            .is_ok_and(|r| r.is_some())
    }

    /// Returns the tree id of a commit.
    pub fn tree_of(&self, commit: Oid) -> anyhow::Result<Oid> {
        let commit = self.git.find_commit(commit).context("cannot read commit")?;
        Ok(commit
            .tree_id()
            .context("cannot read commit tree")?
            .detach())
    }

    /// Returns true while a merge waits to be committed.
    pub fn merge_in_progress(&self) -> bool {
        self.git.git_dir().join("MERGE_HEAD").exists()
    }

    /// Returns the directory git runs hooks from: `core.hooksPath`, else the common `hooks/`.
    pub fn hooks_dir(&self) -> PathBuf {
        let dir = match self
            .config_string("core.hooksPath")
            .filter(|p| !p.is_empty())
        {
            Some(path) => {
                let path = match path.strip_prefix("~/") {
                    Some(rest) => std::env::var_os("HOME")
                        .map_or_else(|| PathBuf::from(&path), |h| PathBuf::from(h).join(rest)),
                    None => PathBuf::from(&path),
                };
                if path.is_absolute() {
                    path
                } else {
                    self.workdir()
                        .unwrap_or_else(|| self.git_dir().to_path_buf())
                        .join(path)
                }
            }
            None => self.common_dir().join("hooks"),
        };
        std::fs::canonicalize(&dir).unwrap_or(dir)
    }

    /// Returns the directory to run git commands in: the work tree, else the git directory.
    pub fn run_dir(&self) -> PathBuf {
        self.workdir()
            .unwrap_or_else(|| self.git_dir().to_path_buf())
    }
}

/// Inside a server-side hook, git keeps the pushed objects in a quarantine directory (named by
/// `GIT_QUARANTINE_PATH`) until the hook accepts them. gix does not read git's object-directory
/// variables, so open an object store whose alternates are the quarantine and the repository's
/// own objects. Returns the scratch directory to remove when done.
fn see_quarantine(git: &mut gix::Repository, quarantine: &Path) -> anyhow::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let scratch = std::env::temp_dir().join(format!(
        "git-handoff-quarantine-{}-{nanos}",
        std::process::id()
    ));
    let info = scratch.join("info");
    std::fs::create_dir_all(&info).context("cannot create a scratch object directory")?;
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let alternates = format!(
        "{}\n{}\n",
        absolute(quarantine).display(),
        absolute(&git.common_dir().join("objects")).display()
    );
    std::fs::write(info.join("alternates"), alternates)
        .context("cannot write scratch alternates")?;
    let handle =
        gix::odb::at(&scratch, git.object_hash()).context("cannot open the pushed objects")?;
    git.objects = gix::odb::memory::Proxy::new(handle, git.object_hash());
    Ok(scratch)
}

/// Abbreviates an object id (or its hex) to 12 characters for messages.
pub fn short(id: impl std::fmt::Display) -> String {
    id.to_string().chars().take(12).collect()
}

fn short_branch(full: String) -> String {
    full.strip_prefix("refs/heads/")
        .map_or(full.clone(), ToOwned::to_owned)
}
