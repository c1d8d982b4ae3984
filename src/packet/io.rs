//! Reading and writing packets as TOML (the stored form) and JSON (for tools).

use serde::Deserialize;

use super::{
    validate, Artifact, Control, Finding, Header, Packet, Reason, State, Task, Validation, Verdict,
    SCHEMA,
};

/// Why a packet text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text is not valid TOML or JSON for a packet; `at` is "line L, column C" when known.
    #[error("{at}{message}")]
    Syntax { at: String, message: String },
    /// The packet declares a schema this build does not read.
    #[error("unsupported packet schema {0} (this git-handoff reads schema {SCHEMA})")]
    Schema(i64),
    /// The packet parsed but breaks a rule; names the field.
    #[error(transparent)]
    Invalid(#[from] validate::Invalid),
}

/// A packet body as a user supplies it: header fields optional, ignored except `schema` and `id`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub schema: Option<i64>,
    pub id: Option<String>,
    pub revision: Option<u64>,
    pub branch: Option<String>,
    pub base: Option<String>,
    /// Replaced by the tool; any value (a JavaScript `toISOString()`, an offset) is accepted.
    pub updated: Option<toml::Value>,
    pub author: Option<String>,
    pub actor: Option<String>,
    #[serde(default)]
    pub task: Task,
    #[serde(default)]
    pub control: Control,
    #[serde(default)]
    pub state: State,
    #[serde(default)]
    pub validation: Validation,
    #[serde(default)]
    pub artifacts: Vec<Artifact>,
    #[serde(default)]
    pub decisions: Vec<Reason>,
    #[serde(default)]
    pub rejected: Vec<Reason>,
    #[serde(default)]
    pub verdicts: Vec<Verdict>,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl Draft {
    /// Turns the draft into a packet under `header` (the draft's own header fields are dropped).
    pub fn into_packet(self, header: Header) -> Packet {
        Packet {
            schema: SCHEMA,
            id: header.id,
            revision: header.revision,
            branch: header.branch,
            base: header.base,
            updated: header.updated,
            author: header.author,
            actor: header.actor,
            task: self.task,
            control: self.control,
            state: self.state,
            validation: self.validation,
            artifacts: self.artifacts,
            decisions: self.decisions,
            rejected: self.rejected,
            verdicts: self.verdicts,
            findings: self.findings,
        }
    }
}

#[derive(Deserialize)]
struct SchemaProbe {
    schema: Option<toml::Value>,
}

/// Reads the bytes of a stored packet, a chain's `packet.toml` or a note: within the size bound,
/// UTF-8, then [`parse_toml`].
pub fn read_stored(bytes: &[u8]) -> Result<Packet, ParseError> {
    validate::check_size(bytes.len())?;
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::Syntax {
        at: String::new(),
        message: format!("not UTF-8 text ({e})"),
    })?;
    parse_toml(text)
}

/// Parses and validates a stored packet (TOML, schema 1).
pub fn parse_toml(text: &str) -> Result<Packet, ParseError> {
    if text.starts_with('\u{FEFF}') {
        return Err(ParseError::Syntax {
            at: "line 1, column 1: ".into(),
            message: "a stored packet starts without a byte order mark".into(),
        });
    }
    if !text.ends_with('\n') {
        return Err(ParseError::Syntax {
            at: String::new(),
            message: "a stored packet ends with a newline".into(),
        });
    }
    match toml::from_str::<Packet>(text) {
        Ok(packet) => {
            if packet.schema != SCHEMA {
                return Err(ParseError::Schema(i64::from(packet.schema)));
            }
            // The text is at hand: measure it instead of rendering the packet again.
            validate::validate_fields(&packet)?;
            validate::check_size(text.len())?;
            check_datetimes_as_written(text, &packet)?;
            Ok(packet)
        }
        Err(err) => {
            if let Some(schema) = probe_schema(text) {
                return Err(ParseError::Schema(schema));
            }
            Err(toml_error(text, &err))
        }
    }
}

/// A TOML reader accepts `2026-11-21 22:10:00Z` and `2026-11-21t22:10:00z` for the same instant
/// and hands over only the instant: each date-time must stand in the text in the one form the
/// format allows, so what is stored reads the same in every parser and prints back unchanged.
fn check_datetimes_as_written(text: &str, packet: &Packet) -> Result<(), ParseError> {
    let stamps = validate::timestamps(packet);
    for (field, at) in &stamps {
        let form = at.to_string();
        // As many bare occurrences as fields holding this instant: one written otherwise cannot
        // hide behind another field's canonical form.
        let wanted = stamps.iter().filter(|(_, other)| other == at).count();
        let bare = text
            .match_indices(&form)
            .filter(|(i, _)| {
                let before = text[..*i].trim_end_matches([' ', '\t']);
                let after = text[i + form.len()..].chars().next();
                before.ends_with('=') && after.is_none_or(|c| !c.is_alphanumeric() && c != '.')
            })
            .count();
        if bare < wanted {
            return Err(ParseError::Invalid(validate::Invalid {
                field: field.clone(),
                problem: format!("must be written exactly as {form} (YYYY-MM-DDTHH:MM:SSZ)"),
            }));
        }
    }
    Ok(())
}

/// Parses a user-supplied packet body, TOML or JSON (JSON when the text starts with `{`).
pub fn parse_draft(text: &str) -> Result<Draft, ParseError> {
    // A file saved with Windows line ends carries CR LF; its lines end in LF here.
    let normalized = text.replace("\r\n", "\n");
    let text = normalized.as_str();
    let draft: Draft = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError::Syntax {
            at: format!("line {}, column {}: ", e.line(), e.column()),
            message: json_message(&e),
        })?
    } else {
        toml::from_str(text).map_err(|e| toml_error(text, &e))?
    };
    match draft.schema {
        Some(schema) if schema != i64::from(SCHEMA) => Err(ParseError::Schema(schema)),
        _ => Ok(draft),
    }
}

fn probe_schema(text: &str) -> Option<i64> {
    let probe: SchemaProbe = toml::from_str(text).ok()?;
    match probe.schema? {
        toml::Value::Integer(n) if n != i64::from(SCHEMA) => Some(n),
        _ => None,
    }
}

fn toml_error(text: &str, err: &toml::de::Error) -> ParseError {
    let at = err.span().map_or_else(String::new, |span| {
        let (line, column) = line_column(text, span.start);
        format!("line {line}, column {column}: ")
    });
    ParseError::Syntax {
        at,
        message: err.message().trim().replace('\n', " "),
    }
}

fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Returns the 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Renders a packet as TOML, ending with a newline as git notes do.
pub fn to_toml(packet: &Packet) -> String {
    let mut text =
        toml::to_string(packet).unwrap_or_else(|e| format!("# unrenderable packet: {e}\n"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Renders a packet as JSON with exactly the TOML field names and nesting; times are RFC 3339
/// strings.
pub fn to_json(packet: &Packet) -> serde_json::Value {
    plain_json(packet)
}

/// Renders any part of a packet as JSON, times as RFC 3339 strings.
pub fn plain_json(value: &impl serde::Serialize) -> serde_json::Value {
    let mut value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    plain_times(&mut value);
    value
}

/// Replaces the wrapper TOML's date-times serialize to (an object with one private key) with
/// the date-time's text.
fn plain_times(value: &mut serde_json::Value) {
    const WRAPPER: &str = "$__toml_private_datetime";
    match value {
        serde_json::Value::Object(map) => {
            if let Some(text) = map.get(WRAPPER).filter(|_| map.len() == 1).cloned() {
                *value = text;
                return;
            }
            map.values_mut().for_each(plain_times);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(plain_times),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("a\nbc\n", 3), (2, 2));
        assert_eq!(line_column("abc", 0), (1, 1));
    }

    #[test]
    fn a_later_schema_is_named_even_when_fields_are_unknown() {
        let text = "schema = 7\nid = \"x\"\nfuture = true\n";
        assert!(matches!(parse_toml(text), Err(ParseError::Schema(7))));
    }

    const GOOD: &str = "schema = 1\nid = \"hx-abc123\"\nrevision = 1\nbranch = \"f\"\nbase = \"\"\nupdated = 2026-11-21T22:10:00Z\nauthor = \"A <a@e>\"\n\n[task]\ngoal = \"g\"\nacceptance = [\"a\"]\n";

    #[test]
    fn the_reader_accepts_exactly_the_documented_form() {
        assert!(parse_toml(GOOD).is_ok(), "the documented form reads");
        let variants = [
            GOOD.replace("22:10:00Z", "22:10:00+14:00"),
            GOOD.replace("22:10:00Z", "22:10:00.5Z"),
            GOOD.replace("2026-11-21T22:10:00Z", "2016-12-31T23:59:60Z"),
            GOOD.replace("2026-11-21T22:10:00Z", "1969-12-31T23:59:59Z"),
            format!("\u{FEFF}{GOOD}"),
            GOOD.trim_end().to_string(),
            GOOD.replace("revision = 1", "revision = 9223372036854775807"),
            GOOD.replace("T22:10:00Z", " 22:10:00Z"),
            GOOD.replace("T22:10:00Z", "t22:10:00z"),
            format!("{GOOD}\n[validation]\nat = 0000-01-01T00:00:00Z\n"),
            format!("{GOOD}\n[validation]\nat = 1969-12-31T23:59:59Z\n"),
        ];
        for text in &variants {
            assert!(parse_toml(text).is_err(), "refused: {text:?}");
        }
        let spaced = GOOD.replace("updated = ", "updated=");
        assert!(parse_toml(&spaced).is_ok(), "any TOML spacing around =");
        let hidden = format!("{GOOD}\n[validation]\nat = 2026-11-21 22:10:00Z\n");
        assert!(
            parse_toml(&hidden).is_err(),
            "not hidden behind updated's form"
        );
        let twice = format!("{GOOD}\n[validation]\nat = 2026-11-21T22:10:00Z\n");
        assert!(parse_toml(&twice).is_ok(), "{:?}", parse_toml(&twice));
        let later = format!("{GOOD}\n[validation]\nat = 2026-11-21T22:10:05Z # run\n");
        assert!(parse_toml(&later).is_ok(), "{:?}", parse_toml(&later));
    }
}
