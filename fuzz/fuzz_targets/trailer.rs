//! The `Handoff:` trailer code on any commit message: reading stamps, parsing revision names
//! and adding a trailer must never panic, and an added trailer reads back.
#![no_main]

use git_handoff::trailer::{self, Selector, Stamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = trailer::stamps(text);
    let _ = Selector::parse(text);
    let stamp = Stamp {
        id: "hx-abc123".into(),
        revision: 7,
        content: Some("0123456789ab".into()),
    };
    let stamped = trailer::add(text, &stamp, "#");
    if stamped != text {
        assert!(
            trailer::stamps(&stamped).contains(&stamp),
            "an added trailer reads back"
        );
    }
});
