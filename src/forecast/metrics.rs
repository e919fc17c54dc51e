//! Forecast accuracy metrics used by the backtest and the evaluation protocol.

/// Mean absolute scaled error (Hyndman & Koehler 2006):
///
/// `MASE = mean_t |y_t − ŷ_t| / ( (1/(n−m)) · Σ_{t>m} |x_t − x_{t−m}| )`
///
/// where `x` is the in-sample (training) series and `m` the season length, i.e. the error is
/// scaled by the in-sample MAE of the seasonal-naive forecast (naive when `m ≤ 1`).
/// Degenerate scales fall back so the result stays finite: if the insample is shorter than
/// `m + 1` the lag-1 scale is used; if that scale is zero (constant insample) the mean
/// absolute insample level is used, and `1` if that is zero too.
pub fn mase(actual: &[f64], forecast: &[f64], insample: &[f64], m: usize) -> f64 {
    let k = actual.len().min(forecast.len());
    if k == 0 {
        return 0.0;
    }
    let mae = actual.iter().zip(forecast).map(|(a, f)| (a - f).abs()).sum::<f64>() / k as f64;
    mae / mase_scale(insample, m)
}

/// The MASE denominator: in-sample MAE of the seasonal-naive forecast (see [`mase`]).
pub fn mase_scale(insample: &[f64], m: usize) -> f64 {
    let lag_mae = |lag: usize| -> Option<f64> {
        if lag == 0 || insample.len() <= lag {
            return None;
        }
        let s: f64 = insample.windows(lag + 1).map(|w| (w[lag] - w[0]).abs()).sum();
        Some(s / (insample.len() - lag) as f64)
    };
    let m = m.max(1);
    let scale = lag_mae(m).or_else(|| lag_mae(1)).unwrap_or(0.0);
    if scale > 0.0 && scale.is_finite() {
        return scale;
    }
    let lvl =
        if insample.is_empty() { 0.0 } else { insample.iter().map(|v| v.abs()).sum::<f64>() / insample.len() as f64 };
    if lvl > 0.0 && lvl.is_finite() {
        lvl
    } else {
        1.0
    }
}

/// Symmetric MAPE, statsforecast/M4 definition, in percent:
///
/// `sMAPE = (100/h) · Σ_t 2·|y_t − ŷ_t| / (|y_t| + |ŷ_t|)`
///
/// (range 0–200); a term with `|y_t| + |ŷ_t| = 0` counts as 0.
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let k = actual.len().min(forecast.len());
    if k == 0 {
        return 0.0;
    }
    let s: f64 = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| {
            let d = a.abs() + f.abs();
            if d > 0.0 {
                2.0 * (a - f).abs() / d
            } else {
                0.0
            }
        })
        .sum();
    100.0 * s / k as f64
}

/// Share of `actual` values that fall inside `[lo, hi]` (0–1).
pub fn coverage(actual: &[f64], lo: &[f64], hi: &[f64]) -> f64 {
    let k = actual.len().min(lo.len()).min(hi.len());
    if k == 0 {
        return 0.0;
    }
    let inside = (0..k).filter(|&i| actual[i] >= lo[i] && actual[i] <= hi[i]).count();
    inside as f64 / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mase_on_tiny_arrays() {
        // insample seasonal diffs (m=2): |3-1|,|4-2|,|5-3| = 2 each -> scale 2
        let ins = [1.0, 2.0, 3.0, 4.0, 5.0];
        let v = mase(&[6.0, 8.0], &[7.0, 7.0], &ins, 2);
        assert!((v - 0.5).abs() < 1e-12);
        // m=1: lag-1 diffs all 1 -> scale 1
        assert!((mase(&[6.0], &[4.0], &ins, 1) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn mase_degenerate_scale_is_finite() {
        let v = mase(&[1.0], &[2.0], &[3.0, 3.0, 3.0], 12);
        assert!((v - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(mase(&[1.0], &[1.0], &[0.0], 1), 0.0);
    }

    #[test]
    fn smape_on_tiny_arrays() {
        // 200*|100-110|/(210) = 9.5238..., and exact hit 0 -> mean 4.7619...
        let v = smape(&[100.0, 50.0], &[110.0, 50.0]);
        assert!((v - 100.0 * 20.0 / 210.0 / 2.0 * 1.0).abs() < 1e-9, "{v}");
        assert_eq!(smape(&[0.0], &[0.0]), 0.0);
        assert!((smape(&[0.0], &[1.0]) - 200.0).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_inside() {
        assert_eq!(coverage(&[1.0, 5.0], &[0.0, 0.0], &[2.0, 2.0]), 0.5);
    }
}
