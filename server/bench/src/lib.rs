//! Shared by the benchmark binaries: inputs generated from the shared corpus.

pub mod corpus;
