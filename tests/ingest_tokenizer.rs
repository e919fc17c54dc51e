//! The tokenizer's fast path (whole records with plain or simply quoted cells, read in
//! place) against its careful path (csv-core for every record) on random CSV: quotes,
//! doubled quotes, stray quotes, delimiters, CR/LF mixes, blank lines, empty cells, bytes
//! that are not UTF-8, a BOM, any cut into chunks. They must never disagree on a record,
//! its line, the blank lines or the shape of the last record (which the unclosed-quote
//! error is built from).

use proptest::prelude::*;
use revlens::ingest::text::{LastRecord, RawRecord, Tokenizer};

#[derive(Debug, PartialEq)]
struct Seen {
    records: Vec<(u32, Vec<Vec<u8>>, Vec<String>)>,
    blank_lines: Vec<u32>,
    last: Option<LastRecord>,
    lines: u32,
}

fn run(mut tok: Tokenizer, text: &[u8], cuts: &[usize]) -> Seen {
    let mut records = Vec::new();
    let mut on = |r: &RawRecord| -> Result<(), ()> {
        records.push((r.line, (0..r.len()).map(|i| r.bytes(i).to_vec()).collect(), r.to_strings()));
        Ok(())
    };
    let mut pos = 0;
    for &c in cuts {
        let end = (pos + c).min(text.len());
        tok.feed(&text[pos..end], false, &mut on).unwrap();
        pos = end;
    }
    tok.feed(&text[pos..], false, &mut on).unwrap();
    tok.feed(&[], true, &mut on).unwrap();
    Seen { records, blank_lines: tok.blank_lines.clone(), last: tok.last_record, lines: tok.lines() }
}

/// Pieces of CSV, weighted toward what breaks tokenizers.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => Just(b"a".to_vec()),
        2 => Just(b"Closed Won".to_vec()),
        2 => Just("Müller".as_bytes().to_vec()),
        3 => Just(b",".to_vec()),
        1 => Just(b";".to_vec()),
        1 => Just(b"\t".to_vec()),
        1 => Just(b"|".to_vec()),
        3 => Just(b"\"".to_vec()),
        1 => Just(b"\"\"".to_vec()),
        2 => Just(b"\r\n".to_vec()),
        2 => Just(b"\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b" ".to_vec()),
        1 => Just(vec![0xC3]),
        1 => Just(vec![0xBC]),
        1 => Just(vec![0xFF]),
        1 => Just(b"\xEF\xBB\xBF".to_vec()),
    ]
}

/// A cell as exports write it: plain, quoted, quoted with a doubled quote, a delimiter or a
/// line break inside, or empty.
fn cell() -> impl Strategy<Value = Vec<u8>> {
    let text = proptest::collection::vec(
        prop_oneof![
            6 => Just(b"x".to_vec()),
            2 => Just(b"1,234.50".to_vec()),
            1 => Just("€ü".as_bytes().to_vec()),
            1 => Just(b" ".to_vec()),
            1 => Just(b"\"\"".to_vec()),
            1 => Just(b"\n".to_vec()),
            1 => Just(b"\r\n".to_vec()),
            1 => Just(b";".to_vec()),
        ],
        0..6,
    )
    .prop_map(|p| p.concat());
    prop_oneof![
        3 => text.clone().prop_map(|t| [b"\"".to_vec(), t, b"\"".to_vec()].concat()),
        2 => "[a-z0-9 ./-]{0,12}".prop_map(String::into_bytes),
        1 => Just(Vec::new()),
        1 => text.prop_map(|t| [b"\"".to_vec(), t, b"\"tail".to_vec()].concat()),
        1 => Just(b"ab\"c".to_vec()),
    ]
}

fn structured(delimiter: u8) -> impl Strategy<Value = Vec<u8>> {
    let line_end = prop_oneof![4 => Just(b"\r\n".to_vec()), 3 => Just(b"\n".to_vec()), 1 => Just(b"\r".to_vec()), 1 => Just(b"\n\n".to_vec()), 1 => Just(b"\r\n\r\n".to_vec())];
    let record = (proptest::collection::vec(cell(), 1..6), line_end).prop_map(move |(cells, end)| {
        let mut r = cells.join(&delimiter);
        r.extend_from_slice(&end);
        r
    });
    (proptest::collection::vec(record, 0..30), any::<bool>(), any::<bool>()).prop_map(
        |(records, cut_last, unclosed)| {
            let mut t = records.concat();
            if cut_last {
                // No line break after the last record.
                while t.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                    t.pop();
                }
            }
            if unclosed {
                t.extend_from_slice(b"\"open quote,\nnever closed");
            }
            t
        },
    )
}

fn delimiter() -> impl Strategy<Value = u8> {
    prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn fast_path_agrees_on_random_bytes(
        pieces in proptest::collection::vec(piece(), 0..120),
        d in delimiter(),
        cuts in proptest::collection::vec(1usize..64, 0..8),
    ) {
        let text = pieces.concat();
        prop_assert_eq!(run(Tokenizer::new(d), &text, &[]), run(Tokenizer::careful(d), &text, &[]));
        // Same cuts on both sides: csv-core strips a BOM only when its first chunk holds it whole.
        prop_assert_eq!(run(Tokenizer::new(d), &text, &cuts), run(Tokenizer::careful(d), &text, &cuts));
    }

    #[test]
    fn fast_path_agrees_on_random_csv(
        d in delimiter(),
        text in delimiter().prop_flat_map(structured),
        cuts in proptest::collection::vec(1usize..200, 0..8),
    ) {
        let careful = run(Tokenizer::careful(d), &text, &[]);
        prop_assert_eq!(&run(Tokenizer::new(d), &text, &[]), &careful);
        prop_assert_eq!(&run(Tokenizer::new(d), &text, &cuts), &careful);
        prop_assert_eq!(&run(Tokenizer::careful(d), &text, &cuts), &careful);
    }
}

/// The fast path does take the common case (a Salesforce-style row, every cell quoted): a
/// record it reads points into the input, so a field's bytes sit inside the fed buffer.
#[test]
fn fast_path_reads_simply_quoted_rows_in_place() {
    let text = b"\"Id\",\"Name\"\r\n\"1\",\"Acme, Inc.\"\r\n\"2\",\"\"\r\n";
    let range = text.as_ptr_range();
    let mut in_place = Vec::new();
    let mut tok = Tokenizer::new(b',');
    tok.feed::<()>(text, true, &mut |r| {
        in_place.push(range.contains(&r.bytes(0).as_ptr()));
        Ok(())
    })
    .unwrap();
    // The first record goes the careful way (a BOM is stripped there); the rest are read in place.
    assert_eq!(in_place, vec![false, true, true]);
    let seen = run(Tokenizer::new(b','), text, &[]);
    assert_eq!(seen.records[1].2, vec!["1".to_string(), "Acme, Inc.".to_string()]);
    assert_eq!(seen.records[2].2, vec!["2".to_string(), String::new()]);
    assert_eq!(seen.records.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
}

/// On a Salesforce-style export (every cell quoted, CRLF) the careful path reads the first
/// record and at most one record per chunk (the one the chunk's end cuts), at any size: the
/// work of the slow path does not grow with the file.
#[test]
fn careful_path_stays_the_exception_at_two_sizes() {
    use revlens::sample::{generate, SampleOptions};
    for deals in [2_000, 20_000] {
        let file =
            generate(&SampleOptions { deals, seed: 7, snapshots: 0 }).into_iter().find(|f| f.kind == "deals").unwrap();
        let chunk = 64 * 1024;
        let mut tok = Tokenizer::new(b',');
        let mut records = 0u64;
        let mut count = |_: &RawRecord| -> Result<(), ()> {
            records += 1;
            Ok(())
        };
        let mut chunks = 0u64;
        for c in file.bytes.chunks(chunk) {
            tok.feed(c, false, &mut count).unwrap();
            chunks += 1;
        }
        tok.feed(&[], true, &mut count).unwrap();
        assert!(records > deals as u64, "{deals} deals: {records} records");
        assert!(
            tok.careful_records() <= 1 + chunks,
            "{deals} deals: {} of {records} records went the careful way ({chunks} chunks)",
            tok.careful_records()
        );
    }
}
