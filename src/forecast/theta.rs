//! Theta method family after Fiorucci et al. (2016), "Models for optimising the theta method
//! and their relationship to state space models" (IJF 32(4)), as in statsforecast `AutoTheta`:
//! STM (θ = 2), OTM (θ optimised), and their dynamic variants DSTM/DOTM whose linear-trend
//! coefficients `A_n, B_n` are updated recursively. Seasonal series (90% ACF test at lag m)
//! are adjusted by classical multiplicative decomposition first (additive when data ≤ 0).
//!
//! ```text
//! μ_t = ℓ_{t-1} + (1 − 1/θ)·(A·(1−α)^t + B·(1 − (1−α)^{t+1})/α)
//! ℓ_t = α·y_t + (1−α)·ℓ_{t-1}
//! ```
//! The variant with the smallest in-sample MSE is chosen.

use super::decompose::{classical_decompose, seasonality_test, DecompKind, Decomposition};
use super::optim::{nelder_mead, NmOptions};
use super::output::ModelForecast;
use super::prng::SplitMix64;

/// The four Theta variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThetaKind {
    Stm,
    Otm,
    Dstm,
    Dotm,
}

impl ThetaKind {
    pub fn label(&self) -> &'static str {
        match self {
            ThetaKind::Stm => "STM",
            ThetaKind::Otm => "OTM",
            ThetaKind::Dstm => "DSTM",
            ThetaKind::Dotm => "DOTM",
        }
    }

    fn dynamic(&self) -> bool {
        matches!(self, ThetaKind::Dstm | ThetaKind::Dotm)
    }

    fn optimise_theta(&self) -> bool {
        matches!(self, ThetaKind::Otm | ThetaKind::Dotm)
    }
}

#[derive(Clone, Copy, Debug)]
struct ThetaState {
    level: f64,
    mean_y: f64,
    a: f64,
    b: f64,
}

/// A fitted Theta model (on the seasonally adjusted series when `decomposition` is set).
#[derive(Clone, Debug)]
pub struct ThetaFit {
    pub kind: ThetaKind,
    pub alpha: f64,
    pub theta: f64,
    pub initial_level: f64,
    /// In-sample criterion: Σ_{t≥3} e_t² / mean|y|.
    pub mse: f64,
    /// One-step residuals on the adjusted scale.
    pub residuals: Vec<f64>,
    /// Fitted values on the original scale.
    pub fitted: Vec<f64>,
    pub decomposition: Option<(DecompKind, Decomposition)>,
    /// The (seasonally adjusted) series the model was fitted to.
    adjusted: Vec<f64>,
    n: usize,
    last: ThetaState,
}

fn mu(st: &ThetaState, i: usize, alpha: f64, theta: f64) -> f64 {
    let one_a = 1.0 - alpha;
    st.level + (1.0 - 1.0 / theta) * (st.a * one_a.powi(i as i32) + st.b * (1.0 - one_a.powi(i as i32 + 1)) / alpha)
}

fn update(st: &mut ThetaState, i: usize, y: f64, alpha: f64, dynamic: bool) {
    let old_mean = st.mean_y;
    st.level = alpha * y + (1.0 - alpha) * st.level;
    st.mean_y = (i as f64 * old_mean + y) / (i as f64 + 1.0);
    if dynamic {
        let fi = i as f64;
        st.b = ((fi - 1.0) * st.b + 6.0 * (y - old_mean) / (fi + 1.0)) / (fi + 2.0);
        st.a = st.mean_y - st.b * (fi + 2.0) / 2.0;
    }
}

/// Runs the recursions; returns (criterion, residuals, last state).
fn run(y: &[f64], kind: ThetaKind, init_level: f64, alpha: f64, theta: f64) -> (f64, Vec<f64>, ThetaState) {
    let n = y.len();
    let mut st = ThetaState { level: alpha * y[0] + (1.0 - alpha) * init_level, mean_y: y[0], a: y[0], b: 0.0 };
    let mu0 = if kind.dynamic() {
        y[0]
    } else {
        let nf = n as f64;
        let my = y.iter().sum::<f64>() / nf;
        let ty = y.iter().enumerate().map(|(t, v)| (t + 1) as f64 * v).sum::<f64>() / nf;
        let b = if n > 1 { 6.0 * (2.0 * ty - (1.0 + nf) * my) / (nf * nf - 1.0) } else { 0.0 };
        st.a = my - (nf + 1.0) * b / 2.0;
        st.b = b;
        init_level + (1.0 - 1.0 / theta) * (st.a + st.b)
    };
    let mut e = vec![0.0; n];
    e[0] = y[0] - mu0;
    for i in 1..n {
        let f = mu(&st, i, alpha, theta);
        e[i] = y[i] - f;
        update(&mut st, i, y[i], alpha, kind.dynamic());
    }
    let mean_abs = (y.iter().map(|v| v.abs()).sum::<f64>() / n as f64).max(1e-10);
    let mse = e.iter().skip(3).map(|v| v * v).sum::<f64>() / mean_abs;
    (mse, e, st)
}

/// Fits one Theta variant to an (already adjusted) series.
fn fit_kind(y: &[f64], kind: ThetaKind) -> Option<(f64, f64, f64, f64)> {
    let init = [y[0] / 2.0, 0.5, 2.0];
    let k = if kind.optimise_theta() { 3 } else { 2 };
    let lower = [-1e10, 0.1, 1.0];
    let upper = [1e10, 0.99, 1e10];
    let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    let step = [0.1 * scale.max(1e-6), 0.1, 0.2];
    let obj = |x: &[f64]| {
        let theta = if k == 3 { x[2] } else { 2.0 };
        let (mse, _, _) = run(y, kind, x[0], x[1], theta);
        if mse.is_finite() {
            mse
        } else {
            1e300
        }
    };
    // The criterion is flat near its minimum; a looser tolerance changes the forecasts in the
    // fourth digit and takes a third of the evaluations.
    let opts = NmOptions { max_evals: 400, rel_tol: 1e-7 };
    let (x, f) = nelder_mead(obj, &init[..k], &step[..k], &lower[..k], &upper[..k], &opts);
    if !f.is_finite() || f >= 1e300 {
        return None;
    }
    let theta = if k == 3 { x[2] } else { 2.0 };
    Some((x[0], x[1], theta, f))
}

/// Seasonal adjustment used by AutoTheta: returns the adjusted series and decomposition.
fn seasonal_adjust(y: &[f64], m: usize) -> Option<(Vec<f64>, DecompKind, Decomposition)> {
    if !seasonality_test(y, m) {
        return None;
    }
    let positive = y.iter().all(|v| *v > 0.0);
    let mult = if positive {
        classical_decompose(y, m, DecompKind::Multiplicative).filter(|d| d.figure.iter().all(|v| *v >= 0.01))
    } else {
        None
    };
    let (kind, d) = match mult {
        Some(d) => (DecompKind::Multiplicative, d),
        None => (DecompKind::Additive, classical_decompose(y, m, DecompKind::Additive)?),
    };
    let adj = y
        .iter()
        .enumerate()
        .map(|(t, v)| match kind {
            DecompKind::Additive => v - d.seasonal_at(t),
            DecompKind::Multiplicative => v / d.seasonal_at(t),
        })
        .collect();
    Some((adj, kind, d))
}

/// Fits one Theta variant (with the AutoTheta seasonal adjustment when `seasonal`).
pub fn fit_theta(y: &[f64], m: usize, seasonal: bool, kind: ThetaKind) -> Option<ThetaFit> {
    fit_theta_kinds(y, m, seasonal, &[kind])
}

/// AutoTheta: fits STM, OTM, DSTM and DOTM and keeps the smallest in-sample MSE.
pub fn auto_theta(y: &[f64], m: usize, seasonal: bool) -> Option<ThetaFit> {
    fit_theta_kinds(y, m, seasonal, &[ThetaKind::Stm, ThetaKind::Otm, ThetaKind::Dstm, ThetaKind::Dotm])
}

fn fit_theta_kinds(y: &[f64], m: usize, seasonal: bool, kinds: &[ThetaKind]) -> Option<ThetaFit> {
    let n = y.len();
    if n < 4 {
        return None;
    }
    let adjusted = if seasonal && m >= 2 && n >= 2 * m { seasonal_adjust(y, m) } else { None };
    let (ya, decomposition) = match adjusted {
        Some((a, k, d)) => (a, Some((k, d))),
        None => (y.to_vec(), None),
    };
    let mut best: Option<(ThetaKind, f64, f64, f64, f64)> = None;
    for &kind in kinds {
        if let Some((l0, a, th, f)) = fit_kind(&ya, kind) {
            if best.is_none_or(|b| f < b.4) {
                best = Some((kind, l0, a, th, f));
            }
        }
    }
    let (kind, l0, alpha, theta, mse) = best?;
    let (_, residuals, last) = run(&ya, kind, l0, alpha, theta);
    let fitted = (0..n)
        .map(|t| {
            let fa = ya[t] - residuals[t];
            match &decomposition {
                Some((DecompKind::Multiplicative, d)) => fa * d.seasonal_at(t),
                Some((DecompKind::Additive, d)) => fa + d.seasonal_at(t),
                None => fa,
            }
        })
        .collect();
    Some(ThetaFit {
        kind,
        alpha,
        theta,
        initial_level: l0,
        mse,
        residuals,
        fitted,
        decomposition,
        adjusted: ya,
        n,
        last,
    })
}

impl ThetaFit {
    pub fn name(&self) -> String {
        format!("Theta({})", self.kind.label())
    }

    fn seasonal_factor(&self, j: usize) -> (f64, bool) {
        match &self.decomposition {
            Some((DecompKind::Multiplicative, d)) => (d.seasonal_at(self.n + j), true),
            Some((DecompKind::Additive, d)) => (d.seasonal_at(self.n + j), false),
            None => (0.0, false),
        }
    }

    fn reseason(&self, v: f64, j: usize) -> f64 {
        match self.seasonal_factor(j) {
            (s, true) => v * s,
            (s, false) => v + s,
        }
    }

    /// Point forecasts of `h` steps from origin `origin` (the first `origin` observations),
    /// with the fitted parameters, seasonal figure and initial level kept: the recursions
    /// are rerun on the shorter series (for a cheap rolling-origin backtest).
    pub fn forecast_from(&self, origin: usize, h: usize) -> Vec<f64> {
        let o = origin.clamp(1, self.n);
        let (_, _, last) = run(&self.adjusted[..o], self.kind, self.initial_level, self.alpha, self.theta);
        let p = self.adjusted_path_from(o, last, h, &mut || 0.0);
        p.iter()
            .enumerate()
            .map(|(j, v)| match &self.decomposition {
                Some((DecompKind::Multiplicative, d)) => v * d.seasonal_at(o + j),
                Some((DecompKind::Additive, d)) => v + d.seasonal_at(o + j),
                None => *v,
            })
            .collect()
    }

    fn adjusted_path(&self, h: usize, noise: &mut dyn FnMut() -> f64) -> Vec<f64> {
        self.adjusted_path_from(self.n, self.last, h, noise)
    }

    fn adjusted_path_from(&self, n: usize, last: ThetaState, h: usize, noise: &mut dyn FnMut() -> f64) -> Vec<f64> {
        let mut st = last;
        let mut out = Vec::with_capacity(h);
        for j in 0..h {
            let i = n + j;
            let v = mu(&st, i, self.alpha, self.theta) + noise();
            out.push(v);
            update(&mut st, i, v, self.alpha, self.kind.dynamic());
        }
        out
    }

    /// Point forecasts on the original scale.
    pub fn forecast(&self, h: usize) -> Vec<f64> {
        let p = self.adjusted_path(h, &mut || 0.0);
        p.iter().enumerate().map(|(j, v)| self.reseason(*v, j)).collect()
    }

    /// Forecast with intervals from 500 seeded simulated paths (σ = sd of residuals from
    /// the fourth on, as statsforecast), re-seasonalised.
    pub fn forecast_with_intervals(&self, h: usize, seed: u64) -> ModelForecast {
        let mean = self.forecast(h);
        let r = &self.residuals[self.residuals.len().min(3)..];
        let sigma = if r.len() > 1 {
            let mu = r.iter().sum::<f64>() / r.len() as f64;
            (r.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (r.len() - 1) as f64).sqrt()
        } else {
            0.0
        };
        let mut rng = SplitMix64::new(seed);
        let paths: Vec<Vec<f64>> = (0..500)
            .map(|_| {
                let p = self.adjusted_path(h, &mut || sigma * rng.next_normal());
                p.iter().enumerate().map(|(j, v)| self.reseason(*v, j)).collect()
            })
            .collect();
        ModelForecast::from_paths(self.name(), mean, &paths, self.fitted.clone(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stm_on_a_line_extrapolates_the_trend() {
        let y: Vec<f64> = (0..40).map(|t| 5.0 + 2.0 * t as f64).collect();
        let fit = fit_theta(&y, 1, false, ThetaKind::Otm).unwrap();
        let f = fit.forecast(3);
        for (j, v) in f.iter().enumerate() {
            let truth = 5.0 + 2.0 * (40 + j) as f64;
            assert!((v - truth).abs() < 1.0, "{f:?}");
        }
    }
}
