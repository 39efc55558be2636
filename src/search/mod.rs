//! Search: one analysis feeding a tantivy index (for `hoidap search` and the live preview)
//! and a static index split into small files (for the published site's JavaScript client).
//! (being written)

use crate::Result;
use crate::config::SiteConfig;
use crate::model::Archive;
use crate::publish::Output;
use std::path::Path;

/// Writes the static search index under `search/` in the output.
pub fn write_static(_archive: &Archive, _config: &SiteConfig, _out: &Output) -> Result<()> {
    Ok(())
}

/// Writes (or replaces) the tantivy index in `dir`.
pub fn write_index(_archive: &Archive, _dir: &Path) -> Result<()> {
    Ok(())
}
