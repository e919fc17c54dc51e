//! Replays the minimised fuzz corpus (`fuzz/corpus/<target>/`, crash inputs included) through
//! the same bodies the afl targets run (`revlens::fuzzing`): every input must pass the targets'
//! checks, so a fixed crash stays fixed without afl. `REVLENS_FUZZ_CORPUS=DIR` replays another
//! folder of the same layout instead (e.g. an afl run's queues, copied per target).

use revlens::fuzzing::TARGETS;
use std::path::{Path, PathBuf};

fn corpus_root() -> PathBuf {
    match std::env::var_os("REVLENS_FUZZ_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus"),
    }
}

fn replay(target: &str) {
    let (_, body) = TARGETS.iter().find(|(name, _)| *name == target).expect("a target of revlens::fuzzing");
    let dir = corpus_root().join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no corpus", dir.display());
    for path in &files {
        let bytes = std::fs::read(path).expect("a corpus file");
        if let Err(panic) = std::panic::catch_unwind(|| body(&bytes)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("fuzz target {target} fails on {}: {why}", path.display());
        }
    }
    println!("{target}: {} inputs replayed", files.len());
}

#[test]
fn every_target_has_a_corpus() {
    for (name, _) in TARGETS {
        assert!(corpus_root().join(name).is_dir(), "fuzz/corpus/{name} is missing");
    }
}

#[test]
fn csv() {
    replay("csv");
}

#[test]
fn values() {
    replay("values");
}

#[test]
fn spreadsheet() {
    replay("spreadsheet");
}

#[test]
fn series() {
    replay("series");
}

#[test]
fn analyze() {
    replay("analyze");
}

#[test]
fn analyze_multi() {
    replay("analyze_multi");
}

/// Found by fuzzing (fuzz/corpus/analyze/hang-date-in-year-9154.csv, a hang of 3–5 s in the
/// afl build): one date in year 1 or 9999 made every monthly series run over 120,000 months
/// (0.9 s, 400 MB and an 85 MB report from 200 bytes). Such a date is now unreadable, a finding
/// on its line, and the series span the other dates.
#[test]
fn a_date_in_year_1_or_9999_is_unreadable_not_120000_months() {
    let csv = "Opportunity Name,Stage,Amount,Close Date,Created Date,Owner\n\
               A,Closed Won,100,2024-12-31,0001-01-01,Anna\n\
               B,Closed Lost,200,2025-01-15,2024-11-02,Bo\n\
               C,Prospecting,300,,9999-01-01,Anna\n";
    let opts = revlens::report::ReportOptions { simulations: Some(0), ..Default::default() };
    let report = revlens::report::analyze(&[("deals.csv", csv.as_bytes())], &opts).unwrap();
    let file = &report.quality.files[0];
    assert_eq!((file.rows_read, file.rows_used), (3, 3));
    let group = file.findings.0.iter().find(|g| g.column == Some(5)).expect("a finding on Created Date");
    assert_eq!(group.lines, vec![2, 4]);
    assert!(group.examples[0].1.contains("outside the years 1900–2199"), "{:?}", group.examples);
    // Bookings by month: 2024-12 and 2025-01, not every month from year 1.
    let months: Vec<&str> = report
        .metrics
        .iter()
        .filter(|m| m.id == "bookings" && m.by.is_none())
        .filter_map(|m| m.period.as_deref())
        .collect();
    assert!(!months.is_empty() && months.len() <= 12, "{months:?}");
    assert!(months.iter().all(|p| p.starts_with("2024") || p.starts_with("2025")), "{months:?}");
}
