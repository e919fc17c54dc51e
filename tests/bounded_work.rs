//! No input makes any stage do work superlinear in its size: adversarial shapes of CSV (every
//! row a duplicate, 100,000 owners one letter apart, a 1 MB header line, one giant cell, many
//! tiny rows, deep and stray quoting, rejected rows of many lengths) are read and reported at
//! two sizes, and the work of each stage — counted by `revlens::work` (bytes, cells, rows,
//! lookups and comparisons made), never timed — may grow at most 1.1 × as fast as the input's
//! bytes (×2.2 for twice the bytes).
//!
//! Stages: delimiter detection, header and kind detection (the header mapped for every kind),
//! date-order inference (over the sampled date column), the whole ingestion (tokenizer, sample,
//! typed rows, the file's report), and every stage of the report (`timings` with a clock that
//! reads the work counter), quality (duplicates and name variants) among them.
//!
//! Wall time is printed for a look by hand (`cargo test --release --test bounded_work --
//! --nocapture`), not asserted.

use revlens::ingest::schema::{detect_kind, map_headers, KindHints};
use revlens::ingest::text::{detect_delimiter, records_of};
use revlens::ingest::values::DateOrder;
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::report::{report_from_timed, ReportOptions};
use revlens::timings::stage;
use std::fmt::Write;
use std::time::Instant;

fn counted<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let before = revlens::work::done();
    let out = f();
    (out, (revlens::work::done() - before) as f64)
}

/// The work of each stage on `csv` (read as a deals file called `deals.csv`).
fn work_per_stage(csv: &[u8]) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    // What ingestion sniffs: the first chunk it is given (`ingest_bytes` pushes 1 MiB chunks).
    let head = &csv[..csv.len().min(1 << 20)];
    let (delimiter, w) = counted(|| detect_delimiter(head));
    out.push(("delimiter detection", w));
    let records = records_of(head, delimiter, 2001);
    let headers = records[0].1.clone();
    let (_, w) = counted(|| {
        let (kind, _) = detect_kind(&headers, &KindHints { file_name: "deals.csv", ids_repeat: false });
        map_headers(kind, &headers, None)
    });
    out.push(("header and kind detection", w));
    let close = headers.iter().position(|h| h == "Close Date").expect("a Close Date column");
    let (_, w) = counted(|| {
        DateOrder::detect(
            records[1..].iter().filter_map(|(_, r)| r.get(close)).map(String::as_str),
            DateOrder::MonthFirst,
        )
    });
    out.push(("date-order inference", w));
    let (file, w) = counted(|| ingest_bytes("deals.csv", 0, csv, &IngestOptions::default()).expect("the file reads"));
    out.push(("ingest (whole)", w));
    let clock = || revlens::work::done() as f64;
    let opts = ReportOptions { timings: true, as_of: Some("2024-12-31".into()), ..ReportOptions::default() };
    let (report, w) = counted(|| report_from_timed(vec![file], &opts, Some(&clock), Vec::new()).expect("a report"));
    let timings = report.timings.expect("timings asked for");
    // Every stage after ingest (measured on its own above), then the whole report.
    for s in stage::ALL.into_iter().skip(1).chain(["whole report"]) {
        out.push((s, if s == "whole report" { w } else { timings.ms(s) }));
    }
    out
}

/// Reads and reports the shape at two sizes; every stage's work may grow at most 1.1 × as fast
/// as the bytes.
fn assert_bounded(shape: &str, small: Vec<u8>, large: Vec<u8>) {
    let (t0, a) = (Instant::now(), work_per_stage(&small));
    let (t1, b) = (t0.elapsed(), Instant::now());
    let b_work = work_per_stage(&large);
    let t2 = b.elapsed();
    let growth = large.len() as f64 / small.len() as f64;
    let limit = 1.1 * growth;
    let mut table = format!(
        "{shape}: {} → {} bytes (×{growth:.2}), {:.2} s → {:.2} s wall\n",
        small.len(),
        large.len(),
        t1.as_secs_f64(),
        t2.as_secs_f64()
    );
    let mut failures = Vec::new();
    for ((s, x), (_, y)) in a.iter().zip(&b_work) {
        let ratio = if *x > 0.0 { y / x } else { f64::NAN };
        writeln!(table, "  {s:<26} {x:>14} {y:>14}  ×{ratio:.3}").unwrap();
        // A stage with no work at either size (no open deals to simulate) is bounded too.
        if *y > 0.0 && !(*x > 0.0 && *y <= limit * x) {
            failures.push(format!("{s}: work ×{ratio:.3} for bytes ×{growth:.2} ({x} → {y})"));
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{shape}: superlinear work:\n{}\n{table}", failures.join("\n"));
}

const HEADER: &str =
    "Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date,Created Date";

/// A date in 2023–2024 that varies with `i` (day ≤ 28, so every one exists).
fn date(i: usize) -> String {
    format!("{}-{:02}-{:02}", 2023 + (i / 336) % 2, 1 + (i / 28) % 12, 1 + i % 28)
}

/// `n` rows that are all the same deal (same id, name, account, amount and close date).
fn every_row_a_duplicate(n: usize) -> Vec<u8> {
    let mut s = format!("{HEADER}\n");
    for _ in 0..n {
        s.push_str("006A,Big Deal,Acme Inc,Ann Lee,Closed Won,1000,2024-03-01,2024-01-15\n");
    }
    s.into_bytes()
}

/// Four lower-case letters counting in base 26: consecutive names differ in one letter.
fn letters(mut i: usize) -> String {
    let mut b = [b'a'; 4];
    for k in (0..4).rev() {
        b[k] = b'a' + (i % 26) as u8;
        i /= 26;
    }
    String::from_utf8(b.to_vec()).unwrap()
}

/// `n` deals, each with its own owner and account, named one letter apart ("Owner aaab",
/// "Owner aaac", …), half won, half open.
fn owners_one_letter_apart(n: usize) -> Vec<u8> {
    let mut s = format!("{HEADER}\n");
    for i in 0..n {
        let stage = if i % 2 == 0 { "Closed Won" } else { "Prospecting" };
        let l = letters(i);
        writeln!(s, "{i},Deal {l},Account {l},Owner {l},{stage},{},{},{}", 100 + i % 900, date(i + 30), date(i))
            .unwrap();
    }
    s.into_bytes()
}

/// A header line of about `bytes` bytes — the deal columns, then HubSpot-style
/// `Date entered "Stage k"` columns — over about `bytes` bytes of short rows (no stage dates),
/// and one row whose every stage date is unreadable (a finding per column).
fn wide_header(bytes: usize, entered: bool) -> Vec<u8> {
    let mut s = String::from(HEADER);
    let mut columns = 0;
    while s.len() < bytes {
        if entered {
            write!(s, ",Date entered \"Stage {columns}\"").unwrap();
        } else {
            write!(s, ",Extra column {columns}").unwrap();
        }
        columns += 1;
    }
    s.push('\n');
    let header_len = s.len();
    s.push_str("1,Deal,Acme,Ann,Closed Won,100,2024-01-10,2024-01-01");
    for _ in 0..columns {
        s.push_str(",x");
    }
    s.push('\n');
    let mut i = 2;
    while s.len() < 2 * header_len {
        writeln!(s, "{i},D,A,O,Prospecting,5,{},{}", date(i + 30), date(i)).unwrap();
        i += 1;
    }
    s.into_bytes()
}

/// A few deals, one of them named by a quoted cell of about `bytes` bytes of doubled quotes,
/// commas and line breaks.
fn giant_cell(bytes: usize) -> Vec<u8> {
    let mut s = format!("{HEADER}\n1,Small,Acme,Ann,Closed Won,100,2024-01-10,2024-01-01\n2,\"");
    while s.len() < bytes {
        s.push_str("He said \"\"hi\"\", then left,\r\nand ");
    }
    s.push_str(
        "\",Acme,Ann,Closed Won,100,2024-01-10,2024-01-01\n3,Small,Acme,Bob,Prospecting,5,2024-05-10,2024-01-01\n",
    );
    s.into_bytes()
}

/// `n` rows of the fewest bytes a deal can have (two columns).
fn tiny_rows(n: usize) -> Vec<u8> {
    let mut s = String::from("Stage,Amount,Close Date\n");
    for i in 0..n {
        s.push_str(if i % 3 == 0 { "Won,1,\n" } else { "Lost,2,\n" });
    }
    // Date-order inference needs the column by name.
    s.into_bytes()
}

/// `n` deals whose cells are quoted with stray quotes inside (text, per Papa Parse's rule) and
/// spaces after the closing quote, so every record takes the careful path.
fn stray_quotes(n: usize) -> Vec<u8> {
    let mut s = format!("{HEADER}\n");
    for i in 0..n {
        writeln!(
            s,
            "\"{i}\" ,\"Deal \"{i}\" of \"many\" deals\"  ,\"Acme \"\"Co\"\"\"\t,Ann,\"Closed Won\" ,100,{},{}",
            date(i + 30),
            date(i)
        )
        .unwrap();
    }
    s.into_bytes()
}

/// Rows rejected for having more cells than the header, each length a reason of its own
/// (`row has N cells…`), then as many ordinary rows.
fn rejected_rows_of_many_lengths(k: usize) -> Vec<u8> {
    let mut s = format!("{HEADER}\n");
    for extra in 1..=k {
        s.push_str("1,D,A,O,Won,5,2024-01-10,2024-01-01");
        for _ in 0..extra {
            s.push_str(",z");
        }
        s.push('\n');
    }
    let rejected = s.len();
    let mut i = 0;
    while s.len() < 2 * rejected {
        writeln!(s, "{i},D,A,O,Won,5,{},{}", date(i + 30), date(i)).unwrap();
        i += 1;
    }
    s.into_bytes()
}

#[test]
fn every_row_a_duplicate_is_linear() {
    assert_bounded("every row a duplicate", every_row_a_duplicate(50_000), every_row_a_duplicate(100_000));
}

#[test]
fn owners_one_letter_apart_are_linear() {
    assert_bounded(
        "50,000 → 100,000 owners one letter apart",
        owners_one_letter_apart(50_000),
        owners_one_letter_apart(100_000),
    );
}

#[test]
fn a_1_mb_header_line_is_linear() {
    assert_bounded(
        "0.5 → 1 MB header of stage-entry date columns",
        wide_header(500_000, true),
        wide_header(1_000_000, true),
    );
    assert_bounded("0.5 → 1 MB header of plain columns", wide_header(500_000, false), wide_header(1_000_000, false));
}

#[test]
fn one_giant_cell_is_linear() {
    assert_bounded("one quoted cell of 1 → 2 MB", giant_cell(1_000_000), giant_cell(2_000_000));
}

#[test]
fn many_tiny_rows_are_linear() {
    assert_bounded("500,000 → 1,000,000 tiny rows", tiny_rows(500_000), tiny_rows(1_000_000));
}

#[test]
fn stray_quotes_are_linear() {
    // The shape is what it says: every row reads as one deal of 8 cells, quotes kept as text.
    let rows = records_of(&stray_quotes(3), b',', usize::MAX);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1].1[..4], ["0", "Deal \"0\" of \"many\" deals", "Acme \"Co\"", "Ann"]);
    assert!(rows.iter().all(|(_, r)| r.len() == 8));
    assert_bounded("20,000 → 40,000 rows of stray quotes", stray_quotes(20_000), stray_quotes(40_000));
}

#[test]
fn rejected_rows_of_many_lengths_are_linear() {
    // Bytes grow as k²: 1,000 → 1,415 lengths is about twice the bytes.
    assert_bounded(
        "rows rejected for 1,000 → 1,415 lengths",
        rejected_rows_of_many_lengths(1_000),
        rejected_rows_of_many_lengths(1_415),
    );
}
