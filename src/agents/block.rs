//! The managed block in an instructions file (`AGENTS.md`, `CLAUDE.md`, `GEMINI.md`): a few
//! lines between markers telling the agent how the packet works. Only the text between the
//! markers is ours; everything outside is the user's and keeps its bytes. Pure.

/// The first line of the block; the version says which text it holds.
pub const BEGIN: &str = "<!-- git-handoff:begin v1 -->";
/// The last line of the block.
pub const END: &str = "<!-- git-handoff:end -->";
/// How the begin marker of any version starts.
const BEGIN_PREFIX: &str = "<!-- git-handoff:begin";
/// The heading of a file the block is the first content of (a Markdown file starts with one).
const NEW_FILE_HEADING: &str = "# Notes for coding agents\n";

/// The block, markers included: lines of at most 80 characters, blank lines around the heading
/// and the list, so it passes markdownlint's default rules wherever it sits.
pub fn text() -> String {
    [
        BEGIN,
        "",
        "## Handoff packet",
        "",
        "This branch's task contract is kept in git by `git handoff`.",
        "",
        "- Read it first: `git handoff brief` (all of it: `git handoff show`).",
        "- Never retry an approach the packet lists as rejected.",
        "- Before each commit: `git handoff update --done \"…\" --next \"…\"`.",
        "- Record choices and dead ends: `--decision \"what :: why\"`,",
        "  `--rejected \"what :: why\"`.",
        "- When your part is done: `git handoff pass --to audit` (or another lane).",
        "- To resume work you hold: `git handoff take`.",
        "",
        END,
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect()
}

/// The block with the line ends `like` uses (CRLF when it has them).
fn text_like(like: &str) -> String {
    if like.contains("\r\n") {
        text().replace('\n', "\r\n")
    } else {
        text()
    }
}

/// Where the blocks of a text are, as line ranges (the begin marker to the end marker); a begin
/// marker with no end marker after it ends the scan (see [`unclosed`]), so nothing past it is
/// ever taken for ours.
fn blocks(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end().starts_with(BEGIN_PREFIX) {
            let Some(end) = (i..lines.len()).find(|k| lines[*k].trim_end() == END) else {
                break;
            };
            out.push(i..end + 1);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The line (from 1) of a begin marker with no end marker after it, which install and remove
/// refuse: the user's text after it must not be taken for ours.
pub fn unclosed(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut open = None;
    for (k, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.starts_with(BEGIN_PREFIX) && open.is_none() {
            open = Some(k + 1);
        } else if line == END {
            open = None;
        }
    }
    open
}

/// What the instructions file should hold: the current block in place of the first one found
/// (others removed), or appended after one blank line; a file that does not exist starts with a
/// heading. Returns the text unchanged when the block is current.
pub fn install(text: Option<&str>) -> String {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return format!("{NEW_FILE_HEADING}\n{}", self::text());
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let found = blocks(&lines);
    let block = text_like(text);
    let Some(first) = found.first().cloned() else {
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let sep = if text.ends_with('\n') {
            nl.to_string()
        } else {
            format!("{nl}{nl}")
        };
        return format!("{text}{sep}{block}");
    };
    let mut out = String::new();
    for (k, line) in lines.iter().enumerate() {
        if k == first.start {
            out.push_str(&block);
        }
        if !found.iter().any(|b| b.contains(&k)) {
            out.push_str(line);
        }
    }
    out
}

/// The file without our blocks (and the blank line each was set apart by); `None` when nothing
/// of the user's would be left (the file is to be deleted).
pub fn remove(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let found = blocks(&lines);
    if found.is_empty() {
        return Some(text.to_string());
    }
    let mut drop: Vec<usize> = Vec::new();
    for b in &found {
        drop.extend(b.clone());
        let blank = |k: usize| lines.get(k).is_some_and(|l| l.trim().is_empty());
        if b.start > 0 && blank(b.start - 1) {
            drop.push(b.start - 1);
        } else if blank(b.end) {
            drop.push(b.end);
        }
    }
    let out: String = (lines.iter().enumerate())
        .filter(|(k, _)| !drop.contains(k))
        .map(|(_, l)| *l)
        .collect();
    if out.trim().is_empty() || out == NEW_FILE_HEADING {
        return None;
    }
    Some(out)
}

/// Whether `text` holds exactly one block and it is the current one.
pub fn is_current(text: &str) -> bool {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let found = blocks(&lines);
    found.len() == 1 && lines[found[0].clone()].concat() == text_like(text)
}

/// Whether `text` holds a block of any version.
pub fn is_present(text: &str) -> bool {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    !blocks(&lines).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_ten_to_fifteen_lines_of_at_most_eighty_characters() {
        let block = text();
        let lines: Vec<&str> = block.lines().collect();
        assert!((10..=15).contains(&lines.len()), "{} lines", lines.len());
        for line in lines {
            assert!(line.chars().count() <= 80, "too long: {line}");
        }
    }

    #[test]
    fn install_appends_once_and_remove_gives_the_original_back() {
        let original = "# Project\n\nUse tabs.\n";
        let once = install(Some(original));
        assert_eq!(once, format!("{original}\n{}", text()));
        assert_eq!(
            install(Some(&once)),
            once,
            "a second install changes nothing"
        );
        assert!(is_current(&once));
        assert_eq!(remove(&once).as_deref(), Some(original));
    }

    #[test]
    fn a_crlf_file_gets_a_crlf_block_and_its_bytes_back() {
        let original = "# Project\r\n\r\nUse tabs.\r\n";
        let once = install(Some(original));
        assert!(!once.replace("\r\n", "").contains('\n'), "{once:?}");
        assert!(is_current(&once));
        assert_eq!(install(Some(&once)), once);
        assert_eq!(remove(&once).as_deref(), Some(original));
    }

    #[test]
    fn an_unclosed_begin_marker_is_found_and_takes_nothing_with_it() {
        let text = "# P\n\n<!-- git-handoff:begin v1 -->\n\n## Build\n\nRun make.\n";
        assert_eq!(unclosed(text), Some(3));
        assert!(!is_present(text));
        assert_eq!(unclosed(&install(Some("# P\n"))), None);
    }

    #[test]
    fn a_created_file_is_deleted_again() {
        let created = install(None);
        assert!(created.starts_with("# "));
        assert_eq!(remove(&created), None);
    }

    #[test]
    fn an_old_or_duplicated_block_is_replaced_in_place_and_text_around_it_kept() {
        let stale = "# P\n\n<!-- git-handoff:begin v0 -->\nold\n<!-- git-handoff:end -->\n\nAfter.\n\n<!-- git-handoff:begin v1 -->\ncopy\n<!-- git-handoff:end -->\n";
        let fixed = install(Some(stale));
        assert!(is_current(&fixed), "{fixed}");
        assert!(fixed.starts_with(&format!("# P\n\n{}", text())), "{fixed}");
        assert!(fixed.contains("\nAfter.\n"));
        assert!(!is_current(stale));
    }
}
