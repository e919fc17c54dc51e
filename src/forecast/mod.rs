//! Time-series forecasting engine (SPEC §4): seasonal naive, naive, drift, ETS, Theta,
//! ARIMA and their combination — by default a trimmed combination of ETS, Theta and ARIMA,
//! a single model only on strong evidence from a rolling-origin backtest on the training data
//! (the rules are in `auto.rs`), with 80%/95% prediction intervals calibrated on that backtest,
//! on short series never narrower than the history's own moves, and never below zero for a
//! series that never was (method and accuracy: `docs/forecasting.md`).
//!
//! Everything here is a pure function of its inputs: no I/O, no clock, seeded simulation.

pub mod arima;
pub mod decompose;
pub mod ets;
pub mod metrics;
pub mod naive;
pub mod optim;
pub mod output;
pub mod prng;
pub mod series;
pub mod theta;

mod auto;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use auto::{candidate_forecasts, CandidateKind};
pub use metrics::{coverage, mase, smape};
pub use output::ModelForecast;

use serde::Serialize;

/// Options of [`auto_forecast`].
#[derive(Clone, Debug)]
pub struct TsOptions {
    /// Seed of the simulation used for intervals of non-Gaussian models.
    pub seed: u64,
    /// Number of rolling origins in the backtest on the training data (0 = no backtest;
    /// the model is then the untrimmed median combination, or a simpler model for short
    /// series). With at least 6 the combination is trimmed and a single model may be chosen.
    pub backtest_origins: usize,
}

impl Default for TsOptions {
    fn default() -> Self {
        TsOptions { seed: 20_240_601, backtest_origins: 8 }
    }
}

/// Result of [`auto_forecast`].
#[derive(Clone, Debug, Serialize)]
pub struct AutoForecast {
    /// Chosen model, e.g. `Combination(ETS(M,Ad,M)+ARIMA(…))` (two members: trimmed; three:
    /// median) or a single model such as `ARIMA(1,1,1)(0,1,1)[12]`.
    pub model: String,
    /// Why this model: backtest numbers, or why the choice was degraded.
    pub reason: String,
    /// `horizon` forecast points.
    pub forecast: Vec<ForecastPoint>,
    /// In-sample one-step fitted values (same length as the input; NaN where none).
    pub fitted: Vec<f64>,
    pub backtest: Backtest,
    /// Every model tried, with its backtest MASE/sMAPE and AICc where relevant.
    pub candidates: Vec<CandidateScore>,
}

/// One forecast point with its 80% and 95% prediction intervals.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ForecastPoint {
    pub value: f64,
    pub lo80: f64,
    pub hi80: f64,
    pub lo95: f64,
    pub hi95: f64,
}

/// Rolling-origin backtest of the chosen model next to seasonal naive.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Backtest {
    /// MASE and sMAPE are NaN (null in JSON) when `origins` is 0: the series was too short.
    pub mase: f64,
    pub smape: f64,
    pub seasonal_naive_mase: f64,
    pub seasonal_naive_smape: f64,
    /// Number of forecast origins used (0 when the series was too short).
    pub origins: usize,
    /// Horizon of each backtest forecast.
    pub horizon: usize,
}

/// Backtest score of one candidate model (`mase`/`smape` are −1 when the series was too
/// short for a backtest).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CandidateScore {
    pub model: String,
    pub mase: f64,
    pub smape: f64,
    pub aicc: Option<f64>,
}

/// Errors of the forecasting layer.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ForecastError {
    #[error("cannot forecast an empty series")]
    EmptySeries,
    #[error("value at index {index} is not a finite number")]
    NonFinite { index: usize },
    #[error("forecast horizon must be at least 1")]
    HorizonZero,
    #[error("season length must be at least 1 (use 1 for non-seasonal data)")]
    SeasonLengthZero,
}

/// Forecasts `horizon` steps of `values` (equally spaced, oldest first) with automatic model
/// choice; see the module docs. `season_length` is 12 for monthly, 4 for quarterly data,
/// 1 for none.
pub fn auto_forecast(
    values: &[f64],
    season_length: usize,
    horizon: usize,
    opts: &TsOptions,
) -> Result<AutoForecast, ForecastError> {
    if values.is_empty() {
        return Err(ForecastError::EmptySeries);
    }
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(ForecastError::NonFinite { index });
    }
    if horizon == 0 {
        return Err(ForecastError::HorizonZero);
    }
    if season_length == 0 {
        return Err(ForecastError::SeasonLengthZero);
    }
    Ok(auto::run(values, season_length, horizon, opts))
}
