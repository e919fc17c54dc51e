//! Bytes to CSV records: encoding detection and decoding to UTF-8, delimiter detection,
//! and a streaming RFC 4180 tokenizer that tracks physical line numbers and reads malformed
//! quoting the way Papa Parse does (see [`Tokenizer`]).

pub use super::charset::Utf8Decoder;
use serde::Serialize;

/// The text encoding of a file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Decides the encoding from the first bytes of a file: a BOM if there is one; UTF-16
/// without BOM from the zero bytes of ASCII text; otherwise UTF-8 if the bytes are valid
/// UTF-8, else Windows-1252 (the usual encoding of legacy Excel CSVs).
pub fn sniff_encoding(head: &[u8], complete: bool) -> TextEncoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() >= 4 {
        let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let half = sample.len() / 2;
        if zeros_odd * 10 > half * 8 && zeros_even == 0 {
            return TextEncoding::Utf16Le;
        }
        if zeros_even * 10 > half * 8 && zeros_odd == 0 {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(head) {
        Ok(_) => TextEncoding::Utf8,
        // A multi-byte character cut at the end of an incomplete head is fine.
        Err(e) if e.error_len().is_none() && !complete => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    }
}

/// A record as the tokenizer sees it: its fields' bytes and the line it starts on.
///
/// Fields are byte ranges of `buf`: either back to back (`starts` is `None`: field `i`
/// starts where field `i - 1` ends, as the careful path writes them) or anywhere in `buf`
/// (the fast path points into the input itself, quotes and delimiters left between them).
pub struct RawRecord<'a> {
    pub line: u32,
    buf: &'a [u8],
    /// `buf` (up to the last field's end) as text, when it is valid UTF-8: then every
    /// field is borrowed from it without a check per cell.
    text: Option<&'a str>,
    starts: Option<&'a [usize]>,
    ends: &'a [usize],
}

impl<'a> RawRecord<'a> {
    /// Fields stored back to back in `buf`, ending at `ends`.
    pub fn new(line: u32, buf: &'a [u8], ends: &'a [usize]) -> RawRecord<'a> {
        let used = &buf[..ends.last().copied().unwrap_or(0)];
        RawRecord { line, buf, text: std::str::from_utf8(used).ok(), starts: None, ends }
    }
    /// Fields at `starts[i]..ends[i]` of `buf`, in order; `buf` is split at ASCII bytes only.
    /// `text` is `buf` as text when the caller has checked it (its whole chunk at once).
    fn spans(line: u32, buf: &'a [u8], text: Option<&'a str>, starts: &'a [usize], ends: &'a [usize]) -> RawRecord<'a> {
        debug_assert!(text.is_none_or(|t| t.as_bytes() == buf));
        let text = text.or_else(|| std::str::from_utf8(buf).ok());
        RawRecord { line, buf, text, starts: Some(starts), ends }
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    fn range(&self, i: usize) -> (usize, usize) {
        let start = match self.starts {
            Some(starts) => starts[i],
            None if i == 0 => 0,
            None => self.ends[i - 1],
        };
        (start, self.ends[i])
    }
    /// Field `i`'s bytes (empty past the end of a short row).
    pub fn bytes(&self, i: usize) -> &'a [u8] {
        if i >= self.ends.len() {
            return &[];
        }
        let (start, end) = self.range(i);
        &self.buf[start..end]
    }
    /// Field `i` as text; bytes that are not UTF-8 are replaced.
    pub fn field(&self, i: usize) -> std::borrow::Cow<'a, str> {
        if i >= self.ends.len() {
            return std::borrow::Cow::Borrowed("");
        }
        let (start, end) = self.range(i);
        // A range of valid text that starts and ends on character boundaries is the
        // field's bytes, valid. (Back-to-back fields may join two halves of a character
        // that neither holds whole: then the boundary check fails and the field is read
        // on its own, as before.)
        match self.text.and_then(|text| text.get(start..end)) {
            Some(field) => std::borrow::Cow::Borrowed(field),
            None => String::from_utf8_lossy(&self.buf[start..end]),
        }
    }
    /// The fields that are not blank, counted up to `max`: a data row is read to its second
    /// such field (its first cell or two), not to its end.
    pub fn non_blank_fields(&self, max: usize) -> usize {
        (0..self.len()).filter(|&i| !self.bytes(i).iter().all(u8::is_ascii_whitespace)).take(max).count()
    }
    pub fn to_strings(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.field(i).into_owned()).collect()
    }
}

/// The record callback of [`Tokenizer::feed_records`] failed: stop reading.
struct Stop;

/// Streaming CSV tokenizer over UTF-8 bytes.
///
/// Two paths give the same records: the **fast path** reads a whole record that lies in
/// the input at hand and whose cells are plain or simply quoted (no doubled quote, no line
/// break inside quotes, nothing after a closing quote), in one pass, pointing into the
/// input without copying; any other record (and the first one, for a stray BOM, and one
/// cut by the end of a chunk) goes to the **careful path**, a byte-at-a-time state machine
/// ([`Tokenizer::careful_step`]) that copies and unescapes. `tests/ingest_tokenizer.rs`
/// checks on random CSV that the two never disagree.
///
/// RFC 4180 input reads as the RFC says. Malformed quoting reads as Papa Parse reads it
/// (`tests/papa_cases.test.mjs` holds revlens to Papa Parse's own cases), which is what a
/// person sees in the text: a quote inside a quoted cell closes it only when the next thing
/// after it (spaces and tabs aside) is the delimiter, a line break or the end of the file;
/// any other quote there is text (`"He said "hi" to me"` is `He said "hi" to me`); and
/// spaces or tabs between a closing quote and the delimiter or line break are dropped
/// (`"a" ,b` is `a`, `b`). A quote in a cell that did not start with one is text.
pub struct Tokenizer {
    delimiter: u8,
    /// Whether the fast path may be tried (off: the careful path alone, for comparison).
    fast: bool,
    /// The careful path has seen input (it strips a UTF-8 BOM on its first call only).
    started: bool,
    /// Where the careful path is in the record it is reading.
    state: CarefulState,
    /// The careful path's record: its cells back to back, and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Field ranges of the record the fast path is reading.
    fast_starts: Vec<usize>,
    fast_ends: Vec<usize>,
    /// Records the careful path read (the rest went the fast way).
    careful_records: u64,
    /// Lines fully consumed so far (count of '\n').
    newlines: u32,
    in_record: bool,
    record_line: u32,
    prev_byte: u8,
    /// Blank physical lines seen between records, by line number.
    pub blank_lines: Vec<u32>,
    /// The last complete record: its first line, how many lines it spans, its cell count,
    /// and the first cell holding a line break.
    pub last_record: Option<LastRecord>,
}

/// Shape of the most recent record (to spot a quote that never closes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastRecord {
    pub line: u32,
    pub lines_spanned: u32,
    pub cells: usize,
    pub multiline_cell: Option<usize>,
    /// The record ran into the end of the file with no line break after it.
    pub ended_at_eof: bool,
    /// The file ended inside a quoted cell (a quote that never closed).
    pub open_quote: bool,
}

/// A tokenizer's place between records ([`Tokenizer::between`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Between {
    pub newlines: u32,
    pub careful_records: u64,
    pub record_line: u32,
    pub prev_byte: u8,
    pub blank_lines: Vec<u32>,
    pub last_record: Option<LastRecord>,
}

/// Where the careful path is within a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CarefulState {
    /// At the start of a cell.
    CellStart,
    /// In a cell that did not start with a quote: quotes in it are text.
    Plain,
    /// Inside a quoted cell.
    Quoted,
    /// After a quote inside a quoted cell. The quote, and the spaces and tabs read since, are
    /// already in `out` from `mark` on: they are text unless the cell ends here, and then
    /// `out` is cut back to `mark`.
    AfterQuote { mark: usize },
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `word` equal to `byte`. Bits above the first true match
/// may be false positives (borrows), so only the lowest set bit is to be trusted.
#[inline(always)]
fn byte_mask(word: u64, byte: u8) -> u64 {
    let x = word ^ (LO * u64::from(byte));
    x.wrapping_sub(LO) & !x & HI
}

/// Position of the first byte at or after `from` that is one of `needles`, eight bytes at a
/// time (one mask per needle: a search inside quotes looks for three bytes, not four).
#[inline(always)]
fn find_any<const N: usize>(bytes: &[u8], mut from: usize, needles: [u8; N]) -> Option<usize> {
    while from + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[from..from + 8]);
        let w = u64::from_le_bytes(word);
        let m = needles.iter().fold(0, |m, &needle| m | byte_mask(w, needle));
        if m != 0 {
            return Some(from + (m.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    bytes[from..].iter().position(|b| needles.contains(b)).map(|p| from + p)
}

impl Tokenizer {
    pub fn new(delimiter: u8) -> Tokenizer {
        Tokenizer {
            delimiter,
            fast: true,
            started: false,
            state: CarefulState::CellStart,
            out: Vec::with_capacity(64 * 1024),
            ends: Vec::with_capacity(256),
            fast_starts: Vec::with_capacity(64),
            fast_ends: Vec::with_capacity(64),
            careful_records: 0,
            newlines: 0,
            in_record: false,
            record_line: 1,
            prev_byte: 0,
            blank_lines: Vec::new(),
            last_record: None,
        }
    }

    /// A tokenizer for the records that follow a line break ending a record (a later part of
    /// the file read beside the first): in the state the first part's tokenizer has there,
    /// but for its line numbers, which count from that line break ([`Tokenizer::append`]
    /// shifts them).
    pub fn resumed(delimiter: u8) -> Tokenizer {
        Tokenizer { started: true, prev_byte: b'\n', ..Tokenizer::new(delimiter) }
    }

    /// Whether a record has begun and not ended (the input so far ends inside it).
    pub fn in_record(&self) -> bool {
        self.in_record
    }

    /// Where this tokenizer stands between two records (its line count, the blank lines and
    /// the last record seen): what another reader needs to go on from here, or to take over
    /// what this one read. `None` inside a record.
    pub fn between(&self) -> Option<Between> {
        (!self.in_record && self.state == CarefulState::CellStart && self.out.is_empty()).then(|| Between {
            newlines: self.newlines,
            careful_records: self.careful_records,
            record_line: self.record_line,
            prev_byte: self.prev_byte,
            blank_lines: self.blank_lines.clone(),
            last_record: self.last_record,
        })
    }

    /// Stands where another tokenizer of the same file stood between records ([`Tokenizer::between`]),
    /// as if it had read what that one read.
    pub fn set_between(&mut self, at: Between) {
        self.started = true;
        self.state = CarefulState::CellStart;
        self.in_record = false;
        self.out.clear();
        self.ends.clear();
        self.newlines = at.newlines;
        self.careful_records = at.careful_records;
        self.record_line = at.record_line;
        self.prev_byte = at.prev_byte;
        self.blank_lines = at.blank_lines;
        self.last_record = at.last_record;
    }

    /// Takes over from `later`, a [`Tokenizer::resumed`] that read the rest of the file from
    /// where this one stopped (between records): its lines count on from this one's.
    pub fn append(&mut self, later: Tokenizer) {
        let shift = self.newlines;
        self.blank_lines.extend(later.blank_lines.iter().map(|l| l + shift));
        if let Some(mut last) = later.last_record {
            last.line += shift;
            self.last_record = Some(last);
        }
        self.newlines += later.newlines;
        self.careful_records += later.careful_records;
        self.prev_byte = later.prev_byte;
        self.state = later.state;
        self.in_record = later.in_record;
        self.record_line = later.record_line + shift;
        self.out = later.out;
        self.ends = later.ends;
    }

    /// The careful path alone (for every record): the reference the fast path is tested
    /// against.
    pub fn careful(delimiter: u8) -> Tokenizer {
        Tokenizer { fast: false, ..Tokenizer::new(delimiter) }
    }

    /// The fast path: reads one whole record at the start of `input` into `fast_starts` /
    /// `fast_ends` and returns the bytes it takes (its line break included), or `None` when
    /// the record needs the careful path. `input` starts with a byte that is no line break.
    #[inline]
    fn fast_record(&mut self, input: &[u8]) -> Option<usize> {
        let d = self.delimiter;
        // A delimiter that is itself a quote or a line break is left to the careful path.
        if matches!(d, b'"' | b'\r' | b'\n') {
            return None;
        }
        self.fast_starts.clear();
        self.fast_ends.clear();
        let mut pos = 0;
        loop {
            let first = *input.get(pos)?;
            let (start, end, next) = if first == b'"' {
                let close = find_any(input, pos + 1, [b'"', b'\n', b'\r'])?;
                if input[close] != b'"' {
                    return None;
                }
                (pos + 1, close, close + 1)
            } else {
                let stop = find_any(input, pos, [d, b'\r', b'\n', b'"'])?;
                if input[stop] == b'"' {
                    return None;
                }
                (pos, stop, stop)
            };
            let after = *input.get(next)?;
            self.fast_starts.push(start);
            self.fast_ends.push(end);
            if after == d {
                pos = next + 1;
            } else if after == b'\r' || after == b'\n' {
                return Some(next + 1);
            } else {
                // A doubled quote, or text after a closing quote.
                return None;
            }
        }
    }

    /// The careful path: reads `input` into `out` and `ends` until the record ends at a line
    /// break (true, with the bytes taken, the line break included) or the input runs out
    /// (false). Its state carries over to the next call, so a record may span chunks.
    fn careful_step(&mut self, input: &[u8]) -> (bool, usize) {
        use CarefulState::*;
        let d = self.delimiter;
        let mut i = 0;
        while let Some(&b) = input.get(i) {
            let line_break = b == b'\r' || b == b'\n';
            match self.state {
                CellStart if b == b'"' => self.state = Quoted,
                CellStart | Plain if b == d => {
                    self.ends.push(self.out.len());
                    self.state = CellStart;
                }
                CellStart | Plain if line_break => {
                    self.ends.push(self.out.len());
                    self.state = CellStart;
                    return (true, i + 1);
                }
                // Text runs are copied whole, up to the next byte that can change the state.
                CellStart | Plain => {
                    let stop = find_any(input, i, [d, b'\r', b'\n']).unwrap_or(input.len());
                    self.out.extend_from_slice(&input[i..stop]);
                    self.state = Plain;
                    i = stop;
                    continue;
                }
                Quoted if b == b'"' => {
                    self.state = AfterQuote { mark: self.out.len() };
                    self.out.push(b);
                }
                Quoted => {
                    let stop = find_any(input, i, [b'"']).unwrap_or(input.len());
                    self.out.extend_from_slice(&input[i..stop]);
                    i = stop;
                    continue;
                }
                // A doubled quote: one quote of text (already written).
                AfterQuote { mark } if b == b'"' && self.out.len() == mark + 1 => self.state = Quoted,
                AfterQuote { mark } if b == d || line_break => {
                    self.out.truncate(mark);
                    self.ends.push(self.out.len());
                    self.state = CellStart;
                    if line_break {
                        return (true, i + 1);
                    }
                }
                AfterQuote { .. } if b == b' ' || b == b'\t' => self.out.push(b),
                // Anything else: the quote was text and the cell goes on; `b` is read again
                // inside the quotes.
                AfterQuote { .. } => {
                    self.state = Quoted;
                    continue;
                }
            }
            i += 1;
        }
        (false, i)
    }

    /// Ends the careful path's record at the end of the file: true when it holds anything
    /// (a quote still open keeps what it swallowed, as one cell).
    fn careful_end_of_file(&mut self) -> bool {
        if self.state == CarefulState::CellStart && self.out.is_empty() && self.ends.is_empty() {
            return false;
        }
        if let CarefulState::AfterQuote { mark } = self.state {
            self.out.truncate(mark);
        }
        self.ends.push(self.out.len());
        self.state = CarefulState::CellStart;
        true
    }

    /// Feeds decoded bytes; `on_record` gets each complete record. An empty `input` with
    /// `eof` flushes the last record.
    pub fn feed<E>(
        &mut self,
        input: &[u8],
        eof: bool,
        on_record: &mut dyn FnMut(&RawRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut error = None;
        let _ = self.feed_records(input, eof, &mut |rec| {
            on_record(rec).map_err(|e| {
                error = Some(e);
                Stop
            })
        });
        error.map_or(Ok(()), Err)
    }

    /// [`Tokenizer::feed`]'s body, one copy for every caller's error type: `on_record` says
    /// [`Stop`] when its caller's callback failed, and the reading stops there.
    fn feed_records(
        &mut self,
        mut input: &[u8],
        eof: bool,
        on_record: &mut dyn FnMut(&RawRecord) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        // Empty input with `eof` ends the file: an empty chunk in the middle (a UTF-16 chunk
        // of one byte decodes to nothing) must not end the record.
        if input.is_empty() && !eof {
            return Ok(());
        }
        // Every byte is looked at once by the fast path or the careful path, or twice when the
        // fast path hands a record over (the careful bytes are counted below).
        crate::work::add(input.len());
        // The input's valid UTF-8 (all of it, but for invalid bytes or a character cut at the
        // chunk's end), checked once: the fast path's records are slices of it (the careful
        // path alone has no use for it).
        let whole = input;
        let valid = if !self.fast {
            ""
        } else {
            match std::str::from_utf8(whole) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&whole[..e.valid_up_to()]).unwrap_or_default(),
            }
        };
        loop {
            if !self.in_record {
                // Blank lines between records are skipped, and counted.
                while let Some(&b) = input.first() {
                    match b {
                        b'\n' => {
                            // The LF of a CRLF (the previous record's, or a blank line's) was
                            // counted with its CR.
                            if self.prev_byte != b'\r' {
                                self.blank_lines.push(self.newlines + 1);
                                self.newlines += 1;
                            }
                        }
                        b'\r' => {
                            self.blank_lines.push(self.newlines + 1);
                            self.newlines += 1;
                        }
                        _ => break,
                    }
                    self.prev_byte = b;
                    input = &input[1..];
                }
                if input.is_empty() && !eof {
                    return Ok(());
                }
                if self.fast && self.started {
                    if let Some(n) = self.fast_record(input) {
                        let line = self.newlines + 1;
                        let terminator = input[n - 1];
                        // A record ends at its first CR or LF: one line break, whichever.
                        self.newlines += 1;
                        self.prev_byte = terminator;
                        // No line break inside, two quotes per quoted cell, ended by a
                        // line break: what the careful path would note for this record.
                        self.last_record = Some(LastRecord {
                            line,
                            lines_spanned: self.newlines + 1 - line,
                            cells: self.fast_ends.len(),
                            multiline_cell: None,
                            ended_at_eof: false,
                            open_quote: false,
                        });
                        let at = whole.len() - input.len();
                        let text = valid.get(at..at + n - 1);
                        let rec = RawRecord::spans(line, &input[..n - 1], text, &self.fast_starts, &self.fast_ends);
                        input = &input[n..];
                        on_record(&rec)?;
                        continue;
                    }
                }
                self.in_record = true;
                self.record_line = self.newlines + 1;
            }
            // A UTF-8 BOM is stripped at the very start of the input only.
            let bom = if !self.started && input.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
            self.started = true;
            let (record_ends, n) = self.careful_step(&input[bom..]);
            let nin = bom + n;
            crate::work::add(n);
            let consumed = &input[..nin];
            // A line break is a CR, an LF, or a CRLF (counted at its CR), as records end.
            let mut prev = self.prev_byte;
            for &b in consumed {
                self.newlines += u32::from(b == b'\r' || (b == b'\n' && prev != b'\r'));
                prev = b;
            }
            if let Some(&last) = consumed.last() {
                self.prev_byte = last;
            }
            input = &input[nin..];
            let open_quote = !record_ends && self.state == CarefulState::Quoted;
            if !record_ends {
                if !eof {
                    return Ok(());
                }
                if !self.careful_end_of_file() {
                    self.in_record = false;
                    return Ok(());
                }
            }
            self.careful_records += 1;
            let rec = RawRecord::new(self.record_line, &self.out, &self.ends);
            self.last_record = Some(LastRecord {
                line: self.record_line,
                lines_spanned: self.newlines + 1 - self.record_line,
                cells: rec.len(),
                multiline_cell: (0..rec.len()).find(|&i| rec.bytes(i).contains(&b'\n')),
                ended_at_eof: !record_ends,
                open_quote,
            });
            let r = on_record(&rec);
            self.out.clear();
            self.ends.clear();
            self.in_record = false;
            r?;
        }
    }

    /// Physical lines seen so far.
    pub fn lines(&self) -> u32 {
        self.newlines
    }

    /// Records the careful path has read so far (to check the fast path takes the rest).
    pub fn careful_records(&self) -> u64 {
        self.careful_records
    }
}

/// Reads a whole UTF-8 text into owned records (for sniffing and small files).
pub fn records_of(text: &[u8], delimiter: u8, max_records: usize) -> Vec<(u32, Vec<String>)> {
    let mut tok = Tokenizer::new(delimiter);
    let mut out: Vec<(u32, Vec<String>)> = Vec::new();
    let mut collect = |r: &RawRecord| -> Result<(), ()> {
        if out.len() >= max_records {
            return Err(());
        }
        out.push((r.line, r.to_strings()));
        crate::work::add(r.len() + out.last().map_or(0, |(_, s)| s.iter().map(String::len).sum()));
        Ok(())
    };
    let _ = tok.feed(text, true, &mut collect);
    out
}

/// An explicit `sep=;` first line (written by Excel), if present: the delimiter and the
/// number of bytes to skip.
pub fn explicit_separator(text: &[u8]) -> Option<(u8, usize)> {
    let rest = text.strip_prefix(b"sep=").or_else(|| text.strip_prefix(b"\"sep="))?;
    let d = *rest.first()?;
    let line_end = text.iter().position(|&b| b == b'\n').map_or(text.len(), |p| p + 1);
    Some((d, line_end))
}

/// Picks the delimiter among `,` `;` tab `|` whose field counts are most consistent over
/// the first lines (and more than one field per line).
pub fn detect_delimiter(text: &[u8]) -> u8 {
    let mut best = (b',', -1.0f64);
    for d in [b',', b';', b'\t', b'|'] {
        let records = records_of(text, d, 60);
        // Ignore a possibly cut last record of a partial head.
        let counts: Vec<usize> =
            records.iter().take(records.len().saturating_sub(1).max(1)).map(|(_, r)| r.len()).collect();
        if counts.is_empty() {
            continue;
        }
        let mut freq = std::collections::HashMap::new();
        for &c in &counts {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        let (&mode, &n) = freq.iter().max_by_key(|(c, n)| (**n, **c)).unwrap_or((&1, &0));
        if mode < 2 {
            continue;
        }
        let score = n as f64 / counts.len() as f64 * 1000.0 + mode as f64;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_records(text: &str, d: u8) -> Vec<(u32, Vec<String>)> {
        records_of(text.as_bytes(), d, usize::MAX)
    }

    #[test]
    fn quotes_newlines_and_line_numbers() {
        let text = "a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\r\n\"multi\nline\",2\n3,4";
        let recs = all_records(text, b',');
        assert_eq!(recs[0], (1, vec!["a".into(), "b".into()]));
        assert_eq!(recs[1], (2, vec!["x, y".into(), "he said \"hi\"".into()]));
        assert_eq!(recs[2], (4, vec!["multi\nline".into(), "2".into()]));
        assert_eq!(recs[3], (6, vec!["3".into(), "4".into()]));
    }

    fn cells(text: &str) -> Vec<Vec<String>> {
        all_records(text, b',').into_iter().map(|(_, r)| r).collect()
    }

    /// Spaces and tabs between a closing quote and the delimiter or line break are not part of
    /// the cell (Papa Parse reads them so; csv-core kept them).
    #[test]
    fn spaces_after_a_closing_quote_are_dropped() {
        assert_eq!(cells("A,\"B\" ,C\r\nE,\"G\" \t,H"), [["A", "B", "C"], ["E", "G", "H"]]);
        assert_eq!(cells("A,\"D\"  \r\nQ,W"), [["A", "D"], ["Q", "W"]]);
        assert_eq!(cells("A,\",B\" ,C"), [["A", ",B", "C"]]);
        assert_eq!(cells("a,\"c\n\" \nd,e"), [vec!["a", "c\n"], vec!["d", "e"]]);
        // At the end of the file, too; and spaces inside the quotes stay.
        assert_eq!(cells("a,\" b \"  "), [["a", " b "]]);
        // Outside quotes nothing is trimmed.
        assert_eq!(cells("a, \"b\" ,c"), [["a", " \"b\" ", "c"]]);
    }

    /// A quote inside a quoted cell that is not followed (spaces aside) by the delimiter, a line
    /// break or the end of the file is text, and the cell goes on.
    #[test]
    fn a_quote_that_does_not_end_the_cell_is_text() {
        assert_eq!(cells("\"He said \"hi\" to me\",x"), [["He said \"hi\" to me", "x"]]);
        assert_eq!(cells("\"a,\"b,c\"\nd,e,f"), [vec!["a,\"b,c"], vec!["d", "e", "f"]]);
        // A quote followed by spaces and then text is text, spaces and all.
        assert_eq!(cells("\"a\" b\",c"), [["a\" b", "c"]]);
        // A doubled quote is still one quote; a quote then spaces then a quote is two.
        assert_eq!(cells("\"a\"\"b\",c"), [["a\"b", "c"]]);
        assert_eq!(cells("\"a\" \"b\",c"), [["a\" \"b", "c"]]);
        // With no closing quote the cell runs to the end of the file, and the record says so.
        let mut tok = Tokenizer::new(b',');
        let mut got = Vec::new();
        tok.feed::<()>(b"h1,h2,h3\na,\"b\"c,d\ne,f,g", true, &mut |r| {
            got.push(r.to_strings());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [vec!["h1", "h2", "h3"], vec!["a", "b\"c,d\ne,f,g"]]);
        let last = tok.last_record.unwrap();
        assert!(last.open_quote && last.ended_at_eof && last.cells == 2, "{last:?}");
    }

    /// A closed quote at the end of the file is no open quote, even with a quote of text in it.
    #[test]
    fn open_quote_only_when_the_file_ends_inside_quotes() {
        for (text, open) in [("a,\"b\"", false), ("a,\"b\"c\"", false), ("a,\"b", true), ("a,\"b\"\"", true)] {
            let mut tok = Tokenizer::new(b',');
            tok.feed::<()>(text.as_bytes(), true, &mut |_| Ok(())).unwrap();
            assert_eq!(tok.last_record.unwrap().open_quote, open, "{text:?}");
        }
    }

    /// Every line break ends a record, whatever kind came first (Papa Parse keeps to the first
    /// kind it sees; a documented difference).
    #[test]
    fn mixed_line_breaks_each_end_a_record() {
        assert_eq!(cells("a,b\nc,d\re,f\r\ng,h"), [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]);
    }

    #[test]
    fn blank_lines_are_counted() {
        let mut tok = Tokenizer::new(b',');
        let mut n = 0;
        tok.feed::<()>(b"a,b\n\n1,2\n\n\n", true, &mut |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(tok.blank_lines, vec![2, 4, 5]);
    }

    #[test]
    fn chunked_equals_whole() {
        let text = b"id,name\n1,\"a\nb\"\n2,\"c,\"\"d\"\"\"\r\n3,\"e\"  \n4,\"f \"g\" h\"\n5,\"i\" ";
        let whole = records_of(text, b',', usize::MAX);
        for split in 1..text.len() {
            let mut tok = Tokenizer::new(b',');
            let mut got = Vec::new();
            let mut f = |r: &RawRecord| -> Result<(), ()> {
                got.push((r.line, r.to_strings()));
                Ok(())
            };
            tok.feed(&text[..split], false, &mut f).unwrap();
            tok.feed(&text[split..], false, &mut f).unwrap();
            tok.feed(&[], true, &mut f).unwrap();
            assert_eq!(got, whole, "split at {split}");
        }
    }

    #[test]
    fn a_character_split_across_fields_is_read_per_field() {
        // "ü" is C3 BC: back to back, two one-byte fields make valid text together, but
        // neither field is text on its own.
        let rec = RawRecord::new(1, b"\xC3\xBCok", &[1, 2, 4]);
        assert_eq!(rec.field(0), "\u{FFFD}");
        assert_eq!(rec.field(1), "\u{FFFD}");
        assert_eq!(rec.field(2), "ok");
        assert_eq!(rec.field(3), "");
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2;3\n4;5;6\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        assert_eq!(detect_delimiter(b"a,b\n\"1;2\",3\n"), b',');
        assert_eq!(explicit_separator(b"sep=;\na;b\n"), Some((b';', 6)));
    }

    #[test]
    fn encodings() {
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFa,b", true), TextEncoding::Utf8Bom);
        assert_eq!(sniff_encoding(b"\xFF\xFEa\0,\0", true), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding(b"a\0,\0b\0\n\0", true), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding("Müller,€".as_bytes(), true), TextEncoding::Utf8);
        assert_eq!(sniff_encoding(b"M\xFCller,\x80", true), TextEncoding::Windows1252);
        let mut out = Vec::new();
        let mut d = Utf8Decoder::new(TextEncoding::Windows1252);
        d.decode(b"M\xFCller \x80", true, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "Müller €");
        let mut out = Vec::new();
        let mut d = Utf8Decoder::new(TextEncoding::Utf16Be);
        let bytes: Vec<u8> = "\u{feff}a,ü".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for b in bytes.chunks(1) {
            d.decode(b, false, &mut out);
        }
        d.decode(&[], true, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "a,ü");
    }
}
