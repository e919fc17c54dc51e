//! A `period,value` table as a regular monthly, quarterly or yearly series, and its forecast
//! labelled with the periods that follow. Periods and numbers are read as the ingestion reads
//! them (month names, quarters, full dates in either day order; thousands separators,
//! currency signs, decimal commas).

use super::{auto_forecast, AutoForecast, Backtest, CandidateScore, ForecastError, TsOptions};
use crate::ingest::values::{self, DateOrder, DecimalMark, NumberStyle};
use crate::model::date_from_day;
use chrono::Datelike;
use serde::Serialize;
use thiserror::Error;

/// Why a table is not a series.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SeriesError {
    #[error("line {line}: '{value}' is not a period (a month like 2017-03, Mar 2017 or 2017-03-01; a quarter like 2017-Q1 or Q1 2017; a year)")]
    BadPeriod { line: usize, value: String },
    #[error("line {line}: '{value}' is not a number")]
    BadValue { line: usize, value: String },
    #[error("line {line}: period {period} appears twice (aggregate the rows of a period first)")]
    Duplicate { line: usize, period: String },
    #[error("months, quarters and years are mixed (line {line})")]
    MixedGrain { line: usize },
    #[error("the table has no rows after its header")]
    Empty,
    #[error("no column beside the period column (header: {0})")]
    NoValueColumn(String),
    #[error(transparent)]
    Forecast(#[from] ForecastError),
}

/// A regular monthly, quarterly or yearly series.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodSeries {
    /// 12 (monthly), 4 (quarterly) or 1 (yearly).
    pub season_length: usize,
    /// Index of the first period: year × season_length + (month or quarter − 1).
    pub first: i64,
    pub values: Vec<f64>,
    /// Periods missing from the table, filled by linear interpolation.
    pub filled: usize,
}

/// A period as (periods per year, index): anything [`values::parse_period`] reads — `2017-03`,
/// `Mar 2017`, `2017-Q1`, `Q1 2017`, `2017`, or a full date (its month).
fn parse_period(text: &str, order: DateOrder) -> Option<(usize, i64)> {
    let (start, end) = values::parse_period(text, order).ok()??;
    let (a, b) = (date_from_day(start)?, date_from_day(end)?);
    let (year, month) = (i64::from(a.year()), i64::from(a.month()));
    let months = (i64::from(b.year()) - year) * 12 + i64::from(b.month()) - month;
    match months {
        1 => Some((12, year * 12 + month - 1)),
        3 => Some((4, year * 4 + (month - 1) / 3)),
        12 => Some((1, year)),
        _ => None,
    }
}

const PERIOD_HEADERS: &[&str] = &["period", "date", "month", "quarter", "year", "time", "ds", "datum", "monat"];
const VALUE_HEADERS: &[&str] =
    &["value", "y", "sales", "revenue", "amount", "bookings", "mrr", "arr", "total", "count", "units"];

/// The period and value columns: by header name, else the first column and the first other
/// column whose cells are numbers (else the first other column).
fn pick_columns(rows: &[Vec<String>], style: impl Fn(usize) -> NumberStyle) -> Result<(usize, usize), SeriesError> {
    let header: Vec<String> = rows[0].iter().map(|h| h.trim().to_lowercase()).collect();
    // The first name of the list that is a header (the lists are in order of preference).
    let named = |names: &[&str]| names.iter().find_map(|n| header.iter().position(|h| h == n));
    let period = named(PERIOD_HEADERS).unwrap_or(0);
    if let Some(v) = named(VALUE_HEADERS).filter(|&v| v != period) {
        return Ok((period, v));
    }
    let numeric = |c: usize| {
        let cells: Vec<&str> =
            rows[1..].iter().filter_map(|r| r.get(c)).map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
        !cells.is_empty() && cells.iter().all(|v| matches!(values::parse_amount(v, style(c)), Ok(Some(_))))
    };
    // With no all-numeric column, the first other column: its bad cell is then named by line.
    (0..header.len())
        .find(|&c| c != period && numeric(c))
        .or_else(|| (0..header.len()).find(|&c| c != period))
        .map(|v| (period, v))
        .ok_or_else(|| SeriesError::NoValueColumn(rows[0].join(", ")))
}

impl PeriodSeries {
    /// From table rows (the first row is the header `period,value`).
    pub fn from_rows(rows: &[Vec<String>]) -> Result<PeriodSeries, SeriesError> {
        if rows.len() < 2 {
            return Err(SeriesError::Empty);
        }
        let column = |c: usize| rows[1..].iter().filter_map(move |r| r.get(c)).map(String::as_str);
        let style = |c: usize| NumberStyle::detect(column(c), DecimalMark::Point);
        let (pc, vc) = pick_columns(rows, style)?;
        let order = DateOrder::detect(column(pc), DateOrder::MonthFirst).order;
        let value_style = style(vc);
        let mut points: Vec<(i64, f64, usize)> = Vec::new();
        let mut grain = None;
        for (i, row) in rows.iter().enumerate().skip(1) {
            let line = i + 1;
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let period = row.get(pc).map(String::as_str).unwrap_or("");
            let (season, index) = parse_period(period, order)
                .ok_or_else(|| SeriesError::BadPeriod { line, value: period.to_string() })?;
            if *grain.get_or_insert(season) != season {
                return Err(SeriesError::MixedGrain { line });
            }
            let raw = row.get(vc).map(String::as_str).unwrap_or("").trim();
            let value = match values::parse_amount(raw, value_style) {
                Ok(Some(m)) if m.value.is_finite() => m.value,
                _ => return Err(SeriesError::BadValue { line, value: raw.to_string() }),
            };
            points.push((index, value, line));
        }
        let mut season_length = grain.ok_or(SeriesError::Empty)?;
        // Quarters given by a date or month each (2017-03-31, 2017-06-30, …): every month in
        // the same place of its quarter, three or more months apart.
        if season_length == 12 && points.len() >= 2 {
            let residue = points[0].0.rem_euclid(3);
            let mut idx: Vec<i64> = points.iter().map(|p| p.0).collect();
            crate::sort::sort_by(&mut idx, Ord::cmp);
            if idx.iter().all(|i| i.rem_euclid(3) == residue) && idx.windows(2).all(|w| w[1] - w[0] >= 3) {
                season_length = 4;
                for p in &mut points {
                    p.0 = p.0.div_euclid(3);
                }
            }
        }
        crate::sort::sort_by_key(&mut points, |p| p.0);
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
    if s == 1 {
        format!("{index:04}")
    } else if s == 4 {
        format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
    } else {
        format!("{:04}-{:02}", index.div_euclid(s), index.rem_euclid(s) + 1)
    }
}

/// One forecast period.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
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

#[cfg(test)]
mod parse_tests {
    use super::*;

    fn table(text: &str) -> Vec<Vec<String>> {
        text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
    }

    fn series(text: &str) -> PeriodSeries {
        PeriodSeries::from_rows(&table(text)).unwrap()
    }

    #[test]
    fn months_in_the_forms_exports_use() {
        let iso = series("period,value\n2020-01,1\n2020-02,2\n2020-03,3\n");
        assert_eq!(
            (iso.season_length, iso.label(0), iso.values.clone()),
            (12, "2020-01".to_string(), vec![1.0, 2.0, 3.0])
        );
        for text in [
            "Month,Sales\nJan 2020,1\nFeb 2020,2\nMar 2020,3\n",
            "date,value\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n",
            "date,value\n31/01/2020,1\n29/02/2020,2\n31/03/2020,3\n",
            "date;value\n01.01.2020;1\n01.02.2020;2\n01.03.2020;3\n",
            "month,bookings\n2020/01,1\n2020/02,2\n2020/03,3\n",
        ] {
            let rows: Vec<Vec<String>> =
                text.lines().map(|l| l.split([',', ';']).map(str::to_string).collect()).collect();
            assert_eq!(PeriodSeries::from_rows(&rows).unwrap(), iso, "{text}");
        }
    }

    #[test]
    fn quarters_years_and_money() {
        let q = series("quarter,revenue\n2019 Q4,100\nQ1 2020,120\n2020-Q2,130\n");
        assert_eq!((q.season_length, q.label(0), q.label(3)), (4, "2019-Q4".to_string(), "2020-Q3".to_string()));
        // Quarter-end dates are quarters, not a gappy monthly series; "Revenue" beats "Units".
        let rows = vec![
            vec!["Date".into(), "Units".into(), "Revenue".into()],
            vec!["2019-03-31".into(), "5".into(), "$1,000".into()],
            vec!["2019-06-30".into(), "6".into(), "$1,100.50".into()],
            vec!["2019-12-31".into(), "7".into(), "(300)".into()],
        ];
        let s = PeriodSeries::from_rows(&rows).unwrap();
        assert_eq!((s.season_length, s.label(0), s.filled), (4, "2019-Q1".to_string(), 1));
        assert_eq!(s.values, vec![1000.0, 1100.5, (1100.5 - 300.0) / 2.0, -300.0]);
        let y = series("year,total\n2015,10\n2016,12\n2018,16\n");
        assert_eq!(
            (y.season_length, y.label(3), y.values.clone()),
            (1, "2018".to_string(), vec![10.0, 12.0, 14.0, 16.0])
        );
    }

    #[test]
    fn errors_name_the_line() {
        let bad = |text: &str| PeriodSeries::from_rows(&table(text)).unwrap_err().to_string();
        assert!(bad("period,value\n2020-01,1\nsoon,2\n").starts_with("line 3: 'soon' is not a period"));
        assert!(bad("period,value\n2020-01,1\n2020-02,lots\n").starts_with("line 3: 'lots' is not a number"));
        assert!(bad("period,value\n2020-01,1\n2020-01-15,2\n").contains("2020-01 appears twice"));
        assert!(bad("period,value\n2020-01,1\n2020-Q2,2\n").contains("mixed (line 3)"));
        assert!(bad("period,note\n2020-01,a\n").starts_with("line 2: 'a' is not a number"));
        assert!(bad("period\n2020-01\n").contains("no column beside"));
    }
}
