//! Writing CSV bytes without `format!`: numbers, money, dates in the exports' formats, quoted
//! fields, Salesforce-style ids and account names.

use super::*;

pub(super) fn push_uint(b: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&tmp[i..]);
}

pub(super) fn push_padded(b: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    let mut v = v;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(tmp.len() - width.min(tmp.len()));
    b.extend_from_slice(&tmp[start..]);
}

/// Cents as `1234.56`.
pub(super) fn push_money(b: &mut Vec<u8>, cents: u64) {
    push_uint(b, cents / 100);
    b.push(b'.');
    push_padded(b, cents % 100, 2);
}

/// `M/D/YYYY`.
pub(super) fn push_mdy(b: &mut Vec<u8>, day: i32) {
    let (y, m, d) = civil(day);
    push_uint(b, u64::from(m));
    b.push(b'/');
    push_uint(b, u64::from(d));
    b.push(b'/');
    push_uint(b, y as u64);
}

/// `YYYY-MM-DD`.
pub(super) fn push_iso(b: &mut Vec<u8>, day: i32) {
    let (y, m, d) = civil(day);
    push_padded(b, y as u64, 4);
    b.push(b'-');
    push_padded(b, u64::from(m), 2);
    b.push(b'-');
    push_padded(b, u64::from(d), 2);
}

pub(super) fn push_hhmm(b: &mut Vec<u8>, minute: u32) {
    let m = minute % 1440;
    push_padded(b, u64::from(m / 60), 2);
    b.push(b':');
    push_padded(b, u64::from(m % 60), 2);
}

/// Pre-formatted dates and times: the writers of the big files copy fixed-size pieces
/// instead of converting every date.
pub(super) struct DateFmt {
    pub(super) iso: Vec<[u8; 10]>,
    pub(super) mdy: Vec<([u8; 10], u8)>,
    pub(super) hhmm: Vec<[u8; 5]>,
}

/// Days after the as-of date covered by [`DateFmt`] (expected close dates of open deals).
pub(super) const FMT_FUTURE_DAYS: usize = 400;

impl DateFmt {
    pub(super) fn new() -> DateFmt {
        let days = DAYS + FMT_FUTURE_DAYS;
        let mut iso = Vec::with_capacity(days);
        let mut mdy = Vec::with_capacity(days);
        let mut tmp = Vec::with_capacity(10);
        for d in 0..days as i32 {
            tmp.clear();
            push_iso(&mut tmp, d);
            let mut a = [0u8; 10];
            a.copy_from_slice(&tmp);
            iso.push(a);
            tmp.clear();
            push_mdy(&mut tmp, d);
            let mut a = [0u8; 10];
            a[..tmp.len()].copy_from_slice(&tmp);
            mdy.push((a, tmp.len() as u8));
        }
        let hhmm = (0..1440u32)
            .map(|m| {
                tmp.clear();
                push_hhmm(&mut tmp, m);
                let mut a = [0u8; 5];
                a.copy_from_slice(&tmp);
                a
            })
            .collect();
        DateFmt { iso, mdy, hhmm }
    }

    pub(super) fn iso(&self, b: &mut Vec<u8>, day: i32) {
        match usize::try_from(day).ok().and_then(|d| self.iso.get(d)) {
            Some(s) => b.extend_from_slice(s),
            None => push_iso(b, day),
        }
    }

    pub(super) fn mdy(&self, b: &mut Vec<u8>, day: i32) {
        match usize::try_from(day).ok().and_then(|d| self.mdy.get(d)) {
            Some((s, n)) => b.extend_from_slice(&s[..*n as usize]),
            None => push_mdy(b, day),
        }
    }

    /// `2025-03-04 10:22`.
    pub(super) fn hs_time(&self, b: &mut Vec<u8>, minute: u32) {
        self.iso(b, (minute / 1440) as i32);
        b.push(b' ');
        b.extend_from_slice(&self.hhmm[(minute % 1440) as usize]);
    }

    /// `2025-03-04T10:22:00.000Z`.
    pub(super) fn iso_time(&self, b: &mut Vec<u8>, minute: u32) {
        self.iso(b, (minute / 1440) as i32);
        b.push(b'T');
        b.extend_from_slice(&self.hhmm[(minute % 1440) as usize]);
        b.extend_from_slice(b":00.000Z");
    }
}

/// Always quoted, as Salesforce writes every field.
pub(super) fn push_quoted(b: &mut Vec<u8>, s: &[u8]) {
    b.push(b'"');
    for &c in s {
        if c == b'"' {
            b.push(b'"');
        }
        b.push(c);
    }
    b.push(b'"');
}

/// Quoted only when needed (RFC 4180).
pub(super) fn push_field(b: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&c| c == b',' || c == b'"' || c == b'\n' || c == b'\r') {
        push_quoted(b, s);
    } else {
        b.extend_from_slice(s);
    }
}

pub(super) const B62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub(super) const SF_SUFFIX: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// An 18-character Salesforce Opportunity id (with the real case-checksum suffix), increasing
/// with `serial`.
pub(super) fn deal_id(seed: u64, serial: usize) -> [u8; 18] {
    let mut id = *b"0065g00000AAAAAAAA";
    let mut v = 4_000_000 + serial as u64 * 5 + mix(seed, serial as u64) % 5;
    for p in (9..15).rev() {
        id[p] = B62[(v % 62) as usize];
        v /= 62;
    }
    sf_checksum(&mut id);
    id
}

/// Fills characters 15..18 of a Salesforce id with the case-checksum of characters 0..15.
pub(super) fn sf_checksum(id: &mut [u8; 18]) {
    for chunk in 0..3 {
        let mut bits = 0;
        for j in 0..5 {
            if id[chunk * 5 + j].is_ascii_uppercase() {
                bits |= 1 << j;
            }
        }
        id[15 + chunk] = SF_SUFFIX[bits];
    }
}

pub(super) fn scramble(idx: u32) -> (usize, usize, usize) {
    let base_n = (ROOTS.len() * NOUNS.len()) as u64;
    let tier = u64::from(idx) / base_n;
    let base = ((u64::from(idx) % base_n) * 1031 + tier * 7) % base_n;
    ((base % ROOTS.len() as u64) as usize, (base / ROOTS.len() as u64) as usize, tier as usize)
}

pub(super) fn suffix_for(idx: u32, region: usize) -> &'static str {
    let h = mix(0xACC0_0000, u64::from(idx));
    if h % 10 < 4 {
        ""
    } else {
        SUFFIXES[region][((h >> 8) % 5) as usize]
    }
}

pub(super) fn push_account(b: &mut Vec<u8>, idx: u32, region: usize) {
    let (r, n, tier) = scramble(idx);
    b.extend_from_slice(ROOTS[r].as_bytes());
    b.push(b' ');
    b.extend_from_slice(NOUNS[n].as_bytes());
    if tier > 0 {
        b.extend_from_slice(QUALIFIERS[(tier - 1) % QUALIFIERS.len()].as_bytes());
        if tier > QUALIFIERS.len() {
            b.push(b' ');
            push_uint(b, ((tier - 1) / QUALIFIERS.len() + 1) as u64);
        }
    }
    b.extend_from_slice(suffix_for(idx, region).as_bytes());
}

pub(super) fn push_lower_alpha(b: &mut Vec<u8>, s: &str) {
    for c in s.bytes() {
        if c.is_ascii_alphanumeric() {
            b.push(c.to_ascii_lowercase());
        }
    }
}

/// Lower-case, alphanumeric-only forms of the name parts, for e-mail addresses and domains.
pub(super) struct Lower {
    pub(super) first: Vec<Vec<u8>>,
    pub(super) last: Vec<Vec<u8>>,
    pub(super) roots: Vec<Vec<u8>>,
    pub(super) nouns: Vec<Vec<u8>>,
    pub(super) qualifiers: Vec<Vec<u8>>,
}

impl Lower {
    pub(super) fn new() -> Lower {
        let low = |words: &[&str]| -> Vec<Vec<u8>> {
            words
                .iter()
                .map(|w| {
                    let mut v = Vec::with_capacity(w.len());
                    push_lower_alpha(&mut v, w);
                    v
                })
                .collect()
        };
        Lower {
            first: low(&FIRST_NAMES),
            last: low(&LAST_NAMES),
            roots: low(&ROOTS),
            nouns: low(&NOUNS),
            qualifiers: low(&QUALIFIERS),
        }
    }

    /// The web domain of account `idx`, e.g. `bluecanyonanalytics.com`.
    pub(super) fn domain(&self, b: &mut Vec<u8>, idx: u32) {
        let (r, n, tier) = scramble(idx);
        b.extend_from_slice(&self.roots[r]);
        b.extend_from_slice(&self.nouns[n]);
        if tier > 0 {
            b.extend_from_slice(&self.qualifiers[(tier - 1) % QUALIFIERS.len()]);
            if tier > QUALIFIERS.len() {
                push_uint(b, ((tier - 1) / QUALIFIERS.len() + 1) as u64);
            }
        }
        let h = mix(0xD0A1_0000, u64::from(idx)) % 10;
        b.extend_from_slice(match h {
            0..=6 => b".com".as_slice(),
            7 | 8 => b".io".as_slice(),
            _ => b".co".as_slice(),
        });
    }
}

/// Once `done` rows of `total` are written, reserves what the rows so far predict for the
/// rest, so large files grow without repeated reallocation.
pub(super) fn reserve_rest(b: &mut Vec<u8>, done: usize, total: usize) {
    if done > 0 && total > done {
        let rest = (b.len() / done + 1) * (total - done);
        b.reserve(rest + rest / 32);
    }
}

/// Rows written before [`reserve_rest`] sizes the buffer.
pub(super) const PROBE_ROWS: usize = 2048;
