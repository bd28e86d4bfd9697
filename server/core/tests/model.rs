//! Snapshot of the document model for a document that exercises every part of it.

use specwright_core::syntax::{BlockKind, ParseOptions, SpecDoc};
use std::fmt::Write;

const DOC: &str = r#"---
kind: spec
owners: [alice, bob]
---
# Feature Specification: Offline drafts

Writers lose work on trains, e.g. between stations. Drafts must survive v1.2 upgrades within 3.5 s. See https://example.com/a.b for details.

## Requirements

- **FR-001**: The editor SHALL keep drafts locally.
- **FR-002**: When the network drops, the editor shall queue writes (see FR-001).
- [ ] T001 [P] [US1] Implement the store in `src/store.rs`
- [x] T002 Done task
- [-] T003 Started task

### Requirement 1

1. WHEN a draft is saved THEN the system SHALL persist it
2. IF storage is full THEN the system SHALL warn the user

_Requirements: 1.1, 1.2_

| Id | Text |
|----|------|
| NFR-1 | Latency MUST stay under 50 ms |

> Quoted [link](https://example.com/x) and <!-- a comment -->.

```rust
let fr = "FR-999 MUST not count";
```
"#;

fn render(doc: &SpecDoc) -> String {
    let mut out = String::new();
    let fm = doc.front_matter.as_ref().unwrap();
    writeln!(
        out,
        "front matter: {}",
        serde_json::Value::Object(fm.values.clone())
    )
    .unwrap();
    for s in &doc.sections {
        writeln!(
            out,
            "section h{} {:?} parent={:?} body={:?}",
            s.level,
            s.title,
            s.parent,
            doc.slice(s.body_span).lines().nth(1).unwrap_or("")
        )
        .unwrap();
    }
    for b in &doc.blocks {
        let kind = match &b.kind {
            BlockKind::ListItem {
                ordered,
                number,
                checkbox,
                depth,
            } => {
                format!(
                    "item ordered={ordered} number={number:?} checkbox={checkbox:?} depth={depth}"
                )
            }
            other => format!("{other:?}"),
        };
        writeln!(
            out,
            "block {kind} :: {:?}",
            doc.slice(b.span).lines().next().unwrap_or("")
        )
        .unwrap();
    }
    for s in &doc.sentences {
        writeln!(out, "sentence {:?}", doc.slice(s.span)).unwrap();
    }
    for id in &doc.ids {
        writeln!(
            out,
            "id {} {:?} {:?} at {:?}",
            id.id,
            id.kind,
            id.role,
            doc.slice(id.span)
        )
        .unwrap();
    }
    for st in &doc.statements {
        let kws: Vec<_> = st
            .keywords
            .iter()
            .map(|k| format!("{}{}", k.word, if k.uppercase { "" } else { "(lc)" }))
            .collect();
        writeln!(
            out,
            "statement {:?} defines={:?} keywords={kws:?} ears={:?}",
            doc.slice(st.span),
            st.defined_id(doc),
            st.ears.as_ref().map(|e| e.pattern)
        )
        .unwrap();
    }
    for l in &doc.links {
        writeln!(
            out,
            "link {} dest_span={:?}",
            l.dest,
            l.dest_span.map(|s| doc.slice(s))
        )
        .unwrap();
    }
    for c in &doc.comments {
        writeln!(out, "comment {:?}", doc.slice(*c)).unwrap();
    }
    out
}

#[test]
fn document_model_snapshot() {
    let doc = SpecDoc::parse(DOC, ParseOptions::default());
    assert_eq!(doc.prose.len(), doc.text.len());
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn prose_blanks_code_comments_front_matter_and_link_targets() {
    let doc = SpecDoc::parse(DOC, ParseOptions::default());
    for hidden in [
        "FR-999",
        "a comment",
        "https://example.com/x",
        "alice",
        "src/store.rs",
    ] {
        assert!(!doc.prose.contains(hidden), "{hidden} leaked into prose");
        assert!(doc.text.contains(hidden));
    }
    assert!(
        doc.prose.contains("https://example.com/a.b"),
        "bare URLs are text"
    );
}

#[test]
fn parses_crlf_and_non_ascii_without_losing_offsets() {
    let text = "# Título 🚀\r\n\r\n- **FR-001**: 系统 MUST 保存 TBD.\r\n";
    let doc = SpecDoc::parse(text, ParseOptions::default());
    assert_eq!(doc.sections[0].title, "Título 🚀");
    let id = &doc.ids[0];
    assert_eq!(doc.slice(id.span), "FR-001");
    assert_eq!(doc.statements.len(), 1);
    assert_eq!(doc.line_of(text.find("TBD").unwrap()), 2);
}

/// pulldown-cmark reads a `---` … `---` pair anywhere as a metadata block; only one at the
/// start is front matter (a second one would classify the document by text far down).
#[test]
fn only_a_leading_yaml_block_is_front_matter() {
    let later = "# Notes\n\nSome text.\n\n---\nkind: adr\n---\n\nMore text.\n";
    let doc = SpecDoc::parse(later, ParseOptions::default());
    assert!(doc.front_matter.is_none(), "{:?}", doc.front_matter);
    let leading = "---\nkind: adr\n---\n\n# Title\n";
    let doc = SpecDoc::parse(leading, ParseOptions::default());
    assert_eq!(
        doc.front_matter.as_ref().and_then(|f| f.get_str("kind")),
        Some("adr")
    );
}

/// A large document's sentences and statements are found by several threads, a run of units
/// each: the runs must join into what each copy of a fragment has on its own.
#[test]
fn large_documents_split_sentences_and_statements_like_small_ones() {
    let fragment = "## Part\n\nThe editor MUST save drafts. It SHOULD sync them, e.g. hourly.\n\n- **FR-001**: The system shall not lose data.\n- When offline, the editor MUST queue edits.\n\n";
    let small = SpecDoc::parse(fragment, ParseOptions::default());
    let copies = 3000;
    let big = SpecDoc::parse(&fragment.repeat(copies), ParseOptions::default());
    assert!(big.units.len() > 8192, "{} units", big.units.len());
    assert_eq!(big.sentences.len(), copies * small.sentences.len());
    assert_eq!(big.statements.len(), copies * small.statements.len());
    for (i, chunk) in big.statements.chunks(small.statements.len()).enumerate() {
        let shift = i * fragment.len();
        for (b, s) in chunk.iter().zip(&small.statements) {
            assert_eq!(b.span, s.span.offset(shift));
            let words = |st: &specwright_core::syntax::Statement| {
                st.keywords
                    .iter()
                    .map(|k| (k.span.start, k.word.clone()))
                    .collect::<Vec<_>>()
            };
            let shifted: Vec<_> = words(s)
                .into_iter()
                .map(|(at, w)| (at + shift, w))
                .collect();
            assert_eq!(words(b), shifted);
            assert_eq!(b.ears.is_some(), s.ears.is_some());
        }
    }
    for (i, chunk) in big.sentences.chunks(small.sentences.len()).enumerate() {
        for (b, s) in chunk.iter().zip(&small.sentences) {
            assert_eq!(b.span, s.span.offset(i * fragment.len()));
        }
    }
}
