//! The only way commands read and write packets and notes. Every ref move is a compare-and-swap
//! on the value read, retried on conflict; objects are written before the ref moves.

mod cas;
mod chain;
mod notes;

pub use chain::{
    chain_ref, find_chain, find_revision, history, list_chains, read_revision, revision_number,
    tip, write, Chain, Revision,
};
pub use notes::{note_of, notes_map, read_note, set_note, NOTES_REF};
