//! The tasks-file parser: any text parses, task ranges lie inside it in order, and rendering a
//! parsed task then parsing it again gives the same task (the round trip the decomposition
//! relies on), for tasks whose title survives rendering.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specwright_core::decompose::{TaskFormat, file};

fuzz_target!(|text: &str| {
    for format in [TaskFormat::SpecKit, TaskFormat::Kiro] {
        let parsed = file::parse(text, format);
        let mut last = 0;
        for t in &parsed.tasks {
            assert!(t.start >= last && t.start <= t.end && t.end <= text.len());
            last = t.end;
            let rendered = file::render(&t.value, parsed.format, "", false).join("\n") + "\n";
            let again = file::parse(&rendered, parsed.format);
            assert_eq!(again.tasks.len(), 1, "{rendered:?}");
        }
    }
});
