//! Research dump (not part of the protocol): per series, the hold-out forecast of every current
//! member and of candidate new members, as JSON lines, for measuring what a new member could
//! do (hindsight ceilings) before building a rule around it, with every model's backtest MASE
//! at the automatic forecast's origins (the current members' from its candidate scores, the
//! candidates refitted at each origin). `bench/forecast_members.py` reads the dumps.
//!
//! Usage: `cargo run --release --example forecast_members -- DIR… [--seasons S] > members.jsonl`
#[path = "support/series.rs"]
mod series;
use revlens::forecast::decompose::{classical_decompose, seasonality_test, DecompKind};
use revlens::forecast::ets::{auto_ets, auto_ets_damped, fit_ets, ErrorKind, EtsSpec, SeasonKind, TrendKind};
use revlens::forecast::output::z;
use revlens::forecast::theta::auto_theta;
use revlens::forecast::{auto_forecast, candidate_forecasts, mase, TsOptions};
use series::{csv_files, held_out, read_series};
use std::path::Path;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut seasons = None;
    if let Some(i) = args.iter().position(|a| a == "--seasons") {
        seasons = Some(args[i + 1].parse::<f64>().unwrap());
        args.drain(i..i + 2);
    }
    let opts = TsOptions::default();
    for dir in &args {
        for path in csv_files(Path::new(dir)) {
            let (values, m) = read_series(&path).unwrap();
            let Some((values, h)) = held_out(values, m, seasons) else { continue };
            let (train, test) = values.split_at(values.len() - h);
            let r = auto_forecast(train, m, h, &opts).unwrap();
            let mut c: Vec<(String, Vec<f64>)> = vec![("auto".into(), r.forecast.iter().map(|p| p.value).collect())];
            for (k, f) in candidate_forecasts(train, m, h, opts.seed) {
                c.push((k.label().to_string(), f.mean));
            }
            // Rule 1's fit window (`max_fit_points` in auto.rs: 12 seasons, at least 60 points).
            let start = train.len().saturating_sub((12 * m).max(60));
            let yw = &train[start..];
            let short = start == 0;
            c.extend(extra(yw, m, h, short));
            // Backtest MASE at the automatic forecast's origins: the current members' from its
            // candidate scores (rerun), the new ones refitted at each origin.
            let nw = yw.len();
            let hb = h.min((nw / 4).max(1));
            let step = hb.div_ceil(4).max(1);
            let min_train = (nw / 2).max(8);
            let origins: Vec<usize> = (0..opts.backtest_origins)
                .map_while(|i| nw.checked_sub(hb + step * i).filter(|o| *o >= min_train))
                .collect();
            let mut bt = serde_json::Map::new();
            for cs in &r.candidates {
                let k = if cs.model.starts_with("ETS(") {
                    "AutoETS"
                } else if cs.model.starts_with("Theta(") {
                    "AutoTheta"
                } else if cs.model.contains("ARIMA") {
                    "AutoARIMA"
                } else if cs.model.starts_with("Combination") {
                    "Combination"
                } else {
                    cs.model.as_str()
                };
                bt.insert(k.to_string(), serde_json::json!(cs.mase));
            }
            let mut sums: std::collections::BTreeMap<String, (f64, usize)> = Default::default();
            for &o in &origins {
                let past = &yw[..o];
                let actual = &yw[o..o + hb];
                for (k, f) in extra(past, m, hb, short) {
                    if f.len() == hb && f.iter().all(|v| v.is_finite()) {
                        let e = sums.entry(k).or_default();
                        e.0 += mase(actual, &f, past, m);
                        e.1 += 1;
                    }
                }
            }
            for (k, (s, c)) in sums {
                if c == origins.len() {
                    bt.insert(k, serde_json::json!(s / c as f64));
                }
            }
            let out: serde_json::Map<String, serde_json::Value> = c
                .into_iter()
                .filter(|(_, f)| f.len() == h && f.iter().all(|v| v.is_finite()))
                .map(|(k, f)| (k, serde_json::json!({"mase": mase(test, &f, train, m), "mean": f})))
                .collect();
            let line = serde_json::json!({
                "set": Path::new(dir).file_name().unwrap().to_string_lossy(),
                "name": path.file_name().unwrap().to_string_lossy(),
                "m": m, "n": train.len(), "test": test, "scale_train": train,
                "c": out, "bt": bt, "origins": origins.len(), "auto_model": r.model,
            });
            println!("{line}");
        }
    }
}

fn extra(y: &[f64], m: usize, h: usize, short: bool) -> Vec<(String, Vec<f64>)> {
    let mut out = Vec::new();
    let n = y.len();
    let seasonal = m > 1 && n >= 2 * m + 2;
    let positive = y.iter().all(|v| *v > 0.0);
    if positive {
        let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
        let z80 = z(0.8);
        let back = |name: &str, f: &revlens::forecast::ModelForecast, out: &mut Vec<(String, Vec<f64>)>| {
            out.push((format!("{name}_med"), f.mean.iter().map(|v| v.exp()).collect()));
            let adj = (0..h)
                .map(|j| {
                    let s = (f.hi80[j] - f.lo80[j]) / (2.0 * z80);
                    (f.mean[j] + 0.5 * s * s).exp()
                })
                .collect();
            out.push((format!("{name}_adj"), adj));
        };
        let ets = if short { auto_ets_damped(&ly, m, seasonal).map(|x| x.0) } else { auto_ets(&ly, m, seasonal) };
        if let Some(f) = ets {
            back("logETS", &f.forecast_with_intervals(h, 1), &mut out);
        }
        if let Some(f) = auto_theta(&ly, m, seasonal) {
            back("logTheta", &f.forecast_with_intervals(h, 2), &mut out);
        }
    }
    // Comb S-H-D (M3): SES, Holt and damped Holt on the classically deseasonalised series.
    let (adj, season): (Vec<f64>, Vec<f64>) = if seasonal && seasonality_test(y, m) {
        let mult = positive.then(|| classical_decompose(y, m, DecompKind::Multiplicative)).flatten();
        match mult {
            Some(d) => (y.iter().enumerate().map(|(t, v)| v / d.seasonal_at(t)).collect(), {
                (0..h).map(|j| d.seasonal_at(n + j)).collect()
            }),
            None => (y.to_vec(), vec![1.0; h]),
        }
    } else {
        (y.to_vec(), vec![1.0; h])
    };
    let specs = [TrendKind::None, TrendKind::Additive, TrendKind::Damped];
    let fits: Vec<Vec<f64>> = specs
        .iter()
        .filter_map(|&t| fit_ets(&adj, 1, EtsSpec::new(ErrorKind::Additive, t, SeasonKind::None)))
        .map(|f| f.forecast(h))
        .collect();
    if fits.len() == 3 {
        let shd: Vec<f64> = (0..h).map(|j| season[j] * (fits[0][j] + fits[1][j] + fits[2][j]) / 3.0).collect();
        out.push(("SHD".into(), shd));
        out.push(("SD".into(), (0..h).map(|j| season[j] * (fits[0][j] + fits[2][j]) / 2.0).collect()));
        out.push(("Dadj".into(), (0..h).map(|j| season[j] * fits[2][j]).collect()));
        out.push(("Sadj".into(), (0..h).map(|j| season[j] * fits[0][j]).collect()));
    }
    // Robust seasonal naive: mean of the last K seasons at the same position, with optional drift.
    if m > 1 {
        for k in [2usize, 3] {
            if n >= k * m {
                let base: Vec<f64> =
                    (0..h).map(|j| (0..k).map(|i| y[n - (i + 1) * m + (j % m)]).sum::<f64>() / k as f64).collect();
                // Drift per season: change of the seasonal mean across the last K seasons.
                let smean = |i: usize| y[n - (i + 1) * m..n - i * m].iter().sum::<f64>() / m as f64;
                let d = (smean(0) - smean(k - 1)) / (k - 1) as f64;
                // Level of the base sits (k-1)/2 seasons behind the last season.
                out.push((format!("SNavg{k}"), base.clone()));
                let lift = 0.5 * (k - 1) as f64 * d;
                out.push((format!("SNavg{k}L"), base.iter().map(|v| v + lift).collect()));
                let dr: Vec<f64> = (0..h)
                    .map(|j| {
                        let steps = (j + 1) as f64 / m as f64;
                        base[j] + lift + d * steps
                    })
                    .collect();
                out.push((format!("SNavg{k}D"), dr));
            }
        }
        if n > m + 1 {
            let d = (m..n).map(|t| y[t] - y[t - m]).sum::<f64>() / (n - m) as f64;
            out.push(("SNdrift".into(), (0..h).map(|j| y[n - m + j % m] + d * (j / m + 1) as f64).collect()));
        }
    }
    out
}
