//! Dispatch: running tasks of a tasks file on coding agents, each in its own git worktree and
//! branch, and validating what each agent did against the task's boundary, its checks and
//! the accepted decisions the spec cites. The only crate of Specwright that starts processes,
//! and only on a user's explicit command.

pub mod acp;
pub mod agent;
pub mod confine;
pub mod dispatch;
pub mod git;
pub mod integrate;
pub mod model;
pub mod outcome;
pub mod planning;
pub mod process;
pub mod prompt;
pub mod record;
pub mod streams;
pub mod trust;
pub mod validate;
pub mod verify;
