//! Repeated keys found in one pass: a first-seen table of `(tag, row)` pairs, loaded a block of
//! rows at a time.

/// The rows, in order, whose key an earlier row has (of the rows where `keyed` holds), each
/// with the first row that has it; `tag` is a row's key's tag and `same(row, earlier)` says
/// whether two rows' keys are equal. One first-seen table, so one check at a time holds one
/// (8 bytes × twice the rows). At a million deals the table is far larger than the caches, and a
/// lookup is a miss: the tags of a block of rows are worked out first and their slots loaded
/// before the lookups, so the misses of many rows overlap instead of following one another.
pub(crate) fn later_copies(
    rows: usize,
    keyed: impl Fn(usize) -> bool,
    mut tag: impl FnMut(usize) -> u32,
    mut same: impl FnMut(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    const BLOCK: usize = 512;
    let mut first = FirstSeen::with_rows(rows);
    let mut tags = [0u32; BLOCK];
    let mut copies = Vec::new();
    for start in (0..rows).step_by(BLOCK) {
        let block = &mut tags[..BLOCK.min(rows - start)];
        for (k, t) in block.iter_mut().enumerate() {
            *t = tag(start + k);
        }
        first.touch(block.iter().copied());
        for (k, &t) in block.iter().enumerate() {
            let i = start + k;
            if keyed(i) {
                if let Some(j) = first.first_of(t, i, |j| same(i, j)) {
                    copies.push((i, j));
                }
            }
        }
    }
    copies
}

/// The first row of each key, in an open-addressing table of `(tag, row)` pairs: one flat
/// array of 8-byte slots sized once (at least twice the rows), so a lookup over a million
/// deals costs about one cache miss; a key is compared only when its tag matches. What
/// [`later_copies`] looks in (quality's duplicates and spelling variants, the training deals'
/// ids), and where each history row's deal is found ([`HistoryDeals`](super::HistoryDeals)).
pub(crate) struct FirstSeen {
    /// `(tag, row + 1)`; row 0 marks a free slot. The length is a power of two.
    slots: Vec<(u32, u32)>,
}

impl FirstSeen {
    pub(crate) fn with_rows(rows: usize) -> FirstSeen {
        FirstSeen { slots: vec![(0, 0); (rows * 2).next_power_of_two().max(16)] }
    }

    /// Reads the home slot of each of `tags`: loads that depend on nothing but the tags, so
    /// their cache misses overlap, and the lookups of those tags that follow find their slots
    /// in cache (as [`SymIndex`]'s batches do: wasm has no prefetch instruction).
    pub(crate) fn touch(&self, tags: impl Iterator<Item = u32>) {
        let mask = self.slots.len() - 1;
        let sum = tags.fold(0u32, |sum, tag| sum.wrapping_add(self.slots[tag as usize & mask].1));
        std::hint::black_box(sum);
    }

    /// The earlier row with the key of `row`, if any (`same(earlier)` says whether an earlier
    /// row whose tag matches has it); when none has, `row` is recorded as the key's first.
    pub(crate) fn first_of(&mut self, tag: u32, row: usize, mut same: impl FnMut(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = tag as usize & mask;
        loop {
            let (t, first) = self.slots[i];
            if first == 0 {
                self.slots[i] = (tag, row as u32 + 1);
                return None;
            }
            if t == tag && same(first as usize - 1) {
                return Some(first as usize - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// The first recorded row whose tag is `tag`, if any: the row [`FirstSeen::find`] gives when
    /// that row has the key (a caller can load that row's key first, with others').
    pub(crate) fn candidate(&self, tag: u32) -> Option<usize> {
        self.find(tag, |_| true)
    }

    /// The recorded row with a key (`same(row)` says whether a recorded row whose tag matches
    /// has it), if any; records nothing.
    pub(crate) fn find(&self, tag: u32, mut same: impl FnMut(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = tag as usize & mask;
        loop {
            let (t, first) = self.slots[i];
            if first == 0 {
                return None;
            }
            if t == tag && same(first as usize - 1) {
                return Some(first as usize - 1);
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal tags only make candidates: with every row given the same tag (all collide), the
    /// keys decide, each copy is paired with its key's first row, and rows outside `keyed` are
    /// neither copies nor firsts. More rows than one block of touched slots.
    #[test]
    fn later_copies_are_decided_by_keys_not_tags() {
        let keys: Vec<u32> = (0..1500).map(|i| [7, 3, 7, 9, 3, 0][i % 6] + 10 * (i as u32 / 600)).collect();
        let keyed = |i: usize| !keys[i].is_multiple_of(10);
        let got = later_copies(keys.len(), keyed, |_| 42, |i, j| keys[i] == keys[j]);
        let mut first = std::collections::HashMap::new();
        let want: Vec<(usize, usize)> = (0..keys.len())
            .filter(|&i| keyed(i))
            .filter_map(|i| match first.entry(keys[i]) {
                std::collections::hash_map::Entry::Occupied(e) => Some((i, *e.get())),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(&got[..3], &[(2, 0), (4, 1), (6, 0)]);
    }
}
