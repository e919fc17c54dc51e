//! The pipeline in time and the snapshot waterfall of `revlens report --json` agree with an
//! independent pandas computation from the raw exports (tests/independent/history_check.py):
//! the stage order, the whole-data stage conversion steps (reached, went on, value), days in
//! each stage (won and lost: median, mean, p75, p90, and how many deals), close-date pushes
//! and the slip rate, and every bar of the pipeline waterfall, whole and per owner (amounts to
//! the cent, counts exactly). On the sample company's ten files, and on the Maven export with a
//! stage history made from its own dates (when `../shared/data` is present). The comparison
//! itself is shown to fail on numbers that differ.
//!
//! Prints "skipped: …" when python3 with pandas, or the shared data, is absent.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const REVLENS: &str = env!("CARGO_BIN_EXE_revlens");

/// A named change to one expected number, which the comparison must catch.
type Tamper = (&'static str, fn(&mut Value));

fn pandas_available() -> bool {
    let ok = Command::new("python3").args(["-c", "import pandas, numpy"]).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: python3 with pandas not available (pip install -r tests/independent/requirements.txt)");
    }
    ok
}

fn pandas(args: &[&Path]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/independent/history_check.py");
    let out = Command::new("python3").arg(script).args(args).output().expect("run python3");
    assert!(out.status.success(), "history_check.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("python JSON")
}

fn report(files: &[PathBuf]) -> Value {
    let out = Command::new(REVLENS).arg("report").args(files).args(["--json", "--simulations", "0"]).output().unwrap();
    assert!(out.status.success(), "revlens report failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The sample company's ten files, in a folder of their own.
fn sample(name: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("history-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(REVLENS).args(["sample", "--out"]).arg(&dir).output().expect("run revlens sample");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 10, "the sample writes ten files");
    (dir, files)
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The report's metric of `id` whose `by` is exactly `by` (and no period).
fn metric<'a>(report: &'a Value, id: &str, by: &[(&str, &str)]) -> Option<&'a Value> {
    report["metrics"].as_array().unwrap().iter().find(|m| {
        m["id"] == id
            && m.get("period").is_none_or(Value::is_null)
            && match m.get("by").and_then(Value::as_object) {
                None => by.is_empty(),
                Some(o) => o.len() == by.len() && by.iter().all(|(k, v)| o.get(*k).and_then(Value::as_str) == Some(*v)),
            }
    })
}

/// Compares one report metric's value (1e-9 relative) and rows with pandas'.
fn value(out: &mut Vec<String>, what: String, m: Option<&Value>, want: &Value, rows: Option<u64>) {
    let Some(m) = m else {
        out.push(format!("{what}: not in the report"));
        return;
    };
    match (m["value"].as_f64(), want.as_f64()) {
        (Some(g), Some(w)) if near(g, w) => {}
        (None, None) => {}
        (g, w) => out.push(format!("{what}: revlens {g:?} vs pandas {w:?}")),
    }
    if let Some(rows) = rows {
        if m["rows"].as_u64() != Some(rows) {
            out.push(format!("{what}: revlens rows {} vs pandas {rows}", m["rows"]));
        }
    }
}

/// Compares one waterfall bar: amount to the cent, count exactly (`want` = [amount, count]).
fn bar_value(out: &mut Vec<String>, what: String, m: Option<&Value>, want: &Value) {
    let Some(m) = m else {
        out.push(format!("{what}: not in the report"));
        return;
    };
    let cents = |x: f64| (x * 100.0).round() as i64;
    let (got, amount, count) = (m["value"].as_f64().map(cents), want[0].as_f64().map(cents), want[1].as_u64());
    if got != amount || m["rows"].as_u64() != count {
        out.push(format!("{what}: revlens {} ({}) vs pandas {} ({})", m["value"], m["rows"], want[0], want[1]));
    }
}

/// Every difference between pandas' numbers and the report's (empty when they agree).
fn differences(expected: &Value, report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    // Stage order.
    if report["stage_order"]["stages"] != expected["stage_order"] {
        out.push(format!(
            "stage order: revlens {} vs pandas {}",
            report["stage_order"]["stages"], expected["stage_order"]
        ));
    }
    // Stage conversion, whole data.
    let steps = expected["stage_conversion"].as_array().unwrap();
    let whole: Vec<&Value> = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["id"] == "stage_conversion" && m.get("period").is_none_or(Value::is_null))
        .filter(|m| m["by"].as_object().is_some_and(|o| !o.contains_key("owner")))
        .collect();
    if whole.len() != steps.len() {
        out.push(format!("stage conversion: revlens has {} whole-data steps, pandas {}", whole.len(), steps.len()));
    }
    for s in steps {
        let (from, to) = (s["from"].as_str().unwrap(), s["to"].as_str().unwrap());
        let what = format!("stage_conversion {from} → {to}");
        let m = metric(report, "stage_conversion", &[("from", from), ("to", to)]);
        value(&mut out, what.clone(), m, &s["value"], Some(s["reached"].as_u64().unwrap()));
        if let Some(m) = m {
            for k in ["reached", "went_on"] {
                if m["counts"][k] != s[k] {
                    out.push(format!("{what} {k}: revlens {} vs pandas {}", m["counts"][k], s[k]));
                }
            }
        }
    }
    // Days in stage.
    let mut duration_metrics = 0;
    for (stage, outcomes) in expected["stage_duration_days"].as_object().unwrap() {
        for (outcome, stats) in outcomes.as_object().unwrap() {
            for stat in ["median", "mean", "p75", "p90"] {
                duration_metrics += 1;
                let m =
                    metric(report, "stage_duration_days", &[("stage", stage), ("outcome", outcome), ("stat", stat)]);
                value(
                    &mut out,
                    format!("stage_duration_days {stage} {outcome} {stat}"),
                    m,
                    &stats[stat],
                    stats["deals"].as_u64(),
                );
            }
        }
    }
    let reported = report["metrics"].as_array().unwrap().iter().filter(|m| m["id"] == "stage_duration_days").count();
    if reported != duration_metrics {
        out.push(format!("stage_duration_days: revlens has {reported} values, pandas {duration_metrics}"));
    }
    // Close dates.
    let pushes = if expected["deals_measured"].as_u64() == Some(0) {
        Value::Null
    } else {
        expected["close_date_pushes"].clone()
    };
    value(
        &mut out,
        "close_date_pushes".into(),
        metric(report, "close_date_pushes", &[]),
        &pushes,
        expected["deals_measured"].as_u64(),
    );
    value(
        &mut out,
        "slip_rate".into(),
        metric(report, "slip_rate", &[]),
        &expected["slip_rate"],
        expected["closed_measured"].as_u64(),
    );
    // The waterfall, whole and per owner.
    let w = &expected["pipeline_waterfall"];
    if w.is_null() {
        if metric(report, "pipeline_waterfall", &[("bar", "start")]).is_some() {
            out.push("pipeline_waterfall: in the report, not in pandas".into());
        }
        return out;
    }
    let c = &report["snapshots"]["comparison"];
    for (k, got) in [("from", &c["from"]), ("to", &c["to"])] {
        if *got != w[k] {
            out.push(format!("waterfall {k}: revlens {got} vs pandas {}", w[k]));
        }
    }
    if [&c["window"]["start"], &c["window"]["end"]] != [&w["window"][0], &w["window"][1]] {
        out.push(format!("waterfall window: revlens {} vs pandas {}", c["window"], w["window"]));
    }
    for (bar, want) in w["bars"].as_object().unwrap() {
        bar_value(
            &mut out,
            format!("pipeline_waterfall {bar}"),
            metric(report, "pipeline_waterfall", &[("bar", bar)]),
            want,
        );
    }
    let owners = w["by_owner"].as_object().unwrap();
    for (owner, bars) in owners {
        for (bar, want) in bars.as_object().unwrap() {
            let m = metric(report, "pipeline_waterfall", &[("bar", bar), ("owner", owner)]);
            bar_value(&mut out, format!("pipeline_waterfall {bar} of {owner:?}"), m, want);
        }
    }
    let reported = report["metrics"].as_array().unwrap().iter().filter(|m| m["id"] == "pipeline_waterfall").count();
    let want = 12 * (1 + owners.len());
    if reported != want {
        out.push(format!("pipeline_waterfall: revlens has {reported} bars, pandas {want}"));
    }
    out
}

#[test]
fn the_sample_matches_pandas() {
    if !pandas_available() {
        return;
    }
    let (dir, files) = sample("pandas");
    let expected = pandas(&[Path::new("sample"), &dir]);
    let report = report(&files);
    let diff = differences(&expected, &report);
    assert!(diff.is_empty(), "{} differences:\n{}", diff.len(), diff.join("\n"));
    // What was compared is not empty: five steps, durations, pushes, a waterfall that moved.
    assert_eq!(expected["stage_conversion"].as_array().unwrap().len(), 5);
    assert!(expected["close_date_pushes"].as_u64().unwrap() > 0);
    let bars = expected["pipeline_waterfall"]["bars"].as_object().unwrap();
    assert!(["start", "won", "lost", "end"].iter().all(|b| bars[*b][1].as_u64().unwrap() > 0), "{bars:?}");
    assert!(expected["pipeline_waterfall"]["by_owner"].as_object().unwrap().len() >= 5);
}

#[test]
fn maven_with_a_history_from_its_dates_matches_pandas() {
    let Some(path) = common::shared("crm/maven/sales_pipeline.csv") else { return };
    if !pandas_available() {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("history-maven");
    std::fs::create_dir_all(&dir).unwrap();
    let history = dir.join("maven_stage_history.csv");
    let expected = pandas(&[Path::new("maven"), &path, &history]);
    let report = report(&[path, history]);
    let diff = differences(&expected, &report);
    assert!(diff.is_empty(), "{} differences:\n{}", diff.len(), diff.join("\n"));
    assert_eq!(expected["stage_order"], serde_json::json!(["Prospecting", "Engaging"]));
    let engaging = &expected["stage_duration_days"]["Engaging"];
    assert!(engaging["won"]["deals"].as_u64().unwrap() > 1000 && engaging["lost"]["deals"].as_u64().unwrap() > 1000);
}

#[test]
fn the_check_fails_when_the_numbers_differ() {
    if !pandas_available() {
        return;
    }
    let (dir, files) = sample("negative");
    let expected = pandas(&[Path::new("sample"), &dir]);
    let report = report(&files);
    assert!(differences(&expected, &report).is_empty());
    // Each change to one number (beyond the tolerance, or by one cent) is caught, and named.
    let changes: [Tamper; 8] = [
        ("stage order", |e| e["stage_order"].as_array_mut().unwrap().swap(0, 1)),
        ("went_on", |e| {
            e["stage_conversion"][2]["went_on"] = (e["stage_conversion"][2]["went_on"].as_u64().unwrap() + 1).into()
        }),
        ("stage_conversion", |e| {
            e["stage_conversion"][0]["value"] =
                (e["stage_conversion"][0]["value"].as_f64().unwrap() * (1.0 + 1e-7)).into()
        }),
        ("Qualification lost p90", |e| {
            let v = &mut e["stage_duration_days"]["Qualification"]["lost"]["p90"];
            *v = (v.as_f64().unwrap() + 1e-6).into()
        }),
        ("slip_rate", |e| e["slip_rate"] = (e["slip_rate"].as_f64().unwrap() * 0.99).into()),
        ("close_date_pushes", |e| e["close_date_pushes"] = (e["close_date_pushes"].as_u64().unwrap() - 1).into()),
        ("pipeline_waterfall lost", |e| {
            let v = &mut e["pipeline_waterfall"]["bars"]["lost"][0];
            *v = (v.as_f64().unwrap() + 0.01).into()
        }),
        ("of \"Aisha Khan\"", |e| {
            let v = &mut e["pipeline_waterfall"]["by_owner"]["Aisha Khan"]["start"][1];
            *v = (v.as_u64().unwrap() + 1).into()
        }),
    ];
    for (name, change) in changes {
        let mut e = expected.clone();
        change(&mut e);
        let diff = differences(&e, &report);
        assert!(!diff.is_empty(), "changing {name} went unnoticed");
        assert!(diff.iter().any(|d| d.contains(name)), "changing {name}: {diff:?}");
    }
}
