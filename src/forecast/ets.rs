//! Exponential smoothing state-space models ETS(error, trend, season) after Hyndman,
//! Koehler, Snyder & Grose (2002) and Hyndman et al. (2008), following the recursions of
//! R `forecast::ets` / statsforecast `AutoETS`:
//!
//! ```text
//! q_t   = l_{t-1} + φ·b_{t-1}               (φ = 1 for trend A, b = 0 for trend N)
//! ŷ_t   = q_t (+ s_{t-m} | × s_{t-m})
//! l_t   = q_t + α·(p_t − q_t),   p_t = y_t (− s_{t-m} | / s_{t-m})
//! b_t   = φ·b_{t-1} + (β/α)·(l_t − l_{t-1} − φ·b_{t-1})
//! s_t   = s_{t-m} + γ·(y_t (− | /) q_t − s_{t-m})
//! ```
//!
//! The error type only changes the likelihood: additive `e = y − ŷ`, multiplicative
//! `e = (y − ŷ)/ŷ` with the extra `2·Σ log|ŷ_t|` term. Parameters and initial states are
//! estimated by maximum likelihood (bounded Nelder–Mead) with the "usual" bounds
//! `1e-4 ≤ β ≤ α ≤ 0.9999`, `1e-4 ≤ γ ≤ 1 − α`, `0.8 ≤ φ ≤ 0.98`; models are selected by AICc.
//! The initial level and trend are estimated with the smoothing parameters; the initial
//! seasonal states are taken from a classical decomposition of the first three seasons.

use super::decompose::{classical_decompose, DecompKind};
use super::optim::{nelder_mead, NmOptions};
use super::output::ModelForecast;
use super::prng::SplitMix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Additive,
    Multiplicative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendKind {
    None,
    Additive,
    Damped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeasonKind {
    None,
    Additive,
    Multiplicative,
}

/// Which ETS model: error, trend and season components.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EtsSpec {
    pub error: ErrorKind,
    pub trend: TrendKind,
    pub season: SeasonKind,
}

impl EtsSpec {
    pub fn new(error: ErrorKind, trend: TrendKind, season: SeasonKind) -> Self {
        EtsSpec { error, trend, season }
    }

    /// Name in the usual notation, e.g. `ETS(M,Ad,M)`.
    pub fn name(&self) -> String {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Damped => "Ad",
        };
        let s = match self.season {
            SeasonKind::None => "N",
            SeasonKind::Additive => "A",
            SeasonKind::Multiplicative => "M",
        };
        format!("ETS({e},{t},{s})")
    }

    /// Class 1 models (additive error, no multiplicative component) have analytic
    /// Gaussian prediction intervals.
    pub fn is_class1(&self) -> bool {
        self.error == ErrorKind::Additive && self.season != SeasonKind::Multiplicative
    }

    fn has_trend(&self) -> bool {
        self.trend != TrendKind::None
    }

    fn has_season(&self) -> bool {
        self.season != SeasonKind::None
    }
}

/// Smoothing parameters (β, γ, φ are ignored where the component is absent).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EtsParams {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// Model state: level, trend and the `m` seasonal states in the order they will be used
/// (`season[0]` applies to the next period).
#[derive(Clone, Debug, PartialEq)]
pub struct EtsState {
    pub level: f64,
    pub trend: f64,
    /// Seasonal states in the order they will be used, starting with the next period.
    pub season: Vec<f64>,
}

/// A fitted ETS model.
#[derive(Clone, Debug)]
pub struct EtsFit {
    pub spec: EtsSpec,
    pub m: usize,
    pub params: EtsParams,
    /// Initial state (time 0), seasonal states in order of use.
    pub initial: EtsState,
    /// State after the last observation, seasonal states in order of use.
    pub last: EtsState,
    /// Number of estimated parameters including σ² (R's `np`).
    pub n_params: usize,
    pub loglik: f64,
    pub aic: f64,
    pub aicc: f64,
    /// Residual variance `Σe²/(n − np)` (relative errors for multiplicative error).
    pub sigma2: f64,
    pub fitted: Vec<f64>,
    pub residuals: Vec<f64>,
}

const LOWER: [f64; 4] = [1e-4, 1e-4, 1e-4, 0.8];
const UPPER: [f64; 4] = [0.9999, 0.9999, 0.9999, 0.98];

struct RunOut {
    /// `n·ln(SSE/n) + 2Σ ln|ŷ|` (the last term for multiplicative error only).
    lik: f64,
    sse: f64,
    last: EtsState,
}

/// Runs the filter; returns `None` when the path is inadmissible (non-positive
/// multiplicative quantities). `resid`/`fitted` are filled when given.
fn run(
    y: &[f64],
    spec: EtsSpec,
    p: &EtsParams,
    init: &EtsState,
    mut resid: Option<&mut Vec<f64>>,
    mut fitted: Option<&mut Vec<f64>>,
) -> Option<RunOut> {
    let m = init.season.len().max(1);
    let mut l = init.level;
    let mut b = init.trend;
    let mut s = init.season.clone();
    let mut pos = 0usize;
    let phi = match spec.trend {
        TrendKind::None => 0.0,
        TrendKind::Additive => 1.0,
        TrendKind::Damped => p.phi,
    };
    let mult_season = spec.season == SeasonKind::Multiplicative;
    let mult_err = spec.error == ErrorKind::Multiplicative;
    let (mut sse, mut sumlog) = (0.0, 0.0);
    for (t, &yt) in y.iter().enumerate() {
        let phib = phi * b;
        let q = l + phib;
        let sv = if spec.has_season() { s[pos] } else { 0.0 };
        let yhat = match spec.season {
            SeasonKind::None => q,
            SeasonKind::Additive => q + sv,
            SeasonKind::Multiplicative => {
                if q <= 0.0 || sv <= 1e-10 {
                    return None;
                }
                q * sv
            }
        };
        let e = if mult_err {
            if yhat.abs() < 1e-10 || yhat <= 0.0 {
                return None;
            }
            sumlog += yhat.ln();
            (yt - yhat) / yhat
        } else {
            yt - yhat
        };
        sse += e * e;
        if let Some(r) = resid.as_deref_mut() {
            r[t] = e;
        }
        if let Some(f) = fitted.as_deref_mut() {
            f[t] = yhat;
        }
        let pt = match spec.season {
            SeasonKind::None => yt,
            SeasonKind::Additive => yt - sv,
            SeasonKind::Multiplicative => yt / sv,
        };
        let lnew = q + p.alpha * (pt - q);
        if spec.has_trend() {
            b = phib + (p.beta / p.alpha) * (lnew - l - phib);
        }
        if spec.has_season() {
            let tt = if mult_season { yt / q } else { yt - q };
            s[pos] = sv + p.gamma * (tt - sv);
            pos = (pos + 1) % m;
        }
        l = lnew;
        if !l.is_finite() || !b.is_finite() {
            return None;
        }
    }
    let n = y.len() as f64;
    if sse.is_nan() || sse <= 0.0 {
        sse = 1e-300;
    }
    let lik = n * (sse / n).ln() + 2.0 * sumlog;
    if !lik.is_finite() {
        return None;
    }
    if spec.has_season() {
        s.rotate_left(pos % m);
    }
    Some(RunOut { lik, sse, last: EtsState { level: l, trend: b, season: s } })
}

/// The likelihood term of [`run`] without bookkeeping (hot loop of the optimiser);
/// `work` is scratch space for the seasonal states.
fn lik_only(y: &[f64], spec: EtsSpec, p: &EtsParams, init: &EtsState, work: &mut Vec<f64>) -> Option<f64> {
    work.clear();
    work.extend_from_slice(&init.season);
    let s = work;
    let m = s.len().max(1);
    let (mut l, mut b) = (init.level, init.trend);
    let mut pos = 0usize;
    let phi = match spec.trend {
        TrendKind::None => 0.0,
        TrendKind::Additive => 1.0,
        TrendKind::Damped => p.phi,
    };
    let has_trend = spec.has_trend();
    let beta_a = p.beta / p.alpha;
    let mult_err = spec.error == ErrorKind::Multiplicative;
    let (mut sse, mut sumlog) = (0.0, 0.0);
    // Σ ln ŷ as the logarithm of a running product, folded in whenever it leaves
    // [1e-150, 1e150] (ŷ is in [1e-10, ~1e100] here, so the product never overflows): one
    // logarithm per many observations instead of one each, the optimiser's hottest cost.
    let mut prod = 1.0f64;
    for &yt in y {
        let phib = phi * b;
        let q = l + phib;
        let (yhat, pt) = match spec.season {
            SeasonKind::None => (q, yt),
            SeasonKind::Additive => {
                let sv = s[pos];
                s[pos] = sv + p.gamma * (yt - q - sv);
                pos += 1;
                if pos == m {
                    pos = 0;
                }
                (q + sv, yt - sv)
            }
            SeasonKind::Multiplicative => {
                let sv = s[pos];
                if q <= 0.0 || sv <= 1e-10 {
                    return None;
                }
                s[pos] = sv + p.gamma * (yt / q - sv);
                pos += 1;
                if pos == m {
                    pos = 0;
                }
                (q * sv, yt / sv)
            }
        };
        let e = if mult_err {
            if yhat <= 1e-10 {
                return None;
            }
            prod *= yhat;
            if !(1e-150..=1e150).contains(&prod) {
                sumlog += prod.ln();
                prod = 1.0;
            }
            (yt - yhat) / yhat
        } else {
            yt - yhat
        };
        sse += e * e;
        let lnew = q + p.alpha * (pt - q);
        if has_trend {
            b = phib + beta_a * (lnew - l - phib);
        }
        l = lnew;
    }
    sumlog += prod.ln();
    let n = y.len() as f64;
    let sse = if sse.is_nan() || sse <= 0.0 { 1e-300 } else { sse };
    let lik = n * (sse / n).ln() + 2.0 * sumlog;
    lik.is_finite().then_some(lik)
}

/// Heuristic initial states as in R `forecast:::initstate`: seasonal indices from a
/// classical decomposition of the first (up to) three seasons, level/trend from a regression
/// on the first `max(10, 2m)` seasonally adjusted points.
fn initial_state(y: &[f64], m: usize, spec: EtsSpec) -> Option<EtsState> {
    let n = y.len();
    let mut season = Vec::new();
    let mut ysa = y.to_vec();
    if spec.has_season() {
        let kind =
            if spec.season == SeasonKind::Multiplicative { DecompKind::Multiplicative } else { DecompKind::Additive };
        let take = n.min(3 * m).max(2 * m);
        if n < take {
            return None;
        }
        let d = classical_decompose(&y[..take], m, kind)?;
        season = d.figure.clone();
        if kind == DecompKind::Multiplicative {
            season.iter_mut().for_each(|v| *v = v.max(1e-2));
            let s: f64 = season.iter().sum();
            season.iter_mut().for_each(|v| *v *= m as f64 / s);
        }
        for (t, v) in ysa.iter_mut().enumerate() {
            let sv = season[t % m];
            match kind {
                DecompKind::Additive => *v -= sv,
                DecompKind::Multiplicative => *v /= sv,
            }
        }
    }
    let maxn = n.min(10usize.max(2 * m));
    let xs: Vec<f64> = (1..=maxn).map(|i| i as f64).collect();
    let ys = &ysa[..maxn];
    let (level, trend) = if spec.has_trend() && maxn >= 2 {
        let xm = xs.iter().sum::<f64>() / maxn as f64;
        let ym = ys.iter().sum::<f64>() / maxn as f64;
        let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - xm) * (y - ym)).sum();
        let sxx: f64 = xs.iter().map(|x| (x - xm).powi(2)).sum();
        let b = sxy / sxx;
        (ym - b * xm, b)
    } else {
        (ys.iter().sum::<f64>() / maxn as f64, 0.0)
    };
    Some(EtsState { level, trend, season })
}

/// Number of free parameters (smoothing + initial states, excluding σ²).
fn free_params(spec: EtsSpec, m: usize) -> usize {
    let mut k = 2; // alpha, l0
    if spec.has_trend() {
        k += 2;
    }
    if spec.trend == TrendKind::Damped {
        k += 1;
    }
    if spec.has_season() {
        k += 1 + (m - 1);
    }
    k
}

struct Layout {
    spec: EtsSpec,
    m: usize,
    /// Seasonal initial states held fixed (not estimated) when set.
    fixed_season: Option<Vec<f64>>,
}

impl Layout {
    fn decode(&self, x: &[f64]) -> (EtsParams, EtsState) {
        let mut season = Vec::new();
        let (p, level, trend) = self.decode_into(x, &mut season);
        (p, EtsState { level, trend, season })
    }

    /// Decodes parameters, initial level and trend; writes the initial seasonal states
    /// into `season` (reusing its allocation).
    fn decode_into(&self, x: &[f64], season: &mut Vec<f64>) -> (EtsParams, f64, f64) {
        let mut i = 0;
        let mut next = || {
            let v = x[i];
            i += 1;
            v
        };
        let alpha = next();
        let beta = if self.spec.has_trend() { next() } else { 0.0 };
        let gamma = if self.spec.has_season() { next() } else { 0.0 };
        let phi = if self.spec.trend == TrendKind::Damped { next() } else { 1.0 };
        let level = next();
        let trend = if self.spec.has_trend() { next() } else { 0.0 };
        season.clear();
        if let Some(fs) = &self.fixed_season {
            season.extend_from_slice(fs);
        } else if self.spec.has_season() {
            let mut sum = 0.0;
            for _ in 0..self.m - 1 {
                let v = next();
                sum += v;
                season.push(v);
            }
            let lastv = if self.spec.season == SeasonKind::Multiplicative { self.m as f64 - sum } else { -sum };
            season.push(lastv);
        }
        (EtsParams { alpha, beta, gamma, phi }, level, trend)
    }
}

fn params_ok(spec: EtsSpec, p: &EtsParams) -> bool {
    if spec.has_trend() && p.beta > p.alpha {
        return false;
    }
    if spec.has_season() && p.gamma > 1.0 - p.alpha {
        return false;
    }
    true
}

/// Fits `spec` to `y` by maximum likelihood. `None` if the model cannot be fitted (too few
/// points, non-positive data for a multiplicative model, no admissible solution).
pub fn fit_ets(y: &[f64], m: usize, spec: EtsSpec) -> Option<EtsFit> {
    let m = if spec.has_season() { m } else { 1 };
    let n = y.len();
    if n < 3 || (spec.has_season() && (m < 2 || n < 2 * m)) {
        return None;
    }
    let multiplicative = spec.error == ErrorKind::Multiplicative || spec.season == SeasonKind::Multiplicative;
    if multiplicative && y.iter().any(|v| *v <= 0.0) {
        return None;
    }
    let init = initial_state(y, m, spec)?;
    // Starting values as in R `initparam`.
    let alpha0 = LOWER[0] + 0.2 * (UPPER[0] - LOWER[0]) / m as f64;
    let beta0 = LOWER[1] + 0.1 * (alpha0 - LOWER[1]);
    let gamma0 = LOWER[2] + 0.05 * (1.0 - alpha0 - LOWER[2]);
    let phi0 = LOWER[3] + 0.99 * (UPPER[3] - LOWER[3]);
    let scale = {
        let mu = y.iter().sum::<f64>() / n as f64;
        let sd = (y.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / n as f64).sqrt();
        sd.max(mu.abs() * 1e-3).max(1e-8)
    };
    let (mut x0, mut step, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut push = |v: f64, st: f64, l: f64, h: f64| {
        x0.push(v);
        step.push(st);
        lo.push(l);
        hi.push(h);
    };
    push(alpha0, 0.1, LOWER[0], UPPER[0]);
    if spec.has_trend() {
        push(beta0, 0.05, LOWER[1], UPPER[1]);
    }
    if spec.has_season() {
        push(gamma0, 0.05, LOWER[2], UPPER[2]);
    }
    if spec.trend == TrendKind::Damped {
        push(phi0, -0.05, LOWER[3], UPPER[3]);
    }
    let inf = f64::INFINITY;
    push(init.level, 0.1 * scale, -inf, inf);
    if spec.has_trend() {
        push(init.trend, 0.02 * scale, -inf, inf);
    }
    // Seasonal initial states stay at their decomposition values (as statsmodels'
    // "heuristic" initialisation): estimating m−1 more states by Nelder–Mead made the fit ~4×
    // slower and, on the evaluation series, less accurate out of sample. They still count
    // as estimated parameters in the AICc, as in R.
    let optimise_season = false;
    if spec.has_season() && optimise_season {
        let sstep = if spec.season == SeasonKind::Multiplicative { 0.02 } else { 0.1 * scale };
        for &s in &init.season[..m - 1] {
            push(s, sstep, -inf, inf);
        }
    }
    let layout = Layout { spec, m, fixed_season: (spec.has_season() && !optimise_season).then(|| init.season.clone()) };
    let mut st = EtsState { level: 0.0, trend: 0.0, season: Vec::with_capacity(m) };
    let mut work = Vec::with_capacity(m);
    let objective = |x: &[f64]| -> f64 {
        let (p, level, trend) = layout.decode_into(x, &mut st.season);
        st.level = level;
        st.trend = trend;
        if !params_ok(spec, &p) {
            return 1e12;
        }
        if spec.season == SeasonKind::Multiplicative && st.season.iter().any(|v| *v <= 1e-3) {
            return 1e12;
        }
        lik_only(y, spec, &p, &st, &mut work).unwrap_or(1e12)
    };
    let opts = NmOptions { max_evals: 150 + 50 * x0.len(), rel_tol: 1e-8 };
    let (xbest, fbest) = nelder_mead(objective, &x0, &step, &lo, &hi, &opts);
    if fbest >= 1e11 {
        return None;
    }
    let (params, initial) = layout.decode(&xbest);
    fit_ets_fixed_inner(y, spec, params, initial, free_params(spec, m) + 1)
}

/// Runs an ETS model with given parameters and initial state (no estimation), e.g. to
/// check the recursions against published numbers. `n_params` counts σ² too.
pub fn fit_ets_fixed(y: &[f64], spec: EtsSpec, params: EtsParams, initial: EtsState) -> Option<EtsFit> {
    let m = initial.season.len().max(1);
    fit_ets_fixed_inner(y, spec, params, initial, free_params(spec, m) + 1)
}

fn fit_ets_fixed_inner(
    y: &[f64],
    spec: EtsSpec,
    params: EtsParams,
    initial: EtsState,
    n_params: usize,
) -> Option<EtsFit> {
    let n = y.len();
    let mut resid = vec![0.0; n];
    let mut fitted = vec![0.0; n];
    let r = run(y, spec, &params, &initial, Some(&mut resid), Some(&mut fitted))?;
    let nf = n as f64;
    let loglik = -0.5 * (r.lik + nf * (1.0 + (2.0 * std::f64::consts::PI).ln()));
    let k = n_params as f64;
    let aic = -2.0 * loglik + 2.0 * k;
    let aicc = if nf - k - 1.0 > 0.0 { aic + 2.0 * k * (k + 1.0) / (nf - k - 1.0) } else { f64::INFINITY };
    let dof = if n > n_params { nf - k } else { nf };
    Some(EtsFit {
        spec,
        m: initial.season.len().max(1),
        params,
        initial,
        last: r.last,
        n_params,
        loglik,
        aic,
        aicc,
        sigma2: r.sse / dof,
        fitted,
        residuals: resid,
    })
}

impl EtsFit {
    /// Point forecasts (the conditional mean of the recursions without future errors).
    pub fn forecast(&self, h: usize) -> Vec<f64> {
        self.forecast_state(&self.last, h)
    }

    fn forecast_state(&self, st: &EtsState, h: usize) -> Vec<f64> {
        let phi = self.phi();
        let mut out = Vec::with_capacity(h);
        let mut damp = 0.0;
        let mut pw = 1.0;
        for j in 0..h {
            pw *= phi;
            damp += pw;
            let q = st.level + damp * st.trend;
            let v = match self.spec.season {
                SeasonKind::None => q,
                SeasonKind::Additive => q + st.season[j % self.m],
                SeasonKind::Multiplicative => q * st.season[j % self.m],
            };
            out.push(v);
        }
        out
    }

    /// Point forecasts of `h` steps after `past` (a prefix of the fitted series), with the
    /// fitted parameters and initial state kept (for a cheap rolling-origin backtest).
    pub fn forecast_from(&self, past: &[f64], h: usize) -> Vec<f64> {
        match run(past, self.spec, &self.params, &self.initial, None, None) {
            Some(r) => self.forecast_state(&r.last, h),
            None => vec![past.last().copied().unwrap_or(0.0); h],
        }
    }

    fn phi(&self) -> f64 {
        match self.spec.trend {
            TrendKind::None => 0.0,
            TrendKind::Additive => 1.0,
            TrendKind::Damped => self.params.phi,
        }
    }

    /// Forecast with 80%/95% intervals: analytic for class-1 models (Hyndman et al. 2008,
    /// Table 6.1: `v_h = σ²(1 + Σ_{j<h} c_j²)`, `c_j = α + β·Σ_{i≤j} φ^i + γ·[j mod m = 0]`),
    /// seeded simulation of 1000 sample paths otherwise.
    pub fn forecast_with_intervals(&self, h: usize, seed: u64) -> ModelForecast {
        let mean = self.forecast(h);
        let name = self.spec.name();
        if self.spec.is_class1() {
            let p = &self.params;
            let phi = self.phi();
            let mut sd = Vec::with_capacity(h);
            let mut acc = 1.0;
            let mut damp = 0.0;
            let mut pw = 1.0;
            for j in 0..h {
                if j >= 1 {
                    pw *= phi;
                    damp += pw;
                    let mut c = p.alpha;
                    if self.spec.has_trend() {
                        c += p.beta * damp;
                    }
                    if self.spec.has_season() && j % self.m == 0 {
                        c += p.gamma;
                    }
                    acc += c * c;
                }
                sd.push((self.sigma2 * acc).sqrt());
            }
            return ModelForecast::from_normal(name, mean, &sd, self.fitted.clone(), Some(self.aicc));
        }
        let paths = self.simulate(h, 1000, seed);
        ModelForecast::from_paths(name, mean, &paths, self.fitted.clone(), Some(self.aicc))
    }

    /// Simulates `npaths` future sample paths with Gaussian errors of variance σ².
    pub fn simulate(&self, h: usize, npaths: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = SplitMix64::new(seed);
        let sigma = self.sigma2.max(0.0).sqrt();
        let phi = self.phi();
        let p = &self.params;
        let mut paths = Vec::with_capacity(npaths);
        for _ in 0..npaths {
            let mut l = self.last.level;
            let mut b = self.last.trend;
            let mut s = self.last.season.clone();
            let mut path = Vec::with_capacity(h);
            for j in 0..h {
                let pos = j % self.m;
                let phib = phi * b;
                let q = l + phib;
                let sv = if self.spec.has_season() { s[pos] } else { 0.0 };
                let yhat = match self.spec.season {
                    SeasonKind::None => q,
                    SeasonKind::Additive => q + sv,
                    SeasonKind::Multiplicative => q * sv,
                };
                let e = sigma * rng.next_normal();
                let yt = match self.spec.error {
                    ErrorKind::Additive => yhat + e,
                    ErrorKind::Multiplicative => yhat * (1.0 + e),
                };
                path.push(yt);
                let pt = match self.spec.season {
                    SeasonKind::None => yt,
                    SeasonKind::Additive => yt - sv,
                    SeasonKind::Multiplicative => {
                        if sv.abs() > 1e-12 {
                            yt / sv
                        } else {
                            yt
                        }
                    }
                };
                let lnew = q + p.alpha * (pt - q);
                if self.spec.has_trend() {
                    b = phib + (p.beta / p.alpha) * (lnew - l - phib);
                }
                if self.spec.has_season() {
                    let tt = match self.spec.season {
                        SeasonKind::Multiplicative if q.abs() > 1e-12 => yt / q,
                        SeasonKind::Multiplicative => sv,
                        _ => yt - q,
                    };
                    s[pos] = sv + p.gamma * (tt - sv);
                }
                l = lnew;
            }
            paths.push(path);
        }
        paths
    }
}

/// All model specs considered by [`auto_ets`], following R/statsforecast with
/// `restrict = TRUE` (no multiplicative trend, no additive error with multiplicative season),
/// and trends damped only.
pub fn candidate_specs(seasonal: bool, positive: bool) -> Vec<EtsSpec> {
    use ErrorKind as E;
    use SeasonKind as S;
    use TrendKind as T;
    let mut out = Vec::new();
    let errors: &[E] = if positive { &[E::Additive, E::Multiplicative] } else { &[E::Additive] };
    let seasons: Vec<S> = match (seasonal, positive) {
        (false, _) => vec![S::None],
        (true, false) => vec![S::None, S::Additive],
        (true, true) => vec![S::None, S::Additive, S::Multiplicative],
    };
    for &e in errors {
        // No undamped trend: extrapolating a straight line for the whole horizon is what
        // fails most out of sample (Gardner & McKenzie 1985; the damped trend won the M3).
        for &t in &[T::None, T::Damped] {
            for &s in &seasons {
                if e == E::Additive && s == S::Multiplicative {
                    continue;
                }
                out.push(EtsSpec::new(e, t, s));
            }
        }
    }
    out
}

/// Fits every admissible candidate and returns the one with the smallest AICc.
pub fn auto_ets(y: &[f64], m: usize, seasonal: bool) -> Option<EtsFit> {
    let positive = y.iter().all(|v| *v > 0.0);
    let mut best: Option<EtsFit> = None;
    for spec in candidate_specs(seasonal && m > 1, positive) {
        if let Some(fit) = fit_ets(y, m, spec) {
            if !fit.aicc.is_finite() {
                continue;
            }
            if best.as_ref().is_none_or(|b| fit.aicc < b.aicc) {
                best = Some(fit);
            }
        }
    }
    best
}

/// [`auto_ets`] with its trend damped: when the AICc choice has no trend, the model with the
/// same error and season and a damped trend is fitted instead (the level-only choice is kept
/// when that cannot be fitted). AICc picks the error and season; the trend is not left to it.
/// Used on short histories (rule 2 of `auto.rs`), where AICc's penalty mostly rules a trend
/// out. Returns the fit and, when it replaced the AICc choice, that choice's spec.
pub fn auto_ets_damped(y: &[f64], m: usize, seasonal: bool) -> Option<(EtsFit, Option<EtsSpec>)> {
    let best = auto_ets(y, m, seasonal)?;
    if best.spec.trend != TrendKind::None {
        return Some((best, None));
    }
    let spec = EtsSpec::new(best.spec.error, TrendKind::Damped, best.spec.season);
    match fit_ets(y, m, spec) {
        Some(f) if f.aicc.is_finite() => Some((f, Some(best.spec))),
        _ => Some((best, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_recursion_by_hand() {
        // ETS(A,N,N), alpha = 0.5, l0 = 10: fitted 10, 11, 11.5; residuals 2, 1, -1.5
        let spec = EtsSpec::new(ErrorKind::Additive, TrendKind::None, SeasonKind::None);
        let p = EtsParams { alpha: 0.5, beta: 0.0, gamma: 0.0, phi: 1.0 };
        let init = EtsState { level: 10.0, trend: 0.0, season: vec![] };
        let fit = fit_ets_fixed(&[12.0, 12.0, 10.0], spec, p, init).unwrap();
        assert_eq!(fit.fitted, vec![10.0, 11.0, 11.5]);
        assert_eq!(fit.residuals, vec![2.0, 1.0, -1.5]);
        assert!((fit.last.level - 10.75).abs() < 1e-12);
        assert_eq!(fit.forecast(2), vec![10.75, 10.75]);
    }

    #[test]
    fn holt_winters_multiplicative_recursion_by_hand() {
        // ETS(M,A,M), m = 2, alpha = .5, beta = .1, gamma = .2, l0 = 10, b0 = 1, s = (1.2, .8)
        let spec = EtsSpec::new(ErrorKind::Multiplicative, TrendKind::Additive, SeasonKind::Multiplicative);
        let p = EtsParams { alpha: 0.5, beta: 0.1, gamma: 0.2, phi: 1.0 };
        let init = EtsState { level: 10.0, trend: 1.0, season: vec![1.2, 0.8] };
        let fit = fit_ets_fixed(&[14.0, 9.0], spec, p, init).unwrap();
        // t=1: q = 11, yhat = 13.2, l = 11 + .5(14/1.2 - 11) = 11.3333, b = 1 + .2(.3333) ...
        assert!((fit.fitted[0] - 13.2).abs() < 1e-12);
        let l1 = 11.0 + 0.5 * (14.0 / 1.2 - 11.0);
        let b1 = 1.0 + 0.1 / 0.5 * (l1 - 10.0 - 1.0);
        let s1 = 1.2 + 0.2 * (14.0 / 11.0 - 1.2);
        let q2 = l1 + b1;
        assert!((fit.fitted[1] - q2 * 0.8).abs() < 1e-12);
        assert!((fit.residuals[0] - (14.0 - 13.2) / 13.2).abs() < 1e-12);
        let l2 = q2 + 0.5 * (9.0 / 0.8 - q2);
        let b2 = b1 + 0.2 * (l2 - l1 - b1);
        let s2 = 0.8 + 0.2 * (9.0 / q2 - 0.8);
        let f = fit.forecast(2);
        assert!((f[0] - (l2 + b2) * s1).abs() < 1e-10);
        assert!((f[1] - (l2 + 2.0 * b2) * s2).abs() < 1e-10);
    }

    /// The optimiser's likelihood (running product of ŷ) equals the filter's (a logarithm per
    /// step), also when the product has to be folded: AirPassengers ×1e20 makes it leave
    /// [1e-150, 1e150] within a few steps.
    #[test]
    fn fast_likelihood_matches_the_filter() {
        let p = EtsParams { alpha: 0.35, beta: 0.02, gamma: 0.1, phi: 0.95 };
        let init = EtsState {
            level: 118.0,
            trend: 1.2,
            season: vec![0.91, 0.89, 1.02, 0.98, 0.98, 1.11, 1.22, 1.21, 1.06, 0.92, 0.80, 0.90],
        };
        for scale in [1.0, 1e20, 1e-5] {
            let y: Vec<f64> = AIR_PASSENGERS.iter().map(|v| v * scale).collect();
            let init = EtsState { level: init.level * scale, trend: init.trend * scale, season: init.season.clone() };
            for spec in [
                EtsSpec::new(ErrorKind::Multiplicative, TrendKind::Damped, SeasonKind::Multiplicative),
                EtsSpec::new(ErrorKind::Multiplicative, TrendKind::None, SeasonKind::None),
                EtsSpec::new(ErrorKind::Additive, TrendKind::Damped, SeasonKind::Additive),
            ] {
                let init = if spec.season == SeasonKind::None {
                    EtsState { season: vec![], ..init.clone() }
                } else {
                    init.clone()
                };
                let slow = run(&y, spec, &p, &init, None, None).unwrap().lik;
                let fast = lik_only(&y, spec, &p, &init, &mut Vec::new()).unwrap();
                assert!((slow - fast).abs() <= 1e-9 * slow.abs(), "{spec:?} ×{scale}: {slow} vs {fast}");
            }
        }
    }

    /// Box & Jenkins airline passengers 1949–1960 (R `AirPassengers`).
    const AIR_PASSENGERS: [f64; 144] = [
        112.0, 118.0, 132.0, 129.0, 121.0, 135.0, 148.0, 148.0, 136.0, 119.0, 104.0, 118.0, 115.0, 126.0, 141.0, 135.0,
        125.0, 149.0, 170.0, 170.0, 158.0, 133.0, 114.0, 140.0, 145.0, 150.0, 178.0, 163.0, 172.0, 178.0, 199.0, 199.0,
        184.0, 162.0, 146.0, 166.0, 171.0, 180.0, 193.0, 181.0, 183.0, 218.0, 230.0, 242.0, 209.0, 191.0, 172.0, 194.0,
        196.0, 196.0, 236.0, 235.0, 229.0, 243.0, 264.0, 272.0, 237.0, 211.0, 180.0, 201.0, 204.0, 188.0, 235.0, 227.0,
        234.0, 264.0, 302.0, 293.0, 259.0, 229.0, 203.0, 229.0, 242.0, 233.0, 267.0, 269.0, 270.0, 315.0, 364.0, 347.0,
        312.0, 274.0, 237.0, 278.0, 284.0, 277.0, 317.0, 313.0, 318.0, 374.0, 413.0, 405.0, 355.0, 306.0, 271.0, 306.0,
        315.0, 301.0, 356.0, 348.0, 355.0, 422.0, 465.0, 467.0, 404.0, 347.0, 305.0, 336.0, 340.0, 318.0, 362.0, 348.0,
        363.0, 435.0, 491.0, 505.0, 404.0, 359.0, 310.0, 337.0, 360.0, 342.0, 406.0, 396.0, 420.0, 472.0, 548.0, 559.0,
        463.0, 407.0, 362.0, 405.0, 417.0, 391.0, 419.0, 461.0, 472.0, 535.0, 622.0, 606.0, 508.0, 461.0, 390.0, 432.0,
    ];

    /// ETS(M,A,M) and ETS(A,A,M) with fixed parameters on AirPassengers against
    /// statsforecast 2.1.1 `ets.pegelsresid_C` (same parameters and initial states; its
    /// seasonal states are stored newest-first). statsforecast's `lik` is
    /// `n·ln(SSE) + 2Σln|ŷ|`, i.e. ours plus `n·ln n`.
    #[test]
    fn airpassengers_fixed_parameters_match_statsforecast() {
        let p = EtsParams { alpha: 0.35, beta: 0.02, gamma: 0.1, phi: 1.0 };
        let init = EtsState {
            level: 118.0,
            trend: 1.2,
            season: vec![0.91, 0.89, 1.02, 0.98, 0.98, 1.11, 1.22, 1.21, 1.06, 0.92, 0.80, 0.90],
        };
        let n = 144.0f64;
        let cases = [
            (
                ErrorKind::Multiplicative,
                1391.7559590592004,
                [0.032524522457408556, 0.08823290215852658, 0.018273240488960587],
                -0.03729722112999229,
            ),
            (
                ErrorKind::Additive,
                1453.359230322074,
                [3.52800000000002, 9.56732923076926, 2.3687824138288818],
                -16.736629291824556,
            ),
        ];
        for (error, sf_lik, first, last) in cases {
            let spec = EtsSpec::new(error, TrendKind::Additive, SeasonKind::Multiplicative);
            let fit = fit_ets_fixed(&AIR_PASSENGERS, spec, p, init.clone()).unwrap();
            let lik = -2.0 * fit.loglik - n * (1.0 + (2.0 * std::f64::consts::PI).ln()) + n * n.ln();
            assert!((lik - sf_lik).abs() < 1e-6, "{lik} vs {sf_lik}");
            for (a, b) in fit.residuals.iter().zip(first) {
                assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} vs {b}");
            }
            assert!((fit.residuals[143] - last).abs() < 1e-9 * last.abs().max(1.0));
            assert!((fit.last.level - 494.3479238603007).abs() < 1e-8);
            assert!((fit.last.trend - 3.5904530001874506).abs() < 1e-9);
            assert!((fit.last.season[11] - 0.8925434352120787).abs() < 1e-12);
        }
    }

    /// Rule 2's short-history ETS: AICc's choice for a level series of 40 quarters has no trend;
    /// the damped variant keeps its error and season, adds a damped trend, and names what it
    /// replaced. A choice that already has a trend is left as it is.
    #[test]
    fn damped_variant_keeps_error_and_season_of_the_aicc_choice() {
        let mut rng = SplitMix64::new(7);
        let flat: Vec<f64> = (0..40).map(|_| 100.0 + 5.0 * rng.next_normal()).collect();
        let chosen = auto_ets(&flat, 4, true).unwrap();
        assert_eq!(chosen.spec.trend, TrendKind::None, "{}", chosen.spec.name());
        let (damped, was) = auto_ets_damped(&flat, 4, true).unwrap();
        assert_eq!(was, Some(chosen.spec));
        assert_eq!(damped.spec, EtsSpec::new(chosen.spec.error, TrendKind::Damped, chosen.spec.season));
        // Exactly the maximum-likelihood fit of that spec.
        assert_eq!(damped.forecast(8), fit_ets(&flat, 4, damped.spec).unwrap().forecast(8));
        // A strong trend: AICc already keeps a (damped) trend and nothing is replaced.
        let rising: Vec<f64> = (0..40).map(|t| 100.0 + 10.0 * t as f64 + rng.next_normal()).collect();
        let chosen = auto_ets(&rising, 4, true).unwrap();
        assert_eq!(chosen.spec.trend, TrendKind::Damped);
        let (same, was) = auto_ets_damped(&rising, 4, true).unwrap();
        assert_eq!((same.spec, was), (chosen.spec, None));
    }
}
