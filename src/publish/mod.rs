//! Everything that leaves the build besides HTML pages: feeds, sitemaps, open data, and the
//! atomic writer that all stages write through.

pub mod output;

pub use output::{Output, Written};
