//! One file per command; this module holds the dispatch and what several commands share.

pub mod act;
pub mod agent;
mod agent_start;
pub mod board;
pub mod brief;
pub mod check;
pub mod diff;
pub mod doctor;
pub mod edit;
pub mod export;
mod fetched;
mod fields;
mod files;
pub mod hook;
pub mod import;
pub mod inbox;
pub mod init;
pub mod init_manager;
pub mod list;
pub mod log;
pub mod man;
pub mod note;
pub mod notes;
pub mod pass;
pub mod policy;
pub mod pull;
pub mod push;
pub mod recall;
pub mod repair;
pub mod resolve;
pub mod review;
pub mod setup;
pub mod show;
pub mod start;
pub mod sync;
pub mod take;
pub mod uninstall;
pub mod update;
pub mod validate;

pub(crate) use fetched::{
    adopt_fetched, announce_fetched, fetched_ahead, fetched_in_the_way, fetched_packet,
};
pub(crate) use files::{read_draft, read_text, writable_place};

use crate::repo::short;

use crate::cli::Command;
use crate::error::{user_error, UserError};
use crate::output::Output;
use crate::packet::{self, Header, Writer};
use crate::repo::{Head, Oid, Repo};
use crate::store::{self, Chain, Lookup, Revision};
use crate::trailer::Selector;

/// Runs one subcommand.
pub fn dispatch(command: Command, out: &Output) -> anyhow::Result<()> {
    match command {
        Command::Start(args) => start::cmd_start(&args, out),
        Command::Update(args) => update::cmd_update(&args, out),
        Command::Edit(args) => edit::cmd_edit(&args, out),
        Command::Show(args) => show::cmd_show(&args, out),
        Command::Log(args) => log::cmd_log(&args, out),
        Command::Diff(args) => diff::cmd_diff(&args, out),
        Command::List(args) => list::cmd_list(&args, out),
        Command::Inbox(args) => inbox::cmd_inbox(&args, out),
        Command::Recall(args) => recall::cmd_recall(&args, out),
        Command::Board(args) => board::cmd_board(&args, out),
        Command::Export(args) => export::cmd_export(&args, out),
        Command::Import(args) => import::cmd_import(&args, out),
        Command::Note(args) => note::cmd_note(&args, out),
        Command::Notes(args) => notes::cmd_notes(&args, out),
        Command::Init(args) => init::cmd_init(&args, out),
        Command::Uninstall(args) => uninstall::cmd_uninstall(&args, out),
        Command::Hook(args) => hook::cmd_hook(&args, out),
        Command::Repair(args) => repair::cmd_repair(&args, out),
        Command::Check(args) => check::cmd_check(&args, out),
        Command::Policy(args) => policy::cmd_policy(&args, out),
        Command::Push(args) => push::cmd_push(&args, out),
        Command::Pull(args) => pull::cmd_pull(&args, out),
        Command::Sync(args) => sync::cmd_sync(&args, out),
        Command::Pass(args) => pass::cmd_pass(&args, out),
        Command::Take(args) => take::cmd_take(&args, out),
        Command::Review(args) => review::cmd_review(&args, out),
        Command::Resolve(args) => resolve::cmd_resolve(&args, out),
        Command::Validate(args) => validate::cmd_validate(&args, out),
        Command::Brief(args) => brief::cmd_brief(&args, out),
        Command::Setup(args) => setup::cmd_setup(&args, out),
        Command::Doctor(args) => doctor::cmd_doctor(&args, out),
        Command::Agent(args) => agent::cmd_agent(&args, out),
        Command::Man { dir } => man::cmd_man(dir.as_deref(), out),
    }
}

/// The branch a write goes to and its HEAD commit (`None` while unborn).
pub(crate) struct Target {
    pub branch: String,
    pub head: Option<Oid>,
}

/// Opens the repository for a write: refuses bare repositories and a detached HEAD.
pub(crate) fn write_target(repo: &Repo) -> anyhow::Result<Target> {
    if repo.is_bare() {
        return user_error(
            "this is a bare repository; packets are written from a work tree",
            "clone it and run the command in the clone",
        );
    }
    match repo.head()? {
        Head::Branch { name, commit } => Ok(Target {
            branch: name,
            head: commit,
        }),
        Head::Detached(id) => user_error(
            format!(
                "HEAD is detached at {}; packets belong to branches",
                short(id)
            ),
            "create or switch to a branch first: git switch -c <branch>",
        ),
    }
}

/// Returns the current branch's name for reading, with a hint when HEAD is detached.
/// `usage` shows the command with a branch named, for the hint.
pub(crate) fn current_branch(repo: &Repo, usage: &str) -> anyhow::Result<String> {
    match repo.head()? {
        Head::Branch { name, .. } => Ok(name),
        Head::Detached(id) => user_error(
            format!("HEAD is detached at {}; name a branch", short(id)),
            usage,
        ),
    }
}

/// Returns the branch named (the current one by default) and its chain: local, else the
/// upstream's fetched copy, as every reader resolves it.
pub(crate) fn chain_of(
    repo: &Repo,
    out: &Output,
    named: Option<&str>,
    usage: &str,
) -> anyhow::Result<(String, Chain)> {
    let branch = match named {
        Some(b) => b.to_string(),
        None => current_branch(repo, usage)?,
    };
    match store::resolve_chain(repo, &branch)? {
        Some(chain) => {
            announce_fetched(repo, out, &branch, &chain);
            Ok((branch, chain))
        }
        None => match fetched_in_the_way(repo, &branch)? {
            Some(hint) => user_error(format!("branch {branch} has no packet here"), &hint),
            None => user_error(
                format!("branch {branch} has no packet"),
                "start one: git handoff start --goal \"…\" --accept \"…\" (git handoff list shows every packet)",
            ),
        },
    }
}

/// The commit `branch`'s work is at, as a ref name: the local branch; else, when HEAD is on
/// another branch, the branch as a remote has it (the upstream's first); else HEAD (a detached
/// checkout, as CI makes, of the commit under review).
pub(crate) fn branch_tip(repo: &Repo, branch: &str) -> String {
    let local = format!("refs/heads/{branch}");
    if repo.resolve_commit(&local).is_some() {
        return local;
    }
    if matches!(repo.head(), Ok(Head::Branch { .. })) {
        let mut remotes: Vec<String> = repo.upstream_remote(branch).into_iter().collect();
        remotes.extend(repo.remote_names());
        for remote in remotes {
            let tracking = format!("refs/remotes/{remote}/{branch}");
            if repo.resolve_commit(&tracking).is_some() {
                return tracking;
            }
        }
    }
    "HEAD".into()
}

/// Builds the header of the next revision.
pub(crate) fn next_header(
    writer: &Writer,
    target: &Target,
    id: String,
    previous: Option<Result<&Revision, &crate::store::Broken>>,
) -> anyhow::Result<Header> {
    let last = match previous {
        None => 0,
        Some(Ok(r)) => r.packet.revision,
        Some(Err(broken)) => broken.number,
    };
    let Some(revision) = last.checked_add(1).filter(|n| *n <= packet::MAX_REVISION) else {
        // Numbers only grow along a chain, so a new packet needs a chain of its own.
        let chain = store::chain_ref(&target.branch);
        let archive = store::archive_ref(&target.branch);
        return user_error(
            format!(
                "the packet of {} is at revision {last}, the highest a chain may reach",
                target.branch
            ),
            format!(
                "keep the chain under another name and start afresh: git update-ref {archive} {chain} && git update-ref -d {chain} && git handoff start --goal \"…\" --accept \"…\""
            ),
        );
    };
    Ok(Header {
        id,
        revision,
        branch: target.branch.clone(),
        base: target.head.map(|h| h.to_string()).unwrap_or_default(),
        updated: writer.at,
        author: writer.author.clone(),
        actor: Some(writer.actor.clone()),
    })
}

/// Writes the next revision as [`store::write`] does, refusing a packet that carries a credential
/// (a secret written once travels to every clone and stays in every revision).
pub(crate) fn write_checked(
    repo: &Repo,
    allow: &[String],
    branch: &str,
    event: &str,
    mut make: impl FnMut(Option<Result<&Revision, &store::Broken>>) -> anyhow::Result<packet::Packet>,
) -> anyhow::Result<Revision> {
    write_event_checked(repo, allow, branch, |current| {
        Ok((make(current)?, event.to_string()))
    })
}

/// Writes the next revision as [`write_checked`] does, where `make` also names the event.
pub(crate) fn write_event_checked(
    repo: &Repo,
    allow: &[String],
    branch: &str,
    mut make: impl FnMut(
        Option<Result<&Revision, &store::Broken>>,
    ) -> anyhow::Result<(packet::Packet, String)>,
) -> anyhow::Result<Revision> {
    let policy = crate::policy::load(repo)?;
    store::write_event(repo, branch, |current| {
        let (packet, event) = make(current)?;
        crate::secrets::refuse(
            repo,
            &policy,
            allow,
            [&packet],
            |_| String::new(),
            "nothing was written",
        )?;
        Ok((packet, event))
    })
}

/// Parses a revision as given on the command line: `N`, `rN` or `N@<content id>`.
pub(crate) fn parse_selector(text: &str) -> anyhow::Result<Selector> {
    Selector::parse(text).ok_or_else(|| {
        UserError::new(format!("{text:?} is not a revision"))
            .hint("give a revision as 3, r3 or 3@<content id>; git handoff log lists them")
            .into()
    })
}

/// Returns the revision of `chain` that `selector` names; an ambiguous number (two clones both
/// wrote it) is refused with every candidate, and `example` shows how to pick one.
pub(crate) fn pick_revision(
    repo: &Repo,
    chain: &Chain,
    selector: &Selector,
    example: impl Fn(&str) -> String,
) -> anyhow::Result<Revision> {
    match store::find_revision(repo, &chain.refname, selector)? {
        Lookup::Found(revision) => Ok(*revision),
        Lookup::Missing => user_error(
            format!("{} has no revision {selector}", chain.branch),
            format!("git handoff log {} lists its revisions", chain.branch),
        ),
        Lookup::Ambiguous(candidates) => {
            let first = revision_name(&candidates[0]);
            Err(UserError::refused(format!(
                "revision {selector} of {} is ambiguous: {}",
                chain.branch,
                describe_candidates(&candidates)
            ))
            .hint(format!("select one by its content id: {}", example(&first)))
            .into())
        }
    }
}

/// Names a revision unambiguously: `N@<content id>`.
pub(crate) fn revision_name(revision: &Revision) -> String {
    format!(
        "{}@{}",
        revision.packet.revision,
        crate::trailer::content_id(&revision.blob.to_string())
    )
}

/// Lists candidate revisions as `N@<content id> (<author>, <updated>)`.
pub(crate) fn describe_candidates(candidates: &[Revision]) -> String {
    candidates
        .iter()
        .map(|r| {
            format!(
                "{} ({}, {})",
                revision_name(r),
                r.packet.author,
                r.packet.updated
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Opens the repository.
pub(crate) fn open() -> anyhow::Result<Repo> {
    Repo::discover()
}
