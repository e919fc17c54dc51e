//! The common output of every individual model: point forecast, intervals, fitted values.

use statrs::distribution::{ContinuousCDF, Normal};

/// Standard normal quantile of the upper end of a central interval (`level` 0.8 → 1.2816).
pub fn z(level: f64) -> f64 {
    // The standard normal always exists; its inverse CDF is exact to ~1e-15.
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

/// Forecast of one model: `h` points with 80%/95% intervals and in-sample fitted values.
#[derive(Clone, Debug)]
pub struct ModelForecast {
    pub model: String,
    pub mean: Vec<f64>,
    pub lo80: Vec<f64>,
    pub hi80: Vec<f64>,
    pub lo95: Vec<f64>,
    pub hi95: Vec<f64>,
    /// One-step in-sample fitted values, NaN where the model has none.
    pub fitted: Vec<f64>,
    /// AICc of the fitted model where the model has a likelihood.
    pub aicc: Option<f64>,
}

impl ModelForecast {
    /// Builds Gaussian intervals `mean ± z·sd`.
    pub fn from_normal(model: String, mean: Vec<f64>, sd: &[f64], fitted: Vec<f64>, aicc: Option<f64>) -> Self {
        let band =
            |z: f64, sign: f64| -> Vec<f64> { mean.iter().zip(sd).map(|(m, s)| m + sign * z * s.max(0.0)).collect() };
        let mut out = ModelForecast {
            lo80: band(z(0.8), -1.0),
            hi80: band(z(0.8), 1.0),
            lo95: band(z(0.95), -1.0),
            hi95: band(z(0.95), 1.0),
            model,
            mean,
            fitted,
            aicc,
        };
        out.make_consistent();
        out
    }

    /// Replaces non-finite numbers and enforces `lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95`.
    pub fn make_consistent(&mut self) {
        let h = self.mean.len();
        for i in 0..h {
            let m = if self.mean[i].is_finite() { self.mean[i] } else { 0.0 };
            self.mean[i] = m;
            let fix = |v: f64| if v.is_finite() { v } else { m };
            let lo80 = fix(self.lo80[i]).min(m);
            let hi80 = fix(self.hi80[i]).max(m);
            self.lo80[i] = lo80;
            self.hi80[i] = hi80;
            self.lo95[i] = fix(self.lo95[i]).min(lo80);
            self.hi95[i] = fix(self.hi95[i]).max(hi80);
        }
        if let Some(a) = self.aicc {
            if !a.is_finite() {
                self.aicc = None;
            }
        }
    }

    /// Fills intervals from simulated sample paths (`paths[k][j]` = path k, step j).
    pub fn from_paths(model: String, mean: Vec<f64>, paths: &[Vec<f64>], fitted: Vec<f64>, aicc: Option<f64>) -> Self {
        let h = mean.len();
        let mut out = ModelForecast {
            model,
            lo80: vec![0.0; h],
            hi80: vec![0.0; h],
            lo95: vec![0.0; h],
            hi95: vec![0.0; h],
            mean,
            fitted,
            aicc,
        };
        let mut col: Vec<f64> = Vec::with_capacity(paths.len());
        for j in 0..h {
            col.clear();
            col.extend(paths.iter().map(|p| p[j]).filter(|v| v.is_finite()));
            crate::sort::sort_f64(&mut col);
            out.lo95[j] = quantile_sorted(&col, 0.025);
            out.lo80[j] = quantile_sorted(&col, 0.10);
            out.hi80[j] = quantile_sorted(&col, 0.90);
            out.hi95[j] = quantile_sorted(&col, 0.975);
        }
        out.make_consistent();
        out
    }
}

/// Split-conformal quantile of `n` sorted values: the `⌈(n + 1)·p⌉`-th smallest (the largest
/// when that exceeds `n`). A new value exchangeable with the sample falls at or below it with
/// probability at least `p`; the plain sample quantile ([`quantile_sorted`]) only about
/// `(p·(n − 1) + 1)/(n + 1)` (0.79 and 0.94 for 64 errors at 80% and 95%), a shortfall that
/// matters for the few dozen backtest errors of a short series (Vovk et al. 2005; Lei et al.
/// 2018). NaN for empty input.
pub fn conformal_quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    // The small slack keeps an exact product (10 × 0.8) from rounding up to the next rank.
    let k = ((n + 1) as f64 * p - 1e-9).ceil() as usize;
    sorted[k.clamp(1, n) - 1]
}

/// Linear-interpolation quantile (R type 7) of sorted data; NaN for empty input.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let w = pos - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    // `a + (b - a)·w`, kept inside [a, b]: equal neighbours give exactly their value, so the
    // quantiles of a sorted sample never decrease with `p` (`a·(1-w) + b·w` can overshoot).
    (a + (b - a) * w).max(a).min(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conformal_quantile_by_hand() {
        let v: Vec<f64> = (1..=9).map(f64::from).collect();
        // n = 9: ⌈10·0.8⌉ = 8th smallest; the type-7 quantile is 1 + 0.8·8 = 7.4.
        assert_eq!(conformal_quantile_sorted(&v, 0.8), 8.0);
        assert!((quantile_sorted(&v, 0.8) - 7.4).abs() < 1e-12);
        // ⌈10·0.95⌉ = 10 > 9: the largest.
        assert_eq!(conformal_quantile_sorted(&v, 0.95), 9.0);
        assert_eq!(conformal_quantile_sorted(&[3.0], 0.5), 3.0);
        assert!(conformal_quantile_sorted(&[], 0.8).is_nan());
        // From the median up (the levels used), never below the sample quantile.
        for p in [0.5, 0.8, 0.9, 0.95] {
            assert!(conformal_quantile_sorted(&v, p) >= quantile_sorted(&v, p), "{p}");
        }
    }
}
