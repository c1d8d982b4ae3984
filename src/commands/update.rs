//! `git handoff update`: write the next revision of the current branch's packet.

use std::path::PathBuf;

use clap::Args;

use super::fields::{FieldArgs, Items};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::{self, Change, Outcome, Packet};

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Record a validation result for the current tree (HEAD's)
    #[arg(long, value_enum)]
    pub result: Option<Outcome>,
    /// Take the whole packet body from a TOML or JSON file (- for stdin); flags apply on top
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub remove: Items<true>,
    /// Why the original intent changes (only the supervise lane may change it)
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
}

pub fn cmd_update(args: &UpdateArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let target = super::write_target(&repo)?;
    let writer = crate::clock::WriterCell::acting(&repo, args.fields.actor.name.as_deref());
    let adopted = super::adopt_fetched(&repo, &writer, out, &target.branch)?;
    let draft = args
        .from
        .as_deref()
        .map(|p| super::read_draft(p, false))
        .transpose()?;
    let mut changes: Vec<Change> = (args.remove.values.iter())
        .map(|(item, text)| item.remove(text))
        .collect();
    changes.extend(args.fields.changes()?);
    if let Some(outcome) = args.result {
        let tree = target.head.map(|h| repo.tree_of(h)).transpose()?;
        changes.push(Change::Result(outcome, tree.map(|t| t.to_string())));
    }
    let mut retired = 0;
    let revision = super::write_checked(
        &repo,
        &args.fields.allow_secret,
        &target.branch,
        "update",
        |current| {
            let cur = super::act::current_packet(&target.branch, current)?;
            let header =
                super::next_header(writer.get()?, &target, cur.packet.id.clone(), current)?;
            let mut packet = match &draft {
                Some(draft) => {
                    let mut p = from_draft(draft, &cur.packet, &target.branch, header)?;
                    crate::handoff::carry_records(&cur.packet, &mut p);
                    p
                }
                None => Packet::with_header(header, &cur.packet),
            };
            for change in &changes {
                change.apply(&mut packet).map_err(|e| {
                    UserError::new(e).hint("git handoff show lists the items as they are")
                })?;
            }
            let w = writer.get()?;
            if args.result.is_some() {
                packet.validation.at = Some(w.at);
                packet.validation.by = Some(w.actor.clone());
            }
            crate::handoff::records_kept(&cur.packet, &packet, &w.actor)?;
            if let Some(decision) = crate::handoff::intent_change(
                &cur.packet,
                &packet,
                &w.actor,
                args.why.as_deref(),
                w.at,
            )? {
                packet.decisions.push(decision);
            }
            // Restating a value a merge kept settles the conflict: that is a change worth a revision.
            let settles = !cur.conflicts.is_empty() && !changes.is_empty();
            if packet.same_body(&cur.packet) && !settles {
                return Err(
                    UserError::refused("nothing to update: the packet would not change")
                        .hint("say what changed, e.g. git handoff update --done \"…\" --next \"…\"")
                        .into(),
                );
            }
            retired = packet::retire_done(&mut packet);
            packet::validate(&packet).map_err(|e| {
                UserError::new(format!("cannot update: {e}"))
                    .hint("fix the field named above and run the update again")
            })?;
            Ok(packet)
        },
    )?;
    adopted.keep();
    let p = &revision.packet;
    out.status(&format!(
        "updated {} to r{} on {}",
        p.id, p.revision, p.branch
    ));
    if retired > 0 {
        out.status(&format!(
            "{retired} oldest state.done items left the packet to keep it within {} items; earlier revisions keep them (git handoff show --revision {})",
            packet::MAX_LIST_ITEMS,
            p.revision - 1
        ));
    }
    if format == Format::Json {
        out.json(&super::show::revision_summary(&revision))?;
    }
    Ok(())
}

/// The next revision taken whole from a file: refused when the file is for another packet, or
/// was written from an older revision (replacing the packet would undo the revisions since).
fn from_draft(
    draft: &packet::Draft,
    cur: &Packet,
    branch: &str,
    header: packet::Header,
) -> anyhow::Result<Packet> {
    if let Some(id) = draft.id.as_deref().filter(|id| *id != cur.id) {
        return Err(UserError::new(format!(
            "the file is for packet {id}, but {branch} holds {}",
            cur.id
        ))
        .hint("remove the id line, or start a new packet with git handoff start --new --from FILE")
        .into());
    }
    if let Some(r) = draft.revision.filter(|r| *r != cur.revision) {
        return Err(UserError::new(format!(
            "the file was written from r{r}, but {branch} is at r{}: replacing it would undo r{}..r{}",
            cur.revision,
            r + 1,
            cur.revision
        ))
        .hint("take the current packet (git handoff show > FILE), redo your change, and update again; or drop the revision line to replace it on purpose")
        .into());
    }
    Ok(draft.clone().into_packet(header))
}
