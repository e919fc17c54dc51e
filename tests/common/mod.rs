//! Shared helpers for integration tests: the shared real data (when present) and
//! re-labelled variants of a deals table in the shapes different CRMs export.
#![allow(dead_code)]

use revlens::ingest::{FileIngest, IngestOptions, IngestedFile};
use revlens::sample::{generate, SampleOptions};
use std::path::PathBuf;

/// The sample company's exports at `deals` deals (seed 42, as the page's), those of the given
/// kinds (every file when `kinds` is empty), read as the report reads them.
pub fn sample_ingested(deals: usize, kinds: &[&str]) -> Vec<IngestedFile> {
    generate(&SampleOptions { deals, ..SampleOptions::default() })
        .iter()
        .filter(|f| kinds.is_empty() || kinds.contains(&f.kind))
        .enumerate()
        .map(|(i, f)| {
            let mut fi = FileIngest::new(&f.name, i as u32, &IngestOptions::default());
            fi.push(&f.bytes).unwrap();
            fi.finish().unwrap()
        })
        .collect()
}

/// `../shared/data/<rel>` if the shared data folder is present (CI has it; a fresh clone may
/// not). Tests print that they skipped when it is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: shared data not present ({})", p.display());
        None
    }
}

/// A deals table in canonical columns: id, owner, product, account, stage, created, close, amount
/// (dates ISO, amount plain, empty when missing). Stage is Won/Lost or an open stage name.
#[derive(Clone, Debug)]
pub struct BaseDeal {
    pub id: String,
    pub owner: String,
    pub product: String,
    pub account: String,
    pub stage: String,
    pub created: String,
    pub close: String,
    pub amount: String,
}

pub fn read_maven() -> Option<Vec<BaseDeal>> {
    let path = shared("crm/maven/sales_pipeline.csv")?;
    let mut rdr = csv::Reader::from_path(path).expect("maven csv");
    Some(
        rdr.records()
            .map(|r| {
                let r = r.expect("record");
                BaseDeal {
                    id: r[0].into(),
                    owner: r[1].into(),
                    product: r[2].into(),
                    account: r[3].into(),
                    stage: r[4].into(),
                    created: r[5].into(),
                    close: r[6].into(),
                    amount: r[7].into(),
                }
            })
            .collect(),
    )
}

/// A small deterministic table with every case: won/lost/open, missing dates and amounts,
/// commas and quotes in names, leap days.
pub fn synthetic_deals() -> Vec<BaseDeal> {
    let owners = ["Ann Lee", "Bo Chen", "Cy O'Neil", "Dee \"DJ\" Ruiz"];
    let stages = ["Won", "Lost", "Prospecting", "Engaging", "Won", "Won", "Lost"];
    (0..60)
        .map(|i: u32| {
            let stage = stages[i as usize % stages.len()];
            let open = stage != "Won" && stage != "Lost";
            let month = 1 + i % 12;
            let day = 1 + (i * 7) % 28;
            let created = if i % 11 == 3 { String::new() } else { format!("2024-{month:02}-{day:02}") };
            let close = if open && i.is_multiple_of(2) {
                String::new()
            } else if i == 5 {
                "2024-02-29".into()
            } else {
                format!("2025-{:02}-{:02}", 1 + (i * 5) % 12, 1 + (i * 3) % 28)
            };
            let amount = if open && i.is_multiple_of(3) {
                String::new()
            } else {
                format!("{}.{:02}", 1000 + i * 137 % 9000, i % 100)
            };
            BaseDeal {
                id: format!("D{i:04}"),
                owner: owners[i as usize % owners.len()].into(),
                product: "Widget, Pro".into(),
                account: if i.is_multiple_of(9) { String::new() } else { format!("Acme {}", i % 7) },
                stage: stage.into(),
                created,
                close,
                amount,
            }
        })
        .collect()
}

fn quote(v: &str, delim: char, always: bool) -> String {
    if always || v.contains(delim) || v.contains('"') || v.contains('\n') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn line(cells: &[String], delim: char, always: bool, eol: &str) -> String {
    let mut s = cells.iter().map(|c| quote(c, delim, always)).collect::<Vec<_>>().join(&delim.to_string());
    s.push_str(eol);
    s
}

/// `YYYY-MM-DD` → parts.
fn ymd(iso: &str) -> Option<(u32, u32, u32)> {
    if iso.is_empty() {
        return None;
    }
    let p: Vec<u32> = iso.split('-').map(|x| x.parse().expect("iso date")).collect();
    Some((p[0], p[1], p[2]))
}

fn german_amount(a: &str) -> String {
    if a.is_empty() {
        return String::new();
    }
    let v: f64 = a.parse().expect("amount");
    let cents = (v * 100.0).round() as i64;
    let (int, frac) = (cents / 100, cents % 100);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("EUR {grouped},{frac:02}")
}

fn won_lost(stage: &str) -> &str {
    match stage {
        "Won" => "won",
        "Lost" => "lost",
        _ => "open",
    }
}

/// The same deals as a HubSpot deals export.
pub fn as_hubspot(deals: &[BaseDeal]) -> Vec<u8> {
    let mut s = line(
        &[
            "Record ID",
            "Deal Name",
            "Deal owner",
            "Associated Company",
            "Deal Stage",
            "Create Date",
            "Close Date",
            "Amount",
            "Pipeline",
        ]
        .map(String::from),
        ',',
        false,
        "\n",
    );
    for d in deals {
        let stage = match d.stage.as_str() {
            "Won" => "Closed Won".to_string(),
            "Lost" => "Closed Lost".to_string(),
            s => s.to_string(),
        };
        let dt = |iso: &str| ymd(iso).map(|(y, m, d)| format!("{y}-{m:02}-{d:02} 09:30")).unwrap_or_default();
        s += &line(
            &[
                d.id.clone(),
                format!("{} - {}", d.account, d.product),
                d.owner.clone(),
                d.account.clone(),
                stage,
                dt(&d.created),
                dt(&d.close),
                d.amount.clone(),
                "Sales Pipeline".into(),
            ],
            ',',
            false,
            "\n",
        );
    }
    s.into_bytes()
}

/// The same deals as a German-locale Salesforce report: BOM, `;`, `D.M.YYYY`,
/// `EUR 1.234,00`, German labels and stage names, CRLF, and the report footer.
pub fn as_salesforce_de(deals: &[BaseDeal]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    s += &line(
        &[
            "Opportunity-ID",
            "Opportunity-Name",
            "Opportunity-Inhaber",
            "Accountname",
            "Phase",
            "Erstelldatum",
            "Schlusstermin",
            "Betrag",
            "Produkt",
        ]
        .map(String::from),
        ';',
        true,
        "\r\n",
    );
    for d in deals {
        let stage = match d.stage.as_str() {
            "Won" => "Geschlossen und gewonnen".to_string(),
            "Lost" => "Geschlossen und verloren".to_string(),
            s => s.to_string(),
        };
        let dt = |iso: &str| ymd(iso).map(|(y, m, d)| format!("{d}.{m}.{y}")).unwrap_or_default();
        s += &line(
            &[
                d.id.clone(),
                format!("{} {}", d.account, d.product),
                d.owner.clone(),
                d.account.clone(),
                stage,
                dt(&d.created),
                dt(&d.close),
                german_amount(&d.amount),
                d.product.clone(),
            ],
            ';',
            true,
            "\r\n",
        );
    }
    s += "\r\n\"Vertraulich - Nicht weitergeben\"\r\n";
    s += "\"Confidential Information - Do Not Distribute\"\r\n";
    s += "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n";
    s.into_bytes()
}

/// The same deals as a Pipedrive export: status column, won/lost time, `M/D/YYYY` dates.
pub fn as_pipedrive(deals: &[BaseDeal]) -> Vec<u8> {
    let mut s = line(
        &[
            "Deal - ID",
            "Deal - Title",
            "Deal - Owner",
            "Deal - Organization",
            "Deal - Stage",
            "Deal - Status",
            "Deal - Value",
            "Deal - Currency",
            "Deal - Deal created",
            "Deal - Expected close date",
            "Deal - Won time",
            "Deal - Lost time",
        ]
        .map(String::from),
        ',',
        false,
        "\n",
    );
    for d in deals {
        let status = won_lost(&d.stage);
        let stage = if status == "open" { d.stage.clone() } else { "Negotiations Started".into() };
        let us = |iso: &str| ymd(iso).map(|(y, m, d)| format!("{m}/{d}/{y}")).unwrap_or_default();
        let (expected, won, lost) = match status {
            "won" => (String::new(), us(&d.close), String::new()),
            "lost" => (String::new(), String::new(), us(&d.close)),
            _ => (us(&d.close), String::new(), String::new()),
        };
        s += &line(
            &[
                d.id.clone(),
                d.product.clone(),
                d.owner.clone(),
                d.account.clone(),
                stage,
                status.into(),
                d.amount.clone(),
                "USD".into(),
                us(&d.created),
                expected,
                won,
                lost,
            ],
            ',',
            false,
            "\n",
        );
    }
    s.into_bytes()
}

/// The same deals as a Zoho CRM export in UTF-16 LE with tabs (as Excel "Unicode text" saves).
pub fn as_zoho_utf16(deals: &[BaseDeal]) -> Vec<u8> {
    let mut s = line(
        &["Deal Owner", "Deal Name", "Account Name", "Stage", "Amount", "Closing Date", "Created Time", "Record Id"]
            .map(String::from),
        '\t',
        false,
        "\r\n",
    );
    for d in deals {
        let stage = match d.stage.as_str() {
            "Won" => "Closed Won".to_string(),
            "Lost" => "Closed-Lost to Competition".to_string(),
            s => s.to_string(),
        };
        let dt = |iso: &str| ymd(iso).map(|(y, m, d)| format!("{d:02}/{m:02}/{y} 10:15 AM")).unwrap_or_default();
        let amount = if d.amount.is_empty() { String::new() } else { format!("${}", d.amount) };
        s += &line(
            &[
                d.owner.clone(),
                d.product.clone(),
                d.account.clone(),
                stage,
                amount,
                dt(&d.close),
                dt(&d.created),
                d.id.clone(),
            ],
            '\t',
            false,
            "\r\n",
        );
    }
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Expected counts of a base table.
pub fn expected(deals: &[BaseDeal]) -> (usize, usize, usize, f64) {
    let won = deals.iter().filter(|d| d.stage == "Won").count();
    let lost = deals.iter().filter(|d| d.stage == "Lost").count();
    let open = deals.len() - won - lost;
    let bookings = deals.iter().filter(|d| d.stage == "Won").filter_map(|d| d.amount.parse::<f64>().ok()).sum();
    (won, lost, open, bookings)
}
