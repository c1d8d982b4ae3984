//! `git handoff import`: HANDOFF.md (the export's block, or a hand-written file) as the next
//! revision of the branch's packet, or as a new packet.

use std::path::PathBuf;

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::handoff_md::{self, Imported};
use crate::output::Output;
use crate::packet::{self, Draft, Packet};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Markdown file (- for stdin)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Start a new packet from the file instead of writing the next revision
    #[arg(long)]
    pub start: bool,
    /// Write the next revision of the branch's packet: the file's sections replace the fields
    /// they hold, the rest stays (the default)
    #[arg(long, conflicts_with = "start")]
    pub update: bool,
    /// Leave out sections and lines that fit no packet field instead of refusing
    #[arg(long)]
    pub skip_unknown: bool,
    #[command(flatten)]
    pub actor: super::act::AsArg,
    /// Write a string the secret scan flags, by the fingerprint its refusal names
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
}

pub fn cmd_import(args: &ImportArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let text = super::read_text(&args.file, "import takes a Markdown file, or - for stdin")?;
    let imported = handoff_md::import(&text);
    let name = if args.file.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        args.file.display().to_string()
    };
    if let Some(problem) = imported.unknown.first() {
        if !args.skip_unknown {
            return Err(
                UserError::new(format!("{name} line {}: {}", problem.line, problem.what))
                    .hint(format!(
                "write it as HANDOFF.md is written (git handoff export shows one; sections: {}), or pass --skip-unknown to leave it out",
                handoff_md::section_titles()
            ))
                    .into(),
            );
        }
        for problem in &imported.unknown {
            out.warn(&format!(
                "{name} line {}: left out: {}",
                problem.line, problem.what
            ));
        }
    }
    let repo = super::open()?;
    let target = super::write_target(&repo)?;
    let writer = crate::clock::WriterCell::acting(&repo, args.actor.name.as_deref());
    let adopted = super::adopt_fetched(&repo, &writer, out, &target.branch)?;
    let event = if args.start { "start" } else { "update" };
    let id = crate::clock::mint_id();
    let revision = super::write_checked(
        &repo,
        &args.allow_secret,
        &target.branch,
        event,
        |current| {
            if args.start {
                let open = current
                    .and_then(Result::ok)
                    .filter(|cur| cur.packet.state.status != packet::Status::Done);
                if let Some(cur) = open {
                    return Err(UserError::refused(format!(
                        "branch {} already has an open packet {} (r{})",
                        target.branch, cur.packet.id, cur.packet.revision
                    ))
                    .hint(format!("import into it: git handoff import {name}"))
                    .into());
                }
                let header = super::next_header(writer.get()?, &target, id.clone(), current)?;
                let draft = body(&imported, &serde_json::json!({}), &name)?;
                let mut p = draft.into_packet(header);
                crate::handoff::fresh_record(&mut p);
                return checked(p, &name);
            }
            let cur = super::act::current_packet(&target.branch, current)?;
            stale_export(&imported, &cur.packet, &name)?;
            let header =
                super::next_header(writer.get()?, &target, cur.packet.id.clone(), current)?;
            let draft = body(&imported, &packet::to_json(&cur.packet), &name)?;
            let mut p = draft.into_packet(header);
            crate::handoff::carry_records(&cur.packet, &mut p);
            let w = writer.get()?;
            crate::handoff::records_kept(&cur.packet, &p, &w.actor)?;
            if p.same_body(&cur.packet) {
                return Err(UserError::refused(format!(
                    "nothing to import: {name} says what the packet says"
                ))
                .hint("edit the file, then import it again")
                .into());
            }
            checked(p, &name)
        },
    )?;
    adopted.keep();
    let p = &revision.packet;
    let verb = if args.start { "started" } else { "imported" };
    out.status(&format!(
        "{verb} {name} as {} r{} on {}",
        p.id, p.revision, p.branch
    ));
    if format == Format::Json {
        out.json(&super::show::revision_summary(&revision))?;
    }
    Ok(())
}

/// The packet body the file gives, laid over `base` (the current packet's JSON, or nothing).
fn body(imported: &Imported, base: &serde_json::Value, name: &str) -> anyhow::Result<Draft> {
    serde_json::from_value(imported.apply_to(base)).map_err(|e| {
        UserError::new(format!("{name}: {e}"))
            .hint("fix the value named above; git handoff export prints a file to start from")
            .into()
    })
}

/// An export of an older revision would undo what came since: refused, as `update --from` does.
fn stale_export(imported: &Imported, cur: &Packet, name: &str) -> anyhow::Result<()> {
    if let Some(id) = imported.id.as_deref().filter(|id| *id != cur.id) {
        return Err(UserError::new(format!(
            "{name} is the export of packet {id}, but this branch holds {}",
            cur.id
        ))
        .hint("import it on its own branch, or start a packet from it: git handoff import --start FILE")
        .into());
    }
    if let Some(r) = imported.revision.filter(|r| *r > cur.revision) {
        return Err(UserError::new(format!(
            "{name} names r{r}, but the packet is at r{}: it is no export of this packet's history",
            cur.revision
        ))
        .hint("export again (git handoff export --to FILE), redo the change, and import")
        .into());
    }
    if let Some(r) = imported.revision.filter(|r| *r != cur.revision) {
        return Err(UserError::new(format!(
            "{name} was exported at r{r}, but the packet is at r{}: importing it would undo r{}..r{}",
            cur.revision,
            r + 1,
            cur.revision
        ))
        .hint("export again (git handoff export --to FILE), redo the change, and import")
        .into());
    }
    Ok(())
}

fn checked(p: Packet, name: &str) -> anyhow::Result<Packet> {
    packet::validate(&p).map_err(|e| {
        UserError::new(format!("cannot import {name}: {e}"))
            .hint("fix the section holding the field named above, then import again")
    })?;
    Ok(p)
}
