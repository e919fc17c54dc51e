//! Pipeline forecast, learned win probability and Monte Carlo (SPEC §4): hand-computed cases,
//! reproducibility, calibration on synthetic data with a known truth, the sample company, and
//! no panics on any input.

mod common;

use proptest::prelude::*;
use revlens::forecast::prng::SplitMix64;
use revlens::ingest::build_dataset;
use revlens::metrics::periods::{Calendar, Grain};
use revlens::model::{day_from_ymd, Dataset, Day, Deal, Origin, Status, NO_DAY};
use revlens::pipeline::winprob::{brier, calibration_table, learn_win_probability};
use revlens::pipeline::{pipeline_forecast, PipelineForecast, PipelineOptions};
use revlens::sample::SampleOptions;

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

/// Appends a deal (`probability` NaN when the CRM has none).
#[allow(clippy::too_many_arguments)]
fn add_deal(
    ds: &mut Dataset,
    id: &str,
    owner: &str,
    stage: &str,
    status: Status,
    amount: f64,
    p: f64,
    created: Day,
    close: Day,
) {
    let name = format!("Deal {id}");
    ds.deals.push(Deal {
        id,
        name: &name,
        account: "Acme",
        owner,
        stage,
        status,
        amount,
        currency: "USD",
        probability: p,
        created,
        close,
        ..Deal::default()
    });
}

fn add_change(ds: &mut Dataset, id: &str, stage: &str, at: Day) {
    let h = &mut ds.stage_changes;
    h.deal_id.push(id);
    h.stage.push(stage);
    h.at.push(at);
    h.origin.push(Origin::default());
}

fn monthly(as_of: Day) -> PipelineOptions {
    PipelineOptions::new(as_of, Calendar::default())
}

/// 7 won / 7 lost closed deals with 10-day cycles (so every learned p is exactly 0.5) and a
/// handful of open deals around as-of 2024-06-15.
fn hand_dataset() -> Dataset {
    let mut ds = Dataset::default();
    let won = [
        ("W1", day(2024, 1, 5), 100.0),
        ("W2", day(2024, 2, 3), 200.0),
        ("W3", day(2024, 3, 3), 300.0),
        ("W4", day(2024, 4, 3), 400.0),
        ("W5", day(2024, 5, 20), 600.0),
        ("W6", day(2024, 5, 26), 1000.0),
        ("W7", day(2024, 5, 31), 2000.0),
    ];
    for (id, created, amount) in won {
        add_deal(&mut ds, id, "Ann", "Closed Won", Status::Won, amount, 1.0, created, created + 10);
    }
    for k in 0..7 {
        let created = day(2024, 2, 1 + k);
        add_deal(&mut ds, &format!("L{k}"), "Ann", "Closed Lost", Status::Lost, 50.0, 0.0, created, created + 10);
    }
    let c = day(2024, 6, 1);
    add_deal(&mut ds, "O1", "Bob", "Proposal", Status::Open, 1000.0, 0.6, c, day(2024, 6, 20));
    add_deal(&mut ds, "O2", "Bob", "Proposal", Status::Open, 500.0, 0.6, c, day(2024, 6, 10)); // past due
    add_deal(&mut ds, "O3", "Bob", "Proposal", Status::Open, 2000.0, 0.6, c, day(2024, 7, 15));
    add_deal(&mut ds, "O4", "Bob", "Proposal", Status::Open, 9999.0, 0.6, c, day(2024, 9, 1)); // later
    add_deal(&mut ds, "O5", "Bob", "Proposal", Status::Open, 100.0, 0.6, NO_DAY, NO_DAY); // undatable
    add_deal(&mut ds, "O6", "Bob", "Proposal", Status::Open, f64::NAN, 0.6, c, day(2024, 6, 25));
    ds
}

#[test]
fn hand_computed_periods() {
    let ds = hand_dataset();
    let f = pipeline_forecast(&ds, &monthly(day(2024, 6, 15)));
    assert!(f.win_probability.deals.iter().all(|d| d.p_learned == 0.5), "{:?}", f.win_probability.deals);
    assert_eq!(f.slip_probability, 0.2, "{}", f.slip_source);
    let [cur, next] = [&f.periods[0], &f.periods[1]];
    assert_eq!((cur.period.as_str(), next.period.as_str()), ("2024-06", "2024-07"));
    // Won W6 (June 5) and W7 (June 10).
    assert_eq!((cur.closed_so_far, cur.closed_deals), (3000.0, 2));
    assert_eq!(next.closed_so_far, 0.0);
    // O1 + O2 (O6 has no amount): 0.5 × 1500; the CRM's 0.6 × 1500.
    assert_eq!((cur.open_deals, cur.past_due_deals), (2, 1));
    assert!((cur.expected_open - 750.0).abs() < 1e-9 && (cur.expected_open_crm - 900.0).abs() < 1e-9);
    // Half of June is left: O1 stays with 0.8, O2 (past due) with 0.8 × 0.5.
    assert!((cur.remaining_fraction - 0.5).abs() < 1e-12);
    assert!((cur.slip_adjustment - (0.5 * 0.8 * 1000.0 + 0.5 * 0.4 * 500.0 - 750.0)).abs() < 1e-9);
    // Feb–May are covered by the data; only W5 (May 20–30) was created and won in the second
    // half of its month (from May 17 on): 600 / 4.
    assert_eq!(cur.run_rate_periods, 4);
    assert!((cur.run_rate - 150.0).abs() < 1e-9, "{}", cur.run_rate);
    assert!((cur.forecast - 3650.0).abs() < 1e-9, "{}", cur.forecast);
    // Next: O3 0.5 × 0.8 × 2000 + O1 slipping in 0.5 × 0.2 × 1000 + O2 0.5 × 0.6 × 0.8 × 500.
    assert!((next.expected_open - 1000.0).abs() < 1e-9);
    assert!((next.slip_adjustment - 20.0).abs() < 1e-9, "{}", next.slip_adjustment);
    // Whole months created-and-won: (200 + 300 + 400 + 600) / 4.
    assert!((next.run_rate - 375.0).abs() < 1e-9, "{}", next.run_rate);
    assert!((next.forecast - 1395.0).abs() < 1e-9);
    assert!(f.notes.iter().any(|n| n.contains("without a close date")));
    assert!(f.notes.iter().any(|n| n.contains("no amount")));
    // Monte Carlo: ordered percentiles and a mean near the analytic expectation.
    for p in &f.periods {
        let (p10, p50, p90, mean) = (p.p10.unwrap(), p.p50.unwrap(), p.p90.unwrap(), p.mean.unwrap());
        assert!(p10 <= p50 && p50 <= p90, "{p10} {p50} {p90}");
        assert!((mean - p.forecast).abs() < 0.02 * p.forecast, "{mean} vs {}", p.forecast);
        assert_eq!(p.histogram.iter().map(|b| b.count).sum::<usize>(), 10_000);
    }
    // The 2000 deal moves July most.
    assert_eq!(next.movers[0].id, "O3");
    assert!((next.movers.iter().map(|m| m.share_of_variance).sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn undated_open_deals_close_one_median_cycle_after_creation() {
    let as_of = day(2024, 6, 15);
    let base = pipeline_forecast(&hand_dataset(), &monthly(as_of));
    let mut ds = hand_dataset();
    // Every won deal took 10 days: created June 1 → expected June 11, already past.
    add_deal(&mut ds, "U1", "Bob", "Proposal", Status::Open, 100.0, 0.6, day(2024, 6, 1), NO_DAY);
    // Created June 14 → expected June 24: ahead, in the current period.
    add_deal(&mut ds, "U2", "Bob", "Proposal", Status::Open, 300.0, 0.6, day(2024, 6, 14), NO_DAY);
    let f = pipeline_forecast(&ds, &monthly(as_of));
    let (b, c) = (&base.periods, &f.periods);
    assert_eq!((c[0].open_deals, c[0].past_due_deals), (b[0].open_deals + 2, b[0].past_due_deals + 1));
    assert!((c[0].expected_open - b[0].expected_open - 0.5 * 400.0).abs() < 1e-9);
    assert_eq!(c[1].open_deals, b[1].open_deals);
    assert!(
        f.notes.iter().any(|n| n.contains("2 open deal(s) without a close date") && n.contains("(10 days)")),
        "{:?}",
        f.notes
    );
}

#[test]
fn monte_carlo_is_reproducible() {
    let ds = hand_dataset();
    let run = |seed| {
        let opts = PipelineOptions { seed, ..monthly(day(2024, 6, 15)) };
        serde_json::to_string(&pipeline_forecast(&ds, &opts)).unwrap()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn brier_by_hand() {
    // Direct: (0.9-1)² + (0.2-0)² + (0.6-0)² + (0.7-1)² = 0.01 + 0.04 + 0.36 + 0.09 = 0.5 → /4.
    let pairs = [(0.9, true), (0.2, false), (0.6, false), (0.7, true)];
    assert!((brier(&pairs).unwrap() - 0.125).abs() < 1e-12);
    let cal = calibration_table(&pairs);
    assert_eq!(cal.iter().map(|b| b.count).sum::<usize>(), 4);

    // Through the time split: 40 deals, each in "Proposal" for its whole 10-day life. The first
    // 28 (14 won) train; the last 12 (9 won) test. Learned p = 0.5 everywhere; the CRM gives
    // Proposal 0.6 (the open deal's probability).
    let mut ds = Dataset::default();
    for k in 0..40 {
        let created = day(2024, 1, 1) + 5 * k;
        let won = if k < 28 { k % 2 == 0 } else { k % 4 != 0 };
        let (status, stage) = if won { (Status::Won, "Closed Won") } else { (Status::Lost, "Closed Lost") };
        let id = format!("D{k}");
        add_deal(&mut ds, &id, "Ann", stage, status, 100.0, if won { 1.0 } else { 0.0 }, created, created + 10);
        add_change(&mut ds, &id, "Proposal", created);
        add_change(&mut ds, &id, stage, created + 10);
    }
    add_deal(&mut ds, "OPEN", "Ann", "Proposal", Status::Open, 100.0, 0.6, day(2024, 9, 1), day(2024, 9, 20));
    let w = learn_win_probability(&ds, day(2024, 9, 10)).report;
    assert_eq!(w.features, ["stage", "age", "owner"]);
    assert_eq!((w.train_deals, w.test_deals, w.test_examples, w.compared_examples), (28, 12, 12, 12));
    // CRM: 9 × (0.6-1)² + 3 × 0.6² = 1.44 + 1.08 = 2.52 → /12 = 0.21; learned and base: 0.25.
    assert!((w.brier_crm.unwrap() - 0.21).abs() < 1e-12, "{:?}", w.brier_crm);
    assert!((w.brier_learned.unwrap() - 0.25).abs() < 1e-12, "{:?}", w.brier_learned);
    assert!((w.brier_base_rate.unwrap() - 0.25).abs() < 1e-12);
    // The open deal's model trains on all 40 deals: 23 won.
    assert!((w.deals[0].p_learned - 23.0 / 40.0).abs() < 1e-9, "{}", w.deals[0].p_learned);
    assert_eq!(w.deals[0].p_crm, Some(0.6));
}

/// Closed deals whose true win probability depends on the owner only; cycles under 30 days.
fn owner_truth_dataset(n: usize, seed: u64) -> (Dataset, [f64; 3]) {
    let truth = [0.2, 0.5, 0.8];
    let owners = ["Ann", "Bob", "Cy"];
    let mut rng = SplitMix64::new(seed);
    let mut ds = Dataset::default();
    let start = day(2022, 1, 1);
    for k in 0..n {
        let o = k % 3;
        let created = start + (k * 1000 / n) as Day;
        let won = rng.next_f64() < truth[o];
        let cycle = 5 + (rng.next_u64() % 20) as Day;
        let (status, stage) = if won { (Status::Won, "Closed Won") } else { (Status::Lost, "Closed Lost") };
        add_deal(&mut ds, &format!("D{k}"), owners[o], stage, status, 1000.0, f64::NAN, created, created + cycle);
    }
    for (o, owner) in owners.iter().enumerate() {
        add_deal(
            &mut ds,
            &format!("OPEN{o}"),
            owner,
            "Qualification",
            Status::Open,
            1000.0,
            f64::NAN,
            start + 1040,
            start + 1060,
        );
    }
    (ds, truth)
}

#[test]
fn learned_probabilities_match_a_known_truth_without_history() {
    let (ds, truth) = owner_truth_dataset(6000, 11);
    let w = learn_win_probability(&ds, day(2022, 1, 1) + 1045).report;
    assert_eq!(w.features, ["age", "owner"]);
    assert!(w.method.contains("owner × age"), "{}", w.method);
    for (o, t) in truth.iter().enumerate() {
        let d = w.deals.iter().find(|d| d.id == format!("OPEN{o}")).unwrap();
        assert!((d.p_learned - t).abs() < 0.04, "owner {o}: learned {} vs true {t}", d.p_learned);
    }
    // Calibrated on the later deals, and better than the base rate.
    assert!(w.brier_crm.is_none() && !w.evaluation_note.is_empty());
    for b in w.calibration.iter().filter(|b| b.count >= 100) {
        assert!((b.mean_predicted - b.observed).abs() < 0.06, "{b:?}");
    }
    assert!(w.brier_learned.unwrap() < w.brier_base_rate.unwrap() - 0.02);
}

#[test]
fn learned_probabilities_match_a_known_truth_with_stage_history() {
    // Base win rate 0.3; winners reach "Late" (on day 10) with probability 0.9, losers 0.3,
    // so P(win | in Early) = 0.3 and P(win | reached Late) = 0.27 / (0.27 + 0.21) = 0.5625.
    let mut rng = SplitMix64::new(5);
    let mut ds = Dataset::default();
    let start = day(2022, 1, 1);
    let n = 8000;
    for k in 0..n {
        let created = start + (k * 1000 / n) as Day;
        let won = rng.next_f64() < 0.3;
        let late = rng.next_f64() < if won { 0.9 } else { 0.3 };
        let (status, stage) = if won { (Status::Won, "Closed Won") } else { (Status::Lost, "Closed Lost") };
        let id = format!("D{k}");
        let close = created + 20 + (rng.next_u64() % 8) as Day;
        add_deal(&mut ds, &id, ["Ann", "Bob"][k as usize % 2], stage, status, 1000.0, f64::NAN, created, close);
        add_change(&mut ds, &id, "Early", created);
        if late {
            add_change(&mut ds, &id, "Late", created + 10);
        }
        add_change(&mut ds, &id, stage, close);
    }
    let as_of = start + 1040;
    add_deal(&mut ds, "E", "Ann", "Early", Status::Open, 1000.0, f64::NAN, as_of - 5, as_of + 20);
    add_deal(&mut ds, "L", "Bob", "Late", Status::Open, 1000.0, f64::NAN, as_of - 15, as_of + 10);
    let w = learn_win_probability(&ds, as_of).report;
    assert_eq!(w.features, ["stage", "age", "owner"]);
    let p = |id: &str| w.deals.iter().find(|d| d.id == id).unwrap().p_learned;
    assert!((p("E") - 0.3).abs() < 0.03, "{}", p("E"));
    assert!((p("L") - 0.5625).abs() < 0.04, "{}", p("L"));
    for b in w.calibration.iter().filter(|b| b.count >= 200) {
        assert!((b.mean_predicted - b.observed).abs() < 0.05, "{b:?}");
    }
    // Non-standard stage names and no CRM probability: nothing to compare against.
    assert!(w.brier_crm.is_none() && w.brier_learned.is_some());
}

fn sample_dataset() -> Dataset {
    build_dataset(common::sample_ingested(SampleOptions::default().deals, &[])).0
}

fn summary(f: &PipelineForecast) -> String {
    let mut s = String::new();
    for p in &f.periods {
        s += &format!(
            "{}: closed {:.0} + open {:.0} (CRM-weighted {:.0}; {} deals, {} past due) + slip {:+.0} + run-rate {:.0} = {:.0}; \
             MC mean {:.0}, P10 {:.0}, P50 {:.0}, P90 {:.0}\n",
            p.period,
            p.closed_so_far,
            p.expected_open,
            p.expected_open_crm,
            p.open_deals,
            p.past_due_deals,
            p.slip_adjustment,
            p.run_rate,
            p.forecast,
            p.mean.unwrap_or(f64::NAN),
            p.p10.unwrap_or(f64::NAN),
            p.p50.unwrap_or(f64::NAN),
            p.p90.unwrap_or(f64::NAN)
        );
    }
    let w = &f.win_probability;
    s += &format!(
        "Brier on {} later examples (split {}): learned {:.4}, CRM {:.4}, base rate {:.4}\n",
        w.compared_examples,
        w.split_date.as_deref().unwrap_or("-"),
        w.brier_learned.unwrap_or(f64::NAN),
        w.brier_crm.unwrap_or(f64::NAN),
        w.brier_base_rate.unwrap_or(f64::NAN)
    );
    let b = &f.bookings;
    if let Some(p) = b.forecast.first() {
        s += &format!(
            "bookings series: {} → {} {:.0} [{:.0}, {:.0}]\n",
            b.model.as_deref().unwrap_or("-"),
            p.period,
            p.value,
            p.lo80,
            p.hi80
        );
    }
    s
}

#[test]
fn sample_company_gives_sensible_forecasts() {
    let ds = sample_dataset();
    let as_of = ds.latest_event_day().unwrap();
    assert_eq!(as_of, day(2026, 6, 30));
    for grain in [Grain::Month, Grain::Quarter] {
        let f = pipeline_forecast(&ds, &PipelineOptions::new(as_of, Calendar::default().with_grain(grain)));
        println!("{}", summary(&f));
        assert_eq!(f.periods.len(), 2);
        let w = &f.win_probability;
        assert_eq!(w.features, ["stage", "age", "owner"]);
        let (bl, bc, bb) = (w.brier_learned.unwrap(), w.brier_crm.unwrap(), w.brier_base_rate.unwrap());
        assert!(bl < bc && bl < bb, "learned {bl} crm {bc} base {bb}");
        assert!(w.deals.len() >= 50 && w.deals.iter().all(|d| (0.0..=1.0).contains(&d.p_learned)));
        for p in &f.periods {
            let (p10, p50, p90) = (p.p10.unwrap(), p.p50.unwrap(), p.p90.unwrap());
            assert!(p10 <= p50 && p50 <= p90);
            assert!(p.forecast >= p.closed_so_far && p.forecast.is_finite());
            assert!((p.mean.unwrap() - p.forecast).abs() <= 0.01 * p.forecast + 1.0);
        }
        // As of the last day of the period, nothing more can close in it.
        assert_eq!(f.periods[0].forecast, f.periods[0].closed_so_far);
        assert!(f.periods[1].p90 > f.periods[1].p10);
        assert!(!f.periods[1].movers.is_empty());
        let b = &f.bookings;
        assert!(b.skipped.is_none() && b.model.is_some() && !b.reason.is_empty());
        let horizon = if grain == Grain::Month { 12 } else { 4 };
        assert_eq!(b.forecast.len(), horizon);
        // June 30 closes June (and Q2): it is history; the series forecast starts after it.
        assert_eq!(b.history.last().unwrap().period, if grain == Grain::Month { "2026-06" } else { "2026-Q2" });
        assert_eq!(b.forecast[0].period, if grain == Grain::Month { "2026-07" } else { "2026-Q3" });
    }
    // Mid-period as-of: a run-rate for the rest of the month and a spread in the current period;
    // the incomplete month is forecast, not history.
    let f = pipeline_forecast(&ds, &monthly(day(2026, 6, 12)));
    println!("{}", summary(&f));
    assert!(f.periods[0].remaining_fraction > 0.5 && f.periods[0].p90 > f.periods[0].p10);
    assert_eq!(f.bookings.history.last().unwrap().period, "2026-05");
    assert_eq!(f.bookings.forecast[0].period, "2026-06");
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let as_of = day(2024, 6, 15);
    // Empty.
    let f = pipeline_forecast(&Dataset::default(), &monthly(as_of));
    assert_eq!(f.periods.len(), 2);
    assert!(f.bookings.skipped.is_some());
    assert_eq!(f.periods[0].forecast, 0.0);
    // All open, no history, no probabilities, NaN amounts.
    let mut ds = Dataset::default();
    for k in 0..5 {
        let amount = if k % 2 == 0 { f64::NAN } else { 1000.0 };
        add_deal(&mut ds, &format!("O{k}"), "Ann", "Discovery", Status::Open, amount, f64::NAN, NO_DAY, as_of + 3 * k);
    }
    let f = pipeline_forecast(&ds, &monthly(as_of));
    assert!(f.win_probability.method.contains("nothing to learn from"));
    assert!(f.periods.iter().all(|p| p.p10.unwrap() <= p.p90.unwrap()));
    // A missing as-of date.
    let f = pipeline_forecast(&hand_dataset(), &monthly(NO_DAY));
    assert!(f.periods.is_empty() && !f.notes.is_empty());
    // No simulations.
    let f = pipeline_forecast(&hand_dataset(), &PipelineOptions { simulations: 0, ..monthly(as_of) });
    assert!(f.periods[0].p50.is_none() && f.periods[0].forecast > 0.0);
}

fn arb_day() -> impl Strategy<Value = Day> {
    prop_oneof![
        1 => Just(NO_DAY),
        1 => prop_oneof![Just(i32::MAX), Just(i32::MIN + 1), Just(-1_000_000), Just(3_000_000)],
        12 => 19_000i32..19_600,
    ]
}

fn arb_amount() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(-500.0),
        1 => Just(1e300),
        8 => 0.0f64..50_000.0,
    ]
}

type RawDeal = (u8, u8, u8, f64, f64, Day, Day);

fn arb_deals() -> impl Strategy<Value = Vec<RawDeal>> {
    proptest::collection::vec(
        (0u8..3, 0u8..3, 0u8..6, arb_amount(), prop_oneof![Just(f64::NAN), -1.0f64..2.0], arb_day(), arb_day()),
        0..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn never_panics(
        deals in arb_deals(),
        history in proptest::collection::vec((0usize..80, 0u8..6, arb_day()), 0..80),
        as_of in arb_day(),
        grain in 0u8..3,
        seed in any::<u64>(),
    ) {
        let stages = ["Prospecting", "Proposal/Price Quote", "Negotiation", "Discovery", "Closed Won", "Closed Lost"];
        let owners = ["Ann", "Bob", ""];
        let mut ds = Dataset::default();
        for (k, (status, owner, stage, amount, p, created, close)) in deals.iter().enumerate() {
            let status = [Status::Open, Status::Won, Status::Lost][*status as usize];
            add_deal(&mut ds, &format!("D{}", k % 50), owners[*owner as usize], stages[*stage as usize], status, *amount, *p, *created, *close);
        }
        for (k, stage, at) in history {
            add_change(&mut ds, &format!("D{k}"), stages[stage as usize], at);
        }
        let grain = [Grain::Month, Grain::Quarter, Grain::Year][grain as usize];
        let opts = PipelineOptions { seed, simulations: 200, horizon: 3, ..PipelineOptions::new(as_of, Calendar::default().with_grain(grain)) };
        let f = pipeline_forecast(&ds, &opts);
        prop_assert!(f.win_probability.deals.iter().all(|d| (0.0..=1.0).contains(&d.p_learned)));
        for p in &f.periods {
            if let (Some(a), Some(b), Some(c)) = (p.p10, p.p50, p.p90) {
                if a.is_finite() && c.is_finite() {
                    prop_assert!(a <= b && b <= c);
                }
            }
        }
        prop_assert!(serde_json::to_string(&f).is_ok());
    }
}

#[test]
fn a_big_pipeline_keeps_its_runs_and_sums_its_tail_analytically() {
    let mut ds = hand_dataset();
    let c = day(2024, 6, 1);
    for k in 0..12_000 {
        add_deal(
            &mut ds,
            &format!("B{k}"),
            "Bob",
            "Proposal",
            Status::Open,
            100.0 + k as f64,
            0.6,
            c,
            day(2024, 6, 20),
        );
    }
    let f = pipeline_forecast(&ds, &monthly(day(2024, 6, 15)));
    let deals = f.periods[0].open_deals + f.periods[1].open_deals;
    assert!(deals > 12_000, "{deals}");
    // Every run requested is made: a run draws EXACT_DEALS deals, not all of them.
    assert_eq!(f.simulations, 10_000);
    assert_eq!(f.periods[0].histogram.iter().map(|b| b.count).sum::<usize>(), 10_000);
    let exact = revlens::pipeline::montecarlo::EXACT_DEALS;
    assert_eq!(f.distribution.method, "simulation_and_moments");
    assert_eq!((f.distribution.simulated_deals, f.distribution.tail_deals), (exact, deals - exact));
    assert!(
        f.notes.iter().any(|n| n.contains(&format!("the other {} are summed analytically", deals - exact))),
        "{:?}",
        f.notes
    );
    assert!(f.method.contains("summing the other"), "{}", f.method);
    // The moments are exact: the mean of the runs is the analytic forecast within noise.
    let p = &f.periods[0];
    assert!((p.mean.unwrap() - p.forecast).abs() < 0.002 * p.forecast, "{} vs {}", p.mean.unwrap(), p.forecast);
    // A small pipeline is simulated deal by deal, as before.
    let f = pipeline_forecast(&hand_dataset(), &monthly(day(2024, 6, 15)));
    assert_eq!(f.distribution.method, "simulation");
    assert_eq!(f.distribution.tail_deals, 0);
}
