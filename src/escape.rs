//! Text that may come from a remote (commit messages, packet values quoted in errors, ref names)
//! is escaped before it reaches a terminal, the way git's `quote_path` escapes a path: control
//! characters become C or octal escapes and invisible direction controls become `\u{…}`, so no
//! remote can move the cursor, retitle the window, or make text read differently than it is.

use std::borrow::Cow;

/// Returns true for the Unicode controls that reorder or hide text: bidirectional embeddings,
/// overrides and isolates, marks, and line/paragraph separators.
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Returns true for characters that display as nothing and could hide text: soft hyphen,
/// Mongolian vowel separator, zero-width space,
/// word joiner and the invisible operators, and the tag characters (U+E0000-U+E007F) that can
/// spell a whole hidden sentence. Zero-width joiners, which build emoji, are not among them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Quotes a value for a POSIX shell command line shown in a hint: `'…'`, with `'` as `'\''`.
pub fn shell(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Escapes everything a terminal would act on, keeping newlines and tabs.
pub fn terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| (c.is_control() && c != '\n' && c != '\t') || is_direction_control(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x80 => out.push_str(&format!("\\{:03o}", u32::from(c))),
            c => out.push_str(&format!("\\u{{{:04X}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

/// Writes the control characters JSON leaves raw (DEL, C1) and the direction controls in a JSON
/// text as `\uXXXX` escapes: the same JSON to a parser, and nothing a terminal acts on (they can
/// occur only inside JSON strings; JSON escapes the C0 controls itself).
pub fn json_direction_controls(json: &str) -> String {
    json.chars()
        .map(|c| {
            if is_direction_control(c) || (c.is_control() && c != '\n') {
                format!("\\u{:04x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on_and_nothing_else() {
        assert_eq!(
            terminal("\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
            "\\033]0;PWNED\\a\\033[2J"
        );
        assert_eq!(
            terminal("delete\r[approved]"),
            "delete\\r[approved]",
            "a carriage return cannot overwrite the start of the line"
        );
        assert_eq!(terminal("abc\u{202E}fdp.exe"), "abc\\u{202E}fdp.exe");
        assert_eq!(terminal("\u{9b}31m"), "\\u{009B}31m", "C1 controls too");
        assert_eq!(terminal("line one\n\tline two"), "line one\n\tline two");
        assert!(matches!(terminal("naïve 👩‍💻 ok"), Cow::Borrowed(_)));
        assert_eq!(json_direction_controls("\"a\u{202E}b\""), "\"a\\u202eb\"");
        assert_eq!(
            json_direction_controls("\"\u{9b}2J\u{7f}\""),
            "\"\\u009b2J\\u007f\""
        );
    }
}
