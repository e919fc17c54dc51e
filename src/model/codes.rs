//! A symbol column's codes, one per row, as narrow as its dictionary allows.

use super::{reserve_to, retain_by};

/// An interned string: an index into a [`SymbolColumn`](super::SymbolColumn)'s dictionary. 0 is
/// always "" (missing).
pub type Sym = u32;

/// A symbol column's codes, one per row, in as few bytes as its dictionary allows: one while it
/// has at most 256 names (owners, stages, regions, …), two up to 65,536, four past that. A
/// column widens once, when its dictionary outgrows its width. At a million deals, eight of a
/// deals file's nine symbol columns take 1 MiB each instead of 4.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    /// The code of row `row`.
    #[inline]
    pub fn get(&self, row: usize) -> Sym {
        match self {
            Codes::U8(v) => Sym::from(v[row]),
            Codes::U16(v) => Sym::from(v[row]),
            Codes::U32(v) => v[row],
        }
    }
    /// The codes in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Sym> + Clone + '_ {
        (0..self.len()).map(move |row| self.get(row))
    }
    pub fn to_vec(&self) -> Vec<Sym> {
        self.iter().collect()
    }
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    #[inline]
    pub(super) fn push(&mut self, code: Sym) {
        match self {
            Codes::U8(v) if code <= Sym::from(u8::MAX) => v.push(code as u8),
            Codes::U16(v) if code <= Sym::from(u16::MAX) => v.push(code as u16),
            Codes::U32(v) => v.push(code),
            _ => {
                self.widen(code);
                self.push(code);
            }
        }
    }
    /// Copies the codes into the narrowest width that holds `code`, with room for as many rows
    /// as this one had.
    #[cold]
    fn widen(&mut self, code: Sym) {
        let rows = self.capacity();
        *self = if code <= Sym::from(u16::MAX) {
            let mut v = Vec::with_capacity(rows);
            v.extend(self.iter().map(|c| c as u16));
            Codes::U16(v)
        } else {
            let mut v = Vec::with_capacity(rows);
            v.extend(self.iter());
            Codes::U32(v)
        };
    }
    pub(super) fn capacity(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity(),
            Codes::U32(v) => v.capacity(),
        }
    }
    pub(super) fn reserve_rows(&mut self, rows: usize) {
        match self {
            Codes::U8(v) => reserve_to(v, rows),
            Codes::U16(v) => reserve_to(v, rows),
            Codes::U32(v) => reserve_to(v, rows),
        }
    }
    pub(super) fn shrink_to_fit(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }
    pub(super) fn retain_rows(&mut self, keep: &[bool]) {
        match self {
            Codes::U8(v) => retain_by(v, keep),
            Codes::U16(v) => retain_by(v, keep),
            Codes::U32(v) => retain_by(v, keep),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_widen_as_the_dictionary_grows_and_keep_every_row() {
        let mut codes = Codes::default();
        let mut expected = Vec::new();
        let mut widths = Vec::new();
        for row in 0..70_000u32 {
            // New codes in order, each followed by a repeat of an early one.
            for code in [row, row % 7] {
                codes.push(code);
                expected.push(code);
            }
            let width = match &codes {
                Codes::U8(_) => 1,
                Codes::U16(_) => 2,
                Codes::U32(_) => 4,
            };
            if widths.last() != Some(&width) {
                widths.push(width);
                assert_eq!(codes.to_vec(), expected, "widened to {width} bytes at code {row}");
            }
        }
        assert_eq!(widths, [1, 2, 4]);
        assert_eq!(codes.to_vec(), expected);
        assert_eq!((codes.get(510), codes.len()), (255, 140_000));
        let keep: Vec<bool> = (0..codes.len()).map(|i| i.is_multiple_of(3)).collect();
        codes.retain_rows(&keep);
        assert_eq!(codes.to_vec(), expected.iter().step_by(3).copied().collect::<Vec<_>>());
    }
}
