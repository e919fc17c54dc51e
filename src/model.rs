//! Canonical records, stored column by column.
//!
//! The model knows no file format. Each kind of record (deals, leads, stage changes,
//! revenue lines, spend, quotas, other income) is a struct of columns: amounts as `f64`
//! (NaN when missing), dates as day numbers ([`Day`], [`NO_DAY`] when missing), and the
//! repetitive text (owner, stage, account, …) interned as [`Sym`] codes. Free text that is
//! unique per row (ids, names) lives in one arena per column ([`TextColumn`]), so a million
//! rows cost a handful of allocations, not millions.
//!
//! [`Deal`] and friends are borrowed row views for code that wants a record at a time.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days since 1970-01-01 (negative before).
pub type Day = i32;
/// A missing date.
pub const NO_DAY: Day = i32::MIN;

const UNIX_EPOCH_CE: i32 = 719_163;

/// Day number of a calendar date.
pub fn day_from_date(date: NaiveDate) -> Day {
    date.num_days_from_ce() - UNIX_EPOCH_CE
}

/// Calendar date of a day number (`None` for [`NO_DAY`] or out of range).
pub fn date_from_day(day: Day) -> Option<NaiveDate> {
    if day == NO_DAY {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(UNIX_EPOCH_CE)?)
}

/// Day number of `year-month-day`, if it is a real date.
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    NaiveDate::from_ymd_opt(year, month, day).map(day_from_date)
}

/// Day number of a `YYYY-MM-DD` text: what `NaiveDate::parse_from_str(text, "%Y-%m-%d")` accepts,
/// with its result, without chrono's format-string parser (a few KB of the wasm module). Each
/// number may follow white space; the year has up to 4 digits, or any number after a sign; month
/// and day 1 or 2 digits; nothing may follow the day. The reading's equivalence to chrono's is
/// tested below.
pub fn day_from_iso(text: &str) -> Option<Day> {
    /// 1 to `max` ASCII digits at the start of `s` (`None` if none or on overflow), and the rest.
    fn number(s: &str, max: usize) -> Option<(i64, &str)> {
        let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let value = s.as_bytes()[..digits]
            .iter()
            .try_fold(0i64, |n, &c| n.checked_mul(10)?.checked_add(i64::from(c - b'0')))?;
        Some((value, &s[digits..]))
    }
    let s = text.trim_start();
    let (year, s) = if let Some(rest) = s.strip_prefix('-') {
        let (v, rest) = number(rest, usize::MAX)?;
        (v.checked_neg()?, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let (month, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let (day, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    if !s.is_empty() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    day_from_ymd(i32::try_from(year).ok()?, month as u32, day as u32)
}

/// `YYYY-MM-DD` of a day number (`None` for [`NO_DAY`] or out of range): chrono's `%Y-%m-%d`
/// (a signed year beyond 0–9999), written by the date's `Display`.
pub fn iso_from_day(day: Day) -> Option<String> {
    date_from_day(day).map(|d| d.to_string())
}

/// An interned string: an index into a [`SymbolColumn`]'s dictionary. 0 is always "" (missing).
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
    fn push(&mut self, code: Sym) {
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
    fn capacity(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity(),
            Codes::U32(v) => v.capacity(),
        }
    }
    fn reserve_rows(&mut self, rows: usize) {
        match self {
            Codes::U8(v) => reserve_to(v, rows),
            Codes::U16(v) => reserve_to(v, rows),
            Codes::U32(v) => reserve_to(v, rows),
        }
    }
    fn shrink_to_fit(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }
    fn retain_rows(&mut self, keep: &[bool]) {
        match self {
            Codes::U8(v) => retain_by(v, keep),
            Codes::U16(v) => retain_by(v, keep),
            Codes::U32(v) => retain_by(v, keep),
        }
    }
}

/// Repetitive text (owners, stages, accounts, sources…): one code per row plus a dictionary.
/// The dictionary keeps every distinct name in one arena (like [`TextColumn`]), so a column with
/// half a million distinct accounts costs a few allocations, not half a million.
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

/// Values of short texts (up to 16 bytes: owners, stages, regions, dates…), each kept with its
/// bytes as two words in a small direct-mapped table: a text found there costs two word loads
/// and a compare, not a hash of its bytes, a probe and a byte comparison (or a parse). A cache:
/// a text missing (or evicted by another) is worked out the usual way and put there.
#[derive(Clone, Debug)]
pub struct ShortTexts<V: Copy> {
    entries: Box<[ShortText<V>; SHORT_ENTRIES]>,
}

#[derive(Clone, Copy, Debug)]
struct ShortText<V> {
    words: [u64; 2],
    len: u32,
    /// `None` in an entry never filled.
    value: Option<V>,
}

/// A text's key in [`ShortTexts`]: its bytes as two words, its length, and its entry.
#[derive(Clone, Copy, Debug)]
pub struct ShortKey {
    words: [u64; 2],
    len: u32,
    at: usize,
}

const SHORT_ENTRIES: usize = 256;

impl ShortKey {
    /// `None` when `text` is longer than 16 bytes. The words are read whole at both ends,
    /// overlapping when shorter (no copy of a variable length): with the length beside them,
    /// they tell one text from another.
    #[inline]
    pub fn of(text: &str) -> Option<ShortKey> {
        let b = text.as_bytes();
        let n = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        let half = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes")));
        let words = match n {
            17.. => return None,
            8.. => [word(0), word(n - 8)],
            4.. => [half(0) | half(n - 4) << 32, 0],
            1.. => [u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0],
            0 => [0, 0],
        };
        let h = (words[0] ^ words[1].rotate_left(29) ^ n as u64).wrapping_mul(0xf135_7aea_2e62_a9c5);
        Some(ShortKey { words, len: n as u32, at: (h >> 56) as usize })
    }
}

impl<V: Copy> Default for ShortTexts<V> {
    fn default() -> Self {
        ShortTexts { entries: Box::new([ShortText { words: [0; 2], len: 0, value: None }; SHORT_ENTRIES]) }
    }
}

impl<V: Copy> ShortTexts<V> {
    /// The value kept for the text of `key`, if it is there.
    #[inline]
    pub fn get(&self, key: ShortKey) -> Option<V> {
        let entry = &self.entries[key.at];
        if entry.words == key.words && entry.len == key.len {
            entry.value
        } else {
            None
        }
    }
    /// Keeps `value` for the text of `key` (in place of the text that had its entry).
    #[inline]
    pub fn put(&mut self, key: ShortKey, value: V) {
        self.entries[key.at] = ShortText { words: key.words, len: key.len, value: Some(value) };
    }
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

/// A 64-bit multiply-xor hash of a text's bytes read eight at a time (`FxHasher` on wasm32 is
/// 32 bits wide and reads four).
#[inline]
pub(crate) fn hash_text(text: &str) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let bytes = text.as_bytes();
    let mix = |h: u64, word: u64| {
        let h = (h ^ word).wrapping_mul(K);
        h ^ (h >> 32)
    };
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        h = mix(h, u64::from_le_bytes(word.try_into().expect("eight bytes")));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(last));
    }
    h.wrapping_mul(K)
}

/// The 32-bit tag of a name in a symbol column's index: the well-mixed high half of
/// [`hash_text`].
#[inline]
pub(crate) fn tag_of(text: &str) -> u32 {
    (hash_text(text) >> 32) as u32
}

/// The 32-bit tag of a row's key (an id, a tuple of codes and values) in the first-seen tables:
/// its Fx hash with both halves folded, since on 32-bit targets the high half is zero. Fx mixes
/// less than [`tag_of`], and that helps here: ids written in sequence (as CRMs number records)
/// get slots near one another, so rows looked up in file order hit the cache more (at a
/// million deals, training deals' ids took 100 ms with it and 180 ms with [`tag_of`]).
#[inline]
pub(crate) fn tag_of_key<K: std::hash::Hash>(key: &K) -> u32 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(key);
    (hash ^ (hash >> 32)) as u32
}

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
/// ids).
struct FirstSeen {
    /// `(tag, row + 1)`; row 0 marks a free slot. The length is a power of two.
    slots: Vec<(u32, u32)>,
}

impl FirstSeen {
    fn with_rows(rows: usize) -> FirstSeen {
        FirstSeen { slots: vec![(0, 0); (rows * 2).next_power_of_two().max(16)] }
    }

    /// Reads the home slot of each of `tags`: loads that depend on nothing but the tags, so
    /// their cache misses overlap, and the lookups of those tags that follow find their slots
    /// in cache (as [`SymIndex`]'s batches do: wasm has no prefetch instruction).
    fn touch(&self, tags: impl Iterator<Item = u32>) {
        let mask = self.slots.len() - 1;
        let sum = tags.fold(0u32, |sum, tag| sum.wrapping_add(self.slots[tag as usize & mask].1));
        std::hint::black_box(sum);
    }

    /// The earlier row with the key of `row`, if any (`same(earlier)` says whether an earlier
    /// row whose tag matches has it); when none has, `row` is recorded as the key's first.
    fn first_of(&mut self, tag: u32, row: usize, mut same: impl FnMut(usize) -> bool) -> Option<usize> {
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
    /// Appends another column's rows, re-coding them into this dictionary.
    pub fn extend_from(&mut self, other: &SymbolColumn) {
        let recode: Vec<Sym> = other.names().iter().map(|n| self.intern(n)).collect();
        self.codes.reserve_rows(self.len() + other.len());
        for c in other.codes.iter() {
            self.codes.push(recode[c as usize]);
        }
    }
}

/// Makes room in a column for `rows` rows in all, in one allocation.
fn reserve_to<T>(column: &mut Vec<T>, rows: usize) {
    column.reserve_exact(rows.saturating_sub(column.len()));
}

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
    pub fn extend_from(&mut self, other: &TextColumn) {
        for v in other.iter() {
            self.push(v);
        }
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

/// Keeps the elements whose `keep` flag is set (elements past the end of `keep` are kept).
fn retain_by<T>(values: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    values.retain(|_| flags.next().copied().unwrap_or(true));
}

/// Where a row came from: the file's index in [`Dataset::files`] and its 1-based line.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// Whether a deal is still open, won or lost.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Won,
    Lost,
}

/// All deals (opportunities) of a dataset.
#[derive(Clone, Debug, Default)]
pub struct Deals {
    pub id: TextColumn,
    pub name: TextColumn,
    pub account: SymbolColumn,
    pub owner: SymbolColumn,
    pub stage: SymbolColumn,
    pub status: Vec<Status>,
    /// In the row's own currency; NaN when missing.
    pub amount: Vec<f64>,
    /// ISO code or symbol as written; "" when the export has no currency.
    pub currency: SymbolColumn,
    /// 0..=1; NaN when missing.
    pub probability: Vec<f64>,
    pub created: Vec<Day>,
    /// Actual close date for closed deals, expected close date for open ones.
    pub close: Vec<Day>,
    pub forecast_category: SymbolColumn,
    pub lead_source: SymbolColumn,
    pub deal_type: SymbolColumn,
    pub region: SymbolColumn,
    pub product: SymbolColumn,
    pub origin: Vec<Origin>,
}

/// One deal, borrowed from [`Deals`].
#[derive(Clone, Copy, Debug)]
pub struct Deal<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub account: &'a str,
    pub owner: &'a str,
    pub stage: &'a str,
    pub status: Status,
    pub amount: f64,
    pub currency: &'a str,
    pub probability: f64,
    pub created: Day,
    pub close: Day,
    pub forecast_category: &'a str,
    pub lead_source: &'a str,
    pub deal_type: &'a str,
    pub region: &'a str,
    pub product: &'a str,
    pub origin: Origin,
}

impl Default for Deal<'_> {
    /// An open deal with nothing else known: empty text, no amount or probability (NaN), no
    /// dates. Fill in what a test or a caller knows with `Deal { …, ..Deal::default() }`.
    fn default() -> Self {
        Deal {
            id: "",
            name: "",
            account: "",
            owner: "",
            stage: "",
            status: Status::Open,
            amount: f64::NAN,
            currency: "",
            probability: f64::NAN,
            created: NO_DAY,
            close: NO_DAY,
            forecast_category: "",
            lead_source: "",
            deal_type: "",
            region: "",
            product: "",
            origin: Origin::default(),
        }
    }
}

impl Deals {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [
            &mut self.account,
            &mut self.owner,
            &mut self.stage,
            &mut self.currency,
            &mut self.forecast_category,
            &mut self.lead_source,
            &mut self.deal_type,
            &mut self.region,
            &mut self.product,
        ] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.id.reserve_rows(rows);
        self.name.reserve_rows(rows);
        self.account.reserve_rows(rows);
        self.owner.reserve_rows(rows);
        self.stage.reserve_rows(rows);
        reserve_to(&mut self.status, rows);
        reserve_to(&mut self.amount, rows);
        self.currency.reserve_rows(rows);
        reserve_to(&mut self.probability, rows);
        reserve_to(&mut self.created, rows);
        reserve_to(&mut self.close, rows);
        self.forecast_category.reserve_rows(rows);
        self.lead_source.reserve_rows(rows);
        self.deal_type.reserve_rows(rows);
        self.region.reserve_rows(rows);
        self.product.reserve_rows(rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.status.len()
    }
    /// Appends one deal (each column gets its value).
    pub fn push(&mut self, d: Deal<'_>) {
        self.id.push(d.id);
        self.name.push(d.name);
        self.account.push(d.account);
        self.owner.push(d.owner);
        self.stage.push(d.stage);
        self.status.push(d.status);
        self.amount.push(d.amount);
        self.currency.push(d.currency);
        self.probability.push(d.probability);
        self.created.push(d.created);
        self.close.push(d.close);
        self.forecast_category.push(d.forecast_category);
        self.lead_source.push(d.lead_source);
        self.deal_type.push(d.deal_type);
        self.region.push(d.region);
        self.product.push(d.product);
        self.origin.push(d.origin);
    }
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }
    pub fn get(&self, i: usize) -> Deal<'_> {
        Deal {
            id: self.id.get(i),
            name: self.name.get(i),
            account: self.account.get(i),
            owner: self.owner.get(i),
            stage: self.stage.get(i),
            status: self.status[i],
            amount: self.amount[i],
            currency: self.currency.get(i),
            probability: self.probability[i],
            created: self.created[i],
            close: self.close[i],
            forecast_category: self.forecast_category.get(i),
            lead_source: self.lead_source.get(i),
            deal_type: self.deal_type.get(i),
            region: self.region.get(i),
            product: self.product.get(i),
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = Deal<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &Deals) {
        self.id.extend_from(&o.id);
        self.name.extend_from(&o.name);
        self.account.extend_from(&o.account);
        self.owner.extend_from(&o.owner);
        self.stage.extend_from(&o.stage);
        self.status.extend_from_slice(&o.status);
        self.amount.extend_from_slice(&o.amount);
        self.currency.extend_from(&o.currency);
        self.probability.extend_from_slice(&o.probability);
        self.created.extend_from_slice(&o.created);
        self.close.extend_from_slice(&o.close);
        self.forecast_category.extend_from(&o.forecast_category);
        self.lead_source.extend_from(&o.lead_source);
        self.deal_type.extend_from(&o.deal_type);
        self.region.extend_from(&o.region);
        self.product.extend_from(&o.product);
        self.origin.extend_from_slice(&o.origin);
    }
    /// Keeps the deals whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.id.retain_rows(keep);
        self.name.retain_rows(keep);
        self.account.retain_rows(keep);
        self.owner.retain_rows(keep);
        self.stage.retain_rows(keep);
        retain_by(&mut self.status, keep);
        retain_by(&mut self.amount, keep);
        self.currency.retain_rows(keep);
        retain_by(&mut self.probability, keep);
        retain_by(&mut self.created, keep);
        retain_by(&mut self.close, keep);
        self.forecast_category.retain_rows(keep);
        self.lead_source.retain_rows(keep);
        self.deal_type.retain_rows(keep);
        self.region.retain_rows(keep);
        self.product.retain_rows(keep);
        retain_by(&mut self.origin, keep);
    }
}

/// Leads or contacts with their lifecycle dates.
#[derive(Clone, Debug, Default)]
pub struct Leads {
    pub id: TextColumn,
    pub created: Vec<Day>,
    pub source: SymbolColumn,
    pub status: SymbolColumn,
    pub account: SymbolColumn,
    pub owner: SymbolColumn,
    pub mql: Vec<Day>,
    pub sql: Vec<Day>,
    pub opportunity: Vec<Day>,
    pub customer: Vec<Day>,
    /// Id of the deal the lead was converted to ("" when none).
    pub deal_id: TextColumn,
    pub origin: Vec<Origin>,
}

/// One lead, borrowed from [`Leads`].
#[derive(Clone, Copy, Debug)]
pub struct Lead<'a> {
    pub id: &'a str,
    pub created: Day,
    pub source: &'a str,
    pub status: &'a str,
    pub account: &'a str,
    pub owner: &'a str,
    pub mql: Day,
    pub sql: Day,
    pub opportunity: Day,
    pub customer: Day,
    pub deal_id: &'a str,
    pub origin: Origin,
}

impl Leads {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [&mut self.source, &mut self.status, &mut self.account, &mut self.owner] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.id.reserve_rows(rows);
        reserve_to(&mut self.created, rows);
        self.source.reserve_rows(rows);
        self.status.reserve_rows(rows);
        self.account.reserve_rows(rows);
        self.owner.reserve_rows(rows);
        reserve_to(&mut self.mql, rows);
        reserve_to(&mut self.sql, rows);
        reserve_to(&mut self.opportunity, rows);
        reserve_to(&mut self.customer, rows);
        self.deal_id.reserve_rows(rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.created.len()
    }
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
    }
    pub fn get(&self, i: usize) -> Lead<'_> {
        Lead {
            id: self.id.get(i),
            created: self.created[i],
            source: self.source.get(i),
            status: self.status.get(i),
            account: self.account.get(i),
            owner: self.owner.get(i),
            mql: self.mql[i],
            sql: self.sql[i],
            opportunity: self.opportunity[i],
            customer: self.customer[i],
            deal_id: self.deal_id.get(i),
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = Lead<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &Leads) {
        self.id.extend_from(&o.id);
        self.created.extend_from_slice(&o.created);
        self.source.extend_from(&o.source);
        self.status.extend_from(&o.status);
        self.account.extend_from(&o.account);
        self.owner.extend_from(&o.owner);
        self.mql.extend_from_slice(&o.mql);
        self.sql.extend_from_slice(&o.sql);
        self.opportunity.extend_from_slice(&o.opportunity);
        self.customer.extend_from_slice(&o.customer);
        self.deal_id.extend_from(&o.deal_id);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// A deal's history rows: a deal entering a stage (OpportunityHistory, HubSpot "Date entered
/// …"), with the close date and amount it had then when the row carries them (Salesforce's
/// Opportunity History has both on every row). A field-history row (`Field`, `New Value`)
/// changes one thing: a stage (then `close`/`amount` are missing), or a close date or amount
/// (then `stage` is empty).
#[derive(Clone, Debug, Default)]
pub struct StageChanges {
    pub deal_id: TextColumn,
    /// Empty on a row that changes only the close date or the amount.
    pub stage: SymbolColumn,
    pub at: Vec<Day>,
    /// The deal's close date as of this row; [`NO_DAY`] when the row does not carry one.
    pub close: Vec<Day>,
    /// The deal's amount as of this row (its own currency); NaN when the row does not carry one.
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

/// One history row, borrowed from [`StageChanges`].
#[derive(Clone, Copy, Debug)]
pub struct StageChange<'a> {
    pub deal_id: &'a str,
    /// Empty when the row changes only the close date or the amount.
    pub stage: &'a str,
    pub at: Day,
    pub close: Day,
    pub amount: f64,
    pub origin: Origin,
}

impl StageChanges {
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.deal_id.reserve_rows(rows);
        self.stage.reserve_rows(rows);
        reserve_to(&mut self.at, rows);
        reserve_to(&mut self.close, rows);
        reserve_to(&mut self.amount, rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.at.len()
    }
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    /// Appends one row.
    pub fn push(&mut self, c: StageChange<'_>) {
        self.deal_id.push(c.deal_id);
        self.stage.push(c.stage);
        self.at.push(c.at);
        self.close.push(c.close);
        self.amount.push(c.amount);
        self.origin.push(c.origin);
    }
    pub fn get(&self, i: usize) -> StageChange<'_> {
        StageChange {
            deal_id: self.deal_id.get(i),
            stage: self.stage.get(i),
            at: self.at[i],
            close: self.close[i],
            amount: self.amount[i],
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = StageChange<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &StageChanges) {
        self.deal_id.extend_from(&o.deal_id);
        self.stage.extend_from(&o.stage);
        self.at.extend_from_slice(&o.at);
        self.close.extend_from_slice(&o.close);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
    /// Keeps the stage changes whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.deal_id.retain_rows(keep);
        self.stage.retain_rows(keep);
        retain_by(&mut self.at, keep);
        retain_by(&mut self.close, keep);
        retain_by(&mut self.amount, keep);
        retain_by(&mut self.origin, keep);
    }
}

/// Subscription periods or customer-month invoice rows.
///
/// A line earns `mrr` per month from `start` up to (not including) `end`; `end` is
/// [`NO_DAY`] while the line is active. Rows whose status says churned or cancelled carry
/// no revenue for their own month (`churned` is set and they only mark the end).
#[derive(Clone, Debug, Default)]
pub struct RevenueLines {
    pub customer: SymbolColumn,
    pub customer_name: SymbolColumn,
    pub subscription: TextColumn,
    pub start: Vec<Day>,
    pub end: Vec<Day>,
    pub mrr: Vec<f64>,
    pub currency: SymbolColumn,
    pub churned: Vec<bool>,
    pub recurring: Vec<bool>,
    pub origin: Vec<Origin>,
}

/// One revenue line, borrowed from [`RevenueLines`].
#[derive(Clone, Copy, Debug)]
pub struct RevenueLine<'a> {
    pub customer: &'a str,
    pub customer_name: &'a str,
    pub subscription: &'a str,
    pub start: Day,
    pub end: Day,
    pub mrr: f64,
    pub currency: &'a str,
    pub churned: bool,
    pub recurring: bool,
    pub origin: Origin,
}

impl RevenueLines {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [&mut self.customer, &mut self.customer_name, &mut self.currency] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.customer.reserve_rows(rows);
        self.customer_name.reserve_rows(rows);
        self.subscription.reserve_rows(rows);
        reserve_to(&mut self.start, rows);
        reserve_to(&mut self.end, rows);
        reserve_to(&mut self.mrr, rows);
        self.currency.reserve_rows(rows);
        reserve_to(&mut self.churned, rows);
        reserve_to(&mut self.recurring, rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.start.len()
    }
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
    pub fn get(&self, i: usize) -> RevenueLine<'_> {
        RevenueLine {
            customer: self.customer.get(i),
            customer_name: self.customer_name.get(i),
            subscription: self.subscription.get(i),
            start: self.start[i],
            end: self.end[i],
            mrr: self.mrr[i],
            currency: self.currency.get(i),
            churned: self.churned[i],
            recurring: self.recurring[i],
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = RevenueLine<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &RevenueLines) {
        self.customer.extend_from(&o.customer);
        self.customer_name.extend_from(&o.customer_name);
        self.subscription.extend_from(&o.subscription);
        self.start.extend_from_slice(&o.start);
        self.end.extend_from_slice(&o.end);
        self.mrr.extend_from_slice(&o.mrr);
        self.currency.extend_from(&o.currency);
        self.churned.extend_from_slice(&o.churned);
        self.recurring.extend_from_slice(&o.recurring);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Which budget a spend line belongs to (CAC counts both).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendChannel {
    Marketing,
    Sales,
    Other,
}

/// Sales and marketing spend by month.
#[derive(Clone, Debug, Default)]
pub struct Spend {
    /// First day of the month.
    pub month: Vec<Day>,
    pub channel: Vec<SpendChannel>,
    pub category: SymbolColumn,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl Spend {
    pub fn len(&self) -> usize {
        self.month.len()
    }
    pub fn is_empty(&self) -> bool {
        self.month.is_empty()
    }
    pub fn extend_from(&mut self, o: &Spend) {
        self.month.extend_from_slice(&o.month);
        self.channel.extend_from_slice(&o.channel);
        self.category.extend_from(&o.category);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Quotas per owner (or team) and period. A period is a half-open day range.
#[derive(Clone, Debug, Default)]
pub struct Quotas {
    pub owner: SymbolColumn,
    pub start: Vec<Day>,
    /// Exclusive.
    pub end: Vec<Day>,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl Quotas {
    /// Keeps the quota rows whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.owner.retain_rows(keep);
        retain_by(&mut self.start, keep);
        retain_by(&mut self.end, keep);
        retain_by(&mut self.amount, keep);
        retain_by(&mut self.origin, keep);
    }
    pub fn len(&self) -> usize {
        self.start.len()
    }
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
    pub fn extend_from(&mut self, o: &Quotas) {
        self.owner.extend_from(&o.owner);
        self.start.extend_from_slice(&o.start);
        self.end.extend_from_slice(&o.end);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Income that is revenue but not sales (SPEC §3 total_revenue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeCategory {
    Interest,
    Investment,
    Royalty,
    Other,
}

/// Finance ledger lines of other income.
#[derive(Clone, Debug, Default)]
pub struct OtherIncome {
    pub date: Vec<Day>,
    pub category: Vec<IncomeCategory>,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl OtherIncome {
    pub fn len(&self) -> usize {
        self.date.len()
    }
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
    pub fn extend_from(&mut self, o: &OtherIncome) {
        self.date.extend_from_slice(&o.date);
        self.category.extend_from_slice(&o.category);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Everything a user dropped in, joined.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// File names, indexed by [`Origin::file`].
    pub files: Vec<String>,
    pub deals: Deals,
    pub leads: Leads,
    pub stage_changes: StageChanges,
    pub revenue_lines: RevenueLines,
    pub spend: Spend,
    pub quotas: Quotas,
    pub other_income: OtherIncome,
    /// Exports of the same deals taken on different dates: `deals` is the latest of them, the
    /// earlier ones are kept here (empty when the deals come from one export).
    pub snapshots: Snapshots,
}

/// How a snapshot's date was found.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotDateSource {
    /// Given by the user (`--snapshot-date FILE=DATE`, option `snapshot_dates`).
    Given,
    /// A date in the file's name (`…-2026-11-30.csv`, Salesforce's `report<epoch ms>.csv`).
    FileName,
    /// A "Generated …" line in the file (a report's header or footer).
    GeneratedLine,
    /// None of those: the latest event (creation, close, stage change) in the file.
    LatestEvent,
}

/// One export of the deals: its file, its date and how that date was found.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SnapshotInfo {
    pub file: String,
    pub date: String,
    #[serde(skip)]
    pub day: Day,
    pub date_source: SnapshotDateSource,
    /// Rows (deals) in the export.
    pub deals: usize,
}

/// The deals exports that are snapshots of one pipeline, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Snapshots {
    /// Every snapshot, oldest first; the last is the one in [`Dataset::deals`].
    pub list: Vec<SnapshotInfo>,
    /// The deals of every snapshot but the last, in the order of `list`.
    pub earlier: Vec<Deals>,
}

impl Snapshots {
    pub fn is_empty(&self) -> bool {
        self.earlier.is_empty()
    }
}

impl Dataset {
    /// The latest event date in the data: the default as-of date (SPEC §3).
    ///
    /// Open deals' close dates are intentions, not events, so they do not count; nor do
    /// subscription end dates in the future of every other event.
    pub fn latest_event_day(&self) -> Option<Day> {
        let d = &self.deals;
        let deal_days = (0..d.len()).flat_map(|i| {
            let close = if d.status[i] == Status::Open { NO_DAY } else { d.close[i] };
            [d.created[i], close]
        });
        let l = &self.leads;
        let lead_days = (0..l.len()).flat_map(|i| [l.created[i], l.mql[i], l.sql[i], l.opportunity[i], l.customer[i]]);
        let days = deal_days
            .chain(lead_days)
            .chain(self.stage_changes.at.iter().copied())
            .chain(self.revenue_lines.start.iter().copied())
            .chain(self.other_income.date.iter().copied())
            .filter(|&day| day != NO_DAY);
        days.max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(day_from_ymd(2024, 2, 29), Some(19782));
        assert_eq!(day_from_ymd(2023, 2, 29), None);
        let d = date_from_day(19782).unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
        assert_eq!(date_from_day(NO_DAY), None);
    }

    #[test]
    fn iso_dates_read_and_written_as_chrono_does() {
        // By hand.
        assert_eq!(day_from_iso("1970-01-01"), Some(0));
        assert_eq!(day_from_iso("2024-02-29"), Some(19782));
        assert_eq!(day_from_iso(" 2024-2-9"), day_from_ymd(2024, 2, 9));
        assert_eq!(day_from_iso("2023-02-29"), None);
        assert_eq!(day_from_iso("2024-02-29 "), None);
        assert_eq!(iso_from_day(19782).as_deref(), Some("2024-02-29"));
        assert_eq!(iso_from_day(day_from_ymd(12345, 6, 7).unwrap()).as_deref(), Some("+12345-06-07"));
        assert_eq!(iso_from_day(day_from_ymd(-3, 6, 7).unwrap()).as_deref(), Some("-0003-06-07"));
        assert_eq!(iso_from_day(day_from_ymd(987, 6, 7).unwrap()).as_deref(), Some("0987-06-07"));
        assert_eq!(iso_from_day(NO_DAY), None);
        // Against chrono's own parser and formatter, on texts built from pieces that probe every
        // rule (signs, widths, white space, overflow, trailing text, impossible dates).
        let years = [
            "2024",
            "0",
            "987",
            "20245",
            "+2024",
            "-0003",
            "+12345",
            "-",
            "+",
            "99999999999999999999",
            " 2024",
            "x",
            "",
            "\u{3000}2024",
        ];
        let sep = ["-", "", " -", "- ", "/", "--"];
        let months = ["02", "2", "12", "13", "0", "00", "002", " 2", "+2", "x", ""];
        let days = ["29", "9", "31", "30", "0", "1", "001", " 9", "9 ", "9x", "", "+1"];
        let mut checked = 0;
        for y in years {
            for s1 in sep {
                for m in months {
                    for s2 in sep {
                        for d in days {
                            let text = format!("{y}{s1}{m}{s2}{d}");
                            let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok().map(day_from_date);
                            assert_eq!(day_from_iso(&text), chrono, "{text:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 50_000);
        for day in (-800_000..3_000_000).step_by(997).chain([-719_162, 2_932_896, 2_932_897]) {
            let chrono = date_from_day(day).map(|d| d.format("%Y-%m-%d").to_string());
            assert_eq!(iso_from_day(day), chrono, "day {day}");
        }
    }

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

    #[test]
    fn text_column_arena() {
        let mut t = TextColumn::default();
        for s in ["a", "", "ccc"] {
            t.push(s);
        }
        assert_eq!(t.iter().collect::<Vec<_>>(), vec!["a", "", "ccc"]);
    }
}
