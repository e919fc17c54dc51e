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

use super::{null_text, Query};
use crate::metrics::revenue::RevenueOptions;
use std::fmt::Write;

/// The ids this part emits.
pub const SPEND_IDS: &[&str] =
    &["sales_marketing_spend", "new_customers", "cac", "new_customer_mrr_avg", "cac_payback_months", "ltv_to_cac"];

/// The month index (year × 12 + month − 1) of a date expression.
fn month_index(e: &str) -> String {
    format!("(EXTRACT(YEAR FROM {e}) * 12 + EXTRACT(MONTH FROM {e}) - 1)")
}

/// The CTEs (each preceded by ",\n"); after `win` and the MRR CTEs.
pub(super) fn ctes(q: &Query, as_of_month: i64) -> String {
    let dbl = q.d.double();
    let year = "CAST(FLOOR(m / 12.0) AS BIGINT)";
    let first_day = q.d.make_date(year, &format!("m - 12 * {year} + 1"), "1");
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nsp AS (\n  SELECT mo, amount, {period} AS period\n  \
         FROM (SELECT CAST(month AS DATE) AS mo, CAST(amount AS {dbl}) AS amount, channel FROM spend) s\n  \
         WHERE COALESCE(channel, '') <> 'other' AND amount IS NOT NULL AND mo IS NOT NULL AND {mo_index} <= {as_of_month}\n),\n\
         sp_first AS (SELECT MIN({mo_index}) AS first_m, COUNT(*) AS n, SUM(amount) AS total FROM sp),\n\
         first_won AS (\n  SELECT account, MIN(close_date) AS d FROM win\n  \
         WHERE status = 'won' AND account <> '' AND close_date IS NOT NULL GROUP BY account\n),\n\
         fw_count AS (SELECT COUNT(*) AS n FROM first_won),\n\
         mrr_count AS (SELECT COUNT(*) AS n FROM mrr_mv),\n\
         new_days AS (\n  SELECT d FROM first_won\n  UNION ALL\n  \
         SELECT {first_day} AS d FROM (SELECT customer, MIN(m) AS m FROM mrr_g WHERE v > 1e-9 GROUP BY customer) fp\n  \
         CROSS JOIN fw_count WHERE fw_count.n = 0\n),\n\
         new_in AS (\n  SELECT d, {new_period} AS period FROM new_days CROSS JOIN sp_first\n  \
         WHERE {d_index} >= sp_first.first_m AND d <= {as_of}\n),\n\
         cac_on AS (\n  SELECT sp_first.total, (SELECT COUNT(*) FROM new_in) AS new_n FROM sp_first CROSS JOIN fw_count CROSS JOIN mrr_count\n  \
         WHERE sp_first.n > 0 AND (fw_count.n > 0 OR mrr_count.n > 0)\n),\n\
         payback_in AS (\n  SELECT SUM(CASE WHEN m >= sp_first.first_m THEN mv_new END) / NULLIF(SUM(CASE WHEN m >= sp_first.first_m THEN new_n END), 0) AS avg_new\n  \
         FROM mrr_mv CROSS JOIN sp_first\n),\n\
         unit AS (\n  SELECT cac_on.total / NULLIF(CAST(cac_on.new_n AS {dbl}), 0) AS cac, p.avg_new,\n    \
         CASE WHEN u.months > 0 THEN (CASE WHEN u.churn > 0 THEN u.arpa * {gm:?} / u.churn END)\n      \
         ELSE w.total / NULLIF(CAST(w.accounts AS {dbl}), 0) END AS clv, u.months\n  \
         FROM cac_on CROSS JOIN payback_in p CROSS JOIN unit_mrr u\n  \
         CROSS JOIN (SELECT COUNT(*) AS accounts, SUM(total) AS total FROM won_accounts) w\n)",
        gm = RevenueOptions::default().gross_margin,
        period = q.period_label("mo"),
        mo_index = month_index("mo"),
        new_period = q.period_label("d"),
        d_index = month_index("d"),
        as_of = q.as_of,
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    let gm = RevenueOptions::default().gross_margin;
    let row = |id: &str, period: &str, value: &str, unit: &str, from: &str| {
        super::revops_row(q.d, id, period, None, value, unit, from)
    };
    let periods = "(SELECT s.period, s.amount, COALESCE(c.k, 0) AS k\n  \
                   FROM (SELECT period, SUM(amount) AS amount FROM sp WHERE period IS NOT NULL GROUP BY period) s\n  \
                   LEFT JOIN (SELECT period, COUNT(*) AS k FROM new_in GROUP BY period) c ON c.period = s.period) p\n  \
                   CROSS JOIN cac_on";
    vec![
        row("sales_marketing_spend", &n, "total", "currency", "cac_on"),
        row("new_customers", &n, "new_n", "count", "cac_on"),
        row("cac", &n, &format!("total / NULLIF(CAST(new_n AS {dbl}), 0)"), "currency", "cac_on"),
        row("sales_marketing_spend", "p.period", "p.amount", "currency", periods),
        row("new_customers", "p.period", "p.k", "count", periods),
        row("cac", "p.period", &format!("p.amount / NULLIF(CAST(p.k AS {dbl}), 0)"), "currency", periods),
        row("new_customer_mrr_avg", &n, "avg_new", "currency", "unit WHERE months > 0"),
        row(
            "cac_payback_months",
            &n,
            &format!("CASE WHEN avg_new > 0 AND {gm:?} > 0 THEN cac / (avg_new * {gm:?}) END"),
            "months",
            "unit WHERE months > 0",
        ),
        row("ltv_to_cac", &n, "CASE WHEN cac > 0 THEN clv / cac END", "ratio", "unit"),
    ]
}
