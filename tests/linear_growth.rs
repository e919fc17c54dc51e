//! Report building grows linearly with its input: the work each stage does (rows and examples
//! visited, comparisons made — counted by `revlens::work`, not timed) on the sample company at
//! 2N deals is at most 2.1 × the work at N.
//!
//! The stages are the report's own (`timings` with a clock that reads the work counter instead
//! of milliseconds), so a stage made superlinear later — a sort over rows, a loop over rows
//! inside a loop over rows — shows up here. Ingestion (`src/ingest`) and the bookings
//! time-series forecast (a series whose length is the number of periods, not of rows) are not
//! counted.

mod common;

use revlens::ingest::IngestedFile;
use revlens::report::{report_from_timed, ReportOptions};
use revlens::timings::{stage, Timings};

fn ingested(deals: usize) -> Vec<IngestedFile> {
    common::sample_ingested(deals, &[])
}

/// Work per stage of the whole report on the sample company with `deals` deals.
fn work(deals: usize, opts: &ReportOptions) -> Timings {
    let files = ingested(deals);
    let clock = || revlens::work::done() as f64;
    let report =
        report_from_timed(files, &ReportOptions { timings: true, ..opts.clone() }, Some(&clock), Vec::new()).unwrap();
    report.timings.unwrap()
}

const STAGES: [&str; 6] = [
    stage::QUALITY,
    stage::REVOPS,
    stage::SALESOPS,
    stage::WIN_PROBABILITY,
    stage::PIPELINE,
    stage::PIPELINE_DISTRIBUTION,
];

fn assert_linear(n: usize, opts: &ReportOptions) {
    let (a, b) = (work(n, opts), work(2 * n, opts));
    for s in STAGES {
        let (x, y) = (a.ms(s), b.ms(s));
        println!("{s:<24} {x:>12} {y:>12}  ×{:.3}", y / x);
        assert!(x > 0.0, "{s}: no work counted at {n} deals");
        assert!(y <= 2.1 * x, "{s}: work ×{:.3} from {n} to {} deals ({x} → {y})", y / x, 2 * n);
    }
}

#[test]
fn every_stage_grows_linearly_with_the_deals() {
    assert_linear(3_000, &ReportOptions::default());
}
