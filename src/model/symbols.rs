//! Symbol columns: repetitive text (owners, stages, accounts, sources…) as one code per row and
//! a dictionary of the distinct names in one arena, with the dictionary's hash index.

use super::codes::{Codes, Sym};
use super::hash::tag_of;
use super::reserve_to;
use super::short::{ShortKey, ShortTexts};

/// Repetitive text (owners, stages, accounts, sources…): one code per row plus a dictionary.
/// The dictionary keeps every distinct name in one arena (like
/// [`TextColumn`](super::TextColumn)), so a column with half a million distinct accounts costs a
/// few allocations, not half a million.
#[derive(Clone, Debug)]
pub struct SymbolColumn {
    pub codes: Codes,
    /// The distinct names, back to back; `ends[code]` is where name `code` ends.
    text: String,
    ends: Vec<usize>,
    index: SymIndex,
    /// Cells pushed by [`SymbolColumn::push_batched`] whose codes are not written yet.
    pending: Pending,
    /// The codes of short names, for [`SymbolColumn::intern_cached`] (made on its first call).
    short: Option<ShortTexts<Sym>>,
}

/// Cells waiting to be interned together: their text back to back, where each ends, and
/// their tags.
#[derive(Clone, Debug, Default)]
struct Pending {
    text: String,
    ends: Vec<usize>,
    tags: Vec<u32>,
}

/// Cells interned together by [`SymbolColumn::push_batched`]: enough for their cache misses
/// to overlap, few enough for what they load to stay in cache until it is read.
const BATCH: usize = 512;

/// Index slots (16 bytes each, 256 KiB) up to which lookups find their slots in cache, so
/// cells are interned as they come.
const CACHED_SLOTS: usize = 1 << 14;

impl Default for SymbolColumn {
    fn default() -> Self {
        let mut column = SymbolColumn {
            codes: Codes::default(),
            text: String::new(),
            ends: Vec::new(),
            index: SymIndex::default(),
            pending: Pending::default(),
            short: None,
        };
        column.intern("");
        column
    }
}

/// The dictionary's hash index: open addressing over [`Slot`]s, so a lookup compares 32-bit
/// tags in one flat array and reads a name only when its tag matches (interning runs for every
/// cell of every repetitive column, so this is a hot path). The tag also picks the slot, so
/// growing the index moves slots without reading or re-hashing a single name; and a slot says
/// where its name is, so a lookup goes from the slot to the name's bytes without a third read.
#[derive(Clone, Debug, Default)]
struct SymIndex {
    /// `code == EMPTY_SLOT` marks a free slot. The length is a power of two.
    slots: Vec<Slot>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    tag: u32,
    code: Sym,
    /// Where the name starts in the column's text and its length in bytes; `FAR` when either
    /// does not fit in 32 bits (a column with over 4 GiB of distinct names: its names are then
    /// found through their ends, one read more).
    start: u32,
    len: u32,
}

impl Slot {
    /// The slot of name `code`, `len` bytes from `start` in the column's text.
    fn new(tag: u32, code: Sym, start: usize, len: usize) -> Slot {
        match (u32::try_from(start), u32::try_from(len)) {
            (Ok(start), Ok(len)) if start != FAR && len != FAR => Slot { tag, code, start, len },
            _ => Slot { tag, code, start: FAR, len: FAR },
        }
    }
}

const EMPTY_SLOT: Sym = Sym::MAX;
const FAR: u32 = u32::MAX;
const FREE: Slot = Slot { tag: 0, code: EMPTY_SLOT, start: 0, len: 0 };

/// Byte equality, inlined: names are short, and a call into the C library's `memcmp` per
/// cell cost more than the comparison.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        if x != y {
            return false;
        }
    }
    ca.remainder().iter().zip(cb.remainder()).all(|(x, y)| x == y)
}

impl SymIndex {
    /// The code of `text` (whose tag is `tag`), or the free slot where it belongs.
    #[inline]
    fn find(&self, names: Names<'_>, tag: u32, text: &str) -> Result<Sym, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut i = tag as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.code == EMPTY_SLOT {
                return Err(i);
            }
            if slot.tag == tag && Self::holds(slot, names, text.as_bytes()) {
                return Ok(slot.code);
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn holds(slot: Slot, names: Names<'_>, text: &[u8]) -> bool {
        if slot.start == FAR {
            return same_bytes(names.get(slot.code).as_bytes(), text);
        }
        slot.len as usize == text.len()
            && same_bytes(&names.text.as_bytes()[slot.start as usize..slot.start as usize + text.len()], text)
    }

    /// Reads the home slot of each of `tags`, then the first byte of the name that slot
    /// points to when its tag matches: loads that depend on nothing but the tags, so their
    /// cache misses overlap (out-of-order execution overlaps misses only when little else
    /// comes between them, and wasm has no prefetch instruction: a plain load in a row's
    /// work, in place of one, measured 5 % slower in V8). The lookups of `tags` that follow
    /// then find their slot and name in cache.
    fn touch(&self, names: Names<'_>, tags: &[u32]) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut sum = 0u32;
        for &tag in tags {
            sum = sum.wrapping_add(self.slots[tag as usize & mask].tag);
        }
        let bytes = names.text.as_bytes();
        for &tag in tags {
            let slot = self.slots[tag as usize & mask];
            // (An empty name may start at the end of the names' text.)
            if let (true, Some(&first)) = (slot.tag == tag && slot.code != EMPTY_SLOT, bytes.get(slot.start as usize)) {
                sum = sum.wrapping_add(u32::from(first));
            }
        }
        std::hint::black_box(sum);
    }

    /// Adds `new_code` (the `len`-th name, `name` bytes from `start`) at `slot`, or where it
    /// falls after growing.
    fn insert(&mut self, len: usize, slot: usize, tag: u32, new_code: Sym, start: usize, name: usize) {
        let new = Slot::new(tag, new_code, start, name);
        if Self::crowded(len, self.slots.len()) {
            self.reserve(len);
            self.place(new);
        } else {
            self.slots[slot] = new;
        }
    }

    /// Whether `slots` slots are too few for `names` names: over three quarters full. Half
    /// the memory of a table kept at most half full (16 MiB, not 32, for the ~700,000 accounts
    /// of a million deals), for longer probes that mostly stay in the cache line of the
    /// first slot (four slots a line): at a million deals, the same ingest time in V8.
    fn crowded(names: usize, slots: usize) -> bool {
        names.saturating_mul(4) > slots.saturating_mul(3)
    }

    /// Grows now to hold `names` names without growing again.
    fn reserve(&mut self, names: usize) {
        if Self::crowded(names, self.slots.len()) {
            let size = (names.saturating_mul(4) / 3 + 1).next_power_of_two().max(16);
            let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
            for s in old.into_iter().filter(|s| s.code != EMPTY_SLOT) {
                self.place(s);
            }
        }
    }

    fn place(&mut self, s: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = s.tag as usize & mask;
        while self.slots[i].code != EMPTY_SLOT {
            i = (i + 1) & mask;
        }
        self.slots[i] = s;
    }
}

/// A symbol column's distinct names, by code (code 0 is "").
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Names<'a> {
    /// The number of distinct names, "" included.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The name of `code`.
    #[inline]
    pub fn get(&self, code: Sym) -> &'a str {
        let i = code as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
    /// The names in code order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &'a str> + ExactSizeIterator + Clone + 'a {
        let names = *self;
        (0..self.len() as Sym).map(move |code| names.get(code))
    }
}

impl SymbolColumn {
    /// The code of `text`, adding it to the dictionary when new.
    #[inline]
    pub fn intern(&mut self, text: &str) -> Sym {
        self.intern_tagged(text, tag_of(text))
    }
    #[inline]
    fn intern_tagged(&mut self, text: &str, tag: u32) -> Sym {
        if self.index.slots.is_empty() && !self.ends.is_empty() {
            self.reindex();
        }
        match self.index.find(self.names(), tag, text) {
            Ok(code) => code,
            Err(slot) => {
                let code = self.ends.len() as Sym;
                let start = self.text.len();
                self.text.push_str(text);
                self.ends.push(self.text.len());
                self.index.insert(self.ends.len(), slot, tag, code, start, text.len());
                code
            }
        }
    }
    /// [`SymbolColumn::intern`] for a column of few distinct names, most of them short (a
    /// file's owners, stages, regions): a short name is looked up by its bytes first, in a
    /// small table made on the first call.
    #[inline]
    pub fn intern_cached(&mut self, text: &str) -> Sym {
        let Some(key) = ShortKey::of(text) else { return self.intern(text) };
        if let Some(code) = self.short.get_or_insert_with(ShortTexts::default).get(key) {
            return code;
        }
        let code = self.intern(text);
        self.short.as_mut().expect("made above").put(key, code);
        code
    }
    pub fn push(&mut self, text: &str) {
        debug_assert!(self.pending.tags.is_empty(), "push after push_batched without flush");
        let code = self.intern(text);
        self.codes.push(code);
    }
    /// [`SymbolColumn::push`] for a column filled row by row (a file's rows). Once the index
    /// has outgrown the caches (a column of accounts or ids), cells are held and interned
    /// [`BATCH`] at a time, their slots and names loaded first, all at once: at a million
    /// deals with ~700,000 accounts, one lookup after another waited for two cache misses
    /// each. Codes are as [`SymbolColumn::push`] gives them (first seen, first coded), but
    /// those of held cells are written by [`SymbolColumn::flush`], which must run before
    /// `codes` is read.
    #[inline]
    pub fn push_batched(&mut self, text: &str) {
        let pending = &mut self.pending;
        if pending.tags.is_empty() && self.index.slots.len() <= CACHED_SLOTS {
            let code = self.intern_cached(text);
            self.codes.push(code);
            return;
        }
        pending.text.push_str(text);
        pending.ends.push(pending.text.len());
        pending.tags.push(tag_of(text));
        if pending.tags.len() == BATCH {
            self.flush();
        }
    }
    /// Ends interning for now (a file read): writes the codes of the cells
    /// [`SymbolColumn::push_batched`] holds, frees what only interning needs (the index: 16 MiB
    /// for the ~700,000 accounts of a million deals; the short names' table) and gives back
    /// spare room, for the stages that only read the column. A wasm heap never shrinks, but
    /// what is freed here is reused by those stages. Interning again (files joined) first
    /// makes the index anew.
    pub fn seal(&mut self) {
        self.flush();
        self.index = SymIndex::default();
        self.short = None;
        self.pending = Pending::default();
        self.codes.shrink_to_fit();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
    /// The index of every name, made anew after [`SymbolColumn::seal`] freed it (a column
    /// always holds "", so an empty index beside names is a sealed one).
    #[cold]
    fn reindex(&mut self) {
        let mut index = SymIndex::default();
        index.reserve(self.ends.len());
        let mut start = 0;
        for (code, &end) in self.ends.iter().enumerate() {
            index.place(Slot::new(tag_of(&self.text[start..end]), code as Sym, start, end - start));
            start = end;
        }
        self.index = index;
    }
    /// Interns the cells held by [`SymbolColumn::push_batched`], in the order they came, and
    /// writes their codes.
    pub fn flush(&mut self) {
        if self.pending.tags.is_empty() {
            return;
        }
        if self.index.slots.is_empty() {
            self.reindex();
        }
        let pending = std::mem::take(&mut self.pending);
        // Room for every held name to be new, so no lookup moves what was loaded.
        self.index.reserve(self.ends.len() + pending.tags.len());
        self.index.touch(self.names(), &pending.tags);
        let mut start = 0;
        for (&end, &tag) in pending.ends.iter().zip(&pending.tags) {
            let code = self.intern_tagged(&pending.text[start..end], tag);
            self.codes.push(code);
            start = end;
        }
        self.pending = pending;
        self.pending.text.clear();
        self.pending.ends.clear();
        self.pending.tags.clear();
    }
    /// Makes room for `rows` rows in all: the codes and, for a column of many names (accounts,
    /// ids), the dictionary too, at the rate names have come so far (what is not used,
    /// [`SymbolColumn::seal`] gives back). Grown by doubling instead, a dictionary leaves its
    /// outgrown buffers in a wasm heap as holes: 30 MiB of text and ends for the ~700,000
    /// accounts of a million deals.
    pub fn reserve_rows(&mut self, rows: usize) {
        let (done, names) = (self.codes.len(), self.ends.len());
        self.codes.reserve_rows(rows);
        // More than one new name in 8 rows.
        if done > 0 && names.saturating_mul(8) > done {
            let expected = (names as u128 * rows as u128 / done as u128).min(rows as u128) as usize;
            let per_name = self.text.len().div_ceil(names);
            reserve_to(&mut self.ends, expected);
            self.text.reserve_exact(expected.saturating_sub(names).saturating_mul(per_name));
        }
    }
    pub fn push_code(&mut self, code: Sym) {
        self.codes.push(code);
    }
    /// Keeps the rows whose `keep` flag is set; the symbol table is unchanged.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.codes.retain_rows(keep);
    }
    /// The text of row `row` ("" when missing).
    pub fn get(&self, row: usize) -> &str {
        self.names().get(self.codes.get(row))
    }
    pub fn name(&self, code: Sym) -> &str {
        self.names().get(code)
    }
    pub fn lookup(&self, text: &str) -> Option<Sym> {
        if self.index.slots.is_empty() {
            // Sealed: no index to look in.
            return self.names().iter().position(|name| name == text).map(|code| code as Sym);
        }
        self.index.find(self.names(), tag_of(text), text).ok()
    }
    /// Distinct values including "" at code 0.
    pub fn names(&self) -> Names<'_> {
        Names { text: &self.text, ends: &self.ends }
    }
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    /// Appends another column's rows, re-coding them into this dictionary (after coding the
    /// cells this one holds, so codes stay first seen, first coded). `other` has none held
    /// (it is sealed, or was filled without batching).
    /// Its codes, names and where each name ends (for [`crate::model::wire`]); no cell may be
    /// waiting to be interned ([`SymbolColumn::flush`] first).
    pub(super) fn parts(&self) -> (&Codes, &str, &[usize]) {
        debug_assert!(self.pending.tags.is_empty(), "a column with held cells is written");
        (&self.codes, &self.text, &self.ends)
    }
    pub fn extend_from(&mut self, other: &SymbolColumn) {
        self.flush();
        debug_assert!(other.pending.tags.is_empty(), "a column with held cells is extended from");
        let recode: Vec<Sym> = other.names().iter().map(|n| self.intern(n)).collect();
        self.codes.reserve_rows(self.len() + other.len());
        for c in other.codes.iter() {
            self.codes.push(recode[c as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_intern_and_recode() {
        let mut a = SymbolColumn::default();
        a.push("Ann");
        a.push("Bob");
        a.push("Ann");
        assert_eq!(a.codes.to_vec(), vec![1, 2, 1]);
        let mut b = SymbolColumn::default();
        b.push("Bob");
        b.push("");
        b.extend_from(&a);
        assert_eq!(b.get(2), "Ann");
        assert_eq!(b.get(3), "Bob");
        assert_eq!(b.codes.get(3), b.codes.get(0));
        assert_eq!(b.get(1), "");
    }

    #[test]
    fn symbols_grow_and_look_up() {
        let mut a = SymbolColumn::default();
        let names: Vec<String> = (0..5000).map(|i| format!("Account {i}")).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(a.intern(n), i as Sym + 1);
        }
        for (i, n) in names.iter().enumerate().rev() {
            assert_eq!(a.intern(n), i as Sym + 1);
            assert_eq!(a.lookup(n), Some(i as Sym + 1));
            assert_eq!(a.name(i as Sym + 1), n);
        }
        assert_eq!(a.lookup(""), Some(0));
        assert_eq!(a.lookup("Account 5000"), None);
        assert_eq!(a.lookup("Account 1 "), None);
        assert_eq!(a.names().len(), 5001);
        assert!(same_bytes(b"Closed Won!", b"Closed Won!"));
        assert!(!same_bytes(b"Closed Won!", b"Closed Won?"));
        assert!(!same_bytes(b"Closed Won", b"Closed Wo"));
        assert!(!same_bytes(b"abcdefgh", b"abcdefgi"));
    }

    #[test]
    fn short_names_found_by_their_words_are_the_names_pushed() {
        // Two letters and a NUL, lengths 0 to 18: names that share their first and last
        // words, differ only in the middle or in length, or end in zero bytes.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let distinct: Vec<String> = (0..3000)
            .map(|_| {
                let len = (next() % 19) as usize;
                (0..len).map(|_| ['a', 'b', '\0'][(next() % 3) as usize]).collect()
            })
            .collect();
        let (mut plain, mut batched) = (SymbolColumn::default(), SymbolColumn::default());
        for _ in 0..60_000 {
            let name = &distinct[(next() % distinct.len() as u64) as usize];
            plain.push(name);
            batched.push_batched(name);
        }
        batched.flush();
        assert!(batched.short.is_some(), "a small column goes through the short names");
        assert_eq!(plain.codes, batched.codes);
        assert_eq!(plain.names().iter().collect::<Vec<_>>(), batched.names().iter().collect::<Vec<_>>());
    }

    #[test]
    fn batched_pushes_code_as_plain_pushes_do_empty_names_included() {
        // Enough names for the index to outgrow the cached size, so cells go through batches
        // (their slots and names loaded before the lookups), the empty name among them.
        let (mut plain, mut batched) = (SymbolColumn::default(), SymbolColumn::default());
        for i in 0..40_000 {
            let name = if i % 7 == 0 { String::new() } else { format!("Account {}", i % 20_000) };
            plain.push(&name);
            batched.push_batched(&name);
        }
        batched.flush();
        assert!(batched.index.slots.len() > CACHED_SLOTS, "the batched path ran");
        assert_eq!(plain.codes, batched.codes);
        assert_eq!(batched.names().iter().collect::<Vec<_>>(), plain.names().iter().collect::<Vec<_>>());
    }

    #[test]
    fn a_sealed_column_reads_the_same_and_interns_on_as_before() {
        // Past the cached index size, so the batched path and its held cells are sealed too.
        let name =
            |i: usize| if i.is_multiple_of(11) { String::new() } else { format!("Account {}", (i * 7919) % 30_011) };
        let (mut open, mut sealed) = (SymbolColumn::default(), SymbolColumn::default());
        sealed.reserve_rows(50);
        for i in 0..60_000 {
            open.push(&name(i));
            sealed.push_batched(&name(i));
            if i == 100 {
                // Past a few rows, many names: the dictionary is reserved for 70,000 rows.
                sealed.reserve_rows(70_000);
                assert!(sealed.text.capacity() > 69 * sealed.text.len());
            }
        }
        sealed.seal();
        assert!(sealed.index.slots.is_empty() && sealed.short.is_none(), "interning's tables are freed");
        assert_eq!((sealed.codes.capacity(), sealed.text.capacity()), (sealed.codes.len(), sealed.text.len()));
        assert_eq!(open.codes, sealed.codes);
        assert_eq!(open.names().iter().collect::<Vec<_>>(), sealed.names().iter().collect::<Vec<_>>());
        assert_eq!(sealed.lookup("Account 17"), open.lookup("Account 17"));
        assert_eq!(sealed.lookup(""), Some(0));
        assert_eq!(sealed.lookup("no such account"), None);
        // Joined with another file's rows: the index is made anew, names already met keep
        // their codes, new ones come after.
        for i in 60_000..80_000 {
            open.push(&name(i));
            sealed.push_batched(&name(i));
        }
        sealed.flush();
        sealed.push("a new one");
        open.push("a new one");
        assert_eq!(open.codes, sealed.codes);
        assert_eq!(open.names().iter().collect::<Vec<_>>(), sealed.names().iter().collect::<Vec<_>>());
    }

    #[test]
    fn batched_pushes_code_as_plain_pushes_do() {
        // Past the cached index size (batched), then flushed mid-batch; repeats and new names.
        let rows: Vec<String> = (0..100_003).map(|i| format!("Account {}", (i * 7919) % 30_011)).collect();
        let (mut plain, mut batched) = (SymbolColumn::default(), SymbolColumn::default());
        for r in &rows {
            plain.push(r);
            batched.push_batched(r);
        }
        assert!(batched.codes.len() < rows.len(), "cells are held once the index is large");
        batched.flush();
        assert_eq!(plain.codes, batched.codes);
        assert_eq!(plain.names().iter().collect::<Vec<_>>(), batched.names().iter().collect::<Vec<_>>());
        assert_eq!(batched.lookup("Account 17"), plain.lookup("Account 17"));
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn names_past_4_gib_are_found_through_their_ends() {
        // A slot whose name starts past u32::MAX (a column with over 4 GiB of distinct names)
        // holds FAR and is compared through the names' ends; set up by hand, as the real case
        // needs 4 GiB of text.
        let text = "AcmeInitech";
        let ends = [0usize, 4, 11];
        let names = Names { text, ends: &ends };
        let mut index = SymIndex::default();
        index.insert(1, usize::MAX, tag_of("Acme"), 1, 0, 4);
        let (tag, far) = (tag_of("Initech"), 5_000_000_000usize);
        let Err(slot) = index.find(names, tag, "Initech") else { panic!("not yet there") };
        index.insert(2, slot, tag, 2, far, 7);
        assert!(index.slots.iter().any(|s| s.code == 2 && s.start == FAR && s.len == FAR));
        assert_eq!(index.find(names, tag, "Initech"), Ok(2));
        assert_eq!(index.find(names, tag_of("Acme"), "Acme"), Ok(1));
        assert!(index.find(names, tag, "Initecx").is_err());
    }
}
