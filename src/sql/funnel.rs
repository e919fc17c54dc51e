//! The funnel as SQL, by the rule of `metrics::revenue` (`funnel_metrics`), over the leads of
//! [`super::leads`] (created on or before the as-of date): a lead reached a step when it has
//! that step's date on or before the as-of date, or a later step's; a lead whose `deal_id`
//! names a deal (the last row of that id in `deals`, as the report's lookup keeps it) reached
//! opportunity at the deal's creation and customer at its close when won (each on or before the
//! as-of date, and only where the lead has no date of its own).
//!
//! - `funnel_leads` … `funnel_customer` (leads reaching each step) and `conversion_x_to_y`
//!   (reached y ÷ reached x, null when none reached x): whole and per monthly creation cohort
//!   (`period` `YYYY-MM` whatever the calendar, as the report's cohorts), and
//!   `conversion_lead_to_customer` per lead source too (`(none)` for a lead without one);
//! - `days_x_to_y_median`: the median of (date y − date x) over the leads with both dates and
//!   y on or after x (x = lead: the created date), whole only; the mean of the two middle values
//!   of an even count ([`super::median_by`]).
//!
//! All of them only when there are leads, as in the report. The ids come from the report's
//! own lists (`metrics::revenue::FUNNEL_COUNT_IDS`, `CONVERSION_IDS`, `DAYS_IDS`).

use super::{median_by, month_index, month_label_sql, null_text, rows_by_id, Query};
use crate::metrics::revenue::{CONVERSION_IDS, DAYS_IDS, FUNNEL_COUNT_IDS};
use std::fmt::Write;

/// Reached the last step ÷ reached the first: the one conversion also given per lead source.
const LEAD_TO_CUSTOMER: &str = "conversion_lead_to_customer";

/// The ids this part emits (RevOps lens), in the report's order.
pub fn funnel_ids() -> impl Iterator<Item = &'static str> {
    FUNNEL_COUNT_IDS.into_iter().chain(CONVERSION_IDS).chain([LEAD_TO_CUSTOMER]).chain(DAYS_IDS)
}

/// `(id, unit, value)` of each count and conversion, over the counts `c.c0` … `c.c4`.
fn count_and_conversion_rows() -> Vec<(&'static str, &'static str, String)> {
    let conversion = |to: usize, from: usize| format!("c.c{to} / NULLIF(c.c{from}, 0)");
    let mut rows: Vec<_> =
        FUNNEL_COUNT_IDS.iter().enumerate().map(|(k, id)| (*id, "count", format!("c.c{k}"))).collect();
    rows.extend(CONVERSION_IDS.iter().enumerate().map(|(k, id)| (*id, "ratio", conversion(k + 1, k))));
    rows.push((LEAD_TO_CUSTOMER, "ratio", conversion(FUNNEL_COUNT_IDS.len() - 1, 0)));
    rows
}

/// The CTEs (each preceded by ",\n"); after [`super::leads::ctes`].
pub(super) fn ctes(q: &Query) -> String {
    let d = q.d;
    let dbl = d.double();
    let ok = |e: &str| format!("CASE WHEN {e} <= {} THEN {e} END", q.as_of);
    let steps = FUNNEL_COUNT_IDS.len();
    let reached: Vec<String> = (1..steps).rev().map(|k| format!("WHEN d{k} IS NOT NULL THEN {k}")).collect::<Vec<_>>();
    let counts: Vec<String> =
        (0..steps).map(|k| format!("CAST(COUNT(CASE WHEN r.reached >= {k} THEN 1 END) AS {dbl}) AS c{k}")).collect();
    let step_table: Vec<String> =
        DAYS_IDS.iter().enumerate().map(|(k, id)| format!("SELECT {} AS k, '{id}' AS days_id", k + 1)).collect();
    let date_of = |step: &str| {
        let whens: Vec<String> = (0..steps).map(|k| format!("WHEN {k} THEN r.d{k}")).collect();
        format!("CASE {step} {} END", whens.join(" "))
    };
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nfunnel_deal AS (\n  SELECT id, created, close_date, status FROM (\n    \
         SELECT id, CAST(created AS DATE) AS created, CAST(close_date AS DATE) AS close_date, status,\n      \
         ROW_NUMBER() OVER (PARTITION BY id ORDER BY CAST(seq AS BIGINT) DESC) AS rn\n    \
         FROM deals WHERE id IN (SELECT deal_id FROM lead_rows WHERE deal_id <> '')\n  ) x WHERE rn = 1\n),\n\
         funnel_reach AS (\n  SELECT cohort, source_key, d0, d1, d2, d3, d4, CASE {reached} ELSE 0 END AS reached FROM (\n    \
         SELECT {cohort} AS cohort, l.source_key, l.created AS d0, {mql} AS d1, {sqld} AS d2,\n      \
         COALESCE({opportunity}, {deal_created}) AS d3,\n      \
         COALESCE({customer}, CASE WHEN fd.status = 'won' THEN {deal_closed} END) AS d4\n    \
         FROM leads_in l LEFT JOIN funnel_deal fd ON fd.id = l.deal_id\n  ) x\n),\n\
         funnel_counts AS (\n  SELECT g.g, CASE g.g WHEN 'cohort' THEN r.cohort WHEN 'source' THEN r.source_key ELSE '' END AS grp_key,\n    \
         {counts}\n  \
         FROM (SELECT 'all' AS g UNION ALL SELECT 'cohort' UNION ALL SELECT 'source') g\n    \
         LEFT JOIN funnel_reach r ON TRUE\n  \
         WHERE g.g = 'all' OR r.d0 IS NOT NULL\n  \
         GROUP BY g.g, CASE g.g WHEN 'cohort' THEN r.cohort WHEN 'source' THEN r.source_key ELSE '' END\n),\n\
         funnel_steps AS ({step_table}),\n\
         funnel_gaps AS (\n  SELECT k, CAST({days} AS {dbl}) AS gap FROM (\n    \
         SELECT s.k, {prev} AS prev, {cur} AS cur FROM funnel_reach r CROSS JOIN funnel_steps s\n  \
         ) x WHERE prev IS NOT NULL AND cur IS NOT NULL AND cur >= prev\n)",
        reached = reached.join(" "),
        cohort = month_label_sql(&month_index("l.created")),
        mql = ok("l.mql"),
        sqld = ok("l.sqld"),
        opportunity = ok("l.opportunity"),
        deal_created = ok("fd.created"),
        customer = ok("l.customer"),
        deal_closed = ok("fd.close_date"),
        counts = counts.join(",\n    "),
        step_table = step_table.join(" UNION ALL "),
        days = d.days_between("prev", "cur"),
        prev = date_of("s.k - 1"),
        cur = date_of("s.k"),
    );
    s
}

/// The SELECTs of the long table: the counts and conversions from one read of `funnel_counts`,
/// the medians from one of `funnel_gaps`.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    let leads_given = "(SELECT COUNT(*) AS n FROM lead_rows) a";
    vec![
        rows_by_id(
            q.d,
            "revops",
            &count_and_conversion_rows(),
            [
                "CASE WHEN c.g = 'cohort' THEN c.grp_key END",
                "CASE WHEN c.g = 'source' THEN 'source' END",
                "CASE WHEN c.g = 'source' THEN c.grp_key END",
            ],
            &format!("funnel_counts c CROSS JOIN {leads_given}"),
            &format!("a.n > 0 AND (c.g <> 'source' OR k.id = '{LEAD_TO_CUSTOMER}')"),
        ),
        format!(
            "SELECT s.days_id, 'revops', {n}, {n}, {n}, CAST(m.median AS {dbl}), 'days'\n\
             FROM funnel_steps s CROSS JOIN {leads_given}\n  \
             LEFT JOIN {median} m ON m.k = s.k\nWHERE a.n > 0",
            median = median_by("funnel_gaps", "k", "gap"),
        ),
    ]
}
