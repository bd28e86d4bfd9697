//! Specwright's analysis core: Markdown specifications in, values out.
//!
//! This crate owns the document model ([`syntax`]), document kinds ([`kind`]), configuration
//! ([`config`]), the rules engine ([`rules`]), inline suppression ([`suppress`]) and the
//! cross-document facts ([`index`]).
//!
//! Invariant: nothing here knows of LSP, tokio, the file system or the clock. Every function
//! takes text (plus a configuration and a workspace snapshot) and returns values with byte
//! spans into that text, so the server and the CLI produce identical results.

pub mod adr;
pub mod analysis;
pub mod clarify;
pub mod config;
pub mod decompose;
pub mod diagnostic;
pub mod highlight;
pub mod ide;
pub mod incremental;
pub mod index;
pub mod kind;
pub mod lexicon;
pub mod openspec;
pub mod profiles;
pub mod quantities;
pub mod rules;
pub mod scope;
pub mod span;
pub mod suppress;
pub mod syntax;
pub mod tasks;
pub mod words;

pub use analysis::{Analysis, AnalysisInput, analyze};
pub use config::{Config, ConfigDiagnostic, ConfigFile};
pub use diagnostic::{Diagnostic, Fix, Related, Severity, TextEdit};
pub use kind::{DocKind, Family};
pub use span::Span;
pub use syntax::SpecDoc;
