//! Who writes: git's identity rules, resolved from configuration without the local time zone.
//!
//! Name and email are resolved independently, in git's order: `GIT_AUTHOR_*` / `GIT_COMMITTER_*`
//! (which gix folds into `author.*` / `committer.*`), then `author.*` / `committer.*`, then
//! `user.*`, then `EMAIL` for the email; `git -c` settings count as configuration. The tool's own
//! notes commits and reflog entries are stamped from the clock in UTC: looking up the local zone
//! costs a walk of the zone database in every process, and nothing the tool writes depends on the
//! offset. A date pinned in the environment keeps its own offset (inside `git commit`'s hooks,
//! that is the `GIT_AUTHOR_DATE` git exports, in the committer's zone). Packet commits carry the
//! packet's `updated` time instead (store/write.rs).

use super::Repo;
use crate::error::UserError;

/// Whose identity: git keeps the two apart (`git commit --author` changes only one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Author,
    Committer,
}

impl Role {
    fn section(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Committer => "committer",
        }
    }

    /// The key gix maps `GIT_AUTHOR_DATE` / `GIT_COMMITTER_DATE` to.
    fn date_key(self) -> &'static str {
        match self {
            Role::Author => "gitoxide.commit.authorDate",
            Role::Committer => "gitoxide.commit.committerDate",
        }
    }
}

impl Repo {
    /// The name and email of `role`, or why there is none. The environment comes first, as in
    /// git (`git -c author.name=…` does not override `GIT_AUTHOR_NAME`), then configuration;
    /// `EMAIL` only where `user.useConfigOnly` allows it. Both lose leading and trailing
    /// punctuation and white space and any `<`, `>` or line break, as git strips them.
    pub fn person(&self, role: Role) -> Result<(String, String), &'static str> {
        let section = role.section();
        let upper = section.to_ascii_uppercase();
        // The first key that is set wins, blank or not: git refuses a blank name rather than
        // looking further. (gix's `gitoxide.user.emailFallback`, which git has no part in, is
        // not read: `EMAIL` is, directly.)
        let configured = |keys: &[&str]| keys.iter().find_map(|key| self.config_string(key));
        let name = match std::env::var(format!("GIT_{upper}_NAME")) {
            Ok(name) => Some(name),
            Err(_) => configured(&[
                &format!("{section}.name"),
                "user.name",
                &format!("gitoxide.{section}.nameFallback"),
            ]),
        };
        let config_only = matches!(self.config_bool("user.useConfigOnly"), Ok(Some(true)));
        let email = match std::env::var(format!("GIT_{upper}_EMAIL")) {
            Ok(email) => Some(email),
            Err(_) => configured(&[&format!("{section}.email"), "user.email"]).or_else(|| {
                if config_only {
                    return None;
                }
                std::env::var("EMAIL")
                    .ok()
                    .filter(|e| !e.trim().is_empty())
                    .or_else(|| configured(&[&format!("gitoxide.{section}.emailFallback")]))
            }),
        };
        let name = name.map(|n| without_crud(&n)).filter(|n| !n.is_empty());
        match (name, email) {
            (Some(name), Some(email)) => Ok((name, without_crud(&email))),
            (None, _) => Err("no git identity: user.name is not set (or is empty)"),
            (Some(_), None) => Err("no git identity: user.email is not set"),
        }
    }

    /// A signature of `role` made now, in UTC; a date pinned in the environment
    /// (`GIT_AUTHOR_DATE`, `GIT_COMMITTER_DATE`) is honoured with its own offset.
    pub fn signature(&self, role: Role) -> anyhow::Result<gix::actor::Signature> {
        let (name, email) = self.person(role).map_err(no_identity)?;
        // git commit exports `GIT_AUTHOR_DATE=@<seconds> <offset>` to its hooks: that form (and
        // `<seconds> <offset>`) is read here without a clock. Any other form goes to gix, which
        // may need the local zone to read it.
        let pinned = self.config_string(role.date_key());
        let time = match pinned.as_deref().map(|date| (date, raw_date(date))) {
            None => gix::date::Time::now_utc(),
            Some((_, Some(time))) => time,
            Some((date, None)) => {
                let resolved = match role {
                    Role::Author => self.git.author(),
                    Role::Committer => self.git.committer(),
                };
                match resolved {
                    Some(Ok(sig)) => sig.time().map_err(|e| {
                        anyhow::anyhow!("invalid {} date {date:?}: {e}", role.section())
                    })?,
                    Some(Err(e)) => anyhow::bail!("invalid {} date {date:?}: {e}", role.section()),
                    None => gix::date::Time::now_utc(),
                }
            }
        };
        Ok(gix::actor::Signature {
            name: name.into(),
            email: email.into(),
            time,
        })
    }

    /// Returns the writer's git identity as "Name <email>": the author identity, as git uses
    /// for a commit's author (never the committer's in its place).
    pub fn identity(&self) -> anyhow::Result<String> {
        let (name, email) = self.person(Role::Author).map_err(no_identity)?;
        Ok(format!("{name} <{email}>"))
    }
}

/// `@<seconds> <offset>` or `<seconds> <offset>` (git's raw form, as git writes and exports it;
/// without the `@`, git reads a number as seconds only from 100000000 on). Anything else, an
/// offset git would not keep included, is left to gix.
fn raw_date(text: &str) -> Option<gix::date::Time> {
    let text = text.trim();
    let (at, text) = match text.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (seconds, offset) = text.split_once(' ')?;
    if !seconds.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i64 = seconds.parse().ok()?;
    if !at && seconds < 100_000_000 {
        return None;
    }
    let (sign, digits) = match offset.as_bytes().first()? {
        b'+' => (1, &offset[1..]),
        b'-' => (-1, &offset[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(gix::date::Time {
        seconds,
        offset: sign * (hours * 3600 + minutes * 60),
    })
}

/// An identity part as git keeps it: no leading or trailing white space or `,:;<>"\'`, and
/// no `<`, `>` or line break anywhere.
fn without_crud(text: &str) -> String {
    let crud = |c: char| c <= ' ' || ",:;<>\"\\'".contains(c);
    text.trim_matches(crud)
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n'))
        .collect()
}

fn no_identity(why: &str) -> anyhow::Error {
    UserError::new(why)
        .hint("git config user.name \"Your Name\" && git config user.email you@example.com")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_dates_are_read_with_their_offset_and_other_forms_are_left_to_gix() {
        let at = |s: &str| raw_date(s).map(|t| (t.seconds, t.offset));
        assert_eq!(at("@1763763000 +0200"), Some((1_763_763_000, 7200)));
        assert_eq!(at("1763763600 -0130"), Some((1_763_763_600, -5400)));
        assert_eq!(at("1763763000 +02:00"), None);
        assert_eq!(at("2005-04-07 22:13:13"), None);
        assert_eq!(at("@1763763000"), None);
        assert_eq!(at("yesterday"), None);
        assert_eq!(
            at("20051231 +0200"),
            None,
            "too small to be seconds without @"
        );
        assert_eq!(at("@20051231 +0200"), Some((20_051_231, 7200)));
        assert_eq!(at("1763763000 +2500"), None);
        assert_eq!(at("1763763000 +0099"), None);
    }

    #[test]
    fn names_lose_what_git_strips() {
        assert_eq!(without_crud("  Ada "), "Ada");
        assert_eq!(without_crud("Ada <L>"), "Ada L");
        assert_eq!(without_crud("\"O'Neil, Jr.\";"), "O'Neil, Jr.");
        assert_eq!(without_crud("a\nb"), "ab");
        assert_eq!(without_crud(" <> "), "");
    }
}
