//! The four output formats of `specwright check`.

mod github;
mod human;
pub mod json;
mod sarif;

use crate::check::Report;
use crate::{ColorChoice, Format};
use std::io::{IsTerminal, Write};

pub fn write(
    out: &mut dyn Write,
    report: &Report,
    format: Format,
    color: ColorChoice,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            let styled = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            human::write(out, report, styled)
        }
        Format::Json => json::write(out, report),
        Format::Sarif => sarif::write(out, report),
        Format::Github => github::write(out, report),
    }
}
