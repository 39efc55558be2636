//! hoidap publishes government question-and-answer records as a static website.
//!
//! Data flows through the modules in this order:
//!
//! 1. [`load`]: read `site.toml`, the registries and every record file (front matter + body);
//! 2. [`model`]: validate into an [`model::Archive`] with every reference resolved;
//! 3. [`render`] pages, [`search`] indexes, [`stats`] figures, [`publish`] feeds and exports;
//! 4. [`publish::output`]: write beside the last good output and swap it in atomically.
//!
//! [`build`] runs the whole pipeline; the `hoidap` binary is a thin CLI over it.

// Problems travel by value on cold paths; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod stats;
pub mod text;
pub mod urls;

pub use error::{Error, Result};
