//! XLSX: first or named sheet, Excel serial dates, numbers as numbers, same results as CSV.

use revlens::ingest::rows::KindData;
use revlens::ingest::{ingest_bytes, IngestOptions};
use revlens::model::{day_from_ymd, Status};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write(0, 0, "Exported from Salesforce").unwrap();
    let sheet = wb.add_worksheet();
    sheet.set_name("Opportunities").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // A title row, then the header on row 3 (as formatted report exports do).
    sheet.write(0, 0, "Opportunity Pipeline").unwrap();
    for (c, h) in ["Opportunity Name", "Stage", "Amount", "Close Date", "Probability (%)"].iter().enumerate() {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let rows = [
        ("Acme renewal", "Closed Won", 1234.5, (2024, 2, 29), 100.0),
        ("Beta", "Closed Lost", 800.0, (2024, 3, 15), 0.0),
        ("Gamma", "Negotiation/Review", 5000.0, (2024, 12, 31), 90.0),
    ];
    for (i, (name, stage, amount, (y, m, d), p)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write(r, 0, *name).unwrap();
        sheet.write(r, 1, *stage).unwrap();
        sheet.write(r, 2, *amount).unwrap();
        sheet.write_with_format(r, 3, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date).unwrap();
        sheet.write(r, 4, *p).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn named_sheet_with_serial_dates() {
    let bytes = workbook();
    let opts = IngestOptions { sheet: Some("opportunities".into()), ..Default::default() };
    let f = ingest_bytes("pipeline.xlsx", 0, &bytes, &opts).unwrap();
    assert_eq!(f.report.format, "xlsx");
    assert_eq!(f.report.sheet.as_deref(), Some("Opportunities"));
    assert_eq!(f.report.header_line, 3);
    assert_eq!((f.report.rows_read, f.report.rows_used), (3, 3));
    let KindData::Deals(d, _) = &f.data else { panic!("deals expected") };
    assert_eq!(d.status, vec![Status::Won, Status::Lost, Status::Open]);
    assert_eq!(d.amount, vec![1234.5, 800.0, 5000.0]);
    assert_eq!(d.close[0], day_from_ymd(2024, 2, 29).unwrap());
    assert_eq!(d.close[2], day_from_ymd(2024, 12, 31).unwrap());
    assert_eq!(d.probability[2], 0.9);
    assert_eq!(d.origin[0].line, 4);
}

#[test]
fn first_sheet_by_default_and_missing_sheet_error() {
    let bytes = workbook();
    // The first sheet holds only a note: no header row.
    let e = ingest_bytes("pipeline.xlsx", 0, &bytes, &IngestOptions::default()).unwrap_err();
    assert_eq!(e.code(), "EMPTY_FILE");
    let opts = IngestOptions { sheet: Some("Nope".into()), ..Default::default() };
    let e = ingest_bytes("pipeline.xlsx", 0, &bytes, &opts).unwrap_err();
    assert_eq!(e.code(), "SHEET_NOT_FOUND");
    assert!(e.to_string().contains("Opportunities"), "{e}");
}

#[test]
fn corrupt_spreadsheet_is_an_error() {
    let mut bytes = workbook();
    bytes.truncate(200);
    let e = ingest_bytes("broken.xlsx", 0, &bytes, &IngestOptions::default()).unwrap_err();
    assert_eq!(e.code(), "BAD_SPREADSHEET");
}
