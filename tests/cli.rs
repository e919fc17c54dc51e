//! The command line as a user runs it: no files means the embedded sample; options that take
//! JSON reject misspelt fields with the option's name; the readable summary has the forecast.

use std::process::Command;

fn revlens(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_revlens")).args(args).output().expect("run revlens");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn no_files_reports_on_the_sample_with_its_forecast() {
    let (ok, out, err) = revlens(&["report"]);
    assert!(ok, "{err}");
    assert!(err.contains("embedded sample"), "{err}");
    assert!(out.contains("salesforce_opportunities.csv"), "{out}");
    assert!(out.contains("Monte Carlo runs") && out.contains("P50"), "{out}");
    // The same numbers as the sample written out and read back.
    let dir = std::env::temp_dir().join(format!("revlens-cli-{}", std::process::id()));
    let (ok, _, err) = revlens(&["sample", "--out", dir.to_str().unwrap()]);
    assert!(ok, "{err}");
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    files.sort();
    let mut args = vec!["report"];
    args.extend(files.iter().map(String::as_str));
    let (ok, from_files, err) = revlens(&args);
    assert!(ok, "{err}");
    let metrics = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with("Salesops") || l.starts_with("Revops"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(metrics(&out), metrics(&from_files));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn json_options_name_their_mistakes() {
    let (ok, _, err) = revlens(&["report", "--filter", r#"{"regio":["EMEA"]}"#]);
    assert!(!ok && err.contains("--filter") && err.contains("regio"), "{err}");
    let (ok, _, err) = revlens(&["report", "--spend", r#"[{"month":"2024-13","channel":"marketing","amount":1}]"#]);
    assert!(!ok && err.contains("BAD_SPEND") && err.contains("spend entry 1"), "{err}");
    let (ok, _, err) = revlens(&["report", "--simulations", "many"]);
    assert!(!ok && err.contains("--simulations"), "{err}");
}

#[test]
fn timings_are_measured_only_when_asked_for() {
    let (ok, out, err) = revlens(&["report", "--json", "--timings"]);
    assert!(ok, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = &r["timings"];
    let stages: Vec<&str> = t["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(
        stages,
        [
            "ingest",
            "dataset",
            "quality",
            "revops",
            "salesops",
            "win_probability",
            "series_forecast",
            "pipeline",
            "pipeline_distribution"
        ]
    );
    let ms = |v: &serde_json::Value| v.as_f64().unwrap();
    let sum: f64 = t["stages"].as_array().unwrap().iter().map(|s| ms(&s["ms"])).sum();
    // Quality, RevOps and the SalesOps lens's metrics of the deals (part of the `salesops`
    // stage) ran beside the rest on a second thread (where there is one): the total is the time
    // from start to end, short of the sum by at most their time.
    let beside = ms(&t["stages"][2]["ms"]) + ms(&t["stages"][3]["ms"]) + ms(&t["stages"][4]["ms"]);
    let total = ms(&t["total_ms"]);
    assert!(total <= sum + 1e-6 && total >= sum - beside - 1e-6 && sum > 0.0, "{t}");
    // On one thread, the sum.
    let (ok, out, err) = revlens(&["report", "--json", "--timings", "--threads", "1"]);
    assert!(ok, "{err}");
    let one: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sum: f64 = one["timings"]["stages"].as_array().unwrap().iter().map(|s| ms(&s["ms"])).sum();
    assert!((ms(&one["timings"]["total_ms"]) - sum).abs() < 1e-6, "{}", one["timings"]);
    // One entry per file read, adding up to the ingest stage.
    let files = t["files"].as_array().unwrap();
    assert_eq!(files.len(), 10, "the sample's 7 exports and its 3 earlier weekly snapshots");
    let read: f64 = files.iter().map(|f| ms(&f["ms"])).sum();
    assert!((read - ms(&t["stages"][0]["ms"])).abs() < 1e-6);
    // The human table goes to stderr.
    assert!(
        err.contains("win_probability") && err.contains("total") && err.contains("read salesforce_opportunities.csv"),
        "{err}"
    );
    // Without the flag, no timings: a report stays reproducible.
    let (ok, out, err) = revlens(&["report", "--json"]);
    assert!(ok, "{err}");
    assert!(!out.contains("\"timings\"") && !err.contains("win_probability"), "{err}");
}
