//! Property test: any valid packet survives TOML and JSON round trips unchanged.

use super::*;

/// A small deterministic generator (xorshift64*), so failures reproduce from the seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("fits")
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 18] = [
            "\n\n", "\t\t", "a", "Z", " ", "\"", "'", "\\", "\n", "\t", "#", "=", "[x]", "\"\"\"",
            "'''", "é", "日本", "🦀",
        ];
        let len = 1 + self.below(12);
        let mut s: String = (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect();
        if s.trim().is_empty() {
            s.push('w');
        }
        s
    }

    fn list(&mut self) -> Vec<String> {
        (0..self.below(4)).map(|_| self.text()).collect()
    }

    fn maybe(&mut self) -> Option<String> {
        (self.below(2) == 0).then(|| self.text())
    }

    fn reasons(&mut self) -> Vec<Reason> {
        (0..self.below(3))
            .map(|_| Reason {
                what: self.text(),
                why: self.text(),
            })
            .collect()
    }
}

fn packet(g: &mut Gen) -> Packet {
    let statuses = [
        Status::Draft,
        Status::InProgress,
        Status::Blocked,
        Status::Done,
    ];
    let lanes = [None, Some(Lane::Plan), Some(Lane::Audit)];
    let outcomes = [Outcome::Pass, Outcome::Fail, Outcome::Unknown];
    let base = if g.below(3) == 0 {
        String::new()
    } else {
        format!("{:040x}", g.next()).chars().take(40).collect()
    };
    Packet {
        schema: SCHEMA,
        id: format!("hx-{}", g.below(1_000_000)),
        revision: 1 + g.next() % 10_000,
        branch: format!("feature/{}", g.below(100)),
        base,
        updated: Timestamp(
            chrono::DateTime::from_timestamp(
                i64::try_from(g.next() % 4_000_000_000).expect("fits"),
                0,
            )
            .expect("in range"),
        ),
        author: "Ada <ada@example.com>".into(),
        actor: g.maybe().map(|t| t.replace('\n', " ")),
        task: Task {
            goal: g.text(),
            intent: g.maybe(),
            acceptance: vec![g.text()],
            constraints: g.list(),
            non_goals: g.list(),
        },
        control: Control {
            lane: lanes[g.below(lanes.len())],
            owner: g.maybe().map(|t| t.replace('\n', " ")),
            reviewer: g.maybe().map(|t| t.replace('\n', " ")),
            hops: 2,
            max_hops: 2 + u32::try_from(g.below(10)).expect("fits"),
            cycles: u32::try_from(g.below(3)).expect("fits"),
            resets: u32::try_from(g.below(2)).expect("fits"),
            executor: g.maybe().map(|t| t.replace('\n', " ")),
            handover: (g.below(2) == 0).then(|| Handover {
                kind: HandoverKind::Takeover,
                by: "codex".into(),
                at: Timestamp::parse("2026-11-21T22:10:00Z").expect("valid"),
                from_lane: Some(Lane::Execute),
                to_lane: lanes[g.below(lanes.len())],
                from_owner: g.maybe().map(|t| t.replace('\n', " ")),
                to_owner: Some("claude".into()),
                why: g.maybe(),
                reset_budget: g.below(2) == 0,
            }),
        },
        state: State {
            status: statuses[g.below(statuses.len())],
            done: g.list(),
            in_progress: g.list(),
            next: g.list(),
            blockers: g.list(),
            questions: g.list(),
        },
        validation: Validation {
            command: g.maybe(),
            result: outcomes[g.below(3)],
            tree: (g.below(2) == 0).then(|| format!("{:040x}", 7)),
            source: [None, Some(Provenance::Run), Some(Provenance::Reported)][g.below(3)],
            exit_code: (g.below(2) == 0).then_some(1),
            duration_ms: (g.below(2) == 0).then_some(1234),
            at: None,
            by: g.maybe().map(|t| t.replace('\n', " ")),
        },
        artifacts: (0..g.below(3))
            .map(|_| Artifact {
                path: g.text().replace('\n', " "),
                why: g.text(),
            })
            .collect(),
        decisions: g.reasons(),
        rejected: g.reasons(),
        verdicts: verdicts(g),
        findings: findings(g),
    }
}

fn verdicts(g: &mut Gen) -> Vec<Verdict> {
    (0..g.below(3))
        .map(|i| Verdict {
            verdict: [VerdictKind::Approve, VerdictKind::Revise][i % 2],
            reviewer: "alice".into(),
            commit: format!("{i:040x}"),
            tree: format!("{:040x}", i + 1),
            at: Timestamp::parse("2026-11-21T22:10:00Z").expect("valid"),
            note: g.maybe(),
        })
        .collect()
}

fn findings(g: &mut Gen) -> Vec<Finding> {
    (0..g.below(3))
        .map(|i| Finding {
            id: (g.below(2) == 0).then(|| format!("f{i:07x}")),
            path: g.maybe().map(|t| t.replace('\n', " ")),
            line: (g.below(2) == 0).then_some(12),
            reviewer: Some("alice".into()),
            resolved: g.below(2) == 0,
            resolution: g.maybe(),
            ..Finding::new(Severity::Major, g.text())
        })
        .collect()
}

#[test]
fn serializing_then_parsing_any_valid_packet_gives_it_back() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for round in 0..600 {
        let p = packet(&mut g);
        validate(&p)
            .unwrap_or_else(|e| panic!("round {round}: generator made an invalid packet: {e}"));
        let text = to_toml(&p);
        let back = parse_toml(&text).unwrap_or_else(|e| panic!("round {round}: {e}\n{text}"));
        assert_eq!(
            back, p,
            "round {round}: TOML round trip changed the packet:\n{text}"
        );
        assert_eq!(to_toml(&back), text, "round {round}: rendering is stable");
        let json = to_json(&p).to_string();
        let draft = parse_draft(&json).unwrap_or_else(|e| panic!("round {round}: {e}\n{json}"));
        assert_eq!(
            draft.updated,
            Some(toml::Value::String(p.updated.to_string())),
            "round {round}: JSON keeps the timestamp"
        );
        let header = Header {
            id: p.id.clone(),
            revision: p.revision,
            branch: p.branch.clone(),
            base: p.base.clone(),
            updated: p.updated,
            author: p.author.clone(),
            actor: p.actor.clone(),
        };
        assert_eq!(
            draft.into_packet(header),
            p,
            "round {round}: JSON round trip changed the packet"
        );
    }
}

#[test]
fn validation_names_the_offending_field() {
    let mut g = Gen(7);
    let mut p = packet(&mut g);
    p.state.next = vec!["ok".into(), "  ".into()];
    assert_eq!(
        validate(&p).map_err(|e| e.field),
        Err("state.next[1]".to_string())
    );
    p.state.next.clear();
    p.author = "nobody".into();
    assert_eq!(validate(&p).map_err(|e| e.field), Err("author".to_string()));
    p.author = "A <a@b>".into();
    p.base = "HEAD".into();
    assert_eq!(validate(&p).map_err(|e| e.field), Err("base".to_string()));
    p.base = String::new();
    p.decisions = vec![Reason {
        what: "x".repeat(5000),
        why: "y".into(),
    }];
    assert_eq!(
        validate(&p).map_err(|e| e.field),
        Err("decisions[0].what".to_string())
    );
}

#[test]
fn no_text_a_remote_can_send_makes_the_parser_panic() {
    let mut g = Gen(0xDEAD_BEEF_1234_5678);
    let valid = to_toml(&packet(&mut g));
    for _ in 0..2000 {
        // Mutate a valid packet: cut it, splice bytes in, or scramble a stretch.
        let mut bytes = valid.clone().into_bytes();
        let at = g.below(bytes.len());
        match g.below(3) {
            0 => bytes.truncate(at),
            1 => {
                let noise: Vec<u8> = (0..=g.below(8))
                    .map(|_| u8::try_from(g.below(256)).expect("byte"))
                    .collect();
                bytes.splice(at..at, noise);
            }
            _ => {
                let end = (at + 1 + g.below(16)).min(bytes.len());
                bytes[at..end].reverse();
            }
        }
        // The note reader takes the raw bytes (invalid UTF-8 included); what it accepts, it
        // prints back as the same packet.
        if let Ok(p) = super::read_stored(&bytes) {
            let again = super::read_stored(to_toml(&p).as_bytes()).expect("prints back readable");
            assert_eq!(again, p);
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_toml(&text);
        let _ = parse_draft(&text);
        let _ = parse_draft(&format!("{{{text}"));
    }
}

/// Valid packets drawn at random from `seed`, for property tests elsewhere.
pub(crate) fn random_packets(seed: u64, count: usize) -> Vec<Packet> {
    let mut g = Gen(seed);
    (0..count).map(|_| packet(&mut g)).collect()
}
