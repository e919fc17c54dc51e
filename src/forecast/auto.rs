//! Automatic model choice: fit every candidate, score it by a rolling-origin backtest on the
//! training data, keep the best (or degrade to simple models for short series).

use super::arima::auto_arima;
use super::ets::auto_ets;
use super::metrics::{mase, smape};
use super::naive::{drift, naive, seasonal_naive};
use super::output::ModelForecast;
use super::theta::auto_theta;
use super::{AutoForecast, Backtest, CandidateScore, ForecastPoint, TsOptions};

/// The candidate models of [`super::auto_forecast`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CandidateKind {
    SeasonalNaive,
    Naive,
    Drift,
    Ets,
    Theta,
    Arima,
    Combination,
}

impl CandidateKind {
    pub fn label(&self) -> &'static str {
        match self {
            CandidateKind::SeasonalNaive => "SeasonalNaive",
            CandidateKind::Naive => "Naive",
            CandidateKind::Drift => "Drift",
            CandidateKind::Ets => "AutoETS",
            CandidateKind::Theta => "AutoTheta",
            CandidateKind::Arima => "AutoARIMA",
            CandidateKind::Combination => "Combination",
        }
    }
}

/// A single model is chosen over the combination only when the backtest has at least this
/// many origins, each covering the full requested horizon.
pub const MIN_ORIGINS_FOR_SELECTION: usize = 3;

/// Seasonal models need two full seasons plus a couple of points.
pub fn seasonal_allowed(n: usize, m: usize) -> bool {
    m > 1 && n >= 2 * m + 2
}

/// Mean of several forecasts, point and interval bounds alike.
fn combine(name: String, parts: &[&ModelForecast]) -> ModelForecast {
    let k = parts.len() as f64;
    let h = parts[0].mean.len();
    let n = parts[0].fitted.len();
    let avg = |f: &dyn Fn(&ModelForecast) -> &Vec<f64>, len: usize| -> Vec<f64> {
        (0..len).map(|i| parts.iter().map(|p| f(p)[i]).sum::<f64>() / k).collect()
    };
    let mut out = ModelForecast {
        model: name,
        mean: avg(&|p| &p.mean, h),
        lo80: avg(&|p| &p.lo80, h),
        hi80: avg(&|p| &p.hi80, h),
        lo95: avg(&|p| &p.lo95, h),
        hi95: avg(&|p| &p.hi95, h),
        fitted: avg(&|p| &p.fitted, n),
        aicc: None,
    };
    out.make_consistent();
    out
}

/// Fits every candidate model to `y` and returns their `h`-step forecasts.
/// Models that cannot be fitted (too short, non-positive data for multiplicative, …) are
/// left out; naive is always present.
pub fn candidate_forecasts(y: &[f64], m: usize, h: usize, seed: u64) -> Vec<(CandidateKind, ModelForecast)> {
    let n = y.len();
    let seasonal = seasonal_allowed(n, m);
    let mut out = Vec::new();
    if m > 1 && n >= m {
        out.push((CandidateKind::SeasonalNaive, seasonal_naive(y, m, h)));
    }
    out.push((CandidateKind::Naive, naive(y, h)));
    if n >= 3 {
        out.push((CandidateKind::Drift, drift(y, h)));
    }
    if n < 4 {
        return out;
    }
    let mut stat: Vec<ModelForecast> = Vec::new();
    if let Some(f) = auto_ets(y, m, seasonal) {
        let fc = f.forecast_with_intervals(h, seed);
        stat.push(fc.clone());
        out.push((CandidateKind::Ets, fc));
    }
    if let Some(f) = auto_theta(y, m, seasonal) {
        let fc = f.forecast_with_intervals(h, seed.wrapping_add(1));
        stat.push(fc.clone());
        out.push((CandidateKind::Theta, fc));
    }
    if let Some(f) = auto_arima(y, m, seasonal) {
        let fc = f.forecast_with_intervals(h);
        stat.push(fc.clone());
        out.push((CandidateKind::Arima, fc));
    }
    if stat.len() >= 2 {
        let names: Vec<&str> = stat.iter().map(|f| f.model.as_str()).collect();
        let name = format!("Combination({})", names.join("+"));
        let refs: Vec<&ModelForecast> = stat.iter().collect();
        out.push((CandidateKind::Combination, combine(name, &refs)));
    }
    out.retain(|(_, f)| f.mean.iter().all(|v| v.is_finite()));
    out
}

fn points(f: &ModelForecast) -> Vec<ForecastPoint> {
    (0..f.mean.len())
        .map(|i| ForecastPoint { value: f.mean[i], lo80: f.lo80[i], hi80: f.hi80[i], lo95: f.lo95[i], hi95: f.hi95[i] })
        .collect()
}

fn finish(f: ModelForecast, reason: String, backtest: Backtest, candidates: Vec<CandidateScore>) -> AutoForecast {
    AutoForecast { model: f.model.clone(), reason, forecast: points(&f), fitted: f.fitted, backtest, candidates }
}

struct Score {
    kind: CandidateKind,
    mase: f64,
    smape: f64,
    count: usize,
}

/// Runs the automatic choice; series of extreme magnitude are first rescaled by a power of
/// two (exact) so that no intermediate overflows or underflows, and the results scaled back.
pub(super) fn run(y: &[f64], m: usize, h: usize, opts: &TsOptions) -> AutoForecast {
    let max_abs = y.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    if max_abs == 0.0 || (1e-100..=1e100).contains(&max_abs) {
        return run_scaled(y, m, h, opts);
    }
    let k = max_abs.log2().round() as i32;
    // 2^e applied in two halves so that |e| up to ~2100 (subnormals) does not overflow.
    let pow2 = |v: f64, e: i32| v * 2f64.powi(e / 2) * 2f64.powi(e - e / 2);
    let scaled: Vec<f64> = y.iter().map(|v| pow2(*v, -k)).collect();
    let mut out = run_scaled(&scaled, m, h, opts);
    let up = |v: f64| pow2(v, k).clamp(f64::MIN, f64::MAX);
    for p in out.forecast.iter_mut() {
        p.value = up(p.value);
        p.lo80 = up(p.lo80);
        p.hi80 = up(p.hi80);
        p.lo95 = up(p.lo95);
        p.hi95 = up(p.hi95);
    }
    for v in out.fitted.iter_mut() {
        if !v.is_nan() {
            *v = up(*v);
        }
    }
    // AICc values of the rescaled data are not comparable with the original scale.
    for c in out.candidates.iter_mut() {
        c.aicc = None;
    }
    out
}

fn run_scaled(y: &[f64], m: usize, h: usize, opts: &TsOptions) -> AutoForecast {
    let n = y.len();
    // Not measured: NaN (null in JSON), never a zero error that reads as a perfect score.
    let no_bt = |origins| Backtest {
        mase: f64::NAN,
        smape: f64::NAN,
        seasonal_naive_mase: f64::NAN,
        seasonal_naive_smape: f64::NAN,
        origins,
        horizon: 0,
    };
    if n == 1 {
        let mut f = naive(y, h);
        f.model = "Flat".into();
        let reason = "Only one observation: the forecast repeats it; no interval can be \
                      estimated from a single value."
            .to_string();
        return finish(f, reason, no_bt(0), Vec::new());
    }
    if y.iter().all(|v| *v == y[0]) {
        let mut f = naive(y, h);
        f.model = "Flat".into();
        let reason = "The series is constant: the forecast repeats its value.".to_string();
        return finish(f, reason, no_bt(0), Vec::new());
    }
    if n < 4 {
        let f = naive(y, h);
        let reason = format!(
            "Only {n} observations: too few to fit a model, so the last value is repeated \
             (naive) with random-walk intervals."
        );
        return finish(f, reason, no_bt(0), Vec::new());
    }
    // Backtest on the training data only: `origins` forecasts of `hb` steps each, from
    // origins spaced `hb` apart ending at the last observation.
    let hb = h.min((n / 4).max(1));
    let min_train = (n / 2).max(8);
    let mut origins = Vec::new();
    for i in 0..opts.backtest_origins {
        let Some(o) = n.checked_sub(hb * (i + 1)) else {
            break;
        };
        if o < min_train {
            break;
        }
        origins.push(o);
    }
    let mut scores: Vec<Score> = Vec::new();
    for (i, &o) in origins.iter().enumerate() {
        let train = &y[..o];
        let actual = &y[o..o + hb];
        let seed = opts.seed.wrapping_add(1000 * (i as u64 + 1));
        for (kind, f) in candidate_forecasts(train, m, hb, seed) {
            let ms = mase(actual, &f.mean, train, m);
            let sm = smape(actual, &f.mean);
            match scores.iter_mut().find(|s| s.kind == kind) {
                Some(s) => {
                    s.mase += ms;
                    s.smape += sm;
                    s.count += 1;
                }
                None => scores.push(Score { kind, mase: ms, smape: sm, count: 1 }),
            }
        }
    }
    let n_orig = origins.len();
    // Only candidates scored at every origin compete.
    scores.retain(|s| s.count == n_orig && n_orig > 0);
    for s in scores.iter_mut() {
        s.mase /= s.count as f64;
        s.smape /= s.count as f64;
    }
    let full = candidate_forecasts(y, m, h, opts.seed);
    let seasonal = seasonal_allowed(n, m);
    let season_note = if m > 1 && !seasonal {
        format!(
            " Seasonal models were not fitted: {n} observations are fewer than two full \
             seasons of {m} plus two."
        )
    } else {
        String::new()
    };
    let season_note = if y.iter().any(|v| *v <= 0.0) {
        season_note
            + " Multiplicative ETS models were skipped because the data contain zero or \
               negative values."
    } else {
        season_note
    };
    let find_full = |k: CandidateKind| full.iter().find(|(kk, _)| *kk == k).map(|x| &x.1);
    let snaive_score = scores
        .iter()
        .find(|s| s.kind == CandidateKind::SeasonalNaive)
        .or_else(|| scores.iter().find(|s| s.kind == CandidateKind::Naive));
    let (sn_mase, sn_smape) = snaive_score.map(|s| (s.mase, s.smape)).unwrap_or((0.0, 0.0));
    let mut candidates: Vec<CandidateScore> = Vec::new();
    for (kind, f) in &full {
        let sc = scores.iter().find(|s| s.kind == *kind);
        candidates.push(CandidateScore {
            model: f.model.clone(),
            mase: sc.map(|s| s.mase).unwrap_or(f64::NAN),
            smape: sc.map(|s| s.smape).unwrap_or(f64::NAN),
            aicc: f.aicc,
        });
    }
    let best = scores
        .iter()
        .filter(|s| find_full(s.kind).is_some() && s.mase.is_finite())
        .min_by(|a, b| a.mase.total_cmp(&b.mase));
    let combo = scores.iter().find(|s| s.kind == CandidateKind::Combination && find_full(s.kind).is_some());
    // Picking one model on thin evidence mostly picks noise; the combination is the safer
    // default unless the backtest covers the full horizon from enough origins.
    let enough_evidence = n_orig >= MIN_ORIGINS_FOR_SELECTION && hb == h;
    let (pick, why) = match (best, combo) {
        (Some(b), Some(c)) if !enough_evidence && b.kind != c.kind => (
            Some(c),
            format!(
                "the backtest ({n_orig} origin(s) of {hb} steps) is too thin to single out one \
                 model ({} scored best, MASE {:.3}), so the combination is used",
                b.kind.label(),
                b.mase
            ),
        ),
        (Some(b), _) => (
            Some(b),
            format!(
                "it had the lowest backtest error over {n_orig} origin(s) of {hb} steps on the \
                 training data"
            ),
        ),
        (None, _) => (None, String::new()),
    };
    let (chosen, reason, backtest) = match pick {
        Some(s) => {
            let f = find_full(s.kind).cloned().unwrap_or_else(|| naive(y, h));
            let reason = format!(
                "{} was chosen: {why}. Its backtest MASE is {:.3} (sMAPE {:.1}%), vs {:.3} \
                 ({:.1}%) for seasonal naive.{}",
                f.model, s.mase, s.smape, sn_mase, sn_smape, season_note
            );
            let bt = Backtest {
                mase: s.mase,
                smape: s.smape,
                seasonal_naive_mase: sn_mase,
                seasonal_naive_smape: sn_smape,
                origins: n_orig,
                horizon: hb,
            };
            (f, reason, bt)
        }
        None => {
            let pick = find_full(CandidateKind::Combination)
                .or_else(|| find_full(CandidateKind::Ets))
                .cloned()
                .unwrap_or_else(|| naive(y, h));
            let reason = format!(
                "Series too short for a backtest ({n} points): using {} without validation.{}",
                pick.model, season_note
            );
            (pick, reason, no_bt(0))
        }
    };
    for c in candidates.iter_mut() {
        if c.mase.is_nan() {
            c.mase = -1.0;
            c.smape = -1.0;
        }
    }
    finish(chosen, reason, backtest, candidates)
}
