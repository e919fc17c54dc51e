//! UTF-16 (LE/BE) and Windows-1252 to UTF-8, chunk by chunk, per the WHATWG Encoding Standard
//! (what encoding_rs does for these three encodings, byte for byte; a test compares them).
//!
//! Written here rather than taken from encoding_rs because its decoder type dispatches over
//! every encoding it knows, which links in all of them — the CJK index tables are ~300 KB of
//! the wasm module — while a CRM export needs only these three besides UTF-8.

use super::text::TextEncoding;

const REPLACEMENT: char = '\u{FFFD}';

/// Windows-1252 bytes 0x80–0x9F (WHATWG index; the five unassigned ones map to the C1 control
/// of the same value). 0x00–0x7F are ASCII and 0xA0–0xFF are U+00A0–U+00FF.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
    '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf8,
    Utf16 { big_endian: bool },
    Windows1252,
}

/// Turns a file's bytes, chunk by chunk, into UTF-8 bytes (without BOM).
#[derive(Clone)]
pub struct Utf8Decoder {
    charset: Charset,
    /// BOM bytes still to drop (UTF-8 with BOM).
    skip_bom: usize,
    /// UTF-16: a code unit's first byte, when a chunk ended between its two bytes.
    odd_byte: Option<u8>,
    /// UTF-16: a lead surrogate waiting for its trail.
    lead: Option<u16>,
    /// UTF-16: no code unit decoded yet (a leading U+FEFF is the BOM and is dropped).
    at_start: bool,
}

impl Utf8Decoder {
    pub fn new(encoding: TextEncoding) -> Utf8Decoder {
        let (charset, skip_bom) = match encoding {
            TextEncoding::Utf8 => (Charset::Utf8, 0),
            TextEncoding::Utf8Bom => (Charset::Utf8, 3),
            TextEncoding::Utf16Le => (Charset::Utf16 { big_endian: false }, 0),
            TextEncoding::Utf16Be => (Charset::Utf16 { big_endian: true }, 0),
            TextEncoding::Windows1252 => (Charset::Windows1252, 0),
        };
        Utf8Decoder { charset, skip_bom, odd_byte: None, lead: None, at_start: true }
    }

    /// A decoder for the same text from a line break on (a later part of the file read
    /// beside this one): for the encodings whose bytes decode one at a time (UTF-8 and
    /// Windows-1252), where a line break byte is always one; `None` for UTF-16.
    pub fn resumed(&self) -> Option<Utf8Decoder> {
        match self.charset {
            Charset::Utf8 | Charset::Windows1252 => {
                Some(Utf8Decoder { charset: self.charset, skip_bom: 0, odd_byte: None, lead: None, at_start: false })
            }
            Charset::Utf16 { .. } => None,
        }
    }

    /// UTF-8 input needs no decoding: its bytes as they are (past a BOM), without a copy;
    /// `None` for the other encodings.
    pub fn passthrough<'a>(&mut self, mut input: &'a [u8]) -> Option<&'a [u8]> {
        if self.charset != Charset::Utf8 {
            return None;
        }
        let n = self.skip_bom.min(input.len());
        input = &input[n..];
        self.skip_bom -= n;
        Some(input)
    }

    /// Appends the decoded text of `input` to `out`; `last` flushes any partial character.
    pub fn decode(&mut self, mut input: &[u8], last: bool, out: &mut Vec<u8>) {
        match self.charset {
            Charset::Utf8 => {
                if self.skip_bom > 0 {
                    let n = self.skip_bom.min(input.len());
                    input = &input[n..];
                    self.skip_bom -= n;
                }
                out.extend_from_slice(input);
            }
            Charset::Windows1252 => decode_windows_1252(input, out),
            Charset::Utf16 { big_endian } => self.decode_utf16(input, big_endian, last, out),
        }
    }

    fn decode_utf16(&mut self, input: &[u8], big_endian: bool, last: bool, out: &mut Vec<u8>) {
        out.reserve(input.len() / 2 * 3 + 8);
        let unit = |a: u8, b: u8| if big_endian { u16::from_be_bytes([a, b]) } else { u16::from_le_bytes([a, b]) };
        let mut rest = input;
        if let Some(first) = self.odd_byte {
            if let Some((&second, tail)) = rest.split_first() {
                self.odd_byte = None;
                self.push_unit(unit(first, second), out);
                rest = tail;
            }
        }
        let mut pairs = rest.chunks_exact(2);
        for pair in &mut pairs {
            self.push_unit(unit(pair[0], pair[1]), out);
        }
        if let [b] = pairs.remainder() {
            self.odd_byte = Some(*b);
        }
        // At the end a pending lead surrogate, a pending odd byte, or both are one error (WHATWG).
        if last && (self.lead.take().is_some() | self.odd_byte.take().is_some()) {
            push_char(REPLACEMENT, out);
        }
    }

    fn push_unit(&mut self, u: u16, out: &mut Vec<u8>) {
        let at_start = std::mem::replace(&mut self.at_start, false);
        match (self.lead.take(), u) {
            (Some(lead), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(lead) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                push_char(char::from_u32(c).unwrap_or(REPLACEMENT), out);
            }
            (lead, _) => {
                if lead.is_some() {
                    push_char(REPLACEMENT, out);
                }
                match u {
                    0xD800..=0xDBFF => self.lead = Some(u),
                    0xDC00..=0xDFFF => push_char(REPLACEMENT, out),
                    0xFEFF if at_start => {}
                    // Not a surrogate, so a scalar value.
                    _ => push_char(char::from_u32(u32::from(u)).unwrap_or(REPLACEMENT), out),
                }
            }
        }
    }
}

fn decode_windows_1252(input: &[u8], out: &mut Vec<u8>) {
    out.reserve(input.len() + input.len() / 2);
    // Runs of ASCII are copied as they are.
    let mut rest = input;
    while !rest.is_empty() {
        let ascii = rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..ascii]);
        rest = &rest[ascii..];
        while let Some((&b, tail)) = rest.split_first() {
            if b.is_ascii() {
                break;
            }
            let c = if b < 0xA0 { WINDOWS_1252_HIGH[usize::from(b - 0x80)] } else { char::from(b) };
            push_char(c, out);
            rest = tail;
        }
    }
}

fn push_char(c: char, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in(encoding: TextEncoding, chunks: &[&[u8]]) -> String {
        let mut d = Utf8Decoder::new(encoding);
        let mut out = Vec::new();
        for (i, c) in chunks.iter().enumerate() {
            d.decode(c, i + 1 == chunks.len(), &mut out);
        }
        String::from_utf8(out).expect("the decoder writes UTF-8")
    }

    #[test]
    fn windows_1252_by_hand() {
        // "Müller €5 – ‘x’" with 0x81 (unassigned: U+0081).
        let bytes = b"M\xFCller \x805 \x96 \x91x\x92 \x81";
        assert_eq!(decode_in(TextEncoding::Windows1252, &[bytes]), "Müller €5 – ‘x’ \u{81}");
    }

    #[test]
    fn utf16_by_hand_across_chunk_boundaries() {
        // BOM, "aé", U+1F600 (surrogate pair D83D DE00), split inside a unit and inside the pair.
        let le: &[u8] = &[0xFF, 0xFE, b'a', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE];
        for cut in 0..=le.len() {
            assert_eq!(decode_in(TextEncoding::Utf16Le, &[&le[..cut], &le[cut..]]), "aé\u{1F600}", "cut at {cut}");
        }
        let be: &[u8] = &[0xFE, 0xFF, 0, b'a', 0, 0xE9, 0xD8, 0x3D, 0xDE, 0x00];
        assert_eq!(decode_in(TextEncoding::Utf16Be, &[be]), "aé\u{1F600}");
    }

    #[test]
    fn utf16_errors_are_replaced() {
        // A lone trail, a lead followed by a letter, and an odd byte at the end.
        let le: &[u8] = &[0x00, 0xDC, 0x3D, 0xD8, b'b', 0, b'c'];
        assert_eq!(decode_in(TextEncoding::Utf16Le, &[le]), "\u{FFFD}\u{FFFD}b\u{FFFD}");
        // A lead at the very end; a BOM after the start is text (U+FEFF), not dropped.
        let le: &[u8] = &[b'a', 0, 0xFF, 0xFE, 0x3D, 0xD8];
        assert_eq!(decode_in(TextEncoding::Utf16Le, &[le]), "a\u{FEFF}\u{FFFD}");
        // A lead then half a unit at the end: one error, not two.
        let le: &[u8] = &[b'a', 0, 0x3D, 0xD8, b'b'];
        assert_eq!(decode_in(TextEncoding::Utf16Le, &[le]), "a\u{FFFD}");
    }

    #[test]
    fn utf8_bom_is_dropped_even_when_split() {
        assert_eq!(decode_in(TextEncoding::Utf8Bom, &[b"\xEF", b"\xBB\xBFid", b",x"]), "id,x");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod against_encoding_rs {
        use super::*;
        use proptest::prelude::*;

        fn reference(encoding: TextEncoding, bytes: &[u8], cuts: &[usize]) -> Vec<u8> {
            let mut decoder = match encoding {
                TextEncoding::Utf16Le => encoding_rs::UTF_16LE.new_decoder_with_bom_removal(),
                TextEncoding::Utf16Be => encoding_rs::UTF_16BE.new_decoder_with_bom_removal(),
                _ => encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            };
            let mut out = Vec::new();
            let mut from = 0;
            for (i, &to) in cuts.iter().chain(std::iter::once(&bytes.len())).enumerate() {
                let chunk = &bytes[from..to];
                let start = out.len();
                out.resize(start + decoder.max_utf8_buffer_length(chunk.len()).unwrap(), 0);
                let (_, _, written, _) = decoder.decode_to_utf8(chunk, &mut out[start..], i == cuts.len());
                out.truncate(start + written);
                from = to;
            }
            out
        }

        fn ours(encoding: TextEncoding, bytes: &[u8], cuts: &[usize]) -> Vec<u8> {
            let mut d = Utf8Decoder::new(encoding);
            let mut out = Vec::new();
            let mut from = 0;
            for (i, &to) in cuts.iter().chain(std::iter::once(&bytes.len())).enumerate() {
                d.decode(&bytes[from..to], i == cuts.len(), &mut out);
                from = to;
            }
            out
        }

        /// Bytes rich in surrogates, BOMs and zeros, and sorted cut points inside them.
        fn bytes_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
            let byte = prop_oneof![any::<u8>(), Just(0u8), Just(0xD8), Just(0xDC), Just(0xFE), Just(0xFF), Just(b'a')];
            prop::collection::vec(byte, 0..64).prop_flat_map(|bytes| {
                let n = bytes.len();
                (Just(bytes), prop::collection::vec(0..=n, 0..4)).prop_map(|(b, mut cuts)| {
                    cuts.sort_unstable();
                    (b, cuts)
                })
            })
        }

        proptest! {
            #[test]
            fn same_output_as_encoding_rs((bytes, cuts) in bytes_and_cuts()) {
                for encoding in [TextEncoding::Utf16Le, TextEncoding::Utf16Be, TextEncoding::Windows1252] {
                    prop_assert_eq!(ours(encoding, &bytes, &cuts), reference(encoding, &bytes, &cuts), "{:?}", encoding);
                }
            }
        }

        #[test]
        fn every_windows_1252_byte_as_encoding_rs() {
            let all: Vec<u8> = (0..=255).collect();
            assert_eq!(ours(TextEncoding::Windows1252, &all, &[]), reference(TextEncoding::Windows1252, &all, &[]));
        }
    }
}
