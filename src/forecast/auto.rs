//! Automatic forecast: a robust combination of ETS, Theta and ARIMA by default, a single model
//! only on strong backtest evidence, intervals calibrated on the backtest.
//!
//! The rules, in order (each is stated in the result's `reason` when it decides):
//!
//! 1. **Recent history only.** Models are fitted to the last [`max_fit_points`] observations
//!    (12 seasons, at least 60 points): older data mostly describe a level and seasonal
//!    pattern that no longer hold, and the cost stays bounded on long series. On the 55
//!    development series, mean MASE fell monotonically from the whole history (0.909) to 20
//!    seasons (0.864), 15 (0.815) and 12 (0.797); 10 seasons, or fewer than 60 points, did worse.
//! 2. **Members.** AutoETS (damped or no trend), AutoTheta and a bounded AutoARIMA are fitted
//!    once to that window; seasonal naive, naive and drift are the benchmarks. **Short
//!    histories** (the whole history inside the window, [`damp_short_ets`]): ETS keeps the
//!    error and season AICc chose but a damped trend instead of none; on 40–60 points AICc's
//!    penalty mostly rules the trend out and the level-only model misses the drift of the
//!    last years. Short set 1.406 → 1.380 mean MASE; chosen on the long sets cut to 4–10
//!    seasons (0.774 → 0.762) and checked on the short set (see `docs/forecasting.md`).
//!    On the same short histories the ARIMA member's coefficients are refined by exact
//!    maximum likelihood (Kalman filter) from the CSS estimate, as statsforecast's CSS-ML,
//!    when its state dimension is at most [`super::arima::MAX_ML_STATE`]: conditional sums
//!    of squares throw away the first `p + P·m` of 40–60 points. Short set 1.380 → 1.372;
//!    chosen on the long sets cut to 4–10 seasons (0.762 → 0.759) and checked on the short set.
//! 3. **Sanity envelope.** A member is rejected when one of its forecasts leaves
//!    `[lo − r·(1 + j/m), hi + r·(1 + j/m)]` at step `j` (from 1), where `lo`, `hi` are the
//!    smallest and largest value of the last season, `r` the range of the whole window and
//!    `m` the season length; for all-positive data the lower end is at least 0. A member that
//!    explodes (or collapses) within the horizon is dropped rather than averaged in.
//! 4. **Combination.** With at least [`MIN_ORIGINS_FOR_SELECTION`] backtest origins, the
//!    member with the largest backtest MASE is trimmed and the point forecast is the mean of
//!    the other two (a trimmed mean); with fewer origins it is the median of the surviving
//!    members. Either way one failing member cannot drag it. On the 55 development series:
//!    median 0.795 mean MASE, plain mean 0.802, inverse-error weights 0.796, trimmed 0.767.
//! 5. **Backtest.** Every model is rerun, with its fitted structure and parameters, from
//!    `origins` earlier forecast origins (spaced a quarter of the horizon apart) and scored
//!    by MASE on the windows that follow. Rerunning instead of refitting makes the backtest
//!    almost free (so it can afford many origins) at the price of being slightly optimistic.
//! 6. **Single model only on strong evidence.** One model replaces the combination only when
//!    the backtest covers the full horizon from at least [`MIN_ORIGINS_FOR_SELECTION`]
//!    origins, the model's mean MASE is at least [`SELECTION_MARGIN`] below the
//!    combination's, and it beats the combination at [`SELECTION_WIN_SHARE`] of the origins.
//! 7. **Intervals.** Half-widths are `c·s_j`, with `s_j` the mean standard deviation of the
//!    combined members at step `j` (their own 80% half-width / 1.2816) and `c` the 80% or 95%
//!    quantile of the combination's backtest absolute errors divided by `s_j`, never below the
//!    Gaussian quantile: the members' intervals, widened when the backtest says they are too
//!    narrow. A single model's own intervals are widened the same way from its own errors.
//!    The quantile is the split-conformal one ([`conformal_quantile_sorted`], the
//!    `⌈(n + 1)·p⌉`-th smallest of `n` errors): the plain sample quantile of a few dozen
//!    errors covers about `(p·(n − 1) + 1)/(n + 1)` of new ones, less than `p`. No parameter;
//!    kept on the k-fold over the 134 series (every fold) and on the long sets' interval score,
//!    checked on the short set: 80%/95% coverage 74.9%/90.9% → 75.3%/91.2%.
//! 8. **Short series: intervals at least the history's own moves.** When the whole history is
//!    inside the fit window, each band is widened where it is narrower than
//!    [`SPREAD_FLOOR_80`]/[`SPREAD_FLOOR_95`] times the 80%/95% quantile of the series' past
//!    moves over the seasonal-naive lag of that step: on a short history the rerun backtest
//!    has seen most of what it is scored on, and its errors are too small. Held-out points
//!    inside the 80%/95% intervals: `forecast` 87.5%/96.6%, `forecast_more` 83.9%/96.0%,
//!    `forecast_short` 75.3%/91.2% (60.5%/79.5% without this rule, before rule 7's conformal
//!    quantile). Its multipliers stay sample quantiles: they were chosen by k-fold on them,
//!    which already absorbs the finite-sample shortfall.
//! 9. **Never below zero.** A series that was never negative (bookings, revenue, MRR) gets no
//!    negative forecast or bound, on every path.

use super::arima::{auto_arima_ml, ArimaFit};
use super::ets::{auto_ets, auto_ets_damped, EtsFit};
use super::metrics::{mase, smape};
use super::naive::{drift, naive, seasonal_naive};
use super::output::{conformal_quantile_sorted, quantile_sorted, z, ModelForecast};
use super::theta::{auto_theta, ThetaFit};
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

    fn is_member(&self) -> bool {
        matches!(self, CandidateKind::Ets | CandidateKind::Theta | CandidateKind::Arima)
    }
}

/// A single model replaces the combination only when the backtest has at least this many
/// origins, each covering the full requested horizon.
pub const MIN_ORIGINS_FOR_SELECTION: usize = 6;

/// … and its backtest MASE is at least this fraction below the combination's …
pub const SELECTION_MARGIN: f64 = 0.2;

/// … and it beats the combination at this share of the origins.
pub const SELECTION_WIN_SHARE: f64 = 0.75;

/// Models are fitted to at most this many of the latest observations: 12 seasons, but never
/// fewer than 60 points (15 years of quarterly data).
pub fn max_fit_points(m: usize) -> usize {
    (12 * m).max(60)
}

/// Seasonal models need two full seasons plus a couple of points.
pub fn seasonal_allowed(n: usize, m: usize) -> bool {
    m > 1 && n >= 2 * m + 2
}

/// A fitted model that can be rerun from an earlier origin.
enum Fitted {
    SeasonalNaive,
    Naive,
    Drift,
    Ets(Box<EtsFit>),
    Theta(Box<ThetaFit>),
    Arima(Box<ArimaFit>),
}

struct Member {
    kind: CandidateKind,
    forecast: ModelForecast,
    model: Fitted,
}

impl Member {
    /// Point forecast of `h` steps from the first `origin` points of `y` (the series the
    /// member was fitted to), keeping the fitted structure and parameters.
    fn forecast_from(&self, y: &[f64], origin: usize, m: usize, h: usize) -> Vec<f64> {
        let past = &y[..origin];
        match &self.model {
            Fitted::SeasonalNaive => seasonal_naive(past, m, h).mean,
            Fitted::Naive => naive(past, h).mean,
            Fitted::Drift => drift(past, h).mean,
            Fitted::Ets(f) => f.forecast_from(past, h),
            Fitted::Theta(f) => f.forecast_from(origin, h),
            Fitted::Arima(f) => f.forecast_from(origin, h),
        }
    }
}

/// Rule 2's short-history case: when the whole history is inside the fit window (`n` at most
/// [`max_fit_points`]), the ETS member keeps AICc's error and season but never goes without a
/// trend: a level-only choice is replaced by the same model with a damped trend.
pub fn damp_short_ets(n: usize, m: usize) -> bool {
    n <= max_fit_points(m)
}

/// Fits the benchmarks and the three members to `y` (already cut to the fit window); with
/// `short` (the whole history is `y`, see [`damp_short_ets`]), the ETS member's trend is damped
/// and the ARIMA member's coefficients are refined by exact maximum likelihood. Also returns
/// the level-only ETS model that was replaced, if any.
fn fit_members(y: &[f64], m: usize, h: usize, seed: u64, short: bool) -> (Vec<Member>, Option<String>) {
    let n = y.len();
    let seasonal = seasonal_allowed(n, m);
    let mut out = Vec::new();
    let mut replaced = None;
    if m > 1 && n >= m {
        out.push(Member {
            kind: CandidateKind::SeasonalNaive,
            forecast: seasonal_naive(y, m, h),
            model: Fitted::SeasonalNaive,
        });
    }
    out.push(Member { kind: CandidateKind::Naive, forecast: naive(y, h), model: Fitted::Naive });
    if n >= 3 {
        out.push(Member { kind: CandidateKind::Drift, forecast: drift(y, h), model: Fitted::Drift });
    }
    if n >= 4 {
        let ets = if short {
            auto_ets_damped(y, m, seasonal).map(|(f, was)| {
                replaced = was.map(|s| s.name());
                f
            })
        } else {
            auto_ets(y, m, seasonal)
        };
        if let Some(f) = ets {
            let forecast = f.forecast_with_intervals(h, seed);
            out.push(Member { kind: CandidateKind::Ets, forecast, model: Fitted::Ets(Box::new(f)) });
        }
        if let Some(f) = auto_theta(y, m, seasonal) {
            let forecast = f.forecast_with_intervals(h, seed.wrapping_add(1));
            out.push(Member { kind: CandidateKind::Theta, forecast, model: Fitted::Theta(Box::new(f)) });
        }
        if let Some(f) = auto_arima_ml(y, m, seasonal, short) {
            let forecast = f.forecast_with_intervals(h);
            out.push(Member { kind: CandidateKind::Arima, forecast, model: Fitted::Arima(Box::new(f)) });
        }
    }
    out.retain(|c| c.forecast.mean.iter().all(|v| v.is_finite()));
    (out, replaced)
}

/// The sanity envelope of rule 3: `(lower, upper)` bounds at step `j` (0-based).
struct Envelope {
    lo: f64,
    hi: f64,
    range: f64,
    m: f64,
    floor: Option<f64>,
}

impl Envelope {
    fn new(y: &[f64], m: usize) -> Self {
        let last = &y[y.len().saturating_sub(m.max(1))..];
        let min_of = |s: &[f64]| s.iter().copied().fold(f64::INFINITY, f64::min);
        let max_of = |s: &[f64]| s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let range = max_of(y) - min_of(y);
        let floor = y.iter().all(|v| *v > 0.0).then_some(0.0);
        Envelope { lo: min_of(last), hi: max_of(last), range, m: m.max(1) as f64, floor }
    }

    fn contains(&self, f: &[f64]) -> bool {
        f.iter().enumerate().all(|(j, v)| {
            let slack = self.range * (1.0 + (j + 1) as f64 / self.m);
            let lower = (self.lo - slack).max(self.floor.unwrap_or(f64::NEG_INFINITY));
            v.is_finite() && *v >= lower && *v <= self.hi + slack
        })
    }
}

/// Pointwise median of several forecasts (mean of the middle two for an even count); NaN
/// values (fitted values a model has not got) are left out, NaN where all are.
fn median_of(parts: &[&[f64]]) -> Vec<f64> {
    let h = parts.iter().map(|p| p.len()).min().unwrap_or(0);
    let mut col = Vec::with_capacity(parts.len());
    (0..h)
        .map(|j| {
            col.clear();
            col.extend(parts.iter().map(|p| p[j]).filter(|v| !v.is_nan()));
            crate::sort::sort_f64(&mut col);
            let k = col.len();
            if k == 0 {
                f64::NAN
            } else if k % 2 == 1 {
                col[k / 2]
            } else {
                0.5 * (col[k / 2 - 1] + col[k / 2])
            }
        })
        .collect()
}

/// Rule 4's trimming: with at least [`MIN_ORIGINS_FOR_SELECTION`] backtest origins and three
/// surviving members, the one with the largest mean backtest MASE is left out (the
/// combination is then the mean of the other two); otherwise every survivor is kept (median).
/// Returns the members used and the index of the one trimmed.
fn trim_members(kept: &[usize], scores: &[Score], n_orig: usize) -> (Vec<usize>, Option<usize>) {
    let errs: Vec<f64> = kept.iter().map(|&i| scores[i].mean_mase()).collect();
    if kept.len() != 3 || n_orig < MIN_ORIGINS_FOR_SELECTION || errs.iter().any(|v| !v.is_finite()) {
        return (kept.to_vec(), None);
    }
    let worst = (0..3).max_by(|&a, &b| errs[a].total_cmp(&errs[b])).expect("three members");
    let used = kept.iter().enumerate().filter(|(k, _)| *k != worst).map(|(_, &i)| i).collect();
    (used, Some(kept[worst]))
}

/// Rule 6 on the per-origin backtest MASEs of one model and of the combination: at least
/// [`MIN_ORIGINS_FOR_SELECTION`] origins, a mean at least [`SELECTION_MARGIN`] below the
/// combination's, and a lower error at [`SELECTION_WIN_SHARE`] of the origins.
fn strong_evidence(model: &[f64], combo: &[f64]) -> bool {
    let k = model.len();
    if k < MIN_ORIGINS_FOR_SELECTION || combo.len() != k {
        return false;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / k as f64;
    let wins = model.iter().zip(combo).filter(|(a, b)| a < b).count();
    mean(model) <= (1.0 - SELECTION_MARGIN) * mean(combo) && wins as f64 >= SELECTION_WIN_SHARE * k as f64
}

/// Standard deviation implied by a member's 80% interval at each step.
fn implied_sd(f: &ModelForecast) -> Vec<f64> {
    let z80 = z(0.8);
    (0..f.mean.len()).map(|j| ((f.hi80[j] - f.lo80[j]) / (2.0 * z80)).max(0.0)).collect()
}

/// The combination of `members` (indices into `all`): median point forecast, fitted values
/// the median of the members', intervals `mean ± c·s_j` (rule 7; `scale80/95` are `c`).
fn combine(all: &[Member], members: &[usize], scale80: f64, scale95: f64) -> ModelForecast {
    let names: Vec<&str> = members.iter().map(|&i| all[i].forecast.model.as_str()).collect();
    let means: Vec<&[f64]> = members.iter().map(|&i| all[i].forecast.mean.as_slice()).collect();
    let fits: Vec<&[f64]> = members.iter().map(|&i| all[i].forecast.fitted.as_slice()).collect();
    let mean = median_of(&means);
    let sd = combined_sd(all, members);
    let fitted: Vec<f64> = median_of(&fits);
    let band = |c: f64, sign: f64| -> Vec<f64> { mean.iter().zip(&sd).map(|(m, s)| m + sign * c * s).collect() };
    let mut out = ModelForecast {
        model: format!("Combination({})", names.join("+")),
        lo80: band(scale80, -1.0),
        hi80: band(scale80, 1.0),
        lo95: band(scale95, -1.0),
        hi95: band(scale95, 1.0),
        mean,
        fitted,
        aicc: None,
    };
    out.make_consistent();
    out
}

fn combined_sd(all: &[Member], members: &[usize]) -> Vec<f64> {
    let sds: Vec<Vec<f64>> = members.iter().map(|&i| implied_sd(&all[i].forecast)).collect();
    let h = sds.iter().map(|s| s.len()).min().unwrap_or(0);
    (0..h).map(|j| sds.iter().map(|s| s[j]).sum::<f64>() / sds.len().max(1) as f64).collect()
}

/// Re-centres a single model's intervals with the calibrated scales (rule 7).
fn recalibrate(f: &mut ModelForecast, scale80: f64, scale95: f64) {
    let sd = implied_sd(f);
    for (j, s) in sd.iter().enumerate() {
        // Asymmetric (simulated) intervals keep their shape; they are only ever widened.
        let (mean, w80, w95) = (f.mean[j], scale80 * s, scale95 * s);
        f.lo80[j] = f.lo80[j].min(mean - w80);
        f.hi80[j] = f.hi80[j].max(mean + w80);
        f.lo95[j] = f.lo95[j].min(mean - w95);
        f.hi95[j] = f.hi95[j].max(mean + w95);
    }
    f.make_consistent();
}

/// Fits every candidate model to `y` (its latest 12 seasons, at least 60 points) and returns
/// their `h`-step forecasts, the untrimmed median combination included (trimming needs the
/// backtest of `auto_forecast`); fitted values cover all of `y` (NaN
/// before the fit window). Models that cannot be fitted are left out; naive is always there.
pub fn candidate_forecasts(y: &[f64], m: usize, h: usize, seed: u64) -> Vec<(CandidateKind, ModelForecast)> {
    let start = y.len().saturating_sub(max_fit_points(m));
    let yw = &y[start..];
    let (all, _) = fit_members(yw, m, h, seed, damp_short_ets(y.len(), m));
    let (kept, _) = surviving_members(yw, m, &all);
    let mut out: Vec<(CandidateKind, ModelForecast)> = all.iter().map(|c| (c.kind, c.forecast.clone())).collect();
    if kept.len() >= 2 {
        out.push((CandidateKind::Combination, combine(&all, &kept, z(0.8), z(0.95))));
    }
    for (_, f) in out.iter_mut() {
        f.fitted = widen_fitted(&f.fitted, start);
    }
    out
}

fn widen_fitted(fitted: &[f64], start: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; start];
    out.extend_from_slice(fitted);
    out
}

/// Indices of the members inside the sanity envelope, and the names of those rejected.
fn surviving_members(y: &[f64], m: usize, all: &[Member]) -> (Vec<usize>, Vec<String>) {
    let env = Envelope::new(y, m);
    let mut kept = Vec::new();
    let mut rejected = Vec::new();
    for (i, c) in all.iter().enumerate() {
        if !c.kind.is_member() {
            continue;
        }
        if env.contains(&c.forecast.mean) {
            kept.push(i);
        } else {
            rejected.push(c.forecast.model.clone());
        }
    }
    (kept, rejected)
}

fn points(f: &ModelForecast) -> Vec<ForecastPoint> {
    (0..f.mean.len())
        .map(|i| ForecastPoint { value: f.mean[i], lo80: f.lo80[i], hi80: f.hi80[i], lo95: f.lo95[i], hi95: f.hi95[i] })
        .collect()
}

fn finish(f: ModelForecast, reason: String, backtest: Backtest, candidates: Vec<CandidateScore>) -> AutoForecast {
    AutoForecast { model: f.model.clone(), reason, forecast: points(&f), fitted: f.fitted, backtest, candidates }
}

/// Runs the automatic forecast; series of extreme magnitude are first rescaled by a power of
/// two (exact) so that no intermediate overflows or underflows, and the results scaled back.
pub(super) fn run(y: &[f64], m: usize, h: usize, opts: &TsOptions) -> AutoForecast {
    let mut out = run_any_scale(y, m, h, opts);
    if y.iter().all(|v| *v >= 0.0) {
        bound_at_zero(&mut out);
    }
    out
}

fn run_any_scale(y: &[f64], m: usize, h: usize, opts: &TsOptions) -> AutoForecast {
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

/// Rule 8's multipliers of the history's own moves, for series no longer than the fit window
/// ([`max_fit_points`]): the 80% band is at least `SPREAD_FLOOR_80 ×` the 80% quantile of
/// `|y_t − y_{t−k}|` at step `j` (`k` the seasonal lag that seasonal naive uses for step `j`),
/// the 95% band at least `SPREAD_FLOOR_95 ×` the 95% quantile. Chosen by 5-fold
/// cross-validation over the 65 such series of the three development sets, each fold's value
/// checked on the series it did not see (see `docs/forecasting.md`).
pub const SPREAD_FLOOR_80: f64 = 1.05;
/// See [`SPREAD_FLOOR_80`].
pub const SPREAD_FLOOR_95: f64 = 1.5;

/// `p`-quantile of how far the series moved over the seasonal-naive lag of each step
/// `1..=h`: the model-free spread of rule 8. `None` when the history has fewer than 4 such
/// moves for some step.
fn history_spread(y: &[f64], m: usize, h: usize, p: f64) -> Option<Vec<f64>> {
    let m = m.max(1);
    let mut moves = Vec::with_capacity(y.len());
    (1..=h)
        .map(|j| {
            let k = m * j.div_ceil(m);
            if y.len() < k + 4 {
                return None;
            }
            moves.clear();
            moves.extend((k..y.len()).map(|t| (y[t] - y[t - k]).abs()));
            crate::sort::sort_f64(&mut moves);
            Some(quantile_sorted(&moves, p))
        })
        .collect()
}

/// Rule 8: widens the bands of `f` to at least the history's own spread around the point
/// forecast. Returns whether anything was widened.
fn widen_to_history(f: &mut ModelForecast, y: &[f64], m: usize) -> bool {
    let h = f.mean.len();
    let (Some(s80), Some(s95)) = (history_spread(y, m, h, 0.8), history_spread(y, m, h, 0.95)) else {
        return false;
    };
    let mut widened = false;
    for j in 0..h {
        let v = f.mean[j];
        let (w80, w95) = (SPREAD_FLOOR_80 * s80[j], SPREAD_FLOOR_95 * s95[j]);
        for (band, target) in [(&mut f.lo80[j], v - w80), (&mut f.lo95[j], v - w95)] {
            if target < *band {
                *band = target;
                widened = true;
            }
        }
        for (band, target) in [(&mut f.hi80[j], v + w80), (&mut f.hi95[j], v + w95)] {
            if target > *band {
                *band = target;
                widened = true;
            }
        }
    }
    f.make_consistent();
    widened
}

/// Rule 9: a series that was never negative (bookings, revenue, MRR) gets no negative
/// forecast or bound; the reason says so when anything was cut.
fn bound_at_zero(out: &mut AutoForecast) {
    let mut cut = false;
    for p in out.forecast.iter_mut() {
        for v in [&mut p.value, &mut p.lo80, &mut p.hi80, &mut p.lo95, &mut p.hi95] {
            if *v < 0.0 {
                *v = 0.0;
                cut = true;
            }
        }
    }
    if cut {
        out.reason += " The series was never negative, so the forecast and its intervals stop at zero.";
    }
}

/// Backtest totals of one candidate.
#[derive(Clone)]
struct Score {
    kind: CandidateKind,
    mase: Vec<f64>,
    smape: Vec<f64>,
}

impl Score {
    fn mean_mase(&self) -> f64 {
        self.mase.iter().sum::<f64>() / self.mase.len().max(1) as f64
    }
    fn mean_smape(&self) -> f64 {
        self.smape.iter().sum::<f64>() / self.smape.len().max(1) as f64
    }
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
    // Rule 1: the fit window.
    let start = n.saturating_sub(max_fit_points(m));
    let yw = &y[start..];
    let nw = yw.len();
    let window_note =
        if start > 0 { format!(" Models were fitted to the latest {nw} of {n} observations.") } else { String::new() };
    let (all, damped_from) = fit_members(yw, m, h, opts.seed, damp_short_ets(n, m));
    let (kept, rejected) = surviving_members(yw, m, &all);
    let envelope_note = if rejected.is_empty() {
        String::new()
    } else {
        format!(
            " Left out of the combination because its forecast leaves the plausible range of \
             the history (the last season's extremes widened by the window's range, growing by \
             one range per season): {}.",
            rejected.join(", ")
        )
    };
    // Rule 5: rolling origins, spaced a quarter of the horizon apart.
    let hb = h.min((nw / 4).max(1));
    let step = hb.div_ceil(4).max(1);
    let min_train = (nw / 2).max(8);
    let mut origins = Vec::new();
    for i in 0..opts.backtest_origins {
        let Some(o) = nw.checked_sub(hb + step * i) else {
            break;
        };
        if o < min_train {
            break;
        }
        origins.push(o);
    }
    let n_orig = origins.len();
    let mut scores: Vec<Score> =
        all.iter().map(|c| Score { kind: c.kind, mase: Vec::new(), smape: Vec::new() }).collect();
    let mut combo_score = Score { kind: CandidateKind::Combination, mase: Vec::new(), smape: Vec::new() };
    // Absolute backtest errors of the combination divided by its members' sd (rule 7).
    let mut ratios: Vec<f64> = Vec::new();
    let mut member_errors: Vec<Vec<f64>> = vec![Vec::new(); all.len()];
    let member_sd: Vec<Vec<f64>> = all.iter().map(|c| implied_sd(&c.forecast)).collect();
    let mut origin_fcs: Vec<Vec<Vec<f64>>> = Vec::with_capacity(n_orig);
    for &o in &origins {
        let past = &yw[..o];
        let actual = &yw[o..o + hb];
        let fcs: Vec<Vec<f64>> = all.iter().map(|c| c.forecast_from(yw, o, m, hb)).collect();
        for (i, f) in fcs.iter().enumerate() {
            scores[i].mase.push(mase(actual, f, past, m));
            scores[i].smape.push(smape(actual, f));
            member_errors[i].extend(actual.iter().zip(f).zip(&member_sd[i]).map(|((a, v), sd)| {
                if *sd > 0.0 {
                    (a - v).abs() / sd
                } else {
                    f64::INFINITY
                }
            }));
        }
        origin_fcs.push(fcs);
    }
    // Rule 4: trim the member with the worst backtest when the backtest has enough origins.
    let (used, trimmed) = trim_members(&kept, &scores, n_orig);
    let combo_sd = combined_sd(&all, &used);
    if used.len() >= 2 {
        for (k, &o) in origins.iter().enumerate() {
            let past = &yw[..o];
            let actual = &yw[o..o + hb];
            let parts: Vec<&[f64]> = used.iter().map(|&i| origin_fcs[k][i].as_slice()).collect();
            let f = median_of(&parts);
            combo_score.mase.push(mase(actual, &f, past, m));
            combo_score.smape.push(smape(actual, &f));
            for j in 0..hb {
                let sd = combo_sd[j];
                ratios.push(if sd > 0.0 { (actual[j] - f[j]).abs() / sd } else { f64::INFINITY });
            }
        }
    }
    let scale_from = |mut r: Vec<f64>| -> (f64, f64) {
        r.retain(|v| !v.is_nan());
        crate::sort::sort_f64(&mut r);
        if r.len() < 8 {
            return (z(0.8), z(0.95));
        }
        let q = |p: f64| conformal_quantile_sorted(&r, p);
        let c80 = q(0.8).max(z(0.8));
        let c95 = q(0.95).max(z(0.95));
        if c80.is_finite() && c95.is_finite() {
            (c80, c95.max(c80))
        } else {
            (z(0.8), z(0.95))
        }
    };
    let seasonal = seasonal_allowed(nw, m);
    let mut notes = String::new();
    if m > 1 && !seasonal {
        notes += &format!(
            " Seasonal models were not fitted: {nw} observations are fewer than two full seasons \
             of {m} plus two."
        );
    }
    if yw.iter().any(|v| *v <= 0.0) {
        notes += " Multiplicative ETS models were skipped because the data contain zero or negative values.";
    }
    if let (Some(was), Some(ets)) = (damped_from, all.iter().find(|c| c.kind == CandidateKind::Ets)) {
        notes += &format!(
            " The history is short, so the ETS model keeps a damped trend: {} instead of the \
             level-only {was} that AICc preferred.",
            ets.forecast.model
        );
    }
    notes += &window_note;
    notes += &envelope_note;
    let sn_score = scores
        .iter()
        .find(|s| s.kind == CandidateKind::SeasonalNaive)
        .or_else(|| scores.iter().find(|s| s.kind == CandidateKind::Naive))
        .filter(|s| !s.mase.is_empty());
    let (sn_mase, sn_smape) = sn_score.map(|s| (s.mean_mase(), s.mean_smape())).unwrap_or((f64::NAN, f64::NAN));
    // Rule 6: a single model only on strong evidence.
    let enough = n_orig >= MIN_ORIGINS_FOR_SELECTION && hb == h;
    let combo_mase = combo_score.mean_mase();
    let best_single = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.mase.is_empty() && s.mean_mase().is_finite())
        .min_by(|a, b| a.1.mean_mase().total_cmp(&b.1.mean_mase()));
    let strong = |i: usize, s: &Score| -> bool {
        if kept.len() < 2 {
            return true;
        }
        if !enough || combo_score.mase.len() != s.mase.len() {
            return false;
        }
        // A member rejected by the envelope is never chosen alone.
        if all[i].kind.is_member() && !kept.contains(&i) {
            return false;
        }
        strong_evidence(&s.mase, &combo_score.mase)
    };
    let mut candidates: Vec<CandidateScore> = all
        .iter()
        .zip(&scores)
        .map(|(c, s)| CandidateScore {
            model: c.forecast.model.clone(),
            mase: if s.mase.is_empty() { -1.0 } else { s.mean_mase() },
            smape: if s.smape.is_empty() { -1.0 } else { s.mean_smape() },
            aicc: c.forecast.aicc,
        })
        .collect();
    let bt = |s: &Score| Backtest {
        mase: s.mean_mase(),
        smape: s.mean_smape(),
        seasonal_naive_mase: sn_mase,
        seasonal_naive_smape: sn_smape,
        origins: n_orig,
        horizon: hb,
    };
    let single = best_single.filter(|(i, s)| kept.len() < 2 || strong(*i, s));
    let (mut chosen, reason, backtest) = if kept.len() >= 2 && single.is_none() {
        let (c80, c95) = scale_from(ratios);
        let f = combine(&all, &used, c80, c95);
        let (why, backtest) = if n_orig == 0 {
            (format!("the series is too short for a backtest ({n} points), so the robust default is used"), no_bt(0))
        } else {
            let evidence = if let (true, Some((_, b))) = (enough, best_single) {
                format!(
                    "{} scored best alone (MASE {:.3} vs {:.3}) but not by the {:.0}% margin at \
                     {:.0}% of the origins needed to leave the combination",
                    b.kind.label(),
                    b.mean_mase(),
                    combo_mase,
                    100.0 * SELECTION_MARGIN,
                    100.0 * SELECTION_WIN_SHARE
                )
            } else if enough {
                "no single model has a finite backtest error".to_string()
            } else {
                format!(
                    "the backtest ({n_orig} origin(s) of {hb} steps) is too thin to single out one \
                     model (at least {MIN_ORIGINS_FOR_SELECTION} origins of the full horizon are needed)"
                )
            };
            (
                format!(
                    "{evidence}. Its backtest MASE is {combo_mase:.3} (sMAPE {:.1}%), vs {sn_mase:.3} \
                     ({sn_smape:.1}%) for seasonal naive",
                    combo_score.mean_smape()
                ),
                bt(&combo_score),
            )
        };
        candidates.push(CandidateScore {
            model: f.model.clone(),
            mase: if combo_score.mase.is_empty() { -1.0 } else { combo_mase },
            smape: if combo_score.smape.is_empty() { -1.0 } else { combo_score.mean_smape() },
            aicc: None,
        });
        let how = match trimmed {
            Some(t) => format!(
                "the mean of two members: {} had the largest backtest MASE ({:.3}) of the three \
                 over {n_orig} origins and was trimmed",
                all[t].forecast.model,
                scores[t].mean_mase()
            ),
            None if used.len() == 2 => "the mean of the two plausible members".to_string(),
            None => {
                format!("the median of the members, untrimmed: fewer than {MIN_ORIGINS_FOR_SELECTION} backtest origins")
            }
        };
        let reason = format!(
            "{} was chosen ({how}): {why}.{notes} Intervals: the members' spread scaled to the \
             backtest errors ({c80:.2} and {c95:.2} standard deviations for 80% and 95%).",
            f.model
        );
        (f, reason, backtest)
    } else {
        // One model: either the evidence is strong, or fewer than two members survived.
        let pick = single.map(|(i, _)| i).or_else(|| kept.first().copied()).or_else(|| {
            all.iter()
                .position(|c| c.kind == CandidateKind::SeasonalNaive)
                .or_else(|| all.iter().position(|c| c.kind == CandidateKind::Naive))
        });
        let i = pick.expect("naive is always fitted");
        let f = all[i].forecast.clone();
        let why = if kept.len() < 2 && single.is_none() {
            "fewer than two of ETS, Theta and ARIMA gave a plausible forecast, so no combination \
             was possible"
                .to_string()
        } else if kept.len() < 2 {
            "fewer than two of ETS, Theta and ARIMA gave a plausible forecast; it had the lowest \
             backtest error of those left"
                .to_string()
        } else {
            let s = &scores[i];
            let wins = s.mase.iter().zip(&combo_score.mase).filter(|(a, b)| a < b).count();
            format!(
                "the backtest is strong evidence: over {n_orig} origins of {hb} steps its MASE \
                 {:.3} is {:.0}% below the combination's {combo_mase:.3}, and it beat the \
                 combination at {wins} of {n_orig} origins",
                s.mean_mase(),
                100.0 * (1.0 - s.mean_mase() / combo_mase)
            )
        };
        let backtest = if scores[i].mase.is_empty() { no_bt(0) } else { bt(&scores[i]) };
        let reason = format!("{} was chosen: {why}.{notes}", f.model);
        let (c80, c95) = scale_from(std::mem::take(&mut member_errors[i]));
        let mut f = f;
        recalibrate(&mut f, c80, c95);
        (f, reason, backtest)
    };
    let mut reason = reason;
    // Only short series (the whole history inside the fit window): on longer ones the
    // backtest's own calibration already covers (see `docs/forecasting.md`).
    if start == 0 && widen_to_history(&mut chosen, yw, m) {
        reason += &format!(
            " The history is short, so where they were narrower the intervals were widened to how \
             far the series itself has moved from its value a season earlier (two seasons for the \
             second season ahead): the 80% and 95% quantiles of those moves, times \
             {SPREAD_FLOOR_80} and {SPREAD_FLOOR_95}."
        );
    }
    chosen.fitted = widen_fitted(&chosen.fitted, start);
    finish(chosen, reason, backtest, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_by_hand() {
        let (a, b, c) = ([1.0, 5.0], [3.0, 2.0], [10.0, 4.0]);
        assert_eq!(median_of(&[&a, &b, &c]), vec![3.0, 4.0]);
        // Even count: mean of the middle two; one wild member moves it by half a gap only.
        assert_eq!(median_of(&[&[1.0], &[3.0]]), vec![2.0]);
        assert_eq!(median_of(&[&[1.0], &[3.0], &[5.0], &[1e9]]), vec![4.0]);
        assert_eq!(median_of(&[&[f64::NAN, 2.0], &[3.0, 4.0]]), vec![3.0, 3.0]);
        assert!(median_of(&[&[f64::NAN], &[f64::NAN]])[0].is_nan());
    }

    #[test]
    fn envelope_by_hand() {
        // m = 2: last season (12, 22), range of the window 22 − 10 = 12.
        let env = Envelope::new(&[10.0, 20.0, 12.0, 22.0], 2);
        // Step 1: slack 12·(1 + 1/2) = 18 -> [max(12 − 18, 0), 22 + 18] = [0, 40].
        assert!(env.contains(&[40.0]) && env.contains(&[0.0]));
        assert!(!env.contains(&[40.5]));
        assert!(!env.contains(&[-0.5]), "positive data: no negative forecast");
        // Step 2: slack 12·(1 + 2/2) = 24 -> upper 46.
        assert!(env.contains(&[30.0, 46.0]) && !env.contains(&[30.0, 46.5]));
        assert!(!env.contains(&[f64::NAN]));
        // Data with a negative value: no floor at zero.
        let env = Envelope::new(&[-1.0, 1.0, 0.0, 1.0], 2);
        assert!(env.contains(&[-3.0]) && !env.contains(&[-4.5]));
    }

    #[test]
    fn history_spread_by_hand() {
        // m = 2: step 1 and 2 use lag 2, step 3 lag 4. Lag-2 moves of
        // [0, 10, 1, 12, 3, 15]: 1, 2, 2, 3 -> 80% quantile (type 7) 2 + 0.4·1 = 2.4.
        let y = [0.0, 10.0, 1.0, 12.0, 3.0, 15.0];
        let s = history_spread(&y, 2, 2, 0.8).unwrap();
        assert!(s.len() == 2 && s.iter().all(|v| (v - 2.4).abs() < 1e-12), "{s:?}");
        // Lag 4 has only 2 moves: too few.
        assert_eq!(history_spread(&y, 2, 3, 0.8), None);
        // The bands are widened to 1.05 × 2.4 = 2.52 around the point and never narrowed.
        let mut f = ModelForecast::from_normal("X".into(), vec![5.0, 5.0], &[0.1, 10.0], vec![], None);
        assert!(widen_to_history(&mut f, &y, 2));
        assert!((f.hi80[0] - (5.0 + SPREAD_FLOOR_80 * 2.4)).abs() < 1e-12);
        assert!((f.hi80[1] - (5.0 + 1.2815515655446004 * 10.0)).abs() < 1e-9, "wider already: kept");
    }

    #[test]
    fn bound_at_zero_cuts_only_below_zero() {
        let p = |value, lo| ForecastPoint { value, lo80: lo, hi80: value + 1.0, lo95: lo - 1.0, hi95: value + 2.0 };
        let mut out = AutoForecast {
            model: "X".into(),
            reason: String::new(),
            forecast: vec![p(3.0, 2.0), p(-1.0, -2.0)],
            fitted: vec![],
            backtest: Backtest {
                mase: 1.0,
                smape: 1.0,
                seasonal_naive_mase: 1.0,
                seasonal_naive_smape: 1.0,
                origins: 1,
                horizon: 1,
            },
            candidates: vec![],
        };
        bound_at_zero(&mut out);
        assert_eq!(out.forecast[0], p(3.0, 2.0));
        assert_eq!(out.forecast[1], ForecastPoint { value: 0.0, lo80: 0.0, hi80: 0.0, lo95: 0.0, hi95: 1.0 });
        assert!(out.reason.contains("stop at zero"));
    }

    #[test]
    fn trimming_drops_the_worst_member_only_with_enough_origins() {
        let score = |kind, v: f64, k: usize| Score { kind, mase: vec![v; k], smape: vec![0.0; k] };
        let scores = |k| {
            vec![
                score(CandidateKind::SeasonalNaive, 0.1, k),
                score(CandidateKind::Ets, 0.9, k),
                score(CandidateKind::Theta, 1.4, k),
                score(CandidateKind::Arima, 0.7, k),
            ]
        };
        // Six origins: Theta (index 2) has the largest error and is trimmed; seasonal naive
        // (index 0) is no member and plays no part.
        assert_eq!(trim_members(&[1, 2, 3], &scores(6), 6), (vec![1, 3], Some(2)));
        // Five origins: too thin, all three kept (median).
        assert_eq!(trim_members(&[1, 2, 3], &scores(5), 5), (vec![1, 2, 3], None));
        // Two survivors of the envelope: nothing to trim.
        assert_eq!(trim_members(&[1, 3], &scores(6), 6), (vec![1, 3], None));
    }

    #[test]
    fn single_model_only_on_strong_evidence() {
        // 20% better on average and better at every origin: strong.
        assert!(strong_evidence(&[0.8; 6], &[1.0; 6]));
        // Five origins are too few, however large the margin.
        assert!(!strong_evidence(&[0.1; 5], &[1.0; 5]));
        // 15% better everywhere: within the noise margin.
        assert!(!strong_evidence(&[0.85; 6], &[1.0; 6]));
        // 27% better on average, but only at 4 of 6 origins (< 75%): one lucky stretch.
        assert!(!strong_evidence(&[0.1, 0.1, 0.1, 0.1, 1.0, 2.0], &[1.0; 6]));
        // 5 of 6 origins (83%) and 30% better: strong.
        assert!(strong_evidence(&[0.5, 0.5, 0.5, 0.5, 0.5, 1.2], &[1.0; 6]));
    }

    fn seasonal_series(n: usize) -> Vec<f64> {
        let mut rng = crate::forecast::prng::SplitMix64::new(11);
        (0..n)
            .map(|t| {
                let s = [0.9, 0.8, 1.0, 1.1, 1.2, 1.3, 1.25, 1.1, 1.0, 0.95, 0.9, 1.4][t % 12];
                (100.0 + 0.5 * t as f64) * s * (1.0 + 0.03 * rng.next_normal())
            })
            .collect()
    }

    #[test]
    fn rerun_from_the_last_origin_reproduces_the_forecast() {
        let y = seasonal_series(96);
        let (members, _) = fit_members(&y, 12, 12, 1, false);
        let kinds: Vec<CandidateKind> = members.iter().map(|c| c.kind).collect();
        for k in [CandidateKind::Ets, CandidateKind::Theta, CandidateKind::Arima, CandidateKind::SeasonalNaive] {
            assert!(kinds.contains(&k), "{k:?} not fitted");
        }
        for c in &members {
            let again = c.forecast_from(&y, y.len(), 12, 12);
            for (a, b) in again.iter().zip(&c.forecast.mean) {
                assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{}: {a} vs {b}", c.forecast.model);
            }
        }
        // From an earlier origin the rerun uses only the data before it.
        let ets = members.iter().find(|c| c.kind == CandidateKind::Ets).unwrap();
        let Fitted::Ets(fit) = &ets.model else { panic!("ETS member holds an ETS fit") };
        let refit = crate::forecast::ets::fit_ets_fixed(&y[..80], fit.spec, fit.params, fit.initial.clone()).unwrap();
        let mut changed = y.clone();
        changed[85] *= 3.0;
        assert_eq!(ets.forecast_from(&changed, 80, 12, 6), refit.forecast(6));
    }

    #[test]
    fn default_is_the_median_combination_with_its_rule_stated() {
        let y = seasonal_series(72);
        // Five origins: below the six needed to trim, so the median of all three.
        let r = run(&y, 12, 12, &TsOptions { backtest_origins: 5, ..TsOptions::default() });
        assert!(r.model.starts_with("Combination(ETS("), "{}", r.model);
        assert!(r.reason.contains("the median of the members, untrimmed"), "{}", r.reason);
        assert!(r.reason.contains("origins"), "{}", r.reason);
        assert!(r.backtest.origins >= 1 && r.backtest.mase.is_finite());
        // The point forecast is the pointwise median of the three members.
        let c = candidate_forecasts(&y, 12, 12, TsOptions::default().seed);
        let get = |k| &c.iter().find(|x| x.0 == k).unwrap().1.mean;
        let (e, t, a) = (get(CandidateKind::Ets), get(CandidateKind::Theta), get(CandidateKind::Arima));
        for j in 0..12 {
            let mut v = [e[j], t[j], a[j]];
            v.sort_by(f64::total_cmp);
            assert!((r.forecast[j].value - v[1]).abs() < 1e-9, "step {j}");
        }
    }

    #[test]
    fn with_enough_origins_the_worst_member_is_trimmed_and_named() {
        let y = seasonal_series(96);
        let r = run(&y, 12, 12, &TsOptions::default());
        assert_eq!(r.backtest.origins, 8);
        if r.model.starts_with("Combination(") {
            assert!(r.reason.contains("the mean of two members") && r.reason.contains("was trimmed"), "{}", r.reason);
            assert_eq!(r.model.matches('+').count(), 1, "{}", r.model);
        } else {
            assert!(r.reason.contains("strong evidence"), "{}", r.reason);
        }
    }

    #[test]
    fn short_histories_keep_a_damped_trend_in_ets() {
        // The gate is rule 1's window: the whole history is fitted.
        assert!(damp_short_ets(60, 4) && !damp_short_ets(61, 4));
        assert!(damp_short_ets(144, 12) && !damp_short_ets(145, 12));
        assert!(damp_short_ets(60, 1) && !damp_short_ets(61, 1));
        // 40 quarters around a level: AICc alone would choose no trend; here the ETS member
        // has a damped one and the reason says which model it replaced.
        let mut rng = crate::forecast::prng::SplitMix64::new(7);
        let flat: Vec<f64> = (0..40).map(|_| 100.0 + 5.0 * rng.next_normal()).collect();
        let chosen = crate::forecast::ets::auto_ets(&flat, 4, true).unwrap().spec.name();
        assert!(chosen.contains(",N,"), "{chosen}");
        let c = candidate_forecasts(&flat, 4, 8, 1);
        let ets = &c.iter().find(|x| x.0 == CandidateKind::Ets).unwrap().1.model;
        assert_eq!(*ets, chosen.replace(",N,", ",Ad,"));
        let r = run(&flat, 4, 8, &TsOptions::default());
        assert!(
            r.reason.contains(&format!("keeps a damped trend: {ets} instead of the level-only {chosen}")),
            "{}",
            r.reason
        );
        // 16 years of quarters: longer than the window, AICc's choice stands.
        let mut rng = crate::forecast::prng::SplitMix64::new(7);
        let long: Vec<f64> = (0..64).map(|_| 100.0 + 5.0 * rng.next_normal()).collect();
        let c = candidate_forecasts(&long, 4, 8, 1);
        let ets = &c.iter().find(|x| x.0 == CandidateKind::Ets).unwrap().1.model;
        assert!(ets.contains(",N,"), "{ets}");
        assert!(!run(&long, 4, 8, &TsOptions::default()).reason.contains("damped trend"));
    }

    #[test]
    fn short_histories_refine_arima_by_exact_likelihood() {
        // 40 quarters (the whole history in the window): the ARIMA member is the CSS-ML fit.
        let y: Vec<f64> = seasonal_series(64).iter().step_by(3).copied().collect();
        let arima_of = |y: &[f64]| {
            let c = candidate_forecasts(y, 4, 8, 1);
            c.iter().find(|x| x.0 == CandidateKind::Arima).unwrap().1.mean.clone()
        };
        let short = &y[..20];
        let ml = crate::forecast::arima::auto_arima_ml(short, 4, true, true).unwrap();
        assert_eq!(arima_of(short), ml.forecast(8));
        // Longer than the window: the CSS fit, as before.
        let long = seasonal_series(150);
        let css = crate::forecast::arima::auto_arima(&long[150 - 144..], 12, true).unwrap();
        let c = candidate_forecasts(&long, 12, 12, 1);
        assert_eq!(c.iter().find(|x| x.0 == CandidateKind::Arima).unwrap().1.mean, css.forecast(12));
    }

    #[test]
    fn long_series_are_fitted_on_the_recent_window() {
        // 20 years of monthly data: the fit window is the last 12 years (144 points); the
        // fitted values before it are NaN but the output keeps the input's length.
        let y = seasonal_series(240);
        let r = run(&y, 12, 12, &TsOptions::default());
        assert_eq!(r.fitted.len(), 240);
        assert!(r.fitted[..96].iter().all(|v| v.is_nan()));
        assert!(r.fitted[100..].iter().all(|v| v.is_finite()));
        assert!(r.reason.contains("latest 144 of 240"), "{}", r.reason);
        assert_eq!(max_fit_points(12), 144);
        assert_eq!(max_fit_points(4), 60);
        assert_eq!(max_fit_points(1), 60);
    }
}
