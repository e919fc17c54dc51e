//! One file read in two parts by two readers that share no memory (two WebAssembly workers):
//! what a part carries from one to the other, as one buffer ([`crate::model::wire`]). Its typed
//! rows, the report's counts and line groups, the one-cell rows it held back, where its
//! tokenizer stopped between records, and how many records and bytes it read: enough for the
//! other reader to join it to its own part, or to take it in place of what it read itself,
//! and end with the columns and report one reader gives ([`super::FileIngest::join_later_part`],
//! [`super::FileIngest::adopt_part`]).

use super::report::{LineGroup, LineGroups};
use super::rows::KindData;
use super::text::{Between, LastRecord};
use crate::model::wire::{Reader, Wire, WireError, Writer};
use crate::model::{Deals, Leads, RevenueLines, StageChanges};

/// A part read back.
pub(super) struct Part {
    pub data: KindData,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    pub rejected: LineGroups,
    pub skipped: LineGroups,
    pub findings: LineGroups,
    pub held: Vec<(u32, Vec<String>)>,
    pub between: Between,
    pub rows: u64,
    pub bytes: u64,
}

/// Bytes that start every part: a buffer of anything else is refused at once.
const MAGIC: &[u8; 8] = b"revlens1";

/// Whether rows of this kind can go as a part: the kinds that come in files large enough to
/// split (deals, leads, stage history, revenue lines).
pub(super) fn travels(data: &KindData) -> bool {
    matches!(data, KindData::Deals(..) | KindData::Leads(_) | KindData::StageHistory(_) | KindData::RevenueLines(_))
}

/// The part as bytes. `data` is sealed first (its symbol columns' held cells coded).
pub(super) fn write(
    data: &mut KindData,
    report: &super::FileReport,
    held: &[(u32, Vec<String>)],
    between: &Between,
    rows: u64,
    bytes: u64,
) -> Vec<u8> {
    data.seal_symbols();
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    match data {
        KindData::Deals(d, h) => {
            w.u8(0);
            d.put(&mut w);
            h.put(&mut w);
        }
        KindData::Leads(l) => {
            w.u8(1);
            l.put(&mut w);
        }
        KindData::StageHistory(h) => {
            w.u8(2);
            h.put(&mut w);
        }
        KindData::RevenueLines(r) => {
            w.u8(3);
            r.put(&mut w);
        }
        _ => unreachable!("only the kinds that travel are split"),
    }
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
    w.buf
}

/// A part from its bytes, checked.
pub(super) fn read(bytes: &[u8]) -> Result<Part, WireError> {
    if !bytes.starts_with(MAGIC) {
        return Err(WireError("not a part of a file"));
    }
    let mut r = Reader::new(&bytes[MAGIC.len()..]);
    let data = match r.u8()? {
        0 => KindData::Deals(Deals::take(&mut r)?, StageChanges::take(&mut r)?),
        1 => KindData::Leads(Leads::take(&mut r)?),
        2 => KindData::StageHistory(StageChanges::take(&mut r)?),
        3 => KindData::RevenueLines(RevenueLines::take(&mut r)?),
        _ => return Err(WireError("a kind of rows")),
    };
    let count = |r: &mut Reader<'_>| usize::try_from(r.u64()?).map_err(|_| WireError("a count"));
    let (rows_read, rows_used, rows_rejected) = (count(&mut r)?, count(&mut r)?, count(&mut r)?);
    let (rejected, skipped, findings) = (read_groups(&mut r)?, read_groups(&mut r)?, read_groups(&mut r)?);
    let mut held = Vec::new();
    for _ in 0..r.count()? {
        let line = r.u32()?;
        let cells = (0..r.count()?).map(|_| r.string()).collect::<Result<_, _>>()?;
        held.push((line, cells));
    }
    let between = read_between(&mut r)?;
    let (rows, bytes) = (r.u64()?, r.u64()?);
    r.end()?;
    Ok(Part { data, rows_read, rows_used, rows_rejected, rejected, skipped, findings, held, between, rows, bytes })
}

fn write_groups(w: &mut Writer, groups: &LineGroups) {
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
        let count = usize::try_from(r.u64()?).map_err(|_| WireError("a count"))?;
        let lines = r.take_u32s()?;
        let examples = (0..r.count()?).map(|_| Ok((r.u32()?, r.string()?))).collect::<Result<_, WireError>>()?;
        let coded = crate::message::reason_message(&reason);
        groups.push(LineGroup { reason, coded, column, header, count, lines, examples });
    }
    Ok(LineGroups::from_groups(groups))
}

fn write_between(w: &mut Writer, b: &Between) {
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
    let blank_lines = r.take_u32s()?;
    let some = r.bool()?;
    let last = LastRecord {
        line: r.u32()?,
        lines_spanned: r.u32()?,
        cells: usize::try_from(r.u64()?).map_err(|_| WireError("a count"))?,
        multiline_cell: r.opt_u32()?.map(|c| c as usize),
        ended_at_eof: r.bool()?,
        open_quote: r.bool()?,
    };
    Ok(Between { newlines, careful_records, record_line, prev_byte, blank_lines, last_record: some.then_some(last) })
}
