//! The protocol edge: byte offsets ↔ LSP positions in the negotiated encoding, and core
//! values → LSP values. Nothing else in the server converts positions.

use ropey::Rope;
use specwright_core::{Severity, Span};
use tower_lsp_server::ls_types::{self as lsp, Position, PositionEncodingKind, Range};

/// The position encoding agreed with the client in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// UTF-8 when the client offers it (cheapest for us), else UTF-16, which every client must
    /// support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Byte offset → position. Offsets past the end clamp to the end; offsets inside a character
/// snap back to its start.
pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_char = rope.line_to_char(line);
    let column = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_char),
        Encoding::Utf32 => char_idx - line_char,
    };
    Position::new(line as u32, column as u32)
}

pub fn range(rope: &Rope, span: Span, enc: Encoding) -> Range {
    Range::new(
        position(rope, span.start, enc),
        position(rope, span.end, enc),
    )
}

/// Position → char index. A line past the end means the end; a column past the line's end
/// (or inside a surrogate pair or a multi-byte character) clamps, as LSP asks.
pub fn char_index(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let line_slice = rope.line(line);
    // The line's content without its line break.
    let mut line_len = line_slice.len_chars();
    while line_len > 0 && matches!(line_slice.char(line_len - 1), '\n' | '\r') {
        line_len -= 1;
    }
    let col = pos.character as usize;
    let chars = match enc {
        Encoding::Utf32 => col.min(line_len),
        Encoding::Utf8 => {
            let line_byte = rope.char_to_byte(line_start);
            let end_byte = rope.char_to_byte(line_start + line_len);
            let target = (line_byte + col).min(end_byte);
            rope.byte_to_char(target) - line_start
        }
        Encoding::Utf16 => {
            let base = rope.char_to_utf16_cu(line_start);
            let end = rope.char_to_utf16_cu(line_start + line_len);
            let target = (base + col).min(end);
            rope.utf16_cu_to_char(target) - line_start
        }
    };
    line_start + chars
}

pub fn offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    rope.char_to_byte(char_index(rope, pos, enc))
}

pub fn severity(s: Severity) -> Option<lsp::DiagnosticSeverity> {
    match s {
        Severity::Error => Some(lsp::DiagnosticSeverity::ERROR),
        Severity::Warning => Some(lsp::DiagnosticSeverity::WARNING),
        Severity::Info => Some(lsp::DiagnosticSeverity::INFORMATION),
        Severity::Hint => Some(lsp::DiagnosticSeverity::HINT),
        Severity::Off => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_non_ascii_crlf_and_astral_characters() {
        let text = "a😀b\r\n中文x\r\nlast";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (offset, c) in text.char_indices() {
                // Between `\r` and `\n` is no position a client can express.
                if c == '\n' && text[..offset].ends_with('\r') {
                    continue;
                }
                let pos = position(&rope, offset, enc);
                assert_eq!(
                    super::offset(&rope, pos, enc),
                    offset,
                    "{enc:?} at {offset}"
                );
            }
        }
        let x = text.find('x').unwrap();
        assert_eq!(position(&rope, x, Encoding::Utf16), Position::new(1, 2));
        assert_eq!(position(&rope, x, Encoding::Utf8), Position::new(1, 6));
        let b = text.find('b').unwrap();
        assert_eq!(position(&rope, b, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(position(&rope, b, Encoding::Utf32), Position::new(0, 2));
    }

    #[test]
    fn clamps_positions_past_the_line_end() {
        let rope = Rope::from_str("ab\r\ncd");
        assert_eq!(offset(&rope, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, Position::new(9, 0), Encoding::Utf16), 6);
    }
}
