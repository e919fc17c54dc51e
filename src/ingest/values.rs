//! Cell values: amounts, dates, percentages, booleans, as real exports write them.
//!
//! Locale-dependent choices (decimal comma or point, day-first or month-first dates) are
//! made once per column from its values ([`NumberStyle::detect`], [`DateOrder::detect`]),
//! because a single cell like `1,234` or `3/4/2025` cannot tell on its own.

use crate::model::{day_from_ymd, Day};
use serde::Serialize;

/// Why a cell could not be read as the value its column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError(pub String);

/// Which character separates the decimals in a column's numbers.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    Point,
    Comma,
}

/// How a column writes numbers, decided from its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct NumberStyle {
    pub decimal: DecimalMark,
    /// True when no value in the sample settled the question and a default was used.
    pub assumed: bool,
}

impl NumberStyle {
    pub const POINT: NumberStyle = NumberStyle { decimal: DecimalMark::Point, assumed: false };

    /// Votes over sample values; `fallback` decides when nothing in the sample is decisive
    /// (e.g. a `;`-delimited file suggests a decimal comma).
    pub fn detect<'a>(values: impl IntoIterator<Item = &'a str>, fallback: DecimalMark) -> NumberStyle {
        let (mut point, mut comma) = (0usize, 0usize);
        let mut visited = 0;
        for v in values {
            visited += 1 + v.len();
            match decisive_mark(v) {
                Some(DecimalMark::Point) => point += 1,
                Some(DecimalMark::Comma) => comma += 1,
                None => {}
            }
        }
        crate::work::add(visited);
        match (point, comma) {
            (0, 0) => NumberStyle { decimal: fallback, assumed: true },
            (p, c) if c > p => NumberStyle { decimal: DecimalMark::Comma, assumed: false },
            _ => NumberStyle { decimal: DecimalMark::Point, assumed: false },
        }
    }
}

/// What a single value says about the decimal mark, if anything.
fn decisive_mark(v: &str) -> Option<DecimalMark> {
    // One pass over the bytes ('.' and ',' are ASCII, so byte positions are char positions).
    let b = v.as_bytes();
    let (mut last_point, mut last_comma, mut points, mut commas) = (None, None, 0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' {
            last_point = Some(i);
            points += 1;
        } else if c == b',' {
            last_comma = Some(i);
            commas += 1;
        }
    }
    let digits_after = |p: usize| b[p + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(if p > c { DecimalMark::Point } else { DecimalMark::Comma }),
        (Some(p), None) => {
            let digits_after = digits_after(p);
            (points > 1)
                .then_some(DecimalMark::Comma)
                .or((digits_after != 3 && digits_after > 0).then_some(DecimalMark::Point))
        }
        (None, Some(c)) => {
            let digits_after = digits_after(c);
            (commas > 1)
                .then_some(DecimalMark::Point)
                .or((digits_after != 3 && digits_after > 0).then_some(DecimalMark::Comma))
        }
        (None, None) => None,
    }
}

/// A parsed amount and the currency written beside it, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    pub value: f64,
    pub currency: Option<String>,
}

const CURRENCY_SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("R$", "BRL"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("฿", "THB"),
    ("₩", "KRW"),
    ("₽", "RUB"),
    ("CHF", "CHF"),
    ("zł", "PLN"),
    ("kr", "SEK"),
];

/// `str::trim`, with the common case (text that starts and ends with a printable ASCII
/// character, so no white space to cut) decided from two bytes.
#[inline]
pub fn trim_text(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| (0x21..0x7f).contains(&b));
    if printable(s.as_bytes().first()) && printable(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Reads an amount: `1234.5`, `$1,234.50`, `1.234,50 €`, `USD 1,234`, `(1,234)`, `1.2k`,
/// `-5`, `5-`, `1 234,50`, `1'234.50`, `1.2E+05`. Empty (or a lone dash) is `Ok(None)`.
pub fn parse_amount(raw: &str, style: NumberStyle) -> Result<Option<Money>, ValueError> {
    let mut s = trim_text(raw);
    if s.is_empty() || s == "-" || s == "–" || s == "—" {
        return Ok(None);
    }
    // The common case, digits with grouping and a decimal mark ("12,345.00"): no sign,
    // currency or multiplier to look for.
    let b = s.as_bytes();
    if b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|&c| c.is_ascii_digit() || c == b',' || c == b'.')
    {
        let value = parse_decimal(s, style).ok_or_else(|| ValueError(format!("'{raw}' is not an amount")))?;
        return Ok(Some(Money { value, currency: None }));
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        negative = true;
        s = s[1..s.len() - 1].trim();
    }
    let mut currency: Option<String> = None;
    // Sign may stand before or after a currency marker: "-$5", "$-5", "5-".
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        negative = !negative;
        s = rest.trim_start();
    }
    s = strip_currency(s, &mut currency);
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.trim_end();
    }
    if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        negative = !negative;
        s = s[1..s.len() - 1].trim();
    }
    let mut multiplier = 1.0;
    let lower_tail = s.as_bytes().last().map(|b| b.to_ascii_lowercase());
    match lower_tail {
        Some(b'k') => {
            multiplier = 1e3;
            s = s[..s.len() - 1].trim_end();
        }
        Some(b'm') if !s.ends_with("mm") => {
            multiplier = 1e6;
            s = s[..s.len() - 1].trim_end();
        }
        Some(b'b') => {
            let trimmed = s.strip_suffix("bn").or_else(|| s.strip_suffix("BN")).unwrap_or(&s[..s.len() - 1]);
            multiplier = 1e9;
            s = trimmed.trim_end();
        }
        _ => {}
    }
    let number = parse_decimal(s, style).ok_or_else(|| ValueError(format!("'{raw}' is not an amount")))?;
    let value = if negative { -number } else { number } * multiplier;
    // A multiplier can carry a finite number past f64's range ("1e308k").
    if !value.is_finite() {
        return Err(ValueError(format!("'{raw}' is not an amount (too large)")));
    }
    Ok(Some(Money { value, currency }))
}

fn strip_currency<'a>(mut s: &'a str, currency: &mut Option<String>) -> &'a str {
    // ISO code before or after: "USD 1,234", "1.234,50 EUR", "EUR1234".
    let bytes = s.as_bytes();
    // A code must be upper case or stand apart from the digits ("12abc" is no amount).
    let is_code = |code: &[u8], gap: u8| {
        code.iter().all(u8::is_ascii_alphabetic) && (code.iter().all(u8::is_ascii_uppercase) || gap == b' ')
    };
    if bytes.len() > 3 && is_code(&bytes[..3], bytes[3]) && !bytes[3].is_ascii_alphabetic() {
        *currency = Some(s[..3].to_ascii_uppercase());
        s = s[3..].trim_start();
    } else if bytes.len() > 3
        && is_code(&bytes[bytes.len() - 3..], bytes[bytes.len() - 4])
        && !bytes[bytes.len() - 4].is_ascii_alphabetic()
    {
        *currency = Some(s[s.len() - 3..].to_ascii_uppercase());
        s = s[..s.len() - 3].trim_end();
    }
    for (symbol, code) in CURRENCY_SYMBOLS {
        if let Some(rest) = s.strip_prefix(symbol) {
            currency.get_or_insert_with(|| code.to_string());
            return rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix(symbol) {
            currency.get_or_insert_with(|| code.to_string());
            return rest.trim_end();
        }
    }
    s
}

/// A plain number with grouping separators, in the given decimal style.
pub fn parse_decimal(s: &str, style: NumberStyle) -> Option<f64> {
    let s = trim_text(s);
    if s.is_empty() {
        return None;
    }
    plain_decimal(s, style).or_else(|| any_decimal(s, style))
}

/// [`parse_decimal`] of a trimmed, non-empty text, in full.
fn any_decimal(s: &str, style: NumberStyle) -> Option<f64> {
    // Scientific notation as Excel writes it.
    if s.bytes().any(|b| b == b'e' || b == b'E') {
        return s.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    let decimal = match decisive_mark(s) {
        Some(mark) => mark,
        None => style.decimal,
    };
    let (dec, group) = match decimal {
        DecimalMark::Point => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    // Digits and one '.', on the stack: amounts are parsed once per row.
    let mut clean = SmallText::default();
    let mut seen_digit = false;
    let mut seen_dec = false;
    for ch in s.chars() {
        match ch {
            '0'..='9' => {
                clean.push(ch as u8)?;
                seen_digit = true;
            }
            c if c == dec => {
                if seen_dec {
                    return None;
                }
                seen_dec = true;
                clean.push(b'.')?;
            }
            c if c == group || c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\'' || c == '’' => {
                if seen_dec || !seen_digit {
                    return None;
                }
            }
            '+' if clean.is_empty() && !seen_digit => {}
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    Some(decimal_value(clean.as_str()))
}

/// The common case of [`parse_decimal`] in one pass: digits with at most one '.' that is
/// the decimal mark (by its digits after it, or by the column's style). `None` for anything
/// else, which the full reading handles; where both read a value, it is the same.
#[inline]
fn plain_decimal(s: &str, style: NumberStyle) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() > 48 {
        return None;
    }
    let mut point = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' && point.is_none() {
            point = Some(i);
        } else if !c.is_ascii_digit() {
            return None;
        }
    }
    if let Some(p) = point {
        let after = b.len() - p - 1;
        let decimal_point = (after != 3 && after > 0) || style.decimal == DecimalMark::Point;
        if p == 0 || !decimal_point {
            return None;
        }
    }
    Some(decimal_value(s))
}

/// Powers of ten exactly representable in an `f64`.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// The value of ASCII digits with at most one '.', as `str::parse::<f64>` gives it.
///
/// Up to 15 digits, the digits as an integer and the power of ten are both exact in an
/// `f64`, so one division rounds once, to the same correctly rounded value that parsing
/// gives (Clinger's fast path); longer numbers are parsed.
fn decimal_value(text: &str) -> f64 {
    let (mut mantissa, mut digits, mut decimals, mut after_point) = (0u64, 0usize, 0usize, false);
    for &c in text.as_bytes() {
        if c == b'.' {
            after_point = true;
        } else {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            digits += 1;
            decimals += usize::from(after_point);
        }
    }
    if digits > 15 {
        return text.parse::<f64>().unwrap_or(f64::NAN);
    }
    mantissa as f64 / POW10[decimals]
}

/// A short ASCII buffer on the stack (longer input is not a number we read).
struct SmallText {
    buf: [u8; 48],
    len: usize,
}

impl Default for SmallText {
    fn default() -> Self {
        SmallText { buf: [0; 48], len: 0 }
    }
}

impl SmallText {
    fn push(&mut self, b: u8) -> Option<()> {
        *self.buf.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Reads a probability as a fraction 0..=1: `60`, `60%`, `0.6`, `60,5 %`.
/// `percent_scale` says the column is in percent (from its header or its values).
pub fn parse_probability(raw: &str, style: NumberStyle, percent_scale: bool) -> Result<Option<f64>, ValueError> {
    let s = trim_text(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let (s, explicit_percent) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (s, false),
    };
    let v = parse_decimal(s, style).ok_or_else(|| ValueError(format!("'{raw}' is not a probability")))?;
    let p = if explicit_percent || percent_scale { v / 100.0 } else { v };
    if !(0.0..=1.0).contains(&p) {
        return Err(ValueError(format!("'{raw}' is not a probability between 0% and 100%")));
    }
    Ok(Some(p))
}

/// Reads a yes/no cell. Empty is `Ok(None)`.
pub fn parse_bool(raw: &str) -> Result<Option<bool>, ValueError> {
    let s = trim_text(raw);
    if s.is_empty() {
        return Ok(None);
    }
    match s.to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" | "x" | "checked" | "won" | "closed" | "ja" | "wahr" | "oui" | "si" | "sí" => {
            Ok(Some(true))
        }
        "false" | "f" | "no" | "n" | "0" | "unchecked" | "lost" | "open" | "nein" | "falsch" | "non" => Ok(Some(false)),
        _ => Err(ValueError(format!("'{raw}' is not yes/no"))),
    }
}

/// Whether `A/B/YYYY` dates in a column are day-first or month-first.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// The decision for one column, with whether the values forced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DateStyle {
    pub order: DateOrder,
    /// True when every sampled value was ambiguous (both parts ≤ 12) and a default was used.
    pub assumed: bool,
}

impl DateOrder {
    /// Decides from sample values: a first part above 12 means day-first, a second part above
    /// 12 means month-first. With no such value, `fallback` is used (and marked assumed).
    pub fn detect<'a>(values: impl IntoIterator<Item = &'a str>, fallback: DateOrder) -> DateStyle {
        let (mut day_first, mut month_first) = (0usize, 0usize);
        let (mut dotted, mut numeric) = (0usize, 0usize);
        let mut visited = 0;
        for v in values {
            visited += 1 + v.len();
            if let Some((a, b, sep)) = numeric_day_month(v) {
                numeric += 1;
                if a > 12 && b <= 12 {
                    day_first += 1;
                } else if b > 12 && a <= 12 {
                    month_first += 1;
                }
                if sep == b'.' {
                    dotted += 1;
                }
            }
        }
        crate::work::add(visited);
        match (day_first, month_first) {
            // No A/B/Y values at all (ISO dates, month names): nothing was guessed.
            (0, 0) if numeric == 0 => DateStyle { order: fallback, assumed: false },
            (0, 0) if dotted > 0 => DateStyle { order: DateOrder::DayFirst, assumed: true },
            (0, 0) => DateStyle { order: fallback, assumed: true },
            (d, m) if d >= m => DateStyle { order: DateOrder::DayFirst, assumed: false },
            _ => DateStyle { order: DateOrder::MonthFirst, assumed: false },
        }
    }
}

/// The two leading numbers of an `A/B/Y`, `A-B-Y` or `A.B.Y` date (year last).
fn numeric_day_month(v: &str) -> Option<(u32, u32, u8)> {
    let v = v.trim();
    let bytes = v.as_bytes();
    let sep_pos = bytes.iter().position(|b| !b.is_ascii_digit())?;
    if sep_pos == 0 || sep_pos > 2 {
        return None;
    }
    let sep = bytes[sep_pos];
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let rest = &v[sep_pos + 1..];
    let second_len = rest.bytes().position(|b| !b.is_ascii_digit())?;
    if second_len == 0 || second_len > 2 || rest.as_bytes()[second_len] != sep {
        return None;
    }
    Some((v[..sep_pos].parse().ok()?, rest[..second_len].parse().ok()?, sep))
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
// Month names and abbreviations in the locales CRM exports commonly come in.
const MONTH_WORDS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("sept", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("mär", 3),
    ("mrz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("okt", 10),
    ("dez", 12),
];

fn month_from_word(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if let Some(&(_, m)) = MONTH_WORDS.iter().find(|(name, _)| *name == w) {
        return Some(m);
    }
    if w.len() >= 3 {
        if let Some(i) = MONTHS.iter().position(|m| {
            w.starts_with(m) && MONTHS_FULL[MONTHS.iter().position(|x| x == m).unwrap_or(0)].starts_with(w)
        }) {
            return Some(i as u32 + 1);
        }
    }
    None
}

const MONTHS_FULL: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn expand_year(y: u32, digits: usize) -> i32 {
    if digits <= 2 {
        // Two-digit years: 00–69 are 2000s, 70–99 are 1900s (as spreadsheets do).
        if y < 70 {
            2000 + y as i32
        } else {
            1900 + y as i32
        }
    } else {
        y as i32
    }
}

/// Reads a date (any time of day is dropped; a time zone suffix is ignored, so the date is
/// the one written). Empty is `Ok(None)`.
///
/// Forms: ISO `2025-03-04[T10:22[:00[.000]]][Z|+01:00]`, `2025/03/04`, `2025.03.04`,
/// `3/4/2025`, `4.3.2025`, `3-4-25` (order from `order`), `Mar 4, 2025`, `4 March 2025`,
/// `04-Mar-2025`, `2025-Mar-04`, `20250304`.
pub fn parse_date(raw: &str, order: DateOrder) -> Result<Option<Day>, ValueError> {
    let s = trim_text(raw);
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(day) = common_date(s.as_bytes(), order) {
        return Ok(Some(day));
    }
    let bad = || ValueError(format!("'{raw}' is not a date"));
    let date_part = strip_time(s);
    // Tokenise into digit runs and letter runs.
    // At most 5 tokens matter (weekday, month, day, year, and one extra to reject).
    let mut token_buf: [&str; 5] = [""; 5];
    let mut n_tokens = 0usize;
    let mut chars = date_part.char_indices().peekable();
    while let Some(&(start, ch)) = chars.peek() {
        let is_digit = ch.is_ascii_digit();
        if is_digit || ch.is_alphabetic() {
            let mut end = start;
            while let Some(&(j, c)) = chars.peek() {
                if (is_digit && c.is_ascii_digit()) || (!is_digit && c.is_alphabetic()) {
                    end = j + c.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if n_tokens == token_buf.len() {
                return Err(bad());
            }
            token_buf[n_tokens] = &date_part[start..end];
            n_tokens += 1;
        } else {
            chars.next();
        }
    }
    let day = match &token_buf[..n_tokens] {
        [one] if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) => {
            let y: i32 = one[..4].parse().map_err(|_| bad())?;
            let m: u32 = one[4..6].parse().map_err(|_| bad())?;
            let d: u32 = one[6..].parse().map_err(|_| bad())?;
            day_from_ymd(y, m, d)
        }
        [a, b, c] => {
            let numeric = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
            if numeric(a) && numeric(b) && numeric(c) {
                let (na, nb, nc): (u32, u32, u32) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?, c.parse().map_err(|_| bad())?);
                if a.len() == 4 {
                    day_from_ymd(na as i32, nb, nc)
                } else if c.len() == 4 || c.len() == 2 {
                    let year = expand_year(nc, c.len());
                    match order {
                        DateOrder::MonthFirst => day_from_ymd(year, na, nb),
                        DateOrder::DayFirst => day_from_ymd(year, nb, na),
                    }
                } else {
                    None
                }
            } else {
                // One token is a month name.
                let (mut year, mut month, mut dom) = (None, None, None);
                let mut numbers: Vec<&str> = Vec::new();
                for t in [a, b, c] {
                    if numeric(t) {
                        numbers.push(t);
                    } else {
                        month = Some(month_from_word(t).ok_or_else(bad)?);
                    }
                }
                if let [x, y] = numbers.as_slice() {
                    if x.len() == 4 {
                        year = Some(x.parse::<i32>().map_err(|_| bad())?);
                        dom = y.parse::<u32>().ok();
                    } else {
                        dom = x.parse::<u32>().ok();
                        let yv: u32 = y.parse().map_err(|_| bad())?;
                        year = Some(expand_year(yv, y.len()));
                    }
                }
                match (year, month, dom) {
                    (Some(y), Some(m), Some(d)) => day_from_ymd(y, m, d),
                    _ => None,
                }
            }
        }
        // Weekday names in front: "Tue, Mar 4, 2025".
        [w, rest @ ..]
            if rest.len() == 3 && w.bytes().all(|b| b.is_ascii_alphabetic()) && month_from_word(w).is_none() =>
        {
            let joined = rest.join(" ");
            return parse_date(&joined, order);
        }
        _ => None,
    };
    day.map(Some).ok_or_else(bad)
}

/// The forms nearly every export uses, read without the general tokenizer: `YYYY-MM-DD`
/// (alone or before `T` and a time) and `A/B/YYYY` (or with `-` or `.`). `None` sends the
/// text the general way, which reads the same forms to the same day and gives the errors.
fn common_date(b: &[u8], order: DateOrder) -> Option<Day> {
    fn number(digits: &[u8]) -> Option<u32> {
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    }
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && (b.len() == 10 || (b[10] == b'T' && b[11..].contains(&b':'))) {
        let (y, m, d) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..10])?);
        return civil_day(y as i32, m, d);
    }
    if !(6..=10).contains(&b.len()) {
        return None;
    }
    let is_sep = |c: u8| matches!(c, b'/' | b'-' | b'.');
    let first = b.iter().position(|&c| !c.is_ascii_digit())?;
    if !(1..=2).contains(&first) || !is_sep(b[first]) {
        return None;
    }
    let second = first + 1 + b[first + 1..].iter().position(|&c| !c.is_ascii_digit())?;
    if !(1..=2).contains(&(second - first - 1)) || !is_sep(b[second]) || b.len() - second - 1 != 4 {
        return None;
    }
    let (a, bb, y) = (number(&b[..first])?, number(&b[first + 1..second])?, number(&b[second + 1..])?);
    match order {
        DateOrder::MonthFirst => civil_day(y as i32, a, bb),
        DateOrder::DayFirst => civil_day(y as i32, bb, a),
    }
}

/// Day number of a proleptic Gregorian date, if it is one: [`day_from_ymd`] without the
/// calendar library (days from civil, H. Hinnant's algorithm), for years 0 to 9999.
fn civil_day(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(0..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day > days_in_month {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Drops a trailing time of day ("T10:22:00Z", " 10:22 AM", " 10:22:00+01:00").
fn strip_time(s: &str) -> &str {
    if let Some(t) = s.find('T') {
        if s[..t].bytes().filter(u8::is_ascii_digit).count() >= 6 && s[t + 1..].contains(':') {
            return &s[..t];
        }
    }
    if let Some(colon) = s.find(':') {
        // Cut at the last space before the first colon.
        if let Some(space) = s[..colon].rfind(' ') {
            return s[..space].trim_end_matches(',').trim_end();
        }
    }
    s
}

/// A calendar period written as a month, quarter or year: `2025-03`, `Mar 2025`,
/// `2025-Q1`, `Q1 2025`, `FY2025`, `2025`, or a full date (its month).
/// Returns the half-open day range `[start, end)`.
pub fn parse_period(raw: &str, order: DateOrder) -> Result<Option<(Day, Day)>, ValueError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || ValueError(format!("'{raw}' is not a month, quarter or year"));
    let upper = s.to_ascii_uppercase();
    let compact: String = upper.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    // Quarters: 2025Q1, Q12025, 2025-Q1, Q1 2025, FY2025Q1.
    let compact_q = compact.trim_start_matches("FY");
    if let Some(qpos) = compact_q.find('Q') {
        let (before, after) = (&compact_q[..qpos], &compact_q[qpos + 1..]);
        let (year, q) = if before.len() == 4 && after.len() == 1 {
            (before.parse::<i32>().ok(), after.parse::<u32>().ok())
        } else if before.is_empty() && after.len() == 5 {
            (after[1..].parse::<i32>().ok(), after[..1].parse::<u32>().ok())
        } else {
            (None, None)
        };
        if let (Some(y), Some(q @ 1..=4)) = (year, q) {
            let start = day_from_ymd(y, 3 * q - 2, 1).ok_or_else(bad)?;
            let end = if q == 4 { day_from_ymd(y + 1, 1, 1) } else { day_from_ymd(y, 3 * q + 1, 1) }.ok_or_else(bad)?;
            return Ok(Some((start, end)));
        }
        return Err(bad());
    }
    if compact.len() == 4 && compact.bytes().all(|b| b.is_ascii_digit()) || compact.starts_with("FY") {
        let y: i32 = compact.trim_start_matches("FY").parse().map_err(|_| bad())?;
        return Ok(Some((day_from_ymd(y, 1, 1).ok_or_else(bad)?, day_from_ymd(y + 1, 1, 1).ok_or_else(bad)?)));
    }
    if let Some(month_start) = parse_month(s)? {
        return Ok(Some((month_start, next_month(month_start))));
    }
    match parse_date(s, order)? {
        Some(day) => {
            let start = month_start_of(day);
            Ok(Some((start, next_month(start))))
        }
        None => Err(bad()),
    }
}

/// A month written alone: `2025-03`, `2025/03`, `03/2025`, `Mar 2025`, `March-25`, `2025-Mar`.
/// Returns the first day, or `Ok(None)` when the text is a full date or not a month at all.
pub fn parse_month(raw: &str) -> Result<Option<Day>, ValueError> {
    let s = raw.trim();
    let parts: Vec<&str> = s.split(['-', '/', ' ', '.', ',']).filter(|p| !p.is_empty()).collect();
    if parts.len() != 2 {
        return Ok(None);
    }
    let numeric = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let (year, month) = match (parts[0], parts[1]) {
        (y, m) if y.len() == 4 && numeric(y) && numeric(m) && m.len() <= 2 => (y.parse().ok(), m.parse().ok()),
        (m, y) if y.len() == 4 && numeric(y) && numeric(m) && m.len() <= 2 => (y.parse().ok(), m.parse().ok()),
        (m, y) if numeric(y) && !numeric(m) => (Some(expand_year(y.parse().unwrap_or(0), y.len())), month_from_word(m)),
        (y, m) if numeric(y) && y.len() == 4 && !numeric(m) => (y.parse().ok(), month_from_word(m)),
        _ => (None, None),
    };
    match (year, month) {
        (Some(y), Some(m)) => {
            day_from_ymd(y, m, 1).map(Some).ok_or_else(|| ValueError(format!("'{raw}' is not a month")))
        }
        _ => Ok(None),
    }
}

/// First day of the month containing `day`.
pub fn month_start_of(day: Day) -> Day {
    match crate::model::date_from_day(day) {
        Some(d) => {
            use chrono::Datelike;
            day_from_ymd(d.year(), d.month(), 1).unwrap_or(day)
        }
        None => day,
    }
}

/// First day of the month after the one that starts at (or contains) `day`.
pub fn next_month(day: Day) -> Day {
    match crate::model::date_from_day(day) {
        Some(d) => {
            use chrono::Datelike;
            let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
            day_from_ymd(y, m, 1).unwrap_or(day)
        }
        None => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_reading_of_a_decimal_is_the_full_one() {
        // Every text of up to five characters from digits, '.', ',' and '+', in both styles:
        // where the one-pass reading gives a value, the full reading gives the same bits.
        let comma = NumberStyle { decimal: DecimalMark::Comma, assumed: false };
        let alphabet = ['0', '5', '9', '.', ',', '+'];
        let mut text = String::new();
        let mut plain_read = 0;
        for len in 1..=5u32 {
            for n in 0..alphabet.len().pow(len) {
                text.clear();
                let mut k = n;
                for _ in 0..len {
                    text.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                for style in [NumberStyle::POINT, comma] {
                    if let Some(v) = plain_decimal(&text, style) {
                        plain_read += 1;
                        assert_eq!(
                            any_decimal(&text, style).map(f64::to_bits),
                            Some(v.to_bits()),
                            "{text:?} {style:?}"
                        );
                    }
                }
            }
        }
        assert!(plain_read > 1000, "{plain_read}");
        // Long digit strings (past 15 digits the full parse decides) read the same too.
        for text in ["1234567890123456.5", "0.12345678901234567", "99999999999999999999"] {
            assert_eq!(
                plain_decimal(text, NumberStyle::POINT).map(f64::to_bits),
                any_decimal(text, NumberStyle::POINT).map(f64::to_bits)
            );
        }
    }

    fn amount(s: &str) -> f64 {
        parse_amount(s, NumberStyle::POINT).unwrap().unwrap().value
    }
    fn amount_comma(s: &str) -> f64 {
        parse_amount(s, NumberStyle { decimal: DecimalMark::Comma, assumed: false }).unwrap().unwrap().value
    }
    fn date(s: &str, o: DateOrder) -> Day {
        parse_date(s, o).unwrap().unwrap()
    }

    /// Found by fuzzing (fuzz/corpus/values/crash-amount-multiplier-overflow): a multiplier took
    /// a finite number to infinity, and an infinite amount into the metrics.
    #[test]
    fn a_multiplier_past_the_range_is_no_amount() {
        for s in ["1e308k", "-1e308k", "1.7e308m", "(9e307b)", "$1e306bn"] {
            assert!(parse_amount(s, NumberStyle::POINT).is_err(), "{s}");
        }
        assert_eq!(amount("1e305k"), 1e308);
    }
    fn ymd(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn amounts_in_real_forms() {
        assert_eq!(amount("1234.5"), 1234.5);
        assert_eq!(amount("$1,234.50"), 1234.5);
        assert_eq!(amount("1.234,50 €"), 1234.5);
        assert_eq!(amount("EUR 1.234,50"), 1234.5);
        assert_eq!(amount("USD 1,234"), 1234.0);
        assert_eq!(amount("(1,234)"), -1234.0);
        assert_eq!(amount("-$5.25"), -5.25);
        assert_eq!(amount("5-"), -5.0);
        assert_eq!(amount("1.2k"), 1200.0);
        assert_eq!(amount("2.5M"), 2_500_000.0);
        assert_eq!(amount("1 234,5"), 1234.5);
        assert_eq!(amount("1'234.50"), 1234.5);
        assert_eq!(amount("1.2E+05"), 120000.0);
        assert_eq!(amount("1,234,567"), 1234567.0);
        assert_eq!(amount("1.234.567"), 1234567.0);
        assert_eq!(amount_comma("1.234"), 1234.0);
        assert_eq!(amount("1.234"), 1.234);
        assert_eq!(amount_comma("12,5"), 12.5);
        assert_eq!(amount("0"), 0.0);
        let m = parse_amount("1.234,00 EUR", NumberStyle::POINT).unwrap().unwrap();
        assert_eq!(m.currency.as_deref(), Some("EUR"));
        assert_eq!(m.value, 1234.0);
        assert_eq!(parse_amount("£12", NumberStyle::POINT).unwrap().unwrap().currency.as_deref(), Some("GBP"));
        assert_eq!(parse_amount("", NumberStyle::POINT), Ok(None));
        assert!(parse_amount("n/a", NumberStyle::POINT).is_err());
        assert!(parse_amount("12abc", NumberStyle::POINT).is_err());
        assert!(parse_amount("1.2.3,4,5", NumberStyle::POINT).is_err());
    }

    #[test]
    fn civil_days_agree_with_the_calendar() {
        for y in (0..=9999).step_by(7).chain(1895..=2105) {
            for m in 0..=13 {
                for d in 0..=32 {
                    assert_eq!(civil_day(y, m, d), day_from_ymd(y, m, d), "{y}-{m}-{d}");
                }
            }
        }
        assert_eq!(civil_day(1970, 1, 1), Some(0));
        assert_eq!(civil_day(2024, 2, 29), Some(19782));
        assert_eq!(civil_day(2023, 2, 29), None);
    }

    #[test]
    fn common_dates_read_as_the_general_way_does() {
        use DateOrder::*;
        for text in [
            "2025-03-04",
            "2025-3-4",
            "2025-03-04T10:22:00Z",
            "2025-03-04T10",
            "2025-02-30",
            "3/4/2025",
            "12/31/1999",
            "31/12/1999",
            "13/13/2025",
            "03.04.2025",
            "3-4-2025",
            "3/4/25",
            "03/04/2025 10:22",
            "1/1/0000",
            "0/1/2025",
            "123/4/2025",
            "1/2/20251",
            "1//2025",
            "/1/2025",
            "a1/2/2025",
        ] {
            for order in [MonthFirst, DayFirst] {
                let fast = common_date(text.as_bytes(), order);
                let general = parse_date(&format!(" {text}"), order);
                if let Some(day) = fast {
                    assert_eq!(general, Ok(Some(day)), "{text} {order:?}");
                }
            }
        }
        assert_eq!(common_date(b"12/31/1999", MonthFirst), day_from_ymd(1999, 12, 31));
        assert_eq!(common_date(b"31/12/1999", DayFirst), day_from_ymd(1999, 12, 31));
        assert_eq!(common_date(b"2025-03-04T10:22:00Z", DayFirst), day_from_ymd(2025, 3, 4));
        assert_eq!(common_date(b"31/12/1999", MonthFirst), None);
    }

    #[test]
    fn decimal_values_are_what_parsing_gives() {
        for text in [
            "0",
            "1",
            "0.1",
            "0.3",
            "12345.67",
            "1234567.89",
            "999999999999999",
            "9999999999999999",
            "0.000000000000001",
            "123456789012.345",
            "5.",
            ".5",
            "1.00",
            "007",
            "4503599627370497",
            "12345678901234567890.5",
        ] {
            assert_eq!(decimal_value(text), text.parse::<f64>().unwrap(), "{text}");
        }
        // A spread of cents and longer fractions.
        let mut x: u64 = 1;
        for _ in 0..20000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let digits = (x >> 33) % 1_000_000_000_000_000;
            let text = format!("{}.{}", digits / 10u64.pow((x % 9) as u32 + 1), digits % 10u64.pow((x % 9) as u32 + 1));
            assert_eq!(decimal_value(&text), text.parse::<f64>().unwrap(), "{text}");
        }
    }

    #[test]
    fn trimming_is_str_trim() {
        for s in ["", " ", "a", " a", "a ", "\u{a0}a", "a\u{2003}", "\u{b}x", "x\u{85}", "ab", "é", "€ 5", "\t1\t"] {
            assert_eq!(trim_text(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn number_style_from_column() {
        let s = NumberStyle::detect(["1.234,50", "12,00", "7"], DecimalMark::Point);
        assert_eq!(s.decimal, DecimalMark::Comma);
        assert!(!s.assumed);
        let s = NumberStyle::detect(["1,234", "5,000"], DecimalMark::Point);
        assert!(s.assumed);
        assert_eq!(s.decimal, DecimalMark::Point);
        let s = NumberStyle::detect(["1,234", "5,000"], DecimalMark::Comma);
        assert_eq!(s.decimal, DecimalMark::Comma);
    }

    #[test]
    fn dates_in_real_forms() {
        use DateOrder::*;
        assert_eq!(date("2025-03-04", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("2025-03-04T10:22:00.000Z", DayFirst), ymd(2025, 3, 4));
        assert_eq!(date("2025-03-04 10:22", DayFirst), ymd(2025, 3, 4));
        assert_eq!(date("2025/03/04", DayFirst), ymd(2025, 3, 4));
        assert_eq!(date("3/4/2025", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("3/4/2025", DayFirst), ymd(2025, 4, 3));
        assert_eq!(date("04.03.2025", DayFirst), ymd(2025, 3, 4));
        assert_eq!(date("3/4/25", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("3/4/2025 10:22 AM", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("Mar 4, 2025", DayFirst), ymd(2025, 3, 4));
        assert_eq!(date("4 March 2025", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("04-Mar-2025", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("04-Mar-25", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("2025-Mar-04", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("Tue, Mar 4, 2025", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("20250304", MonthFirst), ymd(2025, 3, 4));
        assert_eq!(date("29.02.2024", DayFirst), ymd(2024, 2, 29));
        assert!(parse_date("29.02.2023", DayFirst).is_err());
        assert!(parse_date("13/13/2025", MonthFirst).is_err());
        assert!(parse_date("soon", MonthFirst).is_err());
        assert_eq!(parse_date("  ", MonthFirst), Ok(None));
    }

    #[test]
    fn date_order_from_column() {
        let s = DateOrder::detect(["3/4/2025", "25/4/2025"], DateOrder::MonthFirst);
        assert_eq!(s, DateStyle { order: DateOrder::DayFirst, assumed: false });
        let s = DateOrder::detect(["3/4/2025", "4/25/2025"], DateOrder::DayFirst);
        assert_eq!(s, DateStyle { order: DateOrder::MonthFirst, assumed: false });
        let s = DateOrder::detect(["3/4/2025"], DateOrder::MonthFirst);
        assert!(s.assumed);
        let s = DateOrder::detect(["03.04.2025"], DateOrder::MonthFirst);
        assert_eq!(s.order, DateOrder::DayFirst);
    }

    #[test]
    fn periods() {
        let o = DateOrder::MonthFirst;
        assert_eq!(parse_period("2025-Q2", o).unwrap(), Some((ymd(2025, 4, 1), ymd(2025, 7, 1))));
        assert_eq!(parse_period("Q4 2025", o).unwrap(), Some((ymd(2025, 10, 1), ymd(2026, 1, 1))));
        assert_eq!(parse_period("2025-03", o).unwrap(), Some((ymd(2025, 3, 1), ymd(2025, 4, 1))));
        assert_eq!(parse_period("Mar 2025", o).unwrap(), Some((ymd(2025, 3, 1), ymd(2025, 4, 1))));
        assert_eq!(parse_period("2025", o).unwrap(), Some((ymd(2025, 1, 1), ymd(2026, 1, 1))));
        assert_eq!(parse_period("2025-12-15", o).unwrap(), Some((ymd(2025, 12, 1), ymd(2026, 1, 1))));
        assert!(parse_period("Q5 2025", o).is_err());
        assert_eq!(parse_month("2023-06").unwrap(), Some(ymd(2023, 6, 1)));
        assert_eq!(parse_month("2023-06-01").unwrap(), None);
    }

    #[test]
    fn probabilities_and_bools() {
        let p = NumberStyle::POINT;
        assert_eq!(parse_probability("60", p, true).unwrap(), Some(0.6));
        assert_eq!(parse_probability("60%", p, false).unwrap(), Some(0.6));
        assert_eq!(parse_probability("0.6", p, false).unwrap(), Some(0.6));
        assert!(parse_probability("160", p, true).is_err());
        assert_eq!(parse_bool("TRUE").unwrap(), Some(true));
        assert_eq!(parse_bool("0").unwrap(), Some(false));
        assert!(parse_bool("maybe").is_err());
    }
}
