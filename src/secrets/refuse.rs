//! Refusing to write or send a packet that carries a credential: a secret written once travels
//! to every clone and stays in every revision.

use crate::error::UserError;
use crate::packet::Packet;
use crate::policy::Policy;
use crate::repo::Repo;

/// Refuses (exit 1) when a packet carries a string the secret scan finds and neither policy's
/// `allow-secrets` nor `--allow-secret` lists its fingerprint; `label` names a packet's revision
/// in the refusal (empty for the one being written).
pub fn refuse<'p>(
    repo: &Repo,
    policy: &Policy,
    allow: &[String],
    packets: impl IntoIterator<Item = &'p Packet>,
    label: impl Fn(&Packet) -> String,
    consequence: &str,
) -> anyhow::Result<()> {
    for packet in packets {
        let label = label(packet);
        for found in super::scan_packet(packet) {
            let fingerprint = repo.secret_fingerprint(found.rule, &found.secret);
            if policy.allow_secrets.contains(&fingerprint) || allow.contains(&fingerprint) {
                continue;
            }
            let place = if label.is_empty() {
                String::new()
            } else {
                format!("{label}: ")
            };
            return Err(UserError::refused(format!(
                "{place}{} looks like a credential ({}: {}); {consequence}",
                found.field,
                found.rule,
                found.preview()
            ))
            .hint(format!(
                "remove it (and rotate it if it is real); if it is no secret, pass --allow-secret {fingerprint} or add it to allow-secrets in .handoff.toml"
            ))
            .into());
        }
    }
    Ok(())
}
