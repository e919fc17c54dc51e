//! Attribution as SQL, by the rule of `metrics::revenue` (`deal_facts`): each closed deal of
//! the report window takes its lead source, or, when it has none, the source of the last lead
//! (in file order, `leads.seq`) converted into it; the source's channel comes from the word
//! lists [`source_channel`](crate::metrics::revenue::source_channel) reads (with the default
//! marketing test). `marketing_sourced_bookings` and `marketing_sourced_share` (whole and per
//! close period) and, per lead source and per channel, `bookings`, `won_count` and `win_rate`.

use super::{null_text, Query};
use crate::metrics::revenue::{MARKETING_SOURCE_WORDS, PARTNER_SOURCE_WORDS, SALES_SOURCE_WORDS};
use std::fmt::Write;

/// The ids this part emits (RevOps lens).
pub const ATTRIBUTION_IDS: &[&str] =
    &["marketing_sourced_bookings", "marketing_sourced_share", "bookings", "won_count", "win_rate"];

/// The CTEs (each preceded by ",\n"); after `win` and `deal_count`.
pub(super) fn ctes(q: &Query) -> String {
    let dbl = q.d.double();
    let any = |words: &[&str]| {
        let or: Vec<String> = words.iter().map(|w| format!("s LIKE '%{w}%'")).collect();
        format!("({})", or.join(" OR "))
    };
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nlead_src AS (\n  SELECT deal_id, source FROM (\n    \
         SELECT deal_id, source, ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY seq DESC) AS rn\n    \
         FROM leads WHERE COALESCE(deal_id, '') <> '' AND COALESCE(source, '') <> ''\n  ) l WHERE rn = 1\n),\n\
         att_src AS (\n  SELECT w.status, w.amount, w.close_date, w.close_period,\n    \
         CASE WHEN w.lead_source <> '' THEN w.lead_source ELSE COALESCE(ls.source, '') END AS src\n  \
         FROM win w LEFT JOIN lead_src ls ON ls.deal_id = w.id WHERE w.status <> 'open'\n),\n\
         att AS (\n  SELECT status, amount, close_date, close_period, CASE WHEN src = '' THEN '(none)' ELSE src END AS source_key,\n    \
         CASE WHEN s = '' THEN 'other' WHEN {partner} THEN 'partner' WHEN {sales} THEN 'sales'\n      \
         WHEN {marketing} THEN 'marketing' ELSE 'other' END AS channel\n  \
         FROM (SELECT att_src.*, LOWER(TRIM(src)) AS s FROM att_src) a\n),\n\
         att_total AS (\n  SELECT COALESCE(SUM(CASE WHEN status = 'won' AND amount IS NOT NULL THEN amount END), CAST(0 AS {dbl})) AS total,\n    \
         COALESCE(SUM(CASE WHEN status = 'won' AND amount IS NOT NULL AND channel = 'marketing' THEN amount END), CAST(0 AS {dbl})) AS mkt\n  \
         FROM att\n)",
        partner = any(PARTNER_SOURCE_WORDS),
        sales = any(SALES_SOURCE_WORDS),
        marketing = any(MARKETING_SOURCE_WORDS),
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    // `by`: the breakdown's name and the column holding its value.
    let row = |id: &str, period: &str, by: Option<(&str, &str)>, value: &str, unit: &str, from: &str| {
        super::revops_row(q.d, id, period, by, value, unit, from)
    };
    let whole = "att_total CROSS JOIN deal_count dc WHERE dc.n > 0";
    let periods = "(SELECT close_period, SUM(amount) AS total,\n    \
                   COALESCE(SUM(CASE WHEN channel = 'marketing' THEN amount END), CAST(0 AS DOUBLE)) AS mkt\n  \
                   FROM att WHERE status = 'won' AND amount IS NOT NULL AND close_period IS NOT NULL GROUP BY close_period) p";
    let periods = periods.replace("DOUBLE", dbl);
    let mut out = vec![
        row("marketing_sourced_bookings", &n, None, "mkt", "currency", whole),
        row("marketing_sourced_share", &n, None, "mkt / NULLIF(total, 0)", "ratio", whole),
        row("marketing_sourced_bookings", "close_period", None, "mkt", "currency", &periods),
        row("marketing_sourced_share", "close_period", None, "mkt / NULLIF(total, 0)", "ratio", &periods),
    ];
    for (by, key) in [("lead_source", "source_key"), ("source_channel", "channel")] {
        let from = format!("att GROUP BY {key}");
        let won = "COUNT(CASE WHEN status = 'won' THEN 1 END)";
        out.push(row(
            "bookings",
            &n,
            Some((by, key)),
            &format!(
                "COALESCE(SUM(CASE WHEN status = 'won' AND amount IS NOT NULL THEN amount END), CAST(0 AS {dbl}))"
            ),
            "currency",
            &from,
        ));
        out.push(row("won_count", &n, Some((by, key)), won, "count", &from));
        out.push(row(
            "win_rate",
            &n,
            Some((by, key)),
            &format!("CAST({won} AS {dbl}) / NULLIF(CAST(COUNT(*) AS {dbl}), 0)"),
            "ratio",
            &from,
        ));
    }
    out
}
