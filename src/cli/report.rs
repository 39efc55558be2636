//! Rendering problems for people and machines (being written).
