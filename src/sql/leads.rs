//! Leads as SQL, by the rule of `metrics::revenue` (`funnel_metrics`): `leads_created` counts the
//! leads created on or before the as-of date — whole (given whenever there are leads), per
//! period of the created date, and per lead source (`(none)` for a lead without one). The
//! funnel over the same leads is [`super::funnel`].

use super::{null_text, Query};
use std::fmt::Write;

/// The ids this part emits (RevOps lens).
pub const LEADS_IDS: &[&str] = &["leads_created"];

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nlead_rows AS (\n  SELECT CAST(created AS DATE) AS created, COALESCE(source, '') AS source, COALESCE(deal_id, '') AS deal_id,\n    \
         CAST(mql_date AS DATE) AS mql, CAST(sql_date AS DATE) AS sqld, CAST(opportunity_date AS DATE) AS opportunity,\n    \
         CAST(customer_date AS DATE) AS customer\n  FROM leads\n),\n\
         leads_in AS (\n  SELECT {period} AS period, CASE WHEN source = '' THEN '(none)' ELSE source END AS source_key,\n    \
         created, deal_id, mql, sqld, opportunity, customer\n  \
         FROM lead_rows WHERE created IS NOT NULL AND created <= {as_of}\n)",
        period = q.period_label("created"),
        as_of = q.as_of,
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let n = null_text();
    let row = |period: &str, by: Option<(&str, &str)>, value: &str, from: &str| {
        super::revops_row(q.d, "leads_created", period, by, value, "count", from)
    };
    vec![
        row(
            &n,
            None,
            "l.used",
            "(SELECT COUNT(*) AS n FROM lead_rows) a\n  CROSS JOIN (SELECT COUNT(*) AS used FROM leads_in) l WHERE a.n > 0",
        ),
        row("period", None, "COUNT(*)", "leads_in GROUP BY period"),
        row(&n, Some(("source", "source_key")), "COUNT(*)", "leads_in GROUP BY source_key"),
    ]
}
