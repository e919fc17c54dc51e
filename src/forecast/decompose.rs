//! Classical decomposition, autocorrelation and seasonality tests shared by the models.

/// Whether a seasonal decomposition is multiplicative or additive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecompKind {
    Additive,
    Multiplicative,
}

/// Result of a classical (moving-average) decomposition.
#[derive(Clone, Debug)]
pub struct Decomposition {
    /// Seasonal index per period position `t % m` (sums to 0, or averages to 1).
    pub figure: Vec<f64>,
    /// Centred moving-average trend; NaN at both ends.
    pub trend: Vec<f64>,
}

impl Decomposition {
    /// Seasonal component at time `t`.
    pub fn seasonal_at(&self, t: usize) -> f64 {
        self.figure[t % self.figure.len()]
    }
}

/// Classical decomposition as in R `decompose` / statsmodels `seasonal_decompose`:
/// centred 2×m (even m) or m (odd m) moving average trend, seasonal figure = mean of the
/// detrended values per period position, normalised. Needs `y.len() >= 2*m`, `m >= 2`.
pub fn classical_decompose(y: &[f64], m: usize, kind: DecompKind) -> Option<Decomposition> {
    let n = y.len();
    if m < 2 || n < 2 * m {
        return None;
    }
    let mut trend = vec![f64::NAN; n];
    let half = m / 2;
    for (t, tr) in trend.iter_mut().enumerate().take(n - half).skip(half) {
        let v = if m.is_multiple_of(2) {
            let mut s = 0.5 * (y[t - half] + y[t + half]);
            for v in &y[t + 1 - half..t + half] {
                s += v;
            }
            s / m as f64
        } else {
            y[t - half..=t + half].iter().sum::<f64>() / m as f64
        };
        *tr = v;
    }
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in 0..n {
        if trend[t].is_nan() {
            continue;
        }
        let d = match kind {
            DecompKind::Additive => y[t] - trend[t],
            DecompKind::Multiplicative => {
                if trend[t] == 0.0 {
                    return None;
                }
                y[t] / trend[t]
            }
        };
        sums[t % m] += d;
        counts[t % m] += 1;
    }
    if counts.contains(&0) {
        return None;
    }
    let mut figure: Vec<f64> = sums.iter().zip(&counts).map(|(s, c)| s / *c as f64).collect();
    let mean = figure.iter().sum::<f64>() / m as f64;
    match kind {
        DecompKind::Additive => figure.iter_mut().for_each(|v| *v -= mean),
        DecompKind::Multiplicative => {
            if mean == 0.0 || !mean.is_finite() {
                return None;
            }
            figure.iter_mut().for_each(|v| *v /= mean)
        }
    }
    if figure.iter().any(|v| !v.is_finite()) {
        return None;
    }
    Some(Decomposition { figure, trend })
}

/// Sample autocorrelations for lags `1..=max_lag` (biased estimator, as R `acf`).
pub fn acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n.max(1) as f64;
    let denom: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    (1..=max_lag)
        .map(|k| {
            if k >= n || denom <= 0.0 {
                return 0.0;
            }
            let s: f64 = (k..n).map(|t| (y[t] - mean) * (y[t - k] - mean)).sum();
            s / denom
        })
        .collect()
}

/// The 90% one-sided seasonality test used by the Theta method (Assimakopoulos &
/// Nikolopoulos 2000; statsforecast `AutoTheta`): seasonal when
/// `|r_m| > 1.645 · sqrt((1 + 2 Σ_{k<m} r_k²) / n)`.
pub fn seasonality_test(y: &[f64], m: usize) -> bool {
    if m < 2 || y.len() < 2 * m {
        return false;
    }
    let r = acf(y, m);
    let s: f64 = r[..m - 1].iter().map(|v| v * v).sum();
    let stat = ((1.0 + 2.0 * s) / y.len() as f64).sqrt();
    r[m - 1].abs() > 1.645 * stat
}

/// Seasonal strength `F_s = max(0, 1 − Var(R)/Var(S+R))` (Wang, Smith & Hyndman 2006) from a
/// classical additive decomposition; used to decide seasonal differencing (threshold 0.64 as
/// in R `nsdiffs(test="seas")` / statsforecast).
pub fn seasonal_strength(y: &[f64], m: usize) -> f64 {
    let Some(d) = classical_decompose(y, m, DecompKind::Additive) else {
        return 0.0;
    };
    let mut rem = Vec::new();
    let mut sr = Vec::new();
    for (t, &v) in y.iter().enumerate() {
        if d.trend[t].is_nan() {
            continue;
        }
        let s = d.seasonal_at(t);
        rem.push(v - d.trend[t] - s);
        sr.push(v - d.trend[t]);
    }
    let var = |x: &[f64]| {
        let mu = x.iter().sum::<f64>() / x.len().max(1) as f64;
        x.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / x.len().max(1) as f64
    };
    let vsr = var(&sr);
    if vsr <= 0.0 {
        return 0.0;
    }
    (1.0 - var(&rem) / vsr).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additive_decomposition_recovers_pattern() {
        let pat = [3.0, -1.0, -2.0, 0.0];
        let y: Vec<f64> = (0..24).map(|t| 10.0 + 0.5 * t as f64 + pat[t % 4]).collect();
        let d = classical_decompose(&y, 4, DecompKind::Additive).unwrap();
        for (k, p) in pat.iter().enumerate() {
            assert!((d.figure[k] - p).abs() < 1e-9, "{:?}", d.figure);
        }
        assert!(seasonal_strength(&y, 4) > 0.99);
        // The ACF test sees the pattern once the trend is gone.
        let flat: Vec<f64> = (0..24).map(|t| 10.0 + pat[t % 4]).collect();
        assert!(seasonality_test(&flat, 4));
        let noise: Vec<f64> = (0..24).map(|t| ((t * 7919) % 13) as f64).collect();
        assert!(!seasonality_test(&noise, 4));
    }
}
