//! Text columns: mostly-unique text (ids, names) with all rows' bytes in one string.

use super::reserve_to;

/// Mostly-unique text (ids, names): all rows' bytes in one string, with end offsets.
#[derive(Clone, Debug, Default)]
pub struct TextColumn {
    text: String,
    ends: Vec<u32>,
}

impl TextColumn {
    /// Makes room for `rows` rows in all, with as many text bytes per row as so far.
    pub fn reserve_rows(&mut self, rows: usize) {
        let more = rows.saturating_sub(self.len());
        let per_row = self.text.len().div_ceil(self.len().max(1));
        reserve_to(&mut self.ends, rows);
        self.text.reserve_exact(more.saturating_mul(per_row) + more.saturating_mul(per_row) / 16);
    }
    pub fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
    }
    pub fn get(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        &self.text[start..self.ends[row] as usize]
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    /// Appends another column's rows: its text in one copy, its ends shifted.
    pub fn extend_from(&mut self, other: &TextColumn) {
        let shift = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|&e| e + shift));
    }
    /// Its text and where each row ends (for [`crate::model::wire`]).
    pub(super) fn parts(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }
    /// Its text and row ends to append to (for [`crate::model::wire`], which keeps them
    /// consistent).
    pub(super) fn parts_mut(&mut self) -> (&mut String, &mut Vec<u32>) {
        (&mut self.text, &mut self.ends)
    }
    /// Keeps the rows whose `keep` flag is set (rows past the end of `keep` are kept).
    pub fn retain_rows(&mut self, keep: &[bool]) {
        let mut out = TextColumn::default();
        for (i, v) in self.iter().enumerate() {
            if keep.get(i).copied().unwrap_or(true) {
                out.push(v);
            }
        }
        *self = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_column_arena() {
        let mut t = TextColumn::default();
        for s in ["a", "", "ccc"] {
            t.push(s);
        }
        assert_eq!(t.iter().collect::<Vec<_>>(), vec!["a", "", "ccc"]);
    }
}
