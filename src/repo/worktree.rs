//! The tree of the work tree as it is: what `git add --all && git commit` would record. Made
//! with git itself on a scratch copy of the index, so `.gitignore`, attributes and filters apply
//! as they do for a commit and the real index is never touched.

use std::process::Command;

use super::{Oid, Repo};
use crate::error::UserError;

impl Repo {
    /// Returns the id of the tree the work tree holds now (HEAD's tree when it is clean); the
    /// blobs and trees are written to the object database.
    pub fn worktree_tree(&self) -> anyhow::Result<Oid> {
        let workdir = self.workdir().ok_or_else(|| {
            UserError::new("this repository has no work tree").hint("run it in a clone")
        })?;
        // gix may give both relative to the current directory; git runs in the work tree.
        let workdir = std::path::absolute(&workdir)?;
        let git_dir = std::path::absolute(self.git_dir())?;
        let scratch = Scratch(git_dir.join(format!(
            "handoff-index-{}-{}",
            std::process::id(),
            crate::clock::jitter(1 << 40)
        )));
        let index = scratch.0.clone();
        let real = git_dir.join("index");
        if real.exists() {
            std::fs::copy(&real, &index)?;
        }
        let git = |args: &[&str]| -> anyhow::Result<String> {
            let output = Command::new("git")
                .args(args)
                .current_dir(&workdir)
                .env("GIT_INDEX_FILE", &index)
                .env("LC_ALL", "C")
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(|e| UserError::new(format!("cannot run git: {e}")).hint("install git"))?;
            if !output.status.success() {
                return Err(UserError::new(format!(
                    "git {} failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr).trim()
                ))
                .hint("git status shows what is wrong with the work tree")
                .into());
            }
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        };
        git(&["add", "--all", "--", "."])?;
        let tree = git(&["write-tree"])?;
        Oid::from_hex(tree.as_bytes())
            .map_err(|e| anyhow::anyhow!("git write-tree printed {tree:?}: {e}"))
    }
}

/// A scratch index file, removed when dropped (also after an error).
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_file(self.0.with_extension("lock"));
    }
}
