//! Validation (being written)
