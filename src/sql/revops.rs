//! RevOps totals as SQL, by the rules of `metrics::revenue` (`growth_and_revenue`,
//! `unit_economics`): `other_income` (whole, by category, per period: ledger lines dated on or
//! before the as-of date with an amount), `total_revenue` (bookings of won deals in the window
//! with an amount and a close date, plus other income; whole, by category — `sales` and each
//! income category — and per period; only when there is a deals export), and from the MRR
//! table `arpa` (MRR ÷ paying customers at the as-of month), `logo_churn_rate_monthly_avg`
//! (customers lost ÷ customers paying the month before, summed over the twelve months to the
//! as-of month; written as the as-of month minus 11, so the query depends on the date only through
//! its month index, which `revlens dbt` makes a var) and `clv` (ARPA × gross margin ÷ that churn; without MRR, Σ won amount ÷
//! accounts with a won deal with an amount). The gross margin is the report's default.
//! `unit_mrr` also holds the average new-customer MRR of the months from the first spend month
//! (`avg_new`, for CAC payback; one read of the MRR table for both, see `spend.rs`) and the MRR
//! of the months MRR's growth compares (see `growth.rs`).

use super::{growth, month_index, null_text, Dialect, Query};
use crate::metrics::revenue::RevenueOptions;
use std::fmt::Write;

/// The ids this part emits.
pub const REVOPS_IDS: &[&str] = &["other_income", "total_revenue", "arpa", "logo_churn_rate_monthly_avg", "clv"];

/// The CTEs (each preceded by ",\n"); after `win` and the MRR CTEs.
pub(super) fn ctes(q: &Query, as_of_month: i64) -> String {
    let dbl = q.d.double();
    let as_of = &q.as_of;
    let mut s = String::new();
    let _ = write!(
        s,
        ",\ninc AS (\n  SELECT COALESCE(category, '') AS category, amount, {period} AS period, {d_month} AS m\n  \
         FROM (SELECT CAST(date AS DATE) AS d, category, CAST(amount AS {dbl}) AS amount FROM other_income) i\n  \
         WHERE d IS NOT NULL AND d <= {as_of} AND amount IS NOT NULL\n),\n\
         won_flow AS (\n  SELECT amount, close_period AS period, {close_month} AS m FROM win\n  \
         WHERE status = 'won' AND amount IS NOT NULL AND close_date IS NOT NULL\n),\n\
         deal_count AS (SELECT COUNT(*) AS n FROM deals),\n\
         rev_totals AS (\n  SELECT b.bookings, i.income, i.income_rows, dc.n AS deals\n  \
         FROM (SELECT COALESCE(SUM(amount), CAST(0 AS {dbl})) AS bookings FROM won_flow) b\n  \
         CROSS JOIN (SELECT COALESCE(SUM(amount), CAST(0 AS {dbl})) AS income, COUNT(*) AS income_rows FROM inc) i\n  \
         CROSS JOIN deal_count dc\n),\n\
         unit_mrr AS (\n  SELECT COUNT(*) AS months,\n    \
         MAX(CASE WHEN m = {as_of_month} THEN end_mrr / NULLIF(customers, 0) END) AS arpa,\n    \
         SUM(CASE WHEN m >= {as_of_month} - 11 THEN churn_lost END) / NULLIF(SUM(CASE WHEN m >= {as_of_month} - 11 THEN churn_base END), 0) AS churn,\n    \
         SUM(CASE WHEN m >= s.first_m THEN mv_new END) / NULLIF(SUM(CASE WHEN m >= s.first_m THEN new_n END), 0) AS avg_new{growth}\n  \
         FROM mrr_mv CROSS JOIN sp_first s\n),\n\
         won_accounts AS (\n  SELECT account, SUM(amount) AS total FROM win\n  \
         WHERE status = 'won' AND amount IS NOT NULL AND account <> '' GROUP BY account\n)",
        period = q.period_label("d"),
        d_month = month_index("d"),
        close_month = month_index("close_date"),
        growth = growth::mrr_columns(as_of_month),
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(d: Dialect) -> Vec<String> {
    let n = null_text();
    let gm = RevenueOptions::default().gross_margin;
    let row = |id: &str, period: &str, by: Option<(&str, &str)>, value: &str, unit: &str, from: &str| {
        super::revops_row(d, id, period, by, value, unit, from)
    };
    let cat = Some(("category", "category"));
    let growth_ids = growth::GROWTH_IDS.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(", ");
    vec![
        row("other_income", &n, None, "income", "currency", "rev_totals WHERE income_rows > 0"),
        row("other_income", &n, cat, "SUM(amount)", "currency", "inc GROUP BY category"),
        row("other_income", "period", None, "SUM(amount)", "currency", "inc WHERE period IS NOT NULL GROUP BY period"),
        row("total_revenue", &n, None, "bookings + income", "currency", "rev_totals WHERE deals > 0"),
        row("total_revenue", &n, Some(("category", "'sales'")), "bookings", "currency", "rev_totals WHERE deals > 0"),
        row(
            "total_revenue",
            &n,
            cat,
            "SUM(amount)",
            "currency",
            "inc CROSS JOIN deal_count dc WHERE dc.n > 0 GROUP BY category",
        ),
        row(
            "total_revenue",
            "period",
            None,
            "SUM(amount)",
            "currency",
            "(SELECT amount, period FROM won_flow UNION ALL SELECT amount, period FROM inc) f\n  \
             CROSS JOIN deal_count dc WHERE period IS NOT NULL AND dc.n > 0 GROUP BY period",
        ),
        // The figures of the MRR table, from one read of it.
        super::rows_by_id(
            d,
            "revops",
            &[
                ("arpa", "currency", "arpa".to_string()),
                ("logo_churn_rate_monthly_avg", "ratio", "churn".to_string()),
                ("clv", "currency", format!("CASE WHEN churn > 0 THEN arpa * {gm:?} / churn END")),
            ]
            .into_iter()
            .chain(growth::mrr_rows())
            .collect::<Vec<_>>(),
            [
                &n,
                &format!("CASE WHEN k.id IN ({}) THEN 'of' END", growth_ids),
                &format!("CASE WHEN k.id IN ({}) THEN 'mrr' END", growth_ids),
            ],
            "unit_mrr",
            "months > 0",
        ),
        row(
            "clv",
            &n,
            None,
            "w.total / w.accounts",
            "currency",
            "(SELECT COUNT(*) AS accounts, SUM(total) AS total FROM won_accounts) w\n  \
             CROSS JOIN unit_mrr u WHERE w.accounts > 0 AND u.months = 0",
        ),
    ]
}
