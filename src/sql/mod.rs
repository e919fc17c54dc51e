//! The report's metric definitions as SQL, for data that lives in a warehouse (issue "Past one
//! machine"): a query over the canonical tables (`deals`, columns as in SPEC §2; `revenue_lines`;
//! `stage_history`, `snapshots` and `snapshot_list`, see [`canonical`]) that yields the metrics
//! as a long table `metric_id, lens, period, by_key, by_value, value, unit` (a breakdown over
//! several keys: the keys joined by `|` in alphabetical order, the values in the same order).
//!
//! The formulas come from [`SALES_METRICS`] and [`TOTALS_SQL`] — the table the Rust lens computes
//! from — and the groupings from the same flags, so the two cannot drift apart; the equality
//! test (`tests/sql/check.py`) runs the emitted SQL in DuckDB and Spark and compares every row
//! with the report. Uses only `metrics`; no I/O.

mod attribution;
pub mod canonical;
mod categories;
pub mod connectors;
pub mod coverage;
pub mod dbt;
mod funnel;
mod growth;
mod history;
mod leads;
mod motion;
mod mrr;
mod quality;
mod quotas;
mod revops;
mod spend;

use crate::metrics::periods::{Calendar, Grain};
use crate::metrics::sales::{
    standard_stage_probabilities, SalesMetric, BREAKDOWNS, HUBSPOT_DEFAULT_STAGES, SALES_METRICS, TOTALS_SQL,
};
use crate::metrics::Unit;
use crate::model::Crm;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The SQL engines the query is written for.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    Duckdb,
    Spark,
    Bigquery,
    Snowflake,
}

impl Dialect {
    pub fn parse(name: &str) -> Option<Dialect> {
        Some(match name.to_ascii_lowercase().as_str() {
            "duckdb" => Dialect::Duckdb,
            "spark" | "sparksql" | "spark-sql" | "databricks" => Dialect::Spark,
            "bigquery" | "bq" => Dialect::Bigquery,
            "snowflake" => Dialect::Snowflake,
            _ => return None,
        })
    }

    fn double(self) -> &'static str {
        match self {
            Dialect::Bigquery => "FLOAT64",
            _ => "DOUBLE",
        }
    }

    fn days_between(self, from: &str, to: &str) -> String {
        match self {
            Dialect::Duckdb => format!("date_diff('day', {from}, {to})"),
            Dialect::Spark => format!("datediff({to}, {from})"),
            Dialect::Bigquery => format!("DATE_DIFF({to}, {from}, DAY)"),
            Dialect::Snowflake => format!("DATEDIFF(day, {from}, {to})"),
        }
    }

    /// Lower-case letters and digits of `expr` (how stage names are matched to the standard
    /// stage table, as `metrics::sales` does).
    pub(crate) fn alnum_key(self, expr: &str) -> String {
        match self {
            Dialect::Duckdb => format!("lower(regexp_replace({expr}, '[^\\p{{L}}\\p{{N}}]', '', 'g'))"),
            Dialect::Spark => format!("lower(regexp_replace({expr}, '[^\\\\p{{L}}\\\\p{{N}}]', ''))"),
            Dialect::Bigquery => format!("LOWER(REGEXP_REPLACE({expr}, r'[^\\p{{L}}\\p{{N}}]', ''))"),
            Dialect::Snowflake => format!("LOWER(REGEXP_REPLACE({expr}, '[^[:alnum:]]', ''))"),
        }
    }

    /// `crate::quality::name_key` of a text expression (how quota owners are matched to deal
    /// owners): lower-case, the words of letters and digits without the stop words, joined.
    /// Each run of other characters becomes two spaces, so that every word stands between
    /// spaces of its own and one pass of ` (stop|words) ` → ` ` drops even neighbouring ones.
    fn name_key(self, expr: &str) -> String {
        let words = crate::quality::NAME_STOP_WORDS.join("|");
        let (runs, stops) = match self {
            Dialect::Duckdb => (
                format!("regexp_replace(lower({expr}), '[^\\p{{L}}\\p{{N}}]+', '  ', 'g')"),
                format!("' ({words}) ', ' ', 'g'"),
            ),
            Dialect::Spark => (
                format!("regexp_replace(lower({expr}), '[^\\\\p{{L}}\\\\p{{N}}]+', '  ')"),
                format!("' ({words}) ', ' '"),
            ),
            Dialect::Bigquery => (
                format!("REGEXP_REPLACE(LOWER({expr}), r'[^\\p{{L}}\\p{{N}}]+', '  ')"),
                format!("r' ({words}) ', ' '"),
            ),
            Dialect::Snowflake => {
                (format!("REGEXP_REPLACE(LOWER({expr}), '[^[:alnum:]]+', '  ')"), format!("' ({words}) ', ' '"))
            }
        };
        format!("REPLACE(REGEXP_REPLACE(CONCAT(' ', {runs}, ' '), {stops}), ' ', '')")
    }

    /// The day before a date.
    fn day_before(self, date: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CAST({date} - INTERVAL 1 DAY AS DATE)"),
            Dialect::Spark => format!("date_sub({date}, 1)"),
            Dialect::Bigquery => format!("DATE_SUB({date}, INTERVAL 1 DAY)"),
            Dialect::Snowflake => format!("DATEADD(day, -1, {date})"),
        }
    }

    /// The date of year, month and day (integer expressions).
    fn make_date(self, y: &str, m: &str, d: &str) -> String {
        match self {
            Dialect::Duckdb => format!("make_date(CAST({y} AS BIGINT), CAST({m} AS BIGINT), CAST({d} AS BIGINT))"),
            Dialect::Spark => format!("make_date(CAST({y} AS INT), CAST({m} AS INT), CAST({d} AS INT))"),
            Dialect::Bigquery => format!("DATE(CAST({y} AS INT64), CAST({m} AS INT64), CAST({d} AS INT64))"),
            Dialect::Snowflake => format!("DATE_FROM_PARTS({y}, {m}, {d})"),
        }
    }

    /// The exact median of `expr` over a group (the mean of the two middle values when even).
    /// BigQuery has no median aggregate: it is a window value, read back with MAX.
    fn median(self, expr: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Snowflake => format!("MEDIAN({expr})"),
            Dialect::Spark => format!("percentile({expr}, 0.5)"),
            Dialect::Bigquery => "MAX(cycle_median_w)".to_string(),
        }
    }
}

/// What the query is computed for: the report's as-of date and calendar.
#[derive(Clone, Debug)]
pub struct SqlOptions {
    pub dialect: Dialect,
    /// YYYY-MM-DD; the report's default is the latest date in the data, which the caller reads
    /// from the report (`as_of`) or passes explicitly.
    pub as_of: String,
    pub calendar: Calendar,
    /// Months back for NRR and GRR (the report's default: 12).
    pub retention_months: u32,
}

/// The id of the query's data-quality rows (each check's count, `data_quality_finding` by
/// `check`): the report gives those counts as its `quality.findings`, not as metrics.
pub use quality::{CHECKS as QUALITY_CHECKS, FINDING_ID as QUALITY_FINDING_ID};

/// The metric ids the query emits, with their lens; the report's other ids are listed with why
/// they are not in it in [`coverage::NOT_SQL`]. Stage conversion is in it as measured from stage
/// history; the reading inferred without history (`method: inferred`) is not.
pub fn emitted_metric_ids() -> Vec<(&'static str, &'static str)> {
    let mut ids: Vec<(&str, &str)> = SALES_METRICS.iter().map(|m| (m.id, "salesops")).collect();
    ids.extend([("pipeline_created", "salesops"), ("open_pipeline_by_close_period", "salesops")]);
    ids.extend(history::HISTORY_IDS.iter().map(|id| (*id, "salesops")));
    ids.extend(quotas::QUOTA_IDS.iter().map(|id| (*id, "salesops")));
    ids.extend(motion::MOTION_IDS.iter().map(|id| (*id, "salesops")));
    ids.extend(mrr::MRR_IDS.iter().map(|id| (*id, "revops")));
    ids.extend(categories::CATEGORY_IDS.iter().map(|id| (*id, "salesops")));
    ids.extend(revops::REVOPS_IDS.iter().map(|id| (*id, "revops")));
    ids.extend(spend::SPEND_IDS.iter().map(|id| (*id, "revops")));
    ids.extend(attribution::ATTRIBUTION_IDS.iter().map(|id| (*id, "revops")));
    ids.extend(leads::LEADS_IDS.iter().map(|id| (*id, "revops")));
    ids.extend(funnel::funnel_ids().map(|id| (id, "revops")));
    ids.extend(growth::GROWTH_IDS.iter().map(|id| (*id, "revops")));
    ids
}

/// A bad as-of date.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("as-of date {0:?} is not YYYY-MM-DD")]
pub struct BadAsOf(pub String);

/// The SalesOps lens as one SQL query over the canonical `deals` table.
pub fn metrics_sql(opts: &SqlOptions) -> Result<String, BadAsOf> {
    use chrono::Datelike;
    let date =
        chrono::NaiveDate::parse_from_str(opts.as_of.trim(), "%Y-%m-%d").map_err(|_| BadAsOf(opts.as_of.clone()))?;
    let as_of = date.format("%Y-%m-%d").to_string();
    let q = Query {
        d: opts.dialect,
        as_of: format!("DATE '{as_of}'"),
        as_of_month: date.year() as i64 * 12 + date.month0() as i64,
        cal: opts.calendar,
        retention_months: opts.retention_months,
    };
    Ok(q.render(&as_of))
}

struct Query {
    d: Dialect,
    /// The as-of date as a SQL literal.
    as_of: String,
    /// Its month as year × 12 + month − 1.
    as_of_month: i64,
    cal: Calendar,
    retention_months: u32,
}

/// One group of deals the totals are computed over: a source relation, a filter and the
/// period or breakdown it is labelled with.
struct Group<'a> {
    name: String,
    filter: &'a str,
    period: Option<&'a str>,
    by: Option<&'a str>,
    /// Only for breakdowns: the dimension is shown when its column holds a value.
    when_column_has_values: Option<&'a str>,
}

impl Query {
    fn render(&self, as_of: &str) -> String {
        let d = self.d;
        let dbl = d.double();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "-- revlens {}: the SalesOps metrics over the canonical `deals` table, quotas over `quotas`, MRR,\n\
             -- its movements, NRR, GRR and logo churn over `revenue_lines` (or recurring-type won deals), the\n\
             -- RevOps totals, revenue growth, the funnel, attribution, spend and CAC over `other_income`,\n\
             -- `leads` and `spend` (gross margin: the report's default 0.8), stage conversion, days in stage,\n\
             -- stuck deals and close-date and amount changes over `stage_history`, the pipeline waterfall and\n\
             -- stage moves and forecast accuracy over `snapshots` and `snapshot_list`, and each data-quality\n\
             -- check's count (`data_quality_finding` by `check`), as a long\n\
             -- table (metric_id, lens, period, by_key, by_value, value, unit; several keys joined by |).\n\
             -- Dialect: {d:?}; as of {as_of}; grain: {:?}; fiscal year starts in month {}. Generated by\n\
             -- `revlens sql` from the definitions the revlens report computes with (src/metrics/sales.rs,\n\
             -- src/metrics/revenue.rs, src/metrics/history.rs, src/metrics/snapshots.rs).",
            env!("CARGO_PKG_VERSION"),
            self.cal.grain,
            self.cal.fiscal_year_start_month
        );
        s.push_str("WITH\n");
        // The default stage probabilities, used where a deal has none (`probability_with_rule`):
        // HubSpot's default pipeline for HubSpot deals (crm 'hubspot'), else Salesforce's
        // standard stages (crm '').
        s.push_str("stage_defaults AS (\n");
        let defaults = HUBSPOT_DEFAULT_STAGES
            .iter()
            .map(|(stage, p)| (Crm::Hubspot, stage, p))
            .chain(standard_stage_probabilities().iter().map(|(stage, p)| (Crm::Other, stage, p)));
        for (k, (crm, stage, p)) in defaults.enumerate() {
            let sep = if k == 0 { "  SELECT" } else { "  UNION ALL SELECT" };
            let _ = writeln!(s, "{sep} '{}' AS crm, '{stage}' AS stage_key, CAST({p} AS {dbl}) AS p", crm.as_str());
        }
        s.push_str("),\n");
        // Deals in the report window, with what the formulas read.
        let cycle = d.days_between("x.created", "x.close_date");
        let _ = write!(
            s,
            "win AS (\n  SELECT\n    COALESCE(x.owner, '') AS owner, COALESCE(x.region, '') AS region, COALESCE(x.account, '') AS account, x.id,\n    \
             COALESCE(x.lead_source, '') AS lead_source, COALESCE(x.type, '') AS type, COALESCE(x.stage, '') AS stage,\n    \
             x.status, x.amount, x.created, x.close_date,\n    \
             COALESCE(x.probability, hd.p, sd.p) AS p_used,\n    \
             CASE WHEN x.status = 'won' AND x.created IS NOT NULL AND x.close_date IS NOT NULL THEN CAST({cycle} AS {dbl}) END AS cycle_days,\n    \
             {} AS close_period,\n    {} AS created_period\n  \
             FROM (\n    SELECT id, owner, region, account, lead_source, type, stage, status, CAST(amount AS {dbl}) AS amount,\n      \
             CAST(probability AS {dbl}) AS probability, CAST(created AS DATE) AS created, CAST(close_date AS DATE) AS close_date,\n      \
             COALESCE(crm, '') AS crm\n    \
             FROM deals\n  ) x LEFT JOIN stage_defaults hd ON hd.crm = '{hs}' AND x.crm = '{hs}' AND hd.stage_key = {key}\n  \
             LEFT JOIN stage_defaults sd ON sd.crm = '' AND sd.stage_key = {key}\n  \
             WHERE (x.created IS NULL OR x.created <= {as_of_lit})\n    \
             AND (x.status = 'open' OR x.close_date IS NULL OR x.close_date <= {as_of_lit})\n)",
            self.period_label("x.close_date"),
            self.period_label("x.created"),
            as_of_lit = self.as_of,
            key = d.alnum_key("COALESCE(x.stage, '')"),
            hs = Crm::Hubspot.as_str(),
        );
        let groups = self.groups();
        for g in &groups {
            s.push_str(",\n");
            s.push_str(&self.totals_cte(g));
        }
        s.push_str(&mrr::ctes(d, &self.as_of, self.as_of_month, self.retention_months));
        s.push_str(&history::ctes(self));
        s.push_str(&motion::ctes(self));
        s.push_str(&spend::spend_ctes(self, self.as_of_month));
        s.push_str(&revops::ctes(self, self.as_of_month));
        s.push_str(&categories::ctes(self));
        s.push_str(&attribution::ctes(self));
        s.push_str(&spend::ctes(self));
        s.push_str(&leads::ctes(self));
        s.push_str(&funnel::ctes(self));
        s.push_str(&growth::ctes(self, self.as_of_month));
        s.push_str(&quotas::ctes(self));
        s.push_str(&quality::ctes(self));
        s.push('\n');
        let mut selects = Vec::new();
        for g in &groups {
            let metrics: Vec<&SalesMetric> = SALES_METRICS
                .iter()
                .filter(|m| match (g.period, g.by) {
                    (None, None) => true,
                    (Some(_), _) => m.series,
                    (None, Some("stage")) => m.by_stage,
                    (None, Some(_)) => m.breakdown,
                })
                .collect();
            for m in metrics {
                selects.push(self.metric_select(&g.name, m.id, m.unit, m.sql, g.period.is_some(), g.by));
            }
        }
        // Pipeline created, per created period and in all; open pipeline by close period.
        selects.push(format!(
            "SELECT 'pipeline_created' AS metric_id, 'salesops' AS lens, created_period AS period, {n} AS by_key, {n} AS by_value,\n  \
             COALESCE(SUM(amount), CAST(0 AS {dbl})) AS value, 'currency' AS unit\nFROM win WHERE created IS NOT NULL GROUP BY created_period",
            n = null_text()
        ));
        selects.push(format!(
            "SELECT 'pipeline_created', 'salesops', {n}, {n}, {n}, COALESCE(SUM(amount), CAST(0 AS {dbl})), 'currency'\n\
             FROM win WHERE created IS NOT NULL",
            n = null_text()
        ));
        selects.push(format!(
            "SELECT 'open_pipeline_by_close_period', 'salesops', close_period, {n}, {n}, SUM(amount), 'currency'\n\
             FROM win WHERE status = 'open' AND amount IS NOT NULL AND close_date IS NOT NULL GROUP BY close_period",
            n = null_text()
        ));
        selects.extend(mrr::selects(d, self.as_of_month));
        selects.extend(history::selects(self));
        selects.extend(motion::selects(self));
        selects.extend(revops::selects(d));
        selects.extend(categories::selects(self));
        selects.extend(attribution::selects(self));
        selects.extend(spend::selects(self));
        selects.extend(leads::selects(self));
        selects.extend(funnel::selects(self));
        selects.extend(growth::selects(self, self.as_of_month));
        selects.extend(quotas::selects(self));
        selects.extend(quality::selects(self));
        s.push_str(&selects.join("\nUNION ALL\n"));
        s.push_str(";\n");
        s
    }

    fn groups(&self) -> Vec<Group<'static>> {
        let mut groups = vec![
            Group { name: "t_all".into(), filter: "TRUE", period: None, by: None, when_column_has_values: None },
            Group {
                name: "t_period".into(),
                filter: "status <> 'open' AND close_date IS NOT NULL",
                period: Some("close_period"),
                by: None,
                when_column_has_values: None,
            },
        ];
        for &dim in BREAKDOWNS {
            groups.push(Group {
                name: format!("t_{dim}"),
                filter: "TRUE",
                period: None,
                by: Some(dim),
                when_column_has_values: Some(dim),
            });
        }
        groups
    }

    /// `name AS (SELECT keys, <totals> FROM win WHERE … GROUP BY keys)`.
    fn totals_cte(&self, g: &Group) -> String {
        let d = self.d;
        let dbl = d.double();
        let keys: Vec<&str> = g.period.into_iter().chain(g.by).collect();
        // COUNT of a CASE with no ELSE counts the matching rows, and is 0 (not NULL) on no rows.
        let count = |cond: &str| format!("CAST(COUNT(CASE WHEN {cond} THEN 1 END) AS {dbl})");
        let amount = |cond: &str| format!("COALESCE(SUM(CASE WHEN {cond} THEN amount END), CAST(0 AS {dbl}))");
        let as_of = &self.as_of;
        let past_due = format!("status = 'open' AND close_date IS NOT NULL AND close_date < {as_of}");
        let columns: Vec<(&str, String)> = vec![
            ("won_count", count("status = 'won'")),
            ("lost_count", count("status = 'lost'")),
            ("open_count", count("status = 'open'")),
            ("won_amount", amount("status = 'won'")),
            ("lost_amount", amount("status = 'lost'")),
            ("open_amount", amount("status = 'open'")),
            (
                "weighted_amount",
                format!("COALESCE(SUM(CASE WHEN status = 'open' THEN amount * p_used END), CAST(0 AS {dbl}))"),
            ),
            ("won_with_amount", count("status = 'won' AND amount IS NOT NULL")),
            ("lost_with_amount", count("status = 'lost' AND amount IS NOT NULL")),
            ("open_with_amount", count("status = 'open' AND amount IS NOT NULL")),
            ("cycle_n", format!("CAST(COUNT(cycle_days) AS {dbl})")),
            ("cycle_sum", "SUM(cycle_days)".to_string()),
            ("cycle_median", d.median("cycle_days")),
            ("past_due_count", count(&past_due)),
            ("past_due_amount", amount(&past_due)),
        ];
        debug_assert!(columns.iter().map(|c| c.0).eq(TOTALS_SQL.iter().copied()));
        let mut source = "win".to_string();
        if d == Dialect::Bigquery {
            let partition = if keys.is_empty() { String::new() } else { format!("PARTITION BY {}", keys.join(", ")) };
            source = format!(
                "(SELECT win.*, PERCENTILE_CONT(cycle_days, 0.5) OVER ({partition}) AS cycle_median_w FROM win WHERE {})",
                g.filter
            );
        }
        let mut filter = g.filter.to_string();
        if let Some(col) = g.when_column_has_values {
            filter = format!("{filter} AND (SELECT COUNT(*) FROM deals d2 WHERE COALESCE(d2.{col}, '') <> '') > 0");
        }
        let select: Vec<String> = keys
            .iter()
            .map(|k| k.to_string())
            .chain(columns.iter().map(|(name, expr)| format!("{expr} AS {name}")))
            .collect();
        let group_by = if keys.is_empty() { String::new() } else { format!(" GROUP BY {}", keys.join(", ")) };
        format!("{} AS (\n  SELECT {}\n  FROM {source} WHERE {filter}{group_by}\n)", g.name, select.join(",\n    "),)
    }

    fn metric_select(&self, table: &str, id: &str, unit: Unit, expr: &str, period: bool, by: Option<&str>) -> String {
        let n = null_text();
        let period = if period { "close_period".to_string() } else { n.clone() };
        let (by_key, by_value) = match by {
            Some(dim) => (format!("'{dim}'"), dim.to_string()),
            None => (n.clone(), n),
        };
        format!(
            "SELECT '{id}' AS metric_id, 'salesops' AS lens, {period} AS period, {by_key} AS by_key, {by_value} AS by_value,\n  \
             CAST({expr} AS {}) AS value, '{}' AS unit FROM {table}",
            self.d.double(),
            unit_name(unit)
        )
    }

    /// The period label of a date expression, as `metrics::periods` writes it: `2017-03`,
    /// `2017-Q1`, `2017`, or with a fiscal year `FY2026-Q1`, `FY2026`. NULL for a NULL date.
    fn period_label(&self, date: &str) -> String {
        format!(
            "CASE WHEN {date} IS NULL THEN NULL ELSE {} END",
            self.label_of_month(&month_index(date), self.cal.grain)
        )
    }

    /// The label of the period of `grain` (in this calendar's fiscal year) holding the month
    /// index `m` (year × 12 + month − 1; an integer expression).
    fn label_of_month(&self, m: &str, grain: Grain) -> String {
        let shift = self.cal.fiscal_year_start_month.clamp(1, 12) as i64 - 1;
        let fiscal = shift > 0;
        let text = TEXT;
        // Months since year 0, counted from the fiscal start.
        let index = format!("({m} - {shift})");
        let int = |e: String| format!("CAST({e} AS BIGINT)");
        match grain {
            Grain::Month => month_label_sql(m),
            Grain::Quarter => {
                let quarter = int(format!("FLOOR({index} / 3.0)"));
                // The quarter's first month, in calendar months: its year names the quarter
                // (calendar) or the fiscal year ends in the next one.
                let year_of = int(format!("FLOOR({quarter} / 4.0)"));
                let q_in_year = format!("({quarter} - 4 * {year_of} + 1)");
                if fiscal {
                    format!("CONCAT('FY', CAST({year_of} + 1 AS {text}), '-Q', CAST({q_in_year} AS {text}))")
                } else {
                    format!("CONCAT(CAST({year_of} AS {text}), '-Q', CAST({q_in_year} AS {text}))")
                }
            }
            Grain::Year => {
                let y = int(format!("FLOOR({index} / 12.0)"));
                if fiscal {
                    format!("CONCAT('FY', CAST({y} + 1 AS {text}))")
                } else {
                    format!("CAST({y} AS {text})")
                }
            }
        }
    }
}

/// The text type: every dialect here reads `STRING` (DuckDB and Snowflake as an alias of VARCHAR).
const TEXT: &str = "STRING";

/// One RevOps SELECT of the long table: `by` is the breakdown's name and the SQL of its value
/// (a column or a literal); no breakdown and no period are NULL text.
fn revops_row(
    d: Dialect,
    id: &str,
    period: &str,
    by: Option<(&str, &str)>,
    value: &str,
    unit: &str,
    from: &str,
) -> String {
    let n = null_text();
    let (by_key, by_value) = match by {
        Some((k, v)) => (format!("'{k}'"), v.to_string()),
        None => (n.clone(), n),
    };
    format!(
        "SELECT '{id}' AS metric_id, 'revops' AS lens, {period} AS period, {by_key} AS by_key, {by_value} AS by_value,\n  \
         CAST({value} AS {dbl}) AS value, '{unit}' AS unit FROM {from}",
        dbl = d.double()
    )
}

/// The SELECT of several metrics of a lens from one read of `from` (Spark inlines a CTE wherever
/// it is read: one read, not one per metric): a row per row of `from` and entry of `ids` (id,
/// unit, value) that `filter` keeps (it may read the id as `k.id`), the value picked by the id.
/// `period`, `by_key` and `by_value` are expressions (they may read `k.id` too).
fn rows_by_id(
    d: Dialect,
    lens: &str,
    ids: &[(&str, &str, String)],
    columns: [&str; 3],
    from: &str,
    filter: &str,
) -> String {
    let [period, by_key, by_value] = columns;
    let table: Vec<String> = ids.iter().map(|(id, unit, _)| format!("SELECT '{id}' AS id, '{unit}' AS unit")).collect();
    let values: Vec<String> = ids.iter().map(|(id, _, v)| format!("WHEN '{id}' THEN {v}")).collect();
    format!(
        "SELECT k.id AS metric_id, '{lens}' AS lens, {period} AS period, {by_key} AS by_key, {by_value} AS by_value,\n  \
         CAST(CASE k.id {} END AS {}) AS value, k.unit AS unit\n\
         FROM {from}\nCROSS JOIN ({}) k\nWHERE {filter}",
        values.join(" "),
        d.double(),
        table.join(" UNION ALL "),
    )
}

fn null_text() -> String {
    format!("CAST(NULL AS {TEXT})")
}

/// The month index (year × 12 + month − 1) of a date expression.
fn month_index(date: &str) -> String {
    format!("(EXTRACT(YEAR FROM {date}) * 12 + EXTRACT(MONTH FROM {date}) - 1)")
}

/// The exact median of `value` per `key` over the rows of `from` (a table or a subquery with
/// an alias), as `metrics::sales::median` computes it: the middle value, or the mean of the two
/// middle values of an even count. Written with ROW_NUMBER so that it is the same on every
/// engine: the rows ranked r = 0 … n − 1 with 2r in [n − 2, n] are the one middle row (n odd)
/// or the two (n even). A subquery `(key, median)`.
fn median_by(from: &str, key: &str, value: &str) -> String {
    format!(
        "(SELECT {key}, AVG(CASE WHEN 2 * r BETWEEN n - 2 AND n THEN {value} END) AS median FROM (\n    \
         SELECT {key}, {value}, ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {value}) - 1 AS r,\n      \
         COUNT(*) OVER (PARTITION BY {key}) AS n\n    FROM {from}\n  ) ranked GROUP BY {key})"
    )
}

/// `YYYY-MM` of a month index (year × 12 + month − 1).
fn month_label_sql(m: &str) -> String {
    let year = format!("CAST(FLOOR({m} / 12.0) AS BIGINT)");
    format!("CONCAT(CAST({year} AS {TEXT}), '-', LPAD(CAST({m} - 12 * {year} + 1 AS {TEXT}), 2, '0'))")
}

pub(crate) fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Currency => "currency",
        Unit::Ratio => "ratio",
        Unit::Count => "count",
        Unit::Days => "days",
        Unit::Months => "months",
        Unit::CurrencyPerDay => "currency_per_day",
        Unit::Score => "score",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dialect: Dialect, grain: Grain, fiscal: u32) -> SqlOptions {
        SqlOptions {
            dialect,
            as_of: "2017-12-31".into(),
            calendar: Calendar { grain, fiscal_year_start_month: fiscal },
            retention_months: 12,
        }
    }

    #[test]
    fn every_formula_reads_only_the_totals() {
        for m in SALES_METRICS {
            let words = m.sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty());
            for w in words {
                let known = TOTALS_SQL.contains(&w) || w == "NULLIF" || w.parse::<f64>().is_ok();
                assert!(known, "{}: `{w}` is not a total", m.id);
            }
        }
    }

    #[test]
    fn unit_names_match_the_report_json() {
        for m in SALES_METRICS {
            let json = serde_json::to_value(m.unit).unwrap();
            assert_eq!(json.as_str(), Some(unit_name(m.unit)), "{}", m.id);
        }
    }

    #[test]
    fn every_dialect_emits_every_metric() {
        for d in [Dialect::Duckdb, Dialect::Spark, Dialect::Bigquery, Dialect::Snowflake] {
            let sql = metrics_sql(&opts(d, Grain::Quarter, 4)).unwrap();
            for (id, _) in emitted_metric_ids() {
                assert!(sql.contains(&format!("'{id}'")), "{d:?} lacks {id}");
            }
            assert!(sql.contains("DATE '2017-12-31'"));
            assert!(sql.trim_end().ends_with(';'));
        }
    }

    #[test]
    fn a_bad_as_of_is_an_error() {
        let mut o = opts(Dialect::Duckdb, Grain::Month, 1);
        o.as_of = "31/12/2017".into();
        assert_eq!(metrics_sql(&o), Err(BadAsOf("31/12/2017".into())));
    }

    #[test]
    fn dialect_names() {
        assert_eq!(Dialect::parse("DuckDB"), Some(Dialect::Duckdb));
        assert_eq!(Dialect::parse("spark"), Some(Dialect::Spark));
        assert_eq!(Dialect::parse("bq"), Some(Dialect::Bigquery));
        assert_eq!(Dialect::parse("oracle"), None);
    }
}
