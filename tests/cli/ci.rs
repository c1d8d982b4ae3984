//! docs/ci.md's shell lines, run as written against a local remote.

use crate::common::{Server, TestRepo};

/// The lines between the markers in docs/ci.md.
fn documented_lines() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md"))
        .expect("docs/ci.md");
    let start = doc
        .find("# --- handoff check (tested) ---\n")
        .expect("start marker");
    let end = doc.find("# --- end ---").expect("end marker");
    doc[start..end].to_string()
}

fn run_lines(ci: &TestRepo, branch: &str, format: &str) -> crate::common::Run {
    let output = ci
        .command("bash", &ci.path)
        .args(["-euo", "pipefail", "-c", &documented_lines()])
        .env("BRANCH", branch)
        .env("BASE", "main")
        .env("FORMAT", format)
        .output()
        .expect("bash");
    crate::common::Run::from(&output)
}

#[test]
fn the_documented_ci_lines_fetch_the_packets_and_gate_the_branch() {
    let server = Server::file();
    let dev = server.clone("Dev");
    dev.git(&["checkout", "-q", "-b", "main"]);
    dev.commit("root");
    dev.git(&["push", "-q", "origin", "main"]);
    dev.git(&["checkout", "-q", "-b", "good"]);
    dev.init_hooks();
    dev.handoff(&[
        "start",
        "--goal",
        "g",
        "--accept",
        "a",
        "--status",
        "in-review",
        "--validate",
        "true",
        "--artifact",
        "root.txt :: the file",
    ])
    .ok();
    dev.hook_commit("good work");
    dev.handoff(&["update", "--done", "good work"]).ok();
    dev.git(&["push", "-q", "origin", "good"]);
    dev.git(&["checkout", "-q", "-b", "bad", "main"]);
    dev.commit("bad work");
    dev.git(&["push", "-q", "--no-verify", "origin", "bad"]);

    for lines in ["good", "bad"] {
        let ci = server.clone("CI");
        ci.git(&["checkout", "-q", lines]);
        let run = run_lines(&ci, lines, "json");
        let v: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
        if lines == "good" {
            assert_eq!((run.code, v["ok"].clone()), (0, true.into()), "{run:?}");
        } else {
            assert_eq!(
                (run.code, v["findings"][0]["check"].clone()),
                (1, "packet-exists".into()),
                "{run:?}"
            );
        }
    }
    let ci = server.clone("CI");
    ci.git(&["checkout", "-q", "bad"]);
    let run = run_lines(&ci, "bad", "github");
    assert!(
        run.stdout
            .starts_with("::error title=handoff packet-exists::"),
        "{run:?}"
    );
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).expect("doc");
    for line in documented_lines().lines().filter(|l| l.starts_with("git ")) {
        assert_eq!(
            doc.matches(line).count(),
            3,
            "the GitHub and GitLab jobs run the tested line verbatim: {line}"
        );
    }
}
