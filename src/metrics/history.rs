//! The pipeline in time, from stage and field history (SPEC §3, "The pipeline in time"):
//! stage conversion read as a funnel up to Closed Won, days in each stage and the bottleneck,
//! stuck deals, close-date pushes and the slip rate, amount changes.
//!
//! A deal's history is its rows in the stage-history files (and a HubSpot export's `Date
//! entered …` columns), in date order (same-day rows in file order). Only deals of the deals
//! file count: history rows for other ids are a quality finding (`history_unknown_deal`).

use super::periods::Calendar;
use super::sales::StageOrder;
use super::{ratio, Lens, Metric, Unit};
use crate::forecast::output::quantile_sorted;
use crate::ingest::rows::status_from_stage;
use crate::model::{iso_from_day, Dataset, Day, HistoryDeals, StageChanges, Status, NO_DAY, NO_DEAL};
use crate::work;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// The step after the last open stage.
pub const CLOSED_WON: &str = "Closed Won";
/// Won deals a stage needs before its P75 can call an open deal stuck there.
pub const MIN_STUCK_SAMPLE: usize = 3;
/// Deals listed by name in the stuck and pushed lists (the counts and sums cover all).
pub const LISTED_DEALS: usize = 200;

/// Each deal of the deals file (its first row) and its history rows in order, laid out as one
/// list grouped by deal (no allocation per deal), with what each history stage name means
/// worked out once per name, not once per row.
pub struct DealHistories {
    /// The first row of each id in the deals, in row order (a repeated id's copies are left out).
    pub deals: Vec<u32>,
    /// History rows grouped by deal row: deal row `i`'s are `rows[start[i]..start[i + 1]]`, by
    /// date (same day: in file order).
    start: Vec<u32>,
    rows: Vec<u32>,
    /// (day, stage code) of each of `rows`, in the same order.
    entries: Vec<(Day, u32)>,
    /// Deals (first rows) with at least one history row.
    pub with_history: usize,
    /// Per history stage code: the status its name implies ([`Status::Open`] for an empty one,
    /// a row that changes only the close date or amount; see `stage_empty`).
    stage_status: Vec<Status>,
    stage_empty: Vec<bool>,
    /// Per deal row, the first row with its id ([`HistoryDeals::first_row`]).
    first_row: Vec<u32>,
    /// History rows without a deal id ([`HistoryDeals::empty_id_rows`]).
    empty_id_rows: Vec<u32>,
}

impl DealHistories {
    /// [`DealHistories::of`], finding each history row's deal first.
    pub fn new(ds: &Dataset) -> DealHistories {
        DealHistories::of(ds, &HistoryDeals::new(&ds.deals, &ds.stage_changes))
    }

    /// The deals' histories, from each history row's deal as `found` gives it (found once for
    /// every reader of the history).
    pub fn of(ds: &Dataset, found: &HistoryDeals) -> DealHistories {
        let d = &ds.deals;
        let h = &ds.stage_changes;
        let deals: Vec<u32> = (0..d.len() as u32).filter(|&i| found.first_row[i as usize] == i).collect();
        // Counting sort of the history rows by their deal's row.
        let owner = &found.deal_row;
        let mut start = vec![0u32; d.len() + 1];
        for &i in owner {
            if i != NO_DEAL {
                start[i as usize + 1] += 1;
            }
        }
        for i in 0..d.len() {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut rows = vec![0u32; start[d.len()] as usize];
        for (k, &i) in owner.iter().enumerate() {
            if i != NO_DEAL {
                rows[next[i as usize] as usize] = k as u32;
                next[i as usize] += 1;
            }
        }
        work::add(2 * d.len() + 2 * h.len());
        let mut comparisons = 0usize;
        let mut with_history = 0;
        // Each deal's sort keys gathered once (its rows are scattered over a time-ordered export),
        // with the row last: its rows are in row order, so that is what a stable sort keeps.
        let mut keys: Vec<(Day, u32, u32, u32)> = Vec::new();
        for i in 0..d.len() {
            let path = &mut rows[start[i] as usize..start[i + 1] as usize];
            with_history += usize::from(!path.is_empty());
            if path.len() < 2 {
                continue;
            }
            keys.clear();
            keys.extend(path.iter().map(|&k| {
                let o = h.origin[k as usize];
                (h.at[k as usize], o.file, o.line, k)
            }));
            // A deal's own rows: their number does not grow with the number of deals.
            crate::sort::sort_by(&mut keys, |a, b| {
                comparisons += 1;
                a.cmp(b)
            });
            for (row, key) in path.iter_mut().zip(&keys) {
                *row = key.3;
            }
        }
        work::add(comparisons);
        // Read in deal order by every reader: gathered once, here.
        let entries = rows.iter().map(|&k| (h.at[k as usize], h.stage.codes.get(k as usize))).collect();
        work::add(rows.len());
        let names = h.stage.names();
        let stage_status =
            names.iter().map(|n| if n.is_empty() { Status::Open } else { status_from_stage(n) }).collect();
        let stage_empty = names.iter().map(str::is_empty).collect();
        work::add(names.len());
        DealHistories {
            deals,
            start,
            rows,
            entries,
            with_history,
            stage_status,
            stage_empty,
            first_row: found.first_row.clone(),
            empty_id_rows: found.empty_id_rows.clone(),
        }
    }

    /// The (day, stage code) of the history rows of deal row `i`'s id, whichever of its rows `i`
    /// is, appended to `out`: those of its first row, in order; for a row without an id, those
    /// of the history rows without one, in row order.
    pub fn entries_of_id(&self, h: &StageChanges, i: usize, out: &mut Vec<(Day, u32)>) {
        match self.first_row.get(i) {
            Some(&NO_DEAL) => {
                out.extend(self.empty_id_rows.iter().map(|&k| (h.at[k as usize], h.stage.codes.get(k as usize))))
            }
            Some(&first) => out.extend_from_slice(self.entries_of(first as usize)),
            None => {}
        }
    }

    /// Deal row `i`'s history rows, in order.
    pub fn rows_of(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The (day, stage code) of deal row `i`'s history rows, in order (rows with no stage
    /// included).
    pub fn entries_of(&self, i: usize) -> &[(Day, u32)] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The stage codes deal row `i` entered, in order (rows with a stage).
    pub fn stage_codes(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        self.stage_entries(i).map(|(_, code)| code)
    }

    /// The stage entries of deal row `i` (rows with a stage): day and stage code, in order.
    fn stage_entries(&self, i: usize) -> impl Iterator<Item = (Day, u32)> + '_ {
        self.entries_of(i).iter().copied().filter(|&(_, code)| !self.stage_empty[code as usize])
    }
}

/// Keeps the first `n` of `v` in the order of `cmp`, in that order: a selection, then a sort of
/// those `n` only (`cmp` must be total, no two elements equal, for that to be what sorting all
/// and keeping `n` gives).
fn first_in_order<T>(v: &mut Vec<T>, n: usize, mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    work::add(v.len());
    if v.len() > n {
        if n == 0 {
            v.clear();
            return;
        }
        crate::sort::select_nth_by(v, n - 1, &mut cmp);
        v.truncate(n);
    }
    crate::sort::sort_by(v, cmp);
}

/// Each name of a symbol column → its place in `order` (None when not there), once per name.
fn places(names: crate::model::Names<'_>, order: &FxHashMap<&str, usize>) -> Vec<Option<usize>> {
    work::add(names.len());
    names.iter().map(|n| order.get(n).copied()).collect()
}

/// stage_conversion (SPEC §3), read as CRM funnel reports read it: of the deals that reached
/// stage k *or any later stage*, the share that reached k+1 or any later stage. The steps run
/// over the open stages in order and then [`CLOSED_WON`]. A deal that skipped a stage and went
/// on passed it; a lost deal reached the stages it entered before it was lost; a won deal
/// reached them all; an open deal reached its current stage. With stage history, "reached" is
/// the furthest stage a deal's history or current state shows; without it, it is inferred
/// from the current stage (lost deals, whose last stage is unknown, are left out) and every
/// step says `method: inferred`. Each step gives its counts (`reached`, `went_on`): for the
/// whole data, per owner and per created period (`period` = the period the deals were created
/// in).
pub fn stage_conversion(ds: &Dataset, order: &StageOrder, histories: &DealHistories, cal: &Calendar) -> Vec<Metric> {
    let d = &ds.deals;
    let n = order.stages.len();
    if n == 0 {
        return Vec::new();
    }
    let index: FxHashMap<&str, usize> = order.stages.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let deal_place = places(d.stage.names(), &index);
    let mut history_place = places(ds.stage_changes.stage.names(), &index);
    for (place, status) in history_place.iter_mut().zip(&histories.stage_status) {
        if *status == Status::Won {
            *place = Some(n);
        }
    }
    let with_history = histories.with_history > 0;
    // Furthest step each deal reached (n = Closed Won), for the deals whose furthest is known.
    let mut furthest: Vec<(usize, usize)> = Vec::with_capacity(histories.deals.len());
    let mut excluded = 0usize;
    work::add(histories.deals.len() + ds.stage_changes.len());
    for &i in &histories.deals {
        let i = i as usize;
        let mut f: Option<usize> = match d.status[i] {
            Status::Won => Some(n),
            Status::Open => deal_place[d.stage.codes.get(i) as usize],
            Status::Lost => None,
        };
        if with_history {
            for (_, code) in histories.stage_entries(i) {
                if let Some(k) = history_place[code as usize] {
                    f = Some(f.map_or(k, |x| x.max(k)));
                }
            }
        }
        match f {
            Some(k) => furthest.push((i, k)),
            None => excluded += 1,
        }
    }
    let steps = |rows: &mut dyn Iterator<Item = usize>| {
        let mut reached = vec![0usize; n + 1];
        for k in rows {
            for r in reached.iter_mut().take(k + 1) {
                *r += 1;
            }
        }
        reached
    };
    work::add(furthest.len() * (n + 1) * 3);
    let step_metrics = |reached: &[usize], out: &mut Vec<Metric>, extra: &dyn Fn(Metric) -> Metric| {
        for k in 0..n {
            let to = if k + 1 < n { order.stages[k + 1].as_str() } else { CLOSED_WON };
            let mut m = Metric::new(
                "stage_conversion",
                Lens::Salesops,
                Unit::Ratio,
                ratio(reached[k + 1] as f64, reached[k] as f64),
            )
            .by("from", &order.stages[k])
            .and_by("to", to)
            .counts(&[("reached", reached[k]), ("went_on", reached[k + 1])]);
            m.rows = Some(reached[k]);
            if order.inferred {
                m = m.and_by("method", "inferred");
            }
            out.push(extra(m));
        }
    };
    let mut out = Vec::new();
    let whole = steps(&mut furthest.iter().map(|&(_, k)| k));
    step_metrics(&whole, &mut out, &|m| {
        let mut m = m;
        m.excluded = (excluded > 0).then_some(excluded);
        m
    });
    // Per owner and per created period.
    let mut by_owner: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_created: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for &(i, k) in &furthest {
        by_owner.entry(d.owner.get(i)).or_default().push(k);
        if let Some(key) = (d.created[i] != NO_DAY).then(|| cal.key(d.created[i])).flatten() {
            by_created.entry(key.0).or_default().push(k);
        }
    }
    if by_owner.len() > 1 || by_owner.keys().any(|o| !o.is_empty()) {
        for (owner, ks) in &by_owner {
            let reached = steps(&mut ks.iter().copied());
            step_metrics(&reached, &mut out, &|m| m.and_by("owner", owner));
        }
    }
    for (key, ks) in &by_created {
        let reached = steps(&mut ks.iter().copied());
        let label = cal.label(super::periods::PeriodKey(*key));
        step_metrics(&reached, &mut out, &|m| m.period(label.clone()));
    }
    out
}

/// Days in one stage, over the deals of one outcome.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DurationStats {
    pub deals: usize,
    pub median: Option<f64>,
    pub mean: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
}

impl DurationStats {
    fn of(mut days: Vec<f64>) -> DurationStats {
        if days.is_empty() {
            return DurationStats::default();
        }
        crate::sort::sort_f64(&mut days);
        let q = |p| Some(quantile_sorted(&days, p));
        DurationStats {
            deals: days.len(),
            median: q(0.5),
            mean: Some(days.iter().sum::<f64>() / days.len() as f64),
            p75: q(0.75),
            p90: q(0.9),
        }
    }
}

/// Time in one open stage.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StageTime {
    pub stage: String,
    /// Days won deals spent in the stage (a deal's visits to it added up).
    pub won: DurationStats,
    pub lost: DurationStats,
    /// Days spent in the stage by the deals that were won or lost.
    pub deal_days: f64,
    /// Open deals in the stage now (by their history) and their median days there so far.
    pub open_now: usize,
    pub open_median_days: Option<f64>,
}

/// An open deal that has sat in its stage longer than won deals usually did.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StuckDeal {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub stage: String,
    pub amount: Option<f64>,
    pub close: Option<String>,
    /// Since the deal entered its current stage.
    pub entered: String,
    pub days_in_stage: f64,
    /// P75 of the days won deals spent in the stage.
    pub p75_won_days: f64,
}

/// stuck_deals: open deals in their current stage longer than the P75 of the days won deals
/// spent there.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct StuckDeals {
    pub count: usize,
    pub amount: f64,
    /// Open deals that could be judged (their history shows when they entered their current
    /// stage, and at least [`MIN_STUCK_SAMPLE`] won deals passed through it).
    pub evaluated: usize,
    /// Open deals that could not be, and why.
    pub not_evaluated: usize,
    /// The stuck deals, longest over their stage's P75 first (at most [`LISTED_DEALS`]).
    pub deals: Vec<StuckDeal>,
}

/// A deal whose close date was moved later.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PushedDeal {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub status: Status,
    pub pushes: usize,
    pub first_close: String,
    pub last_close: String,
    /// Days between the first and the last close date the history shows.
    pub days_moved: i64,
    pub amount: Option<f64>,
}

/// close_date_pushes and slip_rate, from the history rows that carry a close date.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct CloseDateChanges {
    /// Deals whose history carries a close date (any status).
    pub deals_measured: usize,
    /// Times a close date moved later, over those deals.
    pub pushes: usize,
    /// Closed deals, and of them those with close dates in their history.
    pub closed_deals: usize,
    pub closed_measured: usize,
    /// Closed deals whose close date moved later at least once.
    pub closed_pushed: usize,
    /// closed_pushed ÷ closed_measured.
    pub slip_rate: Option<f64>,
    /// Won deals with close dates in their history, and those whose close date moved into a
    /// later period (the report's grain) at least once: the Monte Carlo's slip.
    pub won_measured: usize,
    pub won_slipped_period: usize,
    /// Deals with the most pushes (at most [`LISTED_DEALS`]).
    pub deals: Vec<PushedDeal>,
}

/// Amount changes, from the history rows that carry an amount.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct AmountChanges {
    /// Closed deals whose history carries an amount, and those whose amount changed.
    pub closed_measured: usize,
    pub closed_changed: usize,
    /// closed_changed ÷ closed_measured.
    pub change_rate: Option<f64>,
    /// Won deals with a positive amount in their history and at close: σ of ln(amount at close
    /// ÷ first amount in the history), the Monte Carlo's amount dispersion.
    pub won_measured: usize,
    pub dispersion: Option<f64>,
    /// Of the changed closed deals: those that ended higher, and lower, than they started.
    pub increased: usize,
    pub decreased: usize,
}

/// What the stage and field history say about the pipeline in time.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct PipelineHistory {
    /// Deals of the deals file with history rows.
    pub deals_with_history: usize,
    /// Time in each open stage, in working order.
    pub stages: Vec<StageTime>,
    /// The stage where won and lost deals spent the most deal-days.
    pub bottleneck: Option<String>,
    pub stuck: StuckDeals,
    pub close_dates: CloseDateChanges,
    pub amounts: AmountChanges,
}

/// Time in stage, the bottleneck, stuck deals, close-date and amount changes, with their
/// metrics (SPEC §3): `stage_duration_days` by stage, outcome and statistic;
/// `stage_bottleneck`; `stuck_deals` and `stuck_deals_amount`; `close_date_pushes` and
/// `slip_rate`; `amount_change_rate`.
pub fn pipeline_history(
    ds: &Dataset,
    order: &StageOrder,
    histories: &DealHistories,
    cal: &Calendar,
    as_of: Day,
) -> (PipelineHistory, Vec<Metric>) {
    let d = &ds.deals;
    let h = &ds.stage_changes;
    let mut out = PipelineHistory { deals_with_history: histories.with_history, ..Default::default() };
    let mut metrics = Vec::new();
    if histories.with_history == 0 {
        return (out, metrics);
    }
    // Stages in working order, then any other open stage the history names; each history and
    // deal stage code's place among them, worked out once per name.
    let mut stage_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    for s in order.stages.iter().map(String::as_str) {
        stage_index.insert(s, names.len());
        names.push(s);
    }
    let history_names = h.stage.names();
    let mut visit_place: Vec<Option<usize>> = Vec::with_capacity(history_names.len());
    for (code, name) in history_names.iter().enumerate() {
        let open = !histories.stage_empty[code] && histories.stage_status[code] == Status::Open;
        visit_place.push(open.then(|| {
            *stage_index.entry(name).or_insert_with(|| {
                names.push(name);
                names.len() - 1
            })
        }));
    }
    let deal_place = places(d.stage.names(), &stage_index);
    let mut won_days: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut lost_days: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut open_days: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    // Open deals: (row, stage index, day entered, days there).
    let mut open_in_stage: Vec<(usize, usize, Day, f64)> = Vec::new();
    let mut not_evaluated = 0usize;
    let mut per_deal: Vec<f64> = vec![f64::NAN; names.len()];
    let mut entries: Vec<(Day, u32)> = Vec::new();
    work::add(histories.deals.len() + h.len());
    for &i in &histories.deals {
        let i = i as usize;
        entries.clear();
        entries.extend(histories.stage_entries(i));
        if entries.is_empty() {
            // An open deal with no stage history cannot be judged.
            not_evaluated += usize::from(d.status[i] == Status::Open);
            continue;
        }
        per_deal.fill(f64::NAN);
        // Visits: a stage entered and left when the next different stage is entered.
        let mut k = 0;
        let mut current: Option<(usize, Day)> = None;
        while k < entries.len() {
            let (at, code) = entries[k];
            let mut next = k + 1;
            while next < entries.len() && entries[next].1 == code {
                next += 1;
            }
            let left = entries.get(next).map(|e| e.0);
            match visit_place[code as usize].filter(|_| at <= as_of) {
                Some(s) => match left.filter(|&l| l <= as_of) {
                    Some(l) => {
                        let days = f64::from(l - at);
                        per_deal[s] = if per_deal[s].is_nan() { days } else { per_deal[s] + days };
                        current = None;
                    }
                    None => current = Some((s, at)),
                },
                None => current = None,
            }
            k = next;
        }
        match d.status[i] {
            Status::Won | Status::Lost => {
                let into = if d.status[i] == Status::Won { &mut won_days } else { &mut lost_days };
                for (s, &days) in per_deal.iter().enumerate() {
                    if !days.is_nan() {
                        into[s].push(days);
                    }
                }
            }
            Status::Open => match current {
                Some((s, at)) if deal_place[d.stage.codes.get(i) as usize] == Some(s) => {
                    let days = f64::from(as_of - at);
                    open_days[s].push(days);
                    open_in_stage.push((i, s, at, days));
                }
                _ => not_evaluated += 1,
            },
        }
    }
    let mut bottleneck: Option<(usize, f64)> = None;
    for s in 0..names.len() {
        let deal_days: f64 = won_days[s].iter().chain(lost_days[s].iter()).sum();
        let mut open = std::mem::take(&mut open_days[s]);
        crate::sort::sort_f64(&mut open);
        let won = DurationStats::of(won_days[s].clone());
        let lost = DurationStats::of(std::mem::take(&mut lost_days[s]));
        for (outcome, stats) in [("won", &won), ("lost", &lost)] {
            for (stat, value) in
                [("median", stats.median), ("mean", stats.mean), ("p75", stats.p75), ("p90", stats.p90)]
            {
                if stats.deals == 0 {
                    continue;
                }
                let mut m = Metric::new("stage_duration_days", Lens::Salesops, Unit::Days, value)
                    .by("stage", names[s])
                    .and_by("outcome", outcome)
                    .and_by("stat", stat);
                m.rows = Some(stats.deals);
                metrics.push(m);
            }
        }
        if deal_days > 0.0 && bottleneck.is_none_or(|(_, best)| deal_days > best) {
            bottleneck = Some((s, deal_days));
        }
        out.stages.push(StageTime {
            stage: names[s].to_string(),
            won,
            lost,
            deal_days,
            open_now: open.len(),
            open_median_days: (!open.is_empty()).then(|| quantile_sorted(&open, 0.5)),
        });
    }
    if let Some((s, days)) = bottleneck {
        out.bottleneck = Some(names[s].to_string());
        metrics.push(Metric::new("stage_bottleneck", Lens::Salesops, Unit::Days, Some(days)).by("stage", names[s]));
    }
    // Stuck: over the P75 of won deals' days in the stage. Only the listed ones are written
    // out: the others are counted.
    let mut stuck: Vec<(f64, usize, usize, Day, f64, f64)> = Vec::new();
    for &(i, s, at, days) in &open_in_stage {
        let won = &out.stages[s].won;
        let Some(p75) = won.p75.filter(|_| won.deals >= MIN_STUCK_SAMPLE) else {
            not_evaluated += 1;
            continue;
        };
        out.stuck.evaluated += 1;
        if days > p75 {
            let amount = d.amount[i];
            out.stuck.count += 1;
            if amount.is_finite() {
                out.stuck.amount += amount;
            }
            stuck.push((days - p75, i, s, at, days, p75));
        }
    }
    out.stuck.not_evaluated = not_evaluated;
    // Longest over first, then by id (the deals' ids differ: the order is total).
    first_in_order(&mut stuck, LISTED_DEALS, |a, b| b.0.total_cmp(&a.0).then(d.id.get(a.1).cmp(d.id.get(b.1))));
    out.stuck.deals = stuck
        .into_iter()
        .map(|(_, i, s, at, days, p75)| StuckDeal {
            id: d.id.get(i).to_string(),
            name: d.name.get(i).to_string(),
            owner: d.owner.get(i).to_string(),
            stage: names[s].to_string(),
            amount: d.amount[i].is_finite().then_some(d.amount[i]),
            close: iso_from_day(d.close[i]),
            entered: iso_from_day(at).unwrap_or_default(),
            days_in_stage: days,
            p75_won_days: p75,
        })
        .collect();
    let judged = out.stuck.evaluated;
    metrics.push(
        Metric::new("stuck_deals", Lens::Salesops, Unit::Count, (judged > 0).then_some(out.stuck.count as f64))
            .rows(judged, out.stuck.not_evaluated),
    );
    metrics.push(
        Metric::new("stuck_deals_amount", Lens::Salesops, Unit::Currency, (judged > 0).then_some(out.stuck.amount))
            .rows(judged, out.stuck.not_evaluated),
    );
    (out.close_dates, out.amounts) = changes(ds, histories, cal);
    let c = &out.close_dates;
    metrics.push(
        Metric::new(
            "close_date_pushes",
            Lens::Salesops,
            Unit::Count,
            (c.deals_measured > 0).then_some(c.pushes as f64),
        )
        .rows(c.deals_measured, 0),
    );
    metrics.push(
        Metric::new("slip_rate", Lens::Salesops, Unit::Ratio, c.slip_rate)
            .rows(c.closed_measured, c.closed_deals - c.closed_measured),
    );
    let a = &out.amounts;
    if a.closed_measured > 0 {
        metrics.push(
            Metric::new("amount_change_rate", Lens::Salesops, Unit::Ratio, a.change_rate).rows(a.closed_measured, 0),
        );
    }
    (out, metrics)
}

/// Close-date pushes and amount changes per deal, over the history rows that carry them.
fn changes(ds: &Dataset, histories: &DealHistories, cal: &Calendar) -> (CloseDateChanges, AmountChanges) {
    let d = &ds.deals;
    let h = &ds.stage_changes;
    let mut c = CloseDateChanges::default();
    let mut a = AmountChanges::default();
    work::add(histories.deals.len() + h.len());
    // (pushes, first close, last close, deal row) of the deals whose close date moved later.
    let mut pushed: Vec<(usize, Day, Day, usize)> = Vec::new();
    let mut log_ratios: Vec<f64> = Vec::new();
    let (mut closes, mut amounts): (Vec<Day>, Vec<f64>) = (Vec::new(), Vec::new());
    for &i in &histories.deals {
        let i = i as usize;
        let closed = d.status[i] != Status::Open;
        c.closed_deals += usize::from(closed);
        let path = histories.rows_of(i);
        closes.clear();
        closes.extend(path.iter().map(|&k| h.close[k as usize]).filter(|&x| x != NO_DAY));
        amounts.clear();
        amounts.extend(path.iter().map(|&k| h.amount[k as usize]).filter(|x| !x.is_nan()));
        if !closes.is_empty() {
            c.deals_measured += 1;
            let pushes = closes.windows(2).filter(|w| w[1] > w[0]).count();
            c.pushes += pushes;
            if closed {
                c.closed_measured += 1;
                c.closed_pushed += usize::from(pushes > 0);
            }
            if d.status[i] == Status::Won {
                c.won_measured += 1;
                let later_period = closes.windows(2).any(|w| match (cal.key(w[0]), cal.key(w[1])) {
                    (Some(x), Some(y)) => y > x,
                    _ => false,
                });
                c.won_slipped_period += usize::from(later_period);
            }
            if pushes > 0 {
                pushed.push((pushes, closes[0], closes[closes.len() - 1], i));
            }
        }
        if !amounts.is_empty() {
            if closed {
                a.closed_measured += 1;
                let changed = amounts.windows(2).any(|w| w[1] != w[0]);
                if changed {
                    a.closed_changed += 1;
                    let (first, last) = (amounts[0], amounts[amounts.len() - 1]);
                    if last > first {
                        a.increased += 1;
                    } else if last < first {
                        a.decreased += 1;
                    }
                }
            }
            let (first, at_close) = (amounts[0], d.amount[i]);
            if d.status[i] == Status::Won && first > 0.0 && at_close > 0.0 {
                log_ratios.push((at_close / first).ln());
            }
        }
    }
    c.slip_rate = ratio(c.closed_pushed as f64, c.closed_measured as f64);
    a.change_rate = ratio(a.closed_changed as f64, a.closed_measured as f64);
    a.won_measured = log_ratios.len();
    if !log_ratios.is_empty() {
        a.dispersion = Some((log_ratios.iter().map(|x| x * x).sum::<f64>() / log_ratios.len() as f64).sqrt());
    }
    // Most pushes first, then most days moved, then by id (the deals' ids differ: the order is
    // total). Only the listed ones are written out.
    let days_moved = |first: Day, last: Day| i64::from(last - first);
    first_in_order(&mut pushed, LISTED_DEALS, |x, y| {
        (y.0.cmp(&x.0)).then(days_moved(y.1, y.2).cmp(&days_moved(x.1, x.2))).then(d.id.get(x.3).cmp(d.id.get(y.3)))
    });
    c.deals = pushed
        .into_iter()
        .map(|(pushes, first, last, i)| PushedDeal {
            id: d.id.get(i).to_string(),
            name: d.name.get(i).to_string(),
            owner: d.owner.get(i).to_string(),
            status: d.status[i],
            pushes,
            first_close: iso_from_day(first).unwrap_or_default(),
            last_close: iso_from_day(last).unwrap_or_default(),
            days_moved: days_moved(first, last),
            amount: d.amount[i].is_finite().then_some(d.amount[i]),
        })
        .collect();
    (c, a)
}

#[cfg(test)]
mod tests;
