//! The RevOps lens (SPEC §3): the whole revenue engine — marketing, sales and customer
//! success — from whichever files the user gave.
//!
//! Inputs and what they unlock:
//! - leads → `leads_created`, the funnel (lead → MQL → SQL → opportunity → customer);
//! - deals → attribution by lead source, bookings growth, `total_revenue`, new customers;
//! - revenue lines (subscriptions or customer-month billing rows) → MRR, ARR, movements,
//!   NRR, GRR, logo churn, cohorts, CLV; without them an *estimate* from recurring-type
//!   won deals (annual contracts: amount ÷ 12 per month for twelve months);
//! - spend → CAC and its payback; other income → the non-sales part of `total_revenue`.
//!
//! A metric whose input is absent is not emitted as zero: it is listed in
//! [`RevOps::missing`] with the file it needs. A metric that has its input but is undefined
//! on this data (no churn → CLV) is emitted with a null value and explained in
//! [`RevOps::undefined`].
//!
//! # The MRR snapshot
//! MRR of month M is a **month-end snapshot**: the Σ `mrr` of the lines active on the
//! snapshot day of M, which is the month's last day, or the as-of date for the as-of month.
//! A line is active on day d when `start ≤ d` and (`end` is missing or `end > d`) — `end` is
//! exclusive — and it is neither a churned billing row nor a non-recurring line. A
//! customer-month billing row (start = 1st, end = 1st of the next month) is therefore active
//! in exactly its own month. Months after the as-of month are never reported.
//!
//! A customer's MRR is the sum over its active lines, floored at 0 (credits cannot make a
//! customer pay less than nothing); the customer is *paying* in M when that MRR is > 0
//! (a 0-MRR trial is not a customer).
//!
//! # Movements (per customer, month M against M−1)
//! - **new**: paying now, never paying before M;
//! - **reactivated**: paying now, not paying in M−1, paying in some month before;
//! - **expansion** / **contraction**: paying in both, MRR up / down (a customer cancelling
//!   one of several subscriptions is contraction, not churn);
//! - **churned**: paying in M−1, not now (the amount is its MRR in M−1).
//!
//! So MRR(M) = MRR(M−1) + new + expansion + reactivated − contraction − churned, exactly.

use super::periods::{Calendar, Grain, PeriodKey};
use super::sales::{in_window, median};
use super::{ratio, Lens, Metric, Unit};
use crate::message::Message;
use crate::model::{date_from_day, day_from_ymd, Dataset, Day, IncomeCategory, SpendChannel, Status, NO_DAY};
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

mod mrr;

use mrr::mrr_metrics;
pub use mrr::{deals_standing_in_count, mrr_table, MrrTable, DEAL_MONTHS, ONE_OFF_TYPE_WORDS, RECURRING_TYPE_WORDS};

/// What the lens needs besides the data.
#[derive(Clone, Debug)]
pub struct RevenueOptions {
    pub as_of: Day,
    /// Periods of the per-period series of flows (leads, bookings, spend, CAC, income). MRR
    /// and its movements are always monthly.
    pub calendar: Calendar,
    /// Fraction of revenue kept after cost of service (CLV, CAC payback). Default 0.8.
    pub gross_margin: f64,
    /// Lead sources that count as marketing (case-insensitive, exact); `None` = the default
    /// mapping of [`source_channel`].
    pub marketing_sources: Option<Vec<String>>,
    /// Months back for NRR and GRR. Default 12.
    pub retention_months: u32,
}

impl Default for RevenueOptions {
    fn default() -> Self {
        RevenueOptions {
            as_of: 0,
            calendar: Calendar::default(),
            gross_margin: 0.8,
            marketing_sources: None,
            retention_months: 12,
        }
    }
}

/// The RevOps lens of a report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Default, Debug, Serialize, PartialEq)]
pub struct RevOps {
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// The lens's metrics (the report moves them into its one `metrics` array).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    pub funnel: Option<Funnel>,
    /// One row per month from the first month with revenue to the as-of month.
    pub mrr_movements: Vec<MrrMovement>,
    /// Where MRR came from: `"revenue_lines"`, `"recurring_deals"` (an estimate), or none.
    pub mrr_source: Option<&'static str>,
    pub cohorts: Option<CohortMatrix>,
    /// Metrics not computed because a file is missing.
    pub missing: Vec<MissingInput>,
    /// Metrics emitted with a null value, and why.
    pub undefined: Vec<UndefinedMetric>,
}

/// A metric that needs a file the user did not give.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MissingInput {
    pub metric: &'static str,
    pub needs: &'static str,
    /// What it needs as a code ([`needs_message`]).
    pub coded: Message,
}

/// A metric whose value is null although its input is there.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UndefinedMetric {
    pub metric: &'static str,
    pub reason: String,
    /// The reason as a code and its parameters.
    pub coded: Message,
}

/// What a missing metric needs, as a code: one per sentence `needs` holds.
pub fn needs_message(needs: &str) -> Message {
    const CODES: &[(&str, &str)] = &[
        ("revenue lines: a subscriptions or billing export (customer, start/end or month, MRR), or recurring-type deals", "needs_revenue_lines"),
        ("a leads or contacts export (created date, source, lifecycle-stage dates)", "needs_leads"),
        ("a deals (opportunities) export", "needs_deals"),
        ("revenue lines (subscriptions or billing), or won deals with accounts", "needs_revenue_lines_or_won_accounts"),
        ("a spend file (month, department, amount)", "needs_spend_file"),
        ("spend lines of the Marketing or Sales department up to the as-of month", "needs_spend_lines"),
        ("won deals with accounts, or revenue lines, to count new customers", "needs_new_customers"),
        ("revenue lines (subscriptions or billing) for new-customer MRR", "needs_new_customer_mrr"),
        ("a finance ledger of other income (date, category, amount)", "needs_other_income"),
        ("a deals export (sales revenue is the bookings of won deals)", "needs_deals_for_revenue"),
        ("a deals export (growth of bookings and of revenue)", "needs_deals_for_growth"),
    ];
    match CODES.iter().find(|(text, _)| *text == needs) {
        Some((_, code)) => Message::new(code),
        None => Message::new("needs_text").with("text", needs),
    }
}

/// MRR bridge of one month.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MrrMovement {
    /// `YYYY-MM`.
    pub month: String,
    pub start_mrr: f64,
    pub new: f64,
    pub expansion: f64,
    pub contraction: f64,
    pub churned: f64,
    pub reactivated: f64,
    pub end_mrr: f64,
    /// Paying customers at the month's snapshot, and the counts behind the movements.
    pub customers: usize,
    pub new_customers: usize,
    pub churned_customers: usize,
    pub reactivated_customers: usize,
}

/// lead → MQL → SQL → opportunity → customer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Funnel {
    pub steps: Vec<FunnelStep>,
    /// One row per lead-creation month.
    pub cohorts: Vec<FunnelCohort>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FunnelStep {
    /// `lead`, `mql`, `sql`, `opportunity`, `customer`.
    pub step: &'static str,
    /// Leads that reached the step (a later step's date implies the earlier steps).
    pub count: usize,
    /// count ÷ the previous step's count (null for the first step).
    pub conversion: Option<f64>,
    /// Median days from the previous step's date, over leads with both dates.
    pub median_days: Option<f64>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FunnelCohort {
    /// Creation month `YYYY-MM`.
    pub cohort: String,
    /// Counts reaching lead, MQL, SQL, opportunity, customer.
    pub counts: [usize; 5],
}

/// Retention by start cohort (the month a customer first paid).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CohortMatrix {
    pub rows: Vec<CohortRow>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CohortRow {
    /// `YYYY-MM` of the first paying month.
    pub cohort: String,
    pub customers: usize,
    /// MRR of the cohort in its first month.
    pub start_mrr: f64,
    /// `[k]` = customers of the cohort paying k months after its start (k = 0 … as-of).
    pub retained_customers: Vec<usize>,
    /// `[k]` = their MRR k months after the start.
    pub retained_mrr: Vec<f64>,
}

/// The funnel's steps, and the ids of the leads reaching each, of the conversion from each to
/// the next and of the median days between them (`crate::sql` writes its funnel from these).
pub const FUNNEL_STEPS: [&str; 5] = ["lead", "mql", "sql", "opportunity", "customer"];
pub const FUNNEL_COUNT_IDS: [&str; 5] =
    ["funnel_leads", "funnel_mql", "funnel_sql", "funnel_opportunity", "funnel_customer"];
pub const CONVERSION_IDS: [&str; 4] = [
    "conversion_lead_to_mql",
    "conversion_mql_to_sql",
    "conversion_sql_to_opportunity",
    "conversion_opportunity_to_customer",
];
pub const DAYS_IDS: [&str; 4] = [
    "days_lead_to_mql_median",
    "days_mql_to_sql_median",
    "days_sql_to_opportunity_median",
    "days_opportunity_to_customer_median",
];

/// Which budget a lead source belongs to: `marketing`, `sales`, `partner` or `other`.
///
/// Default mapping (by words in the source name): partner/referral/reseller/affiliate/
/// channel → partner; outbound/cold/prospecting/SDR/BDR/sales/employee → sales; web, search,
/// SEO, paid, ads, social, webinar, event, trade show, conference, email, content, organic,
/// direct traffic, inbound, campaign, marketing → marketing; anything else (HubSpot's
/// "Offline Sources", empty) → other. `marketing_sources`, when given, replaces the marketing
/// test: exactly those names are marketing, the rest follow the partner/sales words.
pub fn source_channel(source: &str, marketing_sources: Option<&[String]>) -> &'static str {
    let s = source.trim().to_lowercase();
    if s.is_empty() {
        return "other";
    }
    if let Some(list) = marketing_sources {
        if list.iter().any(|m| m.trim().to_lowercase() == s) {
            return "marketing";
        }
    }
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(PARTNER_SOURCE_WORDS) {
        "partner"
    } else if has(SALES_SOURCE_WORDS) {
        "sales"
    } else if marketing_sources.is_none() && has(MARKETING_SOURCE_WORDS) {
        "marketing"
    } else {
        "other"
    }
}

/// A lead source holding one of these (lower-cased, trimmed) is a partner source; else one
/// of [`SALES_SOURCE_WORDS`] a sales source; else one of [`MARKETING_SOURCE_WORDS`] a
/// marketing source ([`source_channel`]; `crate::sql` writes the same tests from these lists).
pub const PARTNER_SOURCE_WORDS: &[&str] = &["partner", "referral", "reseller", "affiliate", "channel"];
pub const SALES_SOURCE_WORDS: &[&str] = &["outbound", "cold", "prospect", "sdr", "bdr", "sales", "employee"];
pub const MARKETING_SOURCE_WORDS: &[&str] = &[
    "web",
    "search",
    "seo",
    "sem",
    "ppc",
    "paid",
    "ads",
    "advert",
    "social",
    "webinar",
    "event",
    "trade show",
    "tradeshow",
    "conference",
    "email",
    "e-mail",
    "content",
    "organic",
    "direct traffic",
    "inbound",
    "campaign",
    "marketing",
    "linkedin",
    "google",
    "facebook",
];

/// Month index (year × 12 + month0) of a day: the key of [`Grain::Month`].
fn month_of(day: Day) -> Option<i32> {
    date_from_day(day).map(|d| d.year() * 12 + d.month0() as i32)
}

fn month_start(m: i32) -> Day {
    day_from_ymd(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1).unwrap_or(0)
}

fn month_label(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

struct Ctx<'a> {
    ds: &'a Dataset,
    opts: &'a RevenueOptions,
    out: Vec<Metric>,
    missing: Vec<MissingInput>,
    undefined: Vec<UndefinedMetric>,
}

impl Ctx<'_> {
    fn push(&mut self, m: Metric) {
        self.out.push(m);
    }
    fn missing(&mut self, metric: &'static str, needs: &'static str) {
        self.missing.push(MissingInput { metric, needs, coded: needs_message(needs) });
    }
    /// A metric left null: why, in English and as a code.
    fn undefined(&mut self, metric: &'static str, reason: impl Into<String>, coded: Message) {
        self.undefined.push(UndefinedMetric { metric, reason: reason.into(), coded });
    }
}

fn m(id: &'static str, unit: Unit, v: Option<f64>) -> Metric {
    Metric::new(id, Lens::Revops, unit, v)
}

/// The RevOps lens. Money is in the report currency already.
pub fn revenue_metrics(ds: &Dataset, opts: &RevenueOptions) -> RevOps {
    let mut cx = Ctx { ds, opts, out: Vec::new(), missing: Vec::new(), undefined: Vec::new() };
    let funnel = funnel_metrics(&mut cx);
    let deals = deal_facts(&mut cx);
    let mrr = mrr_table(ds, opts.as_of);
    let (mrr_movements, cohorts, mrr_source) = match &mrr {
        Some((t, source)) => {
            let mv = mrr_metrics(&mut cx, t);
            (mv, Some(t.cohorts()), Some(*source))
        }
        None => {
            for id in ["mrr", "arr", "mrr_movements", "nrr", "grr", "logo_churn_rate", "cohort_retention", "customers"]
            {
                cx.missing(id, "revenue lines: a subscriptions or billing export (customer, start/end or month, MRR), or recurring-type deals");
            }
            (Vec::new(), None, None)
        }
    };
    unit_economics(&mut cx, &deals, mrr.as_ref().map(|(t, _)| t), &mrr_movements);
    growth_and_revenue(&mut cx, &deals, mrr.as_ref().map(|(t, _)| t));
    RevOps { metrics: cx.out, funnel, mrr_movements, mrr_source, cohorts, missing: cx.missing, undefined: cx.undefined }
}

// ---------------------------------------------------------------------------------------
// Funnel

/// `leads_created` (whole, per period, by source) and the funnel.
///
/// A lead counts when created on or before the as-of date. It reached a step when it has
/// that step's date (on or before the as-of date) or a later step's; a lead converted to a
/// deal (its deal id matches one) reached opportunity at the deal's creation and customer
/// when the deal was won. `conversion_x_to_y` = reached y ÷ reached x; `days_x_to_y_median`
/// = median of (date y − date x) over leads with both dates (x = lead is the created date).
/// The same counts and rates are given per monthly creation cohort (`period`).
fn funnel_metrics(cx: &mut Ctx) -> Option<Funnel> {
    let l = &cx.ds.leads;
    if l.is_empty() {
        for id in ["leads_created", "funnel", "conversion_lead_to_customer"] {
            cx.missing(id, "a leads or contacts export (created date, source, lifecycle-stage dates)");
        }
        return None;
    }
    let as_of = cx.opts.as_of;
    let d = &cx.ds.deals;
    let deal_by_id: HashMap<&str, usize> =
        (0..d.len()).map(|i| (d.id.get(i), i)).filter(|(id, _)| !id.is_empty()).collect();
    let ok = |day: Day| if day != NO_DAY && day <= as_of { day } else { NO_DAY };

    let mut used = 0;
    let mut excluded = 0;
    let mut reached = [0usize; 5];
    let mut gaps: [Vec<f64>; 4] = Default::default();
    let mut cohorts: BTreeMap<i32, [usize; 5]> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    let mut by_period: BTreeMap<PeriodKey, usize> = BTreeMap::new();
    crate::work::add(l.len());
    for i in 0..l.len() {
        let created = l.created[i];
        if created == NO_DAY || created > as_of {
            excluded += 1;
            continue;
        }
        used += 1;
        let mut dates = [created, ok(l.mql[i]), ok(l.sql[i]), ok(l.opportunity[i]), ok(l.customer[i])];
        if let Some(&j) = deal_by_id.get(l.deal_id.get(i)) {
            if dates[3] == NO_DAY {
                dates[3] = ok(d.created[j]);
            }
            if dates[4] == NO_DAY && d.status[j] == Status::Won {
                dates[4] = ok(d.close[j]);
            }
        }
        let last = (0..5).rev().find(|&k| dates[k] != NO_DAY).unwrap_or(0);
        let cohort = cohorts.entry(month_of(created).unwrap_or(0)).or_default();
        let src = by_source.entry(l.source.get(i)).or_default();
        for k in 0..=last {
            reached[k] += 1;
            cohort[k] += 1;
            src[k] += 1;
        }
        for k in 1..5 {
            if dates[k] != NO_DAY && dates[k - 1] != NO_DAY && dates[k] >= dates[k - 1] {
                gaps[k - 1].push((dates[k] - dates[k - 1]) as f64);
            }
        }
        if let Some(k) = cx.opts.calendar.key(created) {
            *by_period.entry(k).or_default() += 1;
        }
    }

    cx.push(m("leads_created", Unit::Count, Some(used as f64)).rows(used, excluded));
    for (k, n) in &by_period {
        let label = cx.opts.calendar.label(*k);
        cx.push(m("leads_created", Unit::Count, Some(*n as f64)).period(label));
    }
    for (src, counts) in &by_source {
        let key = if src.is_empty() { "(none)" } else { src };
        cx.push(m("leads_created", Unit::Count, Some(counts[0] as f64)).by("source", key));
        cx.push(
            m("conversion_lead_to_customer", Unit::Ratio, ratio(counts[4] as f64, counts[0] as f64)).by("source", key),
        );
    }
    let steps: Vec<FunnelStep> = (0..5)
        .map(|k| FunnelStep {
            step: FUNNEL_STEPS[k],
            count: reached[k],
            conversion: if k == 0 { None } else { ratio(reached[k] as f64, reached[k - 1] as f64) },
            median_days: if k == 0 { None } else { median(&gaps[k - 1]) },
        })
        .collect();
    let funnel_metrics = |counts: &[usize; 5]| -> Vec<Metric> {
        let mut v: Vec<Metric> = (0..5).map(|k| m(FUNNEL_COUNT_IDS[k], Unit::Count, Some(counts[k] as f64))).collect();
        for k in 1..5 {
            v.push(m(CONVERSION_IDS[k - 1], Unit::Ratio, ratio(counts[k] as f64, counts[k - 1] as f64)));
        }
        v.push(m("conversion_lead_to_customer", Unit::Ratio, ratio(counts[4] as f64, counts[0] as f64)));
        v
    };
    for metric in funnel_metrics(&reached) {
        cx.push(metric);
    }
    for k in 1..5 {
        cx.push(m(DAYS_IDS[k - 1], Unit::Days, steps[k].median_days).rows(gaps[k - 1].len(), 0));
    }
    let mut cohort_rows = Vec::new();
    for (month, counts) in &cohorts {
        let label = month_label(*month);
        for metric in funnel_metrics(counts) {
            cx.push(metric.period(label.clone()));
        }
        cohort_rows.push(FunnelCohort { cohort: label, counts: *counts });
    }
    Some(Funnel { steps, cohorts: cohort_rows })
}

// ---------------------------------------------------------------------------------------
// Deals: attribution, new customers, bookings

/// What the rest of the lens needs from the deals.
struct DealFacts {
    /// (close day, amount) of won deals in the window with an amount.
    won: Vec<(Day, f64)>,
    /// First won close day of each account, by account code (`NO_DAY`: no won deal with a
    /// close day in the window). Dense vectors, not maps: a lookup per won deal into a table of
    /// half a million accounts is a cache miss either way, and a map's is two.
    first_won: Vec<Day>,
    /// Accounts with a won deal with an amount, and Σ of their won amounts: each account's sum
    /// first, then those summed in code order (the same total on every run; a hash map's order
    /// is not).
    won_accounts: usize,
    won_accounts_total: f64,
}

/// Attribution (SPEC §3): `marketing_sourced_bookings` = Σ amount of won deals whose lead
/// source maps to marketing ([`source_channel`]; a deal with no source takes the source of the
/// lead converted into it); `marketing_sourced_share` = that ÷ all bookings (whole and per
/// period); per lead source and per channel (`by: {"lead_source"}` / `{"source_channel"}`):
/// `bookings`, `won_count`, `win_rate` = won ÷ (won + lost), deals closed by the as-of date.
fn deal_facts(cx: &mut Ctx) -> DealFacts {
    let d = &cx.ds.deals;
    let as_of = cx.opts.as_of;
    let accounts = d.account.names().len();
    let mut facts =
        DealFacts { won: Vec::new(), first_won: vec![NO_DAY; accounts], won_accounts: 0, won_accounts_total: 0.0 };
    if d.is_empty() {
        for id in ["marketing_sourced_bookings", "marketing_sourced_share", "bookings", "win_rate"] {
            cx.missing(id, "a deals (opportunities) export");
        }
        return facts;
    }
    let lead_source_of_deal: HashMap<&str, &str> = cx
        .ds
        .leads
        .iter()
        .filter(|l| !l.deal_id.is_empty() && !l.source.is_empty())
        .map(|l| (l.deal_id, l.source))
        .collect();
    let marketing = cx.opts.marketing_sources.clone();
    #[derive(Default, Clone, Copy)]
    struct Tally {
        won: usize,
        lost: usize,
        bookings: f64,
    }
    let mut by_source: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_channel: BTreeMap<&'static str, Tally> = BTreeMap::new();
    // A source's channel is worked out once per distinct source, not once per deal.
    let mut channels: rustc_hash::FxHashMap<&str, &'static str> = rustc_hash::FxHashMap::default();
    let mut total = 0.0;
    let mut marketing_total = 0.0;
    let mut per_period: BTreeMap<PeriodKey, (f64, f64)> = BTreeMap::new();
    let mut with_source = 0;
    // Σ won amount per account, by account code (NaN: none yet); reduced to the two figures
    // above at the end, so the MRR table is not built beside it.
    let mut won_by_account = vec![f64::NAN; accounts];
    // Room for every won deal at once: grown by doubling, the list of 300,000 took twice its size.
    facts.won.reserve_exact(d.status.iter().filter(|&&s| s == Status::Won).count());
    let mut closed = 0;
    crate::work::add(d.len());
    for i in 0..d.len() {
        if !in_window(d, i, as_of) || d.status[i] == Status::Open {
            continue;
        }
        closed += 1;
        let mut source = d.lead_source.get(i);
        if source.is_empty() {
            source = lead_source_of_deal.get(d.id.get(i)).copied().unwrap_or("");
        }
        if !source.is_empty() {
            with_source += 1;
        }
        let channel = *channels.entry(source).or_insert_with(|| source_channel(source, marketing.as_deref()));
        let key = if source.is_empty() { "(none)" } else { source };
        let amount = d.amount[i];
        let won = d.status[i] == Status::Won;
        for t in [by_source.entry(key).or_default(), by_channel.entry(channel).or_default()] {
            if won {
                t.won += 1;
                if !amount.is_nan() {
                    t.bookings += amount;
                }
            } else {
                t.lost += 1;
            }
        }
        if won {
            let account = d.account.codes.get(i);
            if account != 0 && d.close[i] != NO_DAY {
                let first = &mut facts.first_won[account as usize];
                *first = if *first == NO_DAY { d.close[i] } else { (*first).min(d.close[i]) };
            }
            if !amount.is_nan() {
                total += amount;
                if account != 0 {
                    let sum = &mut won_by_account[account as usize];
                    *sum = if sum.is_nan() { 0.0 } else { *sum } + amount;
                }
                if d.close[i] != NO_DAY {
                    facts.won.push((d.close[i], amount));
                }
                let is_marketing = channel == "marketing";
                if is_marketing {
                    marketing_total += amount;
                }
                if let Some(k) = cx.opts.calendar.key(d.close[i]) {
                    let e = per_period.entry(k).or_default();
                    e.0 += amount;
                    if is_marketing {
                        e.1 += amount;
                    }
                }
            }
        }
    }
    facts.won_accounts = won_by_account.iter().filter(|v| !v.is_nan()).count();
    facts.won_accounts_total = won_by_account.iter().filter(|v| !v.is_nan()).sum();
    drop(won_by_account);
    cx.push(
        m("marketing_sourced_bookings", Unit::Currency, Some(marketing_total)).rows(with_source, closed - with_source),
    );
    cx.push(m("marketing_sourced_share", Unit::Ratio, ratio(marketing_total, total)));
    for (k, (all, mkt)) in &per_period {
        let label = cx.opts.calendar.label(*k);
        cx.push(m("marketing_sourced_bookings", Unit::Currency, Some(*mkt)).period(label.clone()));
        cx.push(m("marketing_sourced_share", Unit::Ratio, ratio(*mkt, *all)).period(label));
    }
    let tally_metrics = |t: &Tally| {
        [
            m("bookings", Unit::Currency, Some(t.bookings)),
            m("won_count", Unit::Count, Some(t.won as f64)),
            m("win_rate", Unit::Ratio, ratio(t.won as f64, (t.won + t.lost) as f64)),
        ]
    };
    for (source, t) in &by_source {
        for metric in tally_metrics(t) {
            cx.push(metric.by("lead_source", source));
        }
    }
    for (channel, t) in &by_channel {
        for metric in tally_metrics(t) {
            cx.push(metric.by("source_channel", channel));
        }
    }
    facts
}

// ---------------------------------------------------------------------------------------
// CAC, payback, CLV

/// - `sales_marketing_spend`: Σ spend of the Marketing and Sales channels (whole = every
///   month up to the as-of month; per period).
/// - `new_customers`: accounts whose first won deal closed in the span (with deals that have
///   accounts), else customers with new MRR (first paying month) in the span.
/// - `cac` = sales_marketing_spend ÷ new_customers, over the months from the first spend
///   month to the as-of month (whole) and per period.
/// - `cac_payback_months` = CAC ÷ (average new-customer MRR × gross margin), the average over
///   the `new` movements of the same span.
/// - `clv` = ARPA × gross margin ÷ monthly logo churn, with ARPA = MRR ÷ paying customers at
///   the as-of month and the monthly churn pooled over the 12 months to the as-of month
///   (Σ lost ÷ Σ paying at month start). Without MRR: Σ won amount ÷ accounts with a won deal.
/// - `ltv_to_cac` = clv ÷ cac.
fn unit_economics(cx: &mut Ctx, deals: &DealFacts, mrr: Option<&MrrTable>, mv: &[MrrMovement]) {
    let gm = cx.opts.gross_margin;
    let as_of = cx.opts.as_of;
    let as_of_month = month_of(as_of).unwrap_or(0);

    // CLV.
    // Customers with a won amount, for the deals-only CLV.
    let customers = deals.won_accounts;
    let clv = if let Some(t) = mrr {
        let last = t.months - 1;
        let paying = t.paying(last);
        let arpa = ratio(t.mrr(last), paying as f64);
        let (mut lost, mut base) = (0, 0);
        for k in last.saturating_sub(11)..=last {
            let (l, b) = t.logo_churn(k);
            lost += l;
            base += b;
        }
        let churn = ratio(lost as f64, base as f64);
        cx.push(m("arpa", Unit::Currency, arpa).rows(paying, 0));
        cx.push(m("logo_churn_rate_monthly_avg", Unit::Ratio, churn).rows(base, 0));
        let clv = match (arpa, churn) {
            (Some(a), Some(c)) if c > 0.0 => Some(a * gm / c),
            (None, _) => {
                cx.undefined(
                    "clv",
                    "no paying customer at the as-of month",
                    Message::new("undefined_no_paying_customer"),
                );
                None
            }
            _ => {
                cx.undefined(
                    "clv",
                    "no customer churned in the 12 months to the as-of month: lifetime unbounded",
                    Message::new("undefined_no_churn"),
                );
                None
            }
        };
        cx.push(m("clv", Unit::Currency, clv));
        clv
    } else if customers > 0 {
        let total = deals.won_accounts_total;
        let clv = ratio(total, customers as f64);
        cx.push(m("clv", Unit::Currency, clv).rows(customers, 0));
        clv
    } else {
        cx.missing("clv", "revenue lines (subscriptions or billing), or won deals with accounts");
        None
    };

    // CAC.
    let s = &cx.ds.spend;
    let spend_rows: Vec<usize> = (0..s.len())
        .filter(|&i| s.channel[i] != SpendChannel::Other && !s.amount[i].is_nan())
        .filter(|&i| month_of(s.month[i]).is_some_and(|mo| mo <= as_of_month))
        .collect();
    if spend_rows.is_empty() {
        let needs = if s.is_empty() {
            "a spend file (month, department, amount)"
        } else {
            "spend lines of the Marketing or Sales department up to the as-of month"
        };
        for id in ["cac", "cac_payback_months", "ltv_to_cac"] {
            cx.missing(id, needs);
        }
        return;
    }
    // New customers: (day, MRR if known) per customer.
    let won_days: Vec<Day> = deals.first_won.iter().copied().filter(|&day| day != NO_DAY).collect();
    let new_days: Vec<Day> = if !won_days.is_empty() {
        won_days
    } else if let Some(t) = mrr {
        t.first_paying().into_iter().flatten().map(|k| month_start(t.first + k as i32)).collect()
    } else {
        for id in ["cac", "cac_payback_months", "ltv_to_cac"] {
            cx.missing(id, "won deals with accounts, or revenue lines, to count new customers");
        }
        return;
    };
    let first_spend_month = spend_rows.iter().filter_map(|&i| month_of(s.month[i])).min().unwrap_or(as_of_month);
    let span_start = month_start(first_spend_month);
    let spend_total: f64 = spend_rows.iter().map(|&i| s.amount[i]).sum();
    let new_count = new_days.iter().filter(|&&d| d >= span_start && d <= as_of).count();
    let cac = ratio(spend_total, new_count as f64);
    cx.push(m("sales_marketing_spend", Unit::Currency, Some(spend_total)).rows(spend_rows.len(), 0));
    cx.push(m("new_customers", Unit::Count, Some(new_count as f64)));
    cx.push(m("cac", Unit::Currency, cac).rows(new_count, 0));
    if cac.is_none() {
        cx.undefined("cac", "no new customer won while there was spend", Message::new("undefined_no_new_customer"));
    }
    let mut spend_by: BTreeMap<PeriodKey, f64> = BTreeMap::new();
    let mut new_by: BTreeMap<PeriodKey, usize> = BTreeMap::new();
    for &i in &spend_rows {
        if let Some(k) = cx.opts.calendar.key(s.month[i]) {
            *spend_by.entry(k).or_default() += s.amount[i];
        }
    }
    for &d in new_days.iter().filter(|&&d| d >= span_start && d <= as_of) {
        if let Some(k) = cx.opts.calendar.key(d) {
            *new_by.entry(k).or_default() += 1;
        }
    }
    for (k, amount) in &spend_by {
        let label = cx.opts.calendar.label(*k);
        let n = new_by.get(k).copied().unwrap_or(0);
        cx.push(m("sales_marketing_spend", Unit::Currency, Some(*amount)).period(label.clone()));
        cx.push(m("new_customers", Unit::Count, Some(n as f64)).period(label.clone()));
        cx.push(m("cac", Unit::Currency, ratio(*amount, n as f64)).period(label).rows(n, 0));
    }

    // Payback: average new MRR over the same months.
    if let Some(t) = mrr {
        let (mut new_mrr, mut new_n) = (0.0, 0);
        for (k, row) in mv.iter().enumerate() {
            if t.first + k as i32 >= first_spend_month {
                new_mrr += row.new;
                new_n += row.new_customers;
            }
        }
        let avg_new = ratio(new_mrr, new_n as f64);
        let payback = match (cac, avg_new) {
            (Some(c), Some(a)) if a > 0.0 && gm > 0.0 => Some(c / (a * gm)),
            _ => None,
        };
        if payback.is_none() {
            cx.undefined(
                "cac_payback_months",
                "no CAC or no new-customer MRR in the spend months",
                Message::new("undefined_no_cac_or_mrr"),
            );
        }
        cx.push(m("new_customer_mrr_avg", Unit::Currency, avg_new).rows(new_n, 0));
        cx.push(m("cac_payback_months", Unit::Months, payback));
    } else {
        cx.missing("cac_payback_months", "revenue lines (subscriptions or billing) for new-customer MRR");
    }
    let ltv_to_cac = match (clv, cac) {
        (Some(l), Some(c)) if c > 0.0 => Some(l / c),
        _ => None,
    };
    if ltv_to_cac.is_none() {
        cx.undefined("ltv_to_cac", "CLV or CAC is undefined", Message::new("undefined_no_clv_or_cac"));
    }
    cx.push(m("ltv_to_cac", Unit::Ratio, ltv_to_cac));
}

// ---------------------------------------------------------------------------------------
// Revenue, growth

/// - `other_income` (whole, per period, `by: {"category"}`): Σ ledger lines up to the as-of.
/// - `total_revenue` = bookings (sales revenue) + other income; `by: {"category": "sales" |
///   "interest" | "investment" | "royalty" | "other"}` gives the split; whole and per period.
/// - `revenue_growth_mom` / `_qoq` / `_yoy`, `by: {"of": "bookings" | "total_revenue" |
///   "mrr"}`: value(P) ÷ value(P−1) − 1. MoM: the as-of month against the month before;
///   QoQ: the as-of (fiscal) quarter against the one before (a partial quarter if the as-of
///   date is mid-quarter); YoY of flows: the 12 months to the as-of month against the 12
///   before; YoY of MRR: the as-of month against the same month a year before. Series:
///   MoM per month, QoQ per quarter, YoY per month (month against the same month a year
///   before). Null when the earlier value is 0.
fn growth_and_revenue(cx: &mut Ctx, deals: &DealFacts, mrr: Option<&MrrTable>) {
    let as_of = cx.opts.as_of;
    let as_of_month = month_of(as_of).unwrap_or(0);
    let cal = cx.opts.calendar;
    let inc = &cx.ds.other_income;
    let income_rows: Vec<usize> =
        (0..inc.len()).filter(|&i| inc.date[i] != NO_DAY && inc.date[i] <= as_of && !inc.amount[i].is_nan()).collect();
    let cat_name = |c: IncomeCategory| match c {
        IncomeCategory::Interest => "interest",
        IncomeCategory::Investment => "investment",
        IncomeCategory::Royalty => "royalty",
        IncomeCategory::Other => "other",
    };
    let bookings_total: f64 = deals.won.iter().map(|w| w.1).sum();
    let income_total: f64 = income_rows.iter().map(|&i| inc.amount[i]).sum();
    let has_deals = !cx.ds.deals.is_empty();
    if income_rows.is_empty() {
        cx.missing("other_income", "a finance ledger of other income (date, category, amount)");
    } else {
        cx.push(m("other_income", Unit::Currency, Some(income_total)).rows(income_rows.len(), 0));
        let mut by_cat: BTreeMap<&str, f64> = BTreeMap::new();
        let mut by_period: BTreeMap<PeriodKey, f64> = BTreeMap::new();
        for &i in &income_rows {
            *by_cat.entry(cat_name(inc.category[i])).or_default() += inc.amount[i];
            if let Some(k) = cal.key(inc.date[i]) {
                *by_period.entry(k).or_default() += inc.amount[i];
            }
        }
        for (c, v) in &by_cat {
            cx.push(m("other_income", Unit::Currency, Some(*v)).by("category", c));
            if has_deals {
                cx.push(m("total_revenue", Unit::Currency, Some(*v)).by("category", c));
            }
        }
        for (k, v) in &by_period {
            cx.push(m("other_income", Unit::Currency, Some(*v)).period(cal.label(*k)));
        }
    }
    if has_deals {
        cx.push(m("total_revenue", Unit::Currency, Some(bookings_total + income_total)));
        cx.push(m("total_revenue", Unit::Currency, Some(bookings_total)).by("category", "sales"));
        let mut by_period: BTreeMap<PeriodKey, f64> = BTreeMap::new();
        for &(day, amount) in &deals.won {
            if let Some(k) = cal.key(day) {
                *by_period.entry(k).or_default() += amount;
            }
        }
        for &i in &income_rows {
            if let Some(k) = cal.key(inc.date[i]) {
                *by_period.entry(k).or_default() += inc.amount[i];
            }
        }
        for (k, v) in &by_period {
            cx.push(m("total_revenue", Unit::Currency, Some(*v)).period(cal.label(*k)));
        }
    } else if !income_rows.is_empty() {
        cx.missing("total_revenue", "a deals export (sales revenue is the bookings of won deals)");
    }

    // Growth.
    let mut flows: Vec<(&str, BTreeMap<i32, f64>)> = Vec::new();
    if has_deals {
        let mut b: BTreeMap<i32, f64> = BTreeMap::new();
        for &(day, amount) in &deals.won {
            if let Some(mo) = month_of(day) {
                *b.entry(mo).or_default() += amount;
            }
        }
        let mut t = b.clone();
        for &i in &income_rows {
            if let Some(mo) = month_of(inc.date[i]) {
                *t.entry(mo).or_default() += inc.amount[i];
            }
        }
        flows.push(("bookings", b));
        flows.push(("total_revenue", t));
    } else {
        cx.missing("revenue_growth", "a deals export (growth of bookings and of revenue)");
    }
    let quarter = Calendar { grain: Grain::Quarter, ..cal };
    let growth = |now: f64, then: f64| ratio(now, then).map(|r| r - 1.0);
    for (of, monthly) in &flows {
        let Some(&first) = monthly.keys().next() else { continue };
        let get = |mo: i32| if mo < first { f64::NAN } else { monthly.get(&mo).copied().unwrap_or(0.0) };
        let sum = |from: i32, to: i32| -> f64 { (from..=to).map(get).sum() };
        let mom = growth(get(as_of_month), get(as_of_month - 1));
        cx.push(m("revenue_growth_mom", Unit::Ratio, mom).by("of", of));
        let yoy = growth(sum(as_of_month - 11, as_of_month), sum(as_of_month - 23, as_of_month - 12));
        cx.push(m("revenue_growth_yoy", Unit::Ratio, yoy).by("of", of));
        let mut quarters: BTreeMap<PeriodKey, f64> = BTreeMap::new();
        for mo in first..=as_of_month {
            if let Some(k) = quarter.key(month_start(mo)) {
                *quarters.entry(k).or_default() += get(mo);
            }
        }
        let q_now = quarter.key(as_of);
        let qoq = q_now.and_then(|q| growth(*quarters.get(&q)?, *quarters.get(&PeriodKey(q.0 - 1))?));
        cx.push(m("revenue_growth_qoq", Unit::Ratio, qoq).by("of", of));
        for mo in first + 1..=as_of_month {
            let label = month_label(mo);
            let mut g = m("revenue_growth_mom", Unit::Ratio, growth(get(mo), get(mo - 1))).period(label.clone());
            g.by = Some(BTreeMap::from([("of".to_string(), of.to_string())]));
            cx.push(g);
            if mo - 12 >= first {
                let mut g = m("revenue_growth_yoy", Unit::Ratio, growth(get(mo), get(mo - 12))).period(label);
                g.by = Some(BTreeMap::from([("of".to_string(), of.to_string())]));
                cx.push(g);
            }
        }
        for (k, v) in &quarters {
            if let Some(prev) = quarters.get(&PeriodKey(k.0 - 1)) {
                let mut g = m("revenue_growth_qoq", Unit::Ratio, growth(*v, *prev)).period(quarter.label(*k));
                g.by = Some(BTreeMap::from([("of".to_string(), of.to_string())]));
                cx.push(g);
            }
        }
    }
    if let Some(t) = mrr {
        let last = t.months as i64 - 1;
        let at = |k: i64| if k < 0 { None } else { Some(t.mrr(k as usize)) };
        let g = |a: Option<f64>, b: Option<f64>| growth(a?, b?);
        cx.push(m("revenue_growth_mom", Unit::Ratio, g(at(last), at(last - 1))).by("of", "mrr"));
        cx.push(m("revenue_growth_yoy", Unit::Ratio, g(at(last), at(last - 12))).by("of", "mrr"));
        // QoQ of MRR: the as-of month against three months before (MRR is a stock).
        cx.push(m("revenue_growth_qoq", Unit::Ratio, g(at(last), at(last - 3))).by("of", "mrr"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_channels() {
        assert_eq!(source_channel("Paid Search", None), "marketing");
        assert_eq!(source_channel("Webinar", None), "marketing");
        assert_eq!(source_channel("Outbound", None), "sales");
        assert_eq!(source_channel("Partner", None), "partner");
        assert_eq!(source_channel("Referrals", None), "partner");
        assert_eq!(source_channel("Offline Sources", None), "other");
        assert_eq!(source_channel("", None), "other");
        let list = vec!["Event".to_string()];
        assert_eq!(source_channel("event", Some(&list)), "marketing");
        assert_eq!(source_channel("Web", Some(&list)), "other");
    }

    #[test]
    fn month_helpers() {
        let d = day_from_ymd(2024, 2, 29).unwrap();
        let mo = month_of(d).unwrap();
        assert_eq!(month_label(mo), "2024-02");
        assert_eq!(month_start(mo), day_from_ymd(2024, 2, 1).unwrap());
        assert_eq!(month_start(mo + 11), day_from_ymd(2025, 1, 1).unwrap());
    }
}
