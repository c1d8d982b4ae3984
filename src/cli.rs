//! The command line: global options and the subcommands (doc comments are the help text).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands;

/// Versioned handoff packets for agents and people, stored in git
///
/// A handoff packet is the task contract of a branch: the goal, the acceptance gate, what is done
/// and what is next, the decisions taken and the approaches rejected. Each write is a revision in
/// refs/handoff/heads/<branch>; each commit can carry the revision it was made under as a note in
/// refs/notes/handoff, so `git log --notes=handoff` shows the intent beside the diff.
#[derive(Debug, Parser)]
#[command(
    name = "git-handoff",
    bin_name = "git handoff",
    version,
    max_term_width = 100,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Run as if started in PATH
    #[arg(short = 'C', value_name = "PATH", global = true)]
    pub directory: Option<PathBuf>,

    /// Output format for data on stdout
    #[arg(long, value_enum, global = true)]
    pub format: Option<Format>,

    /// Print no status messages on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// How a command renders its data.
// The doc comments are help text, where product names read better without backticks.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people (also: text)
    #[value(alias = "text")]
    Human,
    /// JSON with the packet's own field names
    Json,
    /// The packet as stored
    Toml,
    /// A Markdown brief
    Md,
    /// GitHub Actions annotations (check)
    Github,
    /// JUnit XML (check)
    Junit,
}

/// The formats each subcommand prints, its default first: the one table `--format` is checked
/// against and each subcommand's help lists.
pub fn formats(subcommand: &str) -> &'static [Format] {
    use Format::{Github, Human, Json, Junit, Md, Toml};
    match subcommand {
        "show" => &[Toml, Json, Md],
        "brief" => &[Human, Md, Json],
        "check" => &[Human, Json, Github, Junit],
        "edit" | "hook" | "man" | "agent" | "export" => &[Human],
        _ => &[Human, Json],
    }
}

/// The command line as parsed: `--format` lists, for each subcommand, only what it prints.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command().mut_arg("format", |arg| {
        arg.hide_possible_values(true)
            .help("Output format for data on stdout (each command's help lists its formats)")
    });
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let list: Vec<String> = (formats(&name).iter().enumerate())
            .map(|(i, f)| match i {
                0 => format!("{} (default)", f.name()),
                _ => f.name().to_string(),
            })
            .collect();
        let line = format!("Formats (--format): {}", list.join(", "));
        command = command.mut_subcommand(&name, |c| c.after_help(line));
    }
    command
}

impl Format {
    /// Returns the flag value naming this format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Toml => "toml",
            Format::Md => "md",
            Format::Github => "github",
            Format::Junit => "junit",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new packet on the current branch
    Start(Box<commands::start::StartArgs>),
    /// Write the next revision of the current branch's packet
    Update(Box<commands::update::UpdateArgs>),
    /// Edit the packet in your editor and write the result as the next revision
    Edit(commands::edit::EditArgs),
    /// Hand control of the work to another lane or owner (one hop)
    Pass(commands::pass::PassArgs),
    /// Claim the work, or resume it, in its lane (no hop)
    Take(commands::take::TakeArgs),
    /// Record a review verdict on the tip: approve it, or send it back with findings
    Review(commands::review::ReviewArgs),
    /// Mark review findings resolved
    Resolve(commands::resolve::ResolveArgs),
    /// Run the packet's validation command and record the result for the tree it ran on
    Validate(commands::validate::ValidateArgs),
    /// Print the compact brief of a branch's packet for the next agent (within a token budget)
    Brief(commands::brief::BriefArgs),
    /// Show a branch's packet, a revision of it, or the packet a commit was made under
    Show(commands::show::ShowArgs),
    /// List the revisions of a branch's packet
    Log(commands::log::LogArgs),
    /// Show what changed between two revisions, field by field
    Diff(commands::diff::DiffArgs),
    /// List every packet, local and fetched
    List(commands::list::ListArgs),
    /// What waits for you across every packet, local and fetched: yours, your reviews, your
    /// lane's unowned work, questions addressed to you
    Inbox(commands::inbox::InboxArgs),
    /// Search the decisions, rejected approaches, findings and state items of every revision of
    /// every packet, local and fetched
    Recall(commands::recall::RecallArgs),
    /// Every packet as a card in a column by status, for whoever steers the work (--html writes
    /// one self-contained page)
    Board(commands::board::BoardArgs),
    /// Write the packet as HANDOFF.md: fixed sections in a managed block
    Export(commands::export::ExportArgs),
    /// Read HANDOFF.md (an export, or a hand-written one) into the next revision or a new packet
    Import(commands::import::ImportArgs),
    /// Attach the current revision to a commit as its note
    Note(commands::note::NoteArgs),
    /// Show the packet revision each commit of a range was made under
    Notes(commands::notes::NotesArgs),
    /// Install the hooks (gate, trailer, notes, push) and the fetch refspecs for packets
    Init(commands::init::InitArgs),
    /// Remove the hooks and put back what was there before (husky: take its lines out)
    Uninstall(commands::uninstall::UninstallArgs),
    /// Run one hook step (what the installed hook shims call)
    #[command(hide = true)]
    Hook(commands::hook::HookArgs),
    /// Rebuild missing notes from the commits' Handoff trailers
    Repair(commands::repair::RepairArgs),
    /// Check a branch for review: packet, intent of every commit, policy (CI and servers)
    Check(commands::check::CheckArgs),
    /// Print the effective policy and where each value came from
    Policy(commands::policy::PolicyArgs),
    /// Push packet chains and notes to a remote (fetch, merge and retry on rejection)
    Push(commands::push::TravelArgs),
    /// Fetch packet chains and notes from a remote and merge them into the local ones
    Pull(commands::push::TravelArgs),
    /// Pull, then push
    Sync(commands::push::TravelArgs),
    /// Set up an agent runtime: hooks that bring the brief to each session, and a managed block
    /// in the instructions file it reads
    Setup(commands::setup::SetupArgs),
    /// Check what agent runtimes would see: the binary, git hooks, fetch refspecs, runtime setup
    Doctor(commands::doctor::DoctorArgs),
    /// Answer an agent runtime's hook: brief at session start, reminders at stop (what `setup` installs)
    Agent(commands::agent::AgentArgs),
    /// Print the manual page (roff) on stdout, or write every page into a directory
    #[command(hide = true)]
    Man {
        /// Write git-handoff.1 and one git-handoff-<command>.1 per command into DIR
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}
