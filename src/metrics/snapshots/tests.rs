//! The waterfall, stage moves and the CRM's forecast accuracy on a hand-checked pair of
//! exports: every bar once, both owners, and the identity in cents.

use super::*;
use crate::model::{day_from_ymd, Deal};

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

/// (id, owner, status, stage, close, amount, probability)
type Row = (&'static str, &'static str, Status, &'static str, Option<Day>, f64, f64);

fn deals(rows: &[Row]) -> Deals {
    let mut d = Deals::default();
    for &(id, owner, status, stage, close, amount, probability) in rows {
        d.push(Deal {
            id,
            name: id,
            owner,
            stage,
            status,
            amount,
            probability,
            close: close.unwrap_or(NO_DAY),
            ..Deal::default()
        });
    }
    d
}

const STAGES: [&str; 3] = ["Qualify", "Propose", "Negotiate"];

fn pair() -> (Deals, Deals) {
    use Status::*;
    let nan = f64::NAN;
    let before = deals(&[
        ("A", "Ann", Open, "Qualify", Some(day(2026, 11, 15)), 100.0, 0.5),
        ("B", "Ann", Open, "Qualify", Some(day(2026, 12, 10)), 50.0, 0.2),
        ("C", "Bob", Open, "Qualify", Some(day(2026, 12, 20)), 70.0, 0.3),
        ("D", "Bob", Open, "Propose", Some(day(2026, 12, 1)), 30.0, 0.4),
        ("E", "Ann", Open, "Qualify", Some(day(2026, 11, 30)), 40.0, 0.1),
        ("G", "Bob", Open, "Qualify", Some(day(2027, 2, 1)), 60.0, 0.3),
        ("H", "Ann", Lost, "Closed Lost", Some(day(2026, 10, 10)), 80.0, 0.0),
        ("I", "Bob", Open, "Propose", Some(day(2026, 11, 10)), 200.0, 0.6),
        ("J", "Ann", Open, "Negotiate", Some(day(2026, 12, 15)), 300.0, 0.8),
        ("K", "Bob", Open, "Qualify", Some(day(2026, 12, 20)), 10.0, nan),
        ("L", "Ann", Open, "Qualify", None, 5.0, 0.1),
        ("N", "Bob", Won, "Closed Won", Some(day(2026, 10, 15)), 500.0, 1.0),
    ]);
    let after = deals(&[
        ("A", "Ann", Won, "Closed Won", Some(day(2026, 11, 20)), 120.0, 1.0),
        ("B", "Ann", Lost, "Closed Lost", Some(day(2026, 11, 25)), 50.0, 0.0),
        ("C", "Bob", Open, "Propose", Some(day(2027, 1, 15)), 70.0, 0.3),
        ("D", "Bob", Open, "Qualify", Some(day(2026, 9, 30)), 30.0, 0.4),
        ("F", "Ann", Open, "Qualify", Some(day(2026, 12, 15)), 25.0, 0.1),
        ("G", "Bob", Open, "Qualify", Some(day(2026, 12, 5)), 65.0, 0.3),
        ("H", "Ann", Open, "Qualify", Some(day(2026, 12, 12)), 90.0, 0.2),
        ("I", "Bob", Open, "Negotiate", Some(day(2026, 12, 31)), 250.0, 0.7),
        ("J", "Ann", Open, "Negotiate", Some(day(2026, 12, 1)), 280.5, 0.8),
        ("K", "Bob", Open, "Qualify", Some(day(2026, 12, 20)), 10.0, nan),
        ("L", "Ann", Open, "Qualify", None, 5.0, 0.1),
        ("M", "Ann", Won, "Closed Won", Some(day(2026, 11, 5)), 35.0, 1.0),
        ("N", "Bob", Won, "Closed Won", Some(day(2026, 10, 15)), 500.0, 1.0),
    ]);
    (before, after)
}

fn q4() -> Window {
    Window::new(day(2026, 10, 1), day(2027, 1, 1), Some("2026-Q4".into()))
}

fn compare() -> SnapshotComparison {
    let (a, b) = pair();
    let order: Vec<String> = STAGES.iter().map(|s| s.to_string()).collect();
    compare_snapshots(&a, day(2026, 11, 1), &b, day(2026, 11, 29), q4(), &order).0
}

#[test]
fn every_bar_by_hand() {
    let c = compare();
    let bars: Vec<(&str, f64, usize)> = c.waterfall.iter().map(|b| (b.bar.as_str(), b.amount, b.count)).collect();
    assert_eq!(
        bars,
        vec![
            ("start", 800.0, 8),
            ("won", 100.0, 1),
            ("lost", 50.0, 1),
            ("pushed_out", 70.0, 1),
            ("pulled_earlier", 30.0, 1),
            ("removed", 40.0, 1),
            ("new", 25.0, 1),
            ("pulled_in", 65.0, 1),
            ("reopened", 90.0, 1),
            ("increased", 50.0, 1),
            ("decreased", 19.5, 1),
            ("end", 720.5, 6),
        ]
    );
    let ids = |bar: Bar| {
        c.waterfall.iter().find(|b| b.bar == bar).unwrap().deals.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(Bar::Won), ["A"]);
    assert_eq!(ids(Bar::Reopened), ["H"]);
    assert_eq!(ids(Bar::Decreased), ["J"]);
    let j = &c.waterfall.iter().find(|b| b.bar == Bar::Decreased).unwrap().deals[0];
    assert_eq!((j.amount_before, j.amount_after, j.value), (Some(300.0), Some(280.5), 19.5));
    assert_eq!(j.close_after.as_deref(), Some("2026-12-01"));
    // Won is counted at the earlier export's amount, as the forecast call saw it.
    assert_eq!(c.window.start, "2026-10-01");
    assert_eq!(c.window.end, "2026-12-31");
}

#[test]
fn each_owner_keeps_the_identity() {
    let c = compare();
    let owner = |name: &str| c.by_owner.iter().find(|o| o.owner == name).unwrap().amounts.clone();
    //            start won  lost pushed earlier removed new  in    reopened incr decr  end
    assert_eq!(owner("Ann"), vec![490.0, 100.0, 50.0, 0.0, 0.0, 40.0, 25.0, 0.0, 90.0, 0.0, 19.5, 395.5]);
    assert_eq!(owner("Bob"), vec![310.0, 0.0, 0.0, 70.0, 30.0, 0.0, 0.0, 65.0, 0.0, 50.0, 0.0, 325.0]);
}

#[test]
fn stage_moves_by_hand() {
    let c = compare();
    let m = &c.stage_moves;
    assert_eq!((m.forward, m.backward, m.unchanged), (2, 1, 4));
    let moves: Vec<(&str, &str, usize, f64)> =
        m.moves.iter().map(|x| (x.from.as_str(), x.to.as_str(), x.deals, x.amount)).collect();
    assert_eq!(
        moves,
        vec![("Qualify", "Propose", 1, 70.0), ("Propose", "Qualify", 1, 30.0), ("Propose", "Negotiate", 1, 250.0)]
    );
}

#[test]
fn the_crm_forecast_against_what_was_won() {
    let f = compare().forecast_accuracy;
    // Won by the earlier export: N (500). Weighted: 50 + 10 + 21 + 12 + 4 + 120 + 240 = 457; K
    // has no probability. Won in the window by the later export: N + A + M = 655.
    assert_eq!(f.won_before, 500.0);
    assert!((f.crm_weighted - 457.0).abs() < 1e-9, "{}", f.crm_weighted);
    assert_eq!(f.without_probability, 1);
    assert!((f.crm_forecast - 957.0).abs() < 1e-9);
    assert_eq!(f.won, 655.0);
    assert!(!f.window_complete);
}

#[test]
fn metrics_carry_every_bar_and_the_owner_split() {
    let (a, b) = pair();
    let order: Vec<String> = STAGES.iter().map(|s| s.to_string()).collect();
    let (_, metrics) = compare_snapshots(&a, day(2026, 11, 1), &b, day(2026, 11, 29), q4(), &order);
    let value = |bar: &str, owner: Option<&str>| {
        metrics
            .iter()
            .find(|m| {
                m.id == "pipeline_waterfall"
                    && m.by.as_ref().is_some_and(|by| {
                        by.get("bar").map(String::as_str) == Some(bar) && by.get("owner").map(String::as_str) == owner
                    })
            })
            .and_then(|m| m.value)
    };
    assert_eq!(value("start", None), Some(800.0));
    assert_eq!(value("end", None), Some(720.5));
    assert_eq!(value("pulled_in", Some("Bob")), Some(65.0));
    assert_eq!(metrics.iter().filter(|m| m.id == "pipeline_waterfall").count(), 12 * 3);
}
