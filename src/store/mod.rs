//! The only way commands read and write packets and notes. Every ref move is a compare-and-swap
//! on the value read, retried on conflict; objects are written before the ref moves.

mod cas;
mod chain;
mod integrate;
mod notes;
mod transient;

pub use cas::drop_refs;
pub use chain::{
    chain_ref, find_branch_chain, find_chain, find_revision, history, list_chains,
    packets_by_content, read_revision, read_tip, revision_number, stamp_index, tip, write, Broken,
    Chain, Lookup, Revision, StampIndex,
};
pub use integrate::{integrate_chain, integrate_notes, Outcome};
pub use notes::{
    note_of, notes_map, notes_map_at, notes_of, read_note, set_note, set_notes, NOTES_REF,
};
