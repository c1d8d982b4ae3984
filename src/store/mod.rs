//! The only way commands read and write packets and notes. Every ref move is a compare-and-swap
//! on the value read, retried on conflict; objects are written before the ref moves.

mod bulk;
mod cas;
mod chain;
mod integrate;
mod layout;
mod lookup;
mod notes;
mod notes_check;
mod transient;
mod write;

pub use bulk::{chain_blobs, fold_blobs, read_revisions, RevisionBlob};
pub use cas::{refs_under, restore_ref};
pub use chain::{
    find_chain, history, list_chain_tips, list_chains, read_revision, read_tip, resolve_chain,
    revision_number, revisions_since, tip, Broken, Chain, Revision,
};
pub use integrate::{integrate_chain, integrate_notes, verify_chain, Integrated};
pub use layout::{
    archive_ref, branch_of, chain_ref, fetch_refspecs, fetched_namespace, remote_chain_ref,
    remote_notes_ref, FETCHED_PREFIX, HANDOFF_NAMESPACE, NOTES_REF,
};
pub use lookup::{
    find_revision, find_stamp_in, packets_by_content, stamp_index, Lookup, StampIndex,
};
pub use notes::{
    attach_note, fetched_notes, note_anywhere, note_of, notes_map, notes_map_at, notes_of,
    read_note, set_note, set_notes,
};
pub use notes_check::verify_notes;
pub use write::{write, write_event};
