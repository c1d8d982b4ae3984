//! `git handoff repair`: rebuild the notes that cherry-pick, squash merges and filter tools
//! dropped, from the `Handoff:` trailers in the commit messages.

use clap::Args;
use serde::Serialize;

use crate::carried::{self, Ambiguity};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::repo::Oid;
use crate::store;

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// A revision (all its ancestors) or a range A..B; HEAD by default
    #[arg(value_name = "RANGE", default_value = "HEAD")]
    pub range: String,
    /// Print what would be repaired and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also replace a valid note when the commit's trailer names another revision
    #[arg(long)]
    pub force: bool,
}

/// What repair found for the commits of the range.
#[derive(Default)]
struct Plan {
    attach: Vec<(Oid, carried::Candidate)>,
    ambiguous: Vec<(Oid, Ambiguity)>,
    unresolved: Vec<Oid>,
    bare: Vec<Oid>,
}

pub fn cmd_repair(args: &RepairArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let commits = repo.commits(&args.range)?;
    let notes = store::notes_map(&repo)?;
    let mut index = None;
    let mut plan = Plan::default();
    for commit in commits {
        let note = notes.get(&commit).copied();
        let valid_note = note.filter(|blob| store::read_note(&repo, *blob).is_ok());
        if valid_note.is_some() && !args.force {
            continue;
        }
        let message = repo.message_of(commit)?;
        if crate::trailer::stamps(&message).is_empty() {
            if note.is_none() {
                plan.bare.push(commit);
            }
            continue;
        }
        let (found, mut ambiguous) = carried::from_trailers(&repo, &message, None, &mut index)?;
        match carried::newest(found) {
            Some(best) if Some(best.blob) == note => {}
            Some(best) => plan.attach.push((commit, best)),
            // A valid note stays when the trailer cannot say which revision it means.
            None if !ambiguous.is_empty() && valid_note.is_none() => {
                plan.ambiguous.push((commit, ambiguous.remove(0)));
            }
            None if note.is_none() => plan.unresolved.push(commit),
            None => {}
        }
    }
    if !args.dry_run && !plan.attach.is_empty() {
        let pairs: Vec<_> = plan.attach.iter().map(|(c, f)| (*c, f.blob)).collect();
        store::set_notes(
            &repo,
            &pairs,
            &format!("handoff: repair {} notes from trailers", pairs.len()),
        )?;
    }
    render(&plan, args, format, out)?;
    conclude(&plan, args, out)
}

/// What `repair --format json` reports.
#[derive(Serialize)]
struct Report<'a> {
    dry_run: bool,
    repaired: Vec<Repaired<'a>>,
    ambiguous: Vec<Unresolvable<'a>>,
    unresolved: Vec<String>,
    without_trailer: Vec<String>,
}

/// A note attached (or, with `--dry-run`, to attach).
#[derive(Serialize)]
struct Repaired<'a> {
    commit: String,
    id: &'a str,
    revision: u64,
    blob: String,
}

/// A commit whose trailer names a revision number two clones both wrote.
#[derive(Serialize)]
struct Unresolvable<'a> {
    commit: String,
    trailer: String,
    candidates: Vec<Candidate<'a>>,
}

/// One revision the trailer may mean.
#[derive(Serialize)]
struct Candidate<'a> {
    revision: String,
    blob: String,
    author: &'a str,
    updated: String,
}

fn render(plan: &Plan, args: &RepairArgs, format: Format, out: &Output) -> anyhow::Result<()> {
    let ids = |v: &[Oid]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    if format == Format::Json {
        let repaired = (plan.attach.iter())
            .map(|(c, f)| Repaired {
                commit: c.to_string(),
                id: &f.packet.id,
                revision: f.packet.revision,
                blob: f.blob.to_string(),
            })
            .collect();
        let ambiguous = (plan.ambiguous.iter())
            .map(|(c, a)| Unresolvable {
                commit: c.to_string(),
                trailer: a.stamp.value(),
                candidates: (a.candidates.iter())
                    .map(|r| Candidate {
                        revision: super::revision_name(r),
                        blob: r.blob.to_string(),
                        author: &r.packet.author,
                        updated: r.packet.updated.to_string(),
                    })
                    .collect(),
            })
            .collect();
        return out.json(&Report {
            dry_run: args.dry_run,
            repaired,
            ambiguous,
            unresolved: ids(&plan.unresolved),
            without_trailer: ids(&plan.bare),
        });
    }
    let verb = if args.dry_run {
        "would repair"
    } else {
        "repaired"
    };
    let lines: String = plan
        .attach
        .iter()
        .map(|(c, f)| {
            format!(
                "{verb} {} -> {} r{}@{}\n",
                crate::repo::short(*c),
                f.packet.id,
                f.packet.revision,
                crate::trailer::content_id(&f.blob.to_string())
            )
        })
        .collect();
    out.data(&lines)
}

fn conclude(plan: &Plan, args: &RepairArgs, out: &Output) -> anyhow::Result<()> {
    for (commit, a) in &plan.ambiguous {
        let blobs: Vec<String> = a.candidates.iter().map(|r| r.blob.to_string()).collect();
        out.warn(&format!(
            "{} names {}, which several revisions carry: {} (blobs {}); not guessed",
            crate::repo::short(*commit),
            a.stamp.value(),
            super::describe_candidates(&a.candidates),
            blobs.join(", ")
        ));
    }
    if !plan.unresolved.is_empty() {
        out.warn(&format!(
            "{} commits name packet revisions this repository does not have (fetch the packet refs first)",
            plan.unresolved.len()
        ));
    }
    if let Some((commit, _)) = plan.ambiguous.first() {
        let n = plan.ambiguous.len();
        return Err(UserError::refused(format!(
            "{n} {} an ambiguous revision and {} left without a note",
            if n == 1 { "commit names" } else { "commits name" },
            if n == 1 { "was" } else { "were" }
        ))
        .hint(format!(
            "attach the right packet yourself, one of the blobs listed above: git notes --ref=handoff add -f -C <blob> {commit}"
        ))
        .into());
    }
    if plan.attach.is_empty() {
        return Err(UserError::refused(format!("nothing to repair in {}", args.range))
            .hint(format!(
                "{} commits without a note also have no Handoff trailer; attach the packet they were made under with git handoff note <commit> --branch <its branch>",
                plan.bare.len()
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
        plan.attach.len(),
        plan.bare.len()
    ));
    Ok(())
}
