//! Calendar arithmetic of the sample company: days relative to 2023-01-01, minutes relative to
//! its midnight, months of the 30-month history.

pub(super) const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// Day 0 of the simulation: the company already sells in 2023 (a warm-up year that only shows
/// through the deals still open on 2024-01-01 and the subscriptions of earlier customers).
pub(super) const START_ABS: i32 = days_from_civil(2023, 1, 1);
/// First day of the reporting window, 2024-01-01.
pub(super) const HIST_START: i32 = days_from_civil(2024, 1, 1) - START_ABS;
/// The as-of date, 2026-06-30.
pub(super) const ASOF_DAY: i32 = days_from_civil(2026, 6, 30) - START_ABS;
pub(super) const DAYS: usize = (ASOF_DAY + 1) as usize;
pub(super) const MONTHS: usize = 30;
/// Last minute of the as-of date.
pub(super) const ASOF_END: u32 = (ASOF_DAY as u32 + 1) * 1440 - 1;
pub(super) const NO_DAY: i32 = i32::MIN;
pub(super) const NEVER: i32 = i32::MAX;
pub(super) const NIL: u32 = u32::MAX;

/// (year, month, day) of a relative day.
pub(super) fn civil(rel: i32) -> (i32, u32, u32) {
    let z = rel + START_ABS + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(super) fn rel_day(y: i32, m: u32, d: u32) -> i32 {
    days_from_civil(y, m, d) - START_ABS
}

pub(super) fn add_years(rel: i32, k: i32) -> i32 {
    let (y, m, d) = civil(rel);
    let d = if m == 2 && d == 29 { 28 } else { d };
    rel_day(y + k, m, d)
}

/// Months since 2024-01 of a relative day (0 for earlier days).
pub(super) fn month_index(rel: i32) -> usize {
    let (y, m, _) = civil(rel);
    ((y - 2024) * 12 + m as i32 - 1).max(0) as usize
}

pub(super) fn month_start(index: usize) -> i32 {
    rel_day(2024 + (index / 12) as i32, (index % 12) as u32 + 1, 1)
}

/// 0 = Sunday.
pub(super) fn weekday(rel: i32) -> i32 {
    (rel + START_ABS + 4).rem_euclid(7)
}
