//! One file read in two parts by two readers that share no memory (two WebAssembly workers):
//! what a part carries from one to the other, as chunks of bytes ([`crate::model::wire`]). First
//! a head: the report's counts and line groups, the one-cell rows it held back, where its
//! tokenizer stopped between records, how many records and bytes it read and how many rows it
//! typed; then its typed rows, column by column. Enough for the other reader to join it after its
//! own part, or to take it in place of what it read itself, and end with the columns and report
//! one reader gives ([`super::FileIngest::join_later_part`], [`super::FileIngest::adopt_part`]).

use super::report::{LineGroup, LineGroups};
use super::rows::KindData;
use super::text::{Between, LastRecord};
use crate::model::wire::{Reader, Wire, WireError, Writer};

/// What comes before a part's rows.
pub(super) struct Head {
    pub kind: u8,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    pub rejected: LineGroups,
    pub skipped: LineGroups,
    pub findings: LineGroups,
    pub held: Vec<(u32, Vec<String>)>,
    pub between: Between,
    /// Records and bytes the part read.
    pub rows: u64,
    pub bytes: u64,
    /// Rows it typed.
    pub data_rows: usize,
}

impl Head {
    /// The part's report, of the file `like` reports (what the file is and how it is read; no
    /// bytes yet), and its held rows: both taken out of the head.
    pub fn report_like(&mut self, like: &super::FileReport) -> (super::FileReport, Vec<(u32, Vec<String>)>) {
        let mut report = like.empty_like();
        (report.rows_read, report.rows_used, report.rows_rejected) =
            (self.rows_read, self.rows_used, self.rows_rejected);
        report.rejected = std::mem::take(&mut self.rejected);
        report.skipped = std::mem::take(&mut self.skipped);
        report.findings = std::mem::take(&mut self.findings);
        (report, std::mem::take(&mut self.held))
    }
}

/// Bytes that start every part: anything else is refused at once.
const MAGIC: &[u8; 8] = b"revlens2";

/// The kind of rows, when they can go as a part: the kinds that come in files large enough to
/// split (deals, leads, stage history, revenue lines).
pub(super) fn kind_of(data: &KindData) -> Option<u8> {
    match data {
        KindData::Deals(..) => Some(0),
        KindData::Leads(_) => Some(1),
        KindData::StageHistory(_) => Some(2),
        KindData::RevenueLines(_) => Some(3),
        _ => None,
    }
}

/// Writes the part to `sink` in chunks of about `chunk` bytes; false (nothing written) for rows
/// of a kind that does not travel. `data`'s symbol columns code the cells they hold back first.
#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    data: &mut KindData,
    report: &super::FileReport,
    held: &[(u32, Vec<String>)],
    between: &Between,
    rows: u64,
    bytes: u64,
    chunk: usize,
    sink: &mut dyn FnMut(&[u8]),
) -> bool {
    let Some(kind) = kind_of(data) else { return false };
    let mut w = Writer::new(chunk, sink);
    for b in MAGIC {
        w.u8(*b);
    }
    w.u8(kind);
    for n in [report.rows_read, report.rows_used, report.rows_rejected] {
        w.u64(n as u64);
    }
    for groups in [&report.rejected, &report.skipped, &report.findings] {
        write_groups(&mut w, groups);
    }
    w.u64(held.len() as u64);
    for (line, cells) in held {
        w.u32(*line);
        w.u64(cells.len() as u64);
        for c in cells {
            w.str(c);
        }
    }
    write_between(&mut w, between);
    w.u64(rows);
    w.u64(bytes);
    match data {
        KindData::Deals(d, h) => {
            d.flush();
            h.flush();
            w.u64(d.rows() as u64);
            w.boundary();
            d.put(&mut w);
            h.put(&mut w);
        }
        KindData::Leads(l) => put_rows(&mut w, l),
        KindData::StageHistory(h) => put_rows(&mut w, h),
        KindData::RevenueLines(r) => put_rows(&mut w, r),
        _ => unreachable!("kind_of said it travels"),
    }
    w.finish();
    true
}

fn put_rows(w: &mut Writer<'_>, rows: &mut impl Wire) {
    rows.flush();
    w.u64(rows.rows() as u64);
    w.boundary();
    rows.put(w);
}

/// Reads a part's head, checked.
pub(super) fn read_head(r: &mut Reader<'_>) -> Result<Head, WireError> {
    for b in MAGIC {
        if r.u8()? != *b {
            return Err(WireError("not a part of a file"));
        }
    }
    let kind = r.u8()?;
    let (rows_read, rows_used, rows_rejected) = (r.count()?, r.count()?, r.count()?);
    let (rejected, skipped, findings) = (read_groups(r)?, read_groups(r)?, read_groups(r)?);
    let mut held = Vec::new();
    for _ in 0..r.count()? {
        let line = r.u32()?;
        let cells = (0..r.count()?).map(|_| r.string()).collect::<Result<_, _>>()?;
        held.push((line, cells));
    }
    let between = read_between(r)?;
    let (rows, bytes) = (r.u64()?, r.u64()?);
    let data_rows = r.count()?;
    Ok(Head {
        kind,
        rows_read,
        rows_used,
        rows_rejected,
        rejected,
        skipped,
        findings,
        held,
        between,
        rows,
        bytes,
        data_rows,
    })
}

/// Appends a part's rows (of kind `kind`) to `data`, their lines `shift` lines on, as
/// `KindData::append` would; every byte must be read. An error once rows were added leaves
/// `data` part-appended (the caller gives the file up).
pub(super) fn append_rows(data: &mut KindData, kind: u8, r: &mut Reader<'_>, shift: u32) -> Result<(), WireError> {
    if kind_of(data) != Some(kind) {
        return Err(WireError("rows of another kind"));
    }
    fn shifted<T: Wire>(
        rows: &mut T,
        origin: impl Fn(&mut T) -> &mut Vec<crate::model::Origin>,
        r: &mut Reader<'_>,
        shift: u32,
    ) -> Result<(), WireError> {
        let before = origin(rows).len();
        rows.append_from(r)?;
        for o in &mut origin(rows)[before..] {
            o.line += shift;
        }
        Ok(())
    }
    match data {
        KindData::Deals(d, h) => {
            shifted(d, |d| &mut d.origin, r, shift)?;
            shifted(h, |h| &mut h.origin, r, shift)?;
        }
        KindData::Leads(l) => shifted(l, |l| &mut l.origin, r, shift)?,
        KindData::StageHistory(h) => shifted(h, |h| &mut h.origin, r, shift)?,
        KindData::RevenueLines(x) => shifted(x, |x| &mut x.origin, r, shift)?,
        _ => unreachable!("kind_of said it travels"),
    }
    r.end()
}

fn write_groups(w: &mut Writer<'_>, groups: &LineGroups) {
    w.u64(groups.0.len() as u64);
    for g in &groups.0 {
        w.str(&g.reason);
        w.opt_u32(g.column);
        w.opt_str(g.header.as_deref());
        w.u64(g.count as u64);
        w.u32s(&g.lines);
        w.u64(g.examples.len() as u64);
        for (line, value) in &g.examples {
            w.u32(*line);
            w.str(value);
        }
    }
}

/// Line groups read back, their index made anew.
fn read_groups(r: &mut Reader<'_>) -> Result<LineGroups, WireError> {
    let mut groups = Vec::new();
    for _ in 0..r.count()? {
        let reason = r.string()?;
        let column = r.opt_u32()?;
        let header = r.opt_string()?;
        let count = r.count()?;
        let mut lines = Vec::new();
        r.append_u32s(&mut lines)?;
        let examples = (0..r.count()?).map(|_| Ok((r.u32()?, r.string()?))).collect::<Result<_, WireError>>()?;
        let coded = crate::message::reason_message(&reason);
        groups.push(LineGroup { reason, coded, column, header, count, lines, examples });
    }
    Ok(LineGroups::from_groups(groups))
}

fn write_between(w: &mut Writer<'_>, b: &Between) {
    w.u32(b.newlines);
    w.u64(b.careful_records);
    w.u32(b.record_line);
    w.u8(b.prev_byte);
    w.u32s(&b.blank_lines);
    w.u8(u8::from(b.last_record.is_some()));
    let last = b.last_record.unwrap_or(LastRecord {
        line: 0,
        lines_spanned: 0,
        cells: 0,
        multiline_cell: None,
        ended_at_eof: false,
        open_quote: false,
    });
    w.u32(last.line);
    w.u32(last.lines_spanned);
    w.u64(last.cells as u64);
    w.opt_u32(last.multiline_cell.map(|c| c as u32));
    w.u8(u8::from(last.ended_at_eof));
    w.u8(u8::from(last.open_quote));
}

fn read_between(r: &mut Reader<'_>) -> Result<Between, WireError> {
    let newlines = r.u32()?;
    let careful_records = r.u64()?;
    let record_line = r.u32()?;
    let prev_byte = r.u8()?;
    let mut blank_lines = Vec::new();
    r.append_u32s(&mut blank_lines)?;
    let some = r.bool()?;
    let last = LastRecord {
        line: r.u32()?,
        lines_spanned: r.u32()?,
        cells: r.count()?,
        multiline_cell: r.opt_u32()?.map(|c| c as usize),
        ended_at_eof: r.bool()?,
        open_quote: r.bool()?,
    };
    Ok(Between { newlines, careful_records, record_line, prev_byte, blank_lines, last_record: some.then_some(last) })
}
