//! The secret scanner on any text: it must never panic, and a preview never shows more than
//! four characters of what it found.
#![no_main]

use git_handoff::secrets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for found in secrets::scan_text("f", text) {
        assert!(found.preview().chars().count() <= 4 + "…[redacted]".chars().count());
    }
});
