//! What of the report is SQL: every metric id the report can give, with either "in the query"
//! (the ids [`super::emitted_metric_ids`] lists, compared row by row with the report by the
//! engine tests) or the reason it is not. `revlens sql --list` prints this table, and
//! `tests/sql_engines.rs` fails when the report gives an id that is in neither list.

use super::emitted_metric_ids;

/// Whether one metric id is in the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every row of it, for every grain and breakdown the report gives.
    Sql,
    /// In the query except the rows named.
    SqlExcept(&'static str),
    /// Not in the query, and why.
    NotSql(&'static str),
}

/// One metric id of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub lens: &'static str,
    pub id: &'static str,
    pub status: Status,
}

impl Entry {
    /// `lens id SQL`, `lens id SQL except: …` or `lens id not SQL: …` (one line of `sql --list`).
    pub fn line(&self) -> String {
        match self.status {
            Status::Sql => format!("{} {} SQL", self.lens, self.id),
            Status::SqlExcept(what) => format!("{} {} SQL except: {what}", self.lens, self.id),
            Status::NotSql(why) => format!("{} {} not SQL: {why}", self.lens, self.id),
        }
    }
}

/// Read from the close dates and amounts of `stage_history`.
const FIELD_HISTORY: &str = "over the dbt project's HubSpot connector tables, whose stage history \
     (Fivetran's `deal_stage`) carries no close dates or amounts (nor does a HubSpot export); the \
     query reads them from `stage_history` (Salesforce's `opportunity_history`, canonical tables)";

/// Ids in the query but for some of their rows.
const PARTLY: &[(&str, &str, &str)] = &[
    (
        "salesops",
        "forecast_accuracy",
        "its `revlens_p50` row, the pipeline forecast run on the earlier export: a Monte Carlo over \
         learned win probabilities, which is not SQL; the query gives its inputs (`open_pipeline`, \
         `snapshots`)",
    ),
    ("salesops", "close_date_pushes", FIELD_HISTORY),
    ("salesops", "slip_rate", FIELD_HISTORY),
    ("salesops", "amount_change_rate", FIELD_HISTORY),
    (
        "salesops",
        "stage_moves",
        "without stage history, where the report ranks the stages in an order inferred from the \
         deals (`method: inferred` in stage conversion); the query ranks them by `stage_history`",
    ),
    (
        "salesops",
        "stage_conversion",
        "the reading inferred from the current stage without stage history (`method: inferred`); \
     the query measures it from `stage_history`",
    ),
];

/// The report's ids that are not in the query, and why.
pub const NOT_SQL: &[(&str, &str, &str)] = &[
    // RevOps.
    (
        "revops",
        "data_quality_score",
        "the score weighs every finding over the distinct export rows behind them, and the \
         validity checks (rows the ingest rejected, cells it could not read) and history rows \
         for unknown deals (counted by export line) read the exports as they were uploaded, \
         which the canonical tables do not hold; the query gives every other check's count \
         (`data_quality_finding` by `check`, equal to the report's `quality.findings`)",
    ),
];

/// Every metric id the report can give, in the query or not: the SQL ids first, in the
/// query's order, then the others.
pub fn coverage() -> Vec<Entry> {
    let mut out: Vec<Entry> = emitted_metric_ids()
        .into_iter()
        .map(|(id, lens)| {
            let status =
                PARTLY.iter().find(|p| p.0 == lens && p.1 == id).map_or(Status::Sql, |p| Status::SqlExcept(p.2));
            Entry { lens, id, status }
        })
        .collect();
    out.extend(NOT_SQL.iter().map(|&(lens, id, why)| Entry { lens, id, status: Status::NotSql(why) }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_once_and_every_partial_id_in_the_query() {
        let all = coverage();
        let mut seen = std::collections::BTreeSet::new();
        for e in &all {
            assert!(seen.insert((e.lens, e.id)), "{} {} listed twice", e.lens, e.id);
            assert!(e.lens == "salesops" || e.lens == "revops", "{}", e.lens);
        }
        let emitted = emitted_metric_ids();
        for (lens, id, _) in PARTLY {
            assert!(emitted.iter().any(|e| e.0 == *id && e.1 == *lens), "{lens} {id}");
        }
        assert!(all.iter().any(|e| e.line() == "salesops win_rate SQL"));
        assert!(all.iter().any(|e| e.line() == "revops clv SQL"));
        assert!(all.iter().any(|e| e.line() == "revops funnel_leads SQL"));
        assert!(all.iter().any(|e| e.line() == "revops days_mql_to_sql_median SQL"));
    }
}
