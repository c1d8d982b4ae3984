//! What the git process running a hook was asked to do. A pre-commit hook is not told that the
//! commit is an amend, nor a pre-push hook that the push is a dry run; git's own command line
//! says so. Hook managers (husky, lefthook, the pre-commit framework) put a shell, node, Go or
//! Python process between git and this hook, so the nearest `git` above this process is looked
//! for, up the process tree: from /proc where there is one, from `ps` elsewhere (macOS, BSD).

use std::process::Command;

/// How far up a hook manager's layers reach: git, its hook script, the manager, a shell.
const MAX_LEVELS: usize = 8;

/// Returns true when the nearest git process above this one was given the long option `long`
/// (or a prefix of it of at least `min` characters, as git accepts), or the one-letter option
/// `short` (alone or in a cluster such as `-fn`); false when no git is found or its arguments
/// cannot be read. Arguments after `--` are paths, not options.
pub fn git_was_given(long: &str, min: usize, short: Option<char>) -> bool {
    git_arguments().is_some_and(|args| {
        args.iter()
            .skip(1)
            .take_while(|a| *a != "--")
            .any(|a| is_option(a, long, min, short))
    })
}

fn is_option(arg: &str, long: &str, min: usize, short: Option<char>) -> bool {
    if let Some(name) = arg.strip_prefix("--") {
        let name = name.split('=').next().unwrap_or(name);
        return name.len() >= min && long.starts_with(name);
    }
    match (arg.strip_prefix('-'), short) {
        (Some(cluster), Some(letter)) => {
            !cluster.is_empty()
                && cluster.chars().all(|c| c.is_ascii_alphabetic())
                && cluster.contains(letter)
        }
        _ => false,
    }
}

/// The arguments of the nearest ancestor that is git itself.
fn git_arguments() -> Option<Vec<String>> {
    let mut pid = std::os::unix::process::parent_id();
    for _ in 0..MAX_LEVELS {
        // Process 1 may be git itself (a container's entry point); 0 is above everything.
        if pid == 0 {
            return None;
        }
        let (parent, args) = process(pid)?;
        if args.first().is_some_and(|a| is_git(a)) {
            return Some(args);
        }
        pid = parent;
    }
    None
}

/// Whether a program path names git (`git`, `/usr/bin/git`), not another `git-…` tool.
fn is_git(program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    name == "git" || name == "git.exe"
}

/// A process's parent and arguments.
fn process(pid: u32) -> Option<(u32, Vec<String>)> {
    if std::path::Path::new("/proc/self/stat").exists() {
        from_proc(pid)
    } else {
        from_ps(pid)
    }
}

fn from_proc(pid: u32) -> Option<(u32, Vec<String>)> {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let args = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    Some((parent_in_stat(&stat)?, args))
}

fn from_ps(pid: u32) -> Option<(u32, Vec<String>)> {
    let out = Command::new("ps")
        // -ww: the whole command line, whatever the terminal width or COLUMNS.
        .args(["-ww", "-o", "ppid=", "-o", "args=", "-p", &pid.to_string()])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    parse_ps(&String::from_utf8_lossy(&out.stdout))
}

/// The parent in `/proc/<pid>/stat`: the second field after the command name, which is in
/// parentheses and may itself hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// `ps -o ppid= -o args=`: the parent, then the arguments (split on spaces: enough to see a flag).
fn parse_ps(line: &str) -> Option<(u32, Vec<String>)> {
    let mut words = line.split_whitespace();
    let parent = words.next()?.parse().ok()?;
    Some((parent, words.map(ToString::to_string).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_is_read_past_a_command_name_with_spaces_and_parentheses() {
        let stat = "4242 (a (weird) name) S 17 4242 4242 0 -1";
        assert_eq!(parent_in_stat(stat), Some(17));
        assert_eq!(parent_in_stat("garbage"), None);
    }

    #[test]
    fn ps_output_gives_the_parent_and_the_arguments() {
        assert_eq!(
            parse_ps("  311 git commit --amend -m x\n"),
            Some((
                311,
                vec![
                    "git".into(),
                    "commit".into(),
                    "--amend".into(),
                    "-m".into(),
                    "x".into()
                ]
            ))
        );
        assert_eq!(parse_ps(""), None);
    }

    #[test]
    fn options_are_read_as_git_reads_them() {
        let amend = |a: &str| is_option(a, "amend", 2, None);
        assert!(amend("--amend") && amend("--amen") && amend("--am"));
        assert!(!amend("--a") && !amend("--all") && !amend("-m") && !amend("amend"));
        let dry = |a: &str| is_option(a, "dry-run", 2, Some('n'));
        assert!(dry("--dry-run") && dry("--dry") && dry("-n") && dry("-fn"));
        assert!(!dry("--delete") && !dry("-f") && !dry("origin") && !dry("-") && !dry("-n1"));
    }

    #[test]
    fn only_git_itself_is_git() {
        assert!(is_git("git") && is_git("/usr/bin/git"));
        assert!(!is_git("git-handoff") && !is_git("/usr/bin/gitk") && !is_git("sh"));
    }

    #[test]
    fn this_process_reads_the_same_from_proc_and_from_ps() {
        let me = std::process::id();
        let (parent, args) = from_proc(me).expect("/proc");
        assert_eq!(parent, std::os::unix::process::parent_id());
        let (ps_parent, ps_args) = from_ps(me).expect("ps");
        assert_eq!(ps_parent, parent);
        assert_eq!(ps_args.first(), args.first());
    }
}
