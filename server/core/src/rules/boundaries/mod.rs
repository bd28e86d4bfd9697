//! Boundary, structure and traceability rules: what a spec folder must contain for an agent to
//! execute it, and whether its ids hold together across files. Cross-file rules read the
//! workspace index through `Context::siblings` (the other documents of the folder).

mod coverage_unchecked;
mod dangling_delta;
mod dangling_reference;
mod duplicate_id;
mod empty_section;
mod id_sequence;
mod missing_failure_behaviour;
mod missing_scope_boundary;
mod missing_section;
mod orphan_task;
mod requirement_without_scenario;
mod story_without_acceptance;
mod task_boundary;
mod uncovered_requirement;
mod unmeasurable_success_criterion;

pub use coverage_unchecked::CoverageUnchecked;
pub use dangling_reference::DanglingReference;
pub use duplicate_id::DuplicateId;
pub use empty_section::EmptySection;
pub use id_sequence::IdSequence;
pub use missing_failure_behaviour::MissingFailureBehaviour;
pub use missing_scope_boundary::MissingScopeBoundary;
pub use missing_section::MissingSection;
pub use orphan_task::OrphanTask;
pub use requirement_without_scenario::RequirementWithoutScenario;
pub use story_without_acceptance::StoryWithoutAcceptance;
pub use task_boundary::TaskBoundary;
pub use uncovered_requirement::UncoveredRequirement;
pub use unmeasurable_success_criterion::UnmeasurableSuccessCriterion;

/// The prefix family of a normalised id: `FR` for `FR1`, `#` for Kiro's `1.2`.
pub(crate) fn family_of(key: &str) -> String {
    let prefix: String = key
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if prefix.is_empty() {
        "#".into()
    } else {
        prefix
    }
}

pub(crate) use crate::index::{Coverage, coverage};

/// The file name of a location, for messages.
pub(crate) fn file_name(location: &str) -> &str {
    location.rsplit('/').next().unwrap_or(location)
}
