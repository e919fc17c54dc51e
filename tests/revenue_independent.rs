//! RevOps numbers against an independent pandas computation (`tests/independent/
//! revops_check.py`) on real billing exports in `../shared/data/crm`: MRR per month, the
//! movements, NRR, GRR and logo churn at the as-of month. Also: a re-labelled billing export
//! (other header names, other month forms) gives the same numbers.
//!
//! Prints "skipped: …" when the shared data, python3 or pandas is absent.

use revlens::ingest::{build_dataset, FileIngest, IngestOptions};
use revlens::metrics::revenue::{revenue_metrics, RevOps, RevenueOptions};
use revlens::model::Dataset;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: shared data not present ({})", p.display());
        None
    }
}

fn python_with_pandas() -> bool {
    let ok =
        Command::new("python3").args(["-c", "import pandas"]).output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        eprintln!("skipped: python3 with pandas not available (pip install -r tests/independent/requirements.txt)");
    }
    ok
}

fn pandas(file: &Path, args: &[&str]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/independent/revops_check.py");
    let out = Command::new("python3").arg(script).arg(file).args(args).output().expect("run python3");
    assert!(out.status.success(), "revops_check.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("python JSON")
}

fn dataset(files: &[(&str, Vec<u8>)]) -> Dataset {
    let opts = IngestOptions::default();
    let ingested = files
        .iter()
        .enumerate()
        .map(|(i, (name, bytes))| {
            let mut f = FileIngest::new(name, i as u32, &opts);
            f.push(bytes).expect("ingest");
            f.finish().expect("ingest")
        })
        .collect();
    build_dataset(ingested).0
}

fn revops(ds: &Dataset) -> RevOps {
    let as_of = ds.latest_event_day().expect("dates");
    revenue_metrics(ds, &RevenueOptions { as_of, ..Default::default() })
}

/// The numbers compared, as JSON-ish values: whole metrics and the monthly bridge.
#[derive(Debug)]
struct Numbers {
    whole: Vec<(&'static str, Option<f64>)>,
    months: Vec<(String, [f64; 7])>,
}

const WHOLE: [&str; 6] = ["mrr", "arr", "customers", "nrr", "grr", "logo_churn_rate"];

fn numbers_from_revops(r: &RevOps) -> Numbers {
    let whole = WHOLE
        .iter()
        .map(|id| {
            (*id, r.metrics.iter().find(|m| m.id == *id && m.period.is_none() && m.by.is_none()).and_then(|m| m.value))
        })
        .collect();
    let months = r
        .mrr_movements
        .iter()
        .map(|m| {
            let v = [m.end_mrr, m.new, m.expansion, m.contraction, m.churned, m.reactivated, m.customers as f64];
            (m.month.clone(), v)
        })
        .collect();
    Numbers { whole, months }
}

fn numbers_from_pandas(p: &Value) -> Numbers {
    let whole = WHOLE.iter().map(|id| (*id, p[*id].as_f64())).collect();
    let months = p["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let f = |k: &str| m[k].as_f64().unwrap();
            let v =
                [f("mrr"), f("new"), f("expansion"), f("contraction"), f("churned"), f("reactivated"), f("customers")];
            (m["month"].as_str().unwrap().to_string(), v)
        })
        .collect();
    Numbers { whole, months }
}

/// Numbers from `revlens report FILE --json` (None when the report has no RevOps lens yet).
fn numbers_from_cli(file: &Path) -> Option<Numbers> {
    let out = Command::new(env!("CARGO_BIN_EXE_revlens")).arg("report").arg(file).arg("--json").output().unwrap();
    assert!(out.status.success(), "revlens report failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let metrics: Vec<Value> = report["metrics"].as_array().cloned().unwrap_or_default();
    let metrics: Vec<Value> = match report.get("revops").and_then(|r| r["metrics"].as_array()) {
        Some(rev) => metrics.into_iter().chain(rev.iter().cloned()).collect(),
        None => metrics,
    };
    let find = |id: &str, period: Option<&str>| {
        metrics
            .iter()
            .find(|m| m["id"] == id && m.get("by").is_none() && m.get("period").and_then(Value::as_str) == period)
    };
    find("mrr", None)?;
    let whole = WHOLE.iter().map(|id| (*id, find(id, None).and_then(|m| m["value"].as_f64()))).collect();
    let mut labels: Vec<String> = metrics
        .iter()
        .filter(|m| m["id"] == "mrr" && m.get("by").is_none())
        .filter_map(|m| m.get("period").and_then(Value::as_str).map(str::to_string))
        .collect();
    labels.sort();
    let months = labels
        .into_iter()
        .map(|p| {
            let f = |id: &str| find(id, Some(&p)).and_then(|m| m["value"].as_f64()).unwrap_or(f64::NAN);
            let v = [
                f("mrr"),
                f("mrr_new"),
                f("mrr_expansion"),
                f("mrr_contraction"),
                f("mrr_churned"),
                f("mrr_reactivated"),
                f("customers"),
            ];
            (p, v)
        })
        .collect();
    Some(Numbers { whole, months })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn assert_same(what: &str, ours: &Numbers, theirs: &Numbers) {
    for ((id, a), (_, b)) in ours.whole.iter().zip(&theirs.whole) {
        match (a, b) {
            (Some(a), Some(b)) => assert!(close(*a, *b), "{what}: {id} = {a} vs {b}"),
            (None, None) => {}
            _ => panic!("{what}: {id} = {a:?} vs {b:?}"),
        }
    }
    assert_eq!(ours.months.len(), theirs.months.len(), "{what}: number of months");
    const NAMES: [&str; 7] = ["mrr", "new", "expansion", "contraction", "churned", "reactivated", "customers"];
    for ((ma, va), (mb, vb)) in ours.months.iter().zip(&theirs.months) {
        assert_eq!(ma, mb, "{what}: months");
        for k in 0..7 {
            assert!(close(va[k], vb[k]), "{what}: {ma} {} = {} vs {}", NAMES[k], va[k], vb[k]);
        }
    }
}

fn check(file: &Path, pandas_args: &[&str]) -> Numbers {
    let theirs = numbers_from_pandas(&pandas(file, pandas_args));
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let ds = dataset(&[(&name, std::fs::read(file).unwrap())]);
    let ours = numbers_from_revops(&revops(&ds));
    eprintln!("{name}: {:?}", ours.whole);
    assert_same(&name, &ours, &theirs);
    match numbers_from_cli(file) {
        Some(cli) => assert_same(&format!("{name} (revlens report --json)"), &cli, &theirs),
        None => eprintln!("skipped: `revlens report --json` does not carry the RevOps metrics yet ({name})"),
    }
    theirs
}

#[test]
fn saas_mrr_billing_rows_match_pandas() {
    let (Some(file), true) = (shared("crm/saas_mrr/saas_subscriptions_large.csv"), python_with_pandas()) else {
        return;
    };
    let theirs = check(
        &file,
        &[
            "--customer",
            "customer_id",
            "--mrr",
            "monthly_price",
            "--month",
            "billing_month",
            "--status",
            "subscription_status",
        ],
    );
    // The data's own story: 300 customers, no reactivation; churn and expansion each month.
    assert_eq!(theirs.months.len(), 24);
    assert!(theirs.months.iter().all(|m| m.1[5] == 0.0));
}

#[test]
fn ravenstack_subscriptions_match_pandas() {
    let (Some(file), true) = (shared("crm/ravenstack/ravenstack_subscriptions.csv"), python_with_pandas()) else {
        return;
    };
    check(&file, &["--customer", "account_id", "--mrr", "mrr_amount", "--start", "start_date", "--end", "end_date"]);
}

/// saas_mrr re-written as a billing tool might export it: other header names, other month
/// forms, a currency-formatted amount. Each variant must give the numbers of the original.
#[test]
fn relabelled_saas_mrr_gives_the_same_numbers() {
    let (Some(file), true) = (shared("crm/saas_mrr/saas_subscriptions_large.csv"), python_with_pandas()) else {
        return;
    };
    let theirs = numbers_from_pandas(&pandas(
        &file,
        &[
            "--customer",
            "customer_id",
            "--mrr",
            "monthly_price",
            "--month",
            "billing_month",
            "--status",
            "subscription_status",
        ],
    ));
    let mut rdr = csv::Reader::from_path(&file).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let h = rdr.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (cust, month, price, status) =
        (col("customer_id"), col("billing_month"), col("monthly_price"), col("subscription_status"));
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    type MonthForm = fn(i32, usize) -> String;
    let forms: [(&str, MonthForm); 5] = [
        ("Jun 2023", |y, m| format!("{} {y}", MONTHS[m - 1])),
        ("06/2023", |y, m| format!("{m:02}/{y}")),
        ("2023-06-01", |y, m| format!("{y}-{m:02}-01")),
        ("June 2023", |y, m| {
            let full = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{} {y}", full[m - 1])
        }),
        ("6/1/2023", |y, m| format!("{m}/1/{y}")),
    ];
    let headers: [[&str; 4]; 3] = [
        ["Customer ID", "Invoice Month", "MRR", "Status"],
        ["Account", "Billing Period", "Monthly Amount", "Subscription Status"],
        ["client_id", "Period", "Amount", "state"],
    ];
    let mut failures = Vec::new();
    for (fi, (form_name, form)) in forms.iter().enumerate() {
        let hdr = headers[fi % headers.len()];
        let mut text = hdr.join(",") + "\n";
        for r in &rows {
            let (y, m) = r[month].split_once('-').unwrap();
            let mo = form(y.parse().unwrap(), m.parse().unwrap());
            let amount = if fi % 2 == 1 { format!("\"${}.00\"", &r[price]) } else { r[price].to_string() };
            text += &format!("{},{},{},{}\n", &r[cust], mo, amount, &r[status]);
        }
        let name = format!("billing_{fi}.csv");
        let ds = dataset(&[(&name, text.into_bytes())]);
        let ours = numbers_from_revops(&revops(&ds));
        let result = std::panic::catch_unwind(|| assert_same(&format!("{form_name} with {hdr:?}"), &ours, &theirs));
        if result.is_err() {
            failures.push(format!("{form_name} with headers {hdr:?}: lines {} used", ds.revenue_lines.len()));
        }
    }
    assert!(failures.is_empty(), "re-labelled exports that differ: {failures:#?}");
}
