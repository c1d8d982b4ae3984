//! `git handoff repair`: rebuild the notes that cherry-pick, squash merges and filter tools
//! dropped, from the `Handoff:` trailers in the commit messages.

use clap::Args;
use serde_json::json;

use super::intent;
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::store;

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// A revision (all its ancestors) or a range A..B; HEAD by default
    #[arg(value_name = "RANGE", default_value = "HEAD")]
    pub range: String,
    /// Print what would be repaired and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn cmd_repair(args: &RepairArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let commits = repo.commits(&args.range)?;
    let notes = store::notes_map(&repo)?;
    let index = store::stamp_index(&repo)?;
    let mut plan = Vec::new();
    let mut unresolved = Vec::new();
    let mut bare = Vec::new();
    for commit in commits.iter().filter(|c| !notes.contains_key(*c)) {
        let message = repo.message_of(*commit)?;
        if crate::trailer::stamps(&message).is_empty() {
            bare.push(*commit);
            continue;
        }
        match intent::newest(intent::from_trailers(&repo, &message, None, Some(&index))?) {
            Some(found) => plan.push((*commit, found)),
            None => unresolved.push(*commit),
        }
    }
    if !args.dry_run && !plan.is_empty() {
        let pairs: Vec<_> = plan.iter().map(|(c, f)| (*c, f.blob)).collect();
        store::set_notes(
            &repo,
            &pairs,
            &format!("handoff: repair {} notes from trailers", pairs.len()),
        )?;
    }
    if format == Format::Json {
        let repaired: Vec<_> = plan
            .iter()
            .map(|(c, f)| json!({ "commit": c.to_string(), "id": f.packet.id, "revision": f.packet.revision }))
            .collect();
        let ids = |v: &[crate::repo::Oid]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        out.json(&json!({
            "dry_run": args.dry_run,
            "repaired": repaired,
            "unresolved": ids(&unresolved),
            "without_trailer": ids(&bare),
        }))?;
    } else {
        let verb = if args.dry_run {
            "would repair"
        } else {
            "repaired"
        };
        let lines: String = plan
            .iter()
            .map(|(c, f)| {
                format!(
                    "{verb} {} -> {} r{}\n",
                    super::short(*c),
                    f.packet.id,
                    f.packet.revision
                )
            })
            .collect();
        out.data(&lines)?;
    }
    if !unresolved.is_empty() {
        out.warn(&format!(
            "{} commits name packet revisions this repository does not have (fetch the packet refs first)",
            unresolved.len()
        ));
    }
    if plan.is_empty() {
        return Err(UserError::refused(format!("nothing to repair in {}", args.range))
            .hint(format!(
                "{} commits without a note also have no Handoff trailer; attach one with git handoff note <commit>",
                bare.len()
            ))
            .into());
    }
    out.status(&format!(
        "{} {} notes; {} commits without note or trailer",
        if args.dry_run {
            "would repair"
        } else {
            "repaired"
        },
        plan.len(),
        bare.len()
    ));
    Ok(())
}
