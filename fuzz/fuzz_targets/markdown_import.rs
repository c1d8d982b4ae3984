//! The HANDOFF.md importer on any text: it must return sections and problems, never panic, and
//! whatever body it reads must lay over an empty packet without a panic.
#![no_main]

use git_handoff::handoff_md;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let imported = handoff_md::import(text);
    let _ = imported.apply_to(&serde_json::json!({}));
});
