//! Two threads give the report one thread gives: a file read in parts at once
//! (`FileIngest::push_parallel`) gives the columns, line numbers and report of the file read
//! from start to end, whatever falls at the split (a quoted line break, a footer-like one-cell
//! row, a rejected row, a blank line, CRLF or a lone CR, Windows-1252 text), and a report whose
//! lenses ran side by side is byte-identical to one whose lenses ran one after the other, or
//! apart (two web workers: each side from the files read on its own, then joined).

use proptest::prelude::*;
use revlens::ingest::{FileIngest, IngestError, IngestOptions, IngestedFile, ReadAt};
use revlens::report::{analyze, company_side_of, sales_side_of, DealFilter, ReportOptions};
use revlens::sample::{generate, SampleOptions};

/// The file read from start to end on one thread.
fn one_thread(bytes: &[u8]) -> Result<IngestedFile, IngestError> {
    let mut f = FileIngest::new("deals.csv", 0, &IngestOptions::default());
    f.push_all(bytes)?;
    f.finish()
}

/// The file read with `threads` threads, whatever is left after the head cut in as many
/// parts; how many parts were read and joined.
fn in_parts(bytes: &[u8], threads: usize) -> (Result<IngestedFile, IngestError>, usize) {
    let mut f = FileIngest::new("deals.csv", 0, &IngestOptions::default());
    let src: &[u8] = bytes;
    match f.push_parallel_with(&src as &dyn ReadAt, threads, 0) {
        Ok(parts) => (f.finish(), parts),
        Err(e) => (Err(e), 0),
    }
}

fn two_threads(bytes: &[u8]) -> (Result<IngestedFile, IngestError>, bool) {
    let (r, parts) = in_parts(bytes, 2);
    (r, parts == 2)
}

/// Everything read: the columns (every value, symbol codes and dictionaries, origins) and the
/// report (counts, every line of every group), or the error.
fn fingerprint(r: &Result<IngestedFile, IngestError>) -> String {
    match r {
        Ok(f) => format!("{:?}\n{}", f.data, serde_json::to_string(&f.report).unwrap()),
        Err(e) => format!("error {e:?}"),
    }
}

/// A deals export of `rows` plain rows, long enough that rows are typed before its middle.
fn plain_rows(rows: usize, line_end: &str) -> String {
    let mut out = format!("Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Owner{line_end}");
    for i in 0..rows {
        let stage = ["Prospecting", "Closed Won", "Closed Lost", "Negotiation"][i % 4];
        out += &format!(
            "D{i},Deal {i},Account {},{stage},{},2025-{:02}-{:02},Owner {}{line_end}",
            i % 701,
            1000 + i % 977,
            1 + i % 12,
            1 + i % 28,
            i % 9
        );
    }
    out
}

#[test]
fn parts_joined_give_the_file_read_whole() {
    for line_end in ["\n", "\r\n", "\r"] {
        let text = plain_rows(8000, line_end);
        let whole = fingerprint(&one_thread(text.as_bytes()));
        for threads in [2, 3, 5] {
            let (read, parts) = in_parts(text.as_bytes(), threads);
            assert_eq!(parts, threads, "read in {threads} parts ({line_end:?})");
            assert_eq!(fingerprint(&read), whole, "{threads} parts, {line_end:?}");
        }
    }
}

#[test]
fn a_part_starting_inside_a_quoted_cell_is_read_again_on_one_thread() {
    // After the head, one record whose quoted note holds every line break of the tail: the
    // line break the split lands on is inside it.
    let mut text = plain_rows(6000, "\n");
    text += "D-long,\"Long note";
    for i in 0..20_000 {
        text += &format!("\nline {i} of the note, with a comma");
    }
    text += "\",Acme,Closed Won,10,2025-03-03,Ann\nD-last,Last,Acme,Closed Lost,5,2025-03-04,Bob\n";
    let whole = fingerprint(&one_thread(text.as_bytes()));
    let (two, split) = two_threads(text.as_bytes());
    assert!(!split, "the halves are not joined");
    assert_eq!(fingerprint(&two), whole);
    // In four parts: those starting inside the note are read again.
    let (four, parts) = in_parts(text.as_bytes(), 4);
    assert!(parts < 4, "{parts} parts joined");
    assert_eq!(fingerprint(&four), whole);
}

#[test]
fn one_cell_rows_held_at_the_split_and_a_footer_at_the_end() {
    // One-cell rows around the middle are data (full rows follow); those at the end are the
    // report's footer.
    let mut text = plain_rows(9000, "\n");
    let middle = text.len() * 3 / 5;
    let cut = middle + text[middle..].find('\n').unwrap() + 1;
    let mut held = String::new();
    for i in 0..300 {
        held += &format!("lonely {i}\n\n");
    }
    text.insert_str(cut, &held);
    text += "\nConfidential Information - Do Not Distribute\n\"Copyright (c) 2000-2026 salesforce.com, inc.\"\n";
    let one = one_thread(text.as_bytes());
    let (two, split) = two_threads(text.as_bytes());
    assert!(split);
    assert_eq!(fingerprint(&two), fingerprint(&one));
    let report = &one.unwrap().report;
    assert!(report.skipped.0.iter().any(|g| g.reason == "report footer" && g.count == 2), "{:?}", report.skipped);
}

/// A record of the file's tail: plain, or one of the shapes that test the split.
fn tail_record(kind: u8, i: usize) -> String {
    match kind % 12 {
        0 => format!("T{i},\"Quoted, with comma\",Acme,Closed Won,12,2025-01-02,Ann\n"),
        1 => format!("T{i},\"Two\nlines\",Acme,Prospecting,5,2025-02-03,Bob\n"),
        2 => format!("T{i},\"He said \"\"hi\"\"\",Acme,Closed Lost,7,2025-03-04,Cy\n"),
        3 => format!("T{i},Stray \" quote,Acme,Negotiation,9,2025-04-05,Di\n"),
        4 => format!("T{i},Bad amount,Acme,Closed Won,n/a,2025-05-06,Ed\n"),
        5 => format!("T{i},Bad date,Acme,Closed Won,3,someday,Flo\n"),
        6 => "\n".to_string(),
        7 => format!("one cell {i}\n"),
        8 => format!("T{i},Too wide,Acme,Closed Won,3,2025-01-01,Gus,extra\n"),
        9 => format!("T{i},CRLF row,Acme,Closed Won,4,2025-06-07,Hal\r\n"),
        10 => format!("T{i},M\u{fc}ller,Acme,Closed Won,4,2025-06-07,Ida\n"),
        _ => format!("T{i},No stage,Acme,,4,2025-06-07,Jo\n"),
    }
}

/// `head` followed by a tail of the records `kinds` picks ([`tail_record`]), with a quote that
/// never closes before record `unclosed_quote_at`, and a last record with no line break after it.
fn with_tail(mut text: String, kinds: &[u8], unclosed_quote_at: Option<usize>, end_without_line_break: bool) -> String {
    for (i, k) in kinds.iter().enumerate() {
        if unclosed_quote_at == Some(i) {
            text += &format!("U{i},\"never closes,Acme,Closed Won,1,2025-01-01,Kim\n");
        }
        text += &tail_record(*k, i);
    }
    if end_without_line_break {
        text += "T-last,Last,Acme,Closed Won,1,2025-01-01,Lu";
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any mix of records after the head reads the same in parts as from start to end.
    #[test]
    fn any_tail_reads_the_same_in_parts(
        kinds in proptest::collection::vec(any::<u8>(), 200..3000),
        end_without_line_break in any::<bool>(),
        unclosed_quote_at in proptest::option::of(0usize..3000),
        threads in 2usize..6,
    ) {
        let text = with_tail(plain_rows(5000, "\n"), &kinds, unclosed_quote_at, end_without_line_break);
        let (read, _) = in_parts(text.as_bytes(), threads);
        prop_assert_eq!(fingerprint(&read), fingerprint(&one_thread(text.as_bytes())));
    }
}

#[test]
fn windows_1252_text_splits_too() {
    let text = plain_rows(8000, "\r\n").replace("Deal 7", "M\u{fc}ller 7");
    let bytes: Vec<u8> = text.chars().map(|c| if c == 'ü' { 0xFC } else { c as u8 }).collect();
    let (two, split) = two_threads(&bytes);
    assert!(split);
    assert_eq!(fingerprint(&two), fingerprint(&one_thread(&bytes)));
}

/// The report with `threads`, as JSON.
fn report_json(files: &[(String, Vec<u8>)], threads: usize, filter: DealFilter) -> String {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let opts = ReportOptions { threads: Some(threads), filter, ..ReportOptions::default() };
    serde_json::to_string(&analyze(&files, &opts).expect("a report")).unwrap()
}

#[test]
fn reports_with_one_and_two_threads_are_identical() {
    // Large enough (about 9 MB of deals) for the deals and history files to be read in halves.
    let files: Vec<(String, Vec<u8>)> = generate(&SampleOptions { deals: 40_000, ..SampleOptions::default() })
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect();
    assert!(files.iter().any(|(_, b)| b.len() > 8 << 20), "a file large enough to split");
    let owner = {
        let one: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let r = analyze(&one, &ReportOptions { threads: Some(1), ..ReportOptions::default() }).unwrap();
        r.leaderboard[0].owner.clone()
    };
    for filter in [DealFilter::default(), DealFilter { owner: vec![owner], ..DealFilter::default() }] {
        let one = report_json(&files, 1, filter.clone());
        for threads in [2, 4] {
            assert_eq!(one, report_json(&files, threads, filter.clone()), "{threads} threads");
        }
    }
}

/// The files read one by one, as a worker reads them.
fn read_all(files: &[(String, Vec<u8>)], opts: &ReportOptions) -> Vec<IngestedFile> {
    let mut read = Vec::new();
    for (name, bytes) in files {
        let mut f = FileIngest::new(name, read.len() as u32, &opts.ingest);
        f.push_all(bytes).unwrap();
        read.push(f.finish().unwrap());
    }
    read
}

#[test]
fn a_report_made_apart_is_the_report_made_at_once() {
    let files: Vec<(String, Vec<u8>)> = generate(&SampleOptions { deals: 6_000, ..SampleOptions::default() })
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect();
    let filters = [DealFilter::default(), DealFilter { region: vec!["EMEA".into()], ..DealFilter::default() }];
    for filter in filters {
        let opts = ReportOptions { threads: Some(1), filter: filter.clone(), ..ReportOptions::default() };
        let one = report_json(&files, 1, filter.clone());
        let company = company_side_of(read_all(&files, &opts), &opts, None).unwrap();
        let apart = sales_side_of(read_all(&files, &opts), &opts, None, Vec::new()).unwrap().finish(company);
        assert_eq!(serde_json::to_string(&apart).unwrap(), one, "joined with the company side ({filter:?})");
        assert!(one.contains("\"data_quality_score\"") && one.contains("\"revops\""));
        // When the other worker gives nothing, the SalesOps side computes the company side too.
        let alone = sales_side_of(read_all(&files, &opts), &opts, None, Vec::new()).unwrap().finish_alone(&opts);
        assert_eq!(serde_json::to_string(&alone).unwrap(), one, "alone ({filter:?})");
    }
}

/// Where the record after the first line break at or after `from` starts (an LF, a CRLF, a CR
/// alone), as the worker finds the cut between two web workers.
fn line_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    let i = from + bytes.get(from..)?.iter().position(|&b| b == b'\n' || b == b'\r')?;
    Some(if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 })
}

/// The chunks a part is written in (None: it was not written).
fn chunks_of(write: impl FnOnce(&mut dyn FnMut(&[u8])) -> bool) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    write(&mut |c: &[u8]| out.push(c.to_vec())).then_some(out)
}

/// A reader's source of the chunks.
fn source(chunks: &[Vec<u8>]) -> impl FnMut() -> Option<Vec<u8>> + '_ {
    let mut it = chunks.iter();
    move || it.next().cloned()
}

/// The file read by two readers that share no memory, as two web workers read it: each reads
/// the head in chunks of its own size until its rows can be split; the first reads on to
/// `cut`, the second from `cut` to the end as a later part, and they trade their parts as
/// bytes. When the first's part ends inside a record, it reads on to the end and gives the
/// whole file instead. What each then holds, and whether the parts were joined.
fn two_readers(
    bytes: &[u8],
    cut: usize,
    chunk_a: usize,
    chunk_b: usize,
) -> (Result<IngestedFile, IngestError>, Result<IngestedFile, IngestError>, bool) {
    let head = |chunk: usize| {
        let mut f = FileIngest::new("deals.csv", 0, &IngestOptions::default());
        f.expect_size(bytes.len() as u64);
        let mut at = 0;
        while at < bytes.len() && !f.can_split() {
            let end = (at + chunk).min(bytes.len());
            f.push(&bytes[at..end]).unwrap();
            at = end;
        }
        (f, at)
    };
    let (mut a, at_a) = head(chunk_a);
    let (mut b, at_b) = head(chunk_b);
    assert!(at_a <= cut && at_b <= cut, "the head ends before the cut");
    for chunk in bytes[at_a..cut].chunks(chunk_a) {
        a.push(chunk).unwrap();
    }
    assert!(b.begin_later_part(cut as u64));
    for chunk in bytes[cut..].chunks(chunk_b) {
        b.push(chunk).unwrap();
    }
    // Chunks of the parts as small as a few columns, or the whole part in one.
    let part_chunk = chunk_a % 3 * 20_000;
    let later = chunks_of(|sink| b.export_later_part(part_chunk, sink).unwrap()).expect("the later part");
    let joined = match chunks_of(|sink| a.export_part(part_chunk, sink)) {
        Some(first) => {
            a.join_later_part(&mut source(&later)).unwrap();
            b.adopt_part(&mut source(&first), true).unwrap();
            true
        }
        None => {
            for chunk in bytes[cut..].chunks(chunk_a) {
                a.push(chunk).unwrap();
            }
            let whole = chunks_of(|sink| a.export_whole(part_chunk, sink).unwrap()).expect("the whole file");
            b.adopt_part(&mut source(&whole), false).unwrap();
            false
        }
    };
    (a.finish(), b.finish(), joined)
}

#[test]
fn two_readers_trading_parts_give_the_file_read_whole() {
    for line_end in ["\n", "\r\n", "\r"] {
        let text = plain_rows(30_000, line_end);
        let bytes = text.as_bytes();
        let whole = fingerprint(&one_thread(bytes));
        let cut = line_start_after(bytes, bytes.len() / 2).unwrap();
        for (chunk_a, chunk_b) in [(1 << 18, 1 << 18), (70_000, 4096), (333, 1 << 16)] {
            let (a, b, joined) = two_readers(bytes, cut, chunk_a, chunk_b);
            assert!(joined, "{line_end:?}");
            assert_eq!(fingerprint(&a), whole, "the first reader, {line_end:?} {chunk_a}/{chunk_b}");
            assert_eq!(fingerprint(&b), whole, "the second reader, {line_end:?} {chunk_a}/{chunk_b}");
        }
    }
}

#[test]
fn a_cut_inside_a_quoted_cell_gives_the_whole_file_to_the_second_reader() {
    let mut text = plain_rows(12_000, "\n");
    let note_at = text.len();
    text += "D-long,\"Long note";
    for i in 0..20_000 {
        text += &format!("\nline {i} of the note, with a comma");
    }
    text += "\",Acme,Closed Won,10,2025-03-03,Ann\nD-last,Last,Acme,Closed Lost,5,2025-03-04,Bob\n";
    let bytes = text.as_bytes();
    let cut = line_start_after(bytes, note_at + 1000).unwrap();
    let (a, b, joined) = two_readers(bytes, cut, 1 << 16, 1 << 18);
    assert!(!joined);
    let whole = fingerprint(&one_thread(bytes));
    assert_eq!(fingerprint(&a), whole);
    assert_eq!(fingerprint(&b), whole);
}

#[test]
fn a_damaged_part_is_an_error_not_a_panic() {
    let text = plain_rows(20_000, "\n");
    let bytes = text.as_bytes();
    let mut a = FileIngest::new("deals.csv", 0, &IngestOptions::default());
    let cut = line_start_after(bytes, bytes.len() / 2).unwrap();
    a.push(&bytes[..cut]).unwrap();
    let part = chunks_of(|sink| a.export_part(usize::MAX, sink)).expect("a part").concat();
    let fresh = || {
        let mut b = FileIngest::new("deals.csv", 0, &IngestOptions::default());
        b.push(&bytes[..cut]).unwrap();
        assert!(b.begin_later_part(cut as u64));
        b
    };
    // Every way of cutting it short, and a byte changed at each of many places: refused, or
    // read; never a panic, and never a file with rows missing.
    for len in (0..part.len()).step_by(part.len() / 150) {
        let mut b = fresh();
        assert!(b.adopt_part(&mut source(&[part[..len].to_vec()]), true).is_err(), "cut to {len} bytes");
        assert!(matches!(b.finish(), Err(IngestError::Read { .. })));
    }
    for at in (0..part.len()).step_by(part.len() / 150 + 1) {
        let mut damaged = part.clone();
        damaged[at] ^= 0xA5;
        let mut b = fresh();
        // A changed number can still read as one; refused, the file cannot be finished.
        if b.adopt_part(&mut source(&[damaged]), false).is_err() {
            assert!(matches!(b.finish(), Err(IngestError::Read { .. })), "changed at {at}");
        }
    }
    // A part read by the first reader, joined to it again: refused at once (the first reader
    // has its own rows), so the rows are as they were.
    let mut a2 = FileIngest::new("deals.csv", 0, &IngestOptions::default());
    a2.push(&bytes[..cut]).unwrap();
    assert!(a2.join_later_part(&mut source(&[b"not a part".to_vec()])).is_err());
    a2.push(&bytes[cut..]).unwrap();
    assert_eq!(fingerprint(&a2.finish()), fingerprint(&one_thread(bytes)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Any tail, cut at any line break after the head (inside a quoted cell too), with any
    /// chunks, reads the same by two readers trading parts as by one.
    #[test]
    fn any_tail_reads_the_same_by_two_readers(
        kinds in proptest::collection::vec(any::<u8>(), 200..3000),
        end_without_line_break in any::<bool>(),
        unclosed_quote_at in proptest::option::of(0usize..3000),
        cut_at in 0.3f64..0.95,
        chunk_a in 100usize..65_536,
        chunk_b in 100usize..65_536,
    ) {
        let head_text = plain_rows(9000, "\n");
        let head = head_text.len();
        let text = with_tail(head_text, &kinds, unclosed_quote_at, end_without_line_break);
        let bytes = text.as_bytes();
        let from = head + ((bytes.len() - head) as f64 * cut_at) as usize;
        if let Some(cut) = line_start_after(bytes, from).filter(|&c| c < bytes.len()) {
            let (a, b, _) = two_readers(bytes, cut, chunk_a, chunk_b);
            let whole = fingerprint(&one_thread(bytes));
            prop_assert_eq!(fingerprint(&a), whole.clone());
            prop_assert_eq!(fingerprint(&b), whole);
        }
    }
}
