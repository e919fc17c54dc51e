//! The SalesOps lens (SPEC §3): how well the sales team sells.
//!
//! Every function is pure over the deals and options. Deals closed after the as-of date
//! (or created after it) are outside the report; a deal with no close date counts in the
//! whole-data totals but in no period.

use super::periods::{Calendar, PeriodKey};
use super::{ratio, Lens, Metric, Unit};
use crate::message::Message;
use crate::model::{Crm, Day, Deals, Status, Sym, NO_DAY};
use std::collections::BTreeMap;

/// What the lens needs besides the data.
#[derive(Clone, Debug)]
pub struct SalesOptions {
    pub as_of: Day,
    pub calendar: Calendar,
}

/// Salesforce's standard open stages in order, with their default probabilities.
const STANDARD_STAGES: &[(&str, f64)] = &[
    ("prospecting", 0.10),
    ("qualification", 0.10),
    ("needsanalysis", 0.20),
    ("valueproposition", 0.50),
    ("iddecisionmakers", 0.60),
    ("identifydecisionmakers", 0.60),
    ("perceptionanalysis", 0.70),
    ("proposalpricequote", 0.75),
    ("proposal", 0.75),
    ("negotiationreview", 0.90),
    ("negotiation", 0.90),
];

fn standard_stage(stage: &str) -> Option<(usize, f64)> {
    let n = stage_key(stage);
    STANDARD_STAGES.iter().position(|(s, _)| *s == n).map(|i| (i, STANDARD_STAGES[i].1))
}

/// Salesforce's standard stage names (lower-case letters and digits) with their probabilities.
pub fn standard_stage_probabilities() -> &'static [(&'static str, f64)] {
    STANDARD_STAGES
}

/// Default win probability of a stage when the export has none: Salesforce's standard
/// stage probabilities for its standard stage names.
pub fn default_stage_probability(stage: &str) -> Option<f64> {
    standard_stage(stage).map(|(_, p)| p)
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

/// The median (the mean of the two middle values for an even count), found by selection in
/// linear time rather than by sorting.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    let n = v.len();
    let mut comparisons = 0usize;
    let mid = *crate::sort::select_nth_by(&mut v, n / 2, |a, b| {
        comparisons += 1;
        a.total_cmp(b)
    });
    // For an even count the other middle value is the largest of the lower part.
    let below = if n.is_multiple_of(2) { v[..n / 2].iter().copied().max_by(f64::total_cmp) } else { None };
    crate::work::add(n + comparisons);
    Some(match below {
        Some(b) => (b + mid) / 2.0,
        None => mid,
    })
}

/// HubSpot's default sales pipeline: its deal stages with their default deal probabilities.
/// The key is the stage's internal id (`appointmentscheduled`), which is also the letters and
/// digits of its label ("Appointment Scheduled", "Decision Maker Bought-In") lower-cased, so
/// one key matches both forms an export can carry. Sources: HubSpot Knowledge Base, "Set up
/// and customize your deal pipelines and deal stages"
/// (knowledge.hubspot.com/object-settings/set-up-and-customize-your-deal-pipelines-and-deal-stages:
/// each stage carries a deal probability), with the default pipeline's stages and values as
/// listed in hublead.io/blog/hubspot-deal-stages ("Appointment Scheduled (20%) … Closed Lost
/// (0%)"); read 2026-12-07. Pipedrive has no such table: its stage probability is 100% for
/// every stage until an admin sets it (support.pipedrive.com/en/article/probability-in-pipedrive),
/// which says nothing of the chance to win, so Pipedrive deals keep the rule below.
pub const HUBSPOT_DEFAULT_STAGES: &[(&str, f64)] = &[
    ("appointmentscheduled", 0.20),
    ("qualifiedtobuy", 0.40),
    ("presentationscheduled", 0.60),
    ("decisionmakerboughtin", 0.80),
    ("contractsent", 0.90),
    ("closedwon", 1.0),
    ("closedlost", 0.0),
];

/// Which rule gave a deal the probability the weighted pipeline uses.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilityRule {
    /// The export's own probability.
    Crm,
    /// A HubSpot export's deal in a stage of HubSpot's default pipeline, without a probability:
    /// [`HUBSPOT_DEFAULT_STAGES`].
    HubspotDefault,
    /// A deal without a probability in one of Salesforce's standard stages
    /// ([`standard_stage_probabilities`]), whatever the export.
    StandardStage,
}

impl ProbabilityRule {
    pub const ALL: [ProbabilityRule; 3] =
        [ProbabilityRule::Crm, ProbabilityRule::HubspotDefault, ProbabilityRule::StandardStage];

    pub fn as_str(self) -> &'static str {
        match self {
            ProbabilityRule::Crm => "crm",
            ProbabilityRule::HubspotDefault => "hubspot_default",
            ProbabilityRule::StandardStage => "standard_stage",
        }
    }
}

/// A stage name's letters and digits, lower-cased (how stage tables are matched).
fn stage_key(stage: &str) -> String {
    stage.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// HubSpot's default probability of a stage of its default pipeline (internal id or label).
pub fn hubspot_default_probability(stage: &str) -> Option<f64> {
    let key = stage_key(stage);
    HUBSPOT_DEFAULT_STAGES.iter().find(|(s, _)| *s == key).map(|(_, p)| *p)
}

/// The probability the weighted pipeline uses and the rule that gave it: the CRM's; else, for
/// a deal of a HubSpot export in a default-pipeline stage, HubSpot's default; else the
/// Salesforce standard stage's default; else none.
pub fn probability_with_rule(deals: &Deals, i: usize) -> Option<(f64, ProbabilityRule)> {
    let p = deals.probability[i];
    if !p.is_nan() {
        return Some((p, ProbabilityRule::Crm));
    }
    let stage = deals.stage.get(i);
    if deals.crm(i) == Crm::Hubspot {
        if let Some(p) = hubspot_default_probability(stage) {
            return Some((p, ProbabilityRule::HubspotDefault));
        }
    }
    default_stage_probability(stage).map(|p| (p, ProbabilityRule::StandardStage))
}

/// The probability used for the weighted pipeline ([`probability_with_rule`]).
pub fn deal_probability(deals: &Deals, i: usize) -> Option<f64> {
    probability_with_rule(deals, i).map(|(p, _)| p)
}

/// Where the weighted pipeline's probabilities came from: the open deals of the report window
/// by the rule that gave theirs, those with none (they weigh nothing), and the same said in
/// words and as a code (`probability_rules`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ProbabilitySources {
    pub crm: usize,
    pub hubspot_default: usize,
    pub standard_stage: usize,
    pub none: usize,
    pub text: String,
    pub coded: Message,
}

/// [`ProbabilitySources`] of the open deals in the report window.
pub fn probability_sources(deals: &Deals, as_of: Day) -> ProbabilitySources {
    let mut by_rule = [0usize; 3];
    let mut none = 0;
    for i in (0..deals.len()).filter(|&i| deals.status[i] == Status::Open && in_window(deals, i, as_of)) {
        match probability_with_rule(deals, i) {
            Some((_, rule)) => by_rule[ProbabilityRule::ALL.iter().position(|r| *r == rule).unwrap_or(0)] += 1,
            None => none += 1,
        }
    }
    let [crm, hubspot_default, standard_stage] = by_rule;
    let text = format!(
        "Weighted pipeline probabilities of the open deals — from the export: {crm}; HubSpot’s \
         default for the stage: {hubspot_default}; Salesforce’s standard for the stage: \
         {standard_stage}; none (they weigh nothing): {none}."
    );
    let coded = Message::new("probability_rules")
        .with("crm", crm)
        .with("hubspot_default", hubspot_default)
        .with("standard_stage", standard_stage)
        .with("none", none);
    ProbabilitySources { crm, hubspot_default, standard_stage, none, text, coded }
}

impl ProbabilitySources {
    /// The counts as a metric's `counts` (by rule name, and `none`).
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut c = BTreeMap::new();
        c.insert(ProbabilityRule::Crm.as_str(), self.crm);
        c.insert(ProbabilityRule::HubspotDefault.as_str(), self.hubspot_default);
        c.insert(ProbabilityRule::StandardStage.as_str(), self.standard_stage);
        c.insert("none", self.none);
        c
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
    let mut visited = 0usize;
    for i in rows {
        visited += 1;
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
    crate::work::add(visited);
    t
}

/// One SalesOps headline metric, defined once: its Rust formula over [`Totals`], the same
/// formula in SQL over the same totals (see [`TOTALS_SQL`]), and the groupings it is reported
/// for. [`headline`] and the lens compute from this table and `crate::sql` emits from it, so a
/// definition cannot change in one and not the other.
pub struct SalesMetric {
    pub id: &'static str,
    pub unit: Unit,
    pub value: fn(&Totals) -> Option<f64>,
    /// Rows used and left out, when the metric says so.
    pub rows: fn(&Totals) -> Option<(usize, usize)>,
    /// The value as a SQL expression over the columns of [`TOTALS_SQL`] (DOUBLE each).
    pub sql: &'static str,
    /// Reported per close period (closed deals).
    pub series: bool,
    /// Reported per owner, region, lead source and type.
    pub breakdown: bool,
    /// Reported per stage.
    pub by_stage: bool,
}

/// The totals a SQL engine computes per group, named as [`Totals`]'s fields (the cycle days
/// as their count, sum and median), each a DOUBLE. `crate::sql` writes their aggregates.
pub const TOTALS_SQL: &[&str] = &[
    "won_count",
    "lost_count",
    "open_count",
    "won_amount",
    "lost_amount",
    "open_amount",
    "weighted_amount",
    "won_with_amount",
    "lost_with_amount",
    "open_with_amount",
    "cycle_n",
    "cycle_sum",
    "cycle_median",
    "past_due_count",
    "past_due_amount",
];

const fn def(
    id: &'static str,
    unit: Unit,
    value: fn(&Totals) -> Option<f64>,
    rows: fn(&Totals) -> Option<(usize, usize)>,
    sql: &'static str,
    groupings: (bool, bool, bool),
) -> SalesMetric {
    SalesMetric { id, unit, value, rows, sql, series: groupings.0, breakdown: groupings.1, by_stage: groupings.2 }
}

fn no_rows(_: &Totals) -> Option<(usize, usize)> {
    None
}
fn won_amount_rows(t: &Totals) -> Option<(usize, usize)> {
    Some((t.won_with_amount, t.won_count - t.won_with_amount))
}
fn cycle_rows(t: &Totals) -> Option<(usize, usize)> {
    Some((t.cycle_days.len(), t.won_count - t.cycle_days.len()))
}
fn open_amount_rows(t: &Totals) -> Option<(usize, usize)> {
    Some((t.open_with_amount, t.open_count - t.open_with_amount))
}

/// The SalesOps headline metrics, in report order. Groupings: (series, breakdown, by stage).
pub const SALES_METRICS: &[SalesMetric] = &[
    def("won_count", Unit::Count, |t| Some(t.won_count as f64), no_rows, "won_count", (true, true, false)),
    def("lost_count", Unit::Count, |t| Some(t.lost_count as f64), no_rows, "lost_count", (true, true, false)),
    def("open_count", Unit::Count, |t| Some(t.open_count as f64), no_rows, "open_count", (false, true, true)),
    def("bookings", Unit::Currency, |t| Some(t.won_amount), won_amount_rows, "won_amount", (true, true, false)),
    def(
        "win_rate",
        Unit::Ratio,
        Totals::win_rate,
        |t| Some((t.won_count + t.lost_count, 0)),
        "won_count / NULLIF(won_count + lost_count, 0)",
        (true, true, false),
    ),
    def(
        "win_rate_value",
        Unit::Ratio,
        Totals::win_rate_value,
        |t| {
            let with = t.won_with_amount + t.lost_with_amount;
            Some((with, t.won_count + t.lost_count - with))
        },
        "won_amount / NULLIF(won_amount + lost_amount, 0)",
        (true, false, false),
    ),
    def(
        "avg_deal_size",
        Unit::Currency,
        Totals::avg_deal_size,
        won_amount_rows,
        "won_amount / NULLIF(won_with_amount, 0)",
        (true, true, false),
    ),
    def("sales_cycle_days_median", Unit::Days, Totals::cycle_median, cycle_rows, "cycle_median", (true, true, false)),
    def(
        "sales_cycle_days_mean",
        Unit::Days,
        Totals::cycle_mean,
        cycle_rows,
        "cycle_sum / NULLIF(cycle_n, 0)",
        (true, false, false),
    ),
    def("open_pipeline", Unit::Currency, |t| Some(t.open_amount), open_amount_rows, "open_amount", (false, true, true)),
    def(
        "weighted_pipeline",
        Unit::Currency,
        |t| Some(t.weighted_amount),
        open_amount_rows,
        "weighted_amount",
        (false, false, true),
    ),
    def(
        "sales_velocity",
        Unit::CurrencyPerDay,
        Totals::sales_velocity,
        no_rows,
        "open_count * (won_count / NULLIF(won_count + lost_count, 0)) * (won_amount / NULLIF(won_with_amount, 0)) \
         / NULLIF(cycle_sum / NULLIF(cycle_n, 0), 0)",
        (false, false, false),
    ),
    def("past_due", Unit::Count, |t| Some(t.past_due_count as f64), no_rows, "past_due_count", (false, false, false)),
    def(
        "past_due_amount",
        Unit::Currency,
        |t| Some(t.past_due_amount),
        no_rows,
        "past_due_amount",
        (false, false, false),
    ),
];

/// The headline metrics of a set of deals, each tagged with the same period/breakdown.
pub fn headline(t: &Totals) -> Vec<Metric> {
    SALES_METRICS.iter().map(|d| headline_metric(d, t)).collect()
}

fn headline_metric(d: &SalesMetric, t: &Totals) -> Metric {
    let m = Metric::new(d.id, Lens::Salesops, d.unit, (d.value)(t));
    match (d.rows)(t) {
        Some((used, excluded)) => m.rows(used, excluded),
        None => m,
    }
}

/// The breakdown dimensions of the lens, named as the canonical deals columns they group by.
/// A dimension is shown when its column holds any value.
pub const BREAKDOWNS: &[&str] = &["owner", "region", "lead_source", "type", "stage"];

fn breakdown_column<'a>(deals: &'a Deals, dimension: &str) -> &'a crate::model::SymbolColumn {
    match dimension {
        "owner" => &deals.owner,
        "region" => &deals.region,
        "lead_source" => &deals.lead_source,
        "type" => &deals.deal_type,
        _ => &deals.stage,
    }
}

/// The SalesOps lens: whole-data values at the as-of date, series per period, breakdowns.
pub fn sales_metrics(deals: &Deals, opts: &SalesOptions) -> Vec<Metric> {
    let as_of = opts.as_of;
    let window: Vec<usize> = (0..deals.len()).filter(|&i| in_window(deals, i, as_of)).collect();
    // The window, the two series loops and one loop per breakdown below.
    crate::work::add(deals.len() + 7 * window.len());
    let mut out = headline(&totals(deals, window.iter().copied(), as_of));
    // The whole weighted pipeline says which rule gave its deals' probabilities.
    if let Some(m) = out.iter_mut().find(|m| m.id == "weighted_pipeline") {
        m.counts = Some(probability_sources(deals, as_of).counts());
    }

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
        for d in SALES_METRICS.iter().filter(|d| d.series) {
            out.push(headline_metric(d, &t).period(label.clone()));
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
    for &dimension in BREAKDOWNS {
        let col = breakdown_column(deals, dimension);
        if col.names().len() <= 1 {
            continue;
        }
        // Rows grouped by their name's code (one array slot each, no name compared per row),
        // then the groups in the names' order.
        let names = col.names();
        let mut by_code: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for &i in &window {
            by_code[col.codes.get(i) as usize].push(i);
        }
        let mut groups: Vec<(&str, Vec<usize>)> = by_code
            .into_iter()
            .enumerate()
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(c, rows)| (names.get(c as Sym), rows))
            .collect();
        crate::sort::sort_by(&mut groups, |a, b| a.0.cmp(b.0));
        for (key, rows) in groups {
            let t = totals(deals, rows.iter().copied(), as_of);
            let shown = |d: &&SalesMetric| if dimension == "stage" { d.by_stage } else { d.breakdown };
            for d in SALES_METRICS.iter().filter(shown) {
                out.push(headline_metric(d, &t).by(dimension, key));
            }
        }
    }
    out
}

/// The order stages are worked in, and whether it was read from stage history or inferred.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StageOrder {
    /// Open stages, first to last (closed stages are not listed).
    pub stages: Vec<String>,
    /// True when there was no stage history: the order comes from Salesforce's standard
    /// stage probabilities where the names match, else from the mean age of open deals.
    pub inferred: bool,
}

/// Orders the open stages: by the mean position at which the deals of the deals file enter them
/// in their stage history; without history, by standard probability, then by the mean age of open deals.
pub fn stage_order(ds: &crate::model::Dataset, histories: &super::history::DealHistories, as_of: Day) -> StageOrder {
    let d = &ds.deals;
    let h = &ds.stage_changes;
    let is_open_stage = |s: &str| !s.is_empty() && crate::ingest::rows::status_from_stage(s) == Status::Open;
    if histories.with_history > 0 {
        // What each stage name is, once per name rather than once per row.
        let names = h.stage.names();
        let open: Vec<bool> = names.iter().map(is_open_stage).collect();
        crate::work::add(names.len() + h.len());
        // Position of each stage entry within its deal's path, by date (rows that change only
        // a close date or an amount are no step of the path).
        let mut path: Vec<u32> = Vec::new();
        let mut pos: Vec<(f64, usize)> = vec![(0.0, 0); names.len()];
        for &i in &histories.deals {
            path.clear();
            path.extend(histories.stage_codes(i as usize));
            let n = path.len().max(1) as f64;
            for (k, &code) in path.iter().enumerate() {
                if open[code as usize] {
                    let e = &mut pos[code as usize];
                    e.0 += k as f64 / n;
                    e.1 += 1;
                }
            }
        }
        let mut stages: Vec<(&str, f64)> = pos
            .iter()
            .enumerate()
            .filter(|(_, p)| p.1 > 0)
            .map(|(code, &(sum, n))| (names.get(code as u32), sum / n as f64))
            .collect();
        crate::sort::sort_by(&mut stages, |a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        return StageOrder { stages: stages.into_iter().map(|(s, _)| s.to_string()).collect(), inferred: false };
    }
    let mut age: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    crate::work::add(d.len());
    for i in 0..d.len() {
        let s = d.stage.get(i);
        if d.status[i] == Status::Open && is_open_stage(s) {
            let e = age.entry(s).or_default();
            if d.created[i] != NO_DAY {
                e.0 += (as_of - d.created[i]) as f64;
                e.1 += 1;
            }
        }
    }
    let mut stages: Vec<(&str, Option<usize>, f64)> = age
        .into_iter()
        .map(|(s, (sum, n))| (s, standard_stage(s).map(|(rank, _)| rank), if n > 0 { sum / n as f64 } else { 0.0 }))
        .collect();
    crate::sort::sort_by(&mut stages, |a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.2.total_cmp(&b.2).then(a.0.cmp(b.0)),
    });
    StageOrder { stages: stages.into_iter().map(|(s, _, _)| s.to_string()).collect(), inferred: true }
}

/// quota_attainment: bookings (won amount closed in the quota's period, by its owner) ÷ quota,
/// per owner and quota period, for periods that have started by the as-of date; plus the
/// team total per period (Σ bookings ÷ Σ quota).
///
/// pipeline_coverage: for the quota period holding the as-of date, open pipeline expected to
/// close in it ÷ (quota − bookings so far), per owner and for the team; undefined (null) when
/// the quota is already met.
pub fn quota_metrics(ds: &crate::model::Dataset, as_of: Day) -> Vec<Metric> {
    let d = &ds.deals;
    let q = &ds.quotas;
    let mut out = Vec::new();
    if q.is_empty() {
        return out;
    }
    let owner_key = |s: &str| crate::quality::name_key(s);
    // Owners' keys once per spelling, not once per row.
    let keys: Vec<String> = d.owner.names().iter().map(owner_key).collect();
    let mut deals_of: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for i in 0..d.len() {
        deals_of.entry(&keys[d.owner.codes.get(i) as usize]).or_default().push(i);
    }
    crate::work::add(d.len());
    // Team totals per distinct period.
    let mut team: BTreeMap<(Day, Day), (f64, f64, f64)> = BTreeMap::new();
    for r in 0..q.len() {
        let (start, end, quota) = (q.start[r], q.end[r], q.amount[r]);
        if start > as_of {
            continue;
        }
        let owner = q.owner.get(r);
        let key = owner_key(owner);
        let (mut booked, mut open_in_period) = (0.0, 0.0);
        let mine = deals_of.get(key.as_str()).map_or(&[][..], Vec::as_slice);
        // Per quota period, the owner's deals: quota periods do not grow with the deals.
        crate::work::add(mine.len());
        for &i in mine {
            if d.amount[i].is_nan() {
                continue;
            }
            let c = d.close[i];
            match d.status[i] {
                Status::Won if c >= start && c < end && c <= as_of => booked += d.amount[i],
                Status::Open if c >= start && c < end => open_in_period += d.amount[i],
                _ => {}
            }
        }
        let label = period_label(start, end);
        out.push(
            Metric::new("quota_attainment", Lens::Salesops, Unit::Ratio, ratio(booked, quota))
                .period(label.clone())
                .by("owner", owner),
        );
        let current = start <= as_of && as_of < end;
        if current {
            let gap = quota - booked;
            let coverage = if gap > 0.0 { Some(open_in_period / gap) } else { None };
            out.push(
                Metric::new("pipeline_coverage", Lens::Salesops, Unit::Ratio, coverage)
                    .period(label)
                    .by("owner", owner),
            );
        }
        let t = team.entry((start, end)).or_default();
        t.0 += booked;
        t.1 += quota;
        t.2 += if current { open_in_period } else { 0.0 };
    }
    for ((start, end), (booked, quota, open)) in team {
        let label = period_label(start, end);
        out.push(
            Metric::new("quota_attainment", Lens::Salesops, Unit::Ratio, ratio(booked, quota)).period(label.clone()),
        );
        if start <= as_of && as_of < end {
            let gap = quota - booked;
            out.push(
                Metric::new(
                    "pipeline_coverage",
                    Lens::Salesops,
                    Unit::Ratio,
                    if gap > 0.0 { Some(open / gap) } else { None },
                )
                .period(label.clone()),
            );
            // The whole-data value is the current period's.
            out.push(Metric::new(
                "pipeline_coverage",
                Lens::Salesops,
                Unit::Ratio,
                if gap > 0.0 { Some(open / gap) } else { None },
            ));
            out.push(Metric::new("quota_attainment", Lens::Salesops, Unit::Ratio, ratio(booked, quota)));
        }
    }
    out
}

/// A quota period's label: `2025-Q1`, `2025-03`, `2025`, or `start..end` for odd ranges.
pub fn period_label(start: Day, end: Day) -> String {
    use chrono::Datelike;
    let (Some(s), Some(e)) = (crate::model::date_from_day(start), crate::model::date_from_day(end)) else {
        return String::new();
    };
    let months = (e.year() - s.year()) * 12 + e.month() as i32 - s.month() as i32;
    match (s.day(), e.day(), months) {
        (1, 1, 1) => format!("{:04}-{:02}", s.year(), s.month()),
        (1, 1, 3) if (s.month() - 1) % 3 == 0 => format!("{:04}-Q{}", s.year(), (s.month() - 1) / 3 + 1),
        (1, 1, 12) if s.month() == 1 => format!("{:04}", s.year()),
        _ => format!("{s}..{}", e.pred_opt().unwrap_or(e)),
    }
}

/// The CRM words of each canonical forecast category (Salesforce, HubSpot and Clari), as
/// lower-case letters and digits; [`forecast_category`] reads them and `crate::sql` writes them.
pub const FORECAST_CATEGORY_WORDS: &[(&str, &str)] = &[
    ("commit", "commit"),
    ("committed", "commit"),
    ("forecast", "commit"),
    ("bestcase", "best_case"),
    ("upside", "best_case"),
    ("probable", "best_case"),
    ("pipeline", "pipeline"),
    ("pipe", "pipeline"),
    ("omitted", "omitted"),
    ("omit", "omitted"),
    ("notforecasted", "omitted"),
    ("closed", "closed"),
    ("closedwon", "closed"),
    ("won", "closed"),
];

/// The forecast categories of the report, in the order their totals are listed.
pub const FORECAST_CATEGORIES: [&str; 5] = ["commit", "best_case", "pipeline", "omitted", "closed"];

/// Salesforce's cumulative roll-ups: each the sum of these categories' totals, in this order.
pub const FORECAST_ROLLUPS: [(&str, &[&str]); 3] = [
    ("commit", &["closed", "commit"]),
    ("best_case", &["closed", "commit", "best_case"]),
    ("pipeline", &["closed", "commit", "best_case", "pipeline"]),
];

/// The canonical forecast category of a CRM value (Salesforce, HubSpot and Clari words).
pub fn forecast_category(text: &str) -> Option<&'static str> {
    let n: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    FORECAST_CATEGORY_WORDS.iter().find(|(word, _)| *word == n).map(|(_, cat)| *cat)
}

/// forecast_categories for the period holding the as-of date: single-category totals of open
/// deals expected to close in it (commit, best case, pipeline, omitted) plus closed = won in
/// the period so far; and Salesforce's cumulative roll-ups: commit_rollup = closed + commit,
/// best_case_rollup = closed + commit + best case, pipeline_rollup = all but omitted.
pub fn forecast_categories(deals: &Deals, as_of: Day, calendar: &Calendar) -> Vec<Metric> {
    if deals.forecast_category.names().len() <= 1 {
        return Vec::new();
    }
    let Some(key) = calendar.key(as_of) else { return Vec::new() };
    let (start, end) = (calendar.start(key), calendar.end(key));
    let label = calendar.label(key);
    let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
    for cat in FORECAST_CATEGORIES {
        sums.insert(cat, 0.0);
    }
    let mut uncategorised = 0usize;
    crate::work::add(deals.len());
    for i in 0..deals.len() {
        let (c, a) = (deals.close[i], deals.amount[i]);
        if a.is_nan() || c == NO_DAY || c < start || c >= end {
            continue;
        }
        match deals.status[i] {
            Status::Won if c <= as_of => *sums.entry("closed").or_default() += a,
            Status::Open => match forecast_category(deals.forecast_category.get(i)) {
                Some("closed") | None => uncategorised += 1,
                Some(cat) => *sums.entry(cat).or_default() += a,
            },
            _ => {}
        }
    }
    let mut out: Vec<Metric> = sums
        .iter()
        .map(|(cat, v)| {
            Metric::new("forecast_categories", Lens::Salesops, Unit::Currency, Some(*v))
                .period(label.clone())
                .by("category", cat)
        })
        .collect();
    for (cat, parts) in FORECAST_ROLLUPS {
        let v = parts.iter().fold(0.0, |acc, p| acc + sums[p]);
        out.push(
            Metric::new("forecast_rollup", Lens::Salesops, Unit::Currency, Some(v))
                .period(label.clone())
                .by("category", cat),
        );
    }
    if uncategorised > 0 {
        out.push(
            Metric::new("forecast_uncategorised", Lens::Salesops, Unit::Count, Some(uncategorised as f64))
                .period(label),
        );
    }
    out
}

/// One owner's row of the leaderboard.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct LeaderRow {
    pub owner: String,
    pub bookings: f64,
    pub won_count: usize,
    pub win_rate: Option<f64>,
    pub avg_deal_size: Option<f64>,
    pub sales_cycle_days_median: Option<f64>,
    /// Σ bookings in quota periods started by the as-of date ÷ Σ their quotas.
    pub quota_attainment: Option<f64>,
    pub open_pipeline: f64,
    pub commission: Option<f64>,
}

/// A commission plan: a base rate on bookings up to quota, higher rates (accelerators) on
/// bookings above given attainment thresholds, and an optional cap on the payout per period.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct CommissionPlan {
    pub base_rate: f64,
    /// e.g. `[{ "above": 1.0, "rate": 0.15 }, { "above": 1.5, "rate": 0.2 }]`: attainment
    /// fractions above which the rate applies to the bookings beyond that point.
    #[serde(default)]
    pub tiers: Vec<CommissionTier>,
    /// Maximum payout per quota period.
    #[serde(default)]
    pub cap: Option<f64>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct CommissionTier {
    pub above: f64,
    pub rate: f64,
}

impl CommissionPlan {
    /// Payout for `bookings` against `quota` in one period. With no quota, the base rate
    /// applies to all bookings. Tiers apply to the bookings between their threshold and the
    /// next one: base × min(B, t₁·Q) + r₁ × (min(B, t₂·Q) − t₁·Q)⁺ + … , then the cap.
    pub fn payout(&self, bookings: f64, quota: Option<f64>) -> f64 {
        let b = bookings.max(0.0);
        let Some(q) = quota.filter(|q| *q > 0.0) else {
            let p = self.base_rate * b;
            return self.cap.map_or(p, |c| p.min(c));
        };
        let mut tiers = self.tiers.clone();
        crate::sort::sort_by(&mut tiers, |a, b| a.above.total_cmp(&b.above));
        let mut bounds: Vec<(f64, f64)> = Vec::with_capacity(tiers.len() + 1);
        let mut prev_t = 0.0;
        let mut prev_rate = self.base_rate;
        for t in &tiers {
            bounds.push((prev_t, prev_rate));
            prev_t = t.above;
            prev_rate = t.rate;
        }
        bounds.push((prev_t, prev_rate));
        let mut p = 0.0;
        for (k, &(from, rate)) in bounds.iter().enumerate() {
            let to = bounds.get(k + 1).map_or(f64::INFINITY, |b| b.0);
            let lo = from * q;
            let hi = (to * q).min(b);
            if hi > lo {
                p += rate * (hi - lo);
            }
        }
        self.cap.map_or(p, |c| p.min(c))
    }
}

/// leaderboard: per owner, the headline numbers over the report window, quota attainment over
/// the quota periods started by the as-of date, and (with a plan) commission summed over those
/// periods. Sorted by bookings, highest first.
pub fn leaderboard(ds: &crate::model::Dataset, as_of: Day, plan: Option<&CommissionPlan>) -> Vec<LeaderRow> {
    let d = &ds.deals;
    let q = &ds.quotas;
    // Spelling variants of one owner ("Jon  Smith", "jon smith") are one row, shown under the
    // most common spelling; the quality report lists the variants.
    let keys: Vec<String> = d.owner.names().iter().map(crate::quality::name_key).collect();
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in (0..d.len()).filter(|&i| in_window(d, i, as_of)) {
        by_key.entry(&keys[d.owner.codes.get(i) as usize]).or_default().push(i);
    }
    crate::work::add(d.len());
    let groups: Vec<(String, Vec<usize>)> = by_key.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let mut rows: Vec<LeaderRow> = groups
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(_, idx)| {
            let mut spellings: BTreeMap<&str, usize> = BTreeMap::new();
            crate::work::add(idx.len());
            for &i in &idx {
                *spellings.entry(d.owner.get(i)).or_default() += 1;
            }
            let owner =
                spellings.iter().max_by_key(|(name, n)| (**n, std::cmp::Reverse(*name))).map_or("", |(name, _)| name);
            let t = totals(d, idx.iter().copied(), as_of);
            let key = crate::quality::name_key(owner);
            let (mut booked_q, mut quota_sum, mut commission) = (0.0, 0.0, 0.0);
            let mut has_quota = false;
            for r in (0..q.len()).filter(|&r| crate::quality::name_key(q.owner.get(r)) == key && q.start[r] <= as_of) {
                has_quota = true;
                // Per quota period, the owner's deals: quota periods do not grow with the deals.
                crate::work::add(idx.len());
                let booked: f64 = idx
                    .iter()
                    .filter(|&&i| {
                        d.status[i] == Status::Won
                            && !d.amount[i].is_nan()
                            && d.close[i] >= q.start[r]
                            && d.close[i] < q.end[r]
                    })
                    .map(|&i| d.amount[i])
                    .sum();
                booked_q += booked;
                quota_sum += q.amount[r];
                if let Some(p) = plan {
                    commission += p.payout(booked, Some(q.amount[r]));
                }
            }
            let commission = plan.map(|p| if has_quota { commission } else { p.payout(t.won_amount, None) });
            LeaderRow {
                owner: owner.to_string(),
                bookings: t.won_amount,
                won_count: t.won_count,
                win_rate: t.win_rate(),
                avg_deal_size: t.avg_deal_size(),
                sales_cycle_days_median: t.cycle_median(),
                quota_attainment: if has_quota { ratio(booked_q, quota_sum) } else { None },
                open_pipeline: t.open_amount,
                commission,
            }
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| b.bookings.total_cmp(&a.bookings).then(a.owner.cmp(&b.owner)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Deal;

    #[test]
    fn hubspot_stages_match_by_label_or_internal_id() {
        assert_eq!(hubspot_default_probability("Appointment Scheduled"), Some(0.2));
        assert_eq!(hubspot_default_probability("appointmentscheduled"), Some(0.2));
        assert_eq!(hubspot_default_probability("Qualified To Buy"), Some(0.4));
        assert_eq!(hubspot_default_probability("Presentation Scheduled"), Some(0.6));
        assert_eq!(hubspot_default_probability("Decision Maker Bought-In"), Some(0.8));
        assert_eq!(hubspot_default_probability("Contract Sent"), Some(0.9));
        assert_eq!(hubspot_default_probability("closedwon"), Some(1.0));
        assert_eq!(hubspot_default_probability("Closed Lost"), Some(0.0));
        assert_eq!(hubspot_default_probability("Negotiation/Review"), None);
        // No stage key is in both tables: the order of the rules cannot hide a stage.
        for (k, _) in HUBSPOT_DEFAULT_STAGES {
            assert!(standard_stage_probabilities().iter().all(|(s, _)| s != k), "{k}");
        }
    }

    #[test]
    fn the_rule_per_deal() {
        let mut deals = Deals::default();
        for (stage, p) in
            [("Contract Sent", f64::NAN), ("Contract Sent", 0.5), ("Prospecting", f64::NAN), ("Other", f64::NAN)]
        {
            deals.push(Deal { stage, probability: p, ..Deal::default() });
        }
        let rules = |d: &Deals| (0..d.len()).map(|i| probability_with_rule(d, i)).collect::<Vec<_>>();
        // A table of no known CRM: HubSpot's stage names mean nothing.
        assert_eq!(
            rules(&deals),
            vec![None, Some((0.5, ProbabilityRule::Crm)), Some((0.1, ProbabilityRule::StandardStage)), None]
        );
        deals.set_crm(Crm::Hubspot);
        assert_eq!(
            rules(&deals),
            vec![
                Some((0.9, ProbabilityRule::HubspotDefault)),
                Some((0.5, ProbabilityRule::Crm)),
                Some((0.1, ProbabilityRule::StandardStage)),
                None
            ]
        );
        // Pipedrive's stage probability defaults to 100% for every stage: not a default to use.
        deals.set_crm(Crm::Pipedrive);
        assert_eq!(probability_with_rule(&deals, 0), None);
        let s = probability_sources(&deals, 0);
        assert_eq!((s.crm, s.hubspot_default, s.standard_stage, s.none), (1, 0, 1, 2));
        // Deals joined from another file keep their CRM.
        let mut other = Deals::default();
        other.push(Deal { stage: "contractsent", ..Deal::default() });
        deals.set_crm(Crm::Hubspot);
        other.extend_from(&deals);
        assert_eq!(other.crm, vec![Crm::Other, Crm::Hubspot, Crm::Hubspot, Crm::Hubspot, Crm::Hubspot]);
        other.retain_rows(&[true, false, true, true, true]);
        assert_eq!(probability_with_rule(&other, 0), None);
        assert_eq!(probability_with_rule(&other, 1), Some((0.5, ProbabilityRule::Crm)));
    }
}
