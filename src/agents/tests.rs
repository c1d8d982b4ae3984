//! The runtime table and our entries in each runtime's file.

use super::settings::{self, is_ours};
use super::*;

#[test]
fn our_command_is_recognised_in_every_spelling() {
    for c in [
        "git-handoff agent stop --runtime claude",
        "/usr/local/bin/git-handoff agent session-start",
        "git handoff agent stop",
    ] {
        assert!(is_ours(c), "{c}");
    }
    for c in ["git-handoff check", "echo git-handoff agent", "bd prime"] {
        assert!(!is_ours(c), "{c}");
    }
}

#[test]
fn every_runtime_installs_once_and_removes_back_to_nothing() {
    for runtime in Runtime::ALL {
        let once = settings::install(runtime, None).expect("installs into a new file");
        let twice = settings::install(runtime, Some(&once)).expect("installs again");
        assert_eq!(once, twice, "{runtime:?}: a second install changes no byte");
        assert!(settings::is_current(runtime, &once));
        let counts = settings::count(runtime, &once).expect("counts");
        assert!(
            counts.iter().all(|(_, n)| *n == 1),
            "{runtime:?}: {counts:?}"
        );
        assert_eq!(settings::remove(runtime, &once).expect("removes"), None);
    }
}

#[test]
fn a_users_file_gets_its_bytes_back_and_duplicates_are_folded() {
    let original = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"Stop\": [\n      {\n        \"hooks\": [\n          { \"type\": \"command\", \"command\": \"say done\" }\n        ]\n      }\n    ]\n  }\n}\n";
    let runtime = Runtime::Claude;
    let installed = settings::install(runtime, Some(original)).expect("installs");
    assert!(installed.starts_with("{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"Stop\": [\n      {\n        \"hooks\": [\n          { \"type\": \"command\", \"command\": \"say done\" }"));
    assert_eq!(
        settings::remove(runtime, &installed)
            .expect("removes")
            .as_deref(),
        Some(original)
    );
    // A copy of our Stop entry pasted in by hand: folded back to one.
    let stop = settings::entry(runtime, &STOP);
    let mut doc = jsonc::Doc::new(installed.clone()).expect("parses");
    doc.push(
        &[jsonc::Step::Key("hooks"), jsonc::Step::Key("Stop")],
        &stop,
    )
    .expect("pushes");
    let counts = settings::count(runtime, &doc.text).expect("counts");
    assert!(counts.contains(&("Stop", 2)), "{counts:?}");
    let fixed = settings::install(runtime, Some(&doc.text)).expect("installs");
    assert_eq!(fixed, installed);
}

#[test]
fn an_empty_settings_file_is_read_as_no_settings() {
    for runtime in Runtime::ALL {
        let installed = settings::install(runtime, Some("\n")).expect("installs");
        assert_eq!(
            installed,
            settings::install(runtime, None).expect("installs")
        );
        assert_eq!(
            settings::remove(runtime, "").expect("reads"),
            Some(String::new())
        );
        assert!(settings::count(runtime, " ")
            .expect("counts")
            .iter()
            .all(|(_, n)| *n == 0));
    }
}
