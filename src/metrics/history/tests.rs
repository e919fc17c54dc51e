//! Stage conversion, time in stage, stuck deals, close-date pushes and amount changes on a
//! hand-checked history: a skipped stage, a deal that skipped and was lost, a reopened deal,
//! deals with no history.

use super::*;
use crate::metrics::periods::Calendar;
use crate::model::{Deal, Origin, StageChange};

const P: &str = "Prospecting";
const Q: &str = "Qualification";
const PROP: &str = "Proposal";
const WON: &str = "Closed Won";
const LOST: &str = "Closed Lost";

/// (deal, [(day, stage, close, amount)]): one history row each, in file order.
type Path = (&'static str, &'static [(Day, &'static str, Day, f64)]);

const N: Day = NO_DAY;
const X: f64 = f64::NAN;

fn dataset() -> Dataset {
    let mut ds = Dataset::default();
    // (id, status, stage, amount)
    let deals = [
        ("D1", Status::Won, WON, 120.0),
        ("D2", Status::Won, WON, 80.0),
        ("D3", Status::Lost, LOST, 60.0),
        ("D4", Status::Lost, LOST, 50.0),
        ("D5", Status::Open, Q, 500.0),
        ("D6", Status::Open, P, 70.0),
        ("D7", Status::Lost, LOST, 10.0),
        ("D8", Status::Won, WON, 30.0),
        ("D9", Status::Won, WON, 40.0),
        ("D10", Status::Won, WON, 20.0),
    ];
    for (id, status, stage, amount) in deals {
        ds.deals.push(Deal {
            id,
            name: id,
            owner: "Ann",
            stage,
            status,
            amount,
            created: 0,
            close: 60,
            ..Deal::default()
        });
    }
    let paths: [Path; 7] = [
        // Won through every stage; its close date pulled in once, its amount raised once.
        ("D1", &[(0, P, 40, 100.0), (10, Q, 40, 100.0), (30, PROP, 40, 120.0), (45, WON, 38, 120.0)]),
        // Won after skipping Qualification; pushed twice, into February.
        ("D2", &[(0, P, 30, X), (20, PROP, 35, X), (50, WON, 50, X)]),
        // Skipped Qualification and was lost at Proposal.
        ("D3", &[(0, P, N, X), (5, PROP, N, X), (25, LOST, N, X)]),
        // Lost in Prospecting; pushed once.
        ("D4", &[(0, P, 30, 50.0), (40, LOST, 40, 50.0)]),
        // Lost, then reopened: back in Qualification since day 60.
        ("D5", &[(0, P, N, X), (10, Q, N, X), (20, LOST, N, X), (60, Q, N, X)]),
        ("D9", &[(0, P, N, X), (5, Q, N, X), (8, PROP, N, X), (20, WON, N, X)]),
        // Won straight from Qualification.
        ("D10", &[(0, P, N, X), (2, Q, N, X), (12, WON, N, X)]),
    ];
    let mut line = 1;
    for (deal_id, rows) in paths {
        for &(at, stage, close, amount) in rows {
            line += 1;
            ds.stage_changes.push(StageChange { deal_id, stage, at, close, amount, origin: Origin { file: 1, line } });
        }
    }
    // A row that changes only the close date (a field-history row) takes no stage visit.
    ds.stage_changes.push(StageChange {
        deal_id: "D9",
        stage: "",
        at: 6,
        close: N,
        amount: X,
        origin: Origin { file: 1, line: 99 },
    });
    ds
}

fn order() -> StageOrder {
    StageOrder { stages: vec![P.into(), Q.into(), PROP.into()], inferred: false }
}

#[test]
fn conversion_reads_the_funnel_up_to_closed_won() {
    let ds = dataset();
    let h = DealHistories::new(&ds);
    let m = stage_conversion(&ds, &order(), &h, &Calendar::default());
    let whole: Vec<(&str, &str, usize, usize)> = m
        .iter()
        .filter(|m| m.period.is_none() && !m.by.as_ref().unwrap().contains_key("owner"))
        .map(|m| {
            let by = m.by.as_ref().unwrap();
            let c = m.counts.as_ref().unwrap();
            (by["from"].as_str(), by["to"].as_str(), c["reached"], c["went_on"])
        })
        .collect();
    // Furthest: D1 D2 D8 D9 D10 won (3); D3 Proposal (2, skipped Qualification); D5
    // Qualification (1, reopened); D4 D6 Prospecting (0); D7 lost with no history: left out.
    assert_eq!(whole, vec![(P, Q, 9, 7), (Q, PROP, 7, 6), (PROP, CLOSED_WON, 6, 5)]);
    let first = m.iter().find(|m| m.period.is_none()).unwrap();
    assert_eq!((first.value, first.excluded), (Some(7.0 / 9.0), Some(1)));
    // One owner: the same steps again under `owner`; one created month (1970-01).
    assert_eq!(m.iter().filter(|m| m.by.as_ref().unwrap().get("owner").is_some_and(|o| o == "Ann")).count(), 3);
    assert_eq!(m.iter().filter(|m| m.period.as_deref() == Some("1970-01")).count(), 3);
}

#[test]
fn time_in_stage_bottleneck_and_stuck_deals() {
    let ds = dataset();
    let h = DealHistories::new(&ds);
    let (out, metrics) = pipeline_history(&ds, &order(), &h, &Calendar::default(), 100);
    let stage = |s: &str| out.stages.iter().find(|t| t.stage == s).unwrap();
    // Won days in Prospecting: D1 10, D2 20, D9 5, D10 2 → [2, 5, 10, 20].
    let p = &stage(P).won;
    assert_eq!((p.deals, p.median, p.mean, p.p75, p.p90), (4, Some(7.5), Some(9.25), Some(12.5), Some(17.0)));
    // Won days in Qualification: D1 20, D9 3, D10 10 → [3, 10, 20].
    let q = &stage(Q).won;
    assert_eq!((q.deals, q.median, q.mean, q.p75, q.p90), (3, Some(10.0), Some(11.0), Some(15.0), Some(18.0)));
    // Lost: D3 5 and D4 40 in Prospecting; D3 20 in Proposal.
    assert_eq!((stage(P).lost.deals, stage(P).lost.median), (2, Some(22.5)));
    assert_eq!((stage(PROP).lost.deals, stage(PROP).lost.mean), (1, Some(20.0)));
    // Deal-days of closed deals: P 10+20+5+40+5+2 = 82, Q 20+3+10 = 33, Proposal 15+30+20+12 = 77.
    let days: Vec<f64> = out.stages.iter().map(|t| t.deal_days).collect();
    assert_eq!(days, vec![82.0, 33.0, 77.0]);
    assert_eq!(out.bottleneck.as_deref(), Some(P));
    // D5 has sat in Qualification since day 60: 40 days, over the won P75 of 15. D6 has no
    // history to tell when it entered its stage.
    assert_eq!((out.stuck.count, out.stuck.amount, out.stuck.evaluated, out.stuck.not_evaluated), (1, 500.0, 1, 1));
    assert_eq!((out.stuck.deals[0].id.as_str(), out.stuck.deals[0].days_in_stage), ("D5", 40.0));
    assert_eq!(stage(Q).open_now, 1);
    let metric = |id: &str| metrics.iter().find(|m| m.id == id && m.by.is_none()).and_then(|m| m.value);
    assert_eq!(metric("stuck_deals"), Some(1.0));
    let bottleneck = metrics.iter().find(|m| m.id == "stage_bottleneck").unwrap();
    assert_eq!((bottleneck.value, bottleneck.by.as_ref().unwrap()["stage"].as_str()), (Some(82.0), P));
    let p75 = metrics
        .iter()
        .find(|m| {
            m.id == "stage_duration_days"
                && m.by.as_ref().is_some_and(|b| b["stage"] == Q && b["outcome"] == "won" && b["stat"] == "p75")
        })
        .unwrap();
    assert_eq!((p75.value, p75.rows), (Some(15.0), Some(3)));
}

#[test]
fn close_date_pushes_slip_and_amount_changes() {
    let ds = dataset();
    let h = DealHistories::new(&ds);
    let (out, metrics) = pipeline_history(&ds, &order(), &h, &Calendar::default(), 100);
    let c = &out.close_dates;
    // D1 40 → 40 → 40 → 38 (pulled in, no push); D2 30 → 35 → 50 (two); D4 30 → 40 (one).
    assert_eq!((c.deals_measured, c.pushes), (3, 3));
    assert_eq!((c.closed_deals, c.closed_measured, c.closed_pushed), (8, 3, 2));
    assert_eq!(c.slip_rate, Some(2.0 / 3.0));
    // Won with close dates: D1 (stays in February) and D2 (January 31 → February 5: a later month).
    assert_eq!((c.won_measured, c.won_slipped_period), (2, 1));
    assert_eq!((c.deals[0].id.as_str(), c.deals[0].pushes, c.deals[0].days_moved), ("D2", 2, 20));
    let a = &out.amounts;
    // D1 100 → 120 (raised); D4 50 → 50. D1 won: σ = |ln 1.2|.
    assert_eq!((a.closed_measured, a.closed_changed, a.increased, a.decreased), (2, 1, 1, 0));
    assert_eq!(a.change_rate, Some(0.5));
    assert_eq!(a.won_measured, 1);
    assert!((a.dispersion.unwrap() - 1.2f64.ln()).abs() < 1e-12);
    let slip = metrics.iter().find(|m| m.id == "slip_rate").unwrap();
    assert_eq!((slip.rows, slip.excluded), (Some(3), Some(5)));
}

#[test]
fn without_history_conversion_is_inferred_and_nothing_else_is_claimed() {
    let mut ds = dataset();
    ds.stage_changes = Default::default();
    let h = DealHistories::new(&ds);
    let o = StageOrder { inferred: true, ..order() };
    let m = stage_conversion(&ds, &o, &h, &Calendar::default());
    let first = m.iter().find(|m| m.period.is_none()).unwrap();
    // Won D1 D2 D8 D9 D10 reach Closed Won; open D5 Qualification, D6 Prospecting; lost deals
    // (D3 D4 D7) are left out.
    assert_eq!(first.counts.as_ref().unwrap()["reached"], 7);
    assert_eq!(first.excluded, Some(3));
    assert_eq!(first.by.as_ref().unwrap()["method"], "inferred");
    let (out, metrics) = pipeline_history(&ds, &o, &h, &Calendar::default(), 100);
    assert!(out.stages.is_empty() && out.bottleneck.is_none() && metrics.is_empty());
}

/// The listed deals are the first of a full sort: a selection then a sort of those kept gives
/// the same, at every length around the limit.
#[test]
fn first_in_order_keeps_what_a_full_sort_would() {
    for len in [0, 1, 5, 6, 7, 40] {
        for n in [0, 1, 6] {
            let v: Vec<(u32, u32)> = (0..len).map(|i| ((i * 7919) % 5, i)).collect();
            let cmp = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            let mut want = v.clone();
            want.sort_by(cmp);
            want.truncate(n);
            let mut got = v;
            first_in_order(&mut got, n, cmp);
            assert_eq!(got, want, "{len} rows, {n} kept");
        }
    }
}
