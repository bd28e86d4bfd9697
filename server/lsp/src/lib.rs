//! Specwright's language server: a thin adapter between LSP and `specwright-core`.
//!
//! Owns: the open documents (a rope each), position-encoding negotiation and conversion
//! ([`convert`]), scheduling analysis off the async executor with latest-edit-wins, push or
//! pull diagnostics, hover, document symbols, quick fixes and `specwright.*` commands.
//!
//! Invariant: no analysis logic here. Everything a user sees comes from the core, converted.

pub mod convert;
mod index;
mod navigation;
mod server;

pub use server::{Backend, COMMANDS};

/// Serves LSP over stdin/stdout until the client says `exit`.
pub async fn run_stdio() {
    let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
    tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}
