//! Spend and CAC as SQL, by the rule of `metrics::revenue` (`unit_economics`): the spend lines
//! of the Marketing and Sales departments with an amount, in months up to the as-of month;
//! new customers = accounts whose first won deal of the window closed from the first spend
//! month to the as-of date (without won deals with accounts: customers whose first paying
//! month in the MRR table is in that span, at its first day); `cac` = spend ÷ new customers.
//! Whole and per period of the spend months. Only when there are spend lines and a way to
//! count new customers, as in the report. With the MRR table: `new_customer_mrr_avg` (the new
//! MRR of the months from the first spend month ÷ the customers new in them) and
//! `cac_payback_months` = CAC ÷ (that × gross margin); `ltv_to_cac` = CLV ÷ CAC. The gross
//! margin is the report's default.

use super::{month_index, null_text, Query};
use crate::metrics::revenue::RevenueOptions;
use std::fmt::Write;

/// The ids this part emits.
pub const SPEND_IDS: &[&str] =
    &["sales_marketing_spend", "new_customers", "cac", "new_customer_mrr_avg", "cac_payback_months", "ltv_to_cac"];

/// The spend lines and their first month (each CTE preceded by ",\n"); after the MRR CTEs and
/// before the RevOps ones, whose `unit_mrr` reads `sp_first`.
pub(super) fn spend_ctes(q: &Query, as_of_month: i64) -> String {
    let dbl = q.d.double();
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nsp AS (\n  SELECT mo, amount, {period} AS period\n  \
         FROM (SELECT CAST(month AS DATE) AS mo, CAST(amount AS {dbl}) AS amount, channel FROM spend) s\n  \
         WHERE COALESCE(channel, '') <> 'other' AND amount IS NOT NULL AND mo IS NOT NULL AND {mo_index} <= {as_of_month}\n),\n\
         sp_first AS (SELECT MIN({mo_index}) AS first_m, COUNT(*) AS n, SUM(amount) AS total FROM sp)",
        period = q.period_label("mo"),
        mo_index = month_index("mo"),
    );
    s
}

/// The new customers and the one-row table of the whole figures (each CTE preceded by ",\n");
/// after the RevOps CTEs (`unit_mrr`, `won_accounts`).
pub(super) fn ctes(q: &Query) -> String {
    let dbl = q.d.double();
    let year = "CAST(FLOOR(m / 12.0) AS BIGINT)";
    let first_day = q.d.make_date(year, &format!("m - 12 * {year} + 1"), "1");
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nfirst_won AS (\n  SELECT account, MIN(close_date) AS d FROM win\n  \
         WHERE status = 'won' AND account <> '' AND close_date IS NOT NULL GROUP BY account\n),\n\
         fw_count AS (SELECT COUNT(*) AS n FROM first_won),\n\
         new_days AS (\n  SELECT d FROM first_won\n  UNION ALL\n  \
         SELECT {first_day} AS d FROM (SELECT customer, MIN(m) AS m FROM mrr_g WHERE v > 1e-9 GROUP BY customer) fp\n  \
         CROSS JOIN fw_count WHERE fw_count.n = 0\n),\n\
         new_in AS (\n  SELECT d, {new_period} AS period FROM new_days CROSS JOIN sp_first\n  \
         WHERE {d_index} >= sp_first.first_m AND d <= {as_of}\n),\n\
         new_by AS (SELECT period, COUNT(*) AS k FROM new_in GROUP BY period),\n\
         spend_whole AS (\n  SELECT f.total, nc.new_count, f.total / NULLIF(CAST(nc.new_count AS {dbl}), 0) AS cac, u.avg_new, u.months,\n    \
         CASE WHEN u.months > 0 THEN (CASE WHEN u.churn > 0 THEN u.arpa * {gm:?} / u.churn END)\n      \
         ELSE w.total / NULLIF(CAST(w.accounts AS {dbl}), 0) END AS clv\n  \
         FROM sp_first f CROSS JOIN fw_count CROSS JOIN unit_mrr u\n  \
         CROSS JOIN (SELECT COALESCE(SUM(k), 0) AS new_count FROM new_by) nc\n  \
         CROSS JOIN (SELECT COUNT(*) AS accounts, SUM(total) AS total FROM won_accounts) w\n  \
         WHERE f.n > 0 AND (fw_count.n > 0 OR u.months > 0)\n)",
        gm = RevenueOptions::default().gross_margin,
        new_period = q.period_label("d"),
        d_index = month_index("d"),
        as_of = q.as_of,
    );
    s
}

/// The SELECT of the long table: every row of every spend metric from one read of
/// `spend_whole` (Spark inlines a CTE wherever it is read, and the MRR CTEs under it are
/// large): the whole figures (`period` NULL) and the spend periods, each metric's value
/// picked by a CASE.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    let gm = RevenueOptions::default().gross_margin;
    // (id, unit, whether the whole row needs the MRR table, whole value, per-period value).
    let rows: [(&str, &str, bool, String, Option<String>); 6] = [
        ("sales_marketing_spend", "currency", false, "w.total".into(), Some("r.amount".into())),
        ("new_customers", "count", false, "w.new_count".into(), Some("r.k".into())),
        ("cac", "currency", false, "w.cac".into(), Some(format!("r.amount / NULLIF(CAST(r.k AS {dbl}), 0)"))),
        ("new_customer_mrr_avg", "currency", true, "w.avg_new".into(), None),
        (
            "cac_payback_months",
            "months",
            true,
            format!("CASE WHEN w.avg_new > 0 AND {gm:?} > 0 THEN w.cac / (w.avg_new * {gm:?}) END"),
            None,
        ),
        ("ltv_to_cac", "ratio", false, "CASE WHEN w.cac > 0 THEN w.clv / w.cac END".into(), None),
    ];
    let ids: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(k, (id, unit, mrr, _, per))| {
            let (mrr, per) = (i32::from(*mrr), i32::from(per.is_some()));
            if k == 0 {
                format!("SELECT '{id}' AS id, '{unit}' AS unit, {mrr} AS needs_mrr, {per} AS per_period")
            } else {
                format!("SELECT '{id}', '{unit}', {mrr}, {per}")
            }
        })
        .collect();
    let whole: Vec<String> = rows.iter().map(|(id, _, _, v, _)| format!("WHEN '{id}' THEN {v}")).collect();
    let per: Vec<String> =
        rows.iter().filter_map(|(id, _, _, _, v)| v.as_ref().map(|v| format!("WHEN '{id}' THEN {v}"))).collect();
    vec![format!(
        "SELECT k.id AS metric_id, 'revops' AS lens, r.period AS period, {n} AS by_key, {n} AS by_value,\n  \
         CAST(CASE WHEN r.period IS NULL THEN CASE k.id {whole} END ELSE CASE k.id {per} END END AS {dbl}) AS value,\n  \
         k.unit AS unit\n\
         FROM spend_whole w\n\
         CROSS JOIN (\n  SELECT {n} AS period, CAST(NULL AS {dbl}) AS amount, CAST(0 AS BIGINT) AS k\n  UNION ALL\n  \
         SELECT s.period, s.amount, COALESCE(c.k, 0)\n  \
         FROM (SELECT period, SUM(amount) AS amount FROM sp WHERE period IS NOT NULL GROUP BY period) s\n  \
         LEFT JOIN new_by c ON c.period = s.period\n) r\n\
         CROSS JOIN ({ids}) k\n\
         WHERE (r.period IS NULL AND (k.needs_mrr = 0 OR w.months > 0)) OR (r.period IS NOT NULL AND k.per_period = 1)",
        whole = whole.join(" "),
        per = per.join(" "),
        ids = ids.join(" UNION ALL "),
    )]
}
