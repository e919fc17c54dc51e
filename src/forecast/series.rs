//! A `period,value` table (periods `YYYY-MM` or `YYYY-Qn`) as a regular series, and its
//! forecast labelled with the periods that follow.

use super::{auto_forecast, AutoForecast, Backtest, CandidateScore, ForecastError, TsOptions};
use serde::Serialize;
use thiserror::Error;

/// Why a table is not a series.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SeriesError {
    #[error("line {line}: '{value}' is not a period (use YYYY-MM or YYYY-Qn)")]
    BadPeriod { line: usize, value: String },
    #[error("line {line}: '{value}' is not a number")]
    BadValue { line: usize, value: String },
    #[error("line {line}: period {period} appears twice")]
    Duplicate { line: usize, period: String },
    #[error("monthly and quarterly periods are mixed (line {line})")]
    MixedGrain { line: usize },
    #[error("the table has no rows after its header")]
    Empty,
    #[error(transparent)]
    Forecast(#[from] ForecastError),
}

/// A regular monthly or quarterly series.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodSeries {
    /// 12 (monthly) or 4 (quarterly).
    pub season_length: usize,
    /// Index of the first period: year × season_length + (month or quarter − 1).
    pub first: i64,
    pub values: Vec<f64>,
    /// Periods missing from the table, filled by linear interpolation.
    pub filled: usize,
}

fn parse_period(text: &str) -> Option<(usize, i64)> {
    let t = text.trim();
    let (year, rest) = t.split_once('-')?;
    let year: i64 = year.parse().ok()?;
    if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
        let q: i64 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some((4, year * 4 + q - 1));
    }
    let m: i64 = rest.get(..2.min(rest.len()))?.parse().ok().filter(|m| (1..=12).contains(m))?;
    // Accept `2017-03` and `2017-03-01` (a month given by its first day).
    if rest.len() != 2 && !(rest.len() == 5 && rest.as_bytes()[2] == b'-') {
        return None;
    }
    Some((12, year * 12 + m - 1))
}

impl PeriodSeries {
    /// From table rows (the first row is the header `period,value`).
    pub fn from_rows(rows: &[Vec<String>]) -> Result<PeriodSeries, SeriesError> {
        let mut points: Vec<(i64, f64, usize)> = Vec::new();
        let mut grain = None;
        for (i, row) in rows.iter().enumerate().skip(1) {
            let line = i + 1;
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let period = row.first().map(String::as_str).unwrap_or("");
            let (season, index) =
                parse_period(period).ok_or_else(|| SeriesError::BadPeriod { line, value: period.to_string() })?;
            if *grain.get_or_insert(season) != season {
                return Err(SeriesError::MixedGrain { line });
            }
            let raw = row.get(1).map(String::as_str).unwrap_or("").trim();
            let value: f64 = raw
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| SeriesError::BadValue { line, value: raw.to_string() })?;
            points.push((index, value, line));
        }
        let season_length = grain.ok_or(SeriesError::Empty)?;
        points.sort_by_key(|p| p.0);
        for w in points.windows(2) {
            if w[0].0 == w[1].0 {
                let label = label(season_length, w[1].0);
                return Err(SeriesError::Duplicate { line: w[1].2, period: label });
            }
        }
        let first = points[0].0;
        let last = points[points.len() - 1].0;
        let mut values = vec![f64::NAN; (last - first + 1) as usize];
        for &(idx, v, _) in &points {
            values[(idx - first) as usize] = v;
        }
        let filled = values.iter().filter(|v| v.is_nan()).count();
        // Linear interpolation across gaps (both ends are known: first and last are points).
        let mut i = 0;
        while i < values.len() {
            if values[i].is_nan() {
                let start = i - 1;
                let mut end = i;
                while values[end].is_nan() {
                    end += 1;
                }
                let (a, b) = (values[start], values[end]);
                for (k, v) in values.iter_mut().enumerate().take(end).skip(start + 1) {
                    *v = a + (b - a) * (k - start) as f64 / (end - start) as f64;
                }
                i = end;
            }
            i += 1;
        }
        Ok(PeriodSeries { season_length, first, values, filled })
    }

    /// Label of the `k`-th period of the series (k may run past the end).
    pub fn label(&self, k: usize) -> String {
        label(self.season_length, self.first + k as i64)
    }
}

fn label(season_length: usize, index: i64) -> String {
    let s = season_length as i64;
    if s == 4 {
        format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
    } else {
        format!("{:04}-{:02}", index.div_euclid(s), index.rem_euclid(s) + 1)
    }
}

/// One forecast period.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LabelledPoint {
    pub period: String,
    pub value: f64,
    pub lo80: f64,
    pub hi80: f64,
    pub lo95: f64,
    pub hi95: f64,
}

/// The forecast of a labelled series (SPEC §6 `revlens forecast --json`).
#[derive(Clone, Debug, Serialize)]
pub struct SeriesForecast {
    pub model: String,
    pub reason: String,
    pub forecast: Vec<LabelledPoint>,
    pub backtest: Backtest,
    pub candidates: Vec<CandidateScore>,
}

/// Forecasts `horizon` periods after the series.
pub fn forecast_series(series: &PeriodSeries, horizon: usize, opts: &TsOptions) -> Result<SeriesForecast, SeriesError> {
    let AutoForecast { model, mut reason, forecast, backtest, candidates, .. } =
        auto_forecast(&series.values, series.season_length, horizon, opts)?;
    if series.filled > 0 {
        reason.push_str(&format!(" {} missing period(s) were filled by linear interpolation.", series.filled));
    }
    let n = series.values.len();
    let forecast = forecast
        .into_iter()
        .enumerate()
        .map(|(k, p)| LabelledPoint {
            period: series.label(n + k),
            value: p.value,
            lo80: p.lo80,
            hi80: p.hi80,
            lo95: p.lo95,
            hi95: p.hi95,
        })
        .collect();
    Ok(SeriesForecast { model, reason, forecast, backtest, candidates })
}

#[cfg(test)]
mod series_tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines.iter().map(|l| l.split(',').map(String::from).collect()).collect()
    }

    #[test]
    fn monthly_with_gap_and_labels() {
        let s = PeriodSeries::from_rows(&rows(&["period,value", "2017-01,10", "2017-03,30", "2016-12,5"])).unwrap();
        assert_eq!(s.season_length, 12);
        assert_eq!(s.values, vec![5.0, 10.0, 20.0, 30.0]);
        assert_eq!(s.filled, 1);
        assert_eq!(s.label(0), "2016-12");
        assert_eq!(s.label(5), "2017-05");
    }

    #[test]
    fn quarterly_and_errors() {
        let s = PeriodSeries::from_rows(&rows(&["period,value", "1999-Q4,1", "2000-Q1,2"])).unwrap();
        assert_eq!((s.season_length, s.label(2)), (4, "2000-Q2".to_string()));
        assert!(matches!(
            PeriodSeries::from_rows(&rows(&["p,v", "2000-13,1"])),
            Err(SeriesError::BadPeriod { line: 2, .. })
        ));
        assert!(matches!(
            PeriodSeries::from_rows(&rows(&["p,v", "2000-01,x"])),
            Err(SeriesError::BadValue { line: 2, .. })
        ));
        assert!(matches!(
            PeriodSeries::from_rows(&rows(&["p,v", "2000-01,1", "2000-Q1,1"])),
            Err(SeriesError::MixedGrain { line: 3 })
        ));
        assert!(matches!(
            PeriodSeries::from_rows(&rows(&["p,v", "2000-01,1", "2000-01,1"])),
            Err(SeriesError::Duplicate { .. })
        ));
        assert_eq!(PeriodSeries::from_rows(&rows(&["p,v"])), Err(SeriesError::Empty));
    }

    #[test]
    fn forecast_is_labelled_after_the_series() {
        let mut lines = vec!["period,value".to_string()];
        for i in 0..36 {
            lines.push(format!(
                "{}-{:02},{}",
                2020 + i / 12,
                i % 12 + 1,
                100.0 + i as f64 + 10.0 * ((i % 12) as f64).sin()
            ));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let s = PeriodSeries::from_rows(&rows(&refs)).unwrap();
        let f = forecast_series(&s, 3, &TsOptions::default()).unwrap();
        assert_eq!(
            f.forecast.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(),
            vec!["2023-01", "2023-02", "2023-03"]
        );
        assert!(f
            .forecast
            .iter()
            .all(|p| p.lo95 <= p.lo80 && p.lo80 <= p.value && p.value <= p.hi80 && p.hi80 <= p.hi95));
    }
}
