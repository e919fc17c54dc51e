//! The canonical tables as CSV text: what revlens read from the exports (mapped, typed,
//! converted to the report currency), one file per table, ready to load into a warehouse
//! where `revlens sql`'s query runs. Dates are ISO `YYYY-MM-DD`, missing values empty,
//! amounts in full precision (they read back to the same f64).
//!
//! `seq` numbers the rows of `deals`, `stage_history`, `snapshots` and `leads` in the order revlens
//! read them (1, 2, …): "the first row of an id" and "same-day history rows in file order"
//! are defined by it. With several exports of the same deals, the latest is `deals.csv`, the
//! earlier ones are `snapshots.csv` (the deals columns, `snapshot_date` and `snapshot`, its
//! position among the exports, oldest = 1) and `snapshot_list.csv` lists every export, the
//! latest included (`snapshot, file, snapshot_date, date_source, deals`). `deals.crm` names the
//! CRM whose export the deal came from (`salesforce`, `hubspot`, `pipedrive`, `zoho`, or empty):
//! a HubSpot deal without a probability takes HubSpot's default stage probability.

use crate::model::{date_from_day, Dataset, Day, Deals, Status};
use std::fmt::Write;

/// The columns of the deals table (and of the snapshots before their own two).
const DEALS_COLUMNS: [&str; 18] = [
    "id",
    "name",
    "account",
    "owner",
    "stage",
    "status",
    "amount",
    "currency",
    "probability",
    "created",
    "close_date",
    "forecast_category",
    "lead_source",
    "type",
    "region",
    "product",
    "seq",
    "crm",
];

/// One deals row's cells, in [`DEALS_COLUMNS`] order.
fn deal_cells(d: &Deals, i: usize) -> Vec<String> {
    vec![
        d.id.get(i).to_string(),
        d.name.get(i).to_string(),
        d.account.get(i).to_string(),
        d.owner.get(i).to_string(),
        d.stage.get(i).to_string(),
        match d.status[i] {
            Status::Open => "open",
            Status::Won => "won",
            Status::Lost => "lost",
        }
        .to_string(),
        number(d.amount[i]),
        d.currency.get(i).to_string(),
        number(d.probability[i]),
        day(d.created[i]),
        day(d.close[i]),
        d.forecast_category.get(i).to_string(),
        d.lead_source.get(i).to_string(),
        d.deal_type.get(i).to_string(),
        d.region.get(i).to_string(),
        d.product.get(i).to_string(),
        (i + 1).to_string(),
        d.crm(i).as_str().to_string(),
    ]
}

/// `(file name, CSV text)` for each canonical table, with a header even when empty.
pub fn canonical_tables(ds: &Dataset) -> Vec<(&'static str, String)> {
    let mut tables = Vec::new();
    let _ = each_canonical_table(ds, &mut |name, header, rows| {
        tables.push((name, table(header, rows)));
        Ok::<(), std::convert::Infallible>(())
    });
    tables
}

/// Hands each canonical table to `emit` as (file name, header, rows), the rows made as they are
/// read: a dataset of millions of rows is written without its text being held.
pub fn each_canonical_table<E>(ds: &Dataset, emit: &mut EmitTable<'_, E>) -> Result<(), E> {
    let d = &ds.deals;
    emit("deals.csv", &DEALS_COLUMNS, &mut (0..d.len()).map(|i| deal_cells(d, i)))?;
    let snaps = &ds.snapshots;
    let mut snapshot_header: Vec<&str> = DEALS_COLUMNS.to_vec();
    snapshot_header.extend(["snapshot_date", "snapshot"]);
    emit(
        "snapshots.csv",
        &snapshot_header,
        &mut snaps.earlier.iter().zip(&snaps.list).enumerate().flat_map(|(k, (e, info))| {
            (0..e.len()).map(move |i| {
                let mut cells = deal_cells(e, i);
                cells.extend([day(info.day), (k + 1).to_string()]);
                cells
            })
        }),
    )?;
    emit(
        "snapshot_list.csv",
        &["snapshot", "file", "snapshot_date", "date_source", "deals"],
        &mut snaps.list.iter().enumerate().map(|(k, s)| {
            vec![(k + 1).to_string(), s.file.clone(), day(s.day), enum_name(&s.date_source), s.deals.to_string()]
        }),
    )?;
    let h = &ds.stage_changes;
    // File order: by file, then line (rows made from one line keep the order they were read in).
    let mut order: Vec<usize> = (0..h.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| (h.origin[i].file, h.origin[i].line, i));
    let mut seq = vec![0usize; h.len()];
    for (k, &i) in order.iter().enumerate() {
        seq[i] = k + 1;
    }
    emit(
        "stage_history.csv",
        &["deal_id", "stage", "entered_at", "close_date", "amount", "seq"],
        &mut (0..h.len()).map(|i| {
            vec![
                h.deal_id.get(i).to_string(),
                h.stage.get(i).to_string(),
                day(h.at[i]),
                day(h.close[i]),
                number(h.amount[i]),
                seq[i].to_string(),
            ]
        }),
    )?;
    let l = &ds.leads;
    emit(
        "leads.csv",
        &[
            "id",
            "created",
            "source",
            "status",
            "account",
            "owner",
            "mql_date",
            "sql_date",
            "opportunity_date",
            "customer_date",
            "deal_id",
            "seq",
        ],
        &mut (0..l.len()).map(|i| {
            vec![
                l.id.get(i).to_string(),
                day(l.created[i]),
                l.source.get(i).to_string(),
                l.status.get(i).to_string(),
                l.account.get(i).to_string(),
                l.owner.get(i).to_string(),
                day(l.mql[i]),
                day(l.sql[i]),
                day(l.opportunity[i]),
                day(l.customer[i]),
                l.deal_id.get(i).to_string(),
                (i + 1).to_string(),
            ]
        }),
    )?;
    let r = &ds.revenue_lines;
    emit(
        "revenue_lines.csv",
        &[
            "customer",
            "customer_name",
            "subscription",
            "start_date",
            "end_date",
            "mrr",
            "currency",
            "churned",
            "recurring",
        ],
        &mut (0..r.len()).map(|i| {
            vec![
                r.customer.get(i).to_string(),
                r.customer_name.get(i).to_string(),
                r.subscription.get(i).to_string(),
                day(r.start[i]),
                day(r.end[i]),
                number(r.mrr[i]),
                r.currency.get(i).to_string(),
                r.churned[i].to_string(),
                r.recurring[i].to_string(),
            ]
        }),
    )?;
    let s = &ds.spend;
    emit(
        "spend.csv",
        &["month", "channel", "category", "amount"],
        &mut (0..s.len()).map(|i| {
            vec![day(s.month[i]), enum_name(&s.channel[i]), s.category.get(i).to_string(), number(s.amount[i])]
        }),
    )?;
    let q = &ds.quotas;
    emit(
        "quotas.csv",
        &["owner", "start_date", "end_date", "amount"],
        &mut (0..q.len())
            .map(|i| vec![q.owner.get(i).to_string(), day(q.start[i]), day(q.end[i]), number(q.amount[i])]),
    )?;
    let o = &ds.other_income;
    emit(
        "other_income.csv",
        &["date", "category", "amount"],
        &mut (0..o.date.len()).map(|i| vec![day(o.date[i]), enum_name(&o.category[i]), number(o.amount[i])]),
    )?;
    Ok(())
}

/// Where a table goes as it is made: `(file name, header, rows)`.
pub type EmitTable<'e, E> =
    dyn FnMut(&'static str, &[&str], &mut dyn Iterator<Item = Vec<String>>) -> Result<(), E> + 'e;

pub(super) fn table(header: &[&str], rows: &mut dyn Iterator<Item = Vec<String>>) -> String {
    let mut out = Vec::new();
    write_table(&mut out, header, rows).expect("writing to memory");
    String::from_utf8(out).expect("cells are text")
}

/// Writes a table as CSV (a header line, then a line per row); returns the bytes written.
pub fn write_table(
    out: &mut dyn std::io::Write,
    header: &[&str],
    rows: &mut dyn Iterator<Item = Vec<String>>,
) -> std::io::Result<u64> {
    let mut line = String::new();
    let mut written = 0u64;
    line.push_str(&header.join(","));
    line.push('\n');
    for row in std::iter::once(None).chain(rows.map(Some)) {
        if let Some(row) = row {
            for (k, cell) in row.iter().enumerate() {
                if k > 0 {
                    line.push(',');
                }
                write_cell(&mut line, cell);
            }
            line.push('\n');
        }
        // Handed over in blocks of about 64 KiB: one write per line would cost more than the text.
        if line.len() >= 1 << 16 {
            out.write_all(line.as_bytes())?;
            written += line.len() as u64;
            line.clear();
        }
    }
    out.write_all(line.as_bytes())?;
    written += line.len() as u64;
    Ok(written)
}

/// RFC 4180: quoted when it holds a delimiter, a quote or a line break; quotes doubled.
fn write_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        let _ = write!(out, "\"{}\"", cell.replace('"', "\"\""));
    } else {
        out.push_str(cell);
    }
}

/// The shortest text that reads back to the same f64; empty for a missing (NaN) number.
pub(super) fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

pub(super) fn day(d: Day) -> String {
    date_from_day(d).map(|d| d.to_string()).unwrap_or_default()
}

fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_as_rfc_4180_wants() {
        let mut s = String::new();
        write_cell(&mut s, "Acme, Inc. \"West\"");
        assert_eq!(s, "\"Acme, Inc. \"\"West\"\"\"");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(0.1 + 0.2).parse::<f64>().unwrap(), 0.1 + 0.2);
    }

    #[test]
    fn a_table_is_handed_over_in_blocks_with_the_same_text() {
        /// Counts the writes it is given.
        struct Writes(Vec<u8>, usize);
        impl std::io::Write for Writes {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.extend_from_slice(buf);
                self.1 += 1;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let rows = || (0..20_000).map(|i| vec![format!("deal {i}"), format!("Acme, {i}"), String::new()]);
        let mut expected = String::from("id,account,amount\n");
        for i in 0..20_000 {
            expected.push_str(&format!("deal {i},\"Acme, {i}\",\n"));
        }
        let mut out = Writes(Vec::new(), 0);
        let n = write_table(&mut out, &["id", "account", "amount"], &mut rows()).unwrap();
        assert_eq!(String::from_utf8(out.0).unwrap(), expected);
        assert_eq!(n, expected.len() as u64);
        // 20,000 rows of ~24 bytes: about 7 blocks of 64 KiB, not a write per row, nor one at the end.
        assert!((expected.len() >> 16..=(expected.len() >> 16) + 1).contains(&out.1), "{} writes", out.1);
        assert_eq!(table(&["id", "account", "amount"], &mut rows()), expected);
    }

    #[test]
    fn an_empty_dataset_has_every_table_with_its_header() {
        let tables = canonical_tables(&Dataset::default());
        assert_eq!(tables.len(), 9);
        let header = |name: &str| tables.iter().find(|t| t.0 == name).unwrap().1.lines().next().unwrap().to_string();
        assert_eq!(header("stage_history.csv"), "deal_id,stage,entered_at,close_date,amount,seq");
        assert!(header("deals.csv").ends_with(",product,seq,crm"));
        assert!(header("snapshots.csv").ends_with(",product,seq,crm,snapshot_date,snapshot"));
        assert_eq!(header("snapshot_list.csv"), "snapshot,file,snapshot_date,date_source,deals");
        assert!(tables[0].1.starts_with("id,name,account,owner,stage,status,amount"));
        assert!(tables.iter().all(|(_, t)| t.lines().count() == 1));
    }
}
