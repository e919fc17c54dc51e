//! The pipeline in motion as SQL, by the rules of `metrics::history` (`pipeline_history`,
//! `changes`) and `metrics::snapshots` (`compare_snapshots`), over the CTEs of
//! [`super::history`] (the deals' first rows `deals_first`, the history rows `hist`, the stage
//! visits `dur_runs` and per-deal days `dur_deal`, the stage order `stage_rank`, the pair of
//! exports `wf_pairs`). Only when some deal of the deals table has history rows, as in the report:
//!
//! - `close_date_pushes`: over the deals whose history carries close dates, the times one of
//!   them is later than the one before (rows by date, then file order); null when no deal's
//!   history carries one. `slip_rate`: closed deals with a push ÷ closed deals whose history
//!   carries close dates. `amount_change_rate`: closed deals whose history amount changed ÷
//!   closed deals whose history carries amounts (only when there are such deals).
//! - `stage_bottleneck` by stage: the stage where won and lost deals spent the most deal-days
//!   (the first in the stage order on a tie; none when no days).
//! - `stuck_deals` and `stuck_deals_amount`: open deals whose last stage visit (entered by the
//!   as-of date, an open stage, the deal's current stage) has lasted longer than the P75 of
//!   the days won deals spent in that stage, for stages with at least `MIN_STUCK_SAMPLE` won
//!   deals; null when no open deal could be judged.
//! - `stage_moves` by direction (`forward`, `backward`): deals open in both exports the
//!   waterfall compares whose stage moved in the stage order (when there is a compared export).
//!   Without stage history the report infers the stage order from the deals; that reading is
//!   not in SQL.

use super::{null_text, rows_by_id, Query};
use crate::metrics::history::MIN_STUCK_SAMPLE;
use std::fmt::Write;

/// The ids this part emits (SalesOps lens).
pub const MOTION_IDS: &[&str] = &[
    "close_date_pushes",
    "slip_rate",
    "amount_change_rate",
    "stage_bottleneck",
    "stuck_deals",
    "stuck_deals_amount",
    "stage_moves",
];

/// The CTEs (each preceded by ",\n"); after [`super::history::ctes`].
pub(super) fn ctes(q: &Query) -> String {
    let d = q.d;
    let dbl = d.double();
    let as_of = &q.as_of;
    let order = "PARTITION BY h.deal_id, kk.kind ORDER BY h.entered, h.seq";
    let mut s = String::new();
    // Each history row once as `row`, and again as `close` / `amount` when it carries one: the
    // previous close date or amount of the deal, one read of the history for all three.
    let _ = write!(
        s,
        ",\nmotion_rows AS (\n  SELECT h.deal_id, kk.kind, h.close_date, h.amount,\n    \
         LAG(h.close_date) OVER ({order}) AS prev_close, LAG(h.amount) OVER ({order}) AS prev_amount\n  \
         FROM hist h CROSS JOIN (SELECT 'row' AS kind UNION ALL SELECT 'close' UNION ALL SELECT 'amount') kk\n  \
         WHERE kk.kind = 'row' OR (kk.kind = 'close' AND h.close_date IS NOT NULL) OR (kk.kind = 'amount' AND h.amount IS NOT NULL)\n),\n\
         motion_deals AS (\n  SELECT c.id, c.status,\n    \
         COUNT(CASE WHEN m.kind = 'close' THEN 1 END) AS closes,\n    \
         COUNT(CASE WHEN m.kind = 'close' AND m.close_date > m.prev_close THEN 1 END) AS pushes,\n    \
         COUNT(CASE WHEN m.kind = 'amount' THEN 1 END) AS amounts,\n    \
         COUNT(CASE WHEN m.kind = 'amount' AND m.amount <> m.prev_amount THEN 1 END) AS changes\n  \
         FROM deals_first c JOIN motion_rows m ON m.deal_id = c.id GROUP BY c.id, c.status\n),\n\
         motion_totals AS (\n  SELECT COUNT(*) AS with_history,\n    \
         COUNT(CASE WHEN closes > 0 THEN 1 END) AS close_measured,\n    \
         CAST(SUM(pushes) AS {dbl}) AS pushes,\n    \
         CAST(COUNT(CASE WHEN closes > 0 AND status <> 'open' THEN 1 END) AS {dbl}) AS closed_measured,\n    \
         CAST(COUNT(CASE WHEN closes > 0 AND status <> 'open' AND pushes > 0 THEN 1 END) AS {dbl}) AS closed_pushed,\n    \
         CAST(COUNT(CASE WHEN amounts > 0 AND status <> 'open' THEN 1 END) AS {dbl}) AS amount_measured,\n    \
         CAST(COUNT(CASE WHEN amounts > 0 AND status <> 'open' AND changes > 0 THEN 1 END) AS {dbl}) AS amount_changed\n  \
         FROM motion_deals\n)"
    );
    // Per stage: won and lost deal-days, won deals and the won P75; open deals in their last visit.
    let _ = write!(
        s,
        ",\nmotion_stage AS (\n  SELECT g.stage, g.deal_days, g.won_n, p.value AS won_p75, sr.k\n  \
         FROM (SELECT stage, SUM(days) AS deal_days, COUNT(CASE WHEN status = 'won' THEN 1 END) AS won_n FROM dur_deal GROUP BY stage) g\n  \
         LEFT JOIN stage_rank sr ON sr.stage = g.stage\n  \
         LEFT JOIN dur_values p ON p.stage = g.stage AND p.status = 'won' AND p.stat = 'p75'\n),\n\
         stuck_open AS (\n  SELECT c.amount, CAST({days} AS {dbl}) AS days, ms.won_p75\n  \
         FROM dur_runs r JOIN deals_first c ON c.id = r.deal_id\n    \
         JOIN motion_stage ms ON ms.stage = r.stage AND ms.won_n >= {MIN_STUCK_SAMPLE} AND ms.won_p75 IS NOT NULL\n  \
         WHERE r.left_at IS NULL AND c.status = 'open' AND r.stage_status = 'open' AND r.entered <= {as_of} AND c.stage = r.stage\n)",
        days = d.days_between("r.entered", as_of),
    );
    s
}

/// The SELECTs of the long table: the change and stuck figures from one read of their totals,
/// the bottleneck, the stage moves.
pub(super) fn selects(q: &Query) -> Vec<String> {
    let dbl = q.d.double();
    let n = null_text();
    let ids: Vec<(&str, &str, String)> = vec![
        ("close_date_pushes", "count", "CASE WHEN t.close_measured > 0 THEN t.pushes END".into()),
        ("slip_rate", "ratio", "t.closed_pushed / NULLIF(t.closed_measured, 0)".into()),
        ("amount_change_rate", "ratio", "t.amount_changed / t.amount_measured".into()),
        // Judged: open deals in a stage with enough won deals; stuck: longer there than its P75.
        ("stuck_deals", "count", "CASE WHEN s.judged > 0 THEN s.stuck END".into()),
        ("stuck_deals_amount", "currency", "CASE WHEN s.judged > 0 THEN s.amount END".into()),
    ];
    vec![
        rows_by_id(
            q.d,
            "salesops",
            &ids,
            [&n, &n, &n],
            &format!(
                "motion_totals t CROSS JOIN (\n  SELECT COUNT(*) AS judged, CAST(COUNT(CASE WHEN days > won_p75 THEN 1 END) AS {dbl}) AS stuck,\n    \
                 COALESCE(SUM(CASE WHEN days > won_p75 THEN amount END), CAST(0 AS {dbl})) AS amount FROM stuck_open\n) s"
            ),
            "t.with_history > 0 AND (k.id <> 'amount_change_rate' OR t.amount_measured > 0)",
        ),
        format!(
            "SELECT 'stage_bottleneck', 'salesops', {n}, 'stage', b.stage, CAST(b.deal_days AS {dbl}), 'days'\n\
             FROM (SELECT stage, deal_days, ROW_NUMBER() OVER (ORDER BY deal_days DESC, k) AS r FROM motion_stage WHERE deal_days > 0) b\n\
             WHERE b.r = 1"
        ),
        format!(
            "SELECT 'stage_moves', 'salesops', {n}, 'direction', dn.direction, CAST(COUNT(mv.direction) AS {dbl}), 'count'\n\
             FROM (SELECT 'forward' AS direction UNION ALL SELECT 'backward') dn\n  \
             CROSS JOIN (SELECT snapshot FROM snap_from) sf CROSS JOIN motion_totals t\n  \
             LEFT JOIN (\n    \
             SELECT CASE WHEN rb.k > ra.k THEN 'forward' ELSE 'backward' END AS direction\n    \
             FROM wf_pairs p JOIN stage_rank ra ON ra.stage = p.a_stage JOIN stage_rank rb ON rb.stage = p.b_stage\n    \
             WHERE p.has_a = 1 AND p.has_b = 1 AND p.a_status = 'open' AND p.b_status = 'open' AND ra.k <> rb.k\n  \
             ) mv ON mv.direction = dn.direction\n\
             WHERE sf.snapshot IS NOT NULL AND t.with_history > 0\nGROUP BY dn.direction"
        ),
    ]
}
