//! The memory ceiling: an input past `max_bytes` (all files together) is a `TOO_LARGE` error that
//! names the file, the size and the limit, raised before any byte is decoded; at the limit exactly
//! the report is made. The CLI holds files to `--max-bytes` by their sizes before reading them.

use revlens::report::{analyze, human_bytes, prepared_dataset, size_text, ReportError, ReportOptions};
use std::process::Command;

const DEALS: &str = "Deal Name,Stage,Amount,Close Date,Created Date\n\
A,Closed Won,100,2024-02-01,2024-01-01\n\
B,Closed Lost,50,2024-02-03,2024-01-03\n\
C,Prospecting,70,2024-03-01,2024-01-05\n";

fn limited(max_bytes: u64) -> ReportOptions {
    ReportOptions { max_bytes: Some(max_bytes), simulations: Some(0), ..Default::default() }
}

#[test]
fn one_byte_over_the_limit_is_too_large_and_the_limit_itself_is_not() {
    let n = DEALS.len() as u64;
    let report = analyze(&[("deals.csv", DEALS.as_bytes())], &limited(n)).expect("at the limit");
    assert_eq!(report.files[0].rows_used, 3);
    let err = analyze(&[("deals.csv", DEALS.as_bytes())], &limited(n - 1)).unwrap_err();
    assert_eq!(err, ReportError::TooLarge { file: "deals.csv".into(), bytes: n, limit: n - 1 });
    assert_eq!(err.code(), "TOO_LARGE");
    let message = err.to_string();
    for part in [
        "deals.csv",
        &format!("{n} bytes"),
        &format!("{} bytes", n - 1),
        "max_bytes",
        "fewer columns",
        "date range",
        "command-line",
    ] {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
}

#[test]
fn the_total_of_all_files_counts_and_the_error_names_the_file_that_passed_it() {
    let n = DEALS.len() as u64;
    let files = [("a.csv", DEALS.as_bytes()), ("b.csv", DEALS.as_bytes()), ("c.csv", DEALS.as_bytes())];
    let err = analyze(&files, &limited(2 * n + 1)).unwrap_err();
    assert_eq!(err, ReportError::TooLarge { file: "c.csv".into(), bytes: 3 * n, limit: 2 * n + 1 });
    assert!(analyze(&files, &limited(3 * n)).is_ok());
}

#[test]
fn the_size_is_checked_before_anything_is_decoded() {
    // Unreadable content (a quote that never closes, a file of no known kind): without the limit
    // each is its own error; past the limit, nothing was read, so the size is the error.
    let open_quote = "Deal Name,Stage,Amount\n\"A,Closed Won,100\nB,Closed Won,5\nC,Closed Won,6\n";
    let unknown = "foo,bar\n1,2\n";
    let none = ReportOptions { max_bytes: None, ..Default::default() };
    assert_eq!(analyze(&[("q.csv", open_quote.as_bytes())], &none).unwrap_err().code(), "CSV_SYNTAX");
    assert_eq!(analyze(&[("u.csv", unknown.as_bytes())], &none).unwrap_err().code(), "UNKNOWN_FILE_KIND");
    let files = [("u.csv", unknown.as_bytes()), ("q.csv", open_quote.as_bytes())];
    let err = analyze(&files, &limited(20)).unwrap_err();
    assert_eq!(
        err,
        ReportError::TooLarge { file: "q.csv".into(), bytes: (unknown.len() + open_quote.len()) as u64, limit: 20 }
    );
    // What `revlens canonical` reads is held to it too.
    assert_eq!(prepared_dataset(&[("d.csv", DEALS.as_bytes())], &limited(10)).unwrap_err().code(), "TOO_LARGE");
}

#[test]
fn natively_there_is_no_default_limit_in_webassembly_one_gib() {
    assert_eq!(ReportOptions::default().input_limit(), None);
    assert_eq!(revlens::report::WASM_MAX_BYTES, 1_073_741_824);
    assert_eq!(limited(5).input_limit(), Some(5));
    // Sizes checked before reading (the worker's and the CLI's way): the running total.
    let opts = limited(100);
    assert!(opts.check_input_sizes([("a", 60), ("b", 40)]).is_ok());
    assert_eq!(
        opts.check_input_sizes([("a", 60), ("b", 41), ("c", 1)]).unwrap_err(),
        ReportError::TooLarge { file: "b".into(), bytes: 101, limit: 100 }
    );
    assert!(opts.check_input_sizes([("huge", u64::MAX), ("more", u64::MAX)]).is_err(), "no overflow");
}

#[test]
fn sizes_read_as_people_say_them() {
    assert_eq!(human_bytes(900), "900 bytes");
    assert_eq!(human_bytes(10 * 1024), "10 KiB");
    // 23,052,694 / 2^20 = 21.985: within 0.05 of 22.
    assert_eq!(human_bytes(23_052_694), "22 MiB");
    assert_eq!(human_bytes(3 * (1 << 20) / 2), "1.5 MiB");
    assert_eq!(human_bytes(1536 << 20), "1.5 GiB");
    assert_eq!(human_bytes(1 << 30), "1 GiB");
    assert_eq!(size_text(10), "10 bytes");
    assert_eq!(size_text(1 << 30), "1 GiB (1073741824 bytes)");
}

fn revlens(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_revlens")).args(args).output().expect("run revlens");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_holds_files_to_max_bytes_with_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("revlens-too-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 2,000 bytes of deals: over 1K (1,024), under 2K.
    let mut text = String::from(DEALS);
    let mut i = 0;
    while text.len() < 2000 {
        text += &format!("D{i},Closed Won,10,2024-02-01,2024-01-01\n");
        i += 1;
    }
    text.truncate(text[..2000].rfind('\n').unwrap() + 1);
    let n = text.len();
    let file = dir.join("deals.csv");
    std::fs::write(&file, &text).unwrap();
    let path = file.to_str().unwrap();

    let (code, out, err) = revlens(&["report", path, "--max-bytes", "1K"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty(), "nothing printed on stdout: {out}");
    for part in ["[TOO_LARGE]", "deals.csv", &format!("({n} bytes)"), "(1024 bytes)", "--max-bytes", "fewer columns"] {
        assert!(err.contains(part), "{part:?} missing from: {err}");
    }
    let (code, _, err) = revlens(&["report", path, "--max-bytes", &n.to_string(), "--simulations", "0"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = revlens(&["report", path, "--max-bytes", "2k", "--simulations", "0"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = revlens(&["report", path, "--max-bytes", "none", "--simulations", "0"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) =
        revlens(&["canonical", path, "--out", dir.join("out").to_str().unwrap(), "--max-bytes", "100"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("[TOO_LARGE]"), "{err}");
    let (code, _, err) = revlens(&["report", path, "--max-bytes", "lots"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--max-bytes") && err.contains("'lots'"), "{err}");
    // The embedded sample (no files) is held to it too.
    let (code, _, err) = revlens(&["report", "--max-bytes", "1000"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("[TOO_LARGE]"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

/// A spreadsheet counts as what it expands to: its cells are decoded from the unzipped XML, at
/// many times the zip's size.
#[cfg(feature = "spreadsheets")]
#[test]
fn a_spreadsheet_counts_as_its_expanded_size() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in ["Opportunity Name", "Stage", "Amount", "Close Date"].iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=2000u32 {
        sheet.write(r, 0, format!("Deal {r}")).unwrap();
        sheet.write(r, 1, if r % 2 == 0 { "Closed Won" } else { "Closed Lost" }).unwrap();
        sheet.write(r, 2, 100.0 + r as f64).unwrap();
        sheet.write(r, 3, "2024-02-01").unwrap();
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let expanded = revlens::limits::zip_expanded_size(&xlsx).expect("a zip directory");
    // 2,000 rows of four cells: the XML is well over 100 KB, the zip a fraction of it.
    assert!(expanded > 100_000 && expanded > 3 * xlsx.len() as u64, "{expanded} vs {}", xlsx.len());
    assert_eq!(revlens::limits::input_size(&xlsx), expanded);
    let between = ReportOptions { max_bytes: Some(2 * xlsx.len() as u64), simulations: Some(0), ..Default::default() };
    assert_eq!(
        analyze(&[("deals.xlsx", &xlsx)], &between).unwrap_err(),
        ReportError::TooLarge { file: "deals.xlsx".into(), bytes: expanded, limit: 2 * xlsx.len() as u64 }
    );
    let report = analyze(&[("deals.xlsx", &xlsx)], &limited(expanded)).unwrap();
    assert_eq!(report.files[0].rows_used, 2000);
}
