//! Dates as day numbers: days since 1970-01-01 in an `i32`, [`NO_DAY`] when missing. No time
//! zone and no clock: a day is a calendar date.

use chrono::{Datelike, NaiveDate};

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

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
}
