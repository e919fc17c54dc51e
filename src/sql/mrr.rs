//! MRR, ARR, paying customers, the monthly movements, NRR, GRR and logo churn as SQL over the
//! canonical `revenue_lines` table, by the rules of `metrics::revenue` (its module doc: the
//! month-end snapshot, `end_date` exclusive, churned and non-recurring rows carry no revenue,
//! a customer's MRR floored at 0, paying above 1e-9). Always monthly, as in the report.
//!
//! Without revenue lines, the report's estimate from recurring-type won deals, by the same rule
//! (`metrics::revenue`'s word lists and months, shared): each standing-in deal is a line of
//! amount ÷ 12 from its close date to the same day a year later. The engine tests check every
//! value against the report, with billing and with deals only.

use super::{month_index, month_label_sql, Dialect};
use crate::metrics::revenue::{DEAL_MONTHS, ONE_OFF_TYPE_WORDS, RECURRING_TYPE_WORDS};
use std::fmt::Write;

/// The ids this part emits.
pub const MRR_IDS: &[&str] = &[
    "mrr",
    "arr",
    "customers",
    "mrr_new",
    "mrr_expansion",
    "mrr_contraction",
    "mrr_churned",
    "mrr_reactivated",
    "nrr",
    "grr",
    "logo_churn_rate",
];

/// `SELECT {keys}m FROM {from} …`: each month from `first` (a month index of `from`) to the
/// as-of month, one row per month and row of `from`, from the table of digits `mrr_digits` (one
/// of the MRR CTEs): no generator function (each engine has its own), 100,000 months at most
/// (any real date range). `keys`: columns of `from` to keep, each followed by ", ".
pub(super) fn months_to_as_of(keys: &str, from: &str, first: &str, as_of_month: i64) -> String {
    let m = format!("{first} + d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d + 10000 * d4.d");
    format!(
        "SELECT {keys}{m} AS m\n  \
         FROM {from}, mrr_digits d0, mrr_digits d1, mrr_digits d2, mrr_digits d3, mrr_digits d4\n  \
         WHERE {m} <= {as_of_month}"
    )
}

/// Mirrors `metrics::revenue`'s threshold for a paying customer.
const PAYING: &str = "1e-9";

/// The CTEs (each preceded by ",\n") over `revenue_lines`.
pub(super) fn ctes(d: Dialect, as_of: &str, as_of_month: i64, retention_months: u32) -> String {
    let dbl = d.double();
    let (m_start, m_end) = (month_index("r.start_date"), month_index("r.end_date"));
    let digits = (0..10).map(|k| format!("SELECT {k} AS d")).collect::<Vec<_>>().join(" UNION ALL ");
    let series = months_to_as_of("", "bounds b", "b.first_m", as_of_month);
    let mut s = String::new();
    // `t` holds a word of `words` (the deal type lower-cased, as `metrics::revenue` reads it).
    let any_word = |t: &str, words: &[&str]| {
        let or: Vec<String> = words.iter().map(|w| format!("{t} LIKE '%{w}%'")).collect();
        format!("({})", or.join(" OR "))
    };
    let (y, mo, da) =
        ("EXTRACT(YEAR FROM e.close_date)", "EXTRACT(MONTH FROM e.close_date)", "EXTRACT(DAY FROM e.close_date)");
    let year_later = format!(
        "CASE WHEN {mo} = 2 AND {da} = 29 THEN {} ELSE {} END",
        d.make_date(&format!("{y} + 1"), "3", "1"),
        d.make_date(&format!("{y} + 1"), mo, da)
    );
    let _ = write!(
        s,
        ",\nmrr_input AS (\n  \
         SELECT customer, CAST(mrr AS {dbl}) AS mrr, CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date,\n    \
         CAST(churned AS BOOLEAN) AS churned, CAST(recurring AS BOOLEAN) AS recurring\n  FROM revenue_lines\n  \
         UNION ALL\n  \
         SELECT e.account, e.amount / {months:?}, e.close_date, {year_later}, FALSE, TRUE\n  \
         FROM (SELECT account, status, CAST(amount AS {dbl}) AS amount, CAST(close_date AS DATE) AS close_date,\n    \
         LOWER(COALESCE(type, '')) AS t FROM deals) e\n  \
         CROSS JOIN (SELECT COUNT(*) AS n FROM revenue_lines) rl\n  \
         CROSS JOIN (SELECT COUNT(*) AS n FROM deals WHERE {recurring_type}) rt\n  \
         WHERE rl.n = 0 AND rt.n > 0\n    \
         AND e.status = 'won' AND NOT {one_off} AND e.close_date IS NOT NULL AND e.amount IS NOT NULL\n    \
         AND COALESCE(e.account, '') <> ''\n)",
        months = DEAL_MONTHS,
        recurring_type = any_word("LOWER(COALESCE(type, ''))", RECURRING_TYPE_WORDS),
        one_off = any_word("e.t", ONE_OFF_TYPE_WORDS),
    );
    let _ = write!(
        s,
        ",\nmrr_lines AS (\n  SELECT COALESCE(r.customer, '') AS customer, r.mrr, {m_start} AS m0,\n    \
         CASE WHEN r.end_date IS NULL THEN {as_of_month}\n         \
         WHEN {m_end} = {as_of_month} AND r.end_date > {as_of} THEN {as_of_month}\n         \
         ELSE LEAST({m_end} - 1, {as_of_month}) END AS m1\n  \
         FROM mrr_input r\n  \
         WHERE NOT COALESCE(r.churned, FALSE) AND COALESCE(r.recurring, FALSE)\n    \
         AND r.start_date IS NOT NULL AND r.mrr IS NOT NULL\n    \
         AND r.start_date <= {as_of} AND (r.end_date IS NULL OR r.end_date > r.start_date)\n)",
    );
    let _ = write!(
        s,
        ",\nmrr_spans AS (SELECT * FROM mrr_lines WHERE m1 >= m0),\n\
         bounds AS (SELECT MIN(m0) AS first_m FROM mrr_spans),\n\
         mrr_digits AS ({digits}),\n\
         mrr_months AS (\n  {series}\n),\n\
         mrr_customers AS (SELECT DISTINCT customer FROM mrr_spans),\n\
         mrr_grid AS (\n  SELECT c.customer, mo.m, GREATEST(COALESCE(SUM(sp.mrr), CAST(0 AS {dbl})), CAST(0 AS {dbl})) AS v\n  \
         FROM mrr_customers c CROSS JOIN mrr_months mo\n  \
         LEFT JOIN mrr_spans sp ON sp.customer = c.customer AND mo.m BETWEEN sp.m0 AND sp.m1\n  \
         GROUP BY c.customer, mo.m\n),\n\
         mrr_g AS (\n  SELECT customer, m, v,\n    \
         COALESCE(LAG(v) OVER (PARTITION BY customer ORDER BY m), CAST(0 AS {dbl})) AS prev,\n    \
         COALESCE(MAX(CASE WHEN v > {PAYING} THEN 1 ELSE 0 END) OVER (PARTITION BY customer ORDER BY m \
         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS seen\n  FROM mrr_grid\n),\n\
         mrr_mv AS (\n  SELECT m, {label} AS period,\n    \
         SUM(v) AS end_mrr,\n    \
         CAST(SUM(CASE WHEN v > {PAYING} THEN 1 ELSE 0 END) AS {dbl}) AS customers,\n    \
         SUM(CASE WHEN prev <= {PAYING} AND v > {PAYING} AND seen = 0 THEN v ELSE 0 END) AS mv_new,\n    \
         CAST(SUM(CASE WHEN prev <= {PAYING} AND v > {PAYING} AND seen = 0 THEN 1 ELSE 0 END) AS {dbl}) AS new_n,\n    \
         SUM(CASE WHEN prev <= {PAYING} AND v > {PAYING} AND seen = 1 THEN v ELSE 0 END) AS mv_reactivated,\n    \
         SUM(CASE WHEN prev > {PAYING} AND v <= {PAYING} THEN prev ELSE 0 END) AS mv_churned,\n    \
         SUM(CASE WHEN prev > {PAYING} AND v > {PAYING} AND v > prev THEN v - prev ELSE 0 END) AS mv_expansion,\n    \
         SUM(CASE WHEN prev > {PAYING} AND v > {PAYING} AND v <= prev THEN prev - v ELSE 0 END) AS mv_contraction,\n    \
         CAST(SUM(CASE WHEN prev > {PAYING} THEN 1 ELSE 0 END) AS {dbl}) AS churn_base,\n    \
         CAST(SUM(CASE WHEN prev > {PAYING} AND v <= {PAYING} THEN 1 ELSE 0 END) AS {dbl}) AS churn_lost\n  \
         FROM mrr_g GROUP BY m\n),\n\
         mrr_ret AS (\n  SELECT a.m, SUM(b.v) AS then_mrr, SUM(a.v) AS now_mrr, SUM(LEAST(a.v, b.v)) AS capped_mrr\n  \
         FROM mrr_g a JOIN mrr_g b ON b.customer = a.customer AND b.m = a.m - {back}\n  \
         WHERE b.v > {PAYING} GROUP BY a.m\n)",
        label = month_label_sql("m"),
        back = retention_months.max(1),
    );
    s
}

/// The SELECTs of the long table (joined with UNION ALL by the caller).
pub(super) fn selects(d: Dialect, as_of_month: i64) -> Vec<String> {
    let dbl = d.double();
    let n = super::null_text();
    let row = |id: &str, period: &str, value: &str, unit: &str, from: &str| {
        format!(
            "SELECT '{id}' AS metric_id, 'revops' AS lens, {period} AS period, {n} AS by_key, {n} AS by_value,\n  \
             CAST({value} AS {dbl}) AS value, '{unit}' AS unit FROM {from}"
        )
    };
    let mut out = Vec::new();
    let last = format!("mrr_mv WHERE m = {as_of_month}");
    let ret_last = format!("mrr_mv LEFT JOIN mrr_ret ON mrr_ret.m = mrr_mv.m WHERE mrr_mv.m = {as_of_month}");
    for (id, value, unit) in [
        ("mrr", "end_mrr", "currency"),
        ("arr", "end_mrr * 12", "currency"),
        ("customers", "customers", "count"),
        ("mrr_new", "mv_new", "currency"),
        ("mrr_expansion", "mv_expansion", "currency"),
        ("mrr_contraction", "mv_contraction", "currency"),
        ("mrr_churned", "mv_churned", "currency"),
        ("mrr_reactivated", "mv_reactivated", "currency"),
    ] {
        out.push(row(id, &n, value, unit, &last));
        out.push(row(id, "period", value, unit, "mrr_mv"));
    }
    out.push(row("nrr", &n, "now_mrr / NULLIF(then_mrr, 0)", "ratio", &ret_last));
    out.push(row("grr", &n, "capped_mrr / NULLIF(then_mrr, 0)", "ratio", &ret_last));
    let ret_series = "mrr_ret JOIN mrr_mv ON mrr_mv.m = mrr_ret.m WHERE then_mrr > 0";
    out.push(row("nrr", "period", "now_mrr / then_mrr", "ratio", ret_series));
    out.push(row("grr", "period", "capped_mrr / then_mrr", "ratio", ret_series));
    out.push(row("logo_churn_rate", &n, "churn_lost / NULLIF(churn_base, 0)", "ratio", &last));
    out.push(row(
        "logo_churn_rate",
        "period",
        "churn_lost / NULLIF(churn_base, 0)",
        "ratio",
        "mrr_mv WHERE m > (SELECT first_m FROM bounds)",
    ));
    out
}
