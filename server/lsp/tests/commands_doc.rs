//! `docs/commands.md` documents exactly the commands the server advertises and handles
//! (`COMMANDS` feeds `executeCommandProvider`): a command added without its row, or a row left
//! behind by a removed command, fails here.

#[test]
fn the_commands_page_lists_every_advertised_command_and_no_other() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/commands.md"
    ))
    .expect("docs/commands.md");
    let documented: std::collections::BTreeSet<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("| `specwright."))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let advertised: std::collections::BTreeSet<&str> = specwright_lsp::COMMANDS
        .iter()
        .map(|c| c.strip_prefix("specwright.").unwrap_or(c))
        .collect();
    let missing: Vec<_> = advertised.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&advertised).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "undocumented commands {missing:?}; documented but not advertised {stale:?}"
    );
}
