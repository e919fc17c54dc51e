//! The SalesOps lens (SPEC §3): how well the sales team sells.
//!
//! Every function is pure over the deals and options. Deals closed after the as-of date
//! (or created after it) are outside the report; a deal with no close date counts in the
//! whole-data totals but in no period.

use super::periods::{Calendar, PeriodKey};
use super::{ratio, Lens, Metric, Unit};
use crate::model::{Day, Deals, Status, NO_DAY};
use std::collections::BTreeMap;

/// What the lens needs besides the data.
#[derive(Clone, Debug)]
pub struct SalesOptions {
    pub as_of: Day,
    pub calendar: Calendar,
}

/// Default win probability of a stage when the export has none: Salesforce's standard
/// stage probabilities for its standard stage names.
pub fn default_stage_probability(stage: &str) -> Option<f64> {
    let n: String = stage.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let p = match n.as_str() {
        "prospecting" => 0.10,
        "qualification" => 0.10,
        "needsanalysis" => 0.20,
        "valueproposition" => 0.50,
        "iddecisionmakers" | "identifydecisionmakers" => 0.60,
        "perceptionanalysis" => 0.70,
        "proposalpricequote" | "proposal" => 0.75,
        "negotiationreview" | "negotiation" => 0.90,
        _ => return None,
    };
    Some(p)
}

/// Totals over a set of deals, from which most SalesOps numbers follow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub won_count: usize,
    pub lost_count: usize,
    pub open_count: usize,
    /// Σ amount of won deals (bookings).
    pub won_amount: f64,
    pub lost_amount: f64,
    pub open_amount: f64,
    pub weighted_amount: f64,
    /// Won deals with an amount / open deals with an amount.
    pub won_with_amount: usize,
    pub open_with_amount: usize,
    pub lost_with_amount: usize,
    /// Close − created, in days, of won deals that have both dates.
    pub cycle_days: Vec<f64>,
    pub past_due_count: usize,
    pub past_due_amount: f64,
}

impl Totals {
    /// won ÷ (won + lost).
    pub fn win_rate(&self) -> Option<f64> {
        ratio(self.won_count as f64, (self.won_count + self.lost_count) as f64)
    }
    /// won amount ÷ (won + lost amount).
    pub fn win_rate_value(&self) -> Option<f64> {
        ratio(self.won_amount, self.won_amount + self.lost_amount)
    }
    /// won amount ÷ won count (deals with an amount).
    pub fn avg_deal_size(&self) -> Option<f64> {
        ratio(self.won_amount, self.won_with_amount as f64)
    }
    pub fn cycle_mean(&self) -> Option<f64> {
        ratio(self.cycle_days.iter().sum(), self.cycle_days.len() as f64)
    }
    pub fn cycle_median(&self) -> Option<f64> {
        median(&self.cycle_days)
    }
    /// open count × win rate × average deal size ÷ mean cycle days (money per day).
    pub fn sales_velocity(&self) -> Option<f64> {
        let v = self.open_count as f64 * self.win_rate()? * self.avg_deal_size()? / self.cycle_mean()?;
        Some(v)
    }
}

pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// The probability used for the weighted pipeline: the CRM's, else the stage default.
pub fn deal_probability(deals: &Deals, i: usize) -> Option<f64> {
    let p = deals.probability[i];
    if p.is_nan() {
        default_stage_probability(deals.stage.get(i))
    } else {
        Some(p)
    }
}

/// Whether a deal is inside the report window: not created after the as-of date, and if
/// closed, not closed after it.
pub fn in_window(deals: &Deals, i: usize, as_of: Day) -> bool {
    let created_ok = deals.created[i] == NO_DAY || deals.created[i] <= as_of;
    let closed_ok = deals.status[i] == Status::Open || deals.close[i] == NO_DAY || deals.close[i] <= as_of;
    created_ok && closed_ok
}

/// Totals over the deals `rows` (indices), at the as-of date.
pub fn totals(deals: &Deals, rows: impl Iterator<Item = usize>, as_of: Day) -> Totals {
    let mut t = Totals::default();
    for i in rows {
        let amount = deals.amount[i];
        let has_amount = !amount.is_nan();
        match deals.status[i] {
            Status::Won => {
                t.won_count += 1;
                if has_amount {
                    t.won_amount += amount;
                    t.won_with_amount += 1;
                }
                if deals.created[i] != NO_DAY && deals.close[i] != NO_DAY {
                    t.cycle_days.push((deals.close[i] - deals.created[i]) as f64);
                }
            }
            Status::Lost => {
                t.lost_count += 1;
                if has_amount {
                    t.lost_amount += amount;
                    t.lost_with_amount += 1;
                }
            }
            Status::Open => {
                t.open_count += 1;
                if has_amount {
                    t.open_amount += amount;
                    t.open_with_amount += 1;
                    if let Some(p) = deal_probability(deals, i) {
                        t.weighted_amount += amount * p;
                    }
                }
                if deals.close[i] != NO_DAY && deals.close[i] < as_of {
                    t.past_due_count += 1;
                    if has_amount {
                        t.past_due_amount += amount;
                    }
                }
            }
        }
    }
    t
}

/// The headline metrics of a set of deals, each tagged with the same period/breakdown.
pub fn headline(t: &Totals) -> Vec<Metric> {
    use Unit::*;
    let m = |id, unit, v| Metric::new(id, Lens::Salesops, unit, v);
    let closed = t.won_count + t.lost_count;
    vec![
        m("won_count", Count, Some(t.won_count as f64)),
        m("lost_count", Count, Some(t.lost_count as f64)),
        m("open_count", Count, Some(t.open_count as f64)),
        m("bookings", Currency, Some(t.won_amount)).rows(t.won_with_amount, t.won_count - t.won_with_amount),
        m("win_rate", Ratio, t.win_rate()).rows(closed, 0),
        m("win_rate_value", Ratio, t.win_rate_value())
            .rows(t.won_with_amount + t.lost_with_amount, closed - t.won_with_amount - t.lost_with_amount),
        m("avg_deal_size", Currency, t.avg_deal_size()).rows(t.won_with_amount, t.won_count - t.won_with_amount),
        m("sales_cycle_days_median", Days, t.cycle_median()).rows(t.cycle_days.len(), t.won_count - t.cycle_days.len()),
        m("sales_cycle_days_mean", Days, t.cycle_mean()).rows(t.cycle_days.len(), t.won_count - t.cycle_days.len()),
        m("open_pipeline", Currency, Some(t.open_amount)).rows(t.open_with_amount, t.open_count - t.open_with_amount),
        m("weighted_pipeline", Currency, Some(t.weighted_amount))
            .rows(t.open_with_amount, t.open_count - t.open_with_amount),
        m("sales_velocity", CurrencyPerDay, t.sales_velocity()),
        m("past_due", Count, Some(t.past_due_count as f64)),
        m("past_due_amount", Currency, Some(t.past_due_amount)),
    ]
}

/// The SalesOps lens: whole-data values at the as-of date, series per period, breakdowns.
pub fn sales_metrics(deals: &Deals, opts: &SalesOptions) -> Vec<Metric> {
    let as_of = opts.as_of;
    let window: Vec<usize> = (0..deals.len()).filter(|&i| in_window(deals, i, as_of)).collect();
    let mut out = headline(&totals(deals, window.iter().copied(), as_of));

    // Series: closed deals by close period; pipeline created by created period.
    let cal = &opts.calendar;
    let mut closed_by: BTreeMap<PeriodKey, Vec<usize>> = BTreeMap::new();
    let mut created_by: BTreeMap<PeriodKey, (f64, usize)> = BTreeMap::new();
    for &i in &window {
        if deals.status[i] != Status::Open {
            if let Some(k) = cal.key(deals.close[i]) {
                closed_by.entry(k).or_default().push(i);
            }
        }
        if let Some(k) = cal.key(deals.created[i]) {
            let e = created_by.entry(k).or_default();
            if !deals.amount[i].is_nan() {
                e.0 += deals.amount[i];
            }
            e.1 += 1;
        }
    }
    for (k, rows) in &closed_by {
        let t = totals(deals, rows.iter().copied(), as_of);
        let label = cal.label(*k);
        for m in headline(&t).into_iter().filter(|m| SERIES_IDS.contains(&m.id)) {
            out.push(m.period(label.clone()));
        }
    }
    for (k, (amount, n)) in &created_by {
        out.push(
            Metric::new("pipeline_created", Lens::Salesops, Unit::Currency, Some(*amount))
                .period(cal.label(*k))
                .rows(*n, 0),
        );
    }
    // Open pipeline by expected close period.
    let mut open_by: BTreeMap<PeriodKey, f64> = BTreeMap::new();
    for &i in &window {
        if deals.status[i] == Status::Open && !deals.amount[i].is_nan() {
            if let Some(k) = cal.key(deals.close[i]) {
                *open_by.entry(k).or_default() += deals.amount[i];
            }
        }
    }
    for (k, amount) in open_by {
        out.push(
            Metric::new("open_pipeline_by_close_period", Lens::Salesops, Unit::Currency, Some(amount))
                .period(cal.label(k)),
        );
    }
    // Whole-data pipeline created.
    let created_total: f64 = created_by.values().map(|(a, _)| a).sum();
    out.push(Metric::new("pipeline_created", Lens::Salesops, Unit::Currency, Some(created_total)));

    // Breakdowns.
    for (dimension, col) in [
        ("owner", &deals.owner),
        ("region", &deals.region),
        ("lead_source", &deals.lead_source),
        ("type", &deals.deal_type),
        ("stage", &deals.stage),
    ] {
        if col.names().len() <= 1 {
            continue;
        }
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in &window {
            groups.entry(col.get(i)).or_default().push(i);
        }
        for (key, rows) in groups {
            let t = totals(deals, rows.iter().copied(), as_of);
            let ids: &[&str] = if dimension == "stage" {
                &["open_count", "open_pipeline", "weighted_pipeline"]
            } else {
                BREAKDOWN_IDS
            };
            for m in headline(&t).into_iter().filter(|m| ids.contains(&m.id)) {
                out.push(m.by(dimension, key));
            }
        }
    }
    out
}

const SERIES_IDS: &[&str] = &[
    "won_count",
    "lost_count",
    "bookings",
    "win_rate",
    "win_rate_value",
    "avg_deal_size",
    "sales_cycle_days_median",
    "sales_cycle_days_mean",
];
const BREAKDOWN_IDS: &[&str] = &[
    "won_count",
    "lost_count",
    "open_count",
    "bookings",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days_median",
    "open_pipeline",
];
