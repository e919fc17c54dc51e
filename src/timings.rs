//! Where a report's time goes: milliseconds per stage.
//!
//! The core never reads a clock: `std::time::Instant::now()` panics on
//! wasm32-unknown-unknown, and a report must stay a pure function of its inputs. The adapter
//! that wants timings passes a [`Clock`] (the CLI an `Instant`, the JS binding
//! `performance.now()`); without one, or without `ReportOptions::timings`, a report has none.

use serde::{Deserialize, Serialize};

/// Milliseconds since some fixed origin (only differences are used).
pub type Clock<'c> = &'c (dyn Fn() -> f64 + Sync);

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
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
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
    /// From the first byte read to the report assembled: the stages' sum, less the time
    /// some ran beside others on a second thread (natively, `ReportOptions::threads`).
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
    /// Milliseconds of stages that ran beside others on another thread, counted in `stages`
    /// but not in the total ([`Stopwatch::absorb`]).
    overlapped: f64,
    /// Milliseconds spent waiting for another worker: in the total, in no stage
    /// ([`Stopwatch::idle`]).
    idle: f64,
}

impl<'c> Stopwatch<'c> {
    /// Starts now (when there is a clock).
    pub fn new(clock: Option<Clock<'c>>) -> Stopwatch<'c> {
        let last = clock.map_or(0.0, |c| c());
        Stopwatch { clock, last, stages: Vec::new(), overlapped: 0.0, idle: 0.0 }
    }

    /// A stopwatch that records nothing.
    pub fn off() -> Stopwatch<'static> {
        Stopwatch { clock: None, last: 0.0, stages: Vec::new(), overlapped: 0.0, idle: 0.0 }
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

    /// Restarts the lap without charging the time since the last one to any stage (e.g. time
    /// spent waiting for another thread, or in a stage another stopwatch timed).
    pub fn resync(&mut self) {
        if let Some(clock) = self.clock {
            self.last = clock();
        }
    }

    /// The milliseconds charged to stages so far.
    pub fn charged(&self) -> f64 {
        self.stages.iter().map(|s| s.ms).sum()
    }

    /// Adds the stages another stopwatch timed. When they ran on another thread at the same
    /// time as `beside_ms` of this one's, the shorter of the two is not counted twice in the
    /// total: the total stays the time from start to end.
    pub fn absorb(&mut self, other: Stopwatch<'_>, parallel: bool, beside_ms: f64) {
        self.absorb_stages(other.stages, parallel, beside_ms);
    }

    /// [`Stopwatch::absorb`] of stages timed elsewhere (another worker's). Time this one spent
    /// waiting for them ([`Stopwatch::idle`]) counts as time they ran beside it.
    pub fn absorb_stages(&mut self, stages: Vec<StageTiming>, parallel: bool, beside_ms: f64) {
        if self.clock.is_none() {
            return;
        }
        let theirs: f64 = stages.iter().map(|s| s.ms).sum();
        for s in stages {
            self.add(&s.stage, s.ms);
        }
        if parallel {
            self.overlapped += theirs.min(beside_ms + self.idle);
        }
    }

    /// The time since the last lap was spent waiting (for another worker): it counts in the
    /// total, in no stage.
    pub fn idle(&mut self) {
        let Some(clock) = self.clock else { return };
        let now = clock();
        self.idle += (now - self.last).max(0.0);
        self.last = now;
    }

    /// The stages timed, in the order timed (none without a clock).
    pub fn into_stages(self) -> Vec<StageTiming> {
        self.stages
    }

    /// The timings so far (None without a clock), the stages in the order of [`stage::ALL`].
    pub fn finish(mut self, files: Vec<FileTiming>) -> Option<Timings> {
        self.clock?;
        let total_ms = self.charged() - self.overlapped + self.idle;
        let place = |s: &StageTiming| stage::ALL.iter().position(|&n| n == s.stage).unwrap_or(stage::ALL.len());
        crate::sort::sort_by_key(&mut self.stages, place);
        Some(Timings { total_ms, stages: self.stages, files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A clock the test sets (milliseconds as f64 bits).
    struct FakeClock(AtomicU64);

    impl FakeClock {
        fn new(ms: f64) -> FakeClock {
            FakeClock(AtomicU64::new(ms.to_bits()))
        }
        fn set(&self, ms: f64) {
            self.0.store(ms.to_bits(), Ordering::Relaxed);
        }
        fn get(&self) -> f64 {
            f64::from_bits(self.0.load(Ordering::Relaxed))
        }
    }

    #[test]
    fn laps_split_a_fake_clock() {
        let t = FakeClock::new(10.0);
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
        // In the order a report runs them, whatever order they were timed in.
        assert_eq!(out.stages.iter().map(|s| s.stage.as_str()).collect::<Vec<_>>(), ["ingest", "quality", "revops"]);
    }

    #[test]
    fn stages_timed_beside_each_other_count_once_in_the_total() {
        let t = FakeClock::new(0.0);
        let clock = || t.get();
        let mut main = Stopwatch::new(Some(&clock));
        t.set(2.0);
        main.lap(stage::DATASET);
        // Another thread: quality 3 ms and RevOps 4 ms, while this one did SalesOps in 5 ms.
        let mut other = Stopwatch::new(Some(&clock));
        t.set(5.0);
        other.lap(stage::QUALITY);
        t.set(9.0);
        other.lap(stage::REVOPS);
        let before = main.charged();
        t.set(7.0);
        main.resync();
        main.add(stage::SALESOPS, 5.0);
        let beside = main.charged() - before;
        let mut sequential = Stopwatch::new(Some(&clock));
        sequential.add(stage::DATASET, 2.0);
        sequential.absorb(
            Stopwatch { clock: Some(&clock), last: 0.0, stages: other.stages.clone(), overlapped: 0.0, idle: 0.0 },
            false,
            5.0,
        );
        main.absorb(other, true, beside);
        let out = main.finish(vec![]).unwrap();
        assert_eq!((out.ms(stage::QUALITY), out.ms(stage::REVOPS), out.ms(stage::SALESOPS)), (3.0, 4.0, 5.0));
        // 2 ms, then 7 ms on one thread beside 5 on the other: 9 ms from start to end.
        assert_eq!(out.total_ms, 9.0);
        assert_eq!(sequential.finish(vec![]).unwrap().total_ms, 9.0, "one after the other: 2 + 3 + 4");
    }

    #[test]
    fn time_waited_for_another_worker_counts_in_the_total_in_no_stage() {
        let t = FakeClock::new(0.0);
        let clock = || t.get();
        let mut main = Stopwatch::new(Some(&clock));
        t.set(10.0);
        main.lap(stage::INGEST);
        t.set(16.0);
        main.lap(stage::SALESOPS);
        // The other worker took 9 ms for its side (started with this one's SalesOps): 3 ms waited.
        t.set(19.0);
        main.idle();
        let other = vec![
            StageTiming { stage: stage::QUALITY.into(), ms: 4.0 },
            StageTiming { stage: stage::REVOPS.into(), ms: 5.0 },
        ];
        main.absorb_stages(other, true, 6.0);
        t.set(20.0);
        main.lap(stage::SALESOPS);
        let out = main.finish(vec![]).unwrap();
        assert_eq!((out.ms(stage::QUALITY), out.ms(stage::REVOPS), out.ms(stage::SALESOPS)), (4.0, 5.0, 7.0));
        assert_eq!(out.total_ms, 20.0, "from start to end: 10 + 6 beside 9 of which 3 waited, + 1");
    }

    #[test]
    fn no_clock_no_timings() {
        let mut sw = Stopwatch::off();
        sw.lap(stage::QUALITY);
        sw.add(stage::INGEST, 3.0);
        assert_eq!(sw.finish(vec![]), None);
    }
}
