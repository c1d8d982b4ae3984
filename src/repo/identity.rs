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
    /// The name and email of `role`, or `None` when either is missing or empty.
    pub fn person(&self, role: Role) -> Option<(String, String)> {
        let section = role.section();
        let first = |keys: &[&str]| {
            keys.iter()
                .find_map(|key| self.config_string(key).filter(|v| !v.trim().is_empty()))
        };
        let name = first(&[
            &format!("{section}.name"),
            "user.name",
            &format!("gitoxide.{section}.nameFallback"),
        ])?;
        let email = first(&[
            &format!("{section}.email"),
            "user.email",
            "gitoxide.user.emailFallback",
            &format!("gitoxide.{section}.emailFallback"),
        ])?;
        Some((name, email))
    }

    /// A signature of `role` made now, in UTC; a date pinned in the environment
    /// (`GIT_AUTHOR_DATE`, `GIT_COMMITTER_DATE`) is honoured as git honours it.
    pub fn signature(&self, role: Role) -> anyhow::Result<gix::actor::Signature> {
        let (name, email) = self.person(role).ok_or_else(no_identity)?;
        // git commit exports `GIT_AUTHOR_DATE=@<seconds> <offset>` to its hooks: read without a
        // clock. Only a relative date ("yesterday") needs the local zone, which gix resolves.
        let pinned = self.config_string(role.date_key());
        let time = match pinned.map(|date| gix::date::parse(&date, None)) {
            None => gix::date::Time::now_utc(),
            Some(Ok(time)) => time,
            Some(Err(_)) => {
                let resolved = match role {
                    Role::Author => self.git.author(),
                    Role::Committer => self.git.committer(),
                };
                match resolved {
                    Some(Ok(sig)) => sig
                        .time()
                        .map_err(|e| anyhow::anyhow!("invalid {} date: {e}", role.section()))?,
                    Some(Err(e)) => anyhow::bail!("invalid {} date: {e}", role.section()),
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

    /// Returns the writer's git identity as "Name <email>" (author identity first, as git does).
    pub fn identity(&self) -> anyhow::Result<String> {
        let (name, email) = self
            .person(Role::Author)
            .or_else(|| self.person(Role::Committer))
            .ok_or_else(no_identity)?;
        Ok(format!("{name} <{email}>"))
    }
}

fn no_identity() -> anyhow::Error {
    UserError::new("no git identity: user.name and user.email are not set")
        .hint("git config user.name \"Your Name\" && git config user.email you@example.com")
        .into()
}
