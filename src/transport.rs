//! Network transport through the system `git`, which owns credentials, ssh and proxies.
//! Only `fetch` and `push` of packet refs go through here; everything else is gix.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::error::UserError;

/// Set for the pushes git-handoff makes, so its own pre-push hook does not recurse.
pub const PUSHING_ENV: &str = "GIT_HANDOFF_PUSHING";

/// The result of pushing one ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefPush {
    /// The destination ref.
    pub refname: String,
    /// True when the remote took it (or already had it).
    pub ok: bool,
    /// Git's summary, such as `[rejected] (non-fast-forward)`.
    pub summary: String,
}

fn git(dir: &Path, args: &[String]) -> anyhow::Result<Output> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env(PUSHING_ENV, "1")
        // Its messages are read (a clash of names, a porcelain line): in git's own words.
        .env("LC_ALL", "C")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            UserError::new(format!("cannot run git: {e}"))
                .hint("git-handoff needs git on PATH for push and fetch")
                .into()
        })
}

fn first_error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("git failed without a message")
        .trim()
        .to_string()
}

/// Adds a value to a multi-valued key in the repository's own config (`git config --add`).
pub fn config_add(dir: &Path, key: &str, value: &str) -> anyhow::Result<()> {
    let args: Vec<String> = ["config", "--local", "--add", key, value]
        .iter()
        .map(ToString::to_string)
        .collect();
    let output = git(dir, &args)?;
    if output.status.success() {
        Ok(())
    } else {
        Err(UserError::new(format!(
            "git config --add {key} failed: {}",
            first_error_line(&output)
        ))
        .hint("check that .git/config is writable")
        .into())
    }
}

/// Deletes refs, each only if it still points where it was read (`git update-ref --stdin`, one
/// transaction), with git's own locking of loose refs and `packed-refs`.
pub fn delete_refs(dir: &Path, refs: &[(String, crate::repo::Oid)]) -> anyhow::Result<()> {
    use std::io::Write;
    if refs.is_empty() {
        return Ok(());
    }
    let input: String = refs
        .iter()
        .map(|(name, id)| format!("delete {name} {id}\n"))
        .collect();
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["update-ref", "--stdin"])
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            UserError::new(format!("cannot run git: {e}"))
                .hint("git-handoff needs git on PATH for push and fetch")
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if output.status.success() {
        return Ok(());
    }
    Err(UserError::new(format!(
        "cannot remove the temporary copies: {}",
        first_error_line(&output)
    ))
    .hint(format!("remove them with: git for-each-ref --format='delete %(refname)' {} | git update-ref --stdin", crate::store::FETCHED_PREFIX))
    .into())
}

/// Fetches `refspecs` from `remote` (a name or a URL).
pub fn fetch(dir: &Path, remote: &str, refspecs: &[String]) -> anyhow::Result<()> {
    // `--prune` keeps the fetched copies a mirror of the remote: a copy whose chain is gone
    // there goes too (local chains are never touched), and a name that turned from `a/b` into
    // `a/b/c` no longer clashes with the old copy.
    let mut args: Vec<String> = [
        "fetch",
        "--quiet",
        "--prune",
        "--no-tags",
        "--no-write-fetch-head",
        remote,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    args.extend(refspecs.iter().cloned());
    let output = git(dir, &args)?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    // A remote that turned `a/b` into `a/b/c` (or back) leaves a fetched copy in the way of the
    // new name: git cannot have both a file and a directory there.
    if stderr.contains(crate::store::FETCHED_PREFIX)
        && (stderr.contains("cannot lock ref") || stderr.contains("exists; cannot create"))
    {
        return Err(UserError::new(format!(
            "git fetch {remote} failed: a packet name on the remote clashes with an older fetched copy ({})",
            first_error_line(&output)
        ))
        .hint(format!(
            "drop the fetched copies the remote no longer has: git handoff pull {remote} (it prunes them), or git fetch --prune {remote}"
        ))
        .into());
    }
    Err(UserError::new(format!(
        "git fetch {remote} failed: {}",
        first_error_line(&output)
    ))
    .hint(format!("check the remote: git ls-remote {remote}"))
    .into())
}

/// Pushes `refspecs` to `remote` without force and without running hooks; reports each ref.
/// Pushes `refspecs` to `remote`; returns how each ref went and what the remote's hooks said
/// (its `remote:` lines).
pub fn push(
    dir: &Path,
    remote: &str,
    refspecs: &[String],
) -> anyhow::Result<(Vec<RefPush>, Vec<String>)> {
    let mut args: Vec<String> = ["push", "--no-verify", "--porcelain", remote]
        .iter()
        .map(ToString::to_string)
        .collect();
    args.extend(refspecs.iter().cloned());
    let output = git(dir, &args)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results: Vec<RefPush> = stdout.lines().filter_map(parse_porcelain).collect();
    if results.is_empty() && !output.status.success() {
        return Err(UserError::new(format!(
            "git push {remote} failed: {}",
            first_error_line(&output)
        ))
        .hint(format!("check the remote: git ls-remote {remote}"))
        .into());
    }
    let said = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .map(|l| l.trim_end().to_string())
        .collect();
    Ok((results, said))
}

/// Parses one `git push --porcelain` ref line: `<flag>\t<src>:<dst>\t<summary>`.
fn parse_porcelain(line: &str) -> Option<RefPush> {
    let mut parts = line.splitn(3, '\t');
    let flag = parts.next()?;
    let spec = parts.next()?;
    let summary = parts.next().unwrap_or("").to_string();
    if flag.chars().count() != 1 {
        return None;
    }
    let (_, dst) = spec.split_once(':')?;
    Some(RefPush {
        refname: dst.to_string(),
        ok: flag != "!",
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_lines_are_read_per_ref() {
        let ok = parse_porcelain("*\trefs/handoff/heads/a:refs/handoff/heads/a\t[new reference]");
        assert_eq!(
            ok.map(|r| (r.refname, r.ok)),
            Some(("refs/handoff/heads/a".to_string(), true))
        );
        let rejected =
            parse_porcelain("!\trefs/notes/handoff:refs/notes/handoff\t[rejected] (fetch first)");
        assert_eq!(rejected.map(|r| r.ok), Some(false));
        assert_eq!(parse_porcelain("To file:///tmp/remote.git"), None);
        assert_eq!(parse_porcelain("Done"), None);
    }
}
