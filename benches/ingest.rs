//! Ingestion throughput (CSV bytes → typed columns) on the sample company's Salesforce
//! opportunities report at 100,000 and 1,000,000 deals (`revlens sample --deals N`: every
//! field quoted, CRLF, a blank line and a two-line footer): `cargo bench --bench ingest`.
//! `REVLENS_BENCH_DEALS=100000` (comma-separated) picks other sizes. Besides the whole
//! ingest, "tokenize" times the bytes → records pass alone, so the split is visible.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use revlens::ingest::text::{RawRecord, Tokenizer};
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::sample::{generate, SampleOptions};
use std::hint::black_box;

fn deals_csv(n: usize) -> Vec<u8> {
    generate(&SampleOptions { deals: n, seed: 42 }).into_iter().find(|f| f.kind == "deals").expect("deals file").bytes
}

fn sizes() -> Vec<usize> {
    match std::env::var("REVLENS_BENCH_DEALS") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![100_000, 1_000_000],
    }
}

fn bench(c: &mut Criterion) {
    let opts = IngestOptions::default();
    for n in sizes() {
        let bytes = deals_csv(n);
        let mut g = c.benchmark_group(format!("ingest {n} deals ({:.1} MB)", bytes.len() as f64 / 1e6));
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

criterion_group!(benches, bench);
criterion_main!(benches);
