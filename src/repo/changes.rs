//! Which tracked files were touched after a moment: what an agent runtime's stop hook asks
//! ("did the work tree change since the packet's latest revision?"). Read from the index's stat
//! data and the files' modification times, as git's own quick check does, without hashing
//! contents or walking untracked directories, so it stays fast on large trees. A new file counts
//! once it is added (`git add`); a deleted file counts by its directory's modification time.

use std::time::UNIX_EPOCH;

use anyhow::Context;
use gix::bstr::ByteSlice;

use super::Repo;

/// A tracked file touched after the moment asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The path from the root of the work tree.
    pub path: String,
    /// When it was touched (seconds since the epoch).
    pub at: i64,
    /// Its size, for telling two states apart (0 when deleted).
    pub size: u64,
}

fn seconds(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

impl Repo {
    /// Returns the tracked files whose work-tree copy differs from the index, or whose staged
    /// copy differs from HEAD's, and that were touched after `since` (seconds since the epoch).
    /// Empty without a work tree.
    pub fn touched_since(&self, since: i64) -> anyhow::Result<Vec<Touched>> {
        let Some(workdir) = self.git.workdir().map(std::path::Path::to_path_buf) else {
            return Ok(Vec::new());
        };
        let index = self.git.index_or_empty().context("cannot read the index")?;
        let head_tree = self.git.head_tree().ok();
        let mut out = Vec::new();
        for entry in index.entries() {
            if entry.mode.is_submodule()
                || entry
                    .flags
                    .contains(gix::index::entry::Flags::SKIP_WORKTREE)
            {
                continue;
            }
            let path = entry.path(&index);
            let Ok(relative) = path.to_str() else {
                continue;
            };
            let file = workdir.join(relative);
            let Ok(meta) = std::fs::symlink_metadata(&file) else {
                // Deleted: the nearest directory above it that still exists records when.
                let at = file
                    .ancestors()
                    .skip(1)
                    .find_map(|d| std::fs::metadata(d).ok())
                    .map_or(0, |m| seconds(&m));
                if at >= since {
                    out.push(Touched {
                        path: relative.to_string(),
                        at,
                        size: 0,
                    });
                }
                continue;
            };
            let at = seconds(&meta);
            // The revision's time is whole seconds: a file touched in that same second counts.
            if at < since {
                continue;
            }
            let stat = &entry.stat;
            let nanos = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.subsec_nanos());
            let same_stat = i64::from(stat.mtime.secs) == at
                && (stat.mtime.nsecs == 0 || stat.mtime.nsecs == nanos)
                && u64::from(stat.size) == (meta.len() & u64::from(u32::MAX));
            let staged = same_stat
                && head_tree.as_ref().is_none_or(|tree| {
                    tree.lookup_entry_by_path(relative)
                        .ok()
                        .flatten()
                        .is_none_or(|e| e.object_id() != entry.id)
                });
            if !same_stat || staged {
                out.push(Touched {
                    path: relative.to_string(),
                    at,
                    size: meta.len(),
                });
            }
        }
        Ok(out)
    }
}
