//! Quotas as SQL, by the rule of `metrics::sales` (`quota_metrics`), over the canonical `quotas`
//! table (owner, start_date, end_date exclusive, amount) and every row of `deals`:
//!
//! - `quota_attainment` per owner and quota period started by the as-of date: the owner's won
//!   amount closed in the period (on or before the as-of date) ÷ the quota, the owner matched
//!   by `quality::name_key` ([`super::Dialect::name_key`]: "ann lee" is "Ann  Lee"); per period
//!   for the team (Σ bookings ÷ Σ quotas of the period);
//! - `pipeline_coverage` for the periods holding the as-of date: the open amount expected to
//!   close in the period ÷ (quota − bookings), null when the quota is met; per owner and for the
//!   team;
//! - for the team's current period also the whole-data rows of both.
//!
//! Periods are labelled as `metrics::sales::period_label` does: `2025-03`, `2025-Q1`, `2025`,
//! or `start..last day` for other ranges. Deals without an amount do not count.

use super::{month_index, month_label_sql, null_text, Query, TEXT};
use std::fmt::Write;

/// The ids this part emits (SalesOps lens).
pub const QUOTA_IDS: &[&str] = &["quota_attainment", "pipeline_coverage"];

/// `metrics::sales::period_label` of a quota period `[start, end)` (two date expressions).
fn period_label(q: &Query, start: &str, end: &str) -> String {
    let months = format!("({} - {})", month_index(end), month_index(start));
    let month = format!("EXTRACT(MONTH FROM {start})");
    let year = format!("CAST(EXTRACT(YEAR FROM {start}) AS {TEXT})");
    format!(
        "CASE WHEN EXTRACT(DAY FROM {start}) = 1 AND EXTRACT(DAY FROM {end}) = 1 AND {months} = 1 THEN {month_label}\n      \
         WHEN EXTRACT(DAY FROM {start}) = 1 AND EXTRACT(DAY FROM {end}) = 1 AND {months} = 3 AND {month} IN (1, 4, 7, 10)\n        \
         THEN CONCAT({year}, '-Q', CAST(CAST(FLOOR(({month} - 1) / 3.0) AS BIGINT) + 1 AS {TEXT}))\n      \
         WHEN EXTRACT(DAY FROM {start}) = 1 AND EXTRACT(DAY FROM {end}) = 1 AND {months} = 12 AND {month} = 1 THEN {year}\n      \
         ELSE CONCAT(CAST({start} AS {TEXT}), '..', CAST({last} AS {TEXT})) END",
        month_label = month_label_sql(&month_index(start)),
        last = q.d.day_before(end),
    )
}

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let (d, as_of) = (q.d, &q.as_of);
    let dbl = d.double();
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nquota_rows AS (\n  SELECT owner, {owner_key} AS owner_key, qs, qe, quota, {label} AS period,\n    \
         CASE WHEN qs <= {as_of} AND {as_of} < qe THEN 1 ELSE 0 END AS current_period\n  \
         FROM (SELECT COALESCE(owner, '') AS owner, CAST(start_date AS DATE) AS qs, CAST(end_date AS DATE) AS qe,\n    \
         CAST(amount AS {dbl}) AS quota FROM quotas) x\n  WHERE qs <= {as_of}\n),\n\
         quota_deals AS (\n  SELECT {deal_key} AS owner_key, status, CAST(amount AS {dbl}) AS amount, CAST(close_date AS DATE) AS close_date\n  \
         FROM deals WHERE amount IS NOT NULL AND close_date IS NOT NULL AND status IN ('won', 'open')\n    \
         AND {deal_key} IN (SELECT owner_key FROM quota_rows)\n),\n\
         quota_owner AS (\n  SELECT r.owner, r.qs, r.qe, r.period, r.current_period, r.quota,\n    \
         COALESCE(SUM(CASE WHEN d.status = 'won' AND d.close_date <= {as_of} THEN d.amount END), CAST(0 AS {dbl})) AS booked,\n    \
         COALESCE(SUM(CASE WHEN d.status = 'open' THEN d.amount END), CAST(0 AS {dbl})) AS open_in\n  \
         FROM quota_rows r LEFT JOIN quota_deals d\n    \
         ON d.owner_key = r.owner_key AND d.close_date >= r.qs AND d.close_date < r.qe\n  \
         GROUP BY r.owner, r.owner_key, r.qs, r.qe, r.period, r.current_period, r.quota\n),\n\
         quota_groups AS (\n  SELECT 'owner' AS g, owner, period, current_period, booked, quota, open_in FROM quota_owner\n  \
         UNION ALL\n  SELECT 'team', '', period, current_period, SUM(booked), SUM(quota), SUM(open_in) FROM quota_owner\n  \
         GROUP BY qs, qe, period, current_period\n)",
        owner_key = d.name_key("owner"),
        deal_key = d.name_key("COALESCE(owner, '')"),
        label = period_label(q, "qs", "qe"),
    );
    s
}

/// The SELECTs of the long table, from one read of `quota_groups`: a row per group and
/// (attainment; coverage in the current period; both once more without a period for the team's
/// current period).
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    vec![format!(
        "SELECT k.id AS metric_id, 'salesops' AS lens, CASE WHEN k.whole = 1 THEN {n} ELSE g.period END AS period,\n  \
         CASE WHEN g.g = 'owner' THEN 'owner' END AS by_key, CASE WHEN g.g = 'owner' THEN g.owner END AS by_value,\n  \
         CAST(CASE WHEN k.id = 'quota_attainment' THEN g.booked / NULLIF(g.quota, 0)\n    \
         WHEN g.quota - g.booked > 0 THEN g.open_in / (g.quota - g.booked) END AS {dbl}) AS value, 'ratio' AS unit\n\
         FROM quota_groups g\n\
         CROSS JOIN (SELECT 'quota_attainment' AS id, 0 AS whole UNION ALL SELECT 'pipeline_coverage', 0\n  \
         UNION ALL SELECT 'quota_attainment', 1 UNION ALL SELECT 'pipeline_coverage', 1) k\n\
         WHERE (k.whole = 0 AND (k.id = 'quota_attainment' OR g.current_period = 1))\n  \
         OR (k.whole = 1 AND g.g = 'team' AND g.current_period = 1)"
    )]
}
