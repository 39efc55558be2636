//! Accountability figures: what each agency answered, and how fast. (being written)

use crate::config::SiteConfig;
use crate::model::Archive;
use jiff::civil::Date;
use serde::Serialize;

/// All figures of a site, as of `today`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {}

pub fn compute(_archive: &Archive, _config: &SiteConfig, _today: Date) -> Stats {
    Stats {}
}
