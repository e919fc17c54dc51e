//! The SalesOps numbers of `revlens report --json` on the real Maven export agree with an
//! independent pandas computation (tests/independent/sales_check.py).

mod common;

use serde_json::Value;
use std::process::Command;

fn pandas_available() -> bool {
    let ok = Command::new("python3").args(["-c", "import pandas"]).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: python3 with pandas not available");
    }
    ok
}

#[test]
fn maven_matches_pandas() {
    let Some(path) = common::shared("crm/maven/sales_pipeline.csv") else { return };
    if !pandas_available() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/independent/sales_check.py");
    let py = Command::new("python3").arg(script).arg(&path).output().expect("run python");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    let expected: Value = serde_json::from_slice(&py.stdout).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_revlens"))
        .arg("report")
        .arg(&path)
        .arg("--json")
        .output()
        .expect("run revlens");
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let report: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let metrics = report["metrics"].as_array().unwrap();
    let get = |id: &str, period: Option<&str>, owner: Option<&str>| -> f64 {
        metrics
            .iter()
            .find(|m| {
                m["id"] == id
                    && m["period"].as_str() == period
                    && m["by"]["owner"].as_str() == owner
                    && (owner.is_some() || m["by"].is_null())
            })
            .and_then(|m| m["value"].as_f64())
            .unwrap_or_else(|| panic!("revlens has no {id} {period:?} {owner:?}"))
    };
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    for id in [
        "won_count",
        "lost_count",
        "open_count",
        "bookings",
        "win_rate",
        "win_rate_value",
        "avg_deal_size",
        "sales_cycle_days_median",
        "sales_cycle_days_mean",
        "open_pipeline",
        "past_due",
        "pipeline_created",
        "sales_velocity",
    ] {
        let want = expected[id].as_f64().unwrap();
        assert!(near(get(id, None, None), want), "{id}: revlens {} vs pandas {want}", get(id, None, None));
    }
    for (month, want) in expected["bookings_by_month"].as_object().unwrap() {
        assert!(near(get("bookings", Some(month), None), want.as_f64().unwrap()), "bookings {month}");
    }
    for (owner, want) in expected["bookings_by_owner"].as_object().unwrap() {
        assert!(near(get("bookings", None, Some(owner)), want.as_f64().unwrap()), "bookings of {owner}");
    }
    for (owner, want) in expected["win_rate_by_owner"].as_object().unwrap() {
        assert!(near(get("win_rate", None, Some(owner)), want.as_f64().unwrap()), "win rate of {owner}");
    }
}
