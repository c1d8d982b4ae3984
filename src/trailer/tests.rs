//! Trailers are written as git writes them and read back from every place they travel to.

use super::*;

fn stamp(n: u64) -> Stamp {
    Stamp {
        id: "hx-abc123".into(),
        revision: n,
        content: None,
    }
}

#[test]
fn a_plain_message_gets_a_new_trailer_paragraph() {
    assert_eq!(
        add("Fix retry\n", &stamp(3), "#"),
        "Fix retry\n\nHandoff: hx-abc123 r3\n"
    );
    assert_eq!(
        add("Fix retry", &stamp(3), "#"),
        "Fix retry\n\nHandoff: hx-abc123 r3\n"
    );
}

#[test]
fn the_trailer_joins_an_existing_trailer_block() {
    let msg = "Fix retry\n\nBody text.\n\nSigned-off-by: A <a@x>\n";
    assert_eq!(
        add(msg, &stamp(1), "#"),
        "Fix retry\n\nBody text.\n\nSigned-off-by: A <a@x>\nHandoff: hx-abc123 r1\n"
    );
}

#[test]
fn a_mixed_last_paragraph_with_a_sign_off_is_a_block_as_git_sees_it() {
    let msg = "Fix\n\nBody line\nSigned-off-by: A <a@x>\n";
    assert_eq!(
        add(msg, &stamp(1), "#"),
        "Fix\n\nBody line\nSigned-off-by: A <a@x>\nHandoff: hx-abc123 r1\n"
    );
    let picked = "Fix\n\n(cherry picked from commit abc)\n";
    assert_eq!(
        add(picked, &stamp(1), "#"),
        "Fix\n\n(cherry picked from commit abc)\nHandoff: hx-abc123 r1\n"
    );
    let prose = "Fix\n\nSee: the docs, and more prose\nthat continues here\nand here\nand here\n";
    assert!(
        add(prose, &stamp(1), "#").ends_with("and here\n\nHandoff: hx-abc123 r1\n"),
        "prose is not a block"
    );
}

#[test]
fn a_subject_that_looks_like_a_trailer_is_not_a_block() {
    assert_eq!(
        add("fix: retry\n", &stamp(1), "#"),
        "fix: retry\n\nHandoff: hx-abc123 r1\n"
    );
}

#[test]
fn amend_replaces_the_old_trailer_instead_of_adding_a_second() {
    let msg = "Fix\n\nHandoff: hx-abc123 r3\nSigned-off-by: A <a@x>\n";
    assert_eq!(
        add(msg, &stamp(4), "#"),
        "Fix\n\nSigned-off-by: A <a@x>\nHandoff: hx-abc123 r4\n"
    );
    let once = add("Fix\n", &stamp(4), "#");
    assert_eq!(add(&once, &stamp(4), "#"), once, "idempotent");
}

#[test]
fn comments_and_scissors_stay_below() {
    let msg = "Fix\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a b\n";
    assert_eq!(
        add(msg, &stamp(2), "#"),
        "Fix\n\nHandoff: hx-abc123 r2\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a b\n"
    );
    let only_comments = "\n# Please enter the commit message\n";
    assert_eq!(
        add(only_comments, &stamp(2), "#"),
        only_comments,
        "an empty message stays empty"
    );
}

#[test]
fn stamps_are_read_from_anywhere_in_the_message() {
    let squash = "Feature (#12)\n\n* one\n\nHandoff: hx-a r1\n\n* two\n\nHandoff: hx-a r2\nhandoff: hx-b r7\nHandoff: nonsense\n";
    assert_eq!(
        stamps(squash),
        vec![
            Stamp {
                id: "hx-a".into(),
                revision: 1,
                content: None
            },
            Stamp {
                id: "hx-a".into(),
                revision: 2,
                content: None
            },
            Stamp {
                id: "hx-b".into(),
                revision: 7,
                content: None
            }
        ]
    );
}

#[test]
fn stamps_are_read_from_git_squash_messages_and_patch_mail() {
    let git_squash = "Squashed commit of the following:\n\ncommit 99ae2a71\nAuthor: a <a@b>\nDate:   Sun Nov 22 05:38:43 2026 +0000\n\n    two\n\n    Handoff: hx-a r3@0123456789ab\n\ncommit 12345678\n\n    one\n\n    Handoff: hx-a r2\n";
    let found: Vec<u64> = stamps(git_squash).iter().map(|s| s.revision).collect();
    assert_eq!(found, [3, 2]);
    let mail = "From 99ae2a71 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] one\n\nHandoff: hx-a r4\n---\n x | 1 +\n";
    assert_eq!(stamps(mail).len(), 1);
}

#[test]
fn a_content_id_rides_after_the_revision_and_reads_back() {
    let named = Stamp {
        content: Some(content_id("0123456789abcdef0123456789abcdef01234567")),
        ..stamp(2)
    };
    assert_eq!(named.value(), "hx-abc123 r2@0123456789ab");
    assert_eq!(
        parse_line(&format!("{KEY}: {}", named.value())),
        Some(named),
        "the trailer this build writes reads back whole"
    );
    assert_eq!(
        parse_line("Handoff: hx-abc123 r2"),
        Some(stamp(2)),
        "a trailer of an earlier build still reads, without a content id"
    );
    for bad in [
        "Handoff: hx-a r2@",
        "Handoff: hx-a r2@xyz1",
        "Handoff: hx-a r2@abc",
        "Handoff: hx-a 2@abcd",
        "Handoff: hx-a r@abcd",
    ] {
        assert_eq!(parse_line(bad), None, "{bad:?} names no revision");
    }
}

#[test]
fn selectors_take_a_number_with_an_optional_content_prefix() {
    let s = Selector::parse("r7@ABCDEF12").expect("selector");
    assert_eq!((s.number, s.content.as_deref()), (7, Some("abcdef12")));
    assert!(s.matches_blob("abcdef1234"));
    assert!(!s.matches_blob("abcdef0034"));
    assert_eq!(Selector::parse("7").map(|s| s.content), Some(None));
    assert_eq!(Selector::parse("7@").map(|s| s.number), None);
    assert_eq!(Selector::parse("-1"), None);
    assert_eq!(Selector::parse("99999999999999999999999"), None);
    assert_eq!(s.to_string(), "7@abcdef12");
}

#[test]
fn no_message_makes_the_trailer_code_panic() {
    let pieces = [
        "Handoff:",
        " ",
        "hx-a",
        "r",
        "1",
        "@",
        "abcdef",
        "0",
        "\n",
        "\n\n",
        "#",
        "# ------------------------ >8 ------------------------",
        "Signed-off-by: A <a@e>",
        "é",
        "🦀",
        ":",
        "\t",
        "(cherry picked from commit 1)",
    ];
    for text in crate::test_support::random_texts(0x2545_F491_4F6C_DD1D, &pieces, 5000, 30) {
        let _ = stamps(&text);
        let _ = Selector::parse(&text);
        let _ = add(&text, &stamp(1), "#");
    }
}
