//! Bytes → [`Dataset`](crate::model::Dataset) (SPEC §2).
//!
//! One pass per file: the first [`SNIFF_BYTES`] decide encoding, delimiter, header, kind,
//! mapping and per-column styles; after that every chunk is decoded, tokenized and typed as
//! it arrives ([`FileIngest::push`]), so a file never needs to be held whole (XLSX, a zip
//! archive, is the exception). Every data row ends up used or in the file's report.

mod charset;
mod part;
pub mod report;
pub mod rows;
pub mod schema;
pub mod snapshots;
pub mod text;
pub mod values;

use crate::model::wire::{self, WireError};
use crate::model::{Dataset, Day, Deals, Status};
use report::{ColumnReport, FileReport};
use rows::{column_styles, sample_columns, KindData, RowBuilder, RowOptions};
use schema::{detect_kind, detect_source, map_headers, no_kind_possible, Field, FileKind, KindHints, MappingOverride};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use text::{detect_delimiter, explicit_separator, sniff_encoding, RawRecord, TextEncoding, Tokenizer, Utf8Decoder};
use thiserror::Error;

/// Bytes read before the reading choices are made.
pub const SNIFF_BYTES: usize = 256 * 1024;
/// Data rows used to decide per-column styles.
const SAMPLE_ROWS: usize = 2000;

/// Why a file cannot be read at all. Row-level problems are not errors: they are in the
/// file's [`FileReport`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum IngestError {
    #[error("{file}: the file is empty (no header row found)")]
    Empty { file: String },
    #[error("{file}: cannot tell what this file holds from its header (line {line}: {headers}). Deals need a stage or status column; leads need lifecycle dates; stage history needs deal id, stage and date; revenue lines need customer, MRR and start or month; spend needs month, department and amount; quotas need owner, period and quota; other income needs date, category and amount. Map the columns by hand to fix this.")]
    UnknownKind { file: String, line: u32, headers: String },
    #[error("{file}, line {line}, column {column}: {message}")]
    Syntax { file: String, line: u32, column: u32, message: String },
    #[error("{file}: not a readable spreadsheet: {message}")]
    Spreadsheet { file: String, message: String },
    #[error("{file}: this build of revlens reads CSV only; spreadsheets (XLSX/XLS/ODS) are read by its spreadsheet module (the `spreadsheets` feature)")]
    NoSpreadsheetReader { file: String },
    #[error("{file}: no sheet named '{sheet}' (sheets: {available})")]
    SheetNotFound { file: String, sheet: String, available: String },
    #[error("{file}: the mapping names column '{header}', which the file does not have (columns: {available})")]
    MappingColumn { file: String, header: String, available: String },
    #[error("{file}: could not be read: {message}")]
    Read { file: String, message: String },
}

impl IngestError {
    /// The error as its code and parameters, for a page to say it in the reader's language
    /// (issue #28). `detail` is a lower layer's own text (the CSV reader's, the spreadsheet
    /// reader's, the system's), passed on as it is.
    pub fn coded(&self) -> crate::message::Message {
        use crate::message::Message;
        let m = Message::new(self.code());
        match self {
            IngestError::Empty { file } | IngestError::NoSpreadsheetReader { file } => m.with("file", file.as_str()),
            IngestError::UnknownKind { file, line, headers } => {
                m.with("file", file.as_str()).with("line", *line as usize).with("headers", headers.as_str())
            }
            IngestError::Syntax { file, line, column, message } => m
                .with("file", file.as_str())
                .with("line", *line as usize)
                .with("column", *column as usize)
                .with("detail", message.as_str()),
            IngestError::Spreadsheet { file, message } | IngestError::Read { file, message } => {
                m.with("file", file.as_str()).with("detail", message.as_str())
            }
            IngestError::SheetNotFound { file, sheet, available } => {
                m.with("file", file.as_str()).with("sheet", sheet.as_str()).with("available", available.as_str())
            }
            IngestError::MappingColumn { file, header, available } => {
                m.with("file", file.as_str()).with("header", header.as_str()).with("available", available.as_str())
            }
        }
    }

    /// A stable machine-readable code for the JS binding and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::Empty { .. } => "EMPTY_FILE",
            IngestError::UnknownKind { .. } => "UNKNOWN_FILE_KIND",
            IngestError::Syntax { .. } => "CSV_SYNTAX",
            IngestError::Spreadsheet { .. } => "BAD_SPREADSHEET",
            IngestError::NoSpreadsheetReader { .. } => "NO_SPREADSHEET_READER",
            IngestError::SheetNotFound { .. } => "SHEET_NOT_FOUND",
            IngestError::MappingColumn { .. } => "BAD_MAPPING",
            IngestError::Read { .. } => "READ_ERROR",
        }
    }
}

/// The user's choices for reading files.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestOptions {
    /// Per file name: its kind and/or column → field corrections.
    #[serde(default)]
    pub mappings: HashMap<String, MappingOverride>,
    /// Stage name → open/won/lost, over the built-in rules.
    #[serde(default)]
    pub stage_status: HashMap<String, Status>,
    /// Sheet to read from spreadsheets (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// How far a file has been read.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Progress {
    pub bytes: u64,
    pub rows: u64,
}

/// One file's typed rows and its report.
#[derive(Debug)]
pub struct IngestedFile {
    pub data: KindData,
    pub report: FileReport,
}

enum Stage {
    Sniffing(Vec<u8>),
    Streaming(Box<Streaming>),
    Spreadsheet(Vec<u8>),
}

struct Streaming {
    decoder: Utf8Decoder,
    tokenizer: Tokenizer,
    decoded: Vec<u8>,
    body: Body,
}

/// Before the header is known, records are kept; after, they are typed.
enum Body {
    Head { records: Vec<(u32, Vec<String>)>, preamble: Vec<u32> },
    Rows(Box<RowBuilder>),
}

/// What the reading choices are made from: the file and the user's options.
struct Context {
    name: String,
    file_index: u32,
    opts: IngestOptions,
    encoding: Option<TextEncoding>,
    delimiter: u8,
}

/// Reads one file from chunks of bytes.
pub struct FileIngest {
    ctx: Context,
    stage: Stage,
    progress: Progress,
    /// The file's size when the caller knows it ([`FileIngest::expect_size`]).
    size: Option<u64>,
    /// Whether the columns have been sized from it (done once, early in the file).
    sized: bool,
    /// The part of the file this reader reads after its head, when another reader reads the
    /// part before ([`FileIngest::begin_later_part`]).
    later: Option<Box<Later>>,
    /// Why the file cannot be used any more: a part from another reader was damaged after some
    /// of its rows had been added.
    broken: Option<String>,
}

/// Typed rows after which the rest of a file of known size is estimated from them, and the
/// columns are given room for all of it at once.
const SIZING_ROWS: usize = 1000;

/// Bytes fed to the reader per step by [`FileIngest::push_all`] and [`FileIngest::push_reader`].
const CHUNK: usize = 1 << 20;

impl FileIngest {
    /// `file_index` is the file's place in [`Dataset::files`].
    pub fn new(name: &str, file_index: u32, opts: &IngestOptions) -> FileIngest {
        FileIngest {
            ctx: Context { name: name.to_string(), file_index, opts: opts.clone(), encoding: None, delimiter: b',' },
            stage: Stage::Sniffing(Vec::new()),
            progress: Progress::default(),
            size: None,
            sized: false,
            later: None,
            broken: None,
        }
    }

    /// Tells the file's size in bytes, when known before it is read (a `File`, an array, a
    /// file on disk). Early in the file, the rows still to come are then estimated from the
    /// bytes per row so far, and every column makes room for them at once: one allocation each
    /// instead of a series of doublings, whose outgrown buffers a wasm heap keeps (at a million
    /// deals, most of the difference between the columns' size and the memory they took).
    /// Only memory changes: what is read is the same.
    pub fn expect_size(&mut self, bytes: u64) {
        self.size = Some(bytes);
    }

    fn size_columns(&mut self) {
        let (Some(total), Stage::Streaming(st)) = (self.size, &mut self.stage) else { return };
        let Body::Rows(builder) = &mut st.body else { return };
        let rows = builder.data_rows();
        if rows < SIZING_ROWS {
            return;
        }
        self.sized = true;
        let done = self.progress.bytes.max(1);
        // A small file, or one nearly read, grows as it comes.
        if total / 4 > done {
            let expected = (rows as u128 * total as u128 / done as u128).min(usize::MAX as u128) as usize;
            // Short first rows before long ones (notes filled in later) would over-estimate: the
            // estimate is held to one row per 64 bytes (narrow exports, subscription lines, run
            // 90-100), so the fixed-width columns (about 100 bytes a deal) reserve at most about
            // 1.6 times the file's size, and the text arenas, at the first rows' bytes per row,
            // about its size. Past that many rows, the columns grow as they come.
            let rows = expected.saturating_add(expected / 32).min(usize::try_from(total / 64).unwrap_or(usize::MAX));
            builder.reserve_rows(rows);
        }
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Progress, IngestError> {
        if let Some(later) = &mut self.later {
            later.feed(chunk, false)?;
            return Ok(Progress { bytes: self.progress.bytes + later.bytes, rows: self.progress.rows + later.rows });
        }
        self.progress.bytes += chunk.len() as u64;
        match &mut self.stage {
            Stage::Sniffing(buf) => {
                buf.extend_from_slice(chunk);
                if is_spreadsheet(buf) {
                    let all = std::mem::take(buf);
                    self.stage = Stage::Spreadsheet(all);
                } else if buf.len() >= SNIFF_BYTES {
                    let head = std::mem::take(buf);
                    self.start_text(&head, false)?;
                }
            }
            Stage::Spreadsheet(buf) => buf.extend_from_slice(chunk),
            Stage::Streaming(_) => self.feed_text(chunk, false)?,
        }
        if !self.sized {
            self.size_columns();
        }
        Ok(self.progress)
    }

    /// Feeds a whole file held in memory, a chunk at a time (as a stream would come).
    pub fn push_all(&mut self, bytes: &[u8]) -> Result<(), IngestError> {
        self.expect_size(bytes.len() as u64);
        for chunk in bytes.chunks(CHUNK) {
            self.push(chunk)?;
        }
        Ok(())
    }

    /// Feeds a whole file from a reader (a file on disk, a JS array), a chunk at a time: only
    /// one chunk of it is held. A failed read is the file's `READ_ERROR`.
    pub fn push_reader(&mut self, reader: &mut dyn std::io::Read) -> Result<(), IngestError> {
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(IngestError::Read { file: self.ctx.name.clone(), message: e.to_string() }),
            };
            self.push(&buf[..n])?;
        }
    }

    /// Feeds a whole file readable from any offset (bytes in memory, a file on disk), in
    /// parts on up to `threads` threads ([`crate::parallel`]): the head alone, until the header,
    /// mapping and reading styles are known; then the rest cut at line breaks into parts of
    /// about equal size (at least [`SPLIT_BYTES`] / 2 each), each later part typed beside the
    /// first by a [`RowBuilder::sibling`]. Parts are joined in order while the one before ends
    /// between records; from a part whose start fell inside a record (a line break inside a
    /// quoted cell), the rest is read again after the parts joined, as one thread would. Either
    /// way the columns and report are those [`FileIngest::push_all`] gives. A failed read is
    /// the file's `READ_ERROR`.
    pub fn push_parallel(&mut self, src: &dyn ReadAt, threads: usize) -> Result<(), IngestError> {
        self.push_parallel_with(src, threads, SPLIT_BYTES).map(|_| ())
    }

    /// [`FileIngest::push_parallel`], cutting the rest after the head into as many parts as
    /// there are threads, each at least `min_bytes / 2`; how many parts were read and joined (1
    /// when the file was read on one thread; for tests).
    #[doc(hidden)]
    pub fn push_parallel_with(
        &mut self,
        src: &dyn ReadAt,
        threads: usize,
        min_bytes: u64,
    ) -> Result<usize, IngestError> {
        let size = src.size();
        self.expect_size(size);
        let mut buf = Vec::new();
        let mut at = 0;
        // The head, until rows are typed, in steps small enough to leave most of a file of a
        // few megabytes to split.
        while at < size && !self.typing_rows() {
            at = self.push_range(src, at, (at + HEAD_STEP).min(size), &mut buf)?;
        }
        let mut parts = 1;
        let later = self.later_parts(src, at, threads, min_bytes)?;
        if let Some(&(first_end, _, _)) = later.first() {
            let name = self.ctx.name.clone();
            let jobs: Vec<_> = later
                .into_iter()
                .map(|(from, to, part)| {
                    let name = &name;
                    move || (from, to, part.read(src, from, to, size, name))
                })
                .collect();
            let (read, first) = crate::parallel::join(
                threads,
                move || crate::parallel::all(jobs),
                || self.push_range(src, at, first_end, &mut Vec::new()),
            );
            first?;
            at = first_end;
            for (from, to, part) in read {
                debug_assert_eq!(from, at);
                match part {
                    Ok(part) if !self.streaming().is_some_and(|st| st.tokenizer.in_record()) => {
                        self.join_later(part);
                        at = to;
                        parts += 1;
                    }
                    // Read again below: a read error, then, is the file's.
                    _ => break,
                }
            }
        }
        while at < size {
            at = self.push_range(src, at, (at + CHUNK as u64).min(size), &mut buf)?;
        }
        Ok(parts)
    }

    /// Feeds bytes `from..to` of `src` a chunk at a time; returns `to`.
    fn push_range(&mut self, src: &dyn ReadAt, from: u64, to: u64, buf: &mut Vec<u8>) -> Result<u64, IngestError> {
        let mut at = from;
        while at < to {
            let chunk = read_chunk(src, at, to, buf).map_err(|e| self.read_error(e))?;
            at += chunk.len() as u64;
            self.push(chunk)?;
        }
        Ok(to)
    }

    fn read_error(&self, e: std::io::Error) -> IngestError {
        IngestError::Read { file: self.ctx.name.clone(), message: e.to_string() }
    }

    fn streaming(&self) -> Option<&Streaming> {
        match &self.stage {
            Stage::Streaming(st) => Some(st),
            _ => None,
        }
    }

    /// Whether records are typed as they come (the header and reading styles are known).
    fn typing_rows(&self) -> bool {
        self.streaming().is_some_and(|st| matches!(st.body, Body::Rows(_)))
    }

    /// Where the rest of the file (from `at`) is cut for `threads` threads, and a reader of
    /// each part after the first: `(start, end, reader)`, the first's start being where the
    /// first part ends. Empty when it is read on one thread: one thread, a spreadsheet or UTF-16
    /// text, rows not yet typed, less than `min_bytes` left, or no line break to cut at.
    fn later_parts(
        &self,
        src: &dyn ReadAt,
        at: u64,
        threads: usize,
        min_bytes: u64,
    ) -> Result<Vec<(u64, u64, Later)>, IngestError> {
        let size = src.size();
        let Some(st) = self.streaming() else { return Ok(Vec::new()) };
        let (Body::Rows(builder), Some(decoder)) = (&st.body, st.decoder.resumed()) else { return Ok(Vec::new()) };
        let left = size - at;
        if !crate::parallel::runs_parallel(threads) || left < min_bytes.max(1) {
            return Ok(Vec::new());
        }
        let parts = (threads as u64).min(left / (min_bytes / 2).max(1)).max(2);
        // Each cut after the first line break from its share on (an LF, a CRLF, a CR alone).
        let mut cuts = Vec::new();
        for k in 1..parts {
            let cut = self.line_start_after(src, at + left * k / parts)?;
            match cut {
                Some(c) if c < size && cuts.last().is_none_or(|&last| c > last) => cuts.push(c),
                _ => {}
            }
        }
        let rows_per_byte = builder.data_rows() as f64 / self.progress.bytes.max(1) as f64;
        let ends = cuts.iter().skip(1).copied().chain([size]);
        Ok(cuts
            .iter()
            .zip(ends)
            .map(|(&from, to)| {
                (from, to, Later::beside(builder, decoder.clone(), self.ctx.delimiter, to - from, rows_per_byte))
            })
            .collect())
    }

    /// Where the record after the first line break at or after `from` starts (None: no line
    /// break before the end).
    fn line_start_after(&self, src: &dyn ReadAt, mut from: u64) -> Result<Option<u64>, IngestError> {
        let size = src.size();
        let mut buf = Vec::new();
        while from < size {
            let chunk = read_chunk(src, from, size.min(from + 64 * 1024), &mut buf).map_err(|e| self.read_error(e))?;
            for (i, pair) in chunk.windows(2).enumerate() {
                match pair {
                    [b'\n', _] => return Ok(Some(from + i as u64 + 1)),
                    [b'\r', b'\n'] => return Ok(Some(from + i as u64 + 2)),
                    [b'\r', _] => return Ok(Some(from + i as u64 + 1)),
                    _ => {}
                }
            }
            // The last byte is looked at with the next chunk's first.
            from += chunk.len().saturating_sub(1).max(1) as u64;
        }
        Ok(None)
    }

    /// Takes the rows, lines and report of the next part, read from where this one stopped.
    fn join_later(&mut self, later: Later) {
        let Stage::Streaming(st) = &mut self.stage else { unreachable!("the first part is streaming text") };
        let Body::Rows(builder) = &mut st.body else { unreachable!("the first part types rows") };
        let shift = st.tokenizer.lines();
        builder.append(*later.builder, shift);
        st.tokenizer.append(later.tokenizer);
        self.progress.rows += later.rows;
        self.progress.bytes += later.bytes;
    }

    /// Whether the rest of this file can be read in two parts, one of them by another reader
    /// that shares no memory with this one (a second WebAssembly worker; [`part`]): text in
    /// UTF-8 or Windows-1252 whose rows are being typed, of a kind that comes in large files.
    /// Two readers of the same bytes answer alike, however their chunks were cut.
    pub fn can_split(&self) -> bool {
        let Some(st) = self.streaming() else { return false };
        let Body::Rows(builder) = &st.body else { return false };
        self.later.is_none() && st.decoder.resumed().is_some() && part::kind_of(&builder.data).is_some()
    }

    /// Reads the chunks pushed from here on as a later part of the file: its bytes from `from`,
    /// a record's start (just after a line break), to its end, while another reader reads the
    /// part before ([`FileIngest::export_part`]). False, and nothing changes, unless
    /// [`FileIngest::can_split`].
    pub fn begin_later_part(&mut self, from: u64) -> bool {
        if !self.can_split() {
            return false;
        }
        let Some(st) = self.streaming() else { return false };
        let (Body::Rows(builder), Some(decoder)) = (&st.body, st.decoder.resumed()) else { return false };
        let rows_per_byte = builder.data_rows() as f64 / self.progress.bytes.max(1) as f64;
        let left = self.size.map_or(0, |size| size.saturating_sub(from));
        self.later = Some(Box::new(Later::beside(builder, decoder, self.ctx.delimiter, left, rows_per_byte)));
        // The rows read before are given up for the other reader's ([`FileIngest::adopt_part`]):
        // their columns, sized for the whole file, are freed for the later part's to use.
        if let Stage::Streaming(st) = &mut self.stage {
            if let Body::Rows(builder) = &mut st.body {
                builder.data = RowBuilder::empty_data(builder.kind);
            }
        }
        true
    }

    /// Ends the later part (the file's last record read) and writes it to `sink` in chunks of
    /// about `chunk` bytes, for the reader of the part before ([`FileIngest::join_later_part`]).
    /// This reader keeps it, to join it after the part before ([`FileIngest::adopt_part`]).
    /// False, and nothing written, when no later part was begun.
    pub fn export_later_part(&mut self, chunk: usize, sink: &mut dyn FnMut(&[u8])) -> Result<bool, IngestError> {
        let Some(later) = self.later.as_mut() else { return Ok(false) };
        later.feed(&[], true)?;
        let Some(between) = later.tokenizer.between() else { return Ok(false) };
        let b = &mut later.builder;
        Ok(part::write(&mut b.data, &b.report, &b.held, &between, later.rows, later.bytes, chunk, sink))
    }

    /// Writes the rows read so far to `sink` in chunks of about `chunk` bytes, for a reader
    /// that read the rest of the file ([`FileIngest::adopt_part`]). False, and nothing
    /// written, when the chunks so far did not end between two records (the cut fell inside a
    /// quoted cell), or the file cannot be split.
    pub fn export_part(&mut self, chunk: usize, sink: &mut dyn FnMut(&[u8])) -> bool {
        if !self.can_split() {
            return false;
        }
        let (rows, bytes) = (self.progress.rows, self.progress.bytes);
        let Stage::Streaming(st) = &mut self.stage else { return false };
        let Some(between) = st.tokenizer.between() else { return false };
        let Body::Rows(b) = &mut st.body else { return false };
        part::write(&mut b.data, &b.report, &b.held, &between, rows, bytes, chunk, sink)
    }

    /// Ends the text (its last record read, as [`FileIngest::finish`] does) and writes all of
    /// it as [`FileIngest::export_part`] does: what the other reader takes when the part
    /// before could not be cut off between records.
    pub fn export_whole(&mut self, chunk: usize, sink: &mut dyn FnMut(&[u8])) -> Result<bool, IngestError> {
        self.feed_text(&[], true)?;
        Ok(self.export_part(chunk, sink))
    }

    /// Joins the part another reader read from where this one stopped to the end of the file
    /// ([`FileIngest::export_later_part`]), its chunks given by `next` one at a time: the
    /// columns and report are then those one reader of the whole file makes. Refused before any
    /// row is added (not a part, rows of another kind, this reader inside a record), nothing
    /// changes; a part damaged further on leaves the file unreadable ([`FileIngest::finish`]
    /// says so).
    pub fn join_later_part(&mut self, next: &mut dyn FnMut() -> Option<Vec<u8>>) -> Result<(), WireError> {
        let delimiter = self.ctx.delimiter;
        let Stage::Streaming(st) = &mut self.stage else { return Err(WireError("a file not being read as text")) };
        let Body::Rows(builder) = &mut st.body else { return Err(WireError("a file whose rows are not typed")) };
        if st.tokenizer.between().is_none() {
            return Err(WireError("a part joined inside a record"));
        }
        let mut r = wire::Reader::new(next);
        let mut head = part::read_head(&mut r)?;
        if part::kind_of(&builder.data) != Some(head.kind) {
            return Err(WireError("rows of another kind"));
        }
        // As `RowBuilder::append` does: the one-cell rows held here were data, since the later
        // part typed rows; then its rows, report and held rows, its lines `shift` lines on.
        let shift = st.tokenizer.lines();
        if head.rows_read > 0 {
            builder.push_held();
        }
        if let Err(e) = part::append_rows(&mut builder.data, head.kind, &mut r, shift) {
            self.broken = Some(e.to_string());
            return Err(e);
        }
        let (report, held) = head.report_like(&builder.report);
        builder.report.append(report, shift);
        builder.held.extend(held.into_iter().map(|(line, cells)| (line + shift, cells)));
        let mut tokenizer = Tokenizer::resumed(delimiter);
        tokenizer.set_between(head.between);
        st.tokenizer.append(tokenizer);
        self.progress.rows += head.rows;
        self.progress.bytes += head.bytes;
        Ok(())
    }

    /// Takes the part another reader read from the file's start ([`FileIngest::export_part`]),
    /// its chunks given by `next` one at a time, in place of what this one read before its
    /// later part; then, with `then_own`, joins this one's later part after it. Without
    /// `then_own` the part is the whole file ([`FileIngest::export_whole`]) and this one's later
    /// part is dropped. Refused before any row is taken (not a part, rows of another kind),
    /// nothing changes; a part damaged further on leaves the file unreadable.
    pub fn adopt_part(&mut self, next: &mut dyn FnMut() -> Option<Vec<u8>>, then_own: bool) -> Result<(), WireError> {
        if then_own && self.later.is_none() {
            return Err(WireError("no later part to join"));
        }
        let own_rows = self.later.as_ref().filter(|_| then_own).map_or(0, |l| l.builder.data_rows());
        let Stage::Streaming(st) = &mut self.stage else { return Err(WireError("a file not being read as text")) };
        let Body::Rows(builder) = &mut st.body else { return Err(WireError("a file whose rows are not typed")) };
        let Some(decoder) = st.decoder.resumed() else { return Err(WireError("text that cannot be split")) };
        let mut r = wire::Reader::new(next);
        let mut head = part::read_head(&mut r)?;
        if part::kind_of(&builder.data) != Some(head.kind) {
            return Err(WireError("rows of another kind"));
        }
        builder.data = RowBuilder::empty_data(builder.kind);
        // Room for both parts at once (held to what the part's bytes could hold): the later one
        // is appended without a copy.
        if head.data_rows as u64 <= head.bytes / 2 {
            builder.reserve_rows(head.data_rows + own_rows);
        }
        if let Err(e) = part::append_rows(&mut builder.data, head.kind, &mut r, 0) {
            self.broken = Some(e.to_string());
            return Err(e);
        }
        // The report's row counts and line groups are the part's (its bytes are counted at the end).
        (builder.report, builder.held) = head.report_like(&builder.report);
        st.tokenizer.set_between(head.between);
        st.decoder = decoder;
        self.progress = Progress { rows: head.rows, bytes: head.bytes };
        let own = self.later.take();
        if let (true, Some(own)) = (then_own, own) {
            self.join_later(*own);
        }
        Ok(())
    }

    /// Ends the file: flushes the last record and returns the typed rows and report.
    pub fn finish(mut self) -> Result<IngestedFile, IngestError> {
        if let Some(message) = self.broken.take() {
            return Err(IngestError::Read { file: self.ctx.name.clone(), message });
        }
        if self.later.is_some() {
            let message = "the part of the file before the one read here never came".to_string();
            return Err(IngestError::Read { file: self.ctx.name.clone(), message });
        }
        match std::mem::replace(&mut self.stage, Stage::Sniffing(Vec::new())) {
            Stage::Sniffing(head) => {
                if is_spreadsheet(&head) {
                    return self.read_spreadsheet(&head);
                }
                self.start_text(&head, true)?;
            }
            Stage::Spreadsheet(all) => return self.read_spreadsheet(&all),
            s @ Stage::Streaming(_) => {
                self.stage = s;
                self.feed_text(&[], true)?;
            }
        }
        let Stage::Streaming(st) = std::mem::replace(&mut self.stage, Stage::Sniffing(Vec::new())) else {
            unreachable!("text files end streaming")
        };
        let Streaming { tokenizer, body, .. } = *st;
        let builder = match body {
            Body::Rows(b) => b,
            Body::Head { records, preamble } => self.ctx.begin_rows(records, preamble)?,
        };
        check_unterminated_quote(&self.ctx.name, &builder, &tokenizer)?;
        let (data, mut report) = builder.finish();
        let header_line = report.header_line;
        for line in tokenizer.blank_lines.iter().filter(|&&l| l > header_line) {
            report.skipped.add(*line, None, "blank line", "");
        }
        report.bytes = self.progress.bytes;
        Ok(IngestedFile { data, report })
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The bytes of a spreadsheet being read (held whole until [`Self::finish`]): what it expands
    /// to can be estimated before it is decoded.
    pub fn spreadsheet_bytes(&self) -> Option<&[u8]> {
        match &self.stage {
            Stage::Spreadsheet(all) => Some(all),
            _ => None,
        }
    }

    fn start_text(&mut self, head: &[u8], complete: bool) -> Result<(), IngestError> {
        let encoding = sniff_encoding(head, complete);
        self.ctx.encoding = Some(encoding);
        let mut decoder = Utf8Decoder::new(encoding);
        let mut decoded = Vec::with_capacity(head.len() + 16);
        decoder.decode(head, complete, &mut decoded);
        let mut skip = 0;
        self.ctx.delimiter = match explicit_separator(&decoded) {
            Some((d, n)) => {
                skip = n;
                d
            }
            None => detect_delimiter(&decoded),
        };
        let mut tokenizer = Tokenizer::new(self.ctx.delimiter);
        if skip > 0 {
            // Count the `sep=` line so line numbers stay physical.
            tokenizer.feed::<()>(&decoded[..skip], false, &mut |_| Ok(())).ok();
        }
        self.stage = Stage::Streaming(Box::new(Streaming {
            decoder,
            tokenizer,
            decoded: Vec::new(),
            body: Body::Head { records: Vec::new(), preamble: Vec::new() },
        }));
        self.feed_decoded(&decoded[skip..], complete)
    }

    fn feed_text(&mut self, chunk: &[u8], eof: bool) -> Result<(), IngestError> {
        let Stage::Streaming(st) = &mut self.stage else {
            return Ok(());
        };
        if let Some(text) = st.decoder.passthrough(chunk) {
            return self.feed_decoded(text, eof);
        }
        let mut decoded = std::mem::take(&mut st.decoded);
        decoded.clear();
        st.decoder.decode(chunk, eof, &mut decoded);
        let r = self.feed_decoded(&decoded, eof);
        if let Stage::Streaming(st) = &mut self.stage {
            st.decoded = decoded;
        }
        r
    }

    fn feed_decoded(&mut self, decoded: &[u8], eof: bool) -> Result<(), IngestError> {
        let Stage::Streaming(st) = &mut self.stage else {
            return Ok(());
        };
        let rows = &mut self.progress.rows;
        let ctx = &self.ctx;
        let Streaming { tokenizer, body, .. } = &mut **st;
        tokenizer.feed(decoded, eof, &mut |rec: &RawRecord| -> Result<(), IngestError> {
            *rows += 1;
            match body {
                Body::Rows(builder) => push_data_record(builder, rec),
                Body::Head { records, preamble } => {
                    if records.is_empty() && rec.non_blank_fields(2) < 2 {
                        preamble.push(rec.line);
                        return Ok(());
                    }
                    records.push((rec.line, rec.to_strings()));
                    if records.len() > SAMPLE_ROWS {
                        // Enough to decide: from here on rows are typed as they come.
                        let (records, preamble) = (std::mem::take(records), std::mem::take(preamble));
                        *body = Body::Rows(ctx.begin_rows(records, preamble)?);
                    }
                }
            }
            Ok(())
        })?;
        Ok(())
    }

    fn read_spreadsheet(self, bytes: &[u8]) -> Result<IngestedFile, IngestError> {
        let (sheet, rows) = read_sheet(&self.ctx.name, bytes, self.ctx.opts.sheet.as_deref())?;
        let mut records = Vec::new();
        let mut preamble = Vec::new();
        let mut blank = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            let line = i as u32 + 1;
            let non_empty = row.iter().filter(|c| !c.trim().is_empty()).count();
            if records.is_empty() {
                if non_empty < 2 {
                    preamble.push(line);
                    continue;
                }
            } else if non_empty == 0 {
                blank.push(line);
                continue;
            }
            records.push((line, row));
        }
        let ext = if bytes.starts_with(b"PK") { "xlsx" } else { "xls" };
        let mut builder = self.ctx.builder_for(records, preamble, ext)?;
        builder.report.sheet = Some(sheet);
        let (data, mut report) = builder.finish();
        for line in blank {
            report.skipped.add(line, None, "blank line", "");
        }
        report.bytes = self.progress.bytes;
        Ok(IngestedFile { data, report })
    }
}

/// A file's bytes, read from any offset, by two threads at once ([`FileIngest::push_parallel`]).
pub trait ReadAt: Sync {
    /// The file's size in bytes.
    fn size(&self) -> u64;
    /// Reads bytes from `offset` into `buf`; how many (0 at the end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize>;
    /// The bytes themselves, when they are in memory (read without a copy).
    fn in_memory(&self) -> Option<&[u8]> {
        None
    }
}

impl ReadAt for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let from = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len());
        let n = buf.len().min(self.len() - from);
        buf[..n].copy_from_slice(&self[from..from + n]);
        Ok(n)
    }
    fn in_memory(&self) -> Option<&[u8]> {
        Some(self)
    }
}

#[cfg(unix)]
impl ReadAt for std::fs::File {
    fn size(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

#[cfg(windows)]
impl ReadAt for std::fs::File {
    fn size(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }
}

/// Bytes `from..to` of `src` (at most [`CHUNK`] of them, fewer at an early end): borrowed when
/// in memory, else read into `buf`. Empty only when `from` is at the file's end.
fn read_chunk<'b>(src: &'b dyn ReadAt, from: u64, to: u64, buf: &'b mut Vec<u8>) -> std::io::Result<&'b [u8]> {
    let len = usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX).min(CHUNK);
    if let Some(bytes) = src.in_memory() {
        let start = usize::try_from(from).unwrap_or(usize::MAX).min(bytes.len());
        return Ok(&bytes[start..bytes.len().min(start + len)]);
    }
    buf.resize(len, 0);
    let mut n = 0;
    while n < len {
        match src.read_at(from + n as u64, &mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(&buf[..n])
}

/// The head of a file read in parts is fed this many bytes at a time.
const HEAD_STEP: u64 = 64 * 1024;

/// Left of the head for which a file is read in parts, and twice the least a part holds: less
/// is read on one thread (a thread costs more to start and join than it saves).
const SPLIT_BYTES: u64 = 4 << 20;

/// A later part of a file, read beside the first ([`FileIngest::push_parallel`]).
struct Later {
    decoder: Utf8Decoder,
    tokenizer: Tokenizer,
    builder: Box<RowBuilder>,
    /// Records read.
    rows: u64,
    /// Bytes read.
    bytes: u64,
    /// The part's text decoded (for the encodings that are not UTF-8).
    decoded: Vec<u8>,
}

impl Later {
    /// A part after `first`'s, read as it reads (a [`RowBuilder::sibling`]), with room for the
    /// rows of its `bytes` at `rows_per_byte` (at most one row per 64 bytes).
    fn beside(first: &RowBuilder, decoder: Utf8Decoder, delimiter: u8, bytes: u64, rows_per_byte: f64) -> Later {
        let mut builder = Box::new(first.sibling());
        builder.reserve_rows(((bytes as f64 * rows_per_byte) as usize).min((bytes / 64) as usize));
        Later { decoder, tokenizer: Tokenizer::resumed(delimiter), builder, rows: 0, bytes: 0, decoded: Vec::new() }
    }

    /// Reads bytes `from..to` of `src` into its columns; the file ends at `to` when it is
    /// `size`, else a record may be left open there (the next part's start was inside it).
    fn read(mut self, src: &dyn ReadAt, from: u64, to: u64, size: u64, file: &str) -> Result<Later, IngestError> {
        let mut buf = Vec::new();
        let mut at = from;
        loop {
            let chunk = read_chunk(src, at, to, &mut buf)
                .map_err(|e| IngestError::Read { file: file.to_string(), message: e.to_string() })?;
            at += chunk.len() as u64;
            let done = chunk.is_empty() || at >= to;
            self.feed(chunk, done && to == size)?;
            if done {
                return Ok(self);
            }
        }
    }

    /// Reads the next bytes of its part into its columns (`eof`: the file ends with them).
    fn feed(&mut self, chunk: &[u8], eof: bool) -> Result<(), IngestError> {
        self.bytes += chunk.len() as u64;
        let text = match self.decoder.passthrough(chunk) {
            Some(text) => text,
            None => {
                self.decoded.clear();
                self.decoder.decode(chunk, eof, &mut self.decoded);
                &self.decoded
            }
        };
        let (builder, rows) = (&mut self.builder, &mut self.rows);
        self.tokenizer.feed::<IngestError>(text, eof, &mut |rec| {
            *rows += 1;
            push_data_record(builder, rec);
            Ok(())
        })
    }
}

/// A quote opened and never closed swallows the rest of the file into one cell: the last
/// row then spans many lines and has the wrong number of cells. That is an error, not a row.
fn check_unterminated_quote(file: &str, builder: &RowBuilder, tokenizer: &Tokenizer) -> Result<(), IngestError> {
    let Some(last) = tokenizer.last_record else { return Ok(()) };
    let header_cells = builder.report.columns.len();
    let swallowed = last.lines_spanned > 2 && last.cells < header_cells && last.multiline_cell.is_some();
    let open_at_end = last.ended_at_eof && last.open_quote && last.cells != header_cells;
    if swallowed || open_at_end {
        let column = last.multiline_cell.unwrap_or(last.cells.saturating_sub(1)) as u32 + 1;
        let rest = match last.lines_spanned {
            0 | 1 => "the file ends inside it".to_string(),
            n => format!("the remaining {} lines of the file fell inside it", n - 1),
        };
        return Err(IngestError::Syntax {
            file: file.to_string(),
            line: last.line,
            column,
            message: format!("a quoted cell starts here and never closes: {rest}"),
        });
    }
    Ok(())
}

impl Context {
    fn begin_rows(&self, records: Vec<(u32, Vec<String>)>, preamble: Vec<u32>) -> Result<Box<RowBuilder>, IngestError> {
        let mut builder = self.builder_for(records, preamble, "csv")?;
        builder.report.encoding = self.encoding;
        builder.report.delimiter = Some(match self.delimiter {
            b'\t' => "tab".to_string(),
            d => (d as char).to_string(),
        });
        Ok(builder)
    }

    /// Decides kind, mapping and styles from the header and sample rows, then types the sample.
    fn builder_for(
        &self,
        records: Vec<(u32, Vec<String>)>,
        preamble: Vec<u32>,
        format: &str,
    ) -> Result<Box<RowBuilder>, IngestError> {
        let mut iter = records.into_iter();
        let Some((header_line, headers)) = iter.next() else {
            return Err(IngestError::Empty { file: self.name.clone() });
        };
        let data: Vec<(u32, Vec<String>)> = iter.collect();
        let over = self.opts.mappings.get(&self.name);
        if let Some(o) = over {
            let normal: Vec<String> = headers.iter().map(|h| schema::normalize_header(h)).collect();
            for h in o.columns.keys() {
                if !headers.contains(h) && !normal.contains(h) {
                    return Err(IngestError::MappingColumn {
                        file: self.name.clone(),
                        header: h.clone(),
                        available: headers.join(", "),
                    });
                }
            }
        }
        let ids_repeat = ids_repeat(&headers, &data);
        let (kind, scores) = detect_kind(&headers, &KindHints { file_name: &self.name, ids_repeat });
        let kind = match over.and_then(|o| o.kind) {
            Some(k) => k,
            None if no_kind_possible(&scores) => {
                return Err(IngestError::UnknownKind {
                    file: self.name.clone(),
                    line: header_line,
                    headers: headers.join(" | "),
                })
            }
            None => kind,
        };
        let mapping = map_headers(kind, &headers, over);
        let footer = data.iter().any(|(_, r)| is_footer(r));
        let source = detect_source(&headers, footer);
        let by_column = sample_columns(headers.len(), data.iter().map(|(_, r)| r.as_slice()));
        let styles = column_styles(&headers, &mapping, &by_column, self.delimiter == b';');
        // The stage each "Date entered …" column records, by column.
        let mut entered: Vec<Option<&str>> = vec![None; headers.len()];
        for (c, stage) in &mapping.stage_entered {
            entered[*c] = Some(stage.as_str());
        }
        let mut report = FileReport::new(&self.name, kind, source, format);
        report.header_line = header_line;
        report.columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let field = mapping.columns[i];
                let is_date = matches!(
                    field,
                    Some(
                        Field::Created
                            | Field::Close
                            | Field::WonTime
                            | Field::LostTime
                            | Field::Mql
                            | Field::Sql
                            | Field::Opportunity
                            | Field::Customer
                            | Field::At
                            | Field::Start
                            | Field::End
                            | Field::Date
                    )
                ) || entered[i].is_some();
                let is_number =
                    matches!(field, Some(Field::Amount | Field::Mrr | Field::Arr | Field::Quota | Field::Probability));
                let values = || by_column[i].iter().copied();
                let date_style = is_date.then(|| values::DateOrder::detect(values(), styles.date[i]));
                ColumnReport {
                    column: i as u32 + 1,
                    header: h.clone(),
                    field: field
                        .map(|f| f.as_str().to_string())
                        .or_else(|| entered[i].map(|s| format!("entered stage: {s}"))),
                    date_order: date_style.map(|s| s.order),
                    decimal_mark: is_number.then_some(styles.number[i].decimal),
                    assumed: date_style.is_some_and(|s| s.assumed)
                        || (is_number
                            && styles.number[i].assumed
                            && values().any(|v| v.contains(',') || v.contains('.'))),
                }
            })
            .collect();
        for line in preamble {
            report.skipped.add(line, None, "line before the header", "");
        }
        let mut builder = Box::new(RowBuilder::new(
            kind,
            mapping,
            styles,
            headers,
            self.file_index,
            &RowOptions { stage_status: self.opts.stage_status.clone() },
            report,
        ));
        for (line, fields) in &data {
            let (buf, ends) = flatten(fields);
            push_data_record(&mut builder, &RawRecord::new(*line, &buf, &ends));
        }
        Ok(builder)
    }
}

pub(crate) fn push_data_record(builder: &mut RowBuilder, rec: &RawRecord) {
    match rec.non_blank_fields(2) {
        0 => {
            builder.report.skipped.add(rec.line, None, "empty row", "");
            return;
        }
        // A one-cell row in a wide file may be a report footer ("Confidential Information…",
        // "Copyright…", "Vertraulich…"): hold it until a full row shows it was data after all.
        1 if builder.report.columns.len() > 2 => {
            builder.held.push((rec.line, rec.to_strings()));
            return;
        }
        _ => {}
    }
    builder.push_held();
    builder.push(rec);
}

fn is_footer_text(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("confidential information")
        || t.starts_with("copyright")
        || t.contains("salesforce.com, inc")
        || t.starts_with("generated by")
        || t.starts_with("grand total")
        || t.starts_with("total records")
        || t.starts_with("filtered by")
}

fn is_footer(fields: &[String]) -> bool {
    fields.iter().filter(|f| !f.trim().is_empty()).count() == 1 && fields.first().is_some_and(|f| is_footer_text(f))
}

pub(crate) fn flatten(fields: &[String]) -> (Vec<u8>, Vec<usize>) {
    let mut buf = Vec::new();
    let mut ends = Vec::with_capacity(fields.len());
    for f in fields {
        buf.extend_from_slice(f.as_bytes());
        ends.push(buf.len());
    }
    (buf, ends)
}

/// True when the column that would hold a deal id has repeated values (a stage history).
fn ids_repeat(headers: &[String], data: &[(u32, Vec<String>)]) -> bool {
    let m = map_headers(FileKind::StageHistory, headers, None);
    let Some(c) = m.column(Field::DealId) else {
        return false;
    };
    let mut seen = std::collections::HashSet::new();
    let mut repeats = 0;
    for (_, r) in data {
        if let Some(v) = r.get(c) {
            if !v.is_empty() && !seen.insert(v.as_str()) {
                repeats += 1;
            }
        }
    }
    repeats * 10 > data.len().max(1)
}

/// Whether a file's first bytes are a spreadsheet's (a zip: XLSX/ODS; an OLE2 compound file: XLS).
pub fn is_spreadsheet(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Without the `spreadsheets` feature (the wasm module a page loads first, which reads CSV), a
/// spreadsheet is a clear error; the package's JS loads the module with the reader instead.
#[cfg(not(feature = "spreadsheets"))]
fn read_sheet(file: &str, _bytes: &[u8], _wanted: Option<&str>) -> Result<(String, Vec<Vec<String>>), IngestError> {
    Err(IngestError::NoSpreadsheetReader { file: file.to_string() })
}

/// A sheet's cells as text: dates as ISO `YYYY-MM-DD[THH:MM:SS]`, numbers in plain form.
#[cfg(feature = "spreadsheets")]
fn read_sheet(file: &str, bytes: &[u8], wanted: Option<&str>) -> Result<(String, Vec<Vec<String>>), IngestError> {
    use calamine::{Data, Reader};
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut wb = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| IngestError::Spreadsheet { file: file.to_string(), message: e.to_string() })?;
    let names = wb.sheet_names().to_vec();
    let sheet = match wanted {
        Some(w) => names.iter().find(|n| n.as_str() == w || n.eq_ignore_ascii_case(w)).cloned().ok_or_else(|| {
            IngestError::SheetNotFound { file: file.to_string(), sheet: w.to_string(), available: names.join(", ") }
        })?,
        None => names.first().cloned().ok_or_else(|| IngestError::Spreadsheet {
            file: file.to_string(),
            message: "the workbook has no sheets".into(),
        })?,
    };
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| IngestError::Spreadsheet { file: file.to_string(), message: e.to_string() })?;
    // Keep physical row numbers: the range may start below row 1.
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        rows.push(
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format_number(*f),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(dt) => match dt.as_datetime() {
                        Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                        Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
                        None => format_number(dt.as_f64()),
                    },
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                })
                .collect(),
        );
    }
    Ok((sheet, rows))
}

#[cfg(feature = "spreadsheets")]
fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Reads a whole file held in memory.
pub fn ingest_bytes(
    name: &str,
    file_index: u32,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<IngestedFile, IngestError> {
    let mut f = FileIngest::new(name, file_index, opts);
    f.push_all(bytes)?;
    f.finish()
}

/// The decoded cells of a file (after encoding, delimiter and quote handling): the CLI's
/// `table` command, for debugging a mapping.
pub fn table(name: &str, bytes: &[u8], opts: &IngestOptions) -> Result<Vec<Vec<String>>, IngestError> {
    Ok(table_head(name, bytes, opts, usize::MAX)?.into_iter().map(|(_, r)| r).collect())
}

/// The first `max_records` records of a file as decoded cells, each with its 1-based line:
/// the page's mapping preview. A text file is decoded only as far as its first 256 KB when
/// fewer records are asked for than it holds, so a preview of a large file stays cheap (a
/// record cut at that boundary is left out).
pub fn table_head(
    name: &str,
    bytes: &[u8],
    opts: &IngestOptions,
    max_records: usize,
) -> Result<Vec<(u32, Vec<String>)>, IngestError> {
    if is_spreadsheet(bytes) {
        let rows = read_sheet(name, bytes, opts.sheet.as_deref())?.1;
        return Ok(rows.into_iter().take(max_records).enumerate().map(|(i, r)| ((i + 1) as u32, r)).collect());
    }
    let whole = max_records == usize::MAX || bytes.len() <= SNIFF_BYTES;
    let head = if whole { bytes } else { &bytes[..SNIFF_BYTES] };
    let encoding = sniff_encoding(&bytes[..bytes.len().min(SNIFF_BYTES)], bytes.len() <= SNIFF_BYTES);
    let mut decoded = Vec::with_capacity(head.len());
    Utf8Decoder::new(encoding).decode(head, true, &mut decoded);
    let (delimiter, skip) = explicit_separator(&decoded)
        .unwrap_or_else(|| (detect_delimiter(&decoded[..decoded.len().min(SNIFF_BYTES)]), 0));
    // One record more than asked: when it is there, the ones before it are complete.
    let mut records = text::records_of(&decoded[skip..], delimiter, max_records.saturating_add(1));
    if !whole && records.len() <= max_records {
        records.pop(); // the text may have run out inside the last record
    }
    records.truncate(max_records);
    Ok(records)
}

/// Joins the typed files into one dataset (in the order given); exports of the same deals
/// are snapshots ([`snapshots`]), dated from their names or contents.
pub fn build_dataset(files: Vec<IngestedFile>) -> (Dataset, Vec<FileReport>) {
    build_dataset_with(files, &HashMap::new())
}

/// [`build_dataset`] with snapshot dates given by the user (file name → day).
pub fn build_dataset_with(
    files: Vec<IngestedFile>,
    snapshot_dates: &HashMap<String, Day>,
) -> (Dataset, Vec<FileReport>) {
    let mut ds = Dataset::default();
    let mut reports = Vec::with_capacity(files.len());
    let order = snapshots::snapshot_order(&files, snapshot_dates);
    // Every snapshot but the latest is kept apart; the latest is joined like any deals file.
    let earlier: HashMap<usize, usize> = order.iter().rev().skip(1).map(|(k, _)| *k).zip(0..).collect();
    let mut kept: Vec<Option<Deals>> = vec![None; earlier.len()];
    // The first file of a kind is moved in whole; later ones are appended (re-coding symbols).
    fn join<T>(into: &mut T, from: T, is_empty: fn(&T) -> bool, extend: fn(&mut T, &T)) {
        if is_empty(into) {
            *into = from;
        } else {
            extend(into, &from);
        }
    }
    for (k, mut f) in files.into_iter().enumerate() {
        ds.files.push(f.report.file.clone());
        if let KindData::Deals(d, _) = &mut f.data {
            d.set_crm(schema::crm_of(f.report.source));
        }
        match f.data {
            // An earlier snapshot's wide stage columns repeat the latest's: its deals are kept.
            KindData::Deals(d, _) if earlier.contains_key(&k) => kept[earlier[&k]] = Some(d),
            KindData::Deals(d, h) => {
                join(&mut ds.deals, d, |t| t.is_empty(), |a, b| a.extend_from(b));
                join(&mut ds.stage_changes, h, |t| t.is_empty(), |a, b| a.extend_from(b));
            }
            KindData::Leads(l) => join(&mut ds.leads, l, |t| t.is_empty(), |a, b| a.extend_from(b)),
            KindData::StageHistory(h) => join(&mut ds.stage_changes, h, |t| t.is_empty(), |a, b| a.extend_from(b)),
            KindData::RevenueLines(r) => join(&mut ds.revenue_lines, r, |t| t.is_empty(), |a, b| a.extend_from(b)),
            KindData::Spend(s) => join(&mut ds.spend, s, |t| t.is_empty(), |a, b| a.extend_from(b)),
            KindData::Quotas(q) => join(&mut ds.quotas, q, |t| t.is_empty(), |a, b| a.extend_from(b)),
            KindData::OtherIncome(o) => join(&mut ds.other_income, o, |t| t.is_empty(), |a, b| a.extend_from(b)),
        }
        reports.push(f.report);
    }
    // `earlier` numbers the snapshots newest-but-one first; the dataset keeps them oldest first.
    ds.snapshots.earlier = kept.into_iter().rev().flatten().collect();
    ds.snapshots.list = order.into_iter().map(|(_, info)| info).collect();
    (ds, reports)
}
