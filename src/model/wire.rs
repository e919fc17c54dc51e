//! Columns as bytes and back: how the rows one WebAssembly worker read from part of a large
//! file reach the worker that read the rest (two workers share no memory; a buffer is handed
//! over without a copy). Numbers go as their little-endian bytes, a column at a time, so writing
//! and reading are copies, not a walk over values. The bytes go in chunks of a few megabytes,
//! each ending after a whole column, so neither worker holds a second copy of the columns: a
//! chunk is written, handed out, and its buffer used for the next; read back, each column goes
//! straight onto the end of the reader's own (a symbol column's names interned there, its codes
//! re-coded). What is read is checked (lengths, offsets, codes, UTF-8): a damaged chunk is an
//! error, never a panic.

use super::codes::{Codes, Sym};
use super::day::Day;
use super::records::{Crm, Deals, Leads, Origin, RevenueLines, StageChanges, Status};
use super::symbols::SymbolColumn;
use super::text::TextColumn;

/// Bytes that do not hold what was written: cut short, or a value out of its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a part of the file came back damaged ({})", self.0)
    }
}

/// Appends values to a buffer, handed to `sink` at a column's end once it holds `chunk` bytes.
pub struct Writer<'s> {
    buf: Vec<u8>,
    chunk: usize,
    sink: &'s mut dyn FnMut(&[u8]),
}

/// Reads values back in the order they were written, from chunks `next` gives one at a time.
pub struct Reader<'s> {
    cur: Vec<u8>,
    at: usize,
    next: &'s mut dyn FnMut() -> Option<Vec<u8>>,
}

macro_rules! numbers {
    ($put:ident, $append:ident, $t:ty) => {
        impl Writer<'_> {
            pub fn $put(&mut self, values: &[$t]) {
                const N: usize = std::mem::size_of::<$t>();
                self.u64(values.len() as u64);
                // Sized once, then filled: a loop the compiler makes a copy.
                let start = self.buf.len();
                self.buf.resize(start + values.len() * N, 0);
                for (out, v) in self.buf[start..].chunks_exact_mut(N).zip(values) {
                    out.copy_from_slice(&v.to_le_bytes());
                }
            }
        }
        impl Reader<'_> {
            /// Appends the values to `out`; how many.
            pub fn $append(&mut self, out: &mut Vec<$t>) -> Result<usize, WireError> {
                const N: usize = std::mem::size_of::<$t>();
                let len = self.count()?;
                let bytes = self.take(len.checked_mul(N).ok_or(WireError("a length"))?)?;
                let start = out.len();
                out.resize(start + len, <$t>::default());
                for (v, b) in out[start..].iter_mut().zip(bytes.chunks_exact(N)) {
                    *v = <$t>::from_le_bytes(b.try_into().expect("N bytes"));
                }
                Ok(len)
            }
        }
    };
}
numbers!(u16s, append_u16s, u16);
numbers!(u32s, append_u32s, u32);
numbers!(i32s, append_i32s, i32);
numbers!(u64s, append_u64s, u64);
numbers!(f64s, append_f64s, f64);

impl<'s> Writer<'s> {
    pub fn new(chunk: usize, sink: &'s mut dyn FnMut(&[u8])) -> Writer<'s> {
        Writer { buf: Vec::with_capacity(chunk.min(8 << 20) + 4096), chunk, sink }
    }
    /// A column ends here: the buffer goes to the sink once it holds a chunk.
    pub fn boundary(&mut self) {
        if !self.buf.is_empty() && self.buf.len() >= self.chunk {
            (self.sink)(&self.buf);
            self.buf.clear();
        }
    }
    /// Hands out what is left.
    pub fn finish(mut self) {
        if !self.buf.is_empty() {
            (self.sink)(&self.buf);
            self.buf.clear();
        }
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.u64(v.len() as u64);
        self.buf.extend_from_slice(v);
    }
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
    pub fn opt_u32(&mut self, v: Option<u32>) {
        self.u8(u8::from(v.is_some()));
        self.u32(v.unwrap_or(0));
    }
    pub fn opt_str(&mut self, v: Option<&str>) {
        self.u8(u8::from(v.is_some()));
        self.str(v.unwrap_or(""));
    }
}

impl<'s> Reader<'s> {
    pub fn new(next: &'s mut dyn FnMut() -> Option<Vec<u8>>) -> Reader<'s> {
        Reader { cur: Vec::new(), at: 0, next }
    }
    /// The next `n` bytes, from the chunk being read or, when it is read to its end, the next
    /// (a value never runs from one chunk into the next).
    fn take(&mut self, n: usize) -> Result<&[u8], WireError> {
        while self.at == self.cur.len() && n > 0 {
            self.cur = (self.next)().ok_or(WireError("cut short"))?;
            self.at = 0;
        }
        let end = self.at.checked_add(n).filter(|&e| e <= self.cur.len()).ok_or(WireError("cut short"))?;
        let start = self.at;
        self.at = end;
        Ok(&self.cur[start..end])
    }
    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    /// A count of values or bytes, which cannot be more than a chunk could hold.
    pub fn count(&mut self) -> Result<usize, WireError> {
        usize::try_from(self.u64()?).ok().filter(|&n| n <= u32::MAX as usize).ok_or(WireError("a length"))
    }
    pub fn bytes(&mut self) -> Result<&[u8], WireError> {
        let n = self.count()?;
        self.take(n)
    }
    pub fn string(&mut self) -> Result<String, WireError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| WireError("text that is not UTF-8"))
    }
    pub fn bool(&mut self) -> Result<bool, WireError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(WireError("a flag")),
        }
    }
    pub fn opt_u32(&mut self) -> Result<Option<u32>, WireError> {
        let some = self.bool()?;
        let v = self.u32()?;
        Ok(some.then_some(v))
    }
    pub fn opt_string(&mut self) -> Result<Option<String>, WireError> {
        let some = self.bool()?;
        let v = self.string()?;
        Ok(some.then_some(v))
    }
    /// Fails unless every byte of every chunk was read.
    pub fn end(&mut self) -> Result<(), WireError> {
        if self.at != self.cur.len() {
            return Err(WireError("bytes left over"));
        }
        while let Some(chunk) = (self.next)() {
            if !chunk.is_empty() {
                return Err(WireError("bytes left over"));
            }
        }
        Ok(())
    }
}

/// A column that goes over the wire: written as it is, and read back onto the end of a column
/// of the same kind, as [`Vec::extend_from_slice`] or the column's `extend_from` would add it.
pub trait Wire {
    fn put(&self, w: &mut Writer<'_>);
    /// Appends the column read; how many rows. On an error, part of it may have been added.
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError>;
    fn rows(&self) -> usize;
    /// Codes the cells a symbol column holds back (done before it is written).
    fn flush(&mut self) {}
}

impl Wire for Vec<f64> {
    fn put(&self, w: &mut Writer<'_>) {
        w.f64s(self);
    }
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
        r.append_f64s(self)
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<Day> {
    fn put(&self, w: &mut Writer<'_>) {
        w.i32s(self);
    }
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
        r.append_i32s(self)
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

/// A column of one-byte values: each written as its place in `$all`, which lists every value
/// in the order of their discriminants.
macro_rules! one_byte_column {
    ($t:ty, $all:expr) => {
        impl Wire for Vec<$t> {
            fn put(&self, w: &mut Writer<'_>) {
                w.bytes(&self.iter().map(|&v| v as u8).collect::<Vec<_>>());
            }
            fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
                const ALL: &[$t] = &$all;
                let bytes = r.bytes()?;
                self.reserve(bytes.len());
                for &b in bytes {
                    self.push(ALL.get(usize::from(b)).copied().ok_or(WireError("a one-byte value"))?);
                }
                Ok(bytes.len())
            }
            fn rows(&self) -> usize {
                self.len()
            }
        }
    };
}

one_byte_column!(bool, [false, true]);
one_byte_column!(Status, [Status::Open, Status::Won, Status::Lost]);
one_byte_column!(Crm, [Crm::Other, Crm::Salesforce, Crm::Hubspot, Crm::Pipedrive, Crm::Zoho]);

impl Wire for Vec<Origin> {
    fn put(&self, w: &mut Writer<'_>) {
        let flat: Vec<u32> = self.iter().flat_map(|o| [o.file, o.line]).collect();
        w.u32s(&flat);
    }
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
        let mut flat = Vec::new();
        r.append_u32s(&mut flat)?;
        if flat.len() % 2 != 0 {
            return Err(WireError("an origin"));
        }
        self.extend(flat.chunks_exact(2).map(|p| Origin { file: p[0], line: p[1] }));
        Ok(flat.len() / 2)
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

/// Whether `ends` are offsets into `text` that only grow and fall on character boundaries.
fn ends_fit(text: &str, ends: impl Iterator<Item = usize>) -> bool {
    let mut last = 0;
    for end in ends {
        if end < last || !text.is_char_boundary(end) {
            return false;
        }
        last = end;
    }
    true
}

impl Wire for TextColumn {
    fn put(&self, w: &mut Writer<'_>) {
        let (text, ends) = self.parts();
        w.str(text);
        w.u32s(ends);
    }
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
        let (text, ends) = self.parts_mut();
        let base = text.len();
        text.push_str(std::str::from_utf8(r.bytes()?).map_err(|_| WireError("text that is not UTF-8"))?);
        let mut theirs = Vec::new();
        let read = r.append_u32s(&mut theirs);
        let added = &text[base..];
        let fits = read.is_ok()
            && ends_fit(added, theirs.iter().map(|&e| e as usize))
            && theirs.last().map_or(added.is_empty(), |&e| e as usize == added.len())
            && u32::try_from(text.len()).is_ok();
        if !fits {
            text.truncate(base);
            return Err(read.err().unwrap_or(WireError("text offsets")));
        }
        ends.extend(theirs.iter().map(|&e| e + base as u32));
        Ok(theirs.len())
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for SymbolColumn {
    /// Its names first, then its codes: read back, the names are interned in this column
    /// before the codes come, and each code goes on re-coded as it is read.
    fn put(&self, w: &mut Writer<'_>) {
        let (codes, text, ends) = self.parts();
        w.str(text);
        w.u64s(&ends.iter().map(|&e| e as u64).collect::<Vec<_>>());
        match codes {
            Codes::U8(v) => {
                w.u8(1);
                w.bytes(v);
            }
            Codes::U16(v) => {
                w.u8(2);
                w.u16s(v);
            }
            Codes::U32(v) => {
                w.u8(4);
                w.u32s(v);
            }
        }
    }
    fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
        let text = std::str::from_utf8(r.bytes()?).map_err(|_| WireError("text that is not UTF-8"))?.to_string();
        let mut ends = Vec::new();
        r.append_u64s(&mut ends)?;
        let fits = ends.first() == Some(&0)
            && ends_fit(&text, ends.iter().map(|&e| e as usize))
            && ends.last() == Some(&(text.len() as u64));
        if !fits {
            return Err(WireError("names"));
        }
        let mut start = 0;
        let recode: Vec<Sym> = ends
            .iter()
            .map(|&end| {
                let name = &text[start..end as usize];
                start = end as usize;
                self.intern(name)
            })
            .collect();
        // Each code re-coded as it is read, whatever the width it was written in.
        match r.u8()? {
            1 => push_recoded(self, &recode, r.bytes()?.iter().map(|&c| usize::from(c))),
            2 => {
                let mut codes = Vec::new();
                r.append_u16s(&mut codes)?;
                push_recoded(self, &recode, codes.into_iter().map(usize::from))
            }
            4 => {
                let mut codes = Vec::new();
                r.append_u32s(&mut codes)?;
                push_recoded(self, &recode, codes.into_iter().map(|c| c as usize))
            }
            _ => Err(WireError("a code width")),
        }
    }
    fn rows(&self) -> usize {
        self.len()
    }
    fn flush(&mut self) {
        SymbolColumn::flush(self);
    }
}

/// Pushes onto `column` each of `codes`, re-coded by `recode`; how many.
fn push_recoded(
    column: &mut SymbolColumn,
    recode: &[Sym],
    codes: impl ExactSizeIterator<Item = usize>,
) -> Result<usize, WireError> {
    let n = codes.len();
    column.reserve_rows(column.len() + n);
    for c in codes {
        column.push_code(recode.get(c).copied().ok_or(WireError("a code"))?);
    }
    Ok(n)
}

/// A record struct of columns over the wire: each column in turn, a chunk boundary after each;
/// read back, every column must add as many rows as the first. An `$optional` column may be
/// empty, for all its rows being the default: appended, it is filled in as `extend_from` does.
macro_rules! wire_record {
    ($name:ident { $first:ident $(, $col:ident)* $(; optional $opt:ident)? }) => {
        impl Wire for $name {
            fn put(&self, w: &mut Writer<'_>) {
                self.$first.put(w);
                w.boundary();
                $(self.$col.put(w); w.boundary();)*
                $(self.$opt.put(w); w.boundary();)?
            }
            fn append_from(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError> {
                let before = self.$first.rows();
                let _ = before;
                let rows = self.$first.append_from(r)?;
                $(if self.$col.append_from(r)? != rows {
                    return Err(WireError("columns of different lengths"));
                })*
                $({
                    let mut theirs = self.$opt[..0].to_vec();
                    theirs.append_from(r)?;
                    if !theirs.is_empty() && theirs.len() != rows {
                        return Err(WireError("columns of different lengths"));
                    }
                    if !self.$opt.is_empty() || !theirs.is_empty() {
                        self.$opt.resize(before, Default::default());
                        self.$opt.extend(theirs);
                        self.$opt.resize(before + rows, Default::default());
                    }
                })?
                Ok(rows)
            }
            fn rows(&self) -> usize {
                self.$first.rows()
            }
            fn flush(&mut self) {
                self.$first.flush();
                $(self.$col.flush();)*
            }
        }
    };
}

wire_record!(Deals {
    id, name, account, owner, stage, status, amount, currency, probability, created, close,
    forecast_category, lead_source, deal_type, region, product, origin; optional crm
});
wire_record!(Leads { id, created, source, status, account, owner, mql, sql, opportunity, customer, deal_id, origin });
wire_record!(StageChanges { deal_id, stage, at, close, amount, origin });
wire_record!(RevenueLines {
    customer,
    customer_name,
    subscription,
    start,
    end,
    mrr,
    currency,
    churned,
    recurring,
    origin
});
