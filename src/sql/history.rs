//! The pipeline in time and the snapshot waterfall as SQL, by the rules of
//! `metrics::history` and `metrics::snapshots` (their docs), over the canonical tables
//! `deals`, `stage_history` (deal_id, stage, entered_at, close_date, amount, seq),
//! `snapshots` (the earlier exports: the deals columns, snapshot_date, snapshot) and
//! `snapshot_list` (snapshot, file, snapshot_date, date_source, deals):
//!
//! - `stage_conversion` for the whole data, per owner and per created period, when there is
//!   stage history (the stage order is the history's: open stages by their mean relative
//!   position in the paths of the deals of the deals table, a path being the deal's rows with a
//!   stage, by date and then file order). Without history the report infers the order from the
//!   deals and marks the steps `method: inferred`; that reading is not in SQL.
//! - `stage_duration_days` by stage, outcome and statistic (quantiles linear, as the report).
//! - `pipeline_waterfall` per bar and per bar and owner, between the export the report
//!   compares from by default (the first taken in the window, else the last before it) and
//!   the latest, over the fiscal quarter holding the latest export's date. The report's
//!   options `compare.from` and `compare.window_*` are not in SQL.
//! - `forecast_accuracy` by forecast, over the same pair of exports and window: `crm`, the
//!   CRM's forecast at the earlier export (won in the window by its date, plus each open deal
//!   closing in the window weighted by its own probability; none counts 0), and `won`, what the
//!   latest export has won in the window by its date (amounts in whole cents, first row of each
//!   id). Its `revlens_p50` row, the pipeline forecast run on the earlier export, is not SQL.
//!
//! A breakdown over several keys has them in `by_key` joined by `|`, in alphabetical order
//! (`from|to`, `outcome|stage|stat`, `bar|owner`), and their values in `by_value` joined by
//! `|` in the same order.

use super::{month_index, null_text, Dialect, Query};
use crate::metrics::history::CLOSED_WON;
use crate::metrics::snapshots::Bar;
use std::fmt::Write;

/// The ids this part emits.
pub const HISTORY_IDS: &[&str] =
    &["stage_conversion", "stage_duration_days", "pipeline_waterfall", "forecast_accuracy"];

/// `won`, `lost` or `open` for a stage name, as `ingest::rows::status_from_stage` reads it.
fn stage_status(d: Dialect, expr: &str) -> String {
    let n = d.alnum_key(expr);
    format!(
        "CASE WHEN {n} = 'won' OR {n} LIKE '%closedwon%' OR {n} LIKE 'won%' OR {n} = 'dealwon' OR {n} = 'closedwin' \
         OR {n} LIKE '%gewonnen%' OR {n} = 'gagné' THEN 'won'\n      \
         WHEN {n} = 'lost' OR {n} LIKE '%closedlost%' OR {n} LIKE 'lost%' OR {n} = 'deallost' \
         OR {n} LIKE '%verloren%' OR {n} = 'perdu' THEN 'lost' ELSE 'open' END"
    )
}

/// The CTEs (each preceded by ",\n").
pub(super) fn ctes(q: &Query) -> String {
    let d = q.d;
    let dbl = d.double();
    let as_of = &q.as_of;
    let mut s = String::new();
    // The first row of each deal id.
    let _ = write!(
        s,
        ",\ndeals_first AS (\n  SELECT id, owner, stage, status, amount, created, close_date FROM (\n    \
         SELECT COALESCE(id, '') AS id, COALESCE(owner, '') AS owner, COALESCE(stage, '') AS stage, status,\n      \
         CAST(amount AS {dbl}) AS amount, CAST(created AS DATE) AS created, CAST(close_date AS DATE) AS close_date,\n      \
         ROW_NUMBER() OVER (PARTITION BY id ORDER BY CAST(seq AS BIGINT)) AS rn\n    \
         FROM deals WHERE COALESCE(id, '') <> ''\n  ) x WHERE rn = 1\n)"
    );
    // History rows and the stage order.
    let _ = write!(
        s,
        ",\nhist AS (\n  SELECT COALESCE(deal_id, '') AS deal_id, COALESCE(stage, '') AS stage, CAST(entered_at AS DATE) AS entered,\n    \
         CAST(close_date AS DATE) AS close_date, CAST(amount AS {dbl}) AS amount, CAST(seq AS BIGINT) AS seq,\n    \
         {} AS stage_status\n  FROM stage_history\n),\n\
         hist_pos AS (\n  SELECT stage, stage_status,\n    \
         CAST(ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY entered, seq) - 1 AS {dbl}) / CAST(COUNT(*) OVER (PARTITION BY deal_id) AS {dbl}) AS pos\n  \
         FROM hist WHERE stage <> '' AND deal_id IN (SELECT id FROM deals_first)\n),\n\
         stage_rank AS (\n  SELECT stage, ROW_NUMBER() OVER (ORDER BY mean_pos, stage) - 1 AS k\n  \
         FROM (SELECT stage, AVG(pos) AS mean_pos FROM hist_pos WHERE stage <> '' AND stage_status = 'open' GROUP BY stage) sp\n),\n\
         stage_n AS (SELECT COUNT(*) AS n FROM stage_rank)",
        stage_status(d, "COALESCE(stage, '')")
    );
    // Stage conversion: each deal's furthest step, the steps, the groups.
    let _ = write!(
        s,
        ",\nhist_furthest AS (\n  SELECT h.deal_id, MAX(CASE WHEN h.stage_status = 'won' THEN sn.n ELSE sr.k END) AS k\n  \
         FROM hist h CROSS JOIN stage_n sn LEFT JOIN stage_rank sr ON sr.stage = h.stage\n  \
         WHERE h.stage <> '' GROUP BY h.deal_id\n),\n\
         furthest AS (\n  SELECT id, owner, created, CASE WHEN own IS NULL THEN hk WHEN hk IS NULL OR own >= hk THEN own ELSE hk END AS k\n  \
         FROM (\n    SELECT c.id, c.owner, c.created, hf.k AS hk,\n      \
         CASE WHEN c.status = 'won' THEN sn.n WHEN c.status = 'open' THEN cr.k END AS own\n    \
         FROM deals_first c CROSS JOIN stage_n sn LEFT JOIN stage_rank cr ON cr.stage = c.stage\n      \
         LEFT JOIN hist_furthest hf ON hf.deal_id = c.id\n  ) f\n),\n\
         conv_steps AS (\n  SELECT k, stage AS from_stage, COALESCE(next_stage, '{CLOSED_WON}') AS to_stage\n  \
         FROM (SELECT k, stage, LEAD(stage) OVER (ORDER BY k) AS next_stage FROM stage_rank) st\n),\n\
         conv_groups AS (\n  SELECT 'all' AS g, '' AS grp_key, k FROM furthest WHERE k IS NOT NULL\n  \
         UNION ALL SELECT 'owner', owner, k FROM furthest\n    \
         WHERE k IS NOT NULL AND (SELECT COUNT(*) FROM furthest f2 WHERE f2.k IS NOT NULL AND f2.owner <> '') > 0\n  \
         UNION ALL SELECT 'period', {}, k FROM furthest WHERE k IS NOT NULL AND created IS NOT NULL\n),\n\
         conv_keys AS (SELECT DISTINCT g, grp_key FROM conv_groups),\n\
         conv AS (\n  SELECT ck.g, ck.grp_key, s.k, s.from_stage, s.to_stage,\n    \
         CAST(COUNT(f.k) AS {dbl}) AS reached, CAST(COUNT(CASE WHEN f.k > s.k THEN 1 END) AS {dbl}) AS went_on\n  \
         FROM conv_keys ck CROSS JOIN conv_steps s\n    \
         LEFT JOIN conv_groups f ON f.g = ck.g AND f.grp_key = ck.grp_key AND f.k >= s.k\n  \
         GROUP BY ck.g, ck.grp_key, s.k, s.from_stage, s.to_stage\n)",
        q.period_label("created")
    );
    // Days in stage: visits (runs of one stage, left when the next run starts), per deal.
    let days = d.days_between("r.entered", "r.left_at");
    let _ = write!(
        s,
        ",\ndur_entries AS (\n  SELECT h.deal_id, h.stage, h.stage_status, h.entered, h.seq,\n    \
         LAG(h.stage) OVER (PARTITION BY h.deal_id ORDER BY h.entered, h.seq) AS prev_stage\n  \
         FROM hist h JOIN deals_first c ON c.id = h.deal_id WHERE h.stage <> ''\n),\n\
         dur_runs AS (\n  SELECT deal_id, stage, stage_status, entered, LEAD(entered) OVER (PARTITION BY deal_id ORDER BY entered, seq) AS left_at\n  \
         FROM dur_entries WHERE prev_stage IS NULL OR prev_stage <> stage\n),\n\
         dur_deal AS (\n  SELECT r.deal_id, r.stage, c.status, SUM(CAST({days} AS {dbl})) AS days\n  \
         FROM dur_runs r JOIN deals_first c ON c.id = r.deal_id\n  \
         WHERE r.stage_status = 'open' AND r.entered <= {as_of} AND r.left_at IS NOT NULL AND r.left_at <= {as_of}\n    \
         AND c.status IN ('won', 'lost')\n  GROUP BY r.deal_id, r.stage, c.status\n),\n\
         dur_ranked AS (\n  SELECT stage, status, days, ROW_NUMBER() OVER (PARTITION BY stage, status ORDER BY days) - 1 AS r,\n    \
         COUNT(*) OVER (PARTITION BY stage, status) AS n\n  FROM dur_deal\n),\n\
         dur_p AS (SELECT 'median' AS stat, CAST(0.5 AS {dbl}) AS p UNION ALL SELECT 'p75', CAST(0.75 AS {dbl}) \
         UNION ALL SELECT 'p90', CAST(0.9 AS {dbl})),\n\
         dur_pos AS (\n  SELECT g.stage, g.status, g.n, p.stat, FLOOR(p.p * CAST(g.n - 1 AS {dbl})) AS lo,\n    \
         p.p * CAST(g.n - 1 AS {dbl}) - FLOOR(p.p * CAST(g.n - 1 AS {dbl})) AS w\n  \
         FROM (SELECT DISTINCT stage, status, n FROM dur_ranked) g CROSS JOIN dur_p p\n),\n\
         dur_q AS (\n  SELECT q.stage, q.status, q.stat, q.w,\n    \
         MAX(CASE WHEN r.r = q.lo THEN r.days END) AS a,\n    \
         MAX(CASE WHEN r.r = LEAST(q.lo + 1, q.n - 1) THEN r.days END) AS b\n  \
         FROM dur_pos q JOIN dur_ranked r ON r.stage = q.stage AND r.status = q.status\n  \
         GROUP BY q.stage, q.status, q.stat, q.w\n),\n\
         dur_values AS (\n  SELECT stage, status, stat, LEAST(GREATEST(a + (b - a) * w, a), b) AS value FROM dur_q\n  \
         UNION ALL SELECT stage, status, 'mean', AVG(days) FROM dur_deal GROUP BY stage, status\n)"
    );
    // The waterfall: the window, the export compared from, each deal's bars.
    let shift = q.cal.fiscal_year_start_month.clamp(1, 12) as i64 - 1;
    let mi = |e: &str| month_index(e);
    let in_window = |x: &str| {
        format!(
            "{x}.close_date IS NOT NULL AND {m} >= w.first_m AND {m} < w.first_m + 3",
            m = mi(&format!("{x}.close_date"))
        )
    };
    let open_in = |x: &str| {
        format!("CASE WHEN {x}.id IS NOT NULL AND {x}.status = 'open' AND {} THEN 1 ELSE 0 END", in_window(x))
    };
    let cents =
        |x: &str| format!("CASE WHEN {x}.amount IS NULL THEN 0 ELSE CAST(ROUND({x}.amount * 100) AS BIGINT) END");
    let bar_names = Bar::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| format!("SELECT {i} AS i, '{}' AS bar", b.as_str()))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let _ = write!(
        s,
        ",\nsnap_all AS (SELECT CAST(snapshot AS BIGINT) AS snapshot, CAST(snapshot_date AS DATE) AS day FROM snapshot_list),\n\
         snap_latest AS (SELECT snapshot, day FROM snap_all WHERE snapshot = (SELECT MAX(snapshot) FROM snap_all)),\n\
         snap_window AS (\n  SELECT day, CAST(FLOOR(({} - {shift}) / 3.0) * 3 + {shift} AS BIGINT) AS first_m FROM snap_latest\n),\n\
         snap_from AS (\n  SELECT COALESCE(MIN(CASE WHEN {} >= w.first_m AND s.day < w.day THEN s.snapshot END), MAX(s.snapshot)) AS snapshot\n  \
         FROM snap_all s CROSS JOIN snap_window w WHERE s.snapshot < (SELECT MAX(snapshot) FROM snap_all)\n),\n\
         snap_before AS (\n  SELECT id, owner, stage, status, amount, probability, close_date FROM (\n    \
         SELECT COALESCE(id, '') AS id, COALESCE(owner, '') AS owner, COALESCE(stage, '') AS stage, status, CAST(amount AS {dbl}) AS amount,\n      \
         CAST(probability AS {dbl}) AS probability, CAST(close_date AS DATE) AS close_date, ROW_NUMBER() OVER (PARTITION BY id ORDER BY CAST(seq AS BIGINT)) AS rn\n    \
         FROM snapshots WHERE COALESCE(id, '') <> '' AND CAST(snapshot AS BIGINT) = (SELECT snapshot FROM snap_from)\n  \
         ) x WHERE rn = 1\n),\n\
         wf_pairs AS (\n  SELECT COALESCE(b.owner, a.owner) AS owner, a.status AS a_status, b.status AS b_status,\n    \
         a.stage AS a_stage, b.stage AS b_stage,\n    \
         CASE WHEN a.id IS NULL THEN 0 ELSE 1 END AS has_a, CASE WHEN b.id IS NULL THEN 0 ELSE 1 END AS has_b,\n    \
         CASE WHEN b.close_date IS NOT NULL AND {} < w.first_m THEN 1 ELSE 0 END AS b_earlier,\n    \
         {} AS open_a, {} AS open_b,\n    {} AS ca, {} AS cb\n  \
         FROM snap_before a FULL OUTER JOIN deals_first b ON a.id = b.id CROSS JOIN snap_window w\n  \
         WHERE (SELECT snapshot FROM snap_from) IS NOT NULL\n),\n\
         wf_rows AS (\n  SELECT owner, 'start' AS bar, ca AS v FROM wf_pairs WHERE open_a = 1\n  \
         UNION ALL SELECT owner, 'end', cb FROM wf_pairs WHERE open_b = 1\n  \
         UNION ALL SELECT owner, CASE WHEN cb > ca THEN 'increased' ELSE 'decreased' END, ABS(cb - ca)\n    \
         FROM wf_pairs WHERE open_a = 1 AND open_b = 1 AND cb <> ca\n  \
         UNION ALL SELECT owner, CASE WHEN has_b = 0 THEN 'removed' WHEN b_status = 'won' THEN 'won' WHEN b_status = 'lost' THEN 'lost'\n    \
         WHEN b_earlier = 1 THEN 'pulled_earlier' ELSE 'pushed_out' END, ca FROM wf_pairs WHERE open_a = 1 AND open_b = 0\n  \
         UNION ALL SELECT owner, CASE WHEN has_a = 0 THEN 'new' WHEN a_status = 'open' THEN 'pulled_in' ELSE 'reopened' END, cb\n    \
         FROM wf_pairs WHERE open_a = 0 AND open_b = 1\n),\n\
         wf_bar_names AS ({bar_names}),\n\
         wf_groups AS (\n  SELECT 'all' AS g, '' AS owner FROM snap_from WHERE snapshot IS NOT NULL\n  \
         UNION ALL SELECT DISTINCT 'owner', owner FROM wf_rows\n),\n\
         wf AS (\n  SELECT g.g, g.owner, n.bar, CAST(COALESCE(SUM(r.v), 0) AS {dbl}) / CAST(100 AS {dbl}) AS amount\n  \
         FROM wf_groups g CROSS JOIN wf_bar_names n\n    \
         LEFT JOIN wf_rows r ON r.bar = n.bar AND (g.g = 'all' OR r.owner = g.owner)\n  \
         GROUP BY g.g, g.owner, n.bar\n),\n\
         fa AS (\n  SELECT 'crm' AS forecast,\n    \
         CAST(COALESCE(SUM(CASE WHEN a.status = 'won' AND {in_a} AND a.close_date <= f.day THEN {cents_a} END), 0) AS {dbl}) / CAST(100 AS {dbl})\n    \
         + COALESCE(SUM(CASE WHEN a.status = 'open' AND {in_a} AND a.probability IS NOT NULL\n      \
         THEN GREATEST(COALESCE(a.amount, 0), 0) * a.probability END), CAST(0 AS {dbl})) AS amount\n  \
         FROM snap_before a CROSS JOIN snap_window w CROSS JOIN (SELECT s.day FROM snap_all s JOIN snap_from sf ON sf.snapshot = s.snapshot) f\n  \
         UNION ALL SELECT 'won',\n    \
         CAST(COALESCE(SUM(CASE WHEN b.status = 'won' AND {in_b} AND b.close_date <= w.day THEN {cents_b} END), 0) AS {dbl}) / CAST(100 AS {dbl})\n  \
         FROM deals_first b CROSS JOIN snap_window w\n)",
        mi("day"),
        mi("s.day"),
        mi("b.close_date"),
        open_in("a"),
        open_in("b"),
        cents("a"),
        cents("b"),
        in_a = in_window("a"),
        in_b = in_window("b"),
        cents_a = cents("a"),
        cents_b = cents("b"),
    );
    s
}

/// The SELECTs of the long table.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let n = null_text();
    let dbl = q.d.double();
    vec![
        format!(
            "SELECT 'stage_conversion', 'salesops', CASE WHEN g = 'period' THEN grp_key END,\n  \
             CASE WHEN g = 'owner' THEN 'from|owner|to' ELSE 'from|to' END,\n  \
             CASE WHEN g = 'owner' THEN CONCAT(from_stage, '|', grp_key, '|', to_stage) ELSE CONCAT(from_stage, '|', to_stage) END,\n  \
             CASE WHEN reached > 0 THEN went_on / reached END, 'ratio'\nFROM conv"
        ),
        format!(
            "SELECT 'stage_duration_days', 'salesops', {n}, 'outcome|stage|stat', CONCAT(status, '|', stage, '|', stat),\n  \
             CAST(value AS {dbl}), 'days'\nFROM dur_values"
        ),
        "SELECT 'pipeline_waterfall', 'salesops', CAST(NULL AS STRING), CASE WHEN g = 'all' THEN 'bar' ELSE 'bar|owner' END,\n  \
         CASE WHEN g = 'all' THEN bar ELSE CONCAT(bar, '|', owner) END, amount, 'currency'\nFROM wf"
            .to_string(),
        format!(
            "SELECT 'forecast_accuracy', 'salesops', {n}, 'forecast', forecast, amount, 'currency'\nFROM fa\n\
             WHERE (SELECT snapshot FROM snap_from) IS NOT NULL"
        ),
    ]
}
