//! Position conversions: byte offset → LSP position → byte offset round-trips on character
//! boundaries, in UTF-8, UTF-16 and UTF-32, over any text (CRLF, lone CR, astral characters).
#![no_main]
use libfuzzer_sys::fuzz_target;
use ropey::Rope;
use specwright_lsp::convert::{self, Encoding};

fuzz_target!(|input: (&str, u16)| {
    let (text, at) = input;
    let rope = Rope::from_str(text);
    let offset = text.floor_char_boundary((at as usize).min(text.len()));
    // Between the `\r` and `\n` of a CRLF is inside one line break: no position names it.
    if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
        return;
    }
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        let pos = convert::position(&rope, offset, enc);
        assert_eq!(convert::offset(&rope, pos, enc), offset, "{enc:?} {pos:?}");
    }
});
