//! The LSP requests the trait impl in `server.rs` delegates to, one module per area; each
//! handler converts positions and JSON and asks the analysis (core's `ide` layer and index).

mod actions;
mod assist;
mod lifecycle;
mod navigate;
