//! `git handoff board`: every packet as a card in a column by status, for whoever steers the
//! work; `--html` writes it as one self-contained page.

use std::path::PathBuf;

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::output::{align, Output};
use crate::views::board::{self, Card, Column};
use crate::views::inbox;
use crate::views::{self, html};

#[derive(Debug, Args)]
pub struct BoardArgs {
    /// Write the board as a self-contained HTML page to FILE (- for stdout)
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

pub fn cmd_board(args: &BoardArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    if args.html.is_some() && format != Format::Human {
        return Err(UserError::new(
            "--html writes the page as HTML; --format does not apply to it",
        )
        .hint("leave out --format, or leave out --html for the board as JSON")
        .into());
    }
    if let Some(path) = args.html.as_deref().filter(|p| p.as_os_str() != "-") {
        super::writable_place(path)?;
    }
    let repo = super::open()?;
    let policy = crate::policy::load(&repo)?;
    let now = crate::clock::now()?;
    let mut cards = Vec::new();
    for seen in views::gather(&repo, &mut |w| out.warn(&w))? {
        let facts = seen.facts(&repo, &policy, now.seconds());
        cards.push(board::card(seen, &facts));
    }
    let columns = board::columns(cards);
    if let Some(path) = &args.html {
        let page = html::page(&columns, &now.to_string());
        return write_page(path, &page, out);
    }
    if format == Format::Json {
        return out.json(&columns);
    }
    out.data(&human(&columns))
}

fn write_page(path: &std::path::Path, page: &str, out: &Output) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        return out.data(page);
    }
    crate::atomic::write(path, page).map_err(|e| {
        UserError::new(format!("cannot write {}: {e}", path.display()))
            .hint("name a file in a directory you can write to, or - for stdout")
    })?;
    out.status(&format!("wrote the board to {}", path.display()));
    Ok(())
}

fn human(columns: &[Column]) -> String {
    let mut text = String::new();
    for column in columns {
        text.push_str(&format!("{} ({})\n", column.title, column.cards.len()));
        let rows: Vec<Vec<String>> = column.cards.iter().map(cells).collect();
        for line in align(&rows).lines() {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn cells(c: &Card) -> Vec<String> {
    let goal = views::headline(&c.goal, 50);
    let flags: Vec<&str> = c.flags.iter().map(|f| f.as_str()).collect();
    vec![
        c.branch.clone(),
        format!(
            "{}/{}",
            c.lane.unwrap_or("-"),
            c.owner.as_deref().unwrap_or("-")
        ),
        format!("hops {}/{}", c.hops, c.max_hops),
        format!("cycles {}", c.cycles),
        inbox::age(c.age_seconds),
        c.validation.to_string(),
        goal,
        if flags.is_empty() {
            String::new()
        } else {
            format!("[{}]", flags.join(", "))
        },
    ]
}
