//! Everything that leaves the build besides HTML pages: feeds, sitemaps, open data, and the
//! atomic writer that all stages write through.

pub mod feeds;
pub mod opendata;
pub mod output;
pub mod sitemap;
pub mod structured;
mod xml;

pub use output::{Output, Written};

use crate::Result;
use crate::config::SiteConfig;
use crate::model::Archive;
use crate::search::related::Related;

/// Writes the feeds and the open-data exports. The sitemap needs the list of pages the
/// render stage wrote, so it is written after it ([`sitemap::write`]).
pub fn write_all(
    archive: &Archive,
    config: &SiteConfig,
    related: &Related,
    out: &Output,
) -> Result<()> {
    let (feeds, data) = rayon::join(
        || feeds::write(archive, config, out),
        || opendata::write(archive, config, related, out),
    );
    feeds.and(data)
}
