//! Benchmarks: naive, seasonal naive, drift and mean, with analytic intervals
//! (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, §5.5).

use super::output::ModelForecast;

fn rms(res: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut k) = (0.0, 0usize);
    for r in res {
        s += r * r;
        k += 1;
    }
    if k == 0 {
        0.0
    } else {
        (s / k as f64).sqrt()
    }
}

/// Naive (random walk): `ŷ_{n+h} = y_n`, `Var = h·σ²`, `σ² = mean((y_t − y_{t−1})²)`.
pub fn naive(y: &[f64], h: usize) -> ModelForecast {
    let n = y.len();
    let last = y.last().copied().unwrap_or(0.0);
    let sigma = rms((1..n).map(|t| y[t] - y[t - 1]));
    let mut fitted = vec![f64::NAN; n];
    if n > 1 {
        fitted[1..n].copy_from_slice(&y[..n - 1]);
    }
    let sd: Vec<f64> = (1..=h).map(|k| sigma * (k as f64).sqrt()).collect();
    ModelForecast::from_normal("Naive".into(), vec![last; h], &sd, fitted, None)
}

/// Seasonal naive: `ŷ_{n+h} = y_{n+h−m(k+1)}` with `k = ⌊(h−1)/m⌋`,
/// `Var = (k+1)·σ²`, `σ² = mean((y_t − y_{t−m})²)`. Falls back to naive when `n < m` or `m ≤ 1`.
pub fn seasonal_naive(y: &[f64], m: usize, h: usize) -> ModelForecast {
    let n = y.len();
    if m <= 1 || n < m {
        let mut f = naive(y, h);
        f.model = "SeasonalNaive".into();
        return f;
    }
    let sigma = rms((m..n).map(|t| y[t] - y[t - m]));
    let mut fitted = vec![f64::NAN; n];
    fitted[m..n].copy_from_slice(&y[..n - m]);
    let mean: Vec<f64> = (0..h).map(|j| y[n - m + (j % m)]).collect();
    let sd: Vec<f64> = (0..h).map(|j| sigma * ((j / m + 1) as f64).sqrt()).collect();
    ModelForecast::from_normal("SeasonalNaive".into(), mean, &sd, fitted, None)
}

/// Random walk with drift: `ŷ_{n+h} = y_n + h·b`, `b = (y_n − y_1)/(n−1)`,
/// `Var = σ²·h + h²·σ²/(n−1)` (R `rwf(drift=TRUE)`). Needs `n ≥ 3`, else naive.
pub fn drift(y: &[f64], h: usize) -> ModelForecast {
    let n = y.len();
    if n < 3 {
        let mut f = naive(y, h);
        f.model = "Drift".into();
        return f;
    }
    let b = (y[n - 1] - y[0]) / (n - 1) as f64;
    let ss: f64 = (1..n).map(|t| (y[t] - y[t - 1] - b).powi(2)).sum();
    let s2 = ss / (n - 2) as f64;
    let mut fitted = vec![f64::NAN; n];
    for t in 1..n {
        fitted[t] = y[t - 1] + b;
    }
    let mean: Vec<f64> = (1..=h).map(|k| y[n - 1] + k as f64 * b).collect();
    let sd: Vec<f64> = (1..=h)
        .map(|k| {
            let k = k as f64;
            (s2 * k + k * k * s2 / (n - 1) as f64).sqrt()
        })
        .collect();
    ModelForecast::from_normal("Drift".into(), mean, &sd, fitted, None)
}

/// Mean forecast: `ŷ = ȳ`, `Var = s²·(1 + 1/n)`.
pub fn mean_forecast(y: &[f64], h: usize) -> ModelForecast {
    let n = y.len().max(1) as f64;
    let mu = y.iter().sum::<f64>() / n;
    let s2 = if y.len() > 1 { y.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    let sd = vec![(s2 * (1.0 + 1.0 / n)).sqrt(); h];
    ModelForecast::from_normal("Mean".into(), vec![mu; h], &sd, vec![mu; y.len()], None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_by_hand() {
        // diffs 2, -1, 3 -> sigma^2 = (4+1+9)/3
        let f = naive(&[1.0, 3.0, 2.0, 5.0], 2);
        assert_eq!(f.mean, vec![5.0, 5.0]);
        let s = (14.0f64 / 3.0).sqrt();
        assert!((f.hi95[1] - (5.0 + 1.959963984540054 * s * 2f64.sqrt())).abs() < 1e-9);
        assert!(f.fitted[0].is_nan() && f.fitted[3] == 2.0);
    }

    #[test]
    fn seasonal_naive_by_hand() {
        let y = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0];
        let f = seasonal_naive(&y, 3, 4);
        assert_eq!(f.mean, vec![2.0, 3.0, 4.0, 2.0]);
        // residuals are all 1 -> sigma 1; step 4 is in the second season -> sd sqrt(2)
        assert!((f.hi80[3] - (2.0 + 1.2815515655446004 * 2f64.sqrt())).abs() < 1e-9);
    }

    #[test]
    fn drift_by_hand() {
        let y = [1.0, 2.0, 4.0, 7.0];
        let f = drift(&y, 2);
        assert!((f.mean[0] - 9.0).abs() < 1e-12 && (f.mean[1] - 11.0).abs() < 1e-12);
    }
}
