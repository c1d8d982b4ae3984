//! The repository: discovery, HEAD, identity and revision resolution (gix lives here and in store/).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error::UserError;

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

    /// Completes an opened repository: pushed objects in quarantine, object cache, `git -c`.
    fn wrap(mut git: gix::Repository) -> anyhow::Result<Repo> {
        let scratch = match std::env::var_os("GIT_QUARANTINE_PATH") {
            Some(quarantine) => Some(see_quarantine(&mut git, Path::new(&quarantine))?),
            None => None,
        };
        git.object_cache_size_if_unset(8 * 1024 * 1024);
        Ok(Repo {
            git,
            scratch,
            overrides: command_line_config(),
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

    /// Returns the writer's git identity as "Name <email>" (author identity first, as git does).
    pub fn identity(&self) -> anyhow::Result<String> {
        let signature = match self.git.author() {
            Some(Ok(sig)) => Some(sig),
            _ => self.git.committer().and_then(Result::ok),
        };
        match signature {
            Some(sig) if !sig.name.is_empty() && !sig.email.is_empty() => {
                Ok(format!("{} <{}>", sig.name, sig.email))
            }
            _ => Err(UserError::new("no git identity: user.name and user.email are not set")
                .hint("git config user.name \"Your Name\" && git config user.email you@example.com")
                .into()),
        }
    }

    /// Resolves a revision to a commit, or `None` when it names nothing.
    pub fn resolve_commit(&self, spec: &str) -> Option<Oid> {
        let id = self.git.rev_parse_single(spec).ok()?;
        let object = id.object().ok()?;
        let commit = object.peel_to_commit().ok()?;
        Some(commit.id)
    }

    /// Returns the tree id of a commit.
    pub fn tree_of(&self, commit: Oid) -> anyhow::Result<Oid> {
        let commit = self.git.find_commit(commit).context("cannot read commit")?;
        Ok(commit
            .tree_id()
            .context("cannot read commit tree")?
            .detach())
    }

    /// Reads a string from git configuration.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.override_of(key).last().cloned().or_else(|| {
            self.git
                .config_snapshot()
                .string(key)
                .map(|v| v.to_string())
        })
    }

    fn override_of(&self, key: &str) -> Vec<String> {
        self.overrides
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Lists the variable names set in a configuration section (`handoff` → `exempt`, `maxhops` …).
    pub fn config_names(&self, section: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .git
            .config_snapshot()
            .plumbing()
            .sections_by_name(section)
            .into_iter()
            .flatten()
            .flat_map(|s| s.body().value_names().collect::<Vec<_>>())
            .collect();
        let prefix = format!("{section}.");
        for (key, _) in &self.overrides {
            // `get` and not slicing: a key may hold multi-byte characters anywhere.
            if let (Some(head), Some(rest)) = (key.get(..prefix.len()), key.get(prefix.len()..)) {
                if head.eq_ignore_ascii_case(&prefix) && !rest.is_empty() {
                    names.push(rest.to_string());
                }
            }
        }
        names
    }

    /// Lists the commits of a range (`A..B`, or one revision for all its ancestors), newest first.
    pub fn commits(&self, range: &str) -> anyhow::Result<Vec<Oid>> {
        self.commits_limited(range, usize::MAX)
    }

    /// Lists at most `limit` commits of a range, newest first, without walking further.
    pub fn commits_limited(&self, range: &str, limit: usize) -> anyhow::Result<Vec<Oid>> {
        self.walk(range, limit, true)
    }

    /// Lists the commits of a range in no particular order (the cheapest walk: no date queue).
    pub fn commit_set(&self, range: &str) -> anyhow::Result<Vec<Oid>> {
        self.walk(range, usize::MAX, false)
    }

    fn walk(&self, range: &str, limit: usize, by_date: bool) -> anyhow::Result<Vec<Oid>> {
        use gix::revision::plumbing::Spec;
        if range.contains("HEAD") && self.resolve_commit("HEAD").is_none() {
            return Err(UserError::new("HEAD has no commits yet")
                .hint("commit first, or name a revision or range")
                .into());
        }
        let spec = self
            .git
            .rev_parse(range)
            .map_err(|e| {
                UserError::new(format!("cannot resolve {range:?}: {e}"))
                    .hint("give a revision or a range such as main..HEAD")
            })?
            .detach();
        let (tips, hidden) = match spec {
            Spec::Include(to) => (vec![to], vec![]),
            Spec::Range { from, to } => (vec![to], vec![from]),
            _ => {
                return Err(
                    UserError::new(format!("unsupported revision range {range:?}"))
                        .hint("use REV or A..B")
                        .into(),
                )
            }
        };
        let tips = self.peel_all(tips)?;
        let hidden = self.peel_all(hidden)?;
        let walk = self
            .git
            .rev_walk(tips)
            .with_hidden(hidden)
            .sorting(if by_date {
                gix::revision::walk::Sorting::ByCommitTime(
                    gix::traverse::commit::simple::CommitTimeOrder::default(),
                )
            } else {
                gix::revision::walk::Sorting::BreadthFirst
            })
            .all()
            .context("cannot walk history")?;
        let mut out = Vec::new();
        for info in walk.take(limit) {
            out.push(info.context("cannot walk history")?.id);
        }
        Ok(out)
    }

    /// Returns a commit's message.
    pub fn message_of(&self, commit: Oid) -> anyhow::Result<String> {
        let commit = self.git.find_commit(commit).context("cannot read commit")?;
        Ok(commit.message_raw_sloppy().to_string())
    }

    /// Returns a commit's parents.
    pub fn parents_of(&self, commit: Oid) -> anyhow::Result<Vec<Oid>> {
        let commit = self.git.find_commit(commit).context("cannot read commit")?;
        Ok(commit.parent_ids().map(gix::Id::detach).collect())
    }

    /// Returns true while a merge waits to be committed.
    pub fn merge_in_progress(&self) -> bool {
        self.git.git_dir().join("MERGE_HEAD").exists()
    }

    /// Reads a boolean from git configuration; a value git would reject is an error.
    pub fn config_bool(&self, key: &str) -> anyhow::Result<Option<bool>> {
        if let Some(value) = self.override_of(key).last() {
            return crate::policy::parse_bool(value).map(Some).ok_or_else(|| {
                UserError::new(format!("git config {key}: {value:?} is not a boolean"))
                    .hint(format!("set it to true or false: git -c {key}=false …"))
                    .into()
            });
        }
        self.git.config_snapshot().try_boolean(key).map_err(|e| {
            UserError::new(format!("git config {key}: {e}"))
                .hint(format!("set it to true or false: git config {key} false"))
                .into()
        })
    }

    /// Reads every value of a multi-valued git configuration key.
    pub fn config_strings(&self, key: &str) -> Vec<String> {
        let overrides = self.override_of(key);
        if !overrides.is_empty() {
            return overrides;
        }
        self.git
            .config_snapshot()
            .plumbing()
            .strings(key)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
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

    /// Returns true when `ancestor` is `descendant` or reachable from it. Walks the history of
    /// `descendant` (packet chains and notes histories are short), independent of commit dates.
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> anyhow::Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        let walk = self
            .git
            .rev_walk([descendant])
            .all()
            .context("cannot walk history")?;
        for info in walk {
            if info.context("cannot walk history")?.id == ancestor {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Returns the best common ancestor of two commits, if they have one.
    pub fn merge_base(&self, a: Oid, b: Oid) -> anyhow::Result<Option<Oid>> {
        Ok(self
            .git
            .merge_base(a, b)
            .context("cannot find a merge base")?
            .map(gix::Id::detach))
    }

    /// Returns true when `path` (a file or directory) exists in the tree of `commit`.
    pub fn path_exists(&self, commit: Oid, path: &str) -> anyhow::Result<bool> {
        let tree = self
            .git
            .find_commit(commit)
            .context("cannot read commit")?
            .tree()
            .context("cannot read tree")?;
        let path = path.trim_start_matches("./").trim_end_matches('/');
        if path.is_empty() || path.split('/').any(|c| c == ".." || c.is_empty()) {
            return Ok(false);
        }
        Ok(tree
            .lookup_entry_by_path(path)
            .context("cannot look up a path")?
            .is_some())
    }

    /// Reads a text file from the tree of `commit` (`None` when absent or not UTF-8).
    pub fn read_path(&self, commit: Oid, path: &str) -> anyhow::Result<Option<String>> {
        let tree = self
            .git
            .find_commit(commit)
            .context("cannot read commit")?
            .tree()
            .context("cannot read tree")?;
        let Some(entry) = tree
            .lookup_entry_by_path(path)
            .context("cannot look up a path")?
        else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let blob = self
            .git
            .find_blob(entry.object_id())
            .context("cannot read blob")?;
        Ok(String::from_utf8(blob.data.clone()).ok())
    }

    /// Lists the configured remotes.
    pub fn remote_names(&self) -> Vec<String> {
        self.git
            .remote_names()
            .into_iter()
            .map(|n| n.to_string())
            .collect()
    }

    /// Returns the directory to run git commands in: the work tree, else the git directory.
    pub fn run_dir(&self) -> PathBuf {
        self.workdir()
            .unwrap_or_else(|| self.git_dir().to_path_buf())
    }

    fn peel_all(&self, ids: Vec<Oid>) -> anyhow::Result<Vec<Oid>> {
        ids.into_iter()
            .map(|id| {
                self.resolve_commit(&id.to_string())
                    .ok_or_else(|| anyhow::anyhow!("{id} is not a commit"))
            })
            .collect()
    }
}

/// Parses `GIT_CONFIG_PARAMETERS`: `'key'='value'` (or older `'key=value'`) entries, single-quoted
/// with `'\''` for a quote, separated by spaces.
fn command_line_config() -> Vec<(String, String)> {
    let Ok(text) = std::env::var("GIT_CONFIG_PARAMETERS") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut current, mut key, mut quoted) = (String::new(), None::<String>, false);
    let mut flush = |current: &mut String, key: &mut Option<String>| {
        let entry = std::mem::take(current);
        match key.take() {
            Some(k) => out.push((k, entry)),
            None if !entry.is_empty() => {
                let (k, v) = entry.split_once('=').unwrap_or((entry.as_str(), "true"));
                out.push((k.to_string(), v.to_string()));
            }
            None => {}
        }
    };
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => current.extend(chars.next()),
            '=' if !quoted && key.is_none() => key = Some(std::mem::take(&mut current)),
            ' ' if !quoted => flush(&mut current, &mut key),
            c => current.push(c),
        }
    }
    flush(&mut current, &mut key);
    out
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

fn short_branch(full: String) -> String {
    full.strip_prefix("refs/heads/")
        .map_or(full.clone(), ToOwned::to_owned)
}
