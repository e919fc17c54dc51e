//! A small direct-mapped cache of short texts (up to 16 bytes) and a value for each: symbol
//! columns keep their short names' codes in it, ingestion the values of dates and amounts.

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
