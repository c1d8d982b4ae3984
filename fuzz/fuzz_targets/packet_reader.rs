//! The packet reader on any bytes: what a stored packet, a note blob, `--from` or a remote can
//! hold. It must return a value or an error, never panic; what it accepts must print back as a
//! packet it accepts again, unchanged.
#![no_main]

use git_handoff::packet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = packet::parse_toml(text) {
        let printed = packet::to_toml(&p);
        let again = packet::parse_toml(&printed).expect("a read packet prints back readable");
        assert_eq!(again, p, "a read packet survives its own printing");
    }
    let _ = packet::parse_draft(text);
});
