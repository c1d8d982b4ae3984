//! The note reader on any bytes: a note blob (or a chain's `packet.toml`) a remote sends, read
//! as the tool reads it (size bound, UTF-8, packet). It must return a value or an error, never
//! panic; what it accepts prints back as the same packet.
#![no_main]

use git_handoff::packet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = packet::read_stored(data) {
        let printed = packet::to_toml(&p);
        let again = packet::read_stored(printed.as_bytes()).expect("a read note prints back readable");
        assert_eq!(again, p, "a read note survives its own printing");
    }
});
