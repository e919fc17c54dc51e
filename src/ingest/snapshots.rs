//! Exports of the same deals taken on different dates (last week's and this week's): which
//! deals files are snapshots of one pipeline, and the date of each (SPEC §3, "snapshots").
//!
//! Two deals files are snapshots of one pipeline when at least half the ids of the smaller
//! one are in the other. Of the largest such group, the latest export is the report's deals;
//! the earlier ones are kept apart ([`crate::model::Snapshots`]) for the waterfall, the stage
//! moves and the forecast's accuracy, never added to the latest. Deals files that share no
//! ids with the group (another region's export, a file of lost deals) are joined as before.

use super::report::FileReport;
use super::rows::KindData;
use super::values::{self, DateOrder};
use super::IngestedFile;
use crate::model::{day_from_ymd, iso_from_day, Day, Deals, SnapshotDateSource, SnapshotInfo, Status, NO_DAY};
use rustc_hash::FxHashSet;
use std::collections::HashMap;

/// Share of the smaller file's ids the larger must hold for two files to be one pipeline.
const SAME_PIPELINE_SHARE: f64 = 0.5;

/// The snapshots among `files`: indices into `files`, oldest first, each with its dating
/// (empty when fewer than two deals files share their ids). `given` holds the user's dates
/// by file name.
pub(super) fn snapshot_order(files: &[IngestedFile], given: &HashMap<String, Day>) -> Vec<(usize, SnapshotInfo)> {
    let deals: Vec<(usize, &Deals)> = files
        .iter()
        .enumerate()
        .filter_map(|(k, f)| match &f.data {
            KindData::Deals(d, _) => Some((k, d)),
            _ => None,
        })
        .collect();
    if deals.len() < 2 {
        // A single export is a snapshot only when the user dated it.
        return deals
            .iter()
            .filter_map(|&(k, d)| {
                let day = given_date(given, &files[k].report.file)?;
                Some((k, info(&files[k].report, d, day, SnapshotDateSource::Given)))
            })
            .collect();
    }
    let ids: Vec<FxHashSet<&str>> =
        deals.iter().map(|(_, d)| d.id.iter().filter(|id| !id.is_empty()).collect()).collect();
    crate::work::add(deals.iter().map(|(_, d)| d.len()).sum());
    // Union of files that share ids (a handful of files: pairs are cheap next to the rows).
    let mut group: Vec<usize> = (0..deals.len()).collect();
    for a in 0..deals.len() {
        for b in a + 1..deals.len() {
            let (small, large) = if ids[a].len() <= ids[b].len() { (&ids[a], &ids[b]) } else { (&ids[b], &ids[a]) };
            if small.is_empty() {
                continue;
            }
            crate::work::add(small.len());
            let shared = small.iter().filter(|id| large.contains(*id)).count();
            if shared as f64 >= SAME_PIPELINE_SHARE * small.len() as f64 {
                let (ga, gb) = (group[a], group[b]);
                for g in group.iter_mut() {
                    if *g == gb {
                        *g = ga;
                    }
                }
            }
        }
    }
    // The largest group (most files, then most rows; the first on a tie).
    let mut best: Option<(usize, usize, usize)> = None;
    for &g in &group {
        let members = group.iter().filter(|&&x| x == g).count();
        let rows: usize = (0..deals.len()).filter(|&k| group[k] == g).map(|k| deals[k].1.len()).sum();
        if best.is_none_or(|(_, m, r)| (members, rows) > (m, r)) {
            best = Some((g, members, rows));
        }
    }
    let Some((g, members, _)) = best else { return Vec::new() };
    if members < 2 {
        return Vec::new();
    }
    let mut out: Vec<(usize, SnapshotInfo)> = (0..deals.len())
        .filter(|&k| group[k] == g)
        .map(|k| {
            let (index, d) = deals[k];
            let report = &files[index].report;
            let history = match &files[index].data {
                KindData::Deals(_, h) => &h.at[..],
                _ => &[],
            };
            let (day, source) = date_of(report, d, history, given);
            (index, info(report, d, day, source))
        })
        .collect();
    // Oldest first; on the same date, in the order given.
    crate::sort::sort_by(&mut out, |a, b| a.1.day.cmp(&b.1.day).then(a.0.cmp(&b.0)));
    out
}

/// The user's date for a file: given by its name as read, else by its name without folders.
fn given_date(given: &HashMap<String, Day>, file: &str) -> Option<Day> {
    let base = |name: &str| name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
    given.get(file).copied().or_else(|| given.iter().find(|(k, _)| base(k) == base(file)).map(|(_, &d)| d))
}

fn info(report: &FileReport, d: &Deals, day: Day, source: SnapshotDateSource) -> SnapshotInfo {
    SnapshotInfo {
        file: report.file.clone(),
        date: iso_from_day(day).unwrap_or_default(),
        day,
        date_source: source,
        deals: d.len(),
    }
}

/// A snapshot's date: given by the user, else written in the file name, else on a
/// "Generated …" line of the file, else its latest event.
fn date_of(report: &FileReport, d: &Deals, history: &[Day], given: &HashMap<String, Day>) -> (Day, SnapshotDateSource) {
    if let Some(day) = given_date(given, &report.file) {
        return (day, SnapshotDateSource::Given);
    }
    if let Some(day) = date_in_file_name(&report.file) {
        return (day, SnapshotDateSource::FileName);
    }
    let lines = report.skipped.0.iter().flat_map(|g| g.examples.iter().map(|(_, text)| text.as_str()));
    if let Some(day) = lines.filter_map(generated_date).next() {
        return (day, SnapshotDateSource::GeneratedLine);
    }
    (latest_event(d, history), SnapshotDateSource::LatestEvent)
}

/// The latest creation, close of a closed deal, or stage entry in one export (0 when none).
fn latest_event(d: &Deals, history: &[Day]) -> Day {
    crate::work::add(d.len() + history.len());
    let closes = (0..d.len()).filter(|&i| d.status[i] != Status::Open).map(|i| d.close[i]);
    d.created.iter().copied().chain(closes).chain(history.iter().copied()).filter(|&x| x != NO_DAY).max().unwrap_or(0)
}

/// A date in a file name: `pipeline-2026-11-30.csv`, `deals_20261130.xlsx`, `2026.11.30 deals.csv`,
/// or Salesforce's `report1733011200000.csv` (milliseconds since 1970).
pub fn date_in_file_name(name: &str) -> Option<Day> {
    // The name without its folders.
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let b = base.as_bytes();
    let digits_at = |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    let number = |i: usize, n: usize| base[i..i + n].parse::<u32>().ok();
    for i in 0..b.len() {
        // Not inside a longer run of digits.
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        if base[i..].to_ascii_lowercase().starts_with("report") && digits_at(i + 6, 13) && !digits_at(i + 6, 14) {
            let ms: i64 = base[i + 6..i + 19].parse().ok()?;
            return Some(ms.div_euclid(86_400_000) as Day);
        }
        if !digits_at(i, 4) {
            continue;
        }
        let year = number(i, 4)? as i32;
        if !(1990..=2199).contains(&year) {
            continue;
        }
        let mut j = i + 4;
        let sep = b.get(j).copied().filter(|c| matches!(c, b'-' | b'_' | b'.'));
        if sep.is_some() {
            j += 1;
        }
        if !digits_at(j, 2) {
            continue;
        }
        let month = number(j, 2)?;
        j += 2;
        if let Some(s) = sep {
            if b.get(j) != Some(&s) {
                continue;
            }
            j += 1;
        }
        if !digits_at(j, 2) || digits_at(j, 3) {
            continue;
        }
        let day = number(j, 2)?;
        if let Some(d) = day_from_ymd(year, month, day) {
            return Some(d);
        }
    }
    None
}

/// The date on a report's "Generated …" line (`Generated by Ann on 11/30/2026 9:05 AM`,
/// `Report generated: 2026-11-30`), month-first when the date is ambiguous.
pub fn generated_date(line: &str) -> Option<Day> {
    if !line.to_ascii_lowercase().contains("generated") {
        return None;
    }
    line.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"'))
        .map(|t| t.trim_end_matches(['.', ':']))
        .filter(|t| t.chars().filter(char::is_ascii_digit).count() >= 4)
        .find_map(|t| {
            let read = |order| values::parse_date(t, order).ok().flatten();
            read(DateOrder::MonthFirst).or_else(|| read(DateOrder::DayFirst))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        let day = |y, m, d| day_from_ymd(y, m, d);
        assert_eq!(date_in_file_name("pipeline-2026-11-30.csv"), day(2026, 11, 30));
        assert_eq!(date_in_file_name("exports/deals_20261130.xlsx"), day(2026, 11, 30));
        assert_eq!(date_in_file_name("2026.11.30 deals.csv"), day(2026, 11, 30));
        assert_eq!(date_in_file_name("deals 2026_02_03 (1).csv"), day(2026, 2, 3));
        // 1733011200000 ms = 2024-12-01T00:00:00Z.
        assert_eq!(date_in_file_name("report1733011200000.csv"), day(2024, 12, 1));
        // Mixed separators, impossible dates, ids and plain numbers are not dates.
        assert_eq!(date_in_file_name("deals-2026-1130.csv"), None);
        assert_eq!(date_in_file_name("deals-2026-02-30.csv"), None);
        assert_eq!(date_in_file_name("006000000123456.csv"), None);
        assert_eq!(date_in_file_name("salesforce_opportunities.csv"), None);
        assert_eq!(date_in_file_name("q4-20261.csv"), None);
    }

    #[test]
    fn dates_on_generated_lines() {
        let day = |y, m, d| day_from_ymd(y, m, d);
        assert_eq!(generated_date("Generated by Ann Lee on 11/30/2026 9:05 AM"), day(2026, 11, 30));
        assert_eq!(generated_date("Report generated: 2026-11-30"), day(2026, 11, 30));
        assert_eq!(generated_date("\"Generated On: 30.11.2026\""), day(2026, 11, 30));
        assert_eq!(generated_date("Confidential Information - Do Not Distribute"), None);
        assert_eq!(generated_date("Generated by the CRM"), None);
    }
}
