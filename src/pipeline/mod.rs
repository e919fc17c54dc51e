//! Pipeline forecast for the current and the next period (SPEC §4):
//!
//! `forecast = closed_so_far + expected_open + slip_adjustment + run_rate`
//!
//! - `closed_so_far`: won amount closed in the period up to the as-of date;
//! - `expected_open`: Σ p·amount over the open deals dated in the period, with p learned from
//!   closed history ([`winprob`]); open deals already past their close date (dated
//!   before the current period) count in the current period;
//! - `slip_adjustment`: the expected amount that slips out to the following period (won deals
//!   that close one period late), plus what slips in from the period before. A won deal slips
//!   with probability `s` (see [`PipelineForecast::slip_source`]); a deal already past its
//!   close date closes in the current period with probability `(1 − s) × r` (r = the part of
//!   the period left), else is dated anew in the next period, where it may slip again;
//! - `run_rate`: bookings from deals not created yet: the mean, over the last 12 months (4
//!   quarters, 2 years) of history, of the won amount of deals created *and* closed within the
//!   part of the period still ahead (the same fraction of each past period).
//!
//! A seeded Monte Carlo ([`montecarlo`]) gives P10/P50/P90 and the deals that move the
//! result most; its mean matches `forecast`. A pipeline of more than [`EXACT_DEALS`] deals has
//! its smaller deals summed analytically ([`PipelineForecast::distribution`] says so). The
//! won-amount series per period is forecast with [`crate::forecast::auto_forecast`] (the series forecaster, through its public API).

pub mod montecarlo;
pub mod winprob;

use crate::forecast::output::quantile_sorted;
use crate::forecast::series::LabelledPoint;
use crate::forecast::{auto_forecast, Backtest, TsOptions};
use crate::message::Message;
use crate::metrics::history::DealHistories;
use crate::metrics::periods::{Calendar, Grain, PeriodKey};
use crate::model::{Dataset, Day, Status, NO_DAY};
use crate::timings::{stage, Stopwatch};
use crate::work;
use montecarlo::{
    deal_variance, distribution, expectation, histogram, landing_probability, HistogramBin, Method, SimDeal, SimInput,
    EXACT_DEALS,
};
use serde::Serialize;
use winprob::{is_open_at, learn_win_probability_with, WinProbabilityReport};

/// Assumed probability that a won deal closes one period later than dated, when no history of
/// close dates measures it: a snapshot export cannot show how often close dates were moved, so
/// the share of last period's deals still open past their date replaces it only when higher.
pub const DEFAULT_SLIP: f64 = 0.2;
/// Deals needed to learn the slip probability.
pub const MIN_SLIP_SAMPLE: usize = 20;
/// σ of the lognormal amount variation, assumed when the history carries no amounts to measure
/// it from (amount first seen vs at close).
pub const AMOUNT_DISPERSION: f64 = 0.1;
/// Longest bookings series passed to the time-series engine (most recent periods kept).
const MAX_SERIES_PERIODS: usize = 600;
const MOVERS: usize = 10;
const HISTOGRAM_BINS: usize = 24;

/// Deal draws one report's Monte Carlo may take (≈ 0.5 s natively, about twice that in wasm):
/// reached only when more runs are asked for than that allows (a run draws at most
/// [`EXACT_DEALS`] deals).
pub const MAX_DRAWS: usize = 100_000_000;
/// Runs a Monte Carlo never goes below, however big the pipeline.
pub const MIN_RUNS: usize = 2_000;

/// Options of [`pipeline_forecast`].
#[derive(Clone, Debug)]
pub struct PipelineOptions {
    pub as_of: Day,
    /// The period grain: the current and next period are forecast.
    pub calendar: Calendar,
    pub seed: u64,
    /// Monte Carlo runs (default 10 000; 0 = no simulation).
    pub simulations: usize,
    /// Horizon of the bookings time series (0 = 12 months, 4 quarters or 3 years).
    pub horizon: usize,
    /// Deals simulated one by one; beyond them the smaller deals are summed from their moments
    /// (default [`EXACT_DEALS`]; `usize::MAX` simulates every deal).
    pub exact_deals: usize,
    /// List every open deal in `win_probability.deals` (default true).
    pub list_deals: bool,
    /// Deal draws the Monte Carlo may take (default [`MAX_DRAWS`]); fewer runs are made when
    /// `simulations` would take more.
    pub max_draws: usize,
    /// What the stage history measured of close dates and amounts (SPEC §3): used instead of
    /// the assumptions when it covers enough deals.
    pub measured: Measured,
}

/// Slip and amount variation measured from the history rows that carry close dates and
/// amounts ([`crate::metrics::history`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    /// Won deals whose history carries close dates; those whose close date moved into a later
    /// period at least once; all won deals.
    pub slip_measured: usize,
    pub slip_slipped: usize,
    pub won_deals: usize,
    /// σ of ln(amount at close ÷ first amount in the history), over `dispersion_measured`
    /// won deals.
    pub dispersion: Option<f64>,
    pub dispersion_measured: usize,
}

impl PipelineOptions {
    pub fn new(as_of: Day, calendar: Calendar) -> PipelineOptions {
        PipelineOptions {
            as_of,
            calendar,
            seed: 20_240_601,
            simulations: 10_000,
            horizon: default_horizon(calendar.grain),
            exact_deals: EXACT_DEALS,
            list_deals: true,
            max_draws: MAX_DRAWS,
            measured: Measured::default(),
        }
    }
}

fn default_horizon(grain: Grain) -> usize {
    match grain {
        Grain::Month => 12,
        Grain::Quarter => 4,
        Grain::Year => 3,
    }
}

fn season_length(grain: Grain) -> usize {
    match grain {
        Grain::Month => 12,
        Grain::Quarter => 4,
        Grain::Year => 1,
    }
}

/// An open deal whose outcome moves a period's result.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Mover {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub stage: String,
    pub amount: f64,
    /// Expected close date.
    pub close: Option<String>,
    pub p_learned: f64,
    pub p_crm: Option<f64>,
    /// Chance it is won and lands in this period.
    pub p_in_period: f64,
    /// Its expected contribution: amount × p_in_period.
    pub expected: f64,
    /// Bookings difference between it landing in the period and not.
    pub swing: f64,
    /// Standard deviation it adds to the period's bookings.
    pub sd: f64,
    /// Its share of the variance from open deals.
    pub share_of_variance: f64,
}

/// The forecast of one period.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PeriodForecast {
    pub period: String,
    /// First and last day.
    pub start: Option<String>,
    pub end: Option<String>,
    pub closed_so_far: f64,
    pub closed_deals: usize,
    /// Open deals dated in the period (the current period includes past-due ones).
    pub open_deals: usize,
    /// Of those, deals whose close date is before the as-of date.
    pub past_due_deals: usize,
    /// Σ amount of those deals, unweighted.
    pub open_amount: f64,
    /// Σ p_learned × amount.
    pub expected_open: f64,
    /// Σ p_crm × amount (the CRM's weighted pipeline, for comparison).
    pub expected_open_crm: f64,
    /// Expected slips in minus slips out.
    pub slip_adjustment: f64,
    pub run_rate: f64,
    /// Past periods the run-rate averages.
    pub run_rate_periods: usize,
    /// Share of the period still ahead of the as-of date.
    pub remaining_fraction: f64,
    /// closed_so_far + expected_open + slip_adjustment + run_rate.
    pub forecast: f64,
    /// Monte Carlo mean and percentiles (None without simulations).
    pub mean: Option<f64>,
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub histogram: Vec<HistogramBin>,
    pub movers: Vec<Mover>,
}

/// One period of the bookings history.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeriesValue {
    pub period: String,
    pub value: f64,
}

/// Time-series forecast of won amount per period.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BookingsSeries {
    /// Why no forecast was made (None when one was).
    pub skipped: Option<String>,
    /// Won amount per complete period: those before the as-of date's period, and that period
    /// too when the as-of date is its last day.
    pub history: Vec<SeriesValue>,
    pub model: Option<String>,
    pub reason: String,
    /// From the first incomplete period on.
    pub forecast: Vec<LabelledPoint>,
    pub backtest: Option<Backtest>,
}

/// The pipeline forecast: both periods, the win-probability model, the bookings series.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PipelineForecast {
    pub as_of: Option<String>,
    pub grain: Grain,
    /// Current period, then next (empty when the as-of date is not a date).
    pub periods: Vec<PeriodForecast>,
    pub slip_probability: f64,
    /// How the slip probability was obtained.
    pub slip_source: String,
    /// The same as a code and its parameters (`slip_measured`, `slip_assumed`, …).
    pub slip_source_coded: Message,
    pub amount_dispersion: f64,
    pub simulations: usize,
    pub seed: u64,
    pub method: String,
    /// How the P10/P50/P90 and histograms were computed.
    pub distribution: DistributionInfo,
    /// Deals left out and why.
    pub notes: Vec<String>,
    /// The notes as codes and their parameters, one per note, in the same order.
    pub notes_coded: Vec<Message>,
    pub win_probability: WinProbabilityReport,
    pub bookings: BookingsSeries,
}

impl PipelineForecast {
    /// Adds a note in English and as a code.
    fn note(&mut self, text: String, coded: Message) {
        self.notes.push(text);
        self.notes_coded.push(coded);
    }
}

/// How the distribution of period bookings was computed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DistributionInfo {
    /// `simulation` (every open deal drawn in every run), `simulation_and_moments` (the
    /// `simulated_deals` deals that add the most variance drawn in every run, the other
    /// `tail_deals` summed analytically: a normal with their exact mean, variance and covariance,
    /// Cornish–Fisher-corrected for their skewness) or `none` (no runs).
    pub method: String,
    pub simulated_deals: usize,
    pub tail_deals: usize,
}

fn iso(day: Day) -> Option<String> {
    crate::model::iso_from_day(day)
}

/// Median days from creation to close of the deals won by `as_of` (None without any).
fn median_won_cycle(ds: &Dataset, as_of: Day) -> Option<Day> {
    let d = &ds.deals;
    let mut cycles: Vec<Day> = (0..d.len())
        .filter(|&i| {
            d.status[i] == Status::Won && d.created[i] != NO_DAY && d.close[i] != NO_DAY && d.close[i] <= as_of
        })
        .map(|i| d.close[i].saturating_sub(d.created[i]).max(0))
        .collect();
    if cycles.is_empty() {
        return None;
    }
    let mid = cycles.len() / 2;
    let mut comparisons = 0usize;
    let median = *crate::sort::select_nth_by(&mut cycles, mid, |a, b| {
        comparisons += 1;
        a.cmp(b)
    });
    work::add(d.len() + comparisons);
    Some(median)
}

/// First and end (exclusive) day of a period, if it has real dates.
fn bounds(cal: &Calendar, key: PeriodKey) -> Option<(Day, Day)> {
    let (start, end) = (cal.start(key), cal.end(key));
    (cal.key(start) == Some(key) && end > start).then_some((start, end))
}

/// Won amount of deals created and closed in `[from, to)`, for each of the last `n` complete
/// periods before `current`, starting `fraction_elapsed` into each.
fn run_rate_history(ds: &Dataset, cal: &Calendar, current: PeriodKey, fraction_elapsed: f64, as_of: Day) -> Vec<f64> {
    let d = &ds.deals;
    let first_created = d.created.iter().copied().filter(|&c| c != NO_DAY && c <= as_of).min();
    let Some(first_created) = first_created else { return Vec::new() };
    let n = match cal.grain {
        Grain::Month => 12,
        Grain::Quarter => 4,
        Grain::Year => 2,
    };
    // Each past period's window: deals created from `from` on and closed before `end`.
    let mut windows = Vec::new();
    for k in 1..=n {
        let Some(key) = current.0.checked_sub(k).map(PeriodKey) else { break };
        let Some((start, end)) = bounds(cal, key) else { break };
        // Only periods the export fully covers (a CRM's first month shows no history).
        if start < first_created {
            break;
        }
        let from = start as i64 + ((end as i64 - start as i64) as f64 * fraction_elapsed).round() as i64;
        windows.push((from, end));
    }
    // One pass over the deals for every period (each period's sum in deal order, as a pass per
    // period would add them).
    let mut out = vec![0.0; windows.len()];
    work::add(d.len());
    for i in 0..d.len() {
        let (c, x, a) = (d.created[i], d.close[i], d.amount[i]);
        if d.status[i] != Status::Won || c == NO_DAY || x == NO_DAY || !a.is_finite() || x < c || x > as_of {
            continue;
        }
        for (won, &(from, end)) in out.iter_mut().zip(&windows) {
            if c as i64 >= from && x < end {
                *won += a;
            }
        }
    }
    out
}

fn grain_word(grain: Grain) -> &'static str {
    match grain {
        Grain::Month => "month",
        Grain::Quarter => "quarter",
        Grain::Year => "year",
    }
}

/// The slip probability: measured from the stage history when it carries the close dates of
/// enough won deals ([`Measured`]); else [`DEFAULT_SLIP`], or the share of the deals dated in the last complete
/// period that are still open past their date when that is higher (closed deals carry their
/// actual close date and re-dated deals look on time, so the observed share is a lower bound).
fn slip_probability(
    ds: &Dataset,
    cal: &Calendar,
    current: PeriodKey,
    as_of: Day,
    measured: &Measured,
) -> (f64, String, Message) {
    if measured.slip_measured >= MIN_SLIP_SAMPLE {
        let s = measured.slip_slipped as f64 / measured.slip_measured as f64;
        return (
            s,
            format!(
                "measured {:.0} % from the stage history: {} of {} won deals had their close date moved into a later {} at least once (measured from {} of {} won deals, those whose history carries close dates)",
                s * 100.0,
                measured.slip_slipped,
                measured.slip_measured,
                grain_word(cal.grain),
                measured.slip_measured,
                measured.won_deals
            ),
            Message::new("slip_measured")
                .with("rate", s)
                .with("slipped", measured.slip_slipped)
                .with("measured", measured.slip_measured)
                .with("grain", grain_word(cal.grain))
                .with("won", measured.won_deals),
        );
    }
    let d = &ds.deals;
    let assumed = format!(
        "assumed {:.0} %: a snapshot export does not show how often close dates were moved",
        DEFAULT_SLIP * 100.0
    );
    let prev = current.0.checked_sub(1).map(PeriodKey).and_then(|k| bounds(cal, k).map(|b| (k, b)));
    let assumed_coded = Message::new("slip_assumed").with("rate", DEFAULT_SLIP);
    let Some((key, (start, end))) = prev else { return (DEFAULT_SLIP, format!("{assumed}."), assumed_coded) };
    let (mut open, mut closed) = (0usize, 0usize);
    work::add(d.len());
    for i in 0..d.len() {
        let x = d.close[i];
        if x == NO_DAY || x < start || x >= end {
            continue;
        }
        if is_open_at(ds, i, as_of) {
            open += 1;
        } else if d.status[i] != Status::Open && x <= as_of {
            closed += 1;
        }
    }
    if open + closed < MIN_SLIP_SAMPLE {
        return (
            DEFAULT_SLIP,
            format!("{assumed} (only {} deals were dated in {}).", open + closed, cal.label(key)),
            Message::new("slip_assumed_few")
                .with("rate", DEFAULT_SLIP)
                .with("deals", open + closed)
                .with("period", cal.label(key)),
        );
    }
    let observed = open as f64 / (open + closed) as f64;
    let text = format!(
        "of the {} deals dated in {}, {} ({:.0} %) are still open past their date — a lower bound, as re-dated deals look on time",
        open + closed,
        cal.label(key),
        open,
        observed * 100.0
    );
    let seen = |code| {
        Message::new(code)
            .with("rate", DEFAULT_SLIP)
            .with("deals", open + closed)
            .with("period", cal.label(key))
            .with("open", open)
            .with("observed", observed)
    };
    if observed > DEFAULT_SLIP {
        (observed, format!("learned: {text}."), seen("slip_observed"))
    } else {
        (DEFAULT_SLIP, format!("{assumed}; {text}."), seen("slip_assumed_observed"))
    }
}

/// Won-amount series per period and its time-series forecast.
fn bookings_series(ds: &Dataset, opts: &PipelineOptions, current: PeriodKey, horizon: usize) -> BookingsSeries {
    let cal = &opts.calendar;
    let d = &ds.deals;
    // An as-of date on the last day of its period closes that period: it is history, and the
    // forecast starts with the next one.
    let current =
        if cal.end(current) == opts.as_of.saturating_add(1) { PeriodKey(current.0.saturating_add(1)) } else { current };
    let skip = |why: String| BookingsSeries {
        skipped: Some(why),
        history: Vec::new(),
        model: None,
        reason: String::new(),
        forecast: Vec::new(),
        backtest: None,
    };
    let mut won: Vec<(PeriodKey, f64)> = Vec::new();
    work::add(2 * d.len());
    for i in 0..d.len() {
        let (x, a) = (d.close[i], d.amount[i]);
        if d.status[i] == Status::Won && x != NO_DAY && x <= opts.as_of && a.is_finite() {
            if let Some(k) = cal.key(x) {
                if k < current {
                    won.push((k, a));
                }
            }
        }
    }
    let Some(first) = won.iter().map(|w| w.0).min() else {
        return skip("No won deal with a close date and an amount in a complete period before the as-of date.".into());
    };
    let last = current.0 - 1;
    let first = first.0.max(last - MAX_SERIES_PERIODS as i32 + 1);
    let n = (last - first + 1) as usize;
    let mut values = vec![0.0; n];
    for (k, a) in won {
        if k.0 >= first {
            values[(k.0 - first) as usize] += a;
        }
    }
    let history: Vec<SeriesValue> = values
        .iter()
        .enumerate()
        .map(|(k, v)| SeriesValue { period: cal.label(PeriodKey(first + k as i32)), value: *v })
        .collect();
    let ts = TsOptions { seed: opts.seed, ..TsOptions::default() };
    match auto_forecast(&values, season_length(cal.grain), horizon, &ts) {
        Ok(f) => BookingsSeries {
            skipped: None,
            history,
            model: Some(f.model),
            reason: f.reason,
            forecast: f
                .forecast
                .into_iter()
                .enumerate()
                .map(|(k, p)| LabelledPoint {
                    period: cal.label(PeriodKey(current.0.saturating_add(k as i32))),
                    value: p.value,
                    lo80: p.lo80,
                    hi80: p.hi80,
                    lo95: p.lo95,
                    hi95: p.hi95,
                })
                .collect(),
            // A series too short to hold out has no backtest: say none rather than a zero error.
            backtest: (f.backtest.origins > 0).then_some(f.backtest),
        },
        Err(e) => BookingsSeries { history, ..skip(format!("The bookings series could not be forecast: {e}.")) },
    }
}

/// The pipeline forecast of the as-of date's period and the next; see the module docs.
/// A pure function of its inputs (same seed, same output); never panics.
pub fn pipeline_forecast(ds: &Dataset, opts: &PipelineOptions) -> PipelineForecast {
    pipeline_forecast_timed(ds, &DealHistories::new(ds), opts, &mut Stopwatch::off())
}

/// [`pipeline_forecast`] with the deals' histories worked out already (`histories`, of `ds`),
/// charging its stages (win probability, series forecast, pipeline, pipeline distribution) to
/// `watch`.
pub fn pipeline_forecast_timed(
    ds: &Dataset,
    histories: &DealHistories,
    opts: &PipelineOptions,
    watch: &mut Stopwatch,
) -> PipelineForecast {
    let cal = opts.calendar;
    let as_of = opts.as_of;
    let learned = learn_win_probability_with(ds, histories, as_of, opts.list_deals);
    watch.lap(stage::WIN_PROBABILITY);
    let horizon = if opts.horizon == 0 { default_horizon(cal.grain) } else { opts.horizon };
    let mut out = PipelineForecast {
        as_of: iso(as_of),
        grain: cal.grain,
        periods: Vec::new(),
        slip_probability: DEFAULT_SLIP,
        slip_source: String::new(),
        slip_source_coded: Message::default(),
        amount_dispersion: AMOUNT_DISPERSION,
        simulations: opts.simulations,
        seed: opts.seed,
        method: String::new(),
        distribution: DistributionInfo { method: "none".into(), simulated_deals: 0, tail_deals: 0 },
        notes: Vec::new(),
        notes_coded: Vec::new(),
        win_probability: learned.report,
        bookings: BookingsSeries {
            skipped: Some("The as-of date is not a date.".into()),
            history: Vec::new(),
            model: None,
            reason: String::new(),
            forecast: Vec::new(),
            backtest: None,
        },
    };
    let current = cal.key(as_of);
    let periods = current.and_then(|c| {
        let next = PeriodKey(c.0.checked_add(1)?);
        Some([(c, bounds(&cal, c)?), (next, bounds(&cal, next)?)])
    });
    let (Some(current), Some(periods)) = (current, periods) else {
        out.note("The as-of date is not a usable date: no pipeline forecast.".into(), Message::new("note_no_as_of"));
        return out;
    };
    out.bookings = bookings_series(ds, opts, current, horizon);
    watch.lap(stage::SERIES_FORECAST);
    let (slip, slip_source, slip_source_coded) = slip_probability(ds, &cal, current, as_of, &opts.measured);
    let (dispersion, dispersion_source) = match opts.measured.dispersion {
        Some(sigma) if opts.measured.dispersion_measured >= MIN_SLIP_SAMPLE => (
            sigma,
            format!(
                "measured from the stage history: σ of ln(amount at close ÷ first amount) over {} won deals",
                opts.measured.dispersion_measured
            ),
        ),
        _ => (AMOUNT_DISPERSION, "assumed: the export has no amount history to learn it from".to_string()),
    };
    out.amount_dispersion = dispersion;
    out.slip_probability = slip;
    out.slip_source = slip_source;
    out.slip_source_coded = slip_source_coded;

    let d = &ds.deals;
    let (cur_start, cur_end) = periods[0].1;
    let next_end = periods[1].1 .1;
    // Closed so far (current period only: nothing of the next has closed by as-of).
    let mut base = [0.0; 2];
    let mut closed_deals = [0usize; 2];
    // This pass, the open deals' pass and the per-period sums over them below.
    work::add(2 * d.len() + 10 * d.len());
    for i in 0..d.len() {
        let (x, a) = (d.close[i], d.amount[i]);
        if d.status[i] == Status::Won && x != NO_DAY && x >= cur_start && x <= as_of && x < cur_end && a.is_finite() {
            base[0] += a;
            closed_deals[0] += 1;
        }
    }
    // The part of the current period still ahead of the as-of date (the as-of day counts as gone).
    let remaining = |start: Day, end: Day| -> f64 {
        let len = (end as i64 - start as i64) as f64;
        let ahead = (end as i64 - (as_of as i64 + 1).max(start as i64)) as f64;
        (ahead / len).clamp(0.0, 1.0)
    };
    let rem = [remaining(cur_start, cur_end), 1.0];
    // Open deals in scope.
    let mut sim_deals = Vec::new();
    let mut rows = Vec::new();
    let (mut no_close, mut no_amount, mut past_due, mut estimated) = (0usize, 0usize, 0usize, 0usize);
    let cycle = median_won_cycle(ds, as_of);
    for i in 0..d.len() {
        let p = learned.by_row[i];
        if p.is_nan() {
            continue;
        }
        let mut x = d.close[i];
        if x == NO_DAY {
            // Undated: expected to close one typical won cycle after it was created.
            match cycle.filter(|_| d.created[i] != NO_DAY) {
                Some(days) => {
                    x = d.created[i].saturating_add(days);
                    estimated += 1;
                }
                None => {
                    no_close += 1;
                    continue;
                }
            }
        }
        let period = if x < cur_end {
            0
        } else if x < next_end {
            1
        } else {
            continue;
        };
        if !d.amount[i].is_finite() {
            no_amount += 1;
            continue;
        }
        // Past its date: it can close this period only in the time left.
        sim_deals.push(if x < as_of {
            past_due += 1;
            SimDeal::past_due(d.amount[i], p, slip, rem[0])
        } else {
            SimDeal::dated(d.amount[i], p, period, slip)
        });
        rows.push(i);
    }
    if estimated > 0 {
        out.note(
            format!(
                "{estimated} open deal(s) without a close date are dated at their creation plus the median won sales cycle ({} days); \
                 those already past that date count as past due.",
                cycle.unwrap_or(0)
            ),
            Message::new("note_estimated_close").with("deals", estimated).with("days", cycle.unwrap_or(0) as f64),
        );
    }
    if no_close > 0 {
        out.note(
            format!(
                "{no_close} open deal(s) without a close date (and without a creation date, or with no won deal to learn a cycle from) are left out."
            ),
            Message::new("note_no_close").with("deals", no_close),
        );
    }
    if no_amount > 0 {
        out.note(
            format!("{no_amount} open deal(s) dated in the two periods have no amount and are left out."),
            Message::new("note_no_amount").with("deals", no_amount),
        );
    }
    if past_due > 0 {
        out.note(
            format!(
                "{past_due} open deal(s) are past their close date: they count in the current period with their (age-aware) learned \
                 probability; if won they close in it with probability (1 − slip) × {:.0} % (the part of the period left), \
                 else are dated anew in the next period, where they may slip again.",
                rem[0] * 100.0
            ),
            Message::new("note_past_due").with("deals", past_due).with("left", rem[0]),
        );
    }
    let draws =
        [run_rate_history(ds, &cal, current, 1.0 - rem[0], as_of), run_rate_history(ds, &cal, current, 0.0, as_of)];
    // A run draws at most `exact_deals` deals; more runs than MAX_DRAWS allows are cut (never
    // under MIN_RUNS), so a report stays seconds long.
    let drawn = sim_deals.len().min(opts.exact_deals.max(1));
    let runs =
        if opts.simulations == 0 { 0 } else { opts.simulations.min((opts.max_draws / drawn.max(1)).max(MIN_RUNS)) };
    if runs < opts.simulations {
        out.note(
            format!(
                "Monte Carlo: {runs} runs instead of {} — {drawn} deals drawn per run, and a report keeps to {} deal draws.",
                opts.simulations, opts.max_draws
            ),
            Message::new("note_fewer_runs")
                .with("runs", runs)
                .with("asked", opts.simulations)
                .with("drawn", drawn)
                .with("draws", opts.max_draws),
        );
    }
    out.simulations = runs;
    let input =
        SimInput { base, run_rate_draws: draws, deals: sim_deals, dispersion, simulations: runs, seed: opts.seed };
    let expected = expectation(&input);
    watch.lap(stage::PIPELINE);
    let dist = if runs > 0 { Some(distribution(&input, opts.exact_deals.max(1))) } else { None };
    out.distribution = match dist.as_ref().map(|d| &d.method) {
        None => DistributionInfo { method: "none".into(), simulated_deals: 0, tail_deals: 0 },
        Some(Method::Simulation) => {
            DistributionInfo { method: "simulation".into(), simulated_deals: input.deals.len(), tail_deals: 0 }
        }
        Some(Method::SimulationAndMoments { simulated, tail }) => {
            out.note(
                format!(
                    "Monte Carlo: the {simulated} deals that add the most variance are drawn in every run; the other {tail} are \
                     summed analytically (a normal with their exact mean, variance and covariance, corrected for their skewness), \
                     as the sum of many small independent deals is close to normal."
                ),
                Message::new("note_moments").with("simulated", *simulated).with("tail", *tail),
            );
            DistributionInfo { method: "simulation_and_moments".into(), simulated_deals: *simulated, tail_deals: *tail }
        }
    };
    let sims = dist.map(|d| d.runs);
    let mut percentiles: [Option<(Vec<f64>, f64)>; 2] = [None, None];
    if let Some(s) = &sims {
        for (j, slot) in percentiles.iter_mut().enumerate() {
            let mut v = s[j].clone();
            crate::sort::sort_f64(&mut v);
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            *slot = Some((v, mean));
        }
    }
    watch.lap(stage::PIPELINE_DISTRIBUTION);

    for (j, (key, (start, end))) in periods.iter().enumerate() {
        let dated: Vec<usize> = (0..input.deals.len()).filter(|&k| input.deals[k].period == j).collect();
        let expected_open: f64 =
            dated.iter().map(|&k| input.deals[k].p * input.deals[k].amount).fold(0.0, |a, b| a + b); // fold from +0: an empty sum is 0, not -0
        let expected_open_crm: f64 = dated
            .iter()
            .map(|&k| {
                crate::metrics::sales::deal_probability(d, rows[k])
                    .filter(|p| p.is_finite())
                    .unwrap_or(0.0)
                    .clamp(0.0, 1.0)
                    * input.deals[k].amount
            })
            .fold(0.0, |a, b| a + b);
        let in_period: f64 =
            input.deals.iter().map(|sd| sd.amount * landing_probability(sd, j)).fold(0.0, |a, b| a + b);
        let run_rate = if input.run_rate_draws[j].is_empty() {
            0.0
        } else {
            input.run_rate_draws[j].iter().sum::<f64>() / input.run_rate_draws[j].len() as f64
        };
        let mut pf = PeriodForecast {
            period: cal.label(*key),
            start: iso(*start),
            end: iso(end - 1),
            closed_so_far: base[j],
            closed_deals: closed_deals[j],
            open_deals: dated.len(),
            past_due_deals: if j == 0 { past_due } else { 0 },
            open_amount: dated.iter().map(|&k| input.deals[k].amount).fold(0.0, |a, b| a + b),
            expected_open,
            expected_open_crm,
            slip_adjustment: in_period - expected_open,
            run_rate,
            run_rate_periods: input.run_rate_draws[j].len(),
            remaining_fraction: rem[j],
            forecast: expected[j],
            mean: None,
            p10: None,
            p50: None,
            p90: None,
            histogram: Vec::new(),
            movers: movers(ds, &input, &rows, &learned.by_row, j),
        };
        if let Some((v, mean)) = &percentiles[j] {
            pf.mean = Some(*mean);
            pf.p10 = Some(quantile_sorted(v, 0.1));
            pf.p50 = Some(quantile_sorted(v, 0.5));
            pf.p90 = Some(quantile_sorted(v, 0.9));
            pf.histogram = histogram(v, HISTOGRAM_BINS);
        }
        out.periods.push(pf);
    }
    if input.run_rate_draws[1].is_empty() {
        out.note(
            "No complete past period in the data: the run-rate of deals not yet created is 0.".into(),
            Message::new("note_no_run_rate"),
        );
    }
    out.method = format!(
        "Forecast = won so far + Σ learned p × amount of open deals dated in the period (past-due deals in the current one) \
         + expected slips in − slips out + run-rate. Slip: a won deal closes one period late with probability {:.0} % ({}) \
         Amount: lognormal multiplier with mean 1 and σ = {dispersion:.3} ({dispersion_source}). \
         Run-rate: mean over the last {} past period(s) of the won amount of deals created and closed within the same remaining part of the \
         period; each simulation draws one of those periods. Monte Carlo: {} seeded runs (seed {}){}; P10/P50/P90 are percentiles of period bookings; \
         movers are ranked by the variance they add. {}",
        slip * 100.0,
        out.slip_source,
        input.run_rate_draws[1].len(),
        runs,
        opts.seed,
        match out.distribution.method.as_str() {
            "simulation_and_moments" => format!(
                ", drawing the {} deals that add the most variance and summing the other {} analytically from their moments",
                out.distribution.simulated_deals, out.distribution.tail_deals
            ),
            _ => String::new(),
        },
        out.win_probability.method
    );
    watch.lap(stage::PIPELINE);
    out
}

fn movers(ds: &Dataset, input: &SimInput, rows: &[usize], by_row: &[f64], period: usize) -> Vec<Mover> {
    let d = &ds.deals;
    let vars: Vec<f64> = input.deals.iter().map(|sd| deal_variance(sd, input.dispersion, period)).collect();
    let total: f64 = vars.iter().sum();
    let mut order: Vec<usize> = (0..input.deals.len()).filter(|&k| vars[k] > 0.0).collect();
    // The top MOVERS by (variance, id, position) — the order a stable sort by (variance, id)
    // gives — by selection, then a sort of those few.
    let mut comparisons = 0usize;
    let mut cmp = |a: &usize, b: &usize| {
        comparisons += 1;
        vars[*b].total_cmp(&vars[*a]).then_with(|| d.id.get(rows[*a]).cmp(d.id.get(rows[*b]))).then(a.cmp(b))
    };
    if order.len() > MOVERS {
        crate::sort::select_nth_by(&mut order, MOVERS, &mut cmp);
        order.truncate(MOVERS);
    }
    crate::sort::sort_by(&mut order, &mut cmp);
    work::add(2 * input.deals.len() + comparisons);
    order
        .into_iter()
        .take(MOVERS)
        .map(|k| {
            let (sd, i) = (&input.deals[k], rows[k]);
            let q = landing_probability(sd, period);
            Mover {
                id: d.id.get(i).to_string(),
                name: d.name.get(i).to_string(),
                owner: d.owner.get(i).to_string(),
                stage: d.stage.get(i).to_string(),
                amount: sd.amount,
                close: iso(d.close[i]),
                p_learned: if by_row[i].is_nan() { sd.p } else { by_row[i] },
                p_crm: crate::metrics::sales::deal_probability(d, i).filter(|p| p.is_finite()),
                p_in_period: q,
                expected: sd.amount * q,
                swing: sd.amount,
                sd: vars[k].sqrt(),
                share_of_variance: if total > 0.0 { vars[k] / total } else { 0.0 },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::day_from_ymd;

    fn push(ds: &mut Dataset, status: Status, close: Day) {
        let id = format!("D{}", ds.deals.len());
        ds.deals.push(crate::model::Deal {
            id: &id,
            owner: "Ann",
            stage: if status == Status::Open { "Proposal" } else { "Closed" },
            status,
            amount: 100.0,
            created: close - 30,
            close,
            ..Default::default()
        });
    }

    #[test]
    fn slip_is_learned_only_when_it_exceeds_the_assumption() {
        let cal = Calendar::default();
        let as_of = day_from_ymd(2024, 6, 15).unwrap();
        let current = cal.key(as_of).unwrap();
        let may = day_from_ymd(2024, 5, 10).unwrap();
        let mut ds = Dataset::default();
        for k in 0..25 {
            push(&mut ds, if k < 10 { Status::Open } else { Status::Won }, may);
        }
        let (s, why, coded) = slip_probability(&ds, &cal, current, as_of, &Measured::default());
        assert!((s - 0.4).abs() < 1e-12 && why.starts_with("learned"), "{s} {why}");
        assert_eq!(coded.code, "slip_observed");
        assert_eq!(coded.params.get("open"), Some(&crate::message::Param::Number(10.0)));
        let mut ds = Dataset::default();
        for k in 0..25 {
            push(&mut ds, if k < 2 { Status::Open } else { Status::Lost }, may);
        }
        let (s, why, coded) = slip_probability(&ds, &cal, current, as_of, &Measured::default());
        assert!(s == DEFAULT_SLIP && why.starts_with("assumed") && why.contains("(8 %)"), "{why}");
        assert_eq!(coded.code, "slip_assumed_observed");
    }

    #[test]
    fn defaults_follow_the_grain() {
        let q = Calendar::default().with_grain(Grain::Quarter);
        let o = PipelineOptions::new(0, q);
        assert_eq!((o.horizon, o.simulations, season_length(q.grain)), (4, 10_000, 4));
        assert_eq!(bounds(&q, q.key(0).unwrap()), Some((0, 90)));
    }
}
