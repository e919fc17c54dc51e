//! Ingestion of whole files: every row used or reported with its line, clear errors,
//! chunking that changes nothing, and the parsers under property tests.

use proptest::prelude::*;
use revlens::ingest::rows::KindData;
use revlens::ingest::values::{parse_amount, parse_date, DateOrder, DecimalMark, NumberStyle};
use revlens::ingest::{ingest_bytes, table, table_head, FileIngest, IngestError, IngestOptions, IngestedFile};
use revlens::model::{day_from_ymd, Status};

fn ingest(name: &str, text: &str) -> Result<IngestedFile, IngestError> {
    ingest_bytes(name, 0, text.as_bytes(), &IngestOptions::default())
}

fn deals(f: &IngestedFile) -> &revlens::model::Deals {
    match &f.data {
        KindData::Deals(d, _) => d,
        other => panic!("not deals: {other:?}"),
    }
}

#[test]
fn rejected_rows_name_line_column_and_reason() {
    let text = "Opportunity Name,Stage,Amount,Close Date\n\
                A,Closed Won,100,2025-01-05\n\
                B,,200,2025-01-06\n\
                C,Prospecting,n/a,2025-02-01\n\
                \"D, multi\nline\",Closed Lost,50,not a date\n\
                E,Closed Won,\"1,000\",2025-03-01\n";
    let f = ingest("deals.csv", text).unwrap();
    let r = &f.report;
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (5, 3, 2));
    let no_stage = r.rejected.0.iter().find(|g| g.reason.starts_with("no stage")).unwrap();
    assert_eq!(no_stage.lines, vec![3]);
    let bad_amount = r.rejected.0.iter().find(|g| g.reason == "amount is not a number").unwrap();
    assert_eq!(
        (bad_amount.lines.clone(), bad_amount.column, bad_amount.header.as_deref()),
        (vec![4], Some(3), Some("Amount"))
    );
    assert_eq!(bad_amount.examples[0], (4, "n/a".to_string()));
    // An unreadable optional date keeps the row and becomes a finding on its line.
    let bad_date = &r.findings.0[0];
    assert_eq!((bad_date.lines.clone(), bad_date.column), (vec![5], Some(4)));
    let d = deals(&f);
    assert_eq!(d.status, vec![Status::Won, Status::Lost, Status::Won]);
    assert_eq!(d.amount, vec![100.0, 50.0, 1000.0]);
    assert_eq!(d.origin.iter().map(|o| o.line).collect::<Vec<_>>(), vec![2, 5, 7]);
    assert_eq!(d.name.get(1), "D, multi\nline");
}

#[test]
fn unterminated_quote_is_an_error_with_line_and_column() {
    let mut text = String::from("Name,Stage,Amount\nA,Closed Won,1\nB,\"Closed Won,2\n");
    for i in 0..5 {
        text += &format!("C{i},Closed Lost,3\n");
    }
    match ingest("broken.csv", &text) {
        Err(IngestError::Syntax { file, line, column, message }) => {
            assert_eq!((file.as_str(), line, column), ("broken.csv", 3, 2));
            assert!(message.contains("never closes"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn unknown_and_empty_files_are_errors() {
    assert!(matches!(ingest("x.csv", ""), Err(IngestError::Empty { .. })));
    assert!(matches!(ingest("x.csv", "\n\n"), Err(IngestError::Empty { .. })));
    let e = ingest("x.csv", "foo,bar\n1,2\n").unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_FILE_KIND");
    assert!(e.to_string().contains("x.csv"), "{e}");
}

#[test]
fn preamble_sep_line_blank_lines_and_windows_1252() {
    let mut bytes = b"sep=;\r\nReport: Pipeline\r\n\r\nOpportunity Name;Stage;Amount\r\nM\xfcller GmbH;Closed Won;1.234,50\r\n\r\nZ;Closed Lost;7\r\n".to_vec();
    bytes.extend_from_slice(b"\r\n\r\n");
    let f = ingest_bytes("pipe.csv", 0, &bytes, &IngestOptions::default()).unwrap();
    let d = deals(&f);
    assert_eq!(d.name.get(0), "Müller GmbH");
    assert_eq!(d.amount, vec![1234.5, 7.0]);
    assert_eq!(f.report.header_line, 4);
    assert_eq!(d.origin[1].line, 7);
    let blank = f.report.skipped.0.iter().find(|g| g.reason == "blank line").unwrap();
    assert_eq!(blank.lines, vec![6, 8, 9]);
    let pre = f.report.skipped.0.iter().find(|g| g.reason == "line before the header").unwrap();
    assert_eq!(pre.lines, vec![2]);
    assert_eq!(f.report.delimiter.as_deref(), Some(";"));
}

#[test]
fn day_first_is_decided_per_column() {
    let text =
        "Name,Stage,Created,Close Date\nA,Closed Won,03/04/2024,2024-05-01\nB,Closed Won,25/04/2024,2024-05-02\n";
    let f = ingest("d.csv", text).unwrap();
    let d = deals(&f);
    assert_eq!(d.created[0], day_from_ymd(2024, 4, 3).unwrap());
    let col = &f.report.columns[2];
    assert_eq!((col.date_order, col.assumed), (Some(DateOrder::DayFirst), false));
}

#[test]
fn hubspot_date_entered_columns_become_stage_history() {
    let text = "Record ID,Deal Name,Deal Stage,Amount,Date entered \"Qualified (Sales Pipeline)\",Date entered \"Closed Won (Sales Pipeline)\"\n\
                1,A,Closed Won,10,2025-01-02 10:00,2025-02-03 11:00\n2,B,Qualified,5,2025-01-05 10:00,\n";
    let f = ingest("deals.csv", text).unwrap();
    let KindData::Deals(_, h) = &f.data else { panic!() };
    assert_eq!(h.len(), 3);
    assert_eq!(h.stage.get(1), "Closed Won");
    assert_eq!(h.at[1], day_from_ymd(2025, 2, 3).unwrap());
}

#[test]
fn override_kind_and_columns() {
    let text = "Deal,Result,Size\nA,Won,10\nB,Lost,20\n";
    let mut opts = IngestOptions::default();
    opts.mappings.insert(
        "odd.csv".into(),
        serde_json::from_str(r#"{"kind":"deals","columns":{"Result":"status","Size":"amount","Deal":"name"}}"#)
            .unwrap(),
    );
    let f = ingest_bytes("odd.csv", 0, text.as_bytes(), &opts).unwrap();
    assert_eq!(deals(&f).status, vec![Status::Won, Status::Lost]);
    opts.mappings.insert("odd.csv".into(), serde_json::from_str(r#"{"columns":{"Nope":"amount"}}"#).unwrap());
    assert_eq!(ingest_bytes("odd.csv", 0, text.as_bytes(), &opts).unwrap_err().code(), "BAD_MAPPING");
}

#[test]
fn table_decodes_utf16_and_quotes() {
    let text = "a\tb\r\n\"x\ty\"\t\"q\"\"q\"\r\n";
    let mut bytes = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    let rows = table("t.txt", &bytes, &IngestOptions::default()).unwrap();
    assert_eq!(rows, vec![vec!["a", "b"], vec!["x\ty", "q\"q"]]);
}

#[test]
fn table_head_gives_the_first_records_with_their_lines() {
    // A title line, the header, then records; the second record spans two lines.
    let text = "Pipeline report\nName;Amount\nA;1\n\"B\nb\";2\nC;3\n";
    let head = table_head("t.csv", text.as_bytes(), &IngestOptions::default(), 4).unwrap();
    let lines: Vec<u32> = head.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![1, 2, 3, 4]);
    assert_eq!(head[1].1, vec!["Name", "Amount"]);
    assert_eq!(head[3].1, vec!["B\nb", "2"]);
    // Asking for more than there is gives every record, like `table`.
    let all = table_head("t.csv", text.as_bytes(), &IngestOptions::default(), 100).unwrap();
    assert_eq!(
        all.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        table("t.csv", text.as_bytes(), &IngestOptions::default()).unwrap()
    );
}

#[test]
fn table_head_of_a_large_file_reads_only_its_start_and_never_returns_a_cut_record() {
    // 300 KB of 99-byte records: beyond the 256 KB read for a preview.
    let row = format!("{},{}\n", "x".repeat(90), "y".repeat(7));
    let text = format!("a,b\n{}", row.repeat(3000));
    assert!(text.len() > 256 * 1024);
    let head = table_head("big.csv", text.as_bytes(), &IngestOptions::default(), 5).unwrap();
    assert_eq!(head.len(), 5);
    assert_eq!(head[4], (5, vec!["x".repeat(90), "y".repeat(7)]));
    // More records asked for than fit in 256 KB: the ones that fit, each whole.
    let many = table_head("big.csv", text.as_bytes(), &IngestOptions::default(), 10_000).unwrap();
    let whole_rows = (256 * 1024 - 4) / row.len(); // after the 4-byte header
    assert_eq!(many.len(), 1 + whole_rows);
    assert!(many[1..].iter().all(|(_, r)| r[0].len() == 90 && r[1].len() == 7));
}

fn big_file() -> String {
    let mut s = String::from("Opportunity ID,Opportunity Name,Stage,Amount,Close Date\r\n");
    for i in 0..6000 {
        let stage = ["Closed Won", "Closed Lost", "Prospecting"][i % 3];
        s += &format!(
            "{i},\"Deal \"\"{i}\"\",\nline two\",{stage},\"{}.50\",{}/{}/2024\r\n",
            i * 3,
            1 + i % 12,
            1 + i % 28
        );
        if i % 1000 == 7 {
            s += "\r\n";
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However a file is cut into chunks, the typed rows and the report are the same.
    #[test]
    fn chunking_changes_nothing(cuts in proptest::collection::vec(1usize..40_000, 1..12)) {
        let text = big_file();
        let whole = ingest("big.csv", &text).unwrap();
        let mut f = FileIngest::new("big.csv", 0, &IngestOptions::default());
        let bytes = text.as_bytes();
        let mut pos = 0;
        for c in cuts {
            let end = (pos + c).min(bytes.len());
            f.push(&bytes[pos..end]).unwrap();
            pos = end;
        }
        f.push(&bytes[pos..]).unwrap();
        let chunked = f.finish().unwrap();
        let (a, b) = (deals(&whole), deals(&chunked));
        prop_assert_eq!(a.len(), 6000);
        prop_assert_eq!(&a.amount, &b.amount);
        prop_assert_eq!(&a.close, &b.close);
        prop_assert_eq!(&a.origin, &b.origin);
        prop_assert_eq!(a.name.get(4321), b.name.get(4321));
        prop_assert_eq!(serde_json::to_string(&whole.report).unwrap(), serde_json::to_string(&chunked.report).unwrap());
    }

    /// Amounts written with grouping, either decimal mark, currency markers and signs read back.
    #[test]
    fn amounts_round_trip(cents in -10_000_000_000i64..10_000_000_000, style in 0usize..6) {
        let neg = cents < 0;
        let (int, frac) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
        let digits = int.to_string();
        let group = |sep: char| -> String {
            let mut g = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 { g.push(sep); }
                g.push(ch);
            }
            g
        };
        let text = match style {
            0 => format!("{}{}.{frac:02}", if neg { "-" } else { "" }, int),
            1 => format!("{}${}.{frac:02}", if neg { "-" } else { "" }, group(',')),
            2 => format!("{}{},{frac:02} €", if neg { "-" } else { "" }, group('.')),
            3 => if neg { format!("(USD {}.{frac:02})", group(',')) } else { format!("USD {}.{frac:02}", group(',')) },
            4 => format!("{}EUR {},{frac:02}", if neg { "-" } else { "" }, group('.')),
            _ => format!("{}{} {},{frac:02}", if neg { "-" } else { "" }, "CHF", group('\'')),
        };
        let decimal = if matches!(style, 2 | 4 | 5) { DecimalMark::Comma } else { DecimalMark::Point };
        let got = parse_amount(&text, NumberStyle { decimal, assumed: false }).unwrap().unwrap().value;
        prop_assert!((got - cents as f64 / 100.0).abs() < 1e-6, "{} → {}", text, got);
    }

    /// Any date written in any supported form reads back as itself.
    #[test]
    fn dates_round_trip(days in 0i32..40_000, form in 0usize..7) {
        let date = revlens::model::date_from_day(days).unwrap();
        use chrono::Datelike;
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (text, order) = match form {
            0 => (format!("{y}-{m:02}-{d:02}"), DateOrder::MonthFirst),
            1 => (format!("{y}-{m:02}-{d:02}T13:45:00.000Z"), DateOrder::DayFirst),
            2 => (format!("{m}/{d}/{y}"), DateOrder::MonthFirst),
            3 => (format!("{d}/{m}/{y}"), DateOrder::DayFirst),
            4 => (format!("{d}.{m}.{y}"), DateOrder::DayFirst),
            5 => (date.format("%b %-d, %Y").to_string(), DateOrder::DayFirst),
            _ => (date.format("%d-%B-%Y").to_string(), DateOrder::MonthFirst),
        };
        prop_assert_eq!(parse_date(&text, order).unwrap(), Some(days), "{}", text);
    }

    /// No input makes the value parsers or a whole ingest panic.
    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600), text in "\\PC{0,40}") {
        let _ = parse_amount(&text, NumberStyle::POINT);
        let _ = parse_date(&text, DateOrder::MonthFirst);
        let mut with_header = b"Opportunity Name,Stage,Amount,Close Date,Probability\n".to_vec();
        with_header.extend_from_slice(&bytes);
        let _ = ingest_bytes("fuzz.csv", 0, &with_header, &IngestOptions::default());
        let _ = ingest_bytes("fuzz.csv", 0, &bytes, &IngestOptions::default());
    }
}

#[test]
fn unterminated_quote_near_the_end_is_an_error() {
    let text = "Deal Name,Stage,Amount,Close Date\nA,Won,1,2024-01-01\n\"bad,Won,1\nC,Won,2,2024-01-02\n";
    let e = ingest("q.csv", text).unwrap_err();
    assert!(matches!(e, IngestError::Syntax { line: 3, column: 1, .. }), "{e:?}");
    let text = "Deal Name,Stage,Amount,Close Date\nA,Won,1,2024-01-01\n\"bad,Won,1";
    let e = ingest("q.csv", text).unwrap_err();
    assert!(matches!(e, IngestError::Syntax { line: 3, .. }), "{e:?}");
    // A stray quote inside an unquoted cell is text, not an error.
    let text = "Deal Name,Stage,Amount,Close Date\nA 5\" screen,Won,1,2024-01-01";
    assert_eq!(ingest("q.csv", text).unwrap().report.rows_used, 1);
}

#[test]
fn iso_dates_are_not_guessed() {
    let f = ingest("d.csv", "Name,Stage,Close Date\nA,Won,2024-01-05\n").unwrap();
    assert!(!f.report.columns[2].assumed);
    let f = ingest("d.csv", "Name,Stage,Close Date\nA,Won,01/05/2024\n").unwrap();
    assert!(f.report.columns[2].assumed);
}

/// Malformed quoting reads as Papa Parse reads it: a quote that does not end a quoted cell is
/// text, spaces after a closing quote are dropped, and a quote that then never closes is an
/// error naming its line and column (it used to end the cell silently).
#[test]
fn stray_quotes_read_as_a_person_reads_them() {
    let text = "Deal Name,Stage,Amount,Close Date\n\
                \"He said \"hi\" to me\" ,\"Won\"  ,1,2024-01-01\n\
                \"Acme \"\"Co\"\"\"\t,Won,2,2024-01-02\n";
    let f = ingest("q.csv", text).unwrap();
    let d = deals(&f);
    assert_eq!(f.report.rows_used, 2);
    assert_eq!((d.name.get(0), d.name.get(1)), ("He said \"hi\" to me", "Acme \"Co\""));
    assert_eq!(d.status, [Status::Won, Status::Won]);
    let text = "Deal Name,Stage,Amount,Close Date\nA,Won,1,2024-01-01\nB,\"Won\"x,2,2024-01-02\nC,Won,3,2024-01-03\n";
    let e = ingest("q.csv", text).unwrap_err();
    assert!(matches!(e, IngestError::Syntax { line: 3, column: 2, .. }), "{e:?}");
}

/// Lines end in LF, CRLF or a lone CR (old Mac exports): every style numbers the rows alike, so
/// a rejected row is named at its line whatever the file's line ends (found by fuzzing: a
/// lone-CR file had every row at line 1).
#[test]
fn rows_are_numbered_alike_whatever_the_line_ends() {
    let lines = [
        "Opportunity ID,Stage,Amount,Close Date",
        "1,Closed Won,100,2024-01-01",
        "",
        "2,Closed Won,abc,2024-01-02",
        "\"3\",\"Closed Won\",\"5\",\"2024-01-03\"",
    ];
    for end in ["\n", "\r\n", "\r"] {
        let text = lines.join(end) + end;
        let f = ingest("deals.csv", &text).unwrap();
        let rejected: Vec<(String, Vec<u32>)> =
            f.report.rejected.0.iter().map(|g| (g.reason.clone(), g.lines.clone())).collect();
        assert_eq!(rejected, [("amount is not a number".to_string(), vec![4])], "line ends {end:?}");
        let skipped: Vec<u32> = f.report.skipped.0.iter().flat_map(|g| g.lines.clone()).collect();
        assert_eq!(skipped, [3], "the blank line, line ends {end:?}");
        assert_eq!(deals(&f).origin.iter().map(|o| o.line).collect::<Vec<_>>(), [2, 5], "line ends {end:?}");
    }
}

#[test]
fn repeated_cells_read_as_the_first_of_them_and_bad_ones_are_reported_each_time() {
    // Dates, amounts and probabilities are kept by their text once read: a repeat is the
    // same value, an amount with a currency keeps it, and an unreadable cell is a finding (or
    // a rejection) on every line it is on, not on its first only.
    let mut text = String::from("Opportunity Name,Stage,Amount,Probability (%),Close Date\n");
    for i in 0..3 {
        text += &format!("A{i},Closed Won,1500,50,3/4/2025\n");
        text += &format!("B{i},Closed Lost,$20,10,13/45/2025\n");
        text += &format!("C{i},Prospecting,n/a,50,3/4/2025\n");
        text += &format!("D{i},Prospecting,,x,1/1/1800\n");
    }
    let f = ingest("deals.csv", &text).unwrap();
    let r = &f.report;
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (12, 9, 3));
    let bad_amount = r.rejected.0.iter().find(|g| g.reason == "amount is not a number").unwrap();
    assert_eq!(bad_amount.lines, vec![4, 8, 12]);
    let finding_lines = |column: u32| -> Vec<u32> {
        let mut lines: Vec<u32> =
            r.findings.0.iter().filter(|g| g.column == Some(column)).flat_map(|g| g.lines.clone()).collect();
        lines.sort_unstable();
        lines
    };
    assert_eq!(finding_lines(5), vec![3, 5, 7, 9, 11, 13], "bad and out-of-range dates, every time");
    assert_eq!(finding_lines(4), vec![5, 9, 13], "unreadable probabilities, every time");
    let d = deals(&f);
    let march_4 = day_from_ymd(2025, 3, 4).unwrap();
    for i in 0..3 {
        let (a, b, dd) = (3 * i, 3 * i + 1, 3 * i + 2);
        assert_eq!((d.amount[a], d.probability[a], d.close[a]), (1500.0, 0.5, march_4));
        assert_eq!((d.amount[b], d.currency.get(b), d.probability[b]), (20.0, "USD", 0.1));
        assert!(d.amount[dd].is_nan() && d.probability[dd].is_nan());
    }
}
