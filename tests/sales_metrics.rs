//! The SalesOps lens on a small table whose every number is computed by hand (in comments),
//! plus edge cases and invariants under property tests.

use proptest::prelude::*;
use revlens::metrics::sales::{CommissionPlan, CommissionTier};
use revlens::metrics::Metric;
use revlens::report::{analyze, Report, ReportError, ReportOptions};

/// As of 2025-03-31. Cycles of won deals: 30 (1), 50 (2), 89 (4), 1 (9) days.
const DEALS: &str = "\
Opportunity ID,Opportunity Owner,Stage,Amount,Probability (%),Created Date,Close Date,Type,Lead Source,Region,Forecast Category
1,Ann,Closed Won,1000,100,2025-01-01,2025-01-31,New Business,Web,EU,Closed
2,Ann,Closed Won,3000,100,2025-01-10,2025-03-01,Renewal,Partner,EU,Closed
3,Ann,Closed Lost,2000,0,2025-02-01,2025-02-15,New Business,Web,US,Omitted
4,Bob,Closed Won,2000,100,2024-12-01,2025-02-28,New Business,Partner,US,Closed
5,Bob,Closed Lost,500,0,2025-01-05,2025-03-31,New Business,Web,US,Omitted
6,Bob,Prospecting,4000,10,2025-03-01,2025-04-30,New Business,Web,US,Pipeline
7,Ann,Negotiation/Review,1000,80,2025-01-15,2025-03-15,New Business,Web,EU,Commit
8,Bob,Qualification,,,2025-03-10,,New Business,Partner,US,Best Case
9,Ann,Closed Won,0,100,2025-02-01,2025-02-02,New Business,Web,EU,Closed
";

const QUOTAS: &str = "Owner,Period,Quota\nAnn,2025-Q1,5000\nBob,2025-Q1,4000\nAnn,2025-Q2,6000\n";

fn report_with(files: &[(&str, &str)], opts: ReportOptions) -> Report {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    analyze(&files, &opts).unwrap()
}

fn report() -> Report {
    report_with(
        &[("deals.csv", DEALS), ("quotas.csv", QUOTAS)],
        ReportOptions { as_of: Some("2025-03-31".into()), ..Default::default() },
    )
}

fn find<'a>(r: &'a Report, id: &str, period: Option<&str>, by: &[(&str, &str)]) -> &'a Metric {
    r.metrics
        .iter()
        .find(|m| {
            m.id == id
                && m.period.as_deref() == period
                && match &m.by {
                    None => by.is_empty(),
                    Some(b) => b.len() == by.len() && by.iter().all(|(k, v)| b.get(*k).map(String::as_str) == Some(*v)),
                }
        })
        .unwrap_or_else(|| panic!("no metric {id} {period:?} {by:?}"))
}

fn value(r: &Report, id: &str) -> Option<f64> {
    find(r, id, None, &[]).value
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn whole_data_values() {
    let r = report();
    assert_eq!(value(&r, "won_count"), Some(4.0)); // 1, 2, 4, 9
    assert_eq!(value(&r, "lost_count"), Some(2.0)); // 3, and 5 closing on the as-of date
    assert_eq!(value(&r, "open_count"), Some(3.0)); // 6, 7, 8
    assert_eq!(value(&r, "bookings"), Some(6000.0)); // 1000 + 3000 + 2000 + 0
    assert!(close(value(&r, "win_rate"), 4.0 / 6.0));
    assert!(close(value(&r, "win_rate_value"), 6000.0 / 8500.0)); // lost 2000 + 500
    assert_eq!(value(&r, "avg_deal_size"), Some(1500.0)); // 6000 / 4
    assert_eq!(value(&r, "sales_cycle_days_median"), Some(40.0)); // 1, 30, 50, 89
    assert_eq!(value(&r, "sales_cycle_days_mean"), Some(42.5));
    let open = find(&r, "open_pipeline", None, &[]);
    assert_eq!((open.value, open.rows, open.excluded), (Some(5000.0), Some(2), Some(1))); // deal 8 has no amount
    assert!(close(value(&r, "weighted_pipeline"), 1200.0)); // 4000 × 0.1 + 1000 × 0.8
    assert!(close(value(&r, "sales_velocity"), 3.0 * (4.0 / 6.0) * 1500.0 / 42.5));
    assert_eq!(value(&r, "past_due"), Some(1.0)); // deal 7, due 2025-03-15
    assert_eq!(value(&r, "past_due_amount"), Some(1000.0));
    assert_eq!(value(&r, "pipeline_created"), Some(13500.0)); // 1000+3000+2000+2000+500+4000+1000+0 (8 has none)
}

/// A HubSpot deals export has no probability column. As of 2025-03-31, the open deals' stages:
/// Appointment Scheduled 1000 × 0.2 = 200, contractsent 500 × 0.9 = 450, Decision Maker
/// Bought-In 300 × 0.8 = 240, qualifiedtobuy 400 × 0.4 = 160 (HubSpot's defaults, by label or
/// internal id), Negotiation/Review 100 × 0.9 = 90 (Salesforce's standard stage), Custom Review
/// 200 × none = 0.
const HUBSPOT_DEALS: &str = include_str!("sql/hubspot_deals_no_probability.csv");

#[test]
fn hubspot_deals_without_probability_take_hubspot_default_stage_probabilities() {
    let opts = || ReportOptions { as_of: Some("2025-03-31".into()), ..Default::default() };
    let r = report_with(&[("hubspot-deals.csv", HUBSPOT_DEALS)], opts());
    assert_eq!(serde_json::to_value(r.files[0].source).unwrap(), "hubspot");
    assert_eq!(value(&r, "open_count"), Some(6.0));
    assert!(close(value(&r, "weighted_pipeline"), 200.0 + 450.0 + 240.0 + 160.0 + 90.0));
    let p = &r.weighted_pipeline_probability;
    assert_eq!((p.crm, p.hubspot_default, p.standard_stage, p.none), (0, 4, 1, 1));
    assert_eq!(p.coded.code, "probability_rules");
    let counts = find(&r, "weighted_pipeline", None, &[]).counts.clone().unwrap();
    assert_eq!(counts.get("hubspot_default"), Some(&4));
    assert_eq!(counts.get("none"), Some(&1));
    // By stage: the HubSpot default of each stage.
    assert!(close(find(&r, "weighted_pipeline", None, &[("stage", "contractsent")]).value, 450.0));
    // The same rows from a table of no known CRM: only the Salesforce standard stage weighs.
    let generic = HUBSPOT_DEALS.replacen(
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline",
        "Id,Name,Stage,Amount,Close Date,Created Date,Owner,Pipeline",
        1,
    );
    let r = report_with(&[("deals.csv", generic.as_str())], opts());
    assert_ne!(serde_json::to_value(r.files[0].source).unwrap(), "hubspot");
    assert!(close(value(&r, "weighted_pipeline"), 90.0));
    let p = &r.weighted_pipeline_probability;
    assert_eq!((p.crm, p.hubspot_default, p.standard_stage, p.none), (0, 0, 1, 5));
    // An export's own probability comes first.
    let r = report();
    let p = &r.weighted_pipeline_probability;
    assert_eq!((p.crm, p.hubspot_default, p.standard_stage, p.none), (2, 0, 1, 0));
    // 6, 7; 8 (Qualification)
}

#[test]
fn series_per_period() {
    let r = report();
    assert_eq!(find(&r, "bookings", Some("2025-01"), &[]).value, Some(1000.0));
    assert_eq!(find(&r, "bookings", Some("2025-02"), &[]).value, Some(2000.0)); // deals 4 and 9
    assert_eq!(find(&r, "bookings", Some("2025-03"), &[]).value, Some(3000.0));
    assert!(close(find(&r, "win_rate", Some("2025-02"), &[]).value, 2.0 / 3.0)); // won 4, 9; lost 3
    assert_eq!(find(&r, "pipeline_created", Some("2024-12"), &[]).value, Some(2000.0));
    assert_eq!(find(&r, "pipeline_created", Some("2025-01"), &[]).value, Some(5500.0)); // 1, 2, 5, 7
    assert_eq!(find(&r, "pipeline_created", Some("2025-03"), &[]).value, Some(4000.0)); // 6 (+ 8 without amount)
    assert_eq!(find(&r, "open_pipeline_by_close_period", Some("2025-04"), &[]).value, Some(4000.0));
    let q = report_with(
        &[("deals.csv", DEALS)],
        ReportOptions {
            as_of: Some("2025-03-31".into()),
            grain: revlens::metrics::periods::Grain::Quarter,
            ..Default::default()
        },
    );
    assert_eq!(find(&q, "bookings", Some("2025-Q1"), &[]).value, Some(6000.0));
    // A fiscal year starting in April: January–March 2025 is the last quarter of FY2025.
    let fy = report_with(
        &[("deals.csv", DEALS)],
        ReportOptions {
            as_of: Some("2025-03-31".into()),
            grain: revlens::metrics::periods::Grain::Quarter,
            fiscal_year_start_month: Some(4),
            ..Default::default()
        },
    );
    assert_eq!(find(&fy, "bookings", Some("FY2025-Q4"), &[]).value, Some(6000.0));
    assert_eq!(find(&fy, "pipeline_created", Some("FY2025-Q3"), &[]).value, Some(2000.0));
    // December 2024
}

#[test]
fn breakdowns() {
    let r = report();
    assert_eq!(find(&r, "bookings", None, &[("owner", "Ann")]).value, Some(4000.0)); // 1, 2, 9
    assert_eq!(find(&r, "bookings", None, &[("owner", "Bob")]).value, Some(2000.0));
    assert_eq!(find(&r, "win_rate", None, &[("owner", "Ann")]).value, Some(0.75));
    assert_eq!(find(&r, "win_rate", None, &[("owner", "Bob")]).value, Some(0.5));
    assert_eq!(find(&r, "bookings", None, &[("lead_source", "Partner")]).value, Some(5000.0)); // 2, 4
    assert_eq!(find(&r, "bookings", None, &[("type", "Renewal")]).value, Some(3000.0));
    assert_eq!(find(&r, "bookings", None, &[("region", "US")]).value, Some(2000.0));
    assert_eq!(find(&r, "open_pipeline", None, &[("stage", "Prospecting")]).value, Some(4000.0));
}

#[test]
fn quotas_coverage_categories_conversion_leaderboard() {
    let r = report();
    assert_eq!(find(&r, "quota_attainment", Some("2025-Q1"), &[("owner", "Ann")]).value, Some(0.8)); // 4000 / 5000
    assert_eq!(find(&r, "quota_attainment", Some("2025-Q1"), &[("owner", "Bob")]).value, Some(0.5)); // 2000 / 4000
    assert!(close(find(&r, "quota_attainment", Some("2025-Q1"), &[]).value, 6000.0 / 9000.0));
    // Coverage: open pipeline closing in Q1 ÷ what is left of the quota.
    assert_eq!(find(&r, "pipeline_coverage", Some("2025-Q1"), &[("owner", "Ann")]).value, Some(1.0)); // 1000 / 1000
    assert_eq!(find(&r, "pipeline_coverage", Some("2025-Q1"), &[("owner", "Bob")]).value, Some(0.0)); // deal 6 closes in April
    assert!(close(find(&r, "pipeline_coverage", Some("2025-Q1"), &[]).value, 1000.0 / 3000.0));
    // Q2 has not started at the as-of date: no attainment for it.
    assert!(!r.metrics.iter().any(|m| m.id == "quota_attainment" && m.period.as_deref() == Some("2025-Q2")));
    // Forecast categories for March 2025: closed = deal 2; commit = deal 7.
    assert_eq!(find(&r, "forecast_categories", Some("2025-03"), &[("category", "closed")]).value, Some(3000.0));
    assert_eq!(find(&r, "forecast_categories", Some("2025-03"), &[("category", "commit")]).value, Some(1000.0));
    assert_eq!(find(&r, "forecast_rollup", Some("2025-03"), &[("category", "commit")]).value, Some(4000.0));
    // Stage conversion inferred from the standard stage order: reached Prospecting 7 (4 won +
    // 3 open), Qualification 6, Negotiation/Review 5.
    assert!(r.stage_order.inferred);
    assert_eq!(r.stage_order.stages, vec!["Prospecting", "Qualification", "Negotiation/Review"]);
    assert!(close(
        find(&r, "stage_conversion", None, &[("from", "Prospecting"), ("to", "Qualification"), ("method", "inferred")])
            .value,
        6.0 / 7.0
    ));
    assert!(close(
        find(
            &r,
            "stage_conversion",
            None,
            &[("from", "Qualification"), ("to", "Negotiation/Review"), ("method", "inferred")]
        )
        .value,
        5.0 / 6.0
    ));
    let ann = &r.leaderboard[0];
    assert_eq!((ann.owner.as_str(), ann.bookings, ann.won_count, ann.quota_attainment), ("Ann", 4000.0, 3, Some(0.8)));
}

#[test]
fn stage_conversion_from_history() {
    let history = "OpportunityId,StageName,CreatedDate\n\
        6,Prospecting,2025-03-01\n\
        7,Prospecting,2025-01-15\n7,Qualification,2025-02-01\n7,Negotiation/Review,2025-03-01\n\
        8,Prospecting,2025-03-10\n8,Qualification,2025-03-11\n\
        3,Prospecting,2025-02-01\n3,Closed Lost,2025-02-15\n";
    let r = report_with(
        &[("deals.csv", DEALS), ("history.csv", history)],
        ReportOptions { as_of: Some("2025-03-31".into()), ..Default::default() },
    );
    assert!(!r.stage_order.inferred);
    // Reached Prospecting: 6, 7, 8, 3 + won 1, 2, 4, 9 = 8; went on: 7, 8 + 4 won = 6.
    assert!(close(
        find(&r, "stage_conversion", None, &[("from", "Prospecting"), ("to", "Qualification")]).value,
        6.0 / 8.0
    ));
    // Reached Qualification: 7, 8 + 4 won = 6; went on: 7 + 4 won = 5.
    assert!(close(
        find(&r, "stage_conversion", None, &[("from", "Qualification"), ("to", "Negotiation/Review")]).value,
        5.0 / 6.0
    ));
}

#[test]
fn commission_plan_tiers_and_cap() {
    let plan = CommissionPlan {
        base_rate: 0.1,
        tiers: vec![CommissionTier { above: 1.0, rate: 0.2 }, CommissionTier { above: 1.2, rate: 0.3 }],
        cap: None,
    };
    // 0.1 × 5000 + 0.2 × (6000 − 5000) + 0.3 × (7000 − 6000)
    assert!((plan.payout(7000.0, Some(5000.0)) - 1000.0).abs() < 1e-9);
    assert!((plan.payout(4000.0, Some(5000.0)) - 400.0).abs() < 1e-9);
    assert!((plan.payout(4000.0, None) - 400.0).abs() < 1e-9);
    let capped = CommissionPlan { cap: Some(900.0), ..plan.clone() };
    assert_eq!(capped.payout(7000.0, Some(5000.0)), 900.0);
    let r = report_with(
        &[("deals.csv", DEALS), ("quotas.csv", QUOTAS)],
        ReportOptions { as_of: Some("2025-03-31".into()), commission_plan: Some(plan), ..Default::default() },
    );
    assert_eq!(r.leaderboard.iter().map(|l| l.commission).collect::<Vec<_>>(), vec![Some(400.0), Some(200.0)]);
}

#[test]
fn edge_cases() {
    // No won deals: win rate 0, deal size and cycle undefined (null), never NaN.
    let none_won = "Name,Stage,Amount,Close Date\nA,Closed Lost,10,2025-01-01\nB,Prospecting,5,2025-02-01\n";
    let r = report_with(&[("d.csv", none_won)], ReportOptions::default());
    assert_eq!(value(&r, "win_rate"), Some(0.0));
    assert_eq!(value(&r, "avg_deal_size"), None);
    assert_eq!(value(&r, "sales_cycle_days_median"), None);
    assert_eq!(value(&r, "sales_velocity"), None);
    // All open: win rate undefined.
    let all_open = "Name,Stage,Amount,Close Date\nA,Prospecting,10,2025-01-01\n";
    let r = report_with(&[("d.csv", all_open)], ReportOptions::default());
    assert_eq!(value(&r, "win_rate"), None);
    assert_eq!(value(&r, "open_pipeline"), Some(10.0));
    // Leap day: created 2024-02-28, closed 2024-03-01 is a 2-day cycle.
    let leap = "Name,Stage,Amount,Created Date,Close Date\nA,Closed Won,10,2024-02-28,2024-03-01\n";
    let r = report_with(&[("d.csv", leap)], ReportOptions::default());
    assert_eq!(value(&r, "sales_cycle_days_mean"), Some(2.0));
    // Deals closed after the as-of date are outside the report.
    let r =
        report_with(&[("deals.csv", DEALS)], ReportOptions { as_of: Some("2025-02-28".into()), ..Default::default() });
    assert_eq!(value(&r, "bookings"), Some(3000.0)); // 1, 4, 9
}

#[test]
fn currencies_are_converted_never_added() {
    let multi = "Name,Stage,Amount,Currency,Close Date\nA,Closed Won,100,USD,2025-01-01\nB,Closed Won,100,EUR,2025-01-02\nC,Closed Won,EUR 50,,2025-01-03\n";
    let files: [(&str, &[u8]); 1] = [("d.csv", multi.as_bytes())];
    match analyze(&files, &ReportOptions { currency: Some("USD".into()), ..Default::default() }) {
        Err(ReportError::MissingRate { currency, .. }) => assert_eq!(currency, "EUR"),
        other => panic!("expected a missing-rate error, got {other:?}"),
    }
    let opts =
        ReportOptions { currency: Some("USD".into()), rates: [("EUR".to_string(), 1.1)].into(), ..Default::default() };
    let r = analyze(&files, &opts).unwrap();
    assert!(close(value(&r, "bookings"), 100.0 + 110.0 + 55.0));
    assert_eq!(r.currency, "USD");
}

fn random_deals() -> impl Strategy<Value = String> {
    let row = (
        0usize..3,
        0usize..4,
        proptest::option::of(0u32..100_000),
        0i64..400,
        0i64..200,
        proptest::option::of(0u32..=100),
        0usize..3,
    );
    proptest::collection::vec(row, 1..60).prop_map(|rows| {
        let mut s = String::from("Opportunity Owner,Stage,Amount,Created Date,Close Date,Probability (%),Region\n");
        for (owner, stage, amount, created, cycle, p, region) in rows {
            let stage = ["Closed Won", "Closed Lost", "Prospecting", "Negotiation/Review"][stage];
            let created_day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(created);
            let close_day = created_day + chrono::Duration::days(cycle);
            s += &format!(
                "{},{stage},{},{created_day},{close_day},{},{}\n",
                ["Ann", "Bob", "Cy"][owner],
                amount.map(|a| a.to_string()).unwrap_or_default(),
                p.map(|p| p.to_string()).unwrap_or_default(),
                ["EU", "US", "APAC"][region]
            );
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn invariants(deals in random_deals()) {
        let r = report_with(&[("d.csv", &deals)], ReportOptions { as_of: Some("2026-12-31".into()), ..Default::default() });
        let n = deals.lines().count() - 1;
        let v = |id: &str| value(&r, id).unwrap_or(0.0);
        prop_assert_eq!((v("won_count") + v("lost_count") + v("open_count")) as usize, n);
        prop_assert!(v("weighted_pipeline") <= v("open_pipeline") + 1e-6);
        if let Some(w) = value(&r, "win_rate") { prop_assert!((0.0..=1.0).contains(&w)); }
        for dim in ["owner", "region"] {
            let parts: f64 = r.metrics.iter().filter(|m| m.id == "bookings" && m.by.as_ref().is_some_and(|b| b.contains_key(dim))).filter_map(|m| m.value).sum();
            prop_assert!((parts - v("bookings")).abs() < 1e-6, "{} parts {} vs {}", dim, parts, v("bookings"));
        }
        let series: f64 = r.metrics.iter().filter(|m| m.id == "bookings" && m.period.is_some()).filter_map(|m| m.value).sum();
        prop_assert!((series - v("bookings")).abs() < 1e-6);
        let won_series: f64 = r.metrics.iter().filter(|m| m.id == "won_count" && m.period.is_some()).filter_map(|m| m.value).sum();
        prop_assert_eq!(won_series, v("won_count"));
        for m in &r.metrics { prop_assert!(m.value.is_none_or(f64::is_finite)); }
    }
}
