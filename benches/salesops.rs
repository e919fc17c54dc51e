//! The SalesOps lens and ingestion on 1,000,000 generated deals (the sample company scaled
//! up): `cargo bench --bench salesops`. Figures go in the README's performance section.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::metrics::periods::Calendar;
use revlens::metrics::sales::{sales_metrics, SalesOptions};
use revlens::report::{report_from, ReportOptions};
use revlens::sample::{generate, SampleOptions};

fn deals_csv(n: usize) -> Vec<u8> {
    generate(&SampleOptions { deals: n, seed: 42 }).into_iter().find(|f| f.kind == "deals").expect("deals file").bytes
}

fn bench(c: &mut Criterion) {
    let n = std::env::var("REVLENS_BENCH_DEALS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let bytes = deals_csv(n);
    let opts = IngestOptions::default();
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

criterion_group!(benches, bench);
criterion_main!(benches);
