//! What changed between two exports of the same deals (SPEC §3, "snapshots"): the pipeline
//! waterfall of a window, the stage moves, and what the earlier export predicted for the
//! window against what was won by the later one.
//!
//! The waterfall is summed in cents (each amount rounded to the cent once), so its identity
//! `start − won − lost − pushed_out − pulled_earlier − removed + new + pulled_in + reopened +
//! increased − decreased = end` holds exactly, for the whole pipeline and for every owner.

use super::{Lens, Metric, Unit};
use crate::model::{iso_from_day, Day, Deals, Status, NO_DAY};
use crate::work;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Deals listed by name under each bar (the bar's amount and count cover all of them).
pub const LISTED_PER_BAR: usize = 500;

/// A bar of the waterfall, in the order it is drawn.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bar {
    Start,
    Won,
    Lost,
    PushedOut,
    PulledEarlier,
    Removed,
    New,
    PulledIn,
    Reopened,
    Increased,
    Decreased,
    End,
}

impl Bar {
    pub const ALL: [Bar; 12] = [
        Bar::Start,
        Bar::Won,
        Bar::Lost,
        Bar::PushedOut,
        Bar::PulledEarlier,
        Bar::Removed,
        Bar::New,
        Bar::PulledIn,
        Bar::Reopened,
        Bar::Increased,
        Bar::Decreased,
        Bar::End,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Bar::Start => "start",
            Bar::Won => "won",
            Bar::Lost => "lost",
            Bar::PushedOut => "pushed_out",
            Bar::PulledEarlier => "pulled_earlier",
            Bar::Removed => "removed",
            Bar::New => "new",
            Bar::PulledIn => "pulled_in",
            Bar::Reopened => "reopened",
            Bar::Increased => "increased",
            Bar::Decreased => "decreased",
            Bar::End => "end",
        }
    }

    /// +1 for a bar that adds to the pipeline, −1 for one that takes away, 0 for start and end.
    pub fn sign(self) -> i64 {
        match self {
            Bar::Start | Bar::End => 0,
            Bar::New | Bar::PulledIn | Bar::Reopened | Bar::Increased => 1,
            _ => -1,
        }
    }
}

/// A deal as one bar counts it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WaterfallDeal {
    pub id: String,
    pub name: String,
    pub owner: String,
    /// Stage, close date and amount in the earlier export (None when the deal was not in it).
    pub stage_before: Option<String>,
    pub close_before: Option<String>,
    pub amount_before: Option<f64>,
    /// The same in the later export.
    pub stage_after: Option<String>,
    pub close_after: Option<String>,
    pub amount_after: Option<f64>,
    /// What the deal adds to its bar, whose sign says which way the bar moves the pipeline
    /// (≥ 0 but for a negative amount, a credit, leaving or joining it).
    pub value: f64,
}

/// One bar: its amount, its deals.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WaterfallBar {
    pub bar: Bar,
    pub amount: f64,
    pub count: usize,
    /// The deals, largest first (at most [`LISTED_PER_BAR`]; `count` has them all).
    pub deals: Vec<WaterfallDeal>,
}

/// One owner's bars.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OwnerWaterfall {
    pub owner: String,
    /// Amount per bar, in [`Bar::ALL`] order.
    pub amounts: Vec<f64>,
    pub counts: Vec<usize>,
}

/// The window a waterfall covers: `[start, end]`, both days included.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Window {
    pub start: String,
    pub end: String,
    /// The fiscal quarter's name when the window is one (`2026-Q4`).
    pub label: Option<String>,
    #[serde(skip)]
    pub first_day: Day,
    /// The first day after the window.
    #[serde(skip)]
    pub end_day: Day,
}

impl Window {
    pub fn new(first_day: Day, end_day: Day, label: Option<String>) -> Window {
        Window {
            start: iso_from_day(first_day).unwrap_or_default(),
            end: iso_from_day(end_day - 1).unwrap_or_default(),
            label,
            first_day,
            end_day,
        }
    }
    fn holds(&self, day: Day) -> bool {
        day != NO_DAY && day >= self.first_day && day < self.end_day
    }
}

/// stage_moves: open deals (at both exports) whose stage moved forward or backward in the
/// working order, with the counts per (from, to).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct StageMoves {
    pub forward: usize,
    pub backward: usize,
    /// Open at both exports in the same stage.
    pub unchanged: usize,
    pub moves: Vec<StageMove>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StageMove {
    pub from: String,
    pub to: String,
    pub deals: usize,
    pub amount: f64,
}

/// What the earlier export predicted for the window, and what the later one shows was won.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ForecastAccuracy {
    /// At the earlier export: won in the window so far.
    pub won_before: f64,
    /// At the earlier export: Σ amount × CRM probability of the deals open in the window
    /// (deals without a probability count 0, and are counted in `without_probability`).
    pub crm_weighted: f64,
    pub without_probability: usize,
    /// won_before + crm_weighted: the CRM's forecast.
    pub crm_forecast: f64,
    /// revlens's P50 for the window at the earlier export (its pipeline forecast run on that
    /// export), when the window is the forecast's period.
    pub revlens_p50: Option<f64>,
    /// Why there is no P50.
    pub revlens_note: Option<String>,
    /// The same as a code and its parameters (`accuracy_not_a_quarter`: export, start, end).
    pub revlens_note_coded: Option<crate::message::Message>,
    /// Won in the window, by the later export.
    pub won: f64,
    /// True when the later export is dated after the window's end: `won` is final.
    pub window_complete: bool,
}

/// The comparison of two snapshots.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SnapshotComparison {
    pub from: String,
    pub to: String,
    pub window: Window,
    pub waterfall: Vec<WaterfallBar>,
    pub by_owner: Vec<OwnerWaterfall>,
    pub stage_moves: StageMoves,
    pub forecast_accuracy: ForecastAccuracy,
}

/// An amount in whole cents (a missing amount counts 0).
fn cents(amount: f64) -> i64 {
    if amount.is_finite() {
        (amount * 100.0).round() as i64
    } else {
        0
    }
}

/// First row of each id.
fn rows_by_id(d: &Deals) -> FxHashMap<&str, usize> {
    let mut m: FxHashMap<&str, usize> = FxHashMap::default();
    m.reserve(d.len());
    for i in 0..d.len() {
        let id = d.id.get(i);
        if !id.is_empty() {
            m.entry(id).or_insert(i);
        }
    }
    work::add(d.len());
    m
}

/// A deal's row in one export, if it is there.
type Side<'a> = Option<(&'a Deals, usize)>;

/// Open with a close date in the window.
fn open_in(x: Side<'_>, w: &Window) -> bool {
    x.is_some_and(|(d, i)| d.status[i] == Status::Open && w.holds(d.close[i]))
}

/// Its amount in cents (0 when absent or missing).
fn amount(x: Side<'_>) -> i64 {
    x.map_or(0, |(d, i)| cents(d.amount[i]))
}

/// The bar a deal goes to, and what it adds to it in cents, from its row in the earlier
/// and later export; None when it is in neither the start nor the end, or unchanged.
fn classify(before: Side<'_>, after: Side<'_>, w: &Window) -> Option<(Bar, i64)> {
    match (open_in(before, w), open_in(after, w)) {
        (true, true) => {
            let delta = amount(after) - amount(before);
            match delta.cmp(&0) {
                std::cmp::Ordering::Greater => Some((Bar::Increased, delta)),
                std::cmp::Ordering::Less => Some((Bar::Decreased, -delta)),
                std::cmp::Ordering::Equal => None,
            }
        }
        (true, false) => {
            let a = amount(before);
            let bar = match after {
                None => Bar::Removed,
                Some((d, i)) => match d.status[i] {
                    Status::Won => Bar::Won,
                    Status::Lost => Bar::Lost,
                    // Still open: dated before the window, or after it (or no longer dated).
                    Status::Open if d.close[i] != NO_DAY && d.close[i] < w.first_day => Bar::PulledEarlier,
                    Status::Open => Bar::PushedOut,
                },
            };
            Some((bar, a))
        }
        (false, true) => {
            let bar = match before {
                None => Bar::New,
                Some((d, i)) if d.status[i] == Status::Open => Bar::PulledIn,
                Some(_) => Bar::Reopened,
            };
            Some((bar, amount(after)))
        }
        (false, false) => None,
    }
}

/// The waterfall, stage moves and the CRM side of the forecast's accuracy between the
/// earlier export `a` (dated `a_day`) and the later `b` (dated `b_day`), over window `w`; the
/// stages' working order ranks the moves. Metrics: `pipeline_waterfall` per bar (with the
/// owner beside the bar for the owner split), `stage_moves` per direction.
pub fn compare_snapshots(
    a: &Deals,
    a_day: Day,
    b: &Deals,
    b_day: Day,
    w: Window,
    stage_order: &[String],
) -> (SnapshotComparison, Vec<Metric>) {
    let rows_a = rows_by_id(a);
    let rows_b = rows_by_id(b);
    let mut ids: Vec<&str> =
        rows_a.keys().chain(rows_b.keys().filter(|id| !rows_a.contains_key(*id))).copied().collect();
    crate::sort::sort_by(&mut ids, |x, y| x.cmp(y));
    work::add(2 * ids.len());
    let mut totals: BTreeMap<Bar, (i64, usize)> = BTreeMap::new();
    let mut owners: BTreeMap<String, BTreeMap<Bar, (i64, usize)>> = BTreeMap::new();
    let mut listed: BTreeMap<Bar, Vec<(i64, WaterfallDeal)>> = BTreeMap::new();
    let mut moves = StageMoves::default();
    let mut move_counts: BTreeMap<(usize, usize), (usize, i64)> = BTreeMap::new();
    let rank: FxHashMap<&str, usize> = stage_order.iter().enumerate().map(|(k, s)| (s.as_str(), k)).collect();
    for id in ids {
        let before = rows_a.get(id).map(|&i| (a, i));
        let after = rows_b.get(id).map(|&i| (b, i));
        let owner = after.or(before).map_or("", |(d, i)| d.owner.get(i)).to_string();
        let mut add = |bar: Bar, value: i64| {
            let t = totals.entry(bar).or_default();
            t.0 += value;
            t.1 += 1;
            let o = owners.entry(owner.clone()).or_default().entry(bar).or_default();
            o.0 += value;
            o.1 += 1;
        };
        if open_in(before, &w) {
            add(Bar::Start, amount(before));
        }
        if open_in(after, &w) {
            add(Bar::End, amount(after));
        }
        if let Some((bar, value)) = classify(before, after, &w) {
            add(bar, value);
            let side =
                |x: Side<'_>| x.map(|(d, i)| (d.stage.get(i).to_string(), iso_from_day(d.close[i]), d.amount[i]));
            let (sb, sa) = (side(before), side(after));
            let deal = WaterfallDeal {
                id: id.to_string(),
                name: after.or(before).map_or(String::new(), |(d, i)| d.name.get(i).to_string()),
                owner,
                stage_before: sb.as_ref().map(|s| s.0.clone()),
                close_before: sb.as_ref().and_then(|s| s.1.clone()),
                amount_before: sb.as_ref().map(|s| s.2).filter(|x| x.is_finite()),
                stage_after: sa.as_ref().map(|s| s.0.clone()),
                close_after: sa.as_ref().and_then(|s| s.1.clone()),
                amount_after: sa.as_ref().map(|s| s.2).filter(|x| x.is_finite()),
                value: value as f64 / 100.0,
            };
            listed.entry(bar).or_default().push((value, deal));
        }
        // Stage moves of deals open at both exports.
        if let (Some((da, i)), Some((db, j))) = (before, after) {
            if da.status[i] == Status::Open && db.status[j] == Status::Open {
                match (rank.get(da.stage.get(i)), rank.get(db.stage.get(j))) {
                    (Some(&x), Some(&y)) if x != y => {
                        if y > x {
                            moves.forward += 1;
                        } else {
                            moves.backward += 1;
                        }
                        let e = move_counts.entry((x, y)).or_default();
                        e.0 += 1;
                        e.1 += cents(db.amount[j]);
                    }
                    (Some(_), Some(_)) => moves.unchanged += 1,
                    _ => {}
                }
            }
        }
    }
    moves.moves = move_counts
        .into_iter()
        .map(|((x, y), (n, c))| StageMove {
            from: stage_order[x].clone(),
            to: stage_order[y].clone(),
            deals: n,
            amount: c as f64 / 100.0,
        })
        .collect();
    let mut metrics = Vec::new();
    let mut waterfall = Vec::with_capacity(Bar::ALL.len());
    for bar in Bar::ALL {
        let (c, n) = totals.get(&bar).copied().unwrap_or_default();
        let mut deals = listed.remove(&bar).unwrap_or_default();
        crate::sort::sort_by(&mut deals, |x, y| y.0.cmp(&x.0).then(x.1.id.cmp(&y.1.id)));
        deals.truncate(LISTED_PER_BAR);
        let amount = c as f64 / 100.0;
        let mut m =
            Metric::new("pipeline_waterfall", Lens::Salesops, Unit::Currency, Some(amount)).by("bar", bar.as_str());
        m.rows = Some(n);
        metrics.push(m);
        waterfall.push(WaterfallBar { bar, amount, count: n, deals: deals.into_iter().map(|(_, d)| d).collect() });
    }
    let mut by_owner = Vec::with_capacity(owners.len());
    for (owner, bars) in owners {
        let mut amounts = Vec::with_capacity(Bar::ALL.len());
        let mut counts = Vec::with_capacity(Bar::ALL.len());
        for bar in Bar::ALL {
            let (c, n) = bars.get(&bar).copied().unwrap_or_default();
            amounts.push(c as f64 / 100.0);
            counts.push(n);
            let mut m = Metric::new("pipeline_waterfall", Lens::Salesops, Unit::Currency, Some(c as f64 / 100.0))
                .by("bar", bar.as_str())
                .and_by("owner", &owner);
            m.rows = Some(n);
            metrics.push(m);
        }
        by_owner.push(OwnerWaterfall { owner, amounts, counts });
    }
    for (direction, n) in [("forward", moves.forward), ("backward", moves.backward)] {
        metrics
            .push(Metric::new("stage_moves", Lens::Salesops, Unit::Count, Some(n as f64)).by("direction", direction));
    }
    let forecast_accuracy = crm_accuracy((a, &rows_a, a_day), (b, &rows_b, b_day), &w);
    let comparison = SnapshotComparison {
        from: iso_from_day(a_day).unwrap_or_default(),
        to: iso_from_day(b_day).unwrap_or_default(),
        window: w,
        waterfall,
        by_owner,
        stage_moves: moves,
        forecast_accuracy,
    };
    (comparison, metrics)
}

/// The CRM's forecast of the window at the earlier export (won so far + weighted open
/// pipeline), and what the later export shows won in it.
fn crm_accuracy(
    (a, rows_a, a_day): (&Deals, &FxHashMap<&str, usize>, Day),
    (b, rows_b, b_day): (&Deals, &FxHashMap<&str, usize>, Day),
    w: &Window,
) -> ForecastAccuracy {
    let mut f = ForecastAccuracy::default();
    let (mut won_before, mut weighted, mut won) = (0i64, 0.0, 0i64);
    for &i in rows_a.values() {
        if a.status[i] == Status::Won && w.holds(a.close[i]) && a.close[i] <= a_day {
            won_before += cents(a.amount[i]);
        } else if a.status[i] == Status::Open && w.holds(a.close[i]) {
            let p = a.probability[i];
            if p.is_finite() {
                weighted += a.amount[i].max(0.0) * p;
            } else {
                f.without_probability += 1;
            }
        }
    }
    for &i in rows_b.values() {
        if b.status[i] == Status::Won && w.holds(b.close[i]) && b.close[i] <= b_day {
            won += cents(b.amount[i]);
        }
    }
    f.won_before = won_before as f64 / 100.0;
    f.crm_weighted = weighted;
    f.crm_forecast = f.won_before + weighted;
    f.won = won as f64 / 100.0;
    f.window_complete = b_day >= w.end_day - 1;
    f
}

/// The `forecast_accuracy` metrics: the CRM's forecast, revlens's P50 and what was won.
pub fn accuracy_metrics(f: &ForecastAccuracy) -> Vec<Metric> {
    let mut out = vec![
        Metric::new("forecast_accuracy", Lens::Salesops, Unit::Currency, Some(f.crm_forecast)).by("forecast", "crm"),
        Metric::new("forecast_accuracy", Lens::Salesops, Unit::Currency, Some(f.won)).by("forecast", "won"),
    ];
    if let Some(p50) = f.revlens_p50 {
        out.push(
            Metric::new("forecast_accuracy", Lens::Salesops, Unit::Currency, Some(p50)).by("forecast", "revlens_p50"),
        );
    }
    out
}

#[cfg(test)]
mod tests;
