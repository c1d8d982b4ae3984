//! The time and the new packet ids a command uses. Both can be pinned from the environment, so
//! tests (and reproducible scripts) see the same output on every run:
//! `GIT_HANDOFF_NOW` (a time such as `2026-11-21T22:10:00Z`) and `GIT_HANDOFF_ID_SEED` (any text).

use crate::error::UserError;
use crate::packet::{Timestamp, Writer};
use crate::repo::Repo;

/// Pins the time of every write.
pub const NOW_ENV: &str = "GIT_HANDOFF_NOW";
/// Makes new packet ids a function of its value.
pub const ID_SEED_ENV: &str = "GIT_HANDOFF_ID_SEED";
/// Names the acting agent when `--as` does not.
pub const AGENT_ENV: &str = "GIT_HANDOFF_AGENT";

/// Returns the time of this command: `GIT_HANDOFF_NOW` when set, else the clock (whole seconds).
pub fn now() -> anyhow::Result<Timestamp> {
    match std::env::var(NOW_ENV) {
        Ok(text) if !text.is_empty() => Timestamp::parse(&text).map_err(|e| {
            UserError::new(format!("{NOW_ENV}: {e}"))
                .hint("unset it, or give a time such as 2026-11-21T22:10:00Z")
                .into()
        }),
        _ => {
            let now = chrono::Utc::now();
            Ok(Timestamp(
                chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
            ))
        }
    }
}

/// Who writes and when, for one command: read on first use (so an argument error or a refusal
/// comes before a missing identity, and `edit` stamps the time it writes, not the time the
/// editor opened), then fixed, so every retry and every merge of the command writes the same.
pub struct WriterCell<'r> {
    repo: &'r Repo,
    /// The actor `--as` named, if it did.
    named: Option<String>,
    cell: std::cell::OnceCell<Writer>,
}

impl<'r> WriterCell<'r> {
    /// A writer for `repo`, not read yet; the actor is found as [`actor`] says.
    pub fn new(repo: &'r Repo) -> WriterCell<'r> {
        WriterCell::acting(repo, None)
    }

    /// A writer acting as `named` (`--as`), or as [`actor`] finds when `None`.
    pub fn acting(repo: &'r Repo, named: Option<&str>) -> WriterCell<'r> {
        WriterCell {
            repo,
            named: named.map(str::to_string),
            cell: std::cell::OnceCell::new(),
        }
    }

    /// Returns the writer, reading the identity, the actor and the time on first use.
    pub fn get(&self) -> anyhow::Result<&Writer> {
        if let Some(writer) = self.cell.get() {
            return Ok(writer);
        }
        let author = self.repo.identity()?;
        let writer = Writer {
            actor: actor(self.repo, self.named.as_deref(), &author)?,
            author,
            at: now()?,
        };
        Ok(self.cell.get_or_init(|| writer))
    }
}

/// Returns who is acting: `--as NAME`, else `GIT_HANDOFF_AGENT`, else the agent runtime the
/// command runs under (its name: `claude`, `gemini`), else `git config handoff.agent`, else the
/// name of the git identity `author` ("Name <email>").
pub fn actor(repo: &Repo, named: Option<&str>, author: &str) -> anyhow::Result<String> {
    let (source, name) = match named {
        Some(name) => ("--as", name.to_string()),
        None => match std::env::var(AGENT_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            Some(name) => (AGENT_ENV, name),
            None => match crate::agents::Runtime::from_env(|v| std::env::var(v).ok()) {
                Some(runtime) => ("the agent runtime", runtime.name().to_string()),
                None => match repo.config_string("handoff.agent") {
                    Some(name) if !name.trim().is_empty() => ("handoff.agent", name),
                    _ => (
                        "user.name",
                        author.split('<').next().unwrap_or(author).to_string(),
                    ),
                },
            },
        },
    };
    let mut name = name.trim().to_string();
    if source == "user.name" {
        // git's own name for the writer is valid as git takes it: keep what fits on one line.
        name = name
            .chars()
            .filter(|c| !c.is_control() && !crate::escape::is_direction_control(*c))
            .filter(|c| !crate::escape::is_invisible(*c))
            .take(64)
            .collect::<String>()
            .trim()
            .to_string();
    }
    let bad = name.is_empty()
        || name.chars().count() > 64
        || name.chars().any(|c| {
            c.is_control()
                || crate::escape::is_direction_control(c)
                || crate::escape::is_invisible(c)
        });
    if bad {
        return Err(UserError::new(format!(
            "{source}: {:?} is not an actor name (1-64 characters, one line, no control characters)",
            crate::escape::terminal(&name)
        ))
        .hint("name the agent or person acting, e.g. --as codex or GIT_HANDOFF_AGENT=claude")
        .into());
    }
    Ok(name)
}

/// Mints a new packet id: "hx-" and six base-36 characters, random unless `GIT_HANDOFF_ID_SEED`
/// is set.
pub fn mint_id() -> String {
    let n = match std::env::var(ID_SEED_ENV) {
        Ok(seed) if !seed.is_empty() => fnv1a(seed.as_bytes()),
        _ => random(),
    };
    id_from(n)
}

/// Returns a random delay of 1 to `max_ms` milliseconds, so writers that collided retry apart.
pub fn jitter(max_ms: u64) -> u64 {
    1 + random() % max_ms.max(1)
}

/// A random number: std's randomly keyed hasher over the process id and the time.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

fn id_from(mut n: u64) -> String {
    let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut id = String::from("hx-");
    for _ in 0..6 {
        id.push(char::from(alphabet[usize::try_from(n % 36).unwrap_or(0)]));
        n /= 36;
    }
    id
}

/// A fixed hash (FNV-1a, 64 bits): the same input gives the same id on every machine.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_seeds_are_stable_and_distinct() {
        assert_eq!(id_from(fnv1a(b"a")), id_from(fnv1a(b"a")));
        assert_ne!(id_from(fnv1a(b"a")), id_from(fnv1a(b"b")));
        let id = id_from(fnv1a(b"seed"));
        assert!(id.starts_with("hx-") && id.len() == 9, "{id}");
    }
}
