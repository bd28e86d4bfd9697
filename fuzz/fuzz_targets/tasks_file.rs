//! The tasks-file parser: any text parses, task ranges lie inside it in order, and rendering a
//! parsed task then parsing it again gives the same task (the round trip the decomposition
//! relies on), for tasks whose title survives rendering. Setting a task's checkbox (what a
//! dispatch does) changes one character and leaves every task where it was. A sub-task lies
//! inside its parent.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specwright_core::tasks::{self as file, Status, TaskFormat};

fuzz_target!(|text: &str| {
    for format in [TaskFormat::SpecKit, TaskFormat::Kiro] {
        let parsed = file::parse(text, format);
        let mut last = 0;
        for t in &parsed.tasks {
            assert!(t.start >= last && t.start <= t.end && t.end <= text.len());
            assert!(t.end <= t.subtree_end && t.subtree_end <= text.len());
            if let Some(p) = t.parent {
                let p = &parsed.tasks[p];
                assert!(p.start < t.start && t.subtree_end <= p.subtree_end);
            }
            last = t.end;
            let rendered = file::render(&t.value, parsed.format, "", false).join("\n") + "\n";
            let again = file::parse(&rendered, parsed.format);
            assert_eq!(again.tasks.len(), 1, "{rendered:?}");
            for status in [Status::Todo, Status::Running, Status::Done] {
                if let Some(edit) = file::checkbox_edit(text, &t.value.id, status) {
                    assert_eq!(edit.span.end - edit.span.start, 1);
                    let mut edited = text.to_string();
                    edited.replace_range(edit.span.start..edit.span.end, &edit.new_text);
                    let after = file::parse(&edited, format);
                    assert_eq!(after.tasks.len(), parsed.tasks.len(), "{edited:?}");
                }
            }
        }
    }
});
