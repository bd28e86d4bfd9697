//! The configuration reader: any TOML text gives a configuration and diagnostics, never a
//! panic, and every diagnostic span lies inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specwright_core::{Config, config, rules};

fuzz_target!(|text: &str| {
    let (file, diags) = config::parse_toml(text, &rules::ids());
    for d in &diags {
        if let Some(s) = d.span {
            assert!(s.start <= s.end && s.end <= text.len());
        }
    }
    let _ = Config::new(file);
});
