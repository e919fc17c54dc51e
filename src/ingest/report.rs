//! What ingestion tells the user about each file: what it was taken for, how it was read,
//! and every row it could not use (SPEC §2: nothing is dropped silently).

use super::schema::{FileKind, Source};
use super::text::TextEncoding;
use super::values::{DateOrder, DecimalMark};
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// How many example values a group keeps (every line number is kept regardless).
pub const EXAMPLES_PER_GROUP: usize = 5;

/// Rows (or cells) that share one reason, with every line number.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LineGroup {
    pub reason: String,
    /// The reason as a code and its parameters ([`crate::message::reason_message`]).
    pub coded: crate::message::Message,
    /// 1-based column and its header, when one cell is the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    pub count: usize,
    pub lines: Vec<u32>,
    /// Up to [`EXAMPLES_PER_GROUP`] offending values, with their lines.
    pub examples: Vec<(u32, String)>,
}

/// Groups lines by (reason, column).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct LineGroups(pub Vec<LineGroup>, #[serde(skip)] GroupIndex);

/// The groups by (column, hash of the reason), so adding a line costs the same however many
/// groups there are (a file can make one per column: a wide header of unreadable dates).
#[derive(Clone, Debug, Default)]
pub struct GroupIndex(FxHashMap<(Option<u32>, u64), Vec<usize>>);

impl LineGroups {
    pub fn add(&mut self, line: u32, column: Option<(u32, &str)>, reason: &str, value: &str) {
        let col = column.map(|(c, _)| c);
        let key = (col, {
            let mut h = FxHasher::default();
            reason.hash(&mut h);
            h.finish()
        });
        let candidates = self.1 .0.entry(key).or_default();
        crate::work::add(1 + candidates.len());
        let group = match candidates.iter().copied().find(|&i| self.0[i].reason == reason) {
            Some(i) => &mut self.0[i],
            None => {
                candidates.push(self.0.len());
                self.0.push(LineGroup {
                    reason: reason.to_string(),
                    coded: crate::message::reason_message(reason),
                    column: col,
                    header: column.map(|(_, h)| h.to_string()),
                    count: 0,
                    lines: Vec::new(),
                    examples: Vec::new(),
                });
                self.0.last_mut().expect("just pushed")
            }
        };
        group.count += 1;
        group.lines.push(line);
        if group.examples.len() < EXAMPLES_PER_GROUP {
            group.examples.push((line, value.chars().take(200).collect()));
        }
    }
    /// Groups made elsewhere (a part of the file read by another reader), indexed here.
    pub fn from_groups(groups: Vec<LineGroup>) -> LineGroups {
        let mut out = LineGroups::default();
        out.append(LineGroups(groups, GroupIndex::default()), 0);
        out
    }
    pub fn total(&self) -> usize {
        self.0.iter().map(|g| g.count).sum()
    }

    /// Adds the groups of lines read after these (a later part of the same file, its line
    /// numbers `shift` lines short): as if each of its lines had been added here, in order.
    pub fn append(&mut self, later: LineGroups, shift: u32) {
        for g in later.0 {
            let key = (g.column, {
                let mut h = FxHasher::default();
                g.reason.hash(&mut h);
                h.finish()
            });
            let candidates = self.1 .0.entry(key).or_default();
            crate::work::add(1 + candidates.len());
            let lines = g.lines.iter().map(|l| l + shift);
            let examples = g.examples.into_iter().map(|(l, v)| (l + shift, v));
            match candidates.iter().copied().find(|&i| self.0[i].reason == g.reason) {
                Some(i) => {
                    let mine = &mut self.0[i];
                    mine.count += g.count;
                    mine.lines.extend(lines);
                    let room = EXAMPLES_PER_GROUP.saturating_sub(mine.examples.len());
                    mine.examples.extend(examples.take(room));
                }
                None => {
                    candidates.push(self.0.len());
                    let lines = lines.collect();
                    let examples = examples.collect();
                    self.0.push(LineGroup { lines, examples, ..g });
                }
            }
        }
    }
}

/// One column of the file and the field it was read as.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct ColumnReport {
    /// 1-based.
    pub column: u32,
    pub header: String,
    /// Canonical field name, or `None` when the column is not used.
    pub field: Option<String>,
    /// For date columns: the day/month order used, and whether the values forced it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal_mark: Option<DecimalMark>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// True when the values did not decide the order/mark and a default was assumed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

/// Everything ingestion knows about one file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    pub kind: FileKind,
    pub source: Source,
    /// "csv" or "xlsx"/"xls"/"ods".
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<TextEncoding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub header_line: u32,
    pub columns: Vec<ColumnReport>,
    pub bytes: u64,
    /// Data rows after the header (blank lines and report footers are not rows).
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    /// Rows not used, grouped by reason, with every line number.
    pub rejected: LineGroups,
    /// Lines that are not rows: blank lines, report footers, preamble.
    pub skipped: LineGroups,
    /// Kept rows with a cell that could not be read (the field is treated as missing) or
    /// that is missing where a metric needs it.
    pub findings: LineGroups,
}

impl FileReport {
    /// The report of a later part of the same file, read beside the first: what the file is
    /// and how it is read, with no rows yet.
    pub fn empty_like(&self) -> FileReport {
        FileReport {
            encoding: self.encoding,
            delimiter: self.delimiter.clone(),
            sheet: self.sheet.clone(),
            header_line: self.header_line,
            columns: self.columns.clone(),
            ..FileReport::new(&self.file, self.kind, self.source, &self.format)
        }
    }

    /// Adds the rows a later part of the file read ([`FileReport::empty_like`]), its line
    /// numbers `shift` lines short.
    pub fn append(&mut self, later: FileReport, shift: u32) {
        self.rows_read += later.rows_read;
        self.rows_used += later.rows_used;
        self.rows_rejected += later.rows_rejected;
        self.rejected.append(later.rejected, shift);
        self.skipped.append(later.skipped, shift);
        self.findings.append(later.findings, shift);
    }

    pub fn new(file: &str, kind: FileKind, source: Source, format: &str) -> FileReport {
        FileReport {
            file: file.to_string(),
            kind,
            source,
            format: format.to_string(),
            encoding: None,
            delimiter: None,
            sheet: None,
            header_line: 0,
            columns: Vec::new(),
            bytes: 0,
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            rejected: LineGroups::default(),
            skipped: LineGroups::default(),
            findings: LineGroups::default(),
        }
    }
}
