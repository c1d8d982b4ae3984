//! Commit history: ranges, ancestry, messages and paths at a commit.

use anyhow::Context;

use super::{Oid, Repo};
use crate::error::UserError;

impl Repo {
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

    fn peel_all(&self, ids: Vec<Oid>) -> anyhow::Result<Vec<Oid>> {
        ids.into_iter()
            .map(|id| {
                self.resolve_commit(&id.to_string())
                    .ok_or_else(|| anyhow::anyhow!("{id} is not a commit"))
            })
            .collect()
    }
}
