//! `conflicting-value` as properties over generated feature folders: the same value written in
//! another unit (300 ms, 0.3 s) is never a conflict, and the set of conflicts does not depend on
//! the order in which the folder's documents are read.

use proptest::prelude::*;
use std::collections::BTreeSet;

const SUBJECTS: &[&str] = &["debounce", "timeout", "retention"];
const VALUES_MS: &[u64] = &[100, 250, 300, 1_500, 2_000, 60_000];

/// `ms` written in one of the units that say it exactly.
fn written(ms: u64, unit: usize) -> String {
    match unit % 3 {
        1 => format!("{} s", ms as f64 / 1000.0),
        2 if ms.is_multiple_of(60_000) => format!("{} min", ms / 60_000),
        _ => format!("{ms} ms"),
    }
}

fn documents(values: &[(usize, u64, usize)]) -> Vec<(String, String)> {
    let names = ["spec.md", "plan.md", "research.md"];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let lines: String = values
                .iter()
                .skip(i)
                .step_by(names.len())
                .map(|&(s, ms, unit)| {
                    format!(
                        "- **FR-00{}**: Search MUST use a {} of {}.\n",
                        i + 1,
                        SUBJECTS[s],
                        written(ms, unit)
                    )
                })
                .collect();
            let title = match i {
                0 => "# Feature Specification: Search\n\n## Requirements\n\n",
                1 => "# Implementation Plan: Search\n\n## Technical Context\n\n",
                _ => "# Research: Search\n\n## Decisions\n\n",
            };
            (
                format!("specs/001-search/{name}"),
                format!("{title}{lines}"),
            )
        })
        .collect()
}

mod common;

/// The conflicting-value findings of the folder, read in the order given.
fn conflicts(files: &[(String, String)]) -> BTreeSet<(String, String)> {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    common::analyze_folder(&files, None)
        .into_iter()
        .flat_map(|(path, found)| {
            found
                .into_iter()
                .filter(|d| d.rule == "conflicting-value")
                .map(move |d| (path.clone(), d.message))
        })
        .collect()
}

fn statement() -> impl Strategy<Value = (usize, u64, usize)> {
    (
        0..SUBJECTS.len(),
        prop::sample::select(VALUES_MS),
        0usize..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn one_value_in_other_units_is_never_a_conflict(
        subject in 0..SUBJECTS.len(),
        ms in prop::sample::select(VALUES_MS),
        units in prop::collection::vec(0usize..3, 3),
    ) {
        let values: Vec<(usize, u64, usize)> = units.iter().map(|&u| (subject, ms, u)).collect();
        let found = conflicts(&documents(&values));
        prop_assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_order_documents_are_read_in_never_changes_the_conflicts(
        values in prop::collection::vec(statement(), 3..7),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let files = documents(&values);
        let shuffled: Vec<(String, String)> = order.iter().map(|&i| files[i].clone()).collect();
        prop_assert_eq!(conflicts(&files), conflicts(&shuffled));
    }
}

#[test]
fn different_values_in_a_spec_and_a_plan_conflict() {
    let found = conflicts(&documents(&[(0, 300, 0), (0, 100, 0)]));
    assert_eq!(found.len(), 1, "{found:?}");
}
