//! `revlens sql` on real engines: the query it emits, run in DuckDB and in Spark (local mode) on
//! the canonical tables `revlens canonical` writes, gives every metric the report gives, equal
//! (tests/sql/check.py); the BigQuery and Snowflake queries parse in sqlglot and, transpiled
//! to DuckDB, give the same rows (tests/sql/parse_check.py). On the sample company (its stage
//! history and three earlier snapshots: stage conversion, days in stage and the pipeline
//! waterfall are compared too) and, when `../shared/data` is present, the Maven export and two
//! real billing exports.

mod common;

use std::path::PathBuf;
use std::process::Command;

const REVLENS: &str = env!("CARGO_BIN_EXE_revlens");

fn python_has(modules: &str) -> bool {
    let ok = Command::new("python3").args(["-c", &format!("import {modules}")]).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: python3 lacks {modules} (scripts/setup installs tests/sql/requirements.txt)");
    }
    ok
}

fn java_present() -> bool {
    let ok = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: no Java for Spark (scripts/setup installs default-jre-headless)");
    }
    ok
}

/// The sample company's exports, written once per test into its own folder.
fn sample(name: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("sql-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(REVLENS).args(["sample", "--out"]).arg(&dir).output().expect("run revlens sample");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// The CSV files of a shared data folder (`crm/maven`, `crm/saas_mrr`, …), when present.
fn shared_set(folder: &str) -> Option<Vec<PathBuf>> {
    let dir = common::shared(folder)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    Some(files)
}

/// Runs check.py; returns its exit status, stdout and stderr.
fn check(engine: &str, grain: &str, fiscal: &str, files: &[PathBuf], extra: &[&str]) -> (bool, String, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sql/check.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["--revlens", REVLENS, "--engine", engine, "--grain", grain, "--fiscal-start", fiscal])
        .args(extra)
        .args(files)
        .output()
        .expect("run python3");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The ids computed from stage history and snapshots.
const HISTORY_IDS: [&str; 4] =
    ["\"stage_conversion\"", "\"stage_duration_days\"", "\"pipeline_waterfall\"", "\"forecast_accuracy\""];

/// Asserts the engine's rows equal the report's; returns the ids compared (JSON list).
fn assert_equal(engine: &str, grain: &str, fiscal: &str, files: &[PathBuf]) -> String {
    let (ok, stdout, stderr) = check(engine, grain, fiscal, files, &[]);
    assert!(ok, "{engine} {grain}/{fiscal}: {stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("check.py's summary");
    let compared = summary["compared"].as_u64().unwrap();
    let ids = summary["ids"].to_string();
    // Every emitted id is compared, and many values of each (periods, breakdowns).
    assert!(compared > 100, "{engine} {grain}: only {compared} values compared");
    eprintln!("{engine} {grain}/{fiscal}: {compared} values equal the report: {ids}");
    ids
}

#[test]
fn duckdb_equals_the_report_on_the_sample() {
    if !python_has("duckdb") {
        return;
    }
    let files = sample("duckdb");
    for (grain, fiscal) in [("month", "1"), ("quarter", "4"), ("year", "7")] {
        let ids = assert_equal("duckdb", grain, fiscal, &files);
        // The sample has subscriptions: the RevOps part is compared too.
        assert!(ids.contains("\"mrr_expansion\"") && ids.contains("\"grr\""), "{ids}");
        // And stage history and snapshots: the pipeline in time and the waterfall.
        assert!(HISTORY_IDS.iter().all(|id| ids.contains(id)), "{ids}");
        // And the data-quality checks' counts.
        assert!(ids.contains("\"data_quality_finding\""), "{ids}");
    }
}

#[test]
fn duckdb_equals_the_report_with_a_fiscal_quarter_window_and_history_only() {
    if !python_has("duckdb") {
        return;
    }
    // A fiscal year starting in May: the waterfall's window is the fiscal quarter May–July.
    let files = sample("fiscal");
    let ids = assert_equal("duckdb", "month", "5", &files);
    assert!(HISTORY_IDS.iter().all(|id| ids.contains(id)), "{ids}");
    // Without the snapshots: no waterfall on either side; conversion and durations still equal.
    let without: Vec<PathBuf> = files
        .iter()
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("salesforce_opportunities-"))
        .cloned()
        .collect();
    let ids = assert_equal("duckdb", "quarter", "1", &without);
    assert!(ids.contains(HISTORY_IDS[0]) && ids.contains(HISTORY_IDS[1]), "{ids}");
    assert!(!ids.contains(HISTORY_IDS[2]) && !ids.contains(HISTORY_IDS[3]), "{ids}");
}

#[test]
fn duckdb_equals_the_report_on_maven() {
    let Some(files) = shared_set("crm/maven") else { return };
    if !python_has("duckdb") {
        return;
    }
    assert_equal("duckdb", "month", "1", &files);
    assert_equal("duckdb", "quarter", "1", &files);
}

#[test]
fn duckdb_equals_the_report_on_maven_with_a_stage_history_from_its_dates() {
    let (Some(mut files), Some(deals)) = (shared_set("crm/maven"), common::read_maven()) else { return };
    if !python_has("duckdb") {
        return;
    }
    // The history tests/independent/history_check.py writes: a deal with an engage date entered
    // Prospecting and then Engaging that day; a won or lost deal entered Won / Lost at its close.
    let mut csv = String::from("opportunity_id,stage,date\n");
    for d in &deals {
        if !d.created.is_empty() {
            csv.push_str(&format!("{0},Prospecting,{1}\n{0},Engaging,{1}\n", d.id, d.created));
        }
        if (d.stage == "Won" || d.stage == "Lost") && !d.close.is_empty() {
            csv.push_str(&format!("{},{},{}\n", d.id, d.stage, d.close));
        }
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sql-maven-history");
    std::fs::create_dir_all(&dir).unwrap();
    let history = dir.join("maven_stage_history.csv");
    std::fs::write(&history, csv).unwrap();
    files.push(history);
    let ids = assert_equal("duckdb", "quarter", "1", &files);
    assert!(ids.contains(HISTORY_IDS[0]) && ids.contains(HISTORY_IDS[1]), "{ids}");
}

/// Two dated exports and a field history with the cases the SQL must read as the report does:
/// a deal going back and forth between stages, same-day rows (file order), a stage outside the
/// standard ones, close-date and amount rows without a stage, a history row for an unknown deal,
/// a lost deal without history, a repeated id (its first row counts), an owner with a comma and
/// one without a name, and one deal in each bar of the waterfall.
#[test]
fn duckdb_equals_the_report_on_edge_cases_of_history_and_snapshots() {
    if !python_has("duckdb") {
        return;
    }
    const HEAD: &str =
        "Opportunity ID,Opportunity Name,Opportunity Owner,Stage,Amount,Probability (%),Created Date,Close Date\n";
    let earlier = [
        "A,Alpha,Ann,Proposal,1000,60,2026-03-01,2026-06-10",
        "B,Beta,Bob,Demo Scheduled,500,30,2026-03-05,2026-06-05",
        "C,Gamma,\"O'Neil, Cy\",Prospecting,300,10,2026-04-01,2026-06-25",
        "D,Delta,Ann,Qualification,200.50,20,2026-03-01,2026-05-30",
        "E,Epsilon,Bob,Qualification,150,20,2026-03-01,2026-06-01",
        "G,Eta,Ann,Qualification,400,20,2026-03-01,2026-08-01",
        "H,Theta,,Closed Lost,250,0,2026-02-01,2026-04-10",
        "I,Iota,Bob,Qualification,700,20,2026-03-01,2026-06-15",
        "J,Kappa,Ann,Proposal,800,60,2026-03-01,2026-06-15",
        "K,Lambda,Bob,Proposal,100,60,2026-03-01,2026-06-15",
        "M,Mu,Ann,Proposal,,60,2026-03-01,2026-06-15",
        "Q,Omicron,Bob,Closed Lost,90,0,2026-01-01,2026-04-01",
        "W,Omega,Ann,Closed Won,1200,100,2026-01-10,2026-03-01",
    ];
    let latest = [
        "A,Alpha,Ann,Closed Won,1000,100,2026-03-01,2026-06-12",
        "B,Beta,Bob,Closed Lost,500,0,2026-03-05,2026-06-05",
        "C,Gamma,\"O'Neil, Cy\",Qualification,300,20,2026-04-01,2026-07-15",
        "D,Delta,Ann,Qualification,200.50,20,2026-03-01,2026-03-20",
        "F,Zeta,Bob,Prospecting,99.99,10,2026-06-01,2026-06-28",
        "G,Eta,Ann,Qualification,410,20,2026-03-01,2026-06-15",
        "H,Theta,,Qualification,250,20,2026-02-01,2026-06-20",
        "I,Iota,Bob,Proposal,750.25,60,2026-03-01,2026-06-18",
        "J,Kappa,Ann,Proposal,640.10,60,2026-03-01,2026-06-15",
        "K,Lambda,Bob,Proposal,100,60,2026-03-01,2026-06-15",
        "K,Lambda,Bob,Proposal,999,60,2026-03-01,2026-06-15",
        "M,Mu,Ann,Proposal,,60,2026-03-01,2026-06-15",
        "Q,Omicron,Bob,Closed Lost,90,0,2026-01-01,2026-04-01",
        "W,Omega,Ann,Closed Won,1200,100,2026-01-10,2026-03-01",
    ];
    let history = "OpportunityId,CreatedDate,Field,OldValue,NewValue\n\
        A,2026-03-01,StageName,,Prospecting\n\
        A,2026-03-10,StageName,Prospecting,Qualification\n\
        A,2026-03-15,StageName,Qualification,Prospecting\n\
        A,2026-03-20,StageName,Prospecting,Qualification\n\
        A,2026-04-01,StageName,Qualification,Proposal\n\
        A,2026-04-10,CloseDate,2026-05-30,2026-06-10\n\
        A,2026-06-12,StageName,Proposal,Closed Won\n\
        B,2026-03-05,StageName,,Prospecting\n\
        B,2026-03-05,StageName,Prospecting,Demo Scheduled\n\
        B,2026-04-01,Amount,400,500\n\
        B,2026-05-01,CloseDate,2026-05-20,2026-06-05\n\
        B,2026-06-05,StageName,Demo Scheduled,Closed Lost\n\
        C,2026-04-01,StageName,,Prospecting\n\
        C,2026-05-01,CloseDate,2026-06-25,2026-07-15\n\
        C,2026-05-02,StageName,Prospecting,Qualification\n\
        H,2026-02-01,StageName,,Prospecting\n\
        H,2026-04-10,StageName,Prospecting,Closed Lost\n\
        H,2026-06-01,StageName,Closed Lost,Qualification\n\
        I,2026-03-01,StageName,,Qualification\n\
        I,2026-06-01,StageName,Qualification,Proposal\n\
        W,2026-01-10,StageName,,Prospecting\n\
        W,2026-02-10,StageName,Prospecting,Qualification\n\
        W,2026-02-20,StageName,Qualification,Proposal\n\
        W,2026-03-01,StageName,Proposal,Closed Won\n\
        X,2026-03-01,StageName,,Negotiation\n";
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sql-edges");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, text) in [
        ("deals-2026-05-15.csv", format!("{HEAD}{}\n", earlier.join("\n"))),
        ("deals-2026-06-20.csv", format!("{HEAD}{}\n", latest.join("\n"))),
        ("OpportunityFieldHistory.csv", history.to_string()),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
        files.push(dir.join(name));
    }
    for (grain, fiscal) in [("month", "1"), ("quarter", "5")] {
        let (ok, stdout, stderr) = check("duckdb", grain, fiscal, &files, &[]);
        assert!(ok, "{grain}/{fiscal}: {stderr}");
        assert!(HISTORY_IDS.iter().all(|id| stdout.contains(id)), "{stdout}");
    }
    // Every bar of the waterfall holds a deal (by the calendar quarter April–June).
    let out = Command::new(REVLENS).arg("report").args(&files).arg("--json").output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The pipeline in motion, by hand: close dates pushed once each for A, B and C (3); both
    // closed deals with close dates (A, B) pushed (slip 1); B's amount changed 400 → 500 (1 of
    // 1); B spent 92 days in Demo Scheduled (the bottleneck); C and I moved forward between the
    // exports, no one back.
    let metric = |id: &str, by: &str| {
        report["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| {
                m["id"] == id
                    && m["by"].as_object().map_or(String::new(), |b| b.values().map(|v| v.to_string()).collect()) == by
            })
            .map(|m| m["value"].as_f64())
    };
    assert_eq!(metric("close_date_pushes", ""), Some(Some(3.0)));
    assert_eq!(metric("slip_rate", ""), Some(Some(1.0)));
    assert_eq!(metric("amount_change_rate", ""), Some(Some(1.0)));
    assert_eq!(metric("stage_bottleneck", "\"Demo Scheduled\""), Some(Some(92.0)));
    assert_eq!(metric("stage_moves", "\"forward\""), Some(Some(2.0)));
    assert_eq!(metric("stage_moves", "\"backward\""), Some(Some(0.0)));
    // Forecast accuracy over April–June, by hand. The CRM's forecast at the earlier export
    // (2026-05-15): nothing won in the window yet, and the open deals closing in it weighted by
    // their probability: A 600 + B 150 + C 30 + D 40.10 + E 30 + I 140 + J 480 + K 60 (M has no
    // amount; G closes in August) = 1,530.10. Won by the latest export: A's 1,000.
    let accuracy = |by: &str| metric("forecast_accuracy", by).flatten().unwrap();
    assert!((accuracy("\"crm\"") - 1530.10).abs() < 1e-9, "{}", accuracy("\"crm\""));
    assert_eq!(accuracy("\"won\""), 1000.0);
    let bars = report["snapshots"]["comparison"]["waterfall"].as_array().unwrap();
    assert_eq!(bars.len(), 12);
    assert!(bars.iter().all(|b| b["count"].as_u64().unwrap() > 0), "{bars:?}");
}

/// A HubSpot deals export has no probability: the weighted pipeline takes HubSpot's default
/// stage probabilities (by label or internal id), in the query as in the report
/// (tests/sales_metrics.rs computes the report's 1,140 by hand), on every calendar.
#[test]
fn duckdb_equals_the_report_on_a_hubspot_export_with_default_stage_probabilities() {
    if !python_has("duckdb") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sql-hubspot");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hubspot-deals.csv");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sql/hubspot_deals_no_probability.csv"), &file).unwrap();
    let out =
        Command::new(REVLENS).arg("canonical").arg(&file).arg("--out").arg(dir.join("canonical")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deals = std::fs::read_to_string(dir.join("canonical/deals.csv")).unwrap();
    assert!(deals.lines().next().unwrap().ends_with(",seq,crm") && deals.lines().nth(1).unwrap().ends_with(",hubspot"));
    for (grain, fiscal) in [("month", "1"), ("quarter", "4"), ("year", "7")] {
        let (ok, stdout, stderr) = check("duckdb", grain, fiscal, std::slice::from_ref(&file), &[]);
        assert!(ok, "{grain}/{fiscal}: {stderr}");
        let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert!(summary["ids"].to_string().contains("\"weighted_pipeline\""), "{summary}");
        eprintln!("hubspot export {grain}/{fiscal}: {} values equal the report", summary["compared"]);
    }
}

/// The report's values of `id` on a fixture, by `(period, by value)`.
fn report_values(
    files: &[PathBuf],
    as_of: &str,
    id: &str,
) -> std::collections::BTreeMap<(String, String), Option<f64>> {
    let out = Command::new(REVLENS)
        .arg("report")
        .args(files)
        .args(["--json", "--simulations", "0", "--asof", as_of])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["id"] == id)
        .map(|m| {
            let by =
                m["by"].as_object().map(|b| b.values().map(text).collect::<Vec<_>>().join("|")).unwrap_or_default();
            ((text(&m["period"]), by), m["value"].as_f64())
        })
        .collect()
}

/// The report's value of `id` for `(period, by value)` on a fixture (None: no such row).
fn report_value(files: &[PathBuf], as_of: &str, id: &str, period: &str, by: &str) -> Option<Option<f64>> {
    report_values(files, as_of, id).get(&(period.to_string(), by.to_string())).copied()
}

/// Files of tests/sql.
fn fixture(names: &[&str]) -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sql"));
    names.iter().map(|n| dir.join(n)).collect()
}

/// Runs check.py on a fixture for the as-of date, by month, fiscal quarter and fiscal year;
/// asserts every value is equal and `ids` among those compared.
fn assert_fixture_equal(files: &[PathBuf], as_of: &str, ids: &[&str]) {
    for (grain, fiscal) in [("month", "1"), ("quarter", "4"), ("year", "7")] {
        let (ok, stdout, stderr) = check("duckdb", grain, fiscal, files, &["--asof", as_of]);
        assert!(ok, "{grain}/{fiscal}: {stderr}");
        for id in ids {
            assert!(stdout.contains(&format!("\"{id}\"")), "{grain}/{fiscal}: {id} not compared: {stdout}");
        }
    }
}

/// The funnel on eight hand-made leads (tests/sql/funnel_contacts.csv) and four deals, as of
/// 2026-03-31, computed by hand: lead 6 is created after the as-of date (not counted); lead 4's
/// MQL date is after it (no MQL date) but its deal D4 — the last of two rows with that id — was
/// created on 2026-01-06 and won on 2026-03-01, so it reached customer; lead 2's deal D2 is won
/// after the as-of date (opportunity at the deal's creation, not customer); lead 3's own
/// opportunity date wins over its deal's creation and its SQL date precedes its MQL date (no
/// MQL → SQL gap). Reached: 7, 6, 5, 5, 3; gaps (days): lead → MQL 1, 1, 3, 5, 10 (median 3),
/// MQL → SQL 4, 7 (5.5), SQL → opportunity 11, 14 (12.5), opportunity → customer 26, 54 (40).
#[test]
fn duckdb_equals_the_report_on_a_hand_computed_funnel() {
    let files = fixture(&["funnel_deals.csv", "funnel_contacts.csv"]);
    let as_of = "2026-03-31";
    let value = |id: &str, period: &str, source: &str| report_value(&files, as_of, id, period, source);
    for (id, expected) in [
        ("funnel_leads", 7.0),
        ("funnel_mql", 6.0),
        ("funnel_sql", 5.0),
        ("funnel_opportunity", 5.0),
        ("funnel_customer", 3.0),
        ("conversion_lead_to_mql", 6.0 / 7.0),
        ("conversion_mql_to_sql", 5.0 / 6.0),
        ("conversion_sql_to_opportunity", 1.0),
        ("conversion_opportunity_to_customer", 0.6),
        ("conversion_lead_to_customer", 3.0 / 7.0),
        ("days_lead_to_mql_median", 3.0),
        ("days_mql_to_sql_median", 5.5),
        ("days_sql_to_opportunity_median", 12.5),
        ("days_opportunity_to_customer_median", 40.0),
    ] {
        assert_eq!(value(id, "", ""), Some(Some(expected)), "{id}");
    }
    // Cohort 2026-03 (leads 7 and 8): one MQL, nobody further; by source, Web 2 of 4 customers.
    assert_eq!(value("funnel_mql", "2026-03", ""), Some(Some(1.0)));
    assert_eq!(value("conversion_sql_to_opportunity", "2026-03", ""), Some(None));
    assert_eq!(value("conversion_lead_to_customer", "", "Web"), Some(Some(0.5)));
    assert_eq!(value("conversion_lead_to_customer", "", "(none)"), Some(Some(0.0)));
    if !python_has("duckdb") {
        return;
    }
    assert_fixture_equal(&files, as_of, &["funnel_customer", "conversion_lead_to_customer", "days_mql_to_sql_median"]);
}

/// The data-quality checks on eleven hand-made deals (tests/sql/quality_*.csv), as of
/// 2026-06-30, counted by hand: Q3 won with no amount and at 90%; Q8 won with no close date and
/// an account (Initech) that is no customer of the subscriptions ("Acme, Inc." is ACME's, and
/// "The Inc" has an empty name key, which counts as known); Q7 open with no close date, created
/// date, owner or account; Q5 twice (a repeated id and content), closing before it was created
/// and lost at 20%, each time; Q2 won at 0; "Acme Inc" is the account spelling most rows use
/// ("Acme, Inc." and "ACME Inc" are variants: 2 rows), "Ann Lee" the owner's ("ann lee": 1),
/// "Pro" the product's ("pro": 1); "Proposal" and "proposal" one row each: the first read is
/// the name, the other a variant (1); the history's Negotiation is no deal's stage (1, and its
/// deal X9 is none, which the query does not count); contact 2 names deal Q99 (1); Q4 is open
/// past its close date (1).
#[test]
fn duckdb_equals_the_report_on_hand_computed_quality_checks() {
    let files =
        fixture(&["quality_deals.csv", "quality_history.csv", "quality_contacts.csv", "quality_subscriptions.csv"]);
    let out = Command::new(REVLENS)
        .arg("report")
        .args(&files)
        .args(["--json", "--simulations", "0", "--asof", "2026-06-30"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(String, u64)> = report["quality"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
        .collect();
    found.sort();
    let mut expected = vec![
        ("account_variants", 2),
        ("close_before_created", 2),
        ("closed_missing_close_date", 1),
        ("duplicate_deal_content", 1),
        ("duplicate_deal_id", 1),
        ("history_unknown_deal", 1),
        ("lead_unknown_deal", 1),
        ("missing_account", 1),
        ("missing_created_date", 1),
        ("missing_owner", 1),
        ("open_missing_close_date", 1),
        ("owner_variants", 1),
        ("past_due_open", 1),
        ("probability_vs_status", 3),
        ("product_variants", 1),
        ("stage_variants", 1),
        ("unknown_stage", 1),
        ("won_account_without_customer", 1),
        ("won_missing_amount", 1),
        ("won_zero_amount", 1),
    ];
    expected.sort();
    assert_eq!(found, expected.iter().map(|(id, n)| (id.to_string(), *n)).collect::<Vec<_>>());
    if !python_has("duckdb") {
        return;
    }
    for (grain, fiscal) in [("month", "1"), ("quarter", "4"), ("year", "7")] {
        let (ok, stdout, stderr) = check("duckdb", grain, fiscal, &files, &["--asof", "2026-06-30"]);
        assert!(ok, "{grain}/{fiscal}: {stderr}");
        let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        // Every check the query counts was compared, all but history_unknown_deal found here.
        assert_eq!(
            summary["quality_checks"].as_array().unwrap().len(),
            revlens::sql::QUALITY_CHECKS.len(),
            "{summary}"
        );
    }
}

/// Revenue growth on nine hand-made deals (tests/sql/growth_deals.csv) and one line of other
/// income, as of 2026-03-31, by hand: bookings by month 2024-01 100, 2024-03 200, 2025-01 300,
/// 2025-03 400, 2026-02 500, 2026-03 600 (a lost deal, a deal won after the as-of date and one
/// without an amount do not count), other income 2025-12 50. MoM 600 ÷ 500 − 1; YoY (the 12
/// months to March 2026 against the 12 before) 1,100 ÷ 700 − 1, of total revenue 1,150 ÷ 700 −
/// 1; QoQ of bookings null (Q4 2025 is 0), of total revenue 1,100 ÷ 50 − 1 = 21. Series: MoM
/// 2024-02 −1, 2024-03 null (after a month of 0); YoY 2025-01 300 ÷ 100 − 1 = 2, 2025-02 null.
#[test]
fn duckdb_equals_the_report_on_hand_computed_revenue_growth() {
    let files = fixture(&["growth_deals.csv", "growth_other_income.csv"]);
    let as_of = "2026-03-31";
    let value = |id: &str, period: &str, of: &str| report_value(&files, as_of, id, period, of).flatten();
    assert_eq!(value("revenue_growth_mom", "", "bookings"), Some(600.0 / 500.0 - 1.0));
    assert_eq!(value("revenue_growth_yoy", "", "bookings"), Some(1100.0 / 700.0 - 1.0));
    assert_eq!(value("revenue_growth_yoy", "", "total_revenue"), Some(1150.0 / 700.0 - 1.0));
    assert_eq!(value("revenue_growth_qoq", "", "bookings"), None);
    assert_eq!(value("revenue_growth_qoq", "", "total_revenue"), Some(21.0));
    assert_eq!(value("revenue_growth_mom", "2024-02", "bookings"), Some(-1.0));
    assert_eq!(value("revenue_growth_mom", "2024-03", "bookings"), None);
    assert_eq!(value("revenue_growth_yoy", "2025-01", "bookings"), Some(2.0));
    assert_eq!(value("revenue_growth_yoy", "2025-02", "bookings"), None);
    if !python_has("duckdb") {
        return;
    }
    assert_fixture_equal(&files, as_of, &["revenue_growth_mom", "revenue_growth_qoq", "revenue_growth_yoy"]);
}

/// Quotas on hand-made deals (tests/sql/quota_deals.csv) and quotas by period and by date range,
/// as of 2026-03-31, by hand. Owners match by name key: "ann  lee" and "The Ann Lee Inc." are
/// Ann Lee, "Bob Co" is Bob. 2026-Q1: Ann booked 1,000 + 500 of 2,000 (0.75) with 2,000 open
/// closing in the quarter (coverage 2,000 ÷ 500 = 4); Bob 800 of 1,000 (a deal without an
/// amount, a lost one and one won after the as-of date do not count) with 1,200 open (6); the
/// team 2,300 ÷ 3,000 and 3,200 ÷ 700, also the whole-data values. Ann's 2026-02 500 ÷ 700;
/// 2025 and Bob's 2026-01-10..2026-02-09 0; the quotas of 2026-Q2 have not started.
#[test]
fn duckdb_equals_the_report_on_hand_computed_quotas() {
    let files = fixture(&["quota_deals.csv", "quota_periods.csv", "quota_ranges.csv"]);
    let as_of = "2026-03-31";
    let value = |id: &str, period: &str, owner: &str| report_value(&files, as_of, id, period, owner);
    assert_eq!(value("quota_attainment", "2026-Q1", "Ann Lee"), Some(Some(0.75)));
    assert_eq!(value("pipeline_coverage", "2026-Q1", "Ann Lee"), Some(Some(4.0)));
    assert_eq!(value("quota_attainment", "2026-Q1", "Bob"), Some(Some(0.8)));
    assert_eq!(value("pipeline_coverage", "2026-Q1", "Bob"), Some(Some(6.0)));
    assert_eq!(value("quota_attainment", "2026-Q1", ""), Some(Some(2300.0 / 3000.0)));
    assert_eq!(value("pipeline_coverage", "", ""), Some(Some(3200.0 / 700.0)));
    assert_eq!(value("quota_attainment", "2026-02", "Ann Lee"), Some(Some(500.0 / 700.0)));
    assert_eq!(value("quota_attainment", "2025", ""), Some(Some(0.0)));
    assert_eq!(value("quota_attainment", "2026-01-10..2026-02-09", "Bob"), Some(Some(0.0)));
    assert_eq!(value("quota_attainment", "2026-Q2", "Ann Lee"), None);
    if !python_has("duckdb") {
        return;
    }
    assert_fixture_equal(&files, as_of, &["quota_attainment", "pipeline_coverage"]);
}

/// Stuck deals and the bottleneck on hand-made deals and history (tests/sql/stuck_*.csv), as of
/// 2026-06-30, by hand: three won deals spent 10, 20 and 40 days in Qualification (P75 30);
/// of the open deals there, O1 has been 29 days (judged, not stuck), O2 46 (stuck, 1,000) and O3
/// 60 (stuck, no amount); O4 and O5 sit in Proposal, where no deal was won (not judged), and
/// O6's history ends in Qualification while the deal is in Proposal (not judged): 2 stuck of 3
/// judged, 1,000. Won and lost deal-days: Qualification 70, Proposal 70 (the lost L1) — a tie
/// the stage order breaks (Qualification first: Proposal comes after it in O4's path).
#[test]
fn duckdb_equals_the_report_on_hand_computed_stuck_deals() {
    let files = fixture(&["stuck_deals.csv", "stuck_history.csv"]);
    let as_of = "2026-06-30";
    assert_eq!(report_value(&files, as_of, "stuck_deals", "", ""), Some(Some(2.0)));
    assert_eq!(report_value(&files, as_of, "stuck_deals_amount", "", ""), Some(Some(1000.0)));
    assert_eq!(report_value(&files, as_of, "close_date_pushes", "", ""), Some(None));
    let bottleneck = report_values(&files, as_of, "stage_bottleneck");
    assert_eq!(bottleneck.into_iter().collect::<Vec<_>>(), [((String::new(), "Qualification".into()), Some(70.0))]);
    if !python_has("duckdb") {
        return;
    }
    assert_fixture_equal(&files, as_of, &["stuck_deals", "stuck_deals_amount", "stage_bottleneck"]);
}

#[test]
fn duckdb_equals_the_report_on_real_billing_exports() {
    if !python_has("duckdb") {
        return;
    }
    // MRR, its movements, NRR, GRR and logo churn from real subscription tables.
    for folder in ["crm/saas_mrr", "crm/ravenstack"] {
        let Some(files) = shared_set(folder) else { return };
        let (ok, stdout, stderr) = check("duckdb", "month", "1", &files, &[]);
        assert!(ok, "{folder}: {stderr}");
        for id in ["\"mrr\"", "\"mrr_churned\"", "\"nrr\"", "\"logo_churn_rate\""] {
            assert!(stdout.contains(id), "{folder}: {id} not compared: {stdout}");
        }
    }
}

#[test]
fn the_check_fails_when_the_numbers_differ() {
    if !python_has("duckdb") {
        return;
    }
    // The query for another as-of date counts other deals: the check must say so.
    let files = sample("negative");
    let (ok, _, stderr) = check("duckdb", "month", "1", &files, &["--sql-asof", "2025-12-31"]);
    assert!(!ok, "the check passed on numbers for another date");
    assert!(stderr.contains("differences"), "{stderr}");
}

#[test]
fn the_check_fails_when_history_or_snapshots_differ() {
    if !python_has("duckdb") {
        return;
    }
    // Closed stages entered a day later: the days in the stage before them change. Earlier
    // amounts a cent higher: the waterfall's bars move by cents.
    let files = sample("tampered");
    for (table, id) in [("history", "stage_duration_days"), ("snapshots", "pipeline_waterfall")] {
        let (ok, _, stderr) = check("duckdb", "month", "1", &files, &["--tamper", table]);
        assert!(!ok, "the check passed on a changed {table} table");
        assert!(stderr.contains("differences") && stderr.contains(id), "{table}: {stderr}");
    }
}

#[test]
fn spark_equals_the_report() {
    if !python_has("pyspark") || !java_present() {
        return;
    }
    let ids = assert_equal("spark", "quarter", "4", &sample("spark"));
    assert!(ids.contains("\"mrr_reactivated\"") && ids.contains("\"win_rate\""), "{ids}");
    assert!(HISTORY_IDS.iter().all(|id| ids.contains(id)), "{ids}");
    if let Some(files) = shared_set("crm/maven") {
        assert_equal("spark", "month", "1", &files);
    }
}

#[test]
fn bigquery_and_snowflake_parse_and_agree_with_duckdb() {
    if !python_has("duckdb, sqlglot") {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sql/parse_check.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["--revlens", REVLENS])
        .args(sample("parse"))
        .output()
        .expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["bigquery/month", "snowflake/quarter", "bigquery/year", "spark/month"] {
        assert!(!summary[key].is_null(), "{key} not checked: {summary}");
    }
}

#[test]
fn sql_cli_errors_are_clear() {
    let out = Command::new(REVLENS).args(["sql", "--dialect", "oracle", "--asof", "2024-01-01"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'oracle' is not one of duckdb, spark, bigquery, snowflake"));
    let out = Command::new(REVLENS).args(["sql"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --asof"));
    let out = Command::new(REVLENS).args(["sql", "--asof", "1/2/2024"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not YYYY-MM-DD"));
    let out = Command::new(REVLENS).args(["sql", "--list"]).output().unwrap();
    let ids = String::from_utf8_lossy(&out.stdout).into_owned();
    for line in [
        "salesops win_rate SQL",
        "salesops pipeline_created SQL",
        "salesops stage_duration_days SQL",
        "salesops pipeline_waterfall SQL",
        "revops mrr SQL",
        "revops nrr SQL",
    ] {
        assert!(ids.lines().any(|l| l == line), "{line} not in {ids}");
    }
    assert!(ids.lines().any(|l| l.starts_with("salesops stage_conversion SQL except: ")), "{ids}");
    assert!(
        ids.lines().any(|l| l.starts_with("salesops forecast_accuracy SQL except: its `revlens_p50` row")),
        "{ids}"
    );
    assert!(ids.lines().any(|l| l.starts_with("revops data_quality_score not SQL: ")), "{ids}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(" metric ids in the query, "));
}

/// The report's metric ids on an input, each `(lens, id)` with its rows.
fn report_ids(files: &[PathBuf]) -> std::collections::BTreeMap<(String, String), usize> {
    let out = Command::new(REVLENS).arg("report").args(files).args(["--json", "--simulations", "0"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids = std::collections::BTreeMap::new();
    for m in report["metrics"].as_array().unwrap() {
        let key = (m["lens"].as_str().unwrap().to_string(), m["id"].as_str().unwrap().to_string());
        *ids.entry(key).or_insert(0) += 1;
    }
    ids
}

/// Coverage: every metric id the report gives is in `sql --list`, as SQL or with a reason (a
/// new report metric with neither fails here), and every SQL id the report gives is compared
/// equal by the DuckDB run. On the sample company, its deals without the billing export (MRR
/// estimated from renewal deals) and the billing export alone.
#[test]
fn every_report_metric_is_sql_or_says_why_not() {
    let out = Command::new(REVLENS).args(["sql", "--list"]).output().unwrap();
    let listed: Vec<(String, String, bool)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (lens, id, status) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(status.starts_with("SQL") || status.starts_with("not SQL: "), "{l}");
            (lens.to_string(), id.to_string(), status.starts_with("SQL"))
        })
        .collect();
    let files = sample("coverage");
    let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    let deals_only: Vec<PathBuf> = files.iter().filter(|p| name(p) != "subscriptions.csv").cloned().collect();
    let billing_only: Vec<PathBuf> = files.iter().filter(|p| name(p) == "subscriptions.csv").cloned().collect();
    assert_eq!(billing_only.len(), 1);
    let engines = python_has("duckdb");
    for (input, files) in [("sample", &files), ("deals only", &deals_only), ("billing only", &billing_only)] {
        let ids = report_ids(files);
        for (lens, id) in ids.keys() {
            assert!(
                listed.iter().any(|(l, i, _)| l == lens && i == id),
                "{input}: the report gives {lens} {id}, which `sql --list` names neither as SQL nor with a reason \
                 (add it to the query or to src/sql/coverage.rs)"
            );
        }
        let sql_ids: Vec<&(String, String)> =
            ids.keys().filter(|(lens, id)| listed.iter().any(|(l, i, sql)| *sql && l == lens && i == id)).collect();
        let rows: usize = ids.values().sum();
        if !engines {
            continue;
        }
        let (ok, stdout, stderr) = check("duckdb", "month", "1", files, &[]);
        assert!(ok, "{input}: {stderr}");
        let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        let compared: Vec<&str> = summary["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        for (_, id) in &sql_ids {
            assert!(compared.contains(&id.as_str()), "{input}: {id} is SQL but the equality run did not compare it");
        }
        let sql_rows = summary["compared"].as_u64().unwrap();
        eprintln!(
            "coverage on {input}: {} of {} ids in SQL, {sql_rows} of {rows} rows compared equal (MRR from {})",
            sql_ids.len(),
            ids.len(),
            summary["mrr_source"]
        );
        if input == "deals only" {
            // MRR estimated from renewal deals: in the report and the query alike.
            assert_eq!(summary["mrr_source"], "recurring_deals");
            assert!(compared.contains(&"mrr") && compared.contains(&"nrr"), "{compared:?}");
        }
    }
}

#[test]
fn canonical_says_what_an_empty_revenue_lines_table_means() {
    let files = sample("canonical-empty");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sql-canonical-empty-out");
    let deals: Vec<&PathBuf> = files.iter().filter(|p| p.ends_with("salesforce_opportunities.csv")).collect();
    let out = Command::new(REVLENS).arg("canonical").args(&deals).arg("--out").arg(&dir).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the query estimates MRR from the") && stderr.contains("recurring-type"), "{stderr}");
    let subs: Vec<&PathBuf> = files.iter().filter(|p| p.ends_with("subscriptions.csv")).collect();
    let out = Command::new(REVLENS).arg("canonical").args(&subs).arg("--out").arg(&dir).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("revenue_lines.csv is empty"));
}
