//! folio: turns compilations of Chinese articles into books.
//!
//! The folders show the pipeline: [`read`] (bytes → model) → [`model`]
//! (the contract) → [`normalize`] (model → model) → [`layout`] (model →
//! pages, for print) → [`write`] (model → bytes). [`pipeline`] runs a batch;
//! `main.rs` is the CLI only.

// A panic is a bug report: the library unwraps only what an invariant
// guarantees, and says which with `expect`. Its unit tests may unwrap
// (clippy.toml); the integration tests are crates of their own.
#![warn(clippy::unwrap_used)]

pub mod config;
pub mod files;
pub mod fonts;
pub mod format;
pub mod lang;
pub mod layout;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod write;
