//! Forecast categories as SQL, by the rule of `metrics::sales::forecast_categories`: for the
//! period holding the as-of date, the totals of open deals expected to close in it by their
//! CRM forecast category (read through [`FORECAST_CATEGORY_WORDS`], the table the report reads
//! it with), `closed` = won in the period by the as-of date, Salesforce's roll-ups
//! ([`FORECAST_ROLLUPS`]) and the count of open deals in the period with no category. Over
//! every deal of the `deals` table (not only the report window), only when some deal has a
//! forecast category, as in the report.

use super::{null_text, Query};
use crate::metrics::sales::{FORECAST_CATEGORIES, FORECAST_CATEGORY_WORDS, FORECAST_ROLLUPS};
use std::fmt::Write;

/// The ids this part emits.
pub const CATEGORY_IDS: &[&str] = &["forecast_categories", "forecast_rollup", "forecast_uncategorised"];

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let d = q.d;
    let dbl = d.double();
    let as_of = &q.as_of;
    let words: Vec<String> =
        FORECAST_CATEGORY_WORDS.iter().map(|(w, c)| format!("SELECT '{w}' AS word, '{c}' AS cat")).collect();
    let sums: Vec<String> = FORECAST_CATEGORIES
        .iter()
        .filter(|c| **c != "closed")
        .map(|c| {
            format!(
                "COALESCE(SUM(CASE WHEN status = 'open' AND cat = '{c}' THEN amount END), CAST(0 AS {dbl})) AS fc_{c}"
            )
        })
        .collect();
    let mut s = String::new();
    let _ = write!(
        s,
        ",\nfc_words AS ({words}),\n\
         fc_in AS (\n  SELECT x.status, x.amount, x.close_date, COALESCE(w.cat, '') AS cat\n  \
         FROM (SELECT status, CAST(amount AS {dbl}) AS amount, CAST(close_date AS DATE) AS close_date, {key} AS fkey FROM deals) x\n  \
         LEFT JOIN fc_words w ON w.word = x.fkey\n  \
         WHERE x.amount IS NOT NULL AND x.close_date IS NOT NULL AND {close_label} = {as_of_label}\n),\n\
         fc_sums AS (\n  SELECT COALESCE(SUM(CASE WHEN status = 'won' AND close_date <= {as_of} THEN amount END), CAST(0 AS {dbl})) AS fc_closed,\n    \
         {sums},\n    \
         CAST(COUNT(CASE WHEN status = 'open' AND cat IN ('', 'closed') THEN 1 END) AS {dbl}) AS fc_uncategorised\n  FROM fc_in\n),\n\
         fc_any AS (SELECT COUNT(*) AS with_category FROM deals WHERE COALESCE(forecast_category, '') <> '')",
        words = words.join(" UNION ALL "),
        key = d.alnum_key("COALESCE(forecast_category, '')"),
        close_label = q.period_label("x.close_date"),
        as_of_label = q.period_label(as_of),
        sums = sums.join(",\n    "),
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    let label = q.period_label(&q.as_of);
    let row = |id: &str, by: Option<&str>, value: &str, unit: &str, when: &str| {
        let (by_key, by_value) = match by {
            Some(c) => ("'category'".to_string(), format!("'{c}'")),
            None => (n.clone(), n.clone()),
        };
        format!(
            "SELECT '{id}' AS metric_id, 'salesops' AS lens, {label} AS period, {by_key} AS by_key, {by_value} AS by_value,\n  \
             CAST({value} AS {dbl}) AS value, '{unit}' AS unit FROM fc_sums CROSS JOIN fc_any WHERE with_category > 0{when}"
        )
    };
    let mut out: Vec<String> = FORECAST_CATEGORIES
        .iter()
        .map(|c| row("forecast_categories", Some(c), &format!("fc_{c}"), "currency", ""))
        .collect();
    for (cat, parts) in FORECAST_ROLLUPS {
        let sum: Vec<String> = parts.iter().map(|p| format!("fc_{p}")).collect();
        out.push(row("forecast_rollup", Some(cat), &sum.join(" + "), "currency", ""));
    }
    out.push(row("forecast_uncategorised", None, "fc_uncategorised", "count", " AND fc_uncategorised > 0"));
    out
}
