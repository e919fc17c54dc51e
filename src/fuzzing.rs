//! The bodies of the fuzz targets (`fuzz/`, built with cargo-afl) and of their corpus replay
//! (`tests/fuzz_corpus.rs`): each takes arbitrary bytes, runs one entry point of the library on
//! them and checks what must hold for any input, not only that nothing panics: every row is
//! used or reported, errors name their file and a line and column from 1, amounts are finite,
//! the fast paths agree with the careful ones. A broken invariant is a panic, which the fuzzer
//! records as a crash.
//!
//! Not part of the API: the names and checks may change with the fuzz targets.

use crate::forecast::series::{forecast_series, PeriodSeries};
use crate::forecast::TsOptions;
use crate::ingest::report::{FileReport, LineGroups};
use crate::ingest::text::{detect_delimiter, sniff_encoding, LastRecord, RawRecord, Tokenizer, Utf8Decoder};
use crate::ingest::values::{
    self, parse_amount, parse_date, parse_period, parse_probability, DateOrder, DecimalMark, NumberStyle,
};
use crate::ingest::{build_dataset, ingest_bytes, table, table_head, IngestError, IngestOptions, IngestedFile};
use crate::model::{date_from_day, Dataset, Origin, NO_DAY};
use crate::report::{analyze, ReportError, ReportOptions};

/// A target's body: any bytes in, a panic when a check fails.
pub type Body = fn(&[u8]);

/// The targets, by the name of their corpus folder (`fuzz/corpus/<name>`) and afl binary.
pub const TARGETS: &[(&str, Body)] = &[
    ("csv", csv),
    ("values", values),
    ("spreadsheet", spreadsheet),
    ("series", series),
    ("analyze", analyze_one),
    ("analyze_multi", analyze_multi),
];

/// Separates the files of one [`analyze_multi`] input (ASCII "record separator").
pub const FILE_SEPARATOR: u8 = 0x1E;

/// (a) A text file through the real ingest entry point (charset sniffing and decoding,
/// delimiter and header detection, tokenizer, typed rows), the `table` view of it, and the
/// tokenizer's fast path against its careful path on the decoded text, cut in two.
pub fn csv(data: &[u8]) {
    let result = ingest_bytes("fuzz.csv", 0, data, &IngestOptions::default());
    check_ingested("fuzz.csv", data, result);
    let decoded = decode(data);
    tokenizer_paths_agree(&decoded, data.first().map_or(0, |&b| usize::from(b)));
    if let Ok(all) = table("fuzz.csv", data, &IngestOptions::default()) {
        let head = table_head("fuzz.csv", data, &IngestOptions::default(), 3).expect("table read it whole");
        let first: Vec<&Vec<String>> = all.iter().take(3).collect();
        let head_rows: Vec<&Vec<String>> = head.iter().map(|(_, r)| r).collect();
        if data.len() <= crate::ingest::SNIFF_BYTES {
            assert_eq!(head_rows, first, "the mapping preview is the start of the table");
        }
    }
}

/// (b) The value parsers on each line of the input (amounts in both decimal styles, dates in
/// both orders, periods, probabilities), and the per-column inference (decimal mark, date
/// order) over all of them, as one column.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let cells: Vec<&str> = text.split('\n').collect();
    let number_style = NumberStyle::detect(cells.iter().copied(), DecimalMark::Point);
    let date_style = DateOrder::detect(cells.iter().copied(), DateOrder::MonthFirst);
    for cell in &cells {
        for style in [NumberStyle::POINT, NumberStyle { decimal: DecimalMark::Comma, assumed: false }, number_style] {
            if let Ok(Some(m)) = parse_amount(cell, style) {
                assert!(m.value.is_finite(), "amount {cell:?} read as {}", m.value);
                if let Some(c) = &m.currency {
                    assert!(!c.is_empty());
                }
                // A number written plainly reads back as itself.
                let plain = format!("{}", m.value.abs());
                if plain.len() <= 40 {
                    let back = parse_amount(&plain, NumberStyle::POINT).expect("plain number").expect("not empty");
                    assert_eq!(back.value, m.value.abs(), "{cell:?} → {plain}");
                }
            }
            if let Ok(Some(p)) = parse_probability(cell, style, false) {
                assert!((0.0..=1.0).contains(&p), "probability {cell:?} read as {p}");
            }
        }
        for order in [DateOrder::MonthFirst, DateOrder::DayFirst, date_style.order] {
            if let Ok(Some(day)) = parse_date(cell, order) {
                let date = date_from_day(day).unwrap_or_else(|| panic!("date {cell:?} read as day {day}"));
                assert_ne!(day, NO_DAY);
                // ISO reads back to the same day, in either order.
                let iso = date.format("%Y-%m-%d").to_string();
                if (0..=9999).contains(&chrono::Datelike::year(&date)) {
                    assert_eq!(parse_date(&iso, DateOrder::DayFirst), Ok(Some(day)), "{cell:?} → {iso}");
                }
            }
            if let Ok(Some((start, end))) = parse_period(cell, order) {
                assert!(start < end, "period {cell:?} is [{start}, {end})");
                assert_eq!(values::month_start_of(start), start, "period {cell:?} starts on the 1st");
            }
        }
        if let Ok(Some(first)) = values::parse_month(cell) {
            assert_eq!(values::month_start_of(first), first);
        }
        let _ = values::parse_bool(cell);
    }
}

/// (c) A spreadsheet (XLSX, XLS, ODS) through the real ingest entry point and `table`.
pub fn spreadsheet(data: &[u8]) {
    let result = ingest_bytes("fuzz.xlsx", 0, data, &IngestOptions::default());
    check_ingested("fuzz.xlsx", data, result);
    let _ = table("fuzz.xlsx", data, &IngestOptions::default());
}

/// (d) A `period,value` table as `revlens forecast` reads it, and its forecast.
pub fn series(data: &[u8]) {
    let Ok(rows) = table("series.csv", data, &IngestOptions::default()) else { return };
    let Ok(s) = PeriodSeries::from_rows(&rows) else { return };
    assert!(matches!(s.season_length, 1 | 4 | 12));
    assert!(!s.values.is_empty() && s.filled < s.values.len());
    assert!(s.values.iter().all(|v| v.is_finite()), "series values {:?}", s.values);
    let opts = TsOptions { backtest_origins: 2, ..TsOptions::default() };
    if let Ok(f) = forecast_series(&s, 4, &opts) {
        assert_eq!(f.forecast.len(), 4);
        let small = s.values.iter().all(|v| v.abs() < 1e9);
        for p in &f.forecast {
            if small {
                assert!(p.value.is_finite(), "forecast {} of {:?}", p.value, s.values);
            }
            assert!(!p.period.is_empty());
        }
    }
}

/// (e) The whole report on one file.
pub fn analyze_one(data: &[u8]) {
    run_analyze(&[("deals.csv", data)]);
}

/// (f) The whole report on several files: the input split at [`FILE_SEPARATOR`], named in
/// turn as the kinds' usual files (at most 8).
pub fn analyze_multi(data: &[u8]) {
    const NAMES: [&str; 8] = [
        "deals.csv",
        "leads.csv",
        "stage_history.csv",
        "subscriptions.csv",
        "spend.csv",
        "quotas.csv",
        "other_income.csv",
        "opportunities.csv",
    ];
    let files: Vec<(&str, &[u8])> = data.split(|&b| b == FILE_SEPARATOR).zip(NAMES).map(|(b, n)| (n, b)).collect();
    run_analyze(&files);
}

fn run_analyze(files: &[(&str, &[u8])]) {
    // Fewer Monte Carlo runs than the default 10,000: the same code, a faster execution.
    let opts = ReportOptions { simulations: Some(64), ..ReportOptions::default() };
    match analyze(files, &opts) {
        Ok(report) => {
            assert_eq!(report.files.len() + report.files_not_read.len(), files.len());
            assert_eq!(report.quality.files.len(), report.files.len());
            assert!((0.0..=100.0).contains(&report.quality.score), "quality score {}", report.quality.score);
            for (summary, file) in report.files.iter().zip(&report.quality.files) {
                assert_eq!(summary.rows_read, summary.rows_used + summary.rows_rejected);
                let bytes = files.iter().find(|(n, _)| *n == file.file).map(|(_, b)| *b).expect("a file given");
                check_report(file, bytes);
            }
            for m in &report.metrics {
                assert!(m.value.is_none_or(f64::is_finite), "metric {} = {:?}", m.id, m.value);
            }
            serde_json::to_string(&report).expect("the report serialises");
        }
        Err(ReportError::Ingest(e)) => check_error(&e, files[0].0, files[0].1),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A file read or refused: the row accounting of its report, or an error naming it.
fn check_ingested(name: &str, data: &[u8], result: Result<IngestedFile, IngestError>) {
    match result {
        Ok(file) => {
            assert_eq!(file.report.file, name);
            check_report(&file.report, data);
            let used = file.report.rows_used;
            let (ds, _) = build_dataset(vec![file]);
            check_dataset(&ds, used, data);
        }
        Err(e) => check_error(&e, name, data),
    }
}

fn check_error(e: &IngestError, name: &str, data: &[u8]) {
    let message = e.to_string();
    assert!(message.starts_with(name), "error without its file name: {message}");
    match e {
        IngestError::Syntax { line, column, .. } => {
            assert!(*line >= 1 && *column >= 1, "{message}");
            assert!(*line <= max_line(data), "{message}: past the file's {} lines", max_line(data));
        }
        IngestError::UnknownKind { line, .. } => assert!(*line >= 1, "{message}"),
        _ => {}
    }
}

/// Physical lines a text can have: one per line feed, plus one (a spreadsheet's rows are not
/// lines of its bytes, so it has no such bound).
fn max_line(data: &[u8]) -> u32 {
    if data.starts_with(b"PK\x03\x04") || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return u32::MAX;
    }
    // Line breaks as the tokenizer counts them: CR, LF, or CRLF as one.
    let lone_lf =
        data.windows(2).filter(|w| w[1] == b'\n' && w[0] != b'\r').count() + usize::from(data.first() == Some(&b'\n'));
    (data.iter().filter(|&&b| b == b'\r').count() + lone_lf) as u32 + 1
}

/// Every row read is used or rejected, each rejection with its line; no line past the end.
fn check_report(r: &FileReport, data: &[u8]) {
    assert_eq!(r.rows_read, r.rows_used + r.rows_rejected, "{}: rows read ≠ used + rejected", r.file);
    assert_eq!(r.rejected.total(), r.rows_rejected, "{}: every rejected row is listed", r.file);
    assert_eq!(r.bytes, data.len() as u64);
    let last = max_line(data);
    let groups: [&LineGroups; 3] = [&r.rejected, &r.skipped, &r.findings];
    for g in groups.iter().flat_map(|g| &g.0) {
        assert_eq!(g.count, g.lines.len());
        assert!(g.examples.len() <= crate::ingest::report::EXAMPLES_PER_GROUP);
        for &line in &g.lines {
            assert!(line >= 1 && line <= last, "{}: line {line} of {last} ({})", r.file, g.reason);
            assert!(
                line > r.header_line || g.reason == "line before the header",
                "{}: {} at line {line}, not after the header's line {}",
                r.file,
                g.reason,
                r.header_line
            );
        }
        if let Some(c) = g.column {
            assert!(c >= 1 && c as usize <= r.columns.len(), "{}: column {c} of {}", r.file, r.columns.len());
        }
    }
    assert!(r.header_line >= 1 && r.header_line <= last);
}

/// The rows used are in the dataset, each with its origin; amounts are finite (or missing).
fn check_dataset(ds: &Dataset, used: usize, data: &[u8]) {
    let primary = [
        ds.deals.len(),
        ds.leads.len(),
        ds.revenue_lines.len(),
        ds.spend.len(),
        ds.quotas.len(),
        ds.other_income.len(),
    ];
    let history_only = primary.iter().all(|&n| n == 0);
    let rows = if history_only { ds.stage_changes.len() } else { primary.iter().sum() };
    assert_eq!(rows, used, "rows used ≠ rows in the dataset");
    let last = max_line(data);
    let origins: [&[Origin]; 7] = [
        &ds.deals.origin,
        &ds.leads.origin,
        &ds.stage_changes.origin,
        &ds.revenue_lines.origin,
        &ds.spend.origin,
        &ds.quotas.origin,
        &ds.other_income.origin,
    ];
    for o in origins.iter().flat_map(|o| o.iter()) {
        assert!(o.file == 0 && o.line >= 1 && o.line <= last, "origin {o:?} of a file of {last} lines");
    }
    let amounts: [&[f64]; 6] = [
        &ds.deals.amount,
        &ds.revenue_lines.mrr,
        &ds.spend.amount,
        &ds.quotas.amount,
        &ds.other_income.amount,
        &ds.deals.probability,
    ];
    for &v in amounts.iter().flat_map(|a| a.iter()) {
        assert!(!v.is_infinite(), "an infinite amount");
    }
    assert!(ds.deals.probability.iter().all(|p| p.is_nan() || (0.0..=1.0).contains(p)));
}

/// The file's bytes as the ingest decodes them (to UTF-8).
fn decode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    Utf8Decoder::new(sniff_encoding(data, true)).decode(data, true, &mut out);
    out
}

#[derive(Debug, PartialEq)]
struct Seen {
    records: Vec<(u32, Vec<Vec<u8>>)>,
    blank_lines: Vec<u32>,
    last: Option<LastRecord>,
    lines: u32,
}

fn tokenize(mut tok: Tokenizer, text: &[u8], cut: usize) -> Seen {
    let mut records = Vec::new();
    let mut on = |r: &RawRecord| -> Result<(), ()> {
        records.push((r.line, (0..r.len()).map(|i| r.bytes(i).to_vec()).collect()));
        Ok(())
    };
    let cut = cut.min(text.len());
    let _ = tok.feed(&text[..cut], false, &mut on);
    let _ = tok.feed(&text[cut..], false, &mut on);
    let _ = tok.feed(&[], true, &mut on);
    Seen { records, blank_lines: tok.blank_lines.clone(), last: tok.last_record, lines: tok.lines() }
}

/// The fast path (whole, and cut in two at `cut`) gives what the careful path alone gives.
fn tokenizer_paths_agree(text: &[u8], cut: usize) {
    let delimiter = detect_delimiter(text);
    let careful = tokenize(Tokenizer::careful(delimiter), text, text.len());
    let fast = tokenize(Tokenizer::new(delimiter), text, text.len());
    assert_eq!(fast, careful, "fast and careful paths disagree");
    let fast_cut = tokenize(Tokenizer::new(delimiter), text, cut);
    assert_eq!(fast_cut, careful, "cut at {cut}, the fast path disagrees");
}
