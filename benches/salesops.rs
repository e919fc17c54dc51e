//! The whole report, ingestion and the SalesOps lens on generated deals (the sample company
//! scaled up): `cargo bench --bench salesops`. Sizes: `REVLENS_BENCH_DEALS` (comma-separated,
//! default `100000,1000000`). Figures go in the README's performance section.
//!
//! Besides criterion's timings, each size prints the report's own per-stage split
//! (`report.timings`, the median of 5 runs per stage) as a table.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::metrics::periods::Calendar;
use revlens::metrics::sales::{sales_metrics, SalesOptions};
use revlens::report::{analyze_timed, report_from, ReportOptions};
use revlens::sample::{generate, SampleOptions};
use std::time::Instant;

fn deals_csv(n: usize) -> Vec<u8> {
    generate(&SampleOptions { deals: n, seed: 42, snapshots: 0 })
        .into_iter()
        .find(|f| f.kind == "deals")
        .expect("deals file")
        .bytes
}

fn sizes() -> Vec<usize> {
    std::env::var("REVLENS_BENCH_DEALS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![100_000, 1_000_000])
}

/// The per-stage split of the whole report: the median over `runs` timed reports, per stage.
fn stage_split(n: usize, bytes: &[u8], runs: usize) {
    let opts = ReportOptions { timings: true, ..ReportOptions::default() };
    let started = Instant::now();
    let clock = || started.elapsed().as_secs_f64() * 1000.0;
    let mut all = Vec::new();
    for _ in 0..runs {
        let r = analyze_timed(&[("deals.csv", bytes)], &opts, Some(&clock)).expect("report");
        all.push(r.timings.expect("timings"));
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("\nper-stage split, {n} deals ({:.1} MB CSV), median of {runs} reports:", bytes.len() as f64 / 1e6);
    println!("{:<24} {:>10}", "stage", "ms");
    for s in &all[0].stages {
        println!("{:<24} {:>10.1}", s.stage, median(all.iter().map(|t| t.ms(&s.stage)).collect()));
    }
    println!("{:<24} {:>10.1}\n", "total", median(all.iter().map(|t| t.total_ms).collect()));
}

fn bench(c: &mut Criterion) {
    for n in sizes() {
        let bytes = deals_csv(n);
        let opts = IngestOptions::default();
        stage_split(n, &bytes, 5);
        let mut g = c.benchmark_group(format!("{n} deals"));
        g.sample_size(10);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("ingest CSV", |b| b.iter(|| ingest_bytes("deals.csv", 0, &bytes, &opts).expect("ingest")));
        let file = ingest_bytes("deals.csv", 0, &bytes, &opts).expect("ingest");
        let (ds, _) = revlens::ingest::build_dataset(vec![file]);
        let as_of = ds.latest_event_day().expect("dates");
        g.throughput(Throughput::Elements(ds.deals.len() as u64));
        g.bench_function("SalesOps lens", |b| {
            b.iter(|| sales_metrics(&ds.deals, &SalesOptions { as_of, calendar: Calendar::default() }))
        });
        g.bench_function("whole report (CSV bytes to Report)", |b| {
            b.iter(|| {
                let file = ingest_bytes("deals.csv", 0, &bytes, &opts).expect("ingest");
                report_from(vec![file], &ReportOptions::default()).expect("report")
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
