//! Specwright's language server: a thin adapter between LSP and `specwright-core`.
//!
//! Owns: the open documents (a rope each), position-encoding negotiation and conversion
//! ([`convert`]), scheduling analysis off the async executor with latest-edit-wins, push or
//! pull diagnostics, hover, document symbols, quick fixes and `specwright.*` commands.
//!
//! Invariant: no analysis logic here. Everything a user sees comes from the core, converted.

pub mod commands;
pub mod convert;
mod index;
mod navigation;
mod server;
mod transport;

pub use commands::{COMMANDS, ServerCommand};
pub use server::Backend;

/// How many messages the server handles at once.
const REQUESTS_IN_FLIGHT: usize = 128;

/// Serves LSP over stdin/stdout until the client says `exit` (or goes away); then ends the
/// agents of any dispatch still running, so none outlives the server. True when the client
/// asked for `shutdown` first (the process then exits with 0, else with 1).
pub async fn run_stdio() -> bool {
    let backend: std::sync::Arc<std::sync::Mutex<Option<Backend>>> = Default::default();
    let slot = backend.clone();
    let (service, socket) = tower_lsp_server::LspService::build(move |client| {
        let b = Backend::new(client);
        if let Ok(mut s) = slot.lock() {
            *s = Some(b.clone());
        }
        b
    })
    .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
    .custom_method(transport::PARSE_ERROR, Backend::parse_error)
    .finish();
    let shutdown_seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    tower_lsp_server::Server::new(
        transport::gate(tokio::io::stdin(), shutdown_seen.clone()),
        tokio::io::stdout(),
        socket,
    )
    // Every message, notification or request, takes one of these slots until its handler
    // returns, and a request on a document still being analysed waits for that analysis: at
    // tower-lsp's default of 4, four requests on one slow document stalled every other
    // document. Waiting handlers cost no thread (analysis runs on the blocking pool).
    .concurrency_level(REQUESTS_IN_FLIGHT)
    .serve(service)
    .await;
    let backend = backend.lock().ok().and_then(|b| b.clone());
    if let Some(b) = backend {
        b.end_runs().await;
    }
    shutdown_seen.load(std::sync::atomic::Ordering::SeqCst)
}
