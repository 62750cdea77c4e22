//! folio: turns compilations of Chinese articles into books.
//!
//! The folders show the pipeline: [`read`] (bytes → model) → [`model`]
//! (the contract) → [`normalize`] (model → model) → [`layout`] (model →
//! pages, for print) → [`write`] (model → bytes). [`pipeline`] runs a batch;
//! `main.rs` is the CLI only.

pub mod config;
pub mod files;
pub mod lang;
pub mod layout;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod write;
