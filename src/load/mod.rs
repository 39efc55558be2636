//! (being written)
pub mod yaml;
