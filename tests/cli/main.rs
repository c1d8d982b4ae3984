//! End-to-end tests: the real binary on real repositories in temporary directories,
//! cross-checked with real git.

// Test code builds fixtures with format!; clarity beats the allocation these lints save.
#![allow(clippy::format_push_string, clippy::format_collect)]

mod common;

mod concurrency;
mod edit;
mod errors;
mod install;
mod notes;
mod read;
mod start;
mod update;
