//! Columns as one buffer of bytes and back: how the rows one WebAssembly worker read from part
//! of a large file reach the worker that read the rest (two workers share no memory; a buffer
//! is handed over without a copy). Numbers go as their little-endian bytes, a column at a time,
//! so writing and reading are copies, not a walk over values; what is read back is checked
//! (lengths, offsets, codes, UTF-8), so a damaged buffer is an error, never a panic.

use super::codes::{Codes, Sym};
use super::day::Day;
use super::records::{Crm, Deals, Leads, Origin, RevenueLines, StageChanges, Status};
use super::symbols::SymbolColumn;
use super::text::TextColumn;

/// A buffer that does not hold what was written: cut short, or a value out of its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a part of the file came back damaged ({})", self.0)
    }
}

/// Appends values to a buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

/// Reads values back in the order they were written.
pub struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

macro_rules! numbers {
    ($put:ident, $take:ident, $t:ty) => {
        impl Writer {
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
            pub fn $take(&mut self) -> Result<Vec<$t>, WireError> {
                const N: usize = std::mem::size_of::<$t>();
                let len = self.count()?;
                let bytes = self.take(len.checked_mul(N).ok_or(WireError("a length"))?)?;
                let mut out = vec![<$t>::default(); len];
                for (v, b) in out.iter_mut().zip(bytes.chunks_exact(N)) {
                    *v = <$t>::from_le_bytes(b.try_into().expect("N bytes"));
                }
                Ok(out)
            }
        }
    };
}
numbers!(u16s, take_u16s, u16);
numbers!(u32s, take_u32s, u32);
numbers!(i32s, take_i32s, i32);
numbers!(u64s, take_u64s, u64);
numbers!(f64s, take_f64s, f64);

impl Writer {
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

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, at: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or(WireError("cut short"))?;
        let out = &self.buf[self.at..end];
        self.at = end;
        Ok(out)
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
    /// A length, which cannot be more than the bytes left.
    pub fn count(&mut self) -> Result<usize, WireError> {
        usize::try_from(self.u64()?).ok().filter(|&n| n <= self.buf.len()).ok_or(WireError("a length"))
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], WireError> {
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
    /// Fails unless every byte was read.
    pub fn end(&self) -> Result<(), WireError> {
        if self.at == self.buf.len() {
            Ok(())
        } else {
            Err(WireError("bytes left over"))
        }
    }
}

/// A column that goes over the wire: written as it is, read back checked. `rows` is its row
/// count, which every column of a record struct must share.
pub trait Wire: Sized {
    fn put(&self, w: &mut Writer);
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError>;
    fn rows(&self) -> usize;
}

impl Wire for Vec<f64> {
    fn put(&self, w: &mut Writer) {
        w.f64s(self);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        r.take_f64s()
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<Day> {
    fn put(&self, w: &mut Writer) {
        w.i32s(self);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        r.take_i32s()
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<bool> {
    fn put(&self, w: &mut Writer) {
        w.bytes(&self.iter().map(|&b| u8::from(b)).collect::<Vec<_>>());
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        r.bytes()?.iter().map(|&b| if b <= 1 { Ok(b == 1) } else { Err(WireError("a flag")) }).collect()
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<Status> {
    fn put(&self, w: &mut Writer) {
        w.bytes(&self.iter().map(|s| *s as u8).collect::<Vec<_>>());
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        const ALL: [Status; 3] = [Status::Open, Status::Won, Status::Lost];
        r.bytes()?.iter().map(|&b| ALL.get(usize::from(b)).copied().ok_or(WireError("a status"))).collect()
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<Crm> {
    fn put(&self, w: &mut Writer) {
        w.bytes(&self.iter().map(|c| *c as u8).collect::<Vec<_>>());
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        const ALL: [Crm; 5] = [Crm::Other, Crm::Salesforce, Crm::Hubspot, Crm::Pipedrive, Crm::Zoho];
        r.bytes()?.iter().map(|&b| ALL.get(usize::from(b)).copied().ok_or(WireError("a CRM"))).collect()
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Vec<Origin> {
    fn put(&self, w: &mut Writer) {
        let flat: Vec<u32> = self.iter().flat_map(|o| [o.file, o.line]).collect();
        w.u32s(&flat);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let flat = r.take_u32s()?;
        if flat.len() % 2 != 0 {
            return Err(WireError("an origin"));
        }
        Ok(flat.chunks_exact(2).map(|p| Origin { file: p[0], line: p[1] }).collect())
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for Codes {
    fn put(&self, w: &mut Writer) {
        match self {
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
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match r.u8()? {
            1 => Codes::U8(r.bytes()?.to_vec()),
            2 => Codes::U16(r.take_u16s()?),
            4 => Codes::U32(r.take_u32s()?),
            _ => return Err(WireError("a code width")),
        })
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

/// Whether `ends` are offsets into `text` that only grow and fall on character boundaries.
pub(super) fn ends_fit(text: &str, ends: impl Iterator<Item = usize>) -> bool {
    let mut last = 0;
    for end in ends {
        if end < last || !text.is_char_boundary(end) {
            return false;
        }
        last = end;
    }
    true
}

/// Whether every code of `codes` names one of `names` names.
pub(super) fn codes_fit(codes: &Codes, names: usize) -> bool {
    let max = match codes {
        Codes::U8(v) => v.iter().copied().max().map(Sym::from),
        Codes::U16(v) => v.iter().copied().max().map(Sym::from),
        Codes::U32(v) => v.iter().copied().max(),
    };
    max.is_none_or(|m| (m as usize) < names)
}

/// A record struct of columns over the wire: each column in turn; read back, every column
/// must have as many rows as the first (`$optional` ones may also be empty).
macro_rules! wire_record {
    ($name:ident { $first:ident $(, $col:ident)* $(; optional $opt:ident)? }) => {
        impl Wire for $name {
            fn put(&self, w: &mut Writer) {
                self.$first.put(w);
                $(self.$col.put(w);)*
                $(self.$opt.put(w);)?
            }
            fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
                let out = $name {
                    $first: Wire::take(r)?,
                    $($col: Wire::take(r)?,)*
                    $($opt: Wire::take(r)?,)?
                };
                let rows = out.$first.rows();
                if $(out.$col.rows() != rows ||)* false {
                    return Err(WireError("columns of different lengths"));
                }
                $(if !out.$opt.is_empty() && out.$opt.rows() != rows {
                    return Err(WireError("columns of different lengths"));
                })?
                Ok(out)
            }
            fn rows(&self) -> usize {
                self.$first.rows()
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

impl Wire for TextColumn {
    fn put(&self, w: &mut Writer) {
        let (text, ends) = self.parts();
        w.str(text);
        w.u32s(ends);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let text = r.string()?;
        let ends = r.take_u32s()?;
        if !ends_fit(&text, ends.iter().map(|&e| e as usize)) || ends.last().is_some_and(|&e| e as usize != text.len())
        {
            return Err(WireError("text offsets"));
        }
        Ok(TextColumn::from_parts(text, ends))
    }
    fn rows(&self) -> usize {
        self.len()
    }
}

impl Wire for SymbolColumn {
    /// A column written holds no cells waiting to be interned ([`SymbolColumn::flush`] first).
    fn put(&self, w: &mut Writer) {
        let (codes, text, ends) = self.parts();
        codes.put(w);
        w.str(text);
        w.u64s(&ends.iter().map(|&e| e as u64).collect::<Vec<_>>());
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let codes = Codes::take(r)?;
        let text = r.string()?;
        let ends: Vec<usize> = r.take_u64s()?.into_iter().map(|e| e as usize).collect();
        let fits = ends.first() == Some(&0)
            && ends_fit(&text, ends.iter().copied())
            && ends.last() == Some(&text.len())
            && codes_fit(&codes, ends.len());
        if !fits {
            return Err(WireError("names"));
        }
        Ok(SymbolColumn::from_parts(codes, text, ends))
    }
    fn rows(&self) -> usize {
        self.len()
    }
}
