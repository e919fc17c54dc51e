//! Where a report's time goes: milliseconds per stage.
//!
//! The core never reads a clock: `std::time::Instant::now()` panics on
//! wasm32-unknown-unknown, and a report must stay a pure function of its inputs. The adapter
//! that wants timings passes a [`Clock`] (the CLI an `Instant`, the JS binding
//! `performance.now()`); without one, or without `ReportOptions::timings`, a report has none.

use serde::Serialize;

/// Milliseconds since some fixed origin (only differences are used).
pub type Clock<'c> = &'c dyn Fn() -> f64;

/// Stage names, in the order a report runs them.
pub mod stage {
    /// Bytes → columns, every file (the split per file is in [`super::Timings::files`]).
    pub const INGEST: &str = "ingest";
    /// Files' columns joined into one dataset; currencies converted; typed spend added.
    pub const DATASET: &str = "dataset";
    pub const QUALITY: &str = "quality";
    /// The RevOps lens (funnel, CAC, MRR, retention, growth).
    pub const REVOPS: &str = "revops";
    /// The SalesOps lens: metrics, stage order and conversion, quotas, forecast categories,
    /// leaderboard.
    pub const SALESOPS: &str = "salesops";
    /// Learning each open deal's win probability from closed deals (with its evaluation).
    pub const WIN_PROBABILITY: &str = "win_probability";
    /// The bookings time series and its automatic forecast with backtest.
    pub const SERIES_FORECAST: &str = "series_forecast";
    /// The pipeline forecast's bookkeeping: slip, the open deals in the two periods, run rate,
    /// movers.
    pub const PIPELINE: &str = "pipeline";
    /// The distribution of period bookings (simulation and/or its analytic tail): P10/P50/P90,
    /// histogram.
    pub const PIPELINE_DISTRIBUTION: &str = "pipeline_distribution";
    /// Every stage, in the order a report runs them.
    pub const ALL: [&str; 9] =
        [INGEST, DATASET, QUALITY, REVOPS, SALESOPS, WIN_PROBABILITY, SERIES_FORECAST, PIPELINE, PIPELINE_DISTRIBUTION];
}

/// Time spent in one stage.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StageTiming {
    pub stage: String,
    pub ms: f64,
}

/// Time spent reading one file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileTiming {
    pub file: String,
    pub ms: f64,
    /// The split of `ms` inside ingestion (e.g. decode and tokenize, typed columns) when the
    /// reader reports one; empty otherwise.
    pub stages: Vec<StageTiming>,
}

/// Milliseconds per stage of one report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Timings {
    /// From the first byte read to the report assembled.
    pub total_ms: f64,
    /// In the order they ran (see [`stage`]); each stage once.
    pub stages: Vec<StageTiming>,
    /// Per file read, in the order read.
    pub files: Vec<FileTiming>,
}

impl Timings {
    /// The milliseconds of a stage (0 when it did not run).
    pub fn ms(&self, stage: &str) -> f64 {
        self.stages.iter().find(|s| s.stage == stage).map_or(0.0, |s| s.ms)
    }
}

/// Splits elapsed time into stages: each [`Stopwatch::lap`] charges the time since the
/// previous one to a stage. Without a clock every call is a no-op.
pub struct Stopwatch<'c> {
    clock: Option<Clock<'c>>,
    last: f64,
    stages: Vec<StageTiming>,
}

impl<'c> Stopwatch<'c> {
    /// Starts now (when there is a clock).
    pub fn new(clock: Option<Clock<'c>>) -> Stopwatch<'c> {
        let last = clock.map_or(0.0, |c| c());
        Stopwatch { clock, last, stages: Vec::new() }
    }

    /// A stopwatch that records nothing.
    pub fn off() -> Stopwatch<'static> {
        Stopwatch { clock: None, last: 0.0, stages: Vec::new() }
    }

    pub fn clock(&self) -> Option<Clock<'c>> {
        self.clock
    }

    /// Charges the time since the last lap (or the start) to `stage`, adding to what it already
    /// has.
    pub fn lap(&mut self, stage: &str) {
        let Some(clock) = self.clock else { return };
        let now = clock();
        let ms = (now - self.last).max(0.0);
        self.last = now;
        self.add(stage, ms);
    }

    /// Adds `ms` measured elsewhere (e.g. a file streamed in chunks) to `stage`.
    pub fn add(&mut self, stage: &str, ms: f64) {
        if self.clock.is_none() {
            return;
        }
        match self.stages.iter_mut().find(|s| s.stage == stage) {
            Some(s) => s.ms += ms,
            None => self.stages.push(StageTiming { stage: stage.to_string(), ms }),
        }
    }

    /// The timings so far (None without a clock).
    pub fn finish(self, files: Vec<FileTiming>) -> Option<Timings> {
        self.clock?;
        let total_ms = self.stages.iter().map(|s| s.ms).sum();
        Some(Timings { total_ms, stages: self.stages, files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn laps_split_a_fake_clock() {
        let t = Cell::new(10.0);
        let clock = || t.get();
        let mut sw = Stopwatch::new(Some(&clock));
        t.set(15.0);
        sw.lap(stage::QUALITY);
        t.set(22.0);
        sw.lap(stage::REVOPS);
        t.set(23.5);
        sw.lap(stage::QUALITY);
        sw.add(stage::INGEST, 4.0);
        let out = sw.finish(vec![]).unwrap();
        assert_eq!(out.ms(stage::QUALITY), 6.5);
        assert_eq!(out.ms(stage::REVOPS), 7.0);
        assert_eq!(out.ms(stage::INGEST), 4.0);
        assert_eq!(out.ms(stage::SALESOPS), 0.0);
        assert_eq!(out.total_ms, 17.5);
        assert_eq!(out.stages.iter().map(|s| s.stage.as_str()).collect::<Vec<_>>(), ["quality", "revops", "ingest"]);
    }

    #[test]
    fn no_clock_no_timings() {
        let mut sw = Stopwatch::off();
        sw.lap(stage::QUALITY);
        sw.add(stage::INGEST, 3.0);
        assert_eq!(sw.finish(vec![]), None);
    }
}
