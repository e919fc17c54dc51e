//! Research dump (not part of the protocol): per series, every candidate's hold-out forecast
//! and the automatic forecast's backtest scores, as JSON lines, for studying rules offline.
//! `extra` holds variants the automatic forecast does not use: the automatic forecast of
//! `ln y` (positive series; points in log space) and every admissible ETS spec (trends N, A,
//! Ad) with its AICc, forecast and rerun-backtest MASE at the automatic forecast's origins.
#[path = "support/series.rs"]
mod series;
use revlens::forecast::{auto_forecast, candidate_forecasts, TsOptions};
use series::{csv_files, held_out, read_series};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = TsOptions::default();
    for dir in &args {
        for path in csv_files(Path::new(dir)) {
            let (values, m) = read_series(&path).unwrap();
            let Some((values, h)) = held_out(values, m, None) else { continue };
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
            let extra = extra_variants(train, m, h, &opts);
            let line = serde_json::json!({
                "extra": extra,
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

/// Research variants (not used by `auto_forecast`): the automatic forecast on the log scale
/// (points in log space; the caller transforms back), and ETS chosen by AICc over other
/// candidate sets, each with its rerun-backtest MASE over the automatic forecast's origins.
fn extra_variants(train: &[f64], m: usize, h: usize, opts: &TsOptions) -> serde_json::Value {
    use revlens::forecast::ets::{fit_ets, ErrorKind as E, EtsSpec, SeasonKind as S, TrendKind as T};
    let mut out = serde_json::Map::new();
    if train.iter().all(|v| *v > 0.0) {
        let logs: Vec<f64> = train.iter().map(|v| v.ln()).collect();
        let r = auto_forecast(&logs, m, h, opts).unwrap();
        out.insert("log".into(), serde_json::json!({"model": r.model, "forecast": r.forecast}));
    }
    let w = &train[train.len().saturating_sub((12 * m).max(60))..];
    let nw = w.len();
    let hb = h.min((nw / 4).max(1));
    let step = hb.div_ceil(4).max(1);
    let origins: Vec<usize> = (0..opts.backtest_origins)
        .map_while(|i| nw.checked_sub(hb + step * i).filter(|o| *o >= (nw / 2).max(8)))
        .collect();
    let positive = w.iter().all(|v| *v > 0.0);
    let seasonal = m > 1 && nw >= 2 * m + 2;
    let mut all = Vec::new();
    for e in [E::Additive, E::Multiplicative] {
        for t in [T::None, T::Additive, T::Damped] {
            for s in [S::None, S::Additive, S::Multiplicative] {
                if (!positive && (e == E::Multiplicative || s == S::Multiplicative))
                    || (!seasonal && s != S::None)
                    || (e == E::Additive && s == S::Multiplicative)
                {
                    continue;
                }
                let spec = EtsSpec::new(e, t, s);
                if let Some(f) = fit_ets(w, m, spec) {
                    if f.aicc.is_finite() {
                        let bt: Vec<f64> = origins
                            .iter()
                            .map(|&o| revlens::forecast::mase(&w[o..o + hb], &f.forecast_from(&w[..o], hb), &w[..o], m))
                            .collect();
                        all.push(
                            serde_json::json!({"spec": spec.name(), "aicc": f.aicc, "mean": f.forecast(h), "bt": bt}),
                        );
                    }
                }
            }
        }
    }
    out.insert("ets".into(), serde_json::Value::Array(all));
    serde_json::Value::Object(out)
}
