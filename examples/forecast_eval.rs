//! Accuracy protocol for the forecasting engine against statsforecast's numbers.
//!
//! For every `period,value` CSV in each directory (default: the three development sets
//! `../shared/data/forecast` (8 series), `../shared/data/forecast_more` (47) and
//! `../shared/data/forecast_short` (79 short series, 48–76 points), relative to the crate root;
//! skipped with a message when the folder is absent): hold out the last h points (12 monthly, 8 quarterly), fit on the rest, forecast h,
//! and report MASE (scaled by the in-sample seasonal-naive MAE, m = 12 or 4), sMAPE, 80%/95%
//! interval coverage, chosen model and time, next to the peer MASEs in
//! `peer_statsforecast.json`. The per-series table is printed for the first directory (all of
//! them with `--all`); every directory gets its mean line, the sets are then printed side by
//! side with the peers' means (and the gap to the best peer model), and the union gets its mean
//! MASE, its coverage over all held-out points and the time per series.
//!
//! `--seasons S` keeps only the last `S` seasons (plus the held-out points) of every series, a
//! check on short series like the hidden set's (peer columns are then blank: statsforecast
//! was run on the whole series).
//!
//! Usage: `cargo run --release --example forecast_eval -- [DIR…] [--json] [--all] [--candidates] [--origins N] [--seasons S]`

#[path = "support/series.rs"]
mod series;
use series::{csv_files, held_out, read_series};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use revlens::forecast::ets::auto_ets;
use revlens::forecast::metrics::mase_scale;
use revlens::forecast::{auto_forecast, candidate_forecasts, coverage, mase, smape, TsOptions};

#[derive(Serialize)]
struct Row {
    series: String,
    n_train: usize,
    horizon: usize,
    season_length: usize,
    mase: f64,
    smape: f64,
    coverage80: f64,
    coverage95: f64,
    /// Mean scaled interval score of the 80% and 95% intervals (M4's MSIS: width plus `2/α`
    /// times each miss, divided by the MASE scale; lower is better).
    msis80: f64,
    msis95: f64,
    model: String,
    millis: f64,
    /// CPU time of the same call (mean of the 3 runs), from `/proc/thread-self/schedstat`
    /// where the system has it (Linux), else NaN: unlike wall time it does not grow with
    /// other load.
    cpu_millis: f64,
    /// Time of the AutoETS fit alone (for the speed comparison with statsforecast AutoETS).
    ets_millis: f64,
    peer: BTreeMap<String, f64>,
}

/// `../shared/data/NAME` relative to the crate root, else `/work/shared/data/NAME`.
fn default_dir(name: &str) -> PathBuf {
    let rel = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name);
    if rel.is_dir() {
        rel
    } else {
        PathBuf::from("/work/shared/data").join(name)
    }
}

const PEER_COLS: [&str; 5] = ["SeasonalNaive", "AutoETS", "AutoARIMA", "AutoTheta", "Combo(ETS,ARIMA,Theta)"];

/// Held-out points inside the intervals, over every point of every series (not a mean of
/// per-series shares: monthly series hold out 12 points, quarterly 8).
#[derive(Default, Clone, Copy)]
struct Pooled {
    points: usize,
    in80: usize,
    in95: usize,
}

struct SetResult {
    name: String,
    rows: Vec<Row>,
    pooled: Pooled,
}

fn evaluate_dir(
    dir: &Path,
    opts: &TsOptions,
    seasons: Option<f64>,
    show_candidates: bool,
    cand_table: &mut BTreeMap<String, Vec<f64>>,
) -> SetResult {
    let peer: BTreeMap<String, BTreeMap<String, f64>> = std::fs::read_to_string(dir.join("peer_statsforecast.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let files = csv_files(dir);
    let mut rows = Vec::new();
    let mut pooled = Pooled::default();
    for path in &files {
        let Some((values, m)) = read_series(path) else {
            eprintln!("skipping unreadable {}", path.display());
            continue;
        };
        let Some((values, h)) = held_out(values, m, seasons) else { continue };
        let (train, test) = values.split_at(values.len() - h);
        // Best of three runs: the machine is shared, the minimum is the least noisy.
        let mut millis = f64::INFINITY;
        let mut res = None;
        let c0 = thread_cpu_ns();
        for _ in 0..3 {
            let t0 = Instant::now();
            let r = auto_forecast(train, m, h, opts).expect("finite data");
            millis = millis.min(t0.elapsed().as_secs_f64() * 1e3);
            res = Some(r);
        }
        // The kernel updates a running thread's CPU time at scheduler ticks (a few ms), so the
        // three runs are timed together and averaged: unbiased, and the mean over many series
        // is precise even where one series' figure is not.
        let cpu_millis = match (c0, thread_cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 3e6,
            _ => f64::NAN,
        };
        let res = res.expect("ran three times");
        let mean: Vec<f64> = res.forecast.iter().map(|p| p.value).collect();
        let lo80: Vec<f64> = res.forecast.iter().map(|p| p.lo80).collect();
        let hi80: Vec<f64> = res.forecast.iter().map(|p| p.hi80).collect();
        let lo95: Vec<f64> = res.forecast.iter().map(|p| p.lo95).collect();
        let hi95: Vec<f64> = res.forecast.iter().map(|p| p.hi95).collect();
        for (i, a) in test.iter().enumerate() {
            pooled.points += 1;
            pooled.in80 += usize::from(*a >= lo80[i] && *a <= hi80[i]);
            pooled.in95 += usize::from(*a >= lo95[i] && *a <= hi95[i]);
        }
        let ets_millis = (0..3)
            .map(|_| {
                let t1 = Instant::now();
                let _ = auto_ets(train, m, true);
                t1.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if show_candidates {
            for (kind, f) in candidate_forecasts(train, m, h, opts.seed) {
                let v = mase(test, &f.mean, train, m);
                cand_table.entry(kind.label().to_string()).or_default().push(v);
                eprintln!("{name:20} {:14} {:40} {:.3}", kind.label(), f.model, v);
            }
            eprintln!("  -> chose {} | {}", res.model, res.reason);
        }
        rows.push(Row {
            series: name.clone(),
            n_train: train.len(),
            horizon: h,
            season_length: m,
            mase: mase(test, &mean, train, m),
            smape: smape(test, &mean),
            coverage80: coverage(test, &lo80, &hi80),
            coverage95: coverage(test, &lo95, &hi95),
            msis80: msis(test, &lo80, &hi80, 0.2, train, m),
            msis95: msis(test, &lo95, &hi95, 0.05, train, m),
            model: res.model.clone(),
            millis,
            cpu_millis,
            ets_millis,
            peer: if seasons.is_some() { BTreeMap::new() } else { peer.get(&name).cloned().unwrap_or_default() },
        });
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    SetResult { name, rows, pooled }
}

/// M4's mean scaled interval score of one interval at level `1 − alpha`.
fn msis(actual: &[f64], lo: &[f64], hi: &[f64], alpha: f64, insample: &[f64], m: usize) -> f64 {
    let k = actual.len().min(lo.len()).min(hi.len());
    let s: f64 = (0..k)
        .map(|i| {
            let (a, l, u) = (actual[i], lo[i], hi[i]);
            (u - l) + 2.0 / alpha * ((l - a).max(0.0) + (a - u).max(0.0))
        })
        .sum();
    s / k.max(1) as f64 / mase_scale(insample, m)
}

/// CPU time of this thread in nanoseconds (Linux), `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, k) = v.fold((0.0, 0usize), |(s, k), x| (s + x, k + 1));
    if k == 0 {
        f64::NAN
    } else {
        s / k as f64
    }
}

fn peer_means(rows: &[Row]) -> Vec<String> {
    PEER_COLS
        .iter()
        .map(|c| {
            let v: Vec<f64> = rows.iter().filter_map(|r| r.peer.get(*c).copied()).collect();
            if v.is_empty() {
                "     -".into()
            } else {
                format!("{:6.3}", v.iter().sum::<f64>() / v.len() as f64)
            }
        })
        .collect()
}

fn print_header() {
    println!(
        "{:<32} {:>6} {:>7} {:>5} {:>5} {:>8} {:>7} | {:>6} {:>6} {:>6} {:>6} {:>6} | model",
        "series", "MASE", "sMAPE", "cov80", "cov95", "ms", "ETS ms", "SNaive", "ETS", "ARIMA", "Theta", "Combo"
    );
}

fn print_row(r: &Row) {
    let p: Vec<String> = PEER_COLS
        .iter()
        .map(|c| r.peer.get(*c).map(|v| format!("{v:6.3}")).unwrap_or_else(|| "     -".into()))
        .collect();
    println!(
        "{:<32} {:6.3} {:7.2} {:5.2} {:5.2} {:8.1} {:7.1} | {} | {}",
        r.series,
        r.mase,
        r.smape,
        r.coverage80,
        r.coverage95,
        r.millis,
        r.ets_millis,
        p.join(" "),
        r.model
    );
}

fn print_mean(label: &str, rows: &[Row]) {
    println!(
        "{:<32} {:6.3} {:7.2} {:5.2} {:5.2} {:8.1} {:7.1} | {} |",
        label,
        mean(rows.iter().map(|r| r.mase)),
        mean(rows.iter().map(|r| r.smape)),
        mean(rows.iter().map(|r| r.coverage80)),
        mean(rows.iter().map(|r| r.coverage95)),
        mean(rows.iter().map(|r| r.millis)),
        mean(rows.iter().map(|r| r.ets_millis)),
        peer_means(rows).join(" ")
    );
}

/// The sets side by side: revlens's mean MASE next to each peer model's on the same series,
/// the gap to the best peer model, and the pooled interval coverage.
fn print_side_by_side(sets: &[SetResult]) {
    println!(
        "{:<16} {:>6} | {:>7} | {:>6} {:>7} {:>9} {:>9} {:>6} | {:>17} | {:>5} {:>5}",
        "mean MASE",
        "series",
        "revlens",
        "SNaive",
        "AutoETS",
        "AutoARIMA",
        "AutoTheta",
        "Combo",
        "vs best peer",
        "cov80",
        "cov95"
    );
    for s in sets {
        let revlens = mean(s.rows.iter().map(|r| r.mase));
        let peers: Vec<Option<f64>> = PEER_COLS
            .iter()
            .map(|c| {
                let v: Vec<f64> = s.rows.iter().filter_map(|r| r.peer.get(*c).copied()).collect();
                (v.len() == s.rows.len() && !v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            })
            .collect();
        let cell = |v: Option<f64>, w: usize| v.map(|v| format!("{v:>w$.3}")).unwrap_or_else(|| format!("{:>w$}", "-"));
        // The best single statsforecast model (the combination column is not one model).
        let best = peers[..4].iter().flatten().copied().fold(f64::NAN, f64::min);
        let gap = if best.is_finite() {
            format!("{:>+6.1}% vs {best:.3}", 100.0 * (revlens / best - 1.0))
        } else {
            "-".into()
        };
        let p = s.pooled.points.max(1) as f64;
        println!(
            "{:<16} {:>6} | {:>7.3} | {} {} {} {} {} | {:>17} | {:>5.3} {:>5.3}",
            s.name,
            s.rows.len(),
            revlens,
            cell(peers[0], 6),
            cell(peers[1], 7),
            cell(peers[2], 9),
            cell(peers[3], 9),
            cell(peers[4], 6),
            gap,
            s.pooled.in80 as f64 / p,
            s.pooled.in95 as f64 / p
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let show_all = args.iter().any(|a| a == "--all");
    let show_candidates = args.iter().any(|a| a == "--candidates");
    let mut dirs: Vec<PathBuf> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            !a.starts_with("--") && (*i == 0 || (args[i - 1] != "--origins" && args[i - 1] != "--seasons"))
        })
        .map(|(_, a)| PathBuf::from(a))
        .collect();
    if dirs.is_empty() {
        dirs = vec![default_dir("forecast"), default_dir("forecast_more"), default_dir("forecast_short")];
    }
    let (present, absent): (Vec<PathBuf>, Vec<PathBuf>) = dirs.into_iter().partition(|d| d.is_dir());
    for d in &absent {
        eprintln!("skipped: {} is not present (the shared data lives beside the repository)", d.display());
    }
    if present.is_empty() {
        println!("skipped: shared data not present");
        return;
    }
    let dirs = present;
    let mut opts = TsOptions::default();
    if let Some(i) = args.iter().position(|a| a == "--origins") {
        opts.backtest_origins =
            args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(TsOptions::default().backtest_origins);
    }
    let seasons: Option<f64> =
        args.iter().position(|a| a == "--seasons").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok());
    let mut cand_table: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let sets: Vec<SetResult> =
        dirs.iter().map(|d| evaluate_dir(d, &opts, seasons, show_candidates, &mut cand_table)).collect();
    if show_candidates {
        for (k, v) in &cand_table {
            eprintln!("mean holdout MASE {k:14} {:.3} over {} series", mean(v.iter().copied()), v.len());
        }
    }
    let all: Vec<&Row> = sets.iter().flat_map(|s| &s.rows).collect();
    let pooled = sets.iter().fold(Pooled::default(), |a, s| Pooled {
        points: a.points + s.pooled.points,
        in80: a.in80 + s.pooled.in80,
        in95: a.in95 + s.pooled.in95,
    });
    let share = |k: usize| k as f64 / pooled.points.max(1) as f64;
    let mut ms: Vec<f64> = all.iter().map(|r| r.millis).collect();
    ms.sort_by(f64::total_cmp);
    let ms_mean = mean(ms.iter().copied());
    let ms_max = ms.last().copied().unwrap_or(f64::NAN);
    if json {
        #[derive(Serialize)]
        struct SetOut<'a> {
            name: &'a str,
            rows: &'a [Row],
            mean_mase: f64,
            mean_smape: f64,
            mean_coverage80: f64,
            mean_coverage95: f64,
            pooled_coverage80: f64,
            pooled_coverage95: f64,
            mean_millis: f64,
            mean_ets_millis: f64,
            peer_mean: BTreeMap<String, f64>,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            sets: Vec<SetOut<'a>>,
            union_mean_mase: f64,
            union_coverage80: f64,
            union_coverage95: f64,
            union_mean_millis: f64,
            union_max_millis: f64,
            union_mean_cpu_millis: f64,
        }
        let out = Out {
            sets: sets
                .iter()
                .map(|s| {
                    let mut peer_mean: BTreeMap<String, f64> = BTreeMap::new();
                    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                    for r in &s.rows {
                        for (m, v) in &r.peer {
                            *peer_mean.entry(m.clone()).or_default() += v;
                            *counts.entry(m.clone()).or_default() += 1;
                        }
                    }
                    for (m, v) in peer_mean.iter_mut() {
                        *v /= counts[m] as f64;
                    }
                    let p = s.pooled.points.max(1) as f64;
                    SetOut {
                        name: &s.name,
                        rows: &s.rows,
                        mean_mase: mean(s.rows.iter().map(|r| r.mase)),
                        mean_smape: mean(s.rows.iter().map(|r| r.smape)),
                        mean_coverage80: mean(s.rows.iter().map(|r| r.coverage80)),
                        mean_coverage95: mean(s.rows.iter().map(|r| r.coverage95)),
                        pooled_coverage80: s.pooled.in80 as f64 / p,
                        pooled_coverage95: s.pooled.in95 as f64 / p,
                        mean_millis: mean(s.rows.iter().map(|r| r.millis)),
                        mean_ets_millis: mean(s.rows.iter().map(|r| r.ets_millis)),
                        peer_mean,
                    }
                })
                .collect(),
            union_mean_mase: mean(all.iter().map(|r| r.mase)),
            union_coverage80: share(pooled.in80),
            union_coverage95: share(pooled.in95),
            union_mean_millis: ms_mean,
            union_max_millis: ms_max,
            union_mean_cpu_millis: mean(all.iter().map(|r| r.cpu_millis)),
        };
        println!("{}", serde_json::to_string_pretty(&out).unwrap());
        return;
    }
    print_header();
    for (i, s) in sets.iter().enumerate() {
        if i == 0 || show_all {
            for r in &s.rows {
                print_row(r);
            }
        }
        print_mean(&format!("MEAN {} ({} series)", s.name, s.rows.len()), &s.rows);
    }
    println!();
    print_side_by_side(&sets);
    println!();
    println!(
        "union of {} series: mean MASE {:.3}; coverage over {} held-out points: 80% {:.3}, 95% {:.3}",
        all.len(),
        mean(all.iter().map(|r| r.mase)),
        pooled.points,
        share(pooled.in80),
        share(pooled.in95)
    );
    println!(
        "time per series (whole auto_forecast): wall (best of 3) mean {:.1} ms, median {:.1} ms, max {:.1} ms; \
         CPU (mean of 3) mean {:.1} ms, max {:.1} ms",
        ms_mean,
        ms.get(ms.len() / 2).copied().unwrap_or(f64::NAN),
        ms_max,
        mean(all.iter().map(|r| r.cpu_millis)),
        all.iter().map(|r| r.cpu_millis).fold(f64::NAN, f64::max)
    );
}
