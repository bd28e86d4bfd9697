//! `docs/commands.md` documents exactly the commands the server advertises and handles
//! (`ServerCommand` feeds `executeCommandProvider` and the dispatcher): a command added without
//! its row, a row left behind by a removed command, or an argument shape that differs from the
//! one the server's errors quote, fails here.

use specwright_lsp::ServerCommand;
use std::collections::BTreeMap;

#[test]
fn the_commands_page_lists_every_command_with_its_argument_and_no_other() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/commands.md"
    ))
    .expect("docs/commands.md");
    // `| `specwright.x` | `{ … }` | result |`, with `\|` inside a cell.
    let documented: BTreeMap<String, String> = page
        .lines()
        .filter(|l| l.starts_with("| `specwright."))
        .filter_map(|l| {
            let cells: Vec<String> = l
                .replace("\\|", "\u{0}")
                .split('|')
                .map(|c| c.trim().replace('\u{0}', "|"))
                .collect();
            let name = cells.get(1)?.trim_matches('`').to_string();
            let argument = cells.get(2)?.trim_matches('`').to_string();
            Some((name, argument))
        })
        .collect();
    let advertised: BTreeMap<String, String> = ServerCommand::ALL
        .iter()
        .map(|c| (c.name().to_string(), c.argument().to_string()))
        .collect();
    let missing: Vec<_> = advertised
        .keys()
        .filter(|k| !documented.contains_key(*k))
        .collect();
    let stale: Vec<_> = documented
        .keys()
        .filter(|k| !advertised.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "undocumented commands {missing:?}; documented but not advertised {stale:?}"
    );
    for (name, argument) in &advertised {
        assert_eq!(
            documented.get(name),
            Some(argument),
            "{name}: docs/commands.md shows another argument than ServerCommand::argument"
        );
    }
    assert_eq!(specwright_lsp::COMMANDS.len(), ServerCommand::ALL.len());
    for c in ServerCommand::ALL {
        assert_eq!(ServerCommand::parse(c.name()), Some(c));
    }
}
