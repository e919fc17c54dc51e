//! The pipeline in time through whole exports: field-history files, snapshots recognised and
//! dated, never summed, and the waterfall's identity exact in cents over random pairs of
//! exports (a property test).

use proptest::prelude::*;
use revlens::metrics::snapshots::{compare_snapshots, Bar, Window};
use revlens::model::{day_from_ymd, Deal, Deals, Status, NO_DAY};
use revlens::report::{analyze, ReportOptions};

fn day(y: i32, m: u32, d: u32) -> i32 {
    day_from_ymd(y, m, d).unwrap()
}

const DEALS: &str =
    "Opportunity ID,Opportunity Name,Opportunity Owner,Stage,Amount,Probability (%),Created Date,Close Date\n";

#[test]
fn two_exports_of_the_same_deals_are_snapshots_not_a_sum() {
    let earlier = format!(
        "{DEALS}A,Alpha,Ann,Prospecting,100,10,2026-10-01,2026-11-20\nB,Beta,Bob,Negotiation,50,80,2026-10-02,2026-12-10\n\
         C,Gamma,Ann,Proposal,70,60,2026-10-03,2026-12-20\n"
    );
    let later = format!(
        "{DEALS}A,Alpha,Ann,Closed Won,120,100,2026-10-01,2026-11-25\nB,Beta,Bob,Negotiation,50,80,2026-10-02,2027-01-15\n\
         C,Gamma,Ann,Proposal,70,60,2026-10-03,2026-12-20\nD,Delta,Bob,Prospecting,25,10,2026-11-28,2026-12-15\n"
    );
    let files = [("pipeline-2026-11-01.csv", earlier.as_bytes()), ("pipeline 2026-11-29.csv", later.as_bytes())];
    let r = analyze(&files, &ReportOptions::default()).unwrap();
    let metric =
        |id: &str| r.metrics.iter().find(|m| m.id == id && m.by.is_none() && m.period.is_none()).unwrap().value;
    // The latest export alone: 1 won, 3 open — not 2 + 1 won, 6 open.
    assert_eq!((metric("won_count"), metric("open_count")), (Some(1.0), Some(3.0)));
    assert_eq!(r.as_of, "2026-11-29", "the latest export's date");
    let s = r.snapshots.as_ref().unwrap();
    assert_eq!(s.list.iter().map(|x| x.date.as_str()).collect::<Vec<_>>(), ["2026-11-01", "2026-11-29"]);
    let c = s.comparison.as_ref().unwrap();
    assert_eq!(c.window.label.as_deref(), Some("2026-Q4"));
    let bar = |b: Bar| c.waterfall.iter().find(|x| x.bar == b).map(|x| (x.amount, x.count)).unwrap();
    assert_eq!(bar(Bar::Start), (220.0, 3));
    assert_eq!(bar(Bar::Won), (100.0, 1));
    assert_eq!(bar(Bar::PushedOut), (50.0, 1));
    assert_eq!(bar(Bar::New), (25.0, 1));
    assert_eq!(bar(Bar::End), (95.0, 2));
    // The rows of both files are used: nothing is dropped, nothing counted twice.
    assert!(r.files.iter().all(|f| f.rows_used == f.rows_read));
    assert!(!r.quality.findings.iter().any(|f| f.id == "duplicate_deal_id"));
    // A date given by the user wins over the name; the window can be asked for.
    let mut opts = ReportOptions::default();
    opts.snapshot_dates.insert("pipeline-2026-11-01.csv".into(), "2026-10-15".into());
    opts.compare.window_start = Some("2026-11-01".into());
    opts.compare.window_end = Some("2026-11-30".into());
    let r = analyze(&files, &opts).unwrap();
    let s = r.snapshots.unwrap();
    assert_eq!(s.list[0].date, "2026-10-15");
    let c = s.comparison.unwrap();
    assert_eq!((c.window.start.as_str(), c.window.end.as_str(), c.window.label), ("2026-11-01", "2026-11-30", None));
    // In November at the earlier export: A only (100), won by the later one.
    assert_eq!((c.waterfall[0].amount, c.waterfall[1].amount, c.waterfall[11].amount), (100.0, 100.0, 0.0));
    let bad = ReportOptions {
        compare: revlens::report::CompareOptions { from: Some("2020-01-01".into()), ..Default::default() },
        ..Default::default()
    };
    let e = analyze(&files, &bad).unwrap_err();
    assert_eq!(e.code(), "BAD_SNAPSHOT_DATE");
    assert!(e.to_string().contains("2026-11-01 pipeline-2026-11-01.csv"), "{e}");
}

#[test]
fn exports_of_other_deals_are_joined_and_a_lone_export_has_no_comparison() {
    let east = format!("{DEALS}A,Alpha,Ann,Closed Won,100,100,2026-10-01,2026-11-20\n");
    let west = format!("{DEALS}Z,Zeta,Zoe,Closed Won,40,100,2026-10-01,2026-11-21\n");
    let r = analyze(
        &[("east-2026-11-01.csv", east.as_bytes()), ("west-2026-11-29.csv", west.as_bytes())],
        &ReportOptions::default(),
    )
    .unwrap();
    let won = r.metrics.iter().find(|m| m.id == "won_count" && m.by.is_none() && m.period.is_none()).unwrap().value;
    assert_eq!(won, Some(2.0), "ids that do not match: two parts of one pipeline");
    assert!(r.snapshots.is_none());
}

#[test]
fn a_field_history_export_sets_stages_close_dates_and_amounts() {
    let deals = format!(
        "{DEALS}A,Alpha,Ann,Closed Won,120,100,2026-01-05,2026-03-20\nB,Beta,Ann,Closed Lost,50,0,2026-01-06,2026-02-10\n"
    );
    let history = "OpportunityId,CreatedDate,Field,OldValue,NewValue\n\
        A,2026-01-05,StageName,,Prospecting\n\
        A,2026-01-20,CloseDate,2026-02-28,2026-03-15\n\
        A,2026-02-01,StageName,Prospecting,Negotiation\n\
        A,2026-02-03,Amount,100,120\n\
        A,2026-03-01,CloseDate,2026-03-15,2026-03-20\n\
        A,2026-03-20,StageName,Negotiation,Closed Won\n\
        A,2026-03-20,Probability,90,100\n\
        B,2026-01-06,StageName,,Prospecting\n\
        B,2026-02-10,StageName,Prospecting,Closed Lost\n\
        X,2026-02-10,StageName,,Prospecting\n";
    let r = analyze(
        &[("deals.csv", deals.as_bytes()), ("OpportunityFieldHistory.csv", history.as_bytes())],
        &ReportOptions::default(),
    )
    .unwrap();
    let h = r.quality.files.iter().find(|f| f.file == "OpportunityFieldHistory.csv").unwrap();
    // The probability row is not history revlens reads: reported with its line, not dropped.
    assert_eq!((h.rows_read, h.rows_used, h.rows_rejected), (10, 9, 1));
    assert_eq!(h.rejected.0[0].lines, vec![8]);
    // A's close date moved later twice (02-28 → 03-15 → 03-20: the first from its old value), its
    // amount once.
    assert_eq!((r.history.close_dates.pushes, r.history.close_dates.closed_pushed), (2, 1));
    assert_eq!((r.history.amounts.closed_measured, r.history.amounts.closed_changed), (1, 1));
    // Prospecting 27 days, then Negotiation 47 days, for the won deal.
    let days = |s: &str| r.history.stages.iter().find(|t| t.stage == s).and_then(|t| t.won.median);
    assert_eq!((days("Prospecting"), days("Negotiation")), (Some(27.0), Some(47.0)));
    // The row for a deal that is not in the deals file is reported.
    let orphan = r.quality.findings.iter().find(|f| f.id == "history_unknown_deal").unwrap();
    assert_eq!(orphan.count, 1);
}

fn deals_of(rows: &[(u8, u8, i32, i64, u8)]) -> Deals {
    let mut d = Deals::default();
    for &(id, status, close, cents, owner) in rows {
        let status = [Status::Open, Status::Won, Status::Lost][status as usize % 3];
        let id = format!("D{id}");
        let owner = ["Ann", "Bob", ""][owner as usize % 3];
        // Some amounts missing, some negative (a credit), most with cents.
        let amount = if cents % 17 == 0 { f64::NAN } else { cents as f64 / 100.0 };
        let close = if close < -50 { NO_DAY } else { day(2026, 10, 1) + close };
        d.push(Deal { id: &id, name: &id, owner, stage: "Stage", status, amount, close, ..Deal::default() });
    }
    d
}

fn rows() -> impl Strategy<Value = Vec<(u8, u8, i32, i64, u8)>> {
    prop::collection::vec((0u8..40, 0u8..3, -60i32..150, -50_000i64..5_000_000, 0u8..3), 0..60)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// start − won − lost − pushed_out − pulled_earlier − removed + new + pulled_in + reopened
    /// + increased − decreased = end, exactly in cents, for the whole pipeline and each owner;
    /// and every deal of the start or the end is in exactly one bar or unchanged.
    #[test]
    fn the_waterfall_adds_up_in_cents(a in rows(), b in rows(), start in -20i32..40, len in 1i32..120) {
        let (a, b) = (deals_of(&a), deals_of(&b));
        let first = day(2026, 10, 1) + start;
        let w = Window::new(first, first + len, None);
        let (c, _) = compare_snapshots(&a, first - 10, &b, first + 10, w, &[]);
        let cents = |x: f64| (x * 100.0).round() as i64;
        let signed: i64 = c.waterfall.iter().map(|bar| bar.bar.sign() * cents(bar.amount)).sum();
        prop_assert_eq!(cents(c.waterfall[0].amount) + signed, cents(c.waterfall[11].amount));
        for o in &c.by_owner {
            let signed: i64 = Bar::ALL.iter().zip(&o.amounts).map(|(bar, &x)| bar.sign() * cents(x)).sum();
            prop_assert_eq!(cents(o.amounts[0]) + signed, cents(o.amounts[11]), "owner {}", o.owner);
        }
        let total: i64 = c.by_owner.iter().map(|o| cents(o.amounts[11])).sum();
        prop_assert_eq!(total, cents(c.waterfall[11].amount));
        for bar in c.waterfall.iter().filter(|bar| !matches!(bar.bar, Bar::Start | Bar::End)) {
            prop_assert!(bar.amount >= 0.0 || !matches!(bar.bar, Bar::Increased | Bar::Decreased));
            prop_assert_eq!(bar.deals.len(), bar.count.min(revlens::metrics::snapshots::LISTED_PER_BAR));
        }
    }
}

/// A deals export of `n` deals (ids from `offset`), a stage history of `per_deal` rows each
/// (stages, close dates and amounts moving), and an earlier export where half the ids differ.
fn history_inputs(n: usize, per_deal: usize) -> (String, String, String) {
    let stages = ["Prospecting", "Qualification", "Proposal", "Negotiation"];
    let mut deals = String::from(DEALS);
    let mut earlier = String::from(DEALS);
    let mut history = String::from("Opportunity ID,Stage,Amount,Close Date,Created Date\n");
    for i in 0..n {
        let status = ["Closed Won", "Closed Lost", "Negotiation"][i % 3];
        deals.push_str(&format!(
            "D{i},Deal {i},Owner {},{status},{},50,2024-01-0{},2024-0{}-15\n",
            i % 7,
            1000 + i,
            1 + i % 9,
            4 + i % 5
        ));
        let id = if i % 2 == 0 { format!("D{i}") } else { format!("E{i}") };
        earlier.push_str(&format!(
            "{id},Deal {i},Owner {},Proposal,{},50,2024-01-0{},2024-0{}-20\n",
            i % 7,
            900 + i,
            1 + i % 9,
            4 + i % 5
        ));
        for k in 0..per_deal {
            let day = 1 + k * 28 / per_deal;
            history.push_str(&format!(
                "D{i},{},{},2024-0{}-{:02},2024-02-{day:02}\n",
                stages[k % 4],
                900 + i + k,
                4 + (k + i) % 5,
                10 + k % 9
            ));
        }
        history.push_str(&format!("X{i},Prospecting,10,2024-05-01,2024-02-01\n"));
    }
    (deals, earlier, history)
}

/// The work of a report on deals, an earlier export and their history grows with the input,
/// not faster: a history of 30 rows per deal, snapshots whose ids half match, a history row for
/// an unknown deal per deal (each reported).
#[test]
fn history_and_snapshots_cost_work_in_proportion() {
    let work = |n: usize| {
        let (deals, earlier, history) = history_inputs(n, 30);
        let files = [
            ("deals-2024-03-01.csv", deals.as_bytes()),
            ("deals-2024-02-01.csv", earlier.as_bytes()),
            ("history.csv", history.as_bytes()),
        ];
        let opts = ReportOptions { simulations: Some(0), ..ReportOptions::default() };
        let before = revlens::work::done();
        let r = analyze(&files, &opts).unwrap();
        let bytes = deals.len() + earlier.len() + history.len();
        let orphans = r.quality.findings.iter().find(|f| f.id == "history_unknown_deal").map(|f| f.count);
        assert_eq!(orphans, Some(n), "every unknown deal's row reported");
        assert!(r.snapshots.as_ref().is_some_and(|s| s.comparison.is_some()));
        ((revlens::work::done() - before) as f64, bytes as f64)
    };
    let (w1, b1) = work(2_000);
    let (w2, b2) = work(4_000);
    let growth = (w2 / w1) / (b2 / b1);
    println!("work {w1} → {w2} for bytes {b1} → {b2}: {growth:.3}× the input's growth");
    assert!(growth <= 1.1, "work grew {growth:.3}× as fast as the input");
}

/// The work a stage history adds grows with its rows, not faster: each history row's deal is
/// found once and shared by every reader. The same 3,000 deals with 10 and with 20 history rows
/// each (and one row for an unknown deal each).
#[test]
fn the_work_a_history_adds_grows_with_its_rows() {
    let work = |per_deal: Option<usize>| {
        let (deals, _, history) = history_inputs(3_000, per_deal.unwrap_or(0));
        let mut files = vec![("deals.csv", deals.as_bytes())];
        if per_deal.is_some() {
            files.push(("history.csv", history.as_bytes()));
        }
        let opts = ReportOptions { simulations: Some(0), ..ReportOptions::default() };
        let before = revlens::work::done();
        analyze(&files, &opts).unwrap();
        (revlens::work::done() - before) as f64
    };
    let without = work(None);
    let (a, b) = (work(Some(10)) - without, work(Some(20)) - without);
    println!("work the history adds: {a} at 11 rows a deal, {b} at 21: ×{:.3}", b / a);
    assert!(a > 0.0);
    assert!(b <= 2.0 * a, "the history's work grew ×{:.3} for ×1.91 the rows", b / a);
}
