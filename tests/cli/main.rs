//! End-to-end tests: the real binary on real repositories in temporary directories,
//! cross-checked with real git.

mod common;

mod agents;
mod check;
mod ci;
mod concurrency;
mod continuity;
mod edit;
mod errors;
mod gate;
mod handoff;
mod hooks;
mod hostile;
mod install;
mod lanes;
mod notes;
mod read;
mod receiving;
mod revisions;
mod scenario;
mod secrets;
mod server;
mod start;
mod travel;
mod update;
mod views;
