//! Research dump (not part of the protocol): per series, every candidate's hold-out forecast
//! and the automatic forecast's backtest scores, as JSON lines, for studying rules offline.
#[path = "support/series.rs"]
mod series;
use revlens::forecast::{auto_forecast, candidate_forecasts, TsOptions};
use series::read_series;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = TsOptions::default();
    for dir in &args {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        files.sort();
        for path in files {
            let (values, m) = read_series(&path).unwrap();
            let h = if m == 4 { 8 } else { 12 };
            let (train, test) = values.split_at(values.len() - h);
            let r = auto_forecast(train, m, h, &opts).unwrap();
            let cands: Vec<serde_json::Value> = candidate_forecasts(train, m, h, opts.seed)
                .into_iter()
                .map(|(k, f)| serde_json::json!({"kind": k.label(), "model": f.model, "mean": f.mean, "lo80": f.lo80, "hi80": f.hi80, "lo95": f.lo95, "hi95": f.hi95}))
                .collect();
            // Refit backtest: every candidate refitted on the data before each origin.
            let n = train.len();
            let hb = h.min((n / 4).max(1));
            let step: usize =
                std::env::var("FX_STEP").ok().and_then(|v| v.parse().ok()).unwrap_or(hb.div_ceil(4).max(1));
            let mut refit = Vec::new();
            for i in 0..6 {
                let Some(o) = n.checked_sub(hb + step * i) else { break };
                if o < (n / 2).max(8) {
                    break;
                }
                let past = &train[..o];
                let actual = &train[o..o + hb];
                let row: serde_json::Map<String, serde_json::Value> = candidate_forecasts(past, m, hb, opts.seed)
                    .into_iter()
                    .map(|(k, f)| (k.label().to_string(), serde_json::json!({"mase": revlens::forecast::mase(actual, &f.mean, past, m), "mean": f.mean})))
                    .collect();
                refit.push(serde_json::json!({"origin": o, "actual": actual, "c": row}));
            }
            let line = serde_json::json!({
                "refit": refit,
                "set": Path::new(dir).file_name().unwrap().to_string_lossy(),
                "name": path.file_name().unwrap().to_string_lossy(),
                "m": m, "h": h, "train": train, "test": test,
                "auto": {"model": r.model, "reason": r.reason, "forecast": r.forecast, "backtest": r.backtest, "candidates": r.candidates},
                "cands": cands,
            });
            println!("{line}");
        }
    }
}
