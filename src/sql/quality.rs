//! The data-quality checks as SQL, by the rules of [`crate::quality`] (`assess`): how many rows
//! each check finds, over the canonical tables, as rows `data_quality_finding` by `check` (the
//! finding's id in the report's `quality.findings`, whose `count` it equals; a check the report
//! found nothing for is 0 here). A check is given when the report would run it: the owner and
//! account checks when some deal has one, the stage-history check when there are history rows
//! and deals, the lead check when there are leads and deals, the customer check when there are
//! revenue lines and deals.
//!
//! Not here, since the canonical tables do not hold what they read: the rows the ingest
//! rejected and the cells it could not read (validity), and history rows for deals not in the
//! deals file, which the report counts by export line (a field-history line that changes a
//! close date or an amount is two rows of the table). So the score, which weighs every finding
//! over the distinct rows behind them, is not in SQL either.

use super::{null_text, Query};
use std::fmt::Write;

/// The id of the query's rows.
pub const FINDING_ID: &str = "data_quality_finding";

/// The checks the query counts, in the order it gives them.
pub const CHECKS: &[&str] = &[
    "won_missing_amount",
    "closed_missing_close_date",
    "open_missing_close_date",
    "missing_created_date",
    "missing_owner",
    "missing_account",
    "duplicate_deal_id",
    "duplicate_deal_content",
    "won_zero_amount",
    "close_before_created",
    "probability_vs_status",
    "owner_variants",
    "account_variants",
    "stage_variants",
    "product_variants",
    "unknown_stage",
    "lead_unknown_deal",
    "won_account_without_customer",
    "past_due_open",
];

/// The name columns whose spellings are compared (`*_variants`).
const VARIANT_COLUMNS: [&str; 4] = ["owner", "account", "stage", "product"];

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let d = q.d;
    let dbl = d.double();
    let mut s = String::new();
    let _ = write!(
        s,
        ",\ndq_deals AS (\n  SELECT COALESCE(id, '') AS id, COALESCE(name, '') AS name, COALESCE(account, '') AS account,\n    \
         COALESCE(owner, '') AS owner, COALESCE(stage, '') AS stage, COALESCE(product, '') AS product, status,\n    \
         CAST(amount AS {dbl}) AS amount, CAST(probability AS {dbl}) AS probability, CAST(created AS DATE) AS created,\n    \
         CAST(close_date AS DATE) AS close_date, CAST(seq AS BIGINT) AS seq\n  FROM deals\n),\n\
         dq_counts AS (\n  SELECT COUNT(*) AS deals,\n    \
         COUNT(CASE WHEN status = 'won' AND amount IS NULL THEN 1 END) AS won_missing_amount,\n    \
         COUNT(CASE WHEN status <> 'open' AND close_date IS NULL THEN 1 END) AS closed_missing_close_date,\n    \
         COUNT(CASE WHEN status = 'open' AND close_date IS NULL THEN 1 END) AS open_missing_close_date,\n    \
         COUNT(CASE WHEN created IS NULL THEN 1 END) AS missing_created_date,\n    \
         COUNT(CASE WHEN owner = '' THEN 1 END) AS missing_owner, COUNT(CASE WHEN owner <> '' THEN 1 END) AS owners,\n    \
         COUNT(CASE WHEN account = '' THEN 1 END) AS missing_account, COUNT(CASE WHEN account <> '' THEN 1 END) AS accounts,\n    \
         COUNT(CASE WHEN id <> '' THEN 1 END) - COUNT(DISTINCT CASE WHEN id <> '' THEN id END) AS duplicate_deal_id,\n    \
         COUNT(CASE WHEN status = 'won' AND amount = 0 THEN 1 END) AS won_zero_amount,\n    \
         COUNT(CASE WHEN close_date < created THEN 1 END) AS close_before_created,\n    \
         COUNT(CASE WHEN (status = 'won' AND probability < 1) OR (status = 'lost' AND probability > 0) THEN 1 END) AS probability_vs_status,\n    \
         COUNT(CASE WHEN status = 'open' AND close_date < {as_of} THEN 1 END) AS past_due_open\n  \
         FROM dq_deals\n)",
        as_of = q.as_of,
    );
    // A deal repeating an earlier one's name, account, amount and close date (a missing amount
    // or date matching a missing one): each group's rows after its first.
    s.push_str(
        ",\ndq_content AS (\n  SELECT COALESCE(SUM(n - 1), 0) AS copies FROM (\n    \
         SELECT COUNT(*) AS n FROM dq_deals WHERE name <> '' GROUP BY name, account, amount, close_date\n  ) g\n)",
    );
    // Spellings of one name (the same `quality::name_key`): the rows of every spelling but the
    // one most rows use (on a tie, the first read).
    for col in VARIANT_COLUMNS {
        let _ = write!(
            s,
            ",\ndq_{col}_variants AS (\n  SELECT COALESCE(SUM(CASE WHEN r > 1 THEN n END), 0) AS n FROM (\n    \
             SELECT n, ROW_NUMBER() OVER (PARTITION BY k ORDER BY n DESC, first_seq) AS r FROM (\n      \
             SELECT {key} AS k, n, first_seq FROM (\n        \
             SELECT {col} AS name, COUNT(*) AS n, MIN(seq) AS first_seq FROM dq_deals WHERE {col} <> '' GROUP BY {col}\n      \
             ) x\n    ) y\n  ) z\n)",
            key = d.name_key("name"),
        );
    }
    // Across tables: history stages no deal has, leads naming no deal, won accounts that are
    // no customer of the revenue lines (by name key; a name whose key is empty is one).
    let _ = write!(
        s,
        ",\ndq_unknown_stage AS (\n  SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM stage_history) AS rows_all\n  \
         FROM stage_history h LEFT JOIN (SELECT DISTINCT stage FROM dq_deals) ds ON ds.stage = h.stage\n  \
         WHERE COALESCE(h.stage, '') <> '' AND ds.stage IS NULL\n),\n\
         dq_lead_unknown_deal AS (\n  SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM leads) AS rows_all\n  \
         FROM leads l LEFT JOIN (SELECT DISTINCT id FROM dq_deals) dd ON dd.id = l.deal_id\n  \
         WHERE COALESCE(l.deal_id, '') <> '' AND dd.id IS NULL\n),\n\
         dq_customer_keys AS (\n  SELECT DISTINCT k FROM (\n    \
         SELECT {customer} AS k FROM revenue_lines\n    UNION ALL SELECT {customer_name} FROM revenue_lines\n    \
         UNION ALL SELECT ''\n  ) x\n),\n\
         dq_without_customer AS (\n  SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM revenue_lines) AS rows_all\n  \
         FROM (SELECT {account} AS k FROM dq_deals WHERE status = 'won' AND account <> '') w\n  \
         LEFT JOIN dq_customer_keys c ON c.k = w.k WHERE c.k IS NULL\n)",
        customer = d.name_key("COALESCE(customer, '')"),
        customer_name = d.name_key("COALESCE(customer_name, '')"),
        account = d.name_key("account"),
    );
    s
}

/// The SELECT of the long table: each check the report would run, with its count, from one
/// read of each CTE above (one row each).
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    // (check, count, when the report runs it).
    let mut checks: Vec<(String, String, &str)> = Vec::new();
    for id in CHECKS {
        let (count, when) = match *id {
            "missing_owner" => ("c.missing_owner".to_string(), "c.owners > 0"),
            "missing_account" => ("c.missing_account".to_string(), "c.accounts > 0"),
            "duplicate_deal_content" => ("ct.copies".to_string(), "c.deals > 0"),
            "unknown_stage" => ("us.n".to_string(), "c.deals > 0 AND us.rows_all > 0"),
            "lead_unknown_deal" => ("ld.n".to_string(), "c.deals > 0 AND ld.rows_all > 0"),
            "won_account_without_customer" => ("wc.n".to_string(), "c.deals > 0 AND wc.rows_all > 0"),
            v if v.ends_with("_variants") => (format!("v_{}.n", v.trim_end_matches("_variants")), "c.deals > 0"),
            _ => (format!("c.{id}"), "c.deals > 0"),
        };
        checks.push((id.to_string(), count, when));
    }
    let names: Vec<String> = checks.iter().map(|(id, ..)| format!("SELECT '{id}' AS id")).collect();
    let counts: Vec<String> = checks.iter().map(|(id, count, _)| format!("WHEN '{id}' THEN {count}")).collect();
    let whens: Vec<String> = checks
        .iter()
        .filter(|(.., when)| *when != "c.deals > 0")
        .map(|(id, _, when)| format!("WHEN '{id}' THEN {when}"))
        .collect();
    let variants: String = VARIANT_COLUMNS.iter().map(|col| format!(" CROSS JOIN dq_{col}_variants v_{col}")).collect();
    vec![format!(
        "SELECT '{FINDING_ID}', 'revops', {n}, 'check', k.id, CAST(CASE k.id {} END AS {dbl}), 'count'\n\
         FROM dq_counts c CROSS JOIN dq_content ct{variants}\n  \
         CROSS JOIN dq_unknown_stage us CROSS JOIN dq_lead_unknown_deal ld CROSS JOIN dq_without_customer wc\n  \
         CROSS JOIN ({}) k\n\
         WHERE CASE k.id {} ELSE c.deals > 0 END",
        counts.join(" "),
        names.join(" UNION ALL "),
        whens.join(" "),
    )]
}
