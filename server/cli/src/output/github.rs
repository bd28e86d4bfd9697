//! GitHub Actions workflow commands: one annotation per finding.

use crate::check::Report;
use std::io::Write;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    for f in &report.findings {
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            f.severity.github_command(),
            escape_property(&f.path),
            f.start.0,
            f.start.1,
            f.end.0,
            f.end.1,
            escape_property(&format!("specwright {}", f.rule)),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}
