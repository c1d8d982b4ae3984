//! The agent runtimes (Claude Code, Codex CLI, Gemini CLI, Cursor, GitHub Copilot CLI): where
//! each reads its hooks and instructions, the shape of its hook entries, what its hooks get on
//! stdin and must print. Everything a runtime expects is spelled here, in one table; `setup`,
//! `agent` and `doctor` only ask. Pure.

pub mod block;
pub mod health;
pub mod io;
pub mod jsonc;
pub mod plan;
pub mod settings;

use clap::ValueEnum;

/// A runtime the hooks can be installed into.
// The doc comments are help text, where product names read better without backticks.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Runtime {
    /// Claude Code
    Claude,
    /// OpenAI Codex CLI
    Codex,
    /// Google Gemini CLI
    Gemini,
    /// Cursor (editor and cursor-agent)
    Cursor,
    /// GitHub Copilot CLI
    Copilot,
}

/// Where a runtime's settings are: the repository's own files, or the user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Project,
    User,
}

/// How a runtime nests its hook entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `hooks.<Event>[]` of matcher groups, each with `hooks[]` of `{type, command, timeout}`.
    Nested,
    /// `{version: 1, hooks: {<event>: [{command, timeout}]}}`.
    Flat,
    /// `{version: 1, hooks: {<event>: [{type, bash, timeoutSec}]}}`.
    FlatBash,
}

/// The handler events: what `git handoff agent <event>` is called for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Event {
    /// A session starts, resumes, is cleared or compacted: inject the brief
    SessionStart,
    /// The agent is about to stop: block once when the work moved past the packet
    Stop,
    /// The context is about to be compacted: remind the agent of the packet
    PreCompact,
}

/// One hook we install: the handler and, per runtime, the event name and matcher.
#[derive(Debug, Clone, Copy)]
pub struct Hook {
    pub handler: Event,
    pub matcher: Option<&'static str>,
    /// The event's name in each runtime, in [`Runtime::ALL`] order.
    names: [&'static str; 5],
}

impl Event {
    /// The handler's subcommand name.
    pub fn name(self) -> &'static str {
        match self {
            Event::SessionStart => "session-start",
            Event::Stop => "stop",
            Event::PreCompact => "pre-compact",
        }
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const SESSION_START: Hook = Hook {
    handler: Event::SessionStart,
    matcher: None,
    names: [
        "SessionStart",
        "SessionStart",
        "SessionStart",
        "sessionStart",
        "sessionStart",
    ],
};
const STOP: Hook = Hook {
    handler: Event::Stop,
    matcher: None,
    names: ["Stop", "Stop", "AfterAgent", "stop", "agentStop"],
};
const PRE_COMPACT: Hook = Hook {
    handler: Event::PreCompact,
    matcher: None,
    // Cursor's and Copilot's compaction hooks show nothing to the agent: none installed there.
    names: ["PreCompact", "PreCompact", "PreCompress", "", ""],
};

/// Every hook, in the order a session meets them.
pub const HOOKS: [&Hook; 3] = [&SESSION_START, &STOP, &PRE_COMPACT];

impl Hook {
    /// The event's name in `runtime`'s settings.
    pub fn event(&self, runtime: Runtime) -> &'static str {
        self.names[runtime as usize]
    }

    /// The command the runtime runs (found on PATH when the hook runs).
    pub fn command(&self, runtime: Runtime) -> String {
        format!(
            "git-handoff agent {} --runtime {}",
            self.handler.name(),
            runtime.name()
        )
    }
}

impl Runtime {
    /// Every runtime, in the order of [`Hook`]'s names.
    pub const ALL: [Runtime; 5] = [
        Runtime::Claude,
        Runtime::Codex,
        Runtime::Gemini,
        Runtime::Cursor,
        Runtime::Copilot,
    ];

    /// The runtime's name on the command line, and the agent's name by default.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Claude => "claude",
            Runtime::Codex => "codex",
            Runtime::Gemini => "gemini",
            Runtime::Cursor => "cursor",
            Runtime::Copilot => "copilot",
        }
    }

    /// The runtime a command runs under, from the variable the runtime sets for the commands
    /// its agent runs (`CLAUDECODE=1` for Claude Code, `GEMINI_CLI=1` for Gemini CLI,
    /// `COPILOT_CLI=1` for Copilot CLI; Codex and Cursor document none).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Runtime> {
        [
            ("CLAUDECODE", Runtime::Claude),
            ("GEMINI_CLI", Runtime::Gemini),
            ("COPILOT_CLI", Runtime::Copilot),
        ]
        .into_iter()
        .find(|(name, _)| var(name).as_deref() == Some("1"))
        .map(|(_, runtime)| runtime)
    }

    /// The runtime running a hook, when it is one that also runs Claude Code's hooks (Cursor and
    /// Copilot CLI read `.claude/settings.json` too): Cursor sets `CURSOR_VERSION` for its
    /// hooks, Copilot CLI `COPILOT_CLI=1`. Never when Claude Code itself runs it (`CLAUDECODE=1`,
    /// which its children inherit, say from an editor's terminal that set the others).
    pub fn host_of_claude_hooks(var: impl Fn(&str) -> Option<String>) -> Option<Runtime> {
        if var("CLAUDECODE").as_deref() == Some("1") {
            return None;
        }
        if var("CURSOR_VERSION").is_some_and(|v| !v.is_empty()) {
            return Some(Runtime::Cursor);
        }
        (var("COPILOT_CLI").as_deref() == Some("1")).then_some(Runtime::Copilot)
    }

    /// The runtime's product name, for messages.
    pub fn title(self) -> &'static str {
        match self {
            Runtime::Claude => "Claude Code",
            Runtime::Codex => "Codex CLI",
            Runtime::Gemini => "Gemini CLI",
            Runtime::Cursor => "Cursor",
            Runtime::Copilot => "GitHub Copilot CLI",
        }
    }

    /// How the runtime nests hook entries.
    pub fn layout(self) -> Layout {
        match self {
            Runtime::Claude | Runtime::Codex | Runtime::Gemini => Layout::Nested,
            Runtime::Cursor => Layout::Flat,
            Runtime::Copilot => Layout::FlatBash,
        }
    }

    /// The hooks we install (those the runtime has an event for).
    pub fn hooks(self) -> Vec<&'static Hook> {
        HOOKS
            .into_iter()
            .filter(|h| !h.event(self).is_empty())
            .collect()
    }

    /// The hook timeout, in the runtime's unit: small, as the handler takes milliseconds.
    pub fn timeout(self) -> u64 {
        match self {
            Runtime::Gemini => 10_000, // milliseconds
            _ => 10,                   // seconds
        }
    }

    /// The hooks file, relative to the repository root (project) or the home directory (user).
    pub fn hooks_file(self, scope: Scope) -> &'static str {
        match (self, scope) {
            (Runtime::Claude, _) => ".claude/settings.json",
            (Runtime::Codex, _) => ".codex/hooks.json",
            (Runtime::Gemini, _) => ".gemini/settings.json",
            (Runtime::Cursor, _) => ".cursor/hooks.json",
            (Runtime::Copilot, Scope::Project) => ".github/hooks/git-handoff.json",
            (Runtime::Copilot, Scope::User) => ".copilot/hooks/git-handoff.json",
        }
    }

    /// Settings files the runtime also reads hooks from, besides the one setup writes.
    pub fn also_read(self, scope: Scope) -> &'static [&'static str] {
        match (self, scope) {
            (Runtime::Claude, Scope::Project) => &[".claude/settings.local.json"],
            // Codex runs the hooks of `[hooks]` in config.toml beside those of hooks.json.
            (Runtime::Codex, _) => &[".codex/config.toml"],
            _ => &[],
        }
    }

    /// The instructions file the runtime reads, relative as [`Runtime::hooks_file`] is.
    pub fn instructions_file(self, scope: Scope) -> Option<&'static str> {
        match (self, scope) {
            (Runtime::Claude, Scope::Project) => Some("CLAUDE.md"),
            (Runtime::Claude, Scope::User) => Some(".claude/CLAUDE.md"),
            (Runtime::Gemini, Scope::Project) => Some("GEMINI.md"),
            (Runtime::Gemini, Scope::User) => Some(".gemini/GEMINI.md"),
            (Runtime::Codex, Scope::User) => Some(".codex/AGENTS.md"),
            (Runtime::Copilot, Scope::User) => Some(".copilot/copilot-instructions.md"),
            (_, Scope::Project) => Some("AGENTS.md"),
            (Runtime::Cursor, Scope::User) => None,
        }
    }

    /// The most context the runtime takes from a session-start hook in one piece, in bytes:
    /// Claude Code caps it at 10,000 characters; Codex moves what passes about 2,500 tokens to
    /// a file, so its budget keeps well below (2,000 tokens at 4 bytes each).
    pub fn context_budget(self) -> usize {
        if self == Runtime::Codex {
            8_000
        } else {
            10_000
        }
    }
}

#[cfg(test)]
mod tests;
