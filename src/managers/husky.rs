//! husky's scripts (`.husky/<hook>`): `init --manager husky` adds git-handoff's line to each,
//! `uninstall` takes it out again. Scripts are read as bytes and every edit is planned before any
//! is written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{contains, husky_scripts, work_tree_hooks};
use crate::hooks::Hook;

/// The line a husky script runs.
fn husky_line(hook: Hook) -> String {
    format!("git-handoff hook {} \"$@\"", hook.name())
}

/// What `init --manager husky` did to one script.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Added {
    pub path: String,
    /// `created`, `added` (a line appended) or `present`; on uninstall `removed` (the line) or
    /// `deleted` (a script with nothing else in it).
    pub action: &'static str,
}

/// Why husky's scripts cannot take the lines.
#[derive(Debug)]
pub enum HuskyError {
    /// husky 4: the steps are in package.json.
    InPackageJson,
    /// A script is a link (perhaps shared by several hooks): editing it would change them all.
    Link(PathBuf),
    Io(io::Error),
}

impl From<io::Error> for HuskyError {
    fn from(e: io::Error) -> Self {
        HuskyError::Io(e)
    }
}

/// Adds the git-handoff line to each of husky's scripts (creating the missing ones); a script
/// that already runs it is left as it is. The line goes first (after a `#!` line): husky runs a
/// script with `sh -e`, so a refusal stops it there, and the script's own steps follow
/// unchanged, its last command's status still the script's. A hook git feeds on stdin
/// (pre-push, post-rewrite) gets the line last, so that the script's own steps read the input.
pub fn add_to_husky(hooks_dir: &Path, dry_run: bool) -> Result<Vec<Added>, HuskyError> {
    let dir = husky_scripts(hooks_dir).ok_or(HuskyError::InPackageJson)?;
    // Every script is read (in whatever bytes) and planned before any is written: a link or an
    // unreadable script leaves them all as they were.
    let mut plan = Vec::new();
    for hook in work_tree_hooks() {
        let path = dir.join(hook.name());
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(HuskyError::Link(path));
        }
        let line = husky_line(hook);
        let text = match fs::read(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let needle = format!("git-handoff hook {}", hook.name());
        let runs = |t: &[u8]| {
            t.split(|b| *b == b'\n').any(|l| {
                let l = l.trim_ascii_start();
                !l.starts_with(b"#") && contains(l, needle.as_bytes())
            })
        };
        let (action, new) = match &text {
            Some(t) if runs(t) => ("present", None),
            Some(t) => {
                // Last for a hook fed on stdin; otherwise first, after a `#!` line.
                let at = if hook.reads_input() {
                    t.len()
                } else if t.starts_with(b"#!") {
                    t.iter()
                        .position(|b| *b == b'\n')
                        .map_or(t.len(), |n| n + 1)
                } else {
                    0
                };
                let (head, rest) = t.split_at(at);
                let mut new = head.to_vec();
                if !head.is_empty() && !head.ends_with(b"\n") {
                    new.push(b'\n');
                }
                new.extend_from_slice(line.as_bytes());
                new.push(b'\n');
                new.extend_from_slice(rest);
                ("added", Some(new))
            }
            None => ("created", Some(format!("{line}\n").into_bytes())),
        };
        plan.push((path, action, new));
    }
    let mut out = Vec::new();
    for (path, action, new) in plan {
        if let (Some(new), false) = (new, dry_run) {
            crate::atomic::write_bytes(&path, &new)?;
        }
        out.push(Added {
            path: path.display().to_string(),
            action,
        });
    }
    Ok(out)
}

/// Takes the git-handoff line out of each of husky's scripts: a script left with nothing at all
/// (one `init --manager husky` created) is deleted, the others keep every other byte. Every
/// script is read and planned before any is written, so an unreadable one changes nothing.
/// Also returns the scripts that still mention `git-handoff hook` (a line someone edited).
pub fn remove_from_husky(hooks_dir: &Path, dry_run: bool) -> io::Result<(Vec<Added>, Vec<String>)> {
    let Some(dir) = husky_scripts(hooks_dir) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut plan = Vec::new();
    let mut still = Vec::new();
    for hook in work_tree_hooks() {
        let path = dir.join(hook.name());
        match fs::symlink_metadata(&path) {
            Err(_) => continue,
            // init refuses links; one made since is not edited, only named.
            Ok(m) if m.file_type().is_symlink() => {
                if fs::read(&path).is_ok_and(|t| contains(&t, b"git-handoff hook")) {
                    still.push(path.display().to_string());
                }
                continue;
            }
            Ok(_) => {}
        }
        let text = fs::read(&path)?;
        let line = husky_line(hook);
        let kept: Vec<u8> = text
            .split_inclusive(|b| *b == b'\n')
            .filter(|l| l.trim_ascii() != line.as_bytes())
            .flatten()
            .copied()
            .collect();
        if contains(&kept, b"git-handoff hook") {
            still.push(path.display().to_string());
        }
        if kept.len() != text.len() {
            plan.push((path, kept));
        }
    }
    let mut out = Vec::new();
    for (path, kept) in plan {
        let action = if kept.is_empty() {
            "deleted"
        } else {
            "removed"
        };
        if !dry_run {
            if kept.is_empty() {
                fs::remove_file(&path)?;
            } else {
                crate::atomic::write_bytes(&path, &kept)?;
            }
        }
        out.push(Added {
            path: path.display().to_string(),
            action,
        });
    }
    Ok((out, still))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::managers::Manager;

    #[test]
    fn a_linked_script_and_husky_4_are_refused_and_input_hooks_get_the_line_last() {
        let root = tempfile::tempdir().expect("tmp");
        let dispatch = root.path().join(".husky/_");
        fs::create_dir_all(&dispatch).expect("dir");
        fs::write(root.path().join(".husky/pre-push"), "read x\n").expect("w");
        add_to_husky(&dispatch, false).expect("add");
        assert_eq!(
            fs::read_to_string(root.path().join(".husky/pre-push")).expect("r"),
            "read x\ngit-handoff hook pre-push \"$@\"\n",
            "the script's own steps read git's input first"
        );
        fs::remove_file(root.path().join(".husky/pre-commit")).expect("rm");
        std::os::unix::fs::symlink("pre-push", root.path().join(".husky/pre-commit"))
            .expect("link");
        assert!(matches!(
            add_to_husky(&dispatch, false),
            Err(HuskyError::Link(_))
        ));
        let old = tempfile::tempdir().expect("tmp");
        fs::write(old.path().join("husky.sh"), "").expect("husky 4");
        assert_eq!(Manager::owning(old.path()), Some(Manager::Husky));
        assert!(matches!(
            add_to_husky(old.path(), false),
            Err(HuskyError::InPackageJson)
        ));
    }

    #[test]
    fn husky_uninstall_takes_out_only_its_lines_in_any_bytes_and_names_edited_ones() {
        let root = tempfile::tempdir().expect("tmp");
        let dispatch = root.path().join(".husky/_");
        fs::create_dir_all(&dispatch).expect("dir");
        let husky = root.path().join(".husky");
        let latin1: &[u8] = b"# caf\xe9\r\nnpm test\r\n";
        fs::write(husky.join("pre-push"), latin1).expect("w");
        fs::write(husky.join("post-merge"), "\n").expect("w");
        add_to_husky(&dispatch, false).expect("add");
        // Someone edits one line of git-handoff's.
        let msg = husky.join("commit-msg");
        fs::write(&msg, "git-handoff hook commit-msg \"$@\" || true\n").expect("w");
        // And a script someone made a link since, to a file that runs git-handoff.
        fs::write(
            root.path().join("shared.sh"),
            "git-handoff hook post-commit \"$@\"\n",
        )
        .expect("w");
        fs::remove_file(husky.join("post-commit")).expect("rm");
        std::os::unix::fs::symlink(root.path().join("shared.sh"), husky.join("post-commit"))
            .expect("link");
        let (dry, _) = remove_from_husky(&dispatch, true).expect("dry run");
        assert!(!dry.is_empty());
        assert!(
            husky.join("pre-commit").exists(),
            "a dry run changes nothing"
        );
        let (done, still) = remove_from_husky(&dispatch, false).expect("remove");
        assert_eq!(fs::read(husky.join("pre-push")).expect("r"), latin1);
        assert_eq!(fs::read(husky.join("post-merge")).expect("r"), b"\n");
        assert!(
            !husky.join("pre-commit").exists(),
            "created by init: deleted"
        );
        assert!(done.iter().any(|a| a.action == "deleted"));
        assert_eq!(
            still,
            [
                msg.display().to_string(),
                husky.join("post-commit").display().to_string()
            ]
        );
    }

    #[test]
    fn husky_scripts_get_the_line_once_after_the_users_steps() {
        let root = tempfile::tempdir().expect("tmp");
        let dispatch = root.path().join(".husky/_");
        fs::create_dir_all(&dispatch).expect("dir");
        fs::write(root.path().join(".husky/pre-commit"), "npm test").expect("w");
        let first = add_to_husky(&dispatch, false).expect("add");
        assert_eq!(first[0].action, "added");
        assert!(first[1..].iter().all(|a| a.action == "created"));
        assert_eq!(
            fs::read_to_string(root.path().join(".husky/pre-commit")).expect("r"),
            "git-handoff hook pre-commit \"$@\"\nnpm test"
        );
        let again = add_to_husky(&dispatch, false).expect("again");
        assert!(again.iter().all(|a| a.action == "present"));
        assert!(Manager::Husky.runs_handoff(root.path(), &dispatch));
    }
}
