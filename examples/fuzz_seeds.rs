//! Writes the starting corpus of each fuzz target (`fuzz/README.md`) to `DIR/<target>/`:
//! the sample company's exports cut to their first lines, in each charset the ingest reads;
//! small hand-written CSVs of the shapes that break parsers; value cells; series; small XLSX
//! workbooks (made here with rust_xlsxwriter) and an ODS one; multi-file inputs.
//!
//! `cargo run --example fuzz_seeds -- fuzz/in`

use revlens::fuzzing::FILE_SEPARATOR;
use revlens::sample::{generate, SampleOptions};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Write;
use std::path::Path;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: fuzz_seeds DIR");
    let dir = Path::new(&dir);
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let d = dir.join(target);
        std::fs::create_dir_all(&d).expect("create the target's folder");
        std::fs::write(d.join(name), bytes).expect("write a seed");
    };

    // The sample company's seven exports, each cut to a header and 12 rows.
    let sample = generate(&SampleOptions { deals: 40, seed: 7, snapshots: 0 });
    let head = |bytes: &[u8], lines: usize| -> Vec<u8> {
        let mut end = 0;
        for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').take(lines) {
            end = i + 1;
        }
        bytes[..end].to_vec()
    };
    let mut multi = Vec::new();
    for f in &sample {
        let small = head(&f.bytes, 13);
        write("csv", &f.name, &small);
        write("analyze", &f.name, &small);
        if !multi.is_empty() {
            multi.push(FILE_SEPARATOR);
        }
        multi.extend_from_slice(&head(&f.bytes, 6));
    }
    write("analyze_multi", "sample_seven_files", &multi);
    let deals = head(&sample.iter().find(|f| f.kind == "deals").expect("a deals file").bytes, 13);
    let deals_text = String::from_utf8(deals.clone()).expect("the sample is UTF-8");
    // The same deals in each charset and with each delimiter the ingest reads.
    let utf16 = |be: bool| -> Vec<u8> {
        let mut out = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in deals_text.encode_utf16() {
            out.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    };
    write("csv", "deals_utf16le.csv", &utf16(false));
    write("csv", "deals_utf16be.csv", &utf16(true));
    write("csv", "deals_bom.csv", &[b"\xEF\xBB\xBF".as_slice(), &deals].concat());
    let cp1252: Vec<u8> = deals_text.chars().map(|c| if c.is_ascii() { c as u8 } else { 0xE9 }).collect();
    write("csv", "deals_cp1252.csv", &[b"Name,Owner\n\x80 caf\xE9,M\xFCller\n".as_slice(), &cp1252].concat());
    write("csv", "deals_semicolon.csv", deals_text.replace(',', ";").as_bytes());
    write("csv", "deals_crlf.csv", deals_text.replace('\n', "\r\n").as_bytes());
    write("analyze", "deals_semicolon_decimal_comma.csv", b"sep=;\nOpportunity Name;Stage;Amount;Close Date;Created Date;Owner\nA;Closed Won;1.234,50 \xE2\x82\xAC;31.12.2024;01.10.2024;Anna\nB;Closed Lost;(2.000);15.01.2025;02.11.2024;Bo\nC;Prospecting;1,2k;;03.12.2024;anna\n");

    // Shapes that break parsers.
    let shapes: &[(&str, &[u8])] = &[
        ("quotes.csv", b"id,name,amount\n1,\"a \"\"quoted\"\" name\",\"1,234.50\"\n2,\"multi\nline\",5\n3,\"open,7\n"),
        ("unclosed.csv", b"Stage,Amount\nClosed Won,\"100\nClosed Lost,5\n"),
        ("title_footer.csv", b"Opportunity Pipeline Report\n\nOpportunity Name,Stage,Amount,Close Date\nA,Closed Won,$100.00,3/4/2024\n\n\"Confidential Information - Do Not Distribute\"\n\"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.\"\n"),
        ("ragged.csv", b"Deal Name,Deal Stage,Amount,Close Date\nA,closedwon,1,2024-01-01,extra\nB\n,,,\nC,appointmentscheduled,1e308,2024-02-30\n"),
        ("tabs_pipes.csv", b"a\tb|c\t\"d\te\"\n1\t2|3\t4\r5\t6\r\n"),
        ("nul.csv", b"Stage,Amount\0\nClosed Won,1\0\n\0\0\0\n"),
        ("lone_cr.csv", b"Stage,Amount\rClosed Won,1\rClosed Lost,2\r"),
        ("hubspot.csv", b"Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Date entered \"Closed Won (Sales Pipeline)\"\n1,A,closedwon,100,2024-01-05 10:00,2023-12-01,2024-01-05\n1,A,closedwon,100,2024-01-05 10:00,2023-12-01,2024-01-05\n"),
    ];
    for (name, bytes) in shapes {
        write("csv", name, bytes);
        write("analyze", name, bytes);
    }

    // Value cells, one per line.
    let cells: &[(&str, &str)] = &[
        ("amounts", "1234.5\n$1,234.50\nEUR 1.234,50\n1.234,50 \u{20ac}\n(1,234)\n1.2k\n-5\n5-\n1 234,50\n1'234.50\n1.2E+05\nUS$ 3m\n2bn\n-\n\u{2212}$-7\n12,345.00\n0.000001\n99999999999999999999\n1e308\n"),
        ("dates", "2025-03-04\n2025-03-04T10:22:00Z\n2025/03/04\n2025.03.04\n3/4/2025\n4.3.2025\n3-4-25\nMar 4, 2025\n4 March 2025\n04-Mar-2025\n2025-Mar-04\n20250304\n13/12/2024\n2024-02-29\n2023-02-29\n31/04/2024\nMon, 4 Mar 2025 10:00\n"),
        ("periods", "2025-03\nMar 2025\n2025-Q1\nQ4 2025\nFY2025\n2025\n03/2025\nMarch-25\n2025-Mar\nFY2025Q3\n"),
        ("probabilities", "60\n60%\n0.6\n60,5 %\n100\n101%\n-1\nyes\nno\nx\nclosed\n"),
    ];
    for (name, text) in cells {
        write("values", name, text.as_bytes());
    }

    // Series: months, quarters, years, gaps, dates, decimal commas.
    let mut months = String::from("period,value\n");
    for k in 0..30 {
        months.push_str(&format!("{}-{:02},{}\n", 2020 + k / 12, k % 12 + 1, 100 + (k * 37) % 50));
    }
    write("series", "monthly.csv", months.as_bytes());
    write(
        "series",
        "quarterly.csv",
        b"quarter,bookings\n2021-Q1,10\n2021-Q2,12\n2021-Q3,9\n2021-Q4,20\n2022-Q1,11\n2022-Q2,14\n2022-Q3,10\n2022-Q4,22\n",
    );
    write("series", "yearly_gap.csv", b"year;revenue\n2015;1,5\n2016;2,5\n2019;4,0\n2020;4,5\n");
    write("series", "dates.csv", b"date,sales\n31/03/2022,5\n30/06/2022,6\n30/09/2022,7\n31/12/2022,9\n31/03/2023,6\n");
    write("series", "named.csv", b"Month,Units\nJan 2023,\"1,200\"\nFeb 2023,$1,300\nMar 2023,1.4k\nApr 2023,\n");

    // Spreadsheets: XLSX from rust_xlsxwriter, an ODS zip written by hand.
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write(0, 0, "Opportunity Pipeline").expect("write");
    for (c, h) in ["Opportunity Name", "Stage", "Amount", "Close Date", "Probability (%)"].iter().enumerate() {
        sheet.write(2, c as u16, *h).expect("write");
    }
    let rows = [
        ("Acme", "Closed Won", 1234.5, 100.0),
        ("Beta", "Closed Lost", 800.0, 0.0),
        ("Gamma", "Negotiation", 5e3, 90.0),
    ];
    for (i, (name, stage, amount, p)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write(r, 0, *name).expect("write");
        sheet.write(r, 1, *stage).expect("write");
        sheet.write(r, 2, *amount).expect("write");
        sheet
            .write_with_format(r, 3, ExcelDateTime::from_ymd(2024, 2, 1 + i as u8).expect("date"), &date)
            .expect("write");
        sheet.write(r, 4, *p).expect("write");
    }
    sheet.write(7, 0, "Grand Total").expect("write");
    let xlsx = wb.save_to_buffer().expect("xlsx");
    write("spreadsheet", "deals.xlsx", &xlsx);
    write("analyze", "deals.xlsx", &xlsx);

    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, row) in [
        ["Customer ID", "MRR", "Start Date", "End Date"],
        ["C1", "100", "2024-01-01", ""],
        ["C2", "x", "bad", "2024-05-01"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            sheet.write(r as u32, c as u16, *v).expect("write");
        }
    }
    sheet.write(3, 1, true).expect("write");
    sheet.write(4, 1, f64::MAX).expect("write");
    write("spreadsheet", "subscriptions.xlsx", &wb.save_to_buffer().expect("xlsx"));
    write("spreadsheet", "deals.ods", &ods());
}

/// A minimal OpenDocument spreadsheet: `mimetype` stored first, then `content.xml`.
fn ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Deals"><table:table-row><table:table-cell office:value-type="string"><text:p>Stage</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Amount</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Close Date</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Closed Won</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12.5</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>2024-03-01</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let entries: [(&str, &[u8]); 3] = [
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ];
    stored_zip(&entries)
}

/// A zip archive with its entries stored (no compression).
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let crc = crc32(data);
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| -> Vec<u8> {
            let mut h = Vec::new();
            h.write_all(&sig.to_le_bytes()).expect("vec");
            if central {
                h.write_all(&20u16.to_le_bytes()).expect("vec");
            }
            for v in [20u16, 0, 0, 0, 0] {
                h.write_all(&v.to_le_bytes()).expect("vec");
            }
            for v in [crc, data.len() as u32, data.len() as u32] {
                h.write_all(&v.to_le_bytes()).expect("vec");
            }
            h.write_all(&(name.len() as u16).to_le_bytes()).expect("vec");
            h.write_all(&0u16.to_le_bytes()).expect("vec");
            if central {
                for v in [0u16, 0, 0] {
                    h.write_all(&v.to_le_bytes()).expect("vec");
                }
                h.write_all(&0u32.to_le_bytes()).expect("vec");
                h.write_all(&offset.to_le_bytes()).expect("vec");
            }
            h.write_all(name.as_bytes()).expect("vec");
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
