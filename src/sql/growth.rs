//! Revenue growth as SQL, by the rule of `metrics::revenue` (`growth_and_revenue`): value(P) ÷
//! value(P−1) − 1, null when the earlier value is 0 or not there, `by: {"of": …}`.
//!
//! - Of the flows `bookings` (won deals of [`super::revops`]'s `won_flow`) and `total_revenue`
//!   (those and the other income of `inc`), only when there is a deals export: their monthly
//!   sums from the first month with a value to the as-of month (months without one are 0).
//!   MoM: the as-of month against the month before; QoQ: the as-of (fiscal) quarter against the
//!   one before (the first quarter holds only the months from the first month); YoY: the 12
//!   months to the as-of month against the 12 before (null unless all 24 are from the first
//!   month on). Series: MoM per month (`YYYY-MM`), YoY per month against the same month a year
//!   before, QoQ per (fiscal) quarter — whatever the report's grain.
//! - Of `mrr` (whole only, with the MRR table): the as-of month's MRR against the month
//!   before (MoM), three months before (QoQ: MRR is a stock) and twelve (YoY); see
//!   [`mrr_rows`], read with the other figures of `unit_mrr`.

use super::mrr::months_to_as_of;
use super::{month_label_sql, Query};
use crate::metrics::periods::Grain;
use std::fmt::Write;

const MOM: &str = "revenue_growth_mom";
const QOQ: &str = "revenue_growth_qoq";
const YOY: &str = "revenue_growth_yoy";

/// The ids this part emits (RevOps lens).
pub const GROWTH_IDS: &[&str] = &[MOM, QOQ, YOY];

/// `now ÷ then − 1`, null when `then` is 0 or null.
fn growth(now: &str, then: &str) -> String {
    format!("CASE WHEN {then} <> 0 THEN {now} / {then} - 1 END")
}

/// The CTEs of the flows' growth (each preceded by ",\n"); after the RevOps CTEs (`won_flow`,
/// `inc`, `deal_count`) and the MRR ones (`mrr_digits`).
pub(super) fn ctes(q: &Query, as_of_month: i64) -> String {
    let dbl = q.d.double();
    let shift = q.cal.fiscal_year_start_month.clamp(1, 12) as i64 - 1;
    let months = months_to_as_of(
        "b.flow, b.first_m, ",
        "(SELECT flow, MIN(m) AS first_m FROM growth_flow GROUP BY flow) b",
        "b.first_m",
        as_of_month,
    );
    let by_month = "PARTITION BY flow ORDER BY m";
    let mut s = String::new();
    let _ = write!(
        s,
        ",\ngrowth_flow AS (\n  SELECT o.flow, f.m, SUM(f.amount) AS v\n  \
         FROM (SELECT 'b' AS src, m, amount FROM won_flow UNION ALL SELECT 'i', m, amount FROM inc) f\n  \
         JOIN (SELECT 'bookings' AS flow, 'b' AS src UNION ALL SELECT 'total_revenue', 'b' UNION ALL SELECT 'total_revenue', 'i') o\n    \
         ON o.src = f.src\n  CROSS JOIN deal_count dc WHERE dc.n > 0\n  GROUP BY o.flow, f.m\n),\n\
         growth_months AS (\n  {months}\n),\n\
         growth_monthly AS (\n  SELECT gm.flow, gm.first_m, gm.m, COALESCE(gf.v, CAST(0 AS {dbl})) AS v,\n    \
         CAST(FLOOR((gm.m - {shift}) / 3.0) AS BIGINT) AS qk\n  \
         FROM growth_months gm LEFT JOIN growth_flow gf ON gf.flow = gm.flow AND gf.m = gm.m\n),\n\
         growth_q AS (\n  SELECT flow, first_m, m, v, qk,\n    \
         LAG(v, 1) OVER ({by_month}) AS v1, LAG(v, 12) OVER ({by_month}) AS v12,\n    \
         SUM(v) OVER ({by_month} ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS y_now,\n    \
         SUM(v) OVER ({by_month} ROWS BETWEEN 23 PRECEDING AND 12 PRECEDING) AS y_then,\n    \
         SUM(v) OVER (PARTITION BY flow, qk) AS q_sum,\n    \
         CASE WHEN m = MAX(m) OVER (PARTITION BY flow, qk) THEN 1 ELSE 0 END AS q_last\n  \
         FROM growth_monthly\n),\n\
         growth_rows AS (\n  SELECT flow, first_m, m, v, qk, v1, v12, y_now, y_then, q_sum, q_last,\n    \
         LAG(q_sum) OVER (PARTITION BY flow, q_last ORDER BY m) AS q_prev\n  FROM growth_q\n)"
    );
    s
}

/// The SELECT of the flows' growth: every row, whole and per period, from one read of
/// `growth_rows` (each row a month; the last month of a quarter also holds the quarter).
pub(super) fn selects(q: &Query, as_of_month: i64) -> Vec<String> {
    let dbl = q.d.double();
    let shift = q.cal.fiscal_year_start_month.clamp(1, 12) as i64 - 1;
    let quarter_label = q.label_of_month(&format!("(r.qk * 3 + {shift})"), Grain::Quarter);
    let kinds: Vec<String> = [MOM, QOQ, YOY]
        .iter()
        .flat_map(|id| [(id, 1), (id, 0)])
        .map(|(id, whole)| format!("SELECT '{id}' AS id, {whole} AS whole"))
        .collect();
    vec![format!(
        "SELECT k.id AS metric_id, 'revops' AS lens,\n  \
         CASE WHEN k.whole = 1 THEN NULL WHEN k.id = '{QOQ}' THEN {quarter_label} ELSE {month_label} END AS period,\n  \
         'of' AS by_key, r.flow AS by_value,\n  \
         CAST(CASE WHEN k.id = '{MOM}' THEN {mom}\n    \
         WHEN k.id = '{QOQ}' THEN {qoq}\n    \
         WHEN k.whole = 1 THEN CASE WHEN r.m - 23 >= r.first_m THEN {yoy_whole} END\n    \
         ELSE {yoy} END AS {dbl}) AS value, 'ratio' AS unit\n\
         FROM growth_rows r CROSS JOIN ({kinds}) k\n\
         WHERE (k.whole = 1 AND r.m = {as_of_month})\n  \
         OR (k.whole = 0 AND k.id = '{MOM}' AND r.m > r.first_m)\n  \
         OR (k.whole = 0 AND k.id = '{YOY}' AND r.m - 12 >= r.first_m)\n  \
         OR (k.whole = 0 AND k.id = '{QOQ}' AND r.q_last = 1 AND r.q_prev IS NOT NULL)",
        month_label = month_label_sql("r.m"),
        mom = growth("r.v", "r.v1"),
        qoq = growth("r.q_sum", "r.q_prev"),
        yoy_whole = growth("r.y_now", "r.y_then"),
        yoy = growth("r.v", "r.v12"),
        kinds = kinds.join(" UNION ALL "),
    )]
}

/// The growth of MRR as `(id, unit, value)` over `unit_mrr`'s MRR of the as-of month (`mrr_0`)
/// and of 1, 3 and 12 months before (`mrr_1`, `mrr_3`, `mrr_12`; null before the first month).
pub(super) fn mrr_rows() -> Vec<(&'static str, &'static str, String)> {
    [(MOM, "mrr_1"), (QOQ, "mrr_3"), (YOY, "mrr_12")].map(|(id, then)| (id, "ratio", growth("mrr_0", then))).into()
}

/// `unit_mrr`'s columns for [`mrr_rows`]: the MRR of the as-of month and of 1, 3 and 12 months
/// before (each preceded by ",\n    ").
pub(super) fn mrr_columns(as_of_month: i64) -> String {
    [0, 1, 3, 12].map(|k| format!(",\n    MAX(CASE WHEN m = {as_of_month} - {k} THEN end_mrr END) AS mrr_{k}")).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_null_on_a_zero_or_missing_base() {
        assert_eq!(growth("a", "b"), "CASE WHEN b <> 0 THEN a / b - 1 END");
        assert_eq!(mrr_rows().len(), GROWTH_IDS.len());
        assert!(mrr_columns(24000).contains("WHEN m = 24000 - 12 THEN end_mrr END) AS mrr_12"));
    }
}
