//! Leads as SQL, by the rule of `metrics::revenue` (`funnel_metrics`): `leads_created` counts the
//! leads created on or before the as-of date — whole (given whenever there are leads), per
//! period of the created date, and per lead source (`(none)` for a lead without one).

use super::{null_text, Query};
use std::fmt::Write;

/// The ids this part emits (RevOps lens).
pub const LEADS_IDS: &[&str] = &["leads_created"];

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nlead_rows AS (SELECT CAST(created AS DATE) AS created, COALESCE(source, '') AS source FROM leads),\n\
         leads_in AS (\n  SELECT {period} AS period, CASE WHEN source = '' THEN '(none)' ELSE source END AS source_key\n  \
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
