//! Ingestion throughput (CSV bytes → typed columns) on the sample company's Salesforce
//! opportunities report at 100,000 and 1,000,000 deals (`revlens sample --deals N`: every
//! field quoted, CRLF, a blank line and a two-line footer): `cargo bench --bench ingest`.
//! `REVLENS_BENCH_DEALS=100000` (comma-separated) picks other sizes. Besides the whole
//! ingest, "tokenize" times the bytes → records pass alone, so the split is visible.
//!
//! Each case is measured twice: in wall-clock time (criterion's default) and in the CPU
//! time of the benchmarking thread (`/proc/thread-self/schedstat`, Linux), which other
//! processes on a shared machine inflate far less; the "cpu" groups report MiB/s of CPU time.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use revlens::ingest::text::{RawRecord, Tokenizer};
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::sample::{generate, SampleOptions};
use std::hint::black_box;
use std::time::Instant;

fn deals_csv(n: usize) -> Vec<u8> {
    generate(&SampleOptions { deals: n, seed: 42, snapshots: 0 })
        .into_iter()
        .find(|f| f.kind == "deals")
        .expect("deals file")
        .bytes
}

fn sizes() -> Vec<usize> {
    match std::env::var("REVLENS_BENCH_DEALS") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![100_000, 1_000_000],
    }
}

/// CPU time of the calling thread in nanoseconds, where Linux tells it; wall-clock time
/// (since the first call) elsewhere.
struct ThreadCpu;

fn thread_cpu_ns() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()))
        .unwrap_or_else(|| START.get_or_init(Instant::now).elapsed().as_nanos() as f64)
}

impl Measurement for ThreadCpu {
    type Intermediate = f64;
    type Value = f64;
    fn start(&self) -> f64 {
        thread_cpu_ns()
    }
    fn end(&self, start: f64) -> f64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, value: &f64) -> f64 {
        *value
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, as wall-clock time is.
        WallTime.formatter()
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>, clock: &str) {
    let opts = IngestOptions::default();
    for n in sizes() {
        let bytes = deals_csv(n);
        let mut g = c.benchmark_group(format!("ingest {n} deals ({:.1} MB), {clock}", bytes.len() as f64 / 1e6));
        g.sample_size(10);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("tokenize", |b| {
            b.iter(|| {
                let mut tok = Tokenizer::new(b',');
                let mut cells = 0usize;
                let mut count = |r: &RawRecord| -> Result<(), ()> {
                    cells += r.len();
                    Ok(())
                };
                for chunk in bytes.chunks(1 << 20) {
                    tok.feed(chunk, false, &mut count).expect("tokenize");
                }
                tok.feed(&[], true, &mut count).expect("tokenize");
                black_box(cells)
            })
        });
        g.bench_function("ingest CSV", |b| {
            b.iter(|| black_box(ingest_bytes("deals.csv", 0, &bytes, &opts).expect("ingest")))
        });
        g.finish();
    }
}

fn wall(c: &mut Criterion) {
    bench(c, "wall");
}

fn cpu(c: &mut Criterion<ThreadCpu>) {
    bench(c, "cpu");
}

criterion_group!(wall_clock, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu
}
criterion_main!(wall_clock, cpu_time);
