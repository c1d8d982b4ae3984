//! The board as one self-contained HTML page: no script, no external asset, every packet string
//! escaped.

use std::fmt::Write;

use super::board::{Card, Column};
use super::inbox;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#xFFFD;");
            }
            c if crate::escape::is_direction_control(c) || crate::escape::is_invisible(c) => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:16px;background:#f4f5f7;color:#172b4d}\
h1{font-size:18px;margin:0 0 4px}\
p.meta{margin:0 0 16px;color:#5e6c84}\
main{display:grid;grid-template-columns:repeat(6,minmax(180px,1fr));gap:12px;align-items:start}\
section{background:#ebecf0;border-radius:6px;padding:8px}\
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;margin:4px 4px 8px;color:#42526e}\
h2 span{float:right;font-weight:normal}\
article{background:#fff;border-radius:4px;padding:8px;margin-bottom:8px;box-shadow:0 1px 1px #091e4240}\
article h3{font-size:14px;margin:0 0 4px;overflow-wrap:anywhere}\
article p{margin:2px 0;color:#42526e;overflow-wrap:anywhere}\
code{font-size:12px}\
ul.flags{list-style:none;padding:0;margin:6px 0 0}\
ul.flags li{display:inline-block;background:#ffebe6;color:#bf2600;border-radius:3px;padding:0 4px;margin:0 4px 2px 0;font-size:12px}\
@media (max-width:900px){main{grid-template-columns:1fr}}";

/// Renders the page: a heading, then one section per column with its cards.
pub fn page(columns: &[Column], generated: &str) -> String {
    let total: usize = columns.iter().map(|c| c.cards.len()).sum();
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>git-handoff board</title>\n");
    let _ = writeln!(s, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(
        s,
        "<h1>Handoff board</h1>\n<p class=\"meta\">{total} packet{} · generated {}</p>\n<main>",
        if total == 1 { "" } else { "s" },
        escape(generated)
    );
    for column in columns {
        let _ = writeln!(
            s,
            "<section id=\"{}\" data-status=\"{}\">\n<h2>{} <span>{}</span></h2>",
            column.key,
            column.key,
            escape(column.title),
            column.cards.len()
        );
        for card in &column.cards {
            card_html(&mut s, card);
        }
        s.push_str("</section>\n");
    }
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

fn card_html(s: &mut String, c: &Card) {
    let _ = writeln!(
        s,
        "<article class=\"card\" data-branch=\"{}\">",
        escape(&c.branch)
    );
    let _ = writeln!(s, "<h3>{}</h3>", escape(&c.goal));
    let _ = writeln!(
        s,
        "<p><code>{}</code> · {} r{} · {}</p>",
        escape(&c.branch),
        escape(&c.id),
        c.revision,
        escape(c.status)
    );
    let holder = format!(
        "{} / {}",
        c.lane.unwrap_or("no lane"),
        c.owner.as_deref().unwrap_or("no owner")
    );
    let _ = writeln!(s, "<p>{}</p>", escape(&holder));
    if let Some(reviewer) = &c.reviewer {
        let _ = writeln!(s, "<p>reviewer: {}</p>", escape(reviewer));
    }
    let _ = writeln!(
        s,
        "<p>hops {}/{} · cycles {} · {} ago</p>",
        c.hops,
        c.max_hops,
        c.cycles,
        inbox::age(c.age_seconds)
    );
    let _ = writeln!(s, "<p>validation: {}</p>", escape(c.validation));
    let remote: Vec<&String> = c.sources.iter().filter(|s| *s != super::LOCAL).collect();
    if !remote.is_empty() {
        let names: Vec<&str> = remote.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(s, "<p>from {}</p>", escape(&names.join(", ")));
    }
    if !c.flags.is_empty() {
        s.push_str("<ul class=\"flags\">");
        for flag in &c.flags {
            let _ = write!(s, "<li>{}</li>", flag.as_str());
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_and_hidden_control_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{1b}[2Jb\u{202E}c"), "a&#xFFFD;[2Jb&#x202E;c");
    }
}
