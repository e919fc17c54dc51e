//! `analyze_streams` (what the CLI uses for files on disk: read a megabyte at a time, never held
//! whole) gives the same report as `analyze` on the same bytes held in memory, whatever the
//! sizes of the reads; a read that fails is the file's error, naming it. A file's size, when
//! known, sizes its columns at once and changes nothing else.

use revlens::ingest::rows::KindData;
use revlens::ingest::{FileIngest, IngestOptions, IngestedFile};
use revlens::report::{analyze, analyze_streams, ReportOptions};
use revlens::sample::{generate, SampleOptions};
use std::io::Read;

/// A reader that hands out at most `step` bytes per read, then fails after `fail_after` bytes
/// when that is set.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
    fail_after: Option<usize>,
    at: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_after.is_some_and(|n| self.at >= n) {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.step).min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn opts() -> ReportOptions {
    ReportOptions { as_of: Some("2025-01-01".into()), ..Default::default() }
}

#[test]
fn streamed_files_report_as_files_in_memory() {
    let files = generate(&SampleOptions { deals: 2_000, seed: 7, snapshots: 0 });
    let in_memory: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let expected = serde_json::to_string(&analyze(&in_memory, &opts()).unwrap()).unwrap();
    for step in [1 << 20, 4_093, 1] {
        let mut readers: Vec<Trickle> =
            files.iter().map(|f| Trickle { bytes: &f.bytes, step, fail_after: None, at: 0 }).collect();
        let mut streams: Vec<(&str, Option<u64>, &mut dyn Read)> = files
            .iter()
            .zip(readers.iter_mut())
            .map(|(f, r)| (f.name.as_str(), Some(f.bytes.len() as u64), r as &mut dyn Read))
            .collect();
        let report = analyze_streams(&mut streams, &opts(), None).unwrap();
        assert_eq!(serde_json::to_string(&report).unwrap(), expected, "reads of {step} bytes");
    }
}

#[test]
fn a_failed_read_is_the_files_error() {
    let files = generate(&SampleOptions { deals: 500, seed: 7, snapshots: 0 });
    let deals = files.iter().find(|f| f.kind == "deals").unwrap();
    let mut one = Trickle { bytes: &deals.bytes, step: 1000, fail_after: Some(3000), at: 0 };
    let mut streams: Vec<(&str, Option<u64>, &mut dyn Read)> = vec![("deals.csv", None, &mut one)];
    let err = analyze_streams(&mut streams, &opts(), None).unwrap_err();
    assert_eq!(err.code(), "READ_ERROR");
    assert_eq!(err.to_string(), "deals.csv: could not be read: the disk went away");

    // Among several files, the one that fails is listed and the others are analysed.
    let quotas = files.iter().find(|f| f.kind == "quotas").unwrap();
    let mut failing = Trickle { bytes: &deals.bytes, step: 1000, fail_after: Some(3000), at: 0 };
    let mut fine = Trickle { bytes: &quotas.bytes, step: 1000, fail_after: None, at: 0 };
    let mut streams: Vec<(&str, Option<u64>, &mut dyn Read)> =
        vec![("deals.csv", None, &mut failing), ("quotas.csv", None, &mut fine)];
    let report = analyze_streams(&mut streams, &opts(), None).unwrap();
    assert_eq!(report.files_not_read.len(), 1);
    assert_eq!(report.files_not_read[0].code, "READ_ERROR");
    assert_eq!(report.files_not_read[0].file, "deals.csv");
}

/// Told the file's size, the reader gives its columns room for every row once, early: they end
/// with little to spare (a doubling series ends with up to twice the rows, and in wasm keeps the
/// buffers it outgrew). Every row and the file's report are the same as when it is not told.
#[test]
fn a_known_size_sizes_the_columns_once_and_changes_nothing_else() {
    let files = generate(&SampleOptions { deals: 20_000, seed: 7, snapshots: 0 });
    for kind in ["deals", "leads"] {
        let file = files.iter().find(|f| f.kind == kind).unwrap();
        let read = |size: Option<u64>| -> IngestedFile {
            let mut f = FileIngest::new(&file.name, 0, &IngestOptions::default());
            if let Some(size) = size {
                f.expect_size(size);
            }
            for chunk in file.bytes.chunks(64 << 10) {
                f.push(chunk).unwrap();
            }
            f.finish().unwrap()
        };
        let (sized, grown) = (read(Some(file.bytes.len() as u64)), read(None));
        assert_eq!(serde_json::to_string(&sized.report).unwrap(), serde_json::to_string(&grown.report).unwrap());
        let (rows, room, rows_grown) = match (&sized.data, &grown.data) {
            (KindData::Deals(a, _), KindData::Deals(b, _)) => {
                assert!(a.iter().zip(b.iter()).all(|(x, y)| format!("{x:?}") == format!("{y:?}")));
                (a.len(), a.amount.capacity().min(a.origin.capacity()), b.len())
            }
            (KindData::Leads(a), KindData::Leads(b)) => {
                assert!(a.iter().zip(b.iter()).all(|(x, y)| format!("{x:?}") == format!("{y:?}")));
                (a.len(), a.created.capacity().min(a.origin.capacity()), b.len())
            }
            _ => panic!("{kind}: read as another kind"),
        };
        assert_eq!(rows, rows_grown, "{kind}");
        assert!(rows > 10_000, "{kind}: {rows} rows");
        assert!(room >= rows && room <= rows + rows / 10, "{kind}: room for {room} at {rows} rows");
    }
}

/// Short first rows before long ones over-estimate the rows to come; the estimate is held to one
/// row per 64 bytes of the file, so the room reserved stays within a small multiple of its size.
#[test]
fn short_rows_first_do_not_reserve_past_the_files_size() {
    let mut csv = String::from(
        "Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date,Description\n",
    );
    for i in 0..1_200 {
        csv.push_str(&format!("D-{i},N,A{},O,Closed Won,10,2024-01-05,2024-02-01,\n", i % 50));
    }
    let notes = "x".repeat(2_000);
    for i in 1_200..4_200 {
        csv.push_str(&format!("D-{i},N,A{},O,Closed Won,10,2024-01-05,2024-02-01,{notes}\n", i % 50));
    }
    let mut f = FileIngest::new("deals.csv", 0, &IngestOptions::default());
    f.expect_size(csv.len() as u64);
    for chunk in csv.as_bytes().chunks(64 << 10) {
        f.push(chunk).unwrap();
    }
    let file = f.finish().unwrap();
    let KindData::Deals(d, _) = &file.data else { panic!("read as another kind") };
    assert_eq!(d.len(), 4_200);
    // The first chunk alone (all short rows and a few long ones) says ~100k rows; held to 1 per 64 bytes.
    assert!(d.amount.capacity() <= csv.len() / 64 + 64, "room for {} rows in {} bytes", d.amount.capacity(), csv.len());
}
