use super::*;
use crate::packet::Reason;
use crate::test_support::full_packet;

fn revision(n: u64, rejected: &[(&str, &str)]) -> Packet {
    let mut p = full_packet();
    p.revision = n;
    p.updated =
        crate::packet::Timestamp::parse(&format!("2026-11-{n:02}T10:00:00Z")).expect("valid");
    p.rejected = rejected
        .iter()
        .map(|(what, why)| Reason {
            what: (*what).into(),
            why: (*why).into(),
        })
        .collect();
    p
}

#[test]
fn an_item_is_one_hit_with_the_first_and_last_revision_it_was_in() {
    let mut index = Index::default();
    index.add(&revision(
        3,
        &[("Use a global lock", "deadlocks under pack-refs")],
    ));
    index.add(&revision(
        4,
        &[("use a  global lock", "deadlocks under pack-refs, twice")],
    ));
    index.add(&revision(5, &[]));
    let hits: Vec<Hit> = index
        .into_hits()
        .into_iter()
        .filter(|h| h.kind == Kind::Rejected)
        .collect();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!((hits[0].first_revision, hits[0].last_revision), (3, 4));
    assert_eq!(
        hits[0].why.as_deref(),
        Some("deadlocks under pack-refs, twice")
    );
    assert_eq!(hits[0].date, "2026-11-04T10:00:00Z");
}

fn hit(text: &str, day: i64) -> Hit {
    Hit {
        kind: Kind::Decision,
        text: text.into(),
        why: None,
        branch: "b".into(),
        id: "hx-1".into(),
        revision: 1,
        first_revision: 1,
        last_revision: 1,
        date: String::new(),
        author: String::new(),
        seconds: day * 86_400,
        score: None,
    }
}

#[test]
fn all_terms_rank_first_then_closeness_then_recency() {
    let hits = vec![
        hit("retry the push", 9),
        hit("retry with a lock on the push side", 5),
        hit("push retrying", 1),
        hit("push the retry loop", 2),
        hit("nothing here", 10),
        hit("lock only", 3),
    ];
    let ranked: Vec<String> = rank("push retry", hits)
        .into_iter()
        .map(|(_, h)| h.text)
        .collect();
    assert_eq!(
        ranked,
        [
            "push retrying",
            "retry the push",
            "push the retry loop",
            "retry with a lock on the push side"
        ]
    );
}

#[test]
fn words_are_unicode_lowercase_and_match_whole_or_as_a_prefix() {
    assert_eq!(words("Größe/ÉTÉ v2-beta"), ["größe", "été", "v2", "beta"]);
    let terms = words("GRÖSS");
    assert!(score(&words("größe"), &hit("Die Größe zählt", 1)).is_some());
    assert!(score(&terms, &hit("Größe", 1)).is_none(), "ö+ss is not ö+ß");
    assert!(
        score(&words("ock"), &hit("lock", 1)).is_none(),
        "no infix match"
    );
    assert!(score(&words("lo"), &hit("lock", 1)).is_some());
}

#[test]
fn a_cache_line_reads_back_as_the_hit_and_damage_reads_as_nothing() {
    let mut h = hit("tab\there\nnew line \\ back", 3);
    h.why = Some("why\twith tab".into());
    let line = cache::encode(&h);
    assert!(!line.contains('\n'));
    let back = cache::decode(&line).expect("reads");
    assert_eq!(
        (back.text.as_str(), back.why.as_deref()),
        (h.text.as_str(), h.why.as_deref())
    );
    assert_eq!(back.seconds, h.seconds);
    assert_eq!(
        back.date, "1970-01-04T00:00:00Z",
        "the date comes back from the seconds"
    );
    assert!(cache::decode("garbage").is_none());
    let file = cache::render(&[(
        cache::Source {
            kind: "chain",
            refname: "refs/handoff/heads/a".into(),
            tip: "abc".into(),
        },
        cache::lines(&[h]),
    )]);
    let read = cache::parse(&file);
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].1, format!("{line}\n"));
    let length = format!(" {}\n", line.len() + 1);
    for damaged in [
        format!(" {}\n", line.len() + 2),
        format!(" {}\n", line.len()),
    ] {
        assert!(
            cache::parse(&file.replace(&length, &damaged)).is_empty(),
            "a section whose length is wrong is damage"
        );
    }
    assert!(cache::parse("other header\n").is_empty());
}
