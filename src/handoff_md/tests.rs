use super::*;
use crate::packet::{parse_toml, to_toml, Packet};

fn round_trip(p: &Packet) -> Packet {
    let block = export(p);
    let imported = import(&block);
    assert!(
        imported.unknown.is_empty(),
        "{:?}\n{block}",
        imported.unknown
    );
    assert_eq!(imported.id.as_deref(), Some(p.id.as_str()));
    assert_eq!(imported.revision, Some(p.revision));
    let mut empty = crate::packet::to_json(p);
    for key in ["task", "control", "state", "validation"] {
        empty[key] = serde_json::json!({});
    }
    for key in ["artifacts", "decisions", "rejected", "verdicts", "findings"] {
        empty[key] = serde_json::json!([]);
    }
    let json = imported.apply_to(&empty);
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}\n{block}"))
}

#[test]
fn the_export_of_a_full_packet_reads_back_to_the_same_packet() {
    let p = crate::test_support::full_packet();
    assert_eq!(round_trip(&p), p);
}

#[test]
fn text_that_looks_like_markdown_comes_back_as_text() {
    let mut p = crate::test_support::full_packet();
    p.task.goal = "# not a heading\n- not an item\n\n  indented\n[x] not checked\n1. not numbered\n\\ backslash".into();
    p.state.next = vec![
        "[x] literal".into(),
        "2) two".into(),
        "-".into(),
        "<!-- c -->".into(),
    ];
    p.decisions[0].what = "a — b: c".into();
    p.decisions[0].why = "  - why: nested\nmore".into();
    assert_eq!(round_trip(&p), p);
}

#[test]
fn a_random_valid_packet_survives_export_then_import() {
    for p in crate::packet::random_packets(0x5EED_0001, 300) {
        let back = round_trip(&p);
        assert_eq!(back, p, "{}", export(&p));
        assert!(parse_toml(&to_toml(&back)).is_ok());
    }
}

const HAND_WRITTEN: &str = "# HANDOFF\n\n## Goal\nShip the retry loop\n\n## Progress\n- [x] wrote the backoff\n- [ ] wire it into push\n\n## Next Steps\n1. measure it\n2. [x] tell the team\n\n## Decisions\n- Jittered backoff — fair under load\n- **Cap at 64 ms**: longer stalls the CLI\n\n## Mistakes to Avoid\n- A global lock — deadlocks beside pack-refs\n- Sleeping a fixed time\n\n## Key Files\n- `src/store/cas.rs` — the retry\n\n## Testing\nRun `cargo test --test cli concurrency` before pushing.\n";

#[test]
fn hand_written_sections_fill_their_fields_and_checked_boxes_are_done() {
    let imported = import(HAND_WRITTEN);
    assert!(imported.unknown.is_empty(), "{:?}", imported.unknown);
    let json = imported.apply_to(&serde_json::json!({}));
    assert_eq!(json["task"]["goal"], "Ship the retry loop");
    assert_eq!(
        json["state"]["done"],
        serde_json::json!(["wrote the backoff", "tell the team"])
    );
    assert_eq!(
        json["state"]["in_progress"],
        serde_json::json!(["wire it into push"])
    );
    assert_eq!(json["state"]["next"], serde_json::json!(["measure it"]));
    assert_eq!(json["decisions"][0]["what"], "Jittered backoff");
    assert_eq!(json["decisions"][1]["what"], "Cap at 64 ms");
    assert_eq!(json["decisions"][1]["why"], "longer stalls the CLI");
    assert_eq!(json["rejected"][1]["why"], import::NO_REASON);
    assert_eq!(json["artifacts"][0]["path"], "src/store/cas.rs");
    assert_eq!(
        json["validation"]["command"],
        "cargo test --test cli concurrency"
    );
}

#[test]
fn an_unknown_section_is_reported_with_its_line() {
    let imported = import("## Goal\nx\n\n## Deployment Notes\n- ask ops\n");
    assert_eq!(
        imported.unknown,
        vec![Problem {
            line: 4,
            what: "section \"Deployment Notes\" fits no packet field".into()
        }]
    );
}

#[test]
fn the_block_replaces_an_earlier_one_and_keeps_the_text_around_it() {
    assert_eq!(place("", "B\n"), "# HANDOFF\n\nB\n");
    let before = "# Notes\n\nmine\n";
    let once = place(
        before,
        "<!-- git-handoff:begin export v1 -->\nA\n<!-- git-handoff:end -->\n",
    );
    assert_eq!(
        once,
        "# Notes\n\nmine\n\n<!-- git-handoff:begin export v1 -->\nA\n<!-- git-handoff:end -->\n"
    );
    let twice = place(
        &format!("{once}tail\n"),
        "<!-- git-handoff:begin export v1 -->\nB\n<!-- git-handoff:end -->\n",
    );
    assert_eq!(twice, "# Notes\n\nmine\n\n<!-- git-handoff:begin export v1 -->\nB\n<!-- git-handoff:end -->\ntail\n");
}

#[test]
fn no_text_makes_the_importer_panic() {
    let pieces = [
        "## ",
        "### ",
        "# ",
        "- ",
        "* ",
        "1. ",
        "2) ",
        "[x] ",
        "[ ] ",
        "  ",
        "    ",
        "\n",
        "\n\n",
        "\\",
        "key: ",
        "why: ",
        "`",
        "```",
        "<!-- ",
        " -->",
        BEGIN,
        END,
        "Next Steps",
        "Findings",
        "Current State",
        "hops: ",
        "x",
        "é",
        "🦀",
        " — ",
        "\r",
    ];
    for text in crate::test_support::random_texts(0xC0FF_EE00_D15C_0001, &pieces, 4000, 40) {
        let imported = import(&text);
        let _ = imported.apply_to(&serde_json::json!({}));
    }
}

#[test]
fn hand_written_quirks_repeated_sections_top_headings_fences_and_numbers() {
    let text = "## Next Steps\n- a\n- b\n\n## Todo\n- c\n\n## 2. Next Steps\n- d\n\n# Appendix\nnot a step\n\n## How to Test\n```bash\n# the suite\ncargo test retry\n```\n\n## Current State\n- max_hops: eight\n";
    let imported = import(text);
    let json = imported.apply_to(&serde_json::json!({}));
    assert_eq!(
        json["state"]["next"],
        serde_json::json!(["a", "b", "c", "d"]),
        "sections add up"
    );
    assert_eq!(json["validation"]["command"], "cargo test retry");
    let problems: Vec<(usize, &str)> = imported
        .unknown
        .iter()
        .map(|p| (p.line, p.what.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (12, "text outside any section fits no packet field"),
            (21, "max_hops: \"eight\" is not a value this field takes")
        ]
    );
}
