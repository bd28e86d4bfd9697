//! The parts of the CLI other tools reuse: `check` (collect, analyse and locate findings), read
//! by the `specwright-eval` harness so that it measures exactly what `specwright check` reports.

pub mod check;
