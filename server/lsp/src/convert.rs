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

/// The semantic-token types the server sends, in legend order.
pub const TOKEN_TYPES: &[&str] = &["keyword", "operator", "variable", "comment", "enumMember"];
/// The token modifiers, in legend order (a bit each).
pub const TOKEN_MODIFIERS: &[&str] = &["declaration"];

/// Semantic tokens as LSP encodes them: per token, line and start deltas, length, type and
/// modifiers, in the negotiated encoding. A token that crosses a line break is split per line.
pub fn semantic_tokens(
    rope: &Rope,
    tokens: &[(Span, specwright_core::highlight::TokenKind)],
    enc: Encoding,
) -> Vec<tower_lsp_server::ls_types::SemanticToken> {
    use specwright_core::highlight::TokenKind;
    let mut out = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    for (span, kind) in tokens {
        let (token_type, modifiers) = match kind {
            TokenKind::Normative => (0, 0),
            TokenKind::Ears => (1, 0),
            TokenKind::IdDefinition => (2, 1),
            TokenKind::IdReference => (2, 0),
            TokenKind::Clarification => (3, 0),
            TokenKind::AdrStatus => (4, 0),
        };
        let start = position(rope, span.start, enc);
        let end = position(rope, span.end, enc);
        for line in start.line..=end.line {
            let from = if line == start.line {
                start.character
            } else {
                0
            };
            let to = if line == end.line {
                end.character
            } else {
                // The line's length without its break, in the encoding's units.
                let next = rope.line_to_byte((line + 1) as usize);
                let mut p = position(rope, next, enc);
                if p.line > line {
                    let text = rope.line(line as usize);
                    let trimmed = text.to_string();
                    let content = trimmed.trim_end_matches(['\n', '\r']);
                    p.character = match enc {
                        Encoding::Utf8 => content.len() as u32,
                        Encoding::Utf16 => content.encode_utf16().count() as u32,
                        Encoding::Utf32 => content.chars().count() as u32,
                    };
                }
                p.character
            };
            if to <= from {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 {
                from - prev_start
            } else {
                from
            };
            out.push(tower_lsp_server::ls_types::SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            prev_line = line;
            prev_start = from;
        }
    }
    out
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
