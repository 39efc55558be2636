//! Everything that leaves the build besides HTML pages: feeds, sitemaps, open data, and the
//! atomic writer that all stages write through.

pub mod output;

pub use output::{Output, Written};

use crate::Result;
use crate::config::SiteConfig;
use crate::model::Archive;

/// Writes feeds, sitemaps and open-data exports.
pub fn write_all(_archive: &Archive, _config: &SiteConfig, _out: &Output) -> Result<()> {
    Ok(())
}
