//! Profiles: the sections each kind of document needs, with the heading synonyms real
//! documents use and a skeleton to insert when one is missing. Built in per (kind, family).

use crate::kind::{DocKind, Family};

#[derive(Debug, Clone, Copy)]
pub struct SectionSpec {
    /// The canonical heading.
    pub title: &'static str,
    /// Lower-case title starts that count as this section.
    pub synonyms: &'static [&'static str],
    /// Heading level of the skeleton.
    pub level: u8,
    /// What the section holds, written into the skeleton as a comment.
    pub hint: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub name: &'static str,
    pub required: &'static [SectionSpec],
}

const SPEC_KIT_SPEC: Profile = Profile {
    name: "spec-kit spec",
    required: &[
        SectionSpec {
            title: "User Scenarios & Testing",
            synonyms: &["user scenarios", "user stories", "user story"],
            level: 2,
            hint: "User stories in priority order, each with Given/When/Then acceptance scenarios.",
        },
        SectionSpec {
            title: "Requirements",
            synonyms: &["requirements", "functional requirements"],
            level: 2,
            hint: "- **FR-001**: The system MUST …",
        },
        SectionSpec {
            title: "Success Criteria",
            // The older spec-kit template ends with a Review & Acceptance Checklist instead.
            synonyms: &[
                "success criteria",
                "measurable outcomes",
                "review & acceptance checklist",
                "review and acceptance checklist",
            ],
            level: 2,
            hint: "- **SC-001**: A measurable outcome, with a number.",
        },
    ],
};

const SPEC_KIT_PLAN: Profile = Profile {
    name: "spec-kit plan",
    required: &[
        SectionSpec {
            title: "Summary",
            synonyms: &["summary"],
            level: 2,
            hint: "The requirement and the technical approach in a few sentences.",
        },
        SectionSpec {
            title: "Technical Context",
            synonyms: &["technical context"],
            level: 2,
            hint: "Language/Version, Primary Dependencies, Storage, Testing, Target Platform, Constraints.",
        },
    ],
};

const KIRO_REQUIREMENTS: Profile = Profile {
    name: "Kiro requirements",
    required: &[
        SectionSpec {
            title: "Introduction",
            synonyms: &[
                "introduction",
                "overview",
                "summary",
                "概要",
                "導入",
                "はじめに",
                "背景",
                "概述",
                "简介",
                "介绍",
            ],
            level: 2,
            hint: "What the feature is and why.",
        },
        SectionSpec {
            title: "Requirements",
            synonyms: &["requirements", "requirement ", "要件", "需求"],
            level: 2,
            hint: "### Requirement 1, with a **User Story** and numbered EARS **Acceptance Criteria**.",
        },
    ],
};

const KIRO_DESIGN: Profile = Profile {
    name: "Kiro design",
    required: &[
        SectionSpec {
            title: "Overview",
            synonyms: &[
                "overview",
                "introduction",
                "summary",
                "architecture overview",
                "system overview",
                "design overview",
                "high-level overview",
            ],
            level: 2,
            hint: "The design in a paragraph.",
        },
        SectionSpec {
            title: "Architecture",
            synonyms: &[
                "architecture",
                "high-level architecture",
                "system architecture",
            ],
            level: 2,
            hint: "Components and how they interact.",
        },
    ],
};

const OPENSPEC_SPEC: Profile = Profile {
    name: "OpenSpec spec",
    required: &[
        SectionSpec {
            title: "Purpose",
            synonyms: &["purpose", "目的", "概述", "overview"],
            level: 2,
            hint: "What this capability is for.",
        },
        SectionSpec {
            title: "Requirements",
            synonyms: &[
                "requirements",
                "added requirements",
                "modified requirements",
                "removed requirements",
                "renamed requirements",
            ],
            level: 2,
            hint: "### Requirement: …, each with SHALL/MUST text and at least one #### Scenario: with WHEN/THEN bullets.",
        },
    ],
};

const PROPOSAL: Profile = Profile {
    name: "proposal (KEP / RFC)",
    required: &[
        SectionSpec {
            title: "Summary",
            synonyms: &["summary", "abstract", "overview"],
            level: 2,
            hint: "The proposal in one paragraph.",
        },
        SectionSpec {
            title: "Motivation",
            // KEPs state motivation as Goals / Non-Goals, RFCs often as the problem they solve.
            synonyms: &[
                "motivation",
                "goals",
                "problem",
                "problems",
                "background",
                "rationale",
            ],
            level: 2,
            hint: "Why this is needed; Goals and Non-Goals.",
        },
    ],
};

/// The built-in profile of a document, if its kind and family have one.
pub fn profile_for(kind: DocKind, family: Family) -> Option<&'static Profile> {
    match (kind, family) {
        (DocKind::Proposal, Family::KepRfc) => Some(&PROPOSAL),
        (DocKind::Spec, Family::SpecKit) => Some(&SPEC_KIT_SPEC),
        (DocKind::Plan, Family::SpecKit) => Some(&SPEC_KIT_PLAN),
        (DocKind::Requirements, Family::Kiro | Family::CcSdd) => Some(&KIRO_REQUIREMENTS),
        (DocKind::Design, Family::Kiro | Family::CcSdd) => Some(&KIRO_DESIGN),
        (DocKind::Spec, Family::OpenSpec) => Some(&OPENSPEC_SPEC),
        _ => None,
    }
}

/// A heading title as profiles compare it: numbering, emphasis and parentheticals removed.
pub fn normalize_title(title: &str) -> String {
    let t =
        title.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ' || c == ')');
    let t = t.split('(').next().unwrap_or(t);
    t.replace(['*', '_'], "").trim().to_lowercase()
}

impl SectionSpec {
    pub fn matches(&self, title: &str) -> bool {
        let t = normalize_title(title);
        self.synonyms.iter().any(|s| t.starts_with(s))
    }
}
