//! The document model: any text parses, `prose` keeps the text's length, and every span lies
//! inside the text on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specwright_core::syntax::{ParseOptions, SpecDoc};

fuzz_target!(|text: &str| {
    let doc = SpecDoc::parse(text, ParseOptions::default());
    assert_eq!(doc.prose.len(), text.len());
    for s in doc
        .sections
        .iter()
        .map(|s| s.heading_span)
        .chain(doc.blocks.iter().map(|b| b.span))
    {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    for o in &doc.ids {
        assert!(text.get(o.span.range()).is_some());
    }
});
