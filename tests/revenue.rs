//! The RevOps lens on small hand-made datasets: every number worked out by hand in the
//! comments, plus the MRR reconciliation property.

use proptest::prelude::*;
use revlens::metrics::revenue::{mrr_table, revenue_metrics, RevOps, RevenueOptions};
use revlens::metrics::Metric;
use revlens::model::{day_from_ymd, Dataset, Day, Deal, IncomeCategory, Origin, SpendChannel, Status, NO_DAY};

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

fn line(ds: &mut Dataset, customer: &str, start: Day, end: Day, mrr: f64, churned: bool) {
    let r = &mut ds.revenue_lines;
    r.customer.push(customer);
    r.customer_name.push("");
    r.subscription.push("");
    r.start.push(start);
    r.end.push(end);
    r.mrr.push(mrr);
    r.currency.push("");
    r.churned.push(churned);
    r.recurring.push(true);
    r.origin.push(Origin::default());
}

/// A billing row: the customer's MRR for one month (churned: the churn month, no revenue).
fn billing(ds: &mut Dataset, customer: &str, y: i32, m: u32, mrr: f64, churned: bool) {
    let start = day(y, m, 1);
    let end = if m == 12 { day(y + 1, 1, 1) } else { day(y, m + 1, 1) };
    line(ds, customer, start, end, mrr, churned);
}

#[allow(clippy::too_many_arguments)]
fn deal(ds: &mut Dataset, id: &str, account: &str, status: Status, amount: f64, close: Day, source: &str, ty: &str) {
    ds.deals.push(Deal {
        id,
        name: id,
        account,
        owner: "Ann",
        stage: match status {
            Status::Won => "Closed Won",
            Status::Lost => "Closed Lost",
            Status::Open => "Prospecting",
        },
        status,
        amount,
        created: close - 30,
        close,
        lead_source: source,
        deal_type: ty,
        ..Deal::default()
    });
}

fn lead(ds: &mut Dataset, id: &str, source: &str, dates: [Day; 5], deal_id: &str) {
    let l = &mut ds.leads;
    l.id.push(id);
    l.created.push(dates[0]);
    l.source.push(source);
    l.status.push("");
    l.account.push("");
    l.owner.push("");
    l.mql.push(dates[1]);
    l.sql.push(dates[2]);
    l.opportunity.push(dates[3]);
    l.customer.push(dates[4]);
    l.deal_id.push(deal_id);
    l.origin.push(Origin::default());
}

fn spend(ds: &mut Dataset, y: i32, m: u32, channel: SpendChannel, amount: f64) {
    let s = &mut ds.spend;
    s.month.push(day(y, m, 1));
    s.channel.push(channel);
    s.category.push("");
    s.amount.push(amount);
    s.origin.push(Origin::default());
}

fn income(ds: &mut Dataset, date: Day, category: IncomeCategory, amount: f64) {
    let o = &mut ds.other_income;
    o.date.push(date);
    o.category.push(category);
    o.amount.push(amount);
    o.origin.push(Origin::default());
}

fn run(ds: &Dataset, as_of: Day) -> RevOps {
    revenue_metrics(ds, &RevenueOptions { as_of, ..Default::default() })
}

fn find<'a>(r: &'a RevOps, id: &str, period: Option<&str>, by: Option<(&str, &str)>) -> Option<&'a Metric> {
    r.metrics.iter().find(|m| {
        m.id == id
            && m.period.as_deref() == period
            && match by {
                None => m.by.is_none(),
                Some((k, v)) => m.by.as_ref().and_then(|b| b.get(k)).map(String::as_str) == Some(v),
            }
    })
}

fn whole(r: &RevOps, id: &str) -> Option<f64> {
    find(r, id, None, None).unwrap_or_else(|| panic!("no metric {id}")).value
}

fn at(r: &RevOps, id: &str, period: &str) -> Option<f64> {
    find(r, id, Some(period), None).unwrap_or_else(|| panic!("no metric {id} {period}")).value
}

fn by(r: &RevOps, id: &str, dim: &str, key: &str) -> Option<f64> {
    find(r, id, None, Some((dim, key))).unwrap_or_else(|| panic!("no metric {id} by {dim}={key}")).value
}

fn approx(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9 * (1.0 + b.abs()), "{a} != {b}");
}

/// Four customers over Jan–Jun 2024 (month-end snapshots; June's is the as-of date, Jun 30):
/// - A: 100 from Jan 1 (open); a second subscription of 50 from Mar 15 to Jun 10.
/// - B: 200 from Jan 10 to Mar 5; back with 150 from May 20 (open).
/// - C: billing rows Feb 300, Mar 300, Apr a churned row (no revenue).
/// - D: 80 from Apr 1; a second line of 20 from Jun 1.
fn four_customers() -> Dataset {
    let mut ds = Dataset::default();
    line(&mut ds, "A", day(2024, 1, 1), NO_DAY, 100.0, false);
    line(&mut ds, "A", day(2024, 3, 15), day(2024, 6, 10), 50.0, false);
    line(&mut ds, "B", day(2024, 1, 10), day(2024, 3, 5), 200.0, false);
    line(&mut ds, "B", day(2024, 5, 20), NO_DAY, 150.0, false);
    billing(&mut ds, "C", 2024, 2, 300.0, false);
    billing(&mut ds, "C", 2024, 3, 300.0, false);
    billing(&mut ds, "C", 2024, 4, 300.0, true);
    line(&mut ds, "D", day(2024, 4, 1), NO_DAY, 80.0, false);
    line(&mut ds, "D", day(2024, 6, 1), NO_DAY, 20.0, false);
    ds
}

#[test]
fn mrr_movements_by_hand() {
    let ds = four_customers();
    let r = run(&ds, day(2024, 6, 30));
    assert_eq!(r.mrr_source, Some("revenue_lines"));
    // month: (mrr, new, expansion, contraction, churned, reactivated, customers)
    // Jan: A100 + B200 = 300, both new.
    // Feb: + C300 new = 600.
    // Mar: A 150 (+50 expansion), B ended Mar 5 (churned 200), C300 → 450 = 600 + 50 − 200.
    // Apr: C's churned row (churned 300), D new 80 → 230 = 450 − 300 + 80.
    // May: B back with 150 (reactivated) → 380.
    // Jun: A drops its 50 (contraction: one of two subscriptions), D +20 (expansion) → 350.
    let expect = [
        ("2024-01", 300.0, 300.0, 0.0, 0.0, 0.0, 0.0, 2),
        ("2024-02", 600.0, 300.0, 0.0, 0.0, 0.0, 0.0, 3),
        ("2024-03", 450.0, 0.0, 50.0, 0.0, 200.0, 0.0, 2),
        ("2024-04", 230.0, 80.0, 0.0, 0.0, 300.0, 0.0, 2),
        ("2024-05", 380.0, 0.0, 0.0, 0.0, 0.0, 150.0, 3),
        ("2024-06", 350.0, 0.0, 20.0, 50.0, 0.0, 0.0, 3),
    ];
    assert_eq!(r.mrr_movements.len(), expect.len());
    for (mv, e) in r.mrr_movements.iter().zip(expect) {
        assert_eq!(mv.month, e.0);
        let got = (mv.end_mrr, mv.new, mv.expansion, mv.contraction, mv.churned, mv.reactivated, mv.customers);
        assert_eq!(got, (e.1, e.2, e.3, e.4, e.5, e.6, e.7), "{}", e.0);
        approx(at(&r, "mrr", e.0), e.1);
        approx(at(&r, "mrr_churned", e.0), e.5);
        approx(at(&r, "mrr_reactivated", e.0), e.6);
    }
    approx(whole(&r, "mrr"), 350.0);
    approx(whole(&r, "arr"), 4200.0);
    approx(whole(&r, "customers"), 3.0);
    approx(whole(&r, "mrr_contraction"), 50.0);
    // Logo churn: Mar: of A, B, C (paying in Feb) B left → 1/3; Apr: of A, C, C left → 1/2;
    // Jun (whole, as-of month): of A, B, D none left → 0.
    approx(at(&r, "logo_churn_rate", "2024-03"), 1.0 / 3.0);
    approx(at(&r, "logo_churn_rate", "2024-04"), 0.5);
    approx(whole(&r, "logo_churn_rate"), 0.0);
    // Only 6 months: no 12-month NRR/GRR, said why.
    assert_eq!(whole(&r, "nrr"), None);
    assert_eq!(whole(&r, "grr"), None);
    assert!(r.undefined.iter().any(|u| u.metric == "nrr" && u.reason.contains("12 months")));
    // CLV: ARPA = 350 / 3; monthly churn pooled over the months: lost 1 (Mar) + 1 (Apr) = 2
    // of 2 (Feb: A,B) + 3 (Mar) + 2 (Apr) + 2 (May: A,D) + 3 (Jun) = 12 customer-months → 1/6;
    // CLV = 350/3 × 0.8 ÷ (1/6) = 560.
    approx(whole(&r, "arpa"), 350.0 / 3.0);
    approx(whole(&r, "clv"), 560.0);
    // Cohorts: Jan (A, B): paying 2, 2, 1, 1, 2, 2; Feb (C): 1, 1, 0, 0, 0; Apr (D): 1, 1, 1.
    let c = r.cohorts.as_ref().unwrap();
    assert_eq!(c.rows.len(), 3);
    assert_eq!((c.rows[0].cohort.as_str(), c.rows[0].customers), ("2024-01", 2));
    assert_eq!(c.rows[0].retained_customers, vec![2, 2, 1, 1, 2, 2]);
    assert_eq!(c.rows[0].retained_mrr, vec![300.0, 300.0, 150.0, 150.0, 300.0, 250.0]);
    assert_eq!(c.rows[1].retained_customers, vec![1, 1, 0, 0, 0]);
    assert_eq!(c.rows[2].retained_customers, vec![1, 1, 1]);
    // No spend file: CAC is missing, not zero.
    assert!(find(&r, "cac", None, None).is_none());
    assert!(r.missing.iter().any(|m| m.metric == "cac" && m.needs.contains("spend")));
}

#[test]
fn nrr_and_grr_by_hand() {
    let ds = four_customers();
    // Two months back (June against April): April's paying customers A 150, D 80 = 230.
    // Now A 100, D 100: NRR = 200 / 230; GRR caps D at 80: (100 + 80) / 230.
    let opts = RevenueOptions { as_of: day(2024, 6, 30), retention_months: 2, ..Default::default() };
    let r = revenue_metrics(&ds, &opts);
    approx(whole(&r, "nrr"), 200.0 / 230.0);
    approx(whole(&r, "grr"), 180.0 / 230.0);
    // May against March: A 150, C 300 = 450 → A 150, C 0: NRR = GRR = 150 / 450.
    approx(at(&r, "nrr", "2024-05"), 1.0 / 3.0);
    approx(at(&r, "grr", "2024-05"), 1.0 / 3.0);
}

#[test]
fn twelve_month_nrr_with_expansion_above_one_and_grr_capped() {
    // X: 100 all of 2023 and 2024, 130 from 2024-06. Y: 50 from 2023-01, gone 2024-03.
    // Z: new 2024-02 at 500 (not in the cohort). As of 2024-12-31 vs 2023-12:
    // cohort X 100 + Y 50 = 150 → now X 130: NRR = 130/150; GRR = min(130,100)/150 = 100/150.
    let mut ds = Dataset::default();
    line(&mut ds, "X", day(2023, 1, 1), day(2024, 6, 1), 100.0, false);
    line(&mut ds, "X", day(2024, 6, 1), NO_DAY, 130.0, false);
    line(&mut ds, "Y", day(2023, 1, 1), day(2024, 3, 1), 50.0, false);
    line(&mut ds, "Z", day(2024, 2, 1), NO_DAY, 500.0, false);
    let r = run(&ds, day(2024, 12, 31));
    approx(whole(&r, "nrr"), 130.0 / 150.0);
    approx(whole(&r, "grr"), 100.0 / 150.0);
    // X's change of subscription in June is an expansion of 30, not churn + new.
    approx(at(&r, "mrr_expansion", "2024-06"), 30.0);
    approx(at(&r, "mrr_churned", "2024-06"), 0.0);
    approx(at(&r, "mrr_new", "2024-06"), 0.0);
    // As of 2025-05-31 Z's 12 months ago is 2024-05: cohort X 100 + Z 500; now 630 → 630/600.
    let r = run(&ds, day(2025, 5, 31));
    approx(whole(&r, "nrr"), 630.0 / 600.0);
    approx(whole(&r, "grr"), 1.0);
}

#[test]
fn no_churn_leaves_clv_undefined_with_a_reason() {
    let mut ds = Dataset::default();
    line(&mut ds, "A", day(2024, 1, 1), NO_DAY, 100.0, false);
    let r = run(&ds, day(2024, 6, 30));
    assert_eq!(whole(&r, "clv"), None);
    assert!(r.undefined.iter().any(|u| u.metric == "clv" && u.reason.contains("churn")));
}

#[test]
fn mid_month_as_of_snapshots_on_the_as_of_date() {
    // As of Jun 15: a line ending Jun 20 still counts; one ending Jun 10 does not; one
    // starting Jun 16 is in the future.
    let mut ds = Dataset::default();
    line(&mut ds, "A", day(2024, 5, 1), day(2024, 6, 20), 10.0, false);
    line(&mut ds, "B", day(2024, 5, 1), day(2024, 6, 10), 20.0, false);
    line(&mut ds, "C", day(2024, 6, 16), NO_DAY, 40.0, false);
    let r = run(&ds, day(2024, 6, 15));
    approx(whole(&r, "mrr"), 10.0);
    approx(at(&r, "mrr", "2024-05"), 30.0);
}

/// Funnel of five leads, as of 2024-03-31:
/// - L1 (Webinar): created Jan 1, MQL Jan 11, SQL Jan 21, opportunity Feb 1, customer Mar 1.
/// - L2 (Webinar): created Jan 5, MQL Jan 10.
/// - L3 (Outbound): created Jan 20, SQL Jan 30 (skipped MQL: counts as having passed it).
/// - L4 (no source): created Feb 3.
/// - L5: created Apr 2, after the as-of date: left out.
#[test]
fn funnel_by_hand() {
    let mut ds = Dataset::default();
    let n = NO_DAY;
    lead(
        &mut ds,
        "L1",
        "Webinar",
        [day(2024, 1, 1), day(2024, 1, 11), day(2024, 1, 21), day(2024, 2, 1), day(2024, 3, 1)],
        "",
    );
    lead(&mut ds, "L2", "Webinar", [day(2024, 1, 5), day(2024, 1, 10), n, n, n], "");
    lead(&mut ds, "L3", "Outbound", [day(2024, 1, 20), n, day(2024, 1, 30), n, n], "");
    lead(&mut ds, "L4", "", [day(2024, 2, 3), n, n, n, n], "");
    lead(&mut ds, "L5", "Webinar", [day(2024, 4, 2), n, n, n, n], "");
    let r = run(&ds, day(2024, 3, 31));
    // Reached: lead 4, MQL 3 (L1, L2, L3), SQL 2 (L1, L3), opportunity 1, customer 1.
    approx(whole(&r, "leads_created"), 4.0);
    assert_eq!(find(&r, "leads_created", None, None).unwrap().excluded, Some(1));
    for (id, v) in [
        ("funnel_leads", 4.0),
        ("funnel_mql", 3.0),
        ("funnel_sql", 2.0),
        ("funnel_opportunity", 1.0),
        ("funnel_customer", 1.0),
    ] {
        approx(whole(&r, id), v);
    }
    approx(whole(&r, "conversion_lead_to_mql"), 0.75);
    approx(whole(&r, "conversion_mql_to_sql"), 2.0 / 3.0);
    approx(whole(&r, "conversion_sql_to_opportunity"), 0.5);
    approx(whole(&r, "conversion_opportunity_to_customer"), 1.0);
    approx(whole(&r, "conversion_lead_to_customer"), 0.25);
    // Days: lead→MQL L1 10, L2 5 → median 7.5; MQL→SQL L1 10; SQL→opp Jan 21→Feb 1 = 11;
    // opp→customer Feb 1→Mar 1 = 29 (leap year).
    approx(whole(&r, "days_lead_to_mql_median"), 7.5);
    approx(whole(&r, "days_mql_to_sql_median"), 10.0);
    approx(whole(&r, "days_sql_to_opportunity_median"), 11.0);
    approx(whole(&r, "days_opportunity_to_customer_median"), 29.0);
    // Cohorts by created month: Jan [3, 3, 2, 1, 1], Feb [1, 0, 0, 0, 0].
    let f = r.funnel.as_ref().unwrap();
    assert_eq!(f.cohorts.len(), 2);
    assert_eq!(f.cohorts[0].counts, [3, 3, 2, 1, 1]);
    assert_eq!(f.cohorts[1].counts, [1, 0, 0, 0, 0]);
    approx(at(&r, "conversion_lead_to_mql", "2024-01"), 1.0);
    assert_eq!(at(&r, "conversion_lead_to_mql", "2024-02"), Some(0.0));
    assert_eq!(at(&r, "conversion_mql_to_sql", "2024-02"), None);
    approx(at(&r, "leads_created", "2024-01"), 3.0);
    approx(by(&r, "leads_created", "source", "Webinar"), 2.0);
    approx(by(&r, "conversion_lead_to_customer", "source", "Webinar"), 0.5);
    approx(by(&r, "leads_created", "source", "(none)"), 1.0);
    assert_eq!(f.steps[2].conversion, Some(2.0 / 3.0));
    // No revenue lines, no deals: MRR and attribution are missing, not zero.
    assert!(find(&r, "mrr", None, None).is_none());
    assert!(r.missing.iter().any(|m| m.metric == "mrr"));
    assert!(r.missing.iter().any(|m| m.metric == "marketing_sourced_bookings"));
}

/// Deals, spend and income, no revenue lines; as of 2024-03-31.
/// - D1 won 1000 Jan 15, account X, Paid Search (marketing)
/// - D2 won 500 Feb 10, account Y, Outbound (sales)
/// - D3 lost 700 Feb 20, account Z, Paid Search
/// - D4 won 300 Mar 5, account X again, no source on the deal; its lead came from a Webinar
/// - D5 open 900, Web: not closed, not counted
///
/// Spend: Jan Marketing 600 + Sales 400, Feb Marketing 300, Mar "Other" 999 (not S&M).
/// Income: interest 100 (Jan 31), royalty 50 (Feb 28).
fn company() -> Dataset {
    let mut ds = Dataset::default();
    deal(&mut ds, "D1", "X", Status::Won, 1000.0, day(2024, 1, 15), "Paid Search", "New Business");
    deal(&mut ds, "D2", "Y", Status::Won, 500.0, day(2024, 2, 10), "Outbound", "New Business");
    deal(&mut ds, "D3", "Z", Status::Lost, 700.0, day(2024, 2, 20), "Paid Search", "New Business");
    deal(&mut ds, "D4", "X", Status::Won, 300.0, day(2024, 3, 5), "", "Existing Business");
    deal(&mut ds, "D5", "W", Status::Open, 900.0, day(2024, 5, 5), "Web", "New Business");
    lead(&mut ds, "L4", "Webinar", [day(2024, 1, 2), NO_DAY, NO_DAY, NO_DAY, NO_DAY], "D4");
    spend(&mut ds, 2024, 1, SpendChannel::Marketing, 600.0);
    spend(&mut ds, 2024, 1, SpendChannel::Sales, 400.0);
    spend(&mut ds, 2024, 2, SpendChannel::Marketing, 300.0);
    spend(&mut ds, 2024, 3, SpendChannel::Other, 999.0);
    income(&mut ds, day(2024, 1, 31), IncomeCategory::Interest, 100.0);
    income(&mut ds, day(2024, 2, 28), IncomeCategory::Royalty, 50.0);
    ds
}

#[test]
fn attribution_cac_clv_and_total_revenue_by_hand() {
    let ds = company();
    let r = run(&ds, day(2024, 3, 31));
    // Bookings 1000 + 500 + 300 = 1800; marketing: D1 1000 + D4 300 (Webinar via its lead).
    approx(whole(&r, "marketing_sourced_bookings"), 1300.0);
    approx(whole(&r, "marketing_sourced_share"), 1300.0 / 1800.0);
    approx(at(&r, "marketing_sourced_bookings", "2024-02"), 0.0);
    approx(at(&r, "marketing_sourced_share", "2024-03"), 1.0);
    approx(by(&r, "bookings", "lead_source", "Paid Search"), 1000.0);
    approx(by(&r, "win_rate", "lead_source", "Paid Search"), 0.5);
    approx(by(&r, "bookings", "lead_source", "Webinar"), 300.0);
    approx(by(&r, "win_rate", "lead_source", "Outbound"), 1.0);
    approx(by(&r, "bookings", "source_channel", "marketing"), 1300.0);
    approx(by(&r, "bookings", "source_channel", "sales"), 500.0);
    // CAC: S&M spend 600 + 400 + 300 = 1300 (the 999 "other" is not S&M); new customers:
    // first won deals of X (Jan 15) and Y (Feb 10) = 2 → 650. Jan: 1000 / 1; Feb: 300 / 1.
    approx(whole(&r, "sales_marketing_spend"), 1300.0);
    approx(whole(&r, "new_customers"), 2.0);
    approx(whole(&r, "cac"), 650.0);
    approx(at(&r, "cac", "2024-01"), 1000.0);
    approx(at(&r, "cac", "2024-02"), 300.0);
    // No revenue lines and no recurring deal types: no MRR, no payback — both said missing.
    assert!(find(&r, "mrr", None, None).is_none());
    assert!(find(&r, "cac_payback_months", None, None).is_none());
    assert!(r.missing.iter().any(|m| m.metric == "cac_payback_months"));
    // CLV without revenue lines: lifetime won per account, X 1300, Y 500 → 900; LTV:CAC 900/650.
    approx(whole(&r, "clv"), 900.0);
    approx(whole(&r, "ltv_to_cac"), 900.0 / 650.0);
    // Total revenue = 1800 sales + 100 interest + 50 royalty.
    approx(whole(&r, "total_revenue"), 1950.0);
    approx(by(&r, "total_revenue", "category", "sales"), 1800.0);
    approx(by(&r, "total_revenue", "category", "interest"), 100.0);
    approx(by(&r, "other_income", "category", "royalty"), 50.0);
    approx(whole(&r, "other_income"), 150.0);
    approx(at(&r, "total_revenue", "2024-01"), 1100.0);
    // Growth at March: bookings 300 vs 500 → −0.4; revenue 300 vs 550 → −5/11.
    approx(by(&r, "revenue_growth_mom", "of", "bookings"), -0.4);
    approx(by(&r, "revenue_growth_mom", "of", "total_revenue"), 300.0 / 550.0 - 1.0);
    // No quarter before Q1 2024 in the data: QoQ undefined.
    assert_eq!(by(&r, "revenue_growth_qoq", "of", "bookings"), None);
    assert!(r.metrics.iter().all(|m| m.lens == revlens::metrics::Lens::Revops));
}

#[test]
fn marketing_source_mapping_override() {
    let ds = company();
    // Only "Outbound" is marketing now: 500 of 1800.
    let opts = RevenueOptions {
        as_of: day(2024, 3, 31),
        marketing_sources: Some(vec!["outbound".into()]),
        ..Default::default()
    };
    let r = revenue_metrics(&ds, &opts);
    approx(whole(&r, "marketing_sourced_bookings"), 500.0);
}

#[test]
fn zero_spend_gives_zero_cac_and_payback_with_revenue_lines() {
    let mut ds = company();
    for a in &mut ds.spend.amount {
        *a = 0.0;
    }
    // New customers X and Y pay 100 and 50 from their first month.
    line(&mut ds, "X", day(2024, 1, 15), NO_DAY, 100.0, false);
    line(&mut ds, "Y", day(2024, 2, 10), NO_DAY, 50.0, false);
    let r = run(&ds, day(2024, 3, 31));
    approx(whole(&r, "cac"), 0.0);
    approx(whole(&r, "cac_payback_months"), 0.0);
    // CAC payback with spend: 650 ÷ (avg new MRR (100 + 50)/2 = 75 × 0.8) = 650/60.
    let mut ds = company();
    line(&mut ds, "X", day(2024, 1, 15), NO_DAY, 100.0, false);
    line(&mut ds, "Y", day(2024, 2, 10), NO_DAY, 50.0, false);
    let r = run(&ds, day(2024, 3, 31));
    approx(whole(&r, "cac_payback_months"), 650.0 / 60.0);
    approx(whole(&r, "new_customer_mrr_avg"), 75.0);
    // No churn yet: CLV null, and so LTV:CAC; both explained.
    assert_eq!(whole(&r, "clv"), None);
    assert_eq!(whole(&r, "ltv_to_cac"), None);
    assert!(r.undefined.iter().any(|u| u.metric == "ltv_to_cac"));
}

#[test]
fn recurring_deals_stand_in_for_billing() {
    // A won "Subscription" deal of 1200 closing Jan 15 2024: 100 a month for twelve months.
    let mut ds = Dataset::default();
    deal(&mut ds, "S1", "X", Status::Won, 1200.0, day(2024, 1, 15), "Web", "Subscription");
    deal(&mut ds, "S2", "Y", Status::Won, 2400.0, day(2023, 3, 1), "Web", "Renewal");
    let r = run(&ds, day(2024, 3, 31));
    assert_eq!(r.mrr_source, Some("recurring_deals"));
    // Y: 200 from 2023-03-01 to 2024-03-01 (gone at March's end); X: 100.
    approx(whole(&r, "mrr"), 100.0);
    approx(at(&r, "mrr", "2024-02"), 300.0);
    approx(at(&r, "mrr_churned", "2024-03"), 200.0);
}

#[test]
fn nothing_but_deals_says_what_is_missing() {
    let mut ds = Dataset::default();
    deal(&mut ds, "D1", "X", Status::Won, 1000.0, day(2024, 1, 15), "Web", "New Business");
    let r = run(&ds, day(2024, 3, 31));
    for id in ["leads_created", "mrr", "nrr", "cac", "other_income"] {
        assert!(r.missing.iter().any(|m| m.metric == id), "{id} not listed as missing");
        assert!(find(&r, id, None, None).is_none(), "{id} emitted although its input is missing");
    }
    approx(whole(&r, "total_revenue"), 1000.0);
}

// ---------------------------------------------------------------------------------------
// Property: the MRR bridge reconciles every month, and equals a direct snapshot.

fn arb_lines() -> impl Strategy<Value = Vec<(u8, i32, Option<i32>, f64, bool)>> {
    // customer, start offset (days from 2023-01-01), length, mrr (incl. credits), churned row
    prop::collection::vec(
        (0u8..6, 0i32..700, prop::option::of(0i32..400), -50.0f64..500.0, prop::bool::weighted(0.1)),
        0..40,
    )
}

proptest! {
    #[test]
    fn mrr_movements_reconcile(lines in arb_lines(), as_of_offset in 0i32..760) {
        let base = day(2023, 1, 1);
        let as_of = base + as_of_offset;
        let mut ds = Dataset::default();
        for (c, s, len, mrr, churned) in &lines {
            let mrr = (mrr * 100.0).round() / 100.0;
            line(&mut ds, &format!("C{c}"), base + s, len.map_or(NO_DAY, |l| base + s + l), mrr, *churned);
        }
        let r = run(&ds, as_of);
        let mv = &r.mrr_movements;
        for (k, m) in mv.iter().enumerate() {
            let bridge = m.start_mrr + m.new + m.expansion + m.reactivated - m.contraction - m.churned;
            prop_assert!((bridge - m.end_mrr).abs() < 1e-6, "{}: {} vs {}", m.month, bridge, m.end_mrr);
            if k > 0 {
                prop_assert!((m.start_mrr - mv[k - 1].end_mrr).abs() < 1e-9);
            } else {
                prop_assert_eq!(m.start_mrr, 0.0);
            }
            prop_assert!(m.new >= 0.0 && m.expansion >= 0.0 && m.contraction >= 0.0 && m.churned >= 0.0 && m.reactivated >= 0.0);
        }
        // Direct snapshot: Σ over customers of max(0, Σ lines active on the snapshot day).
        if let Some((t, _)) = mrr_table(&ds, as_of) {
            for (k, row) in mv.iter().enumerate().take(t.months) {
                let m = t.first + k as i32;
                let (y, mo) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
                let next = if mo == 12 { day(y + 1, 1, 1) } else { day(y, mo + 1, 1) };
                let snap = (next - 1).min(as_of);
                let mut per: std::collections::BTreeMap<&str, f64> = Default::default();
                for i in 0..ds.revenue_lines.len() {
                    let rl = ds.revenue_lines.get(i);
                    if !rl.churned && rl.start <= snap && (rl.end == NO_DAY || rl.end > snap) {
                        *per.entry(rl.customer).or_default() += rl.mrr;
                    }
                }
                let direct: f64 = per.values().map(|v| v.max(0.0)).sum();
                prop_assert!((direct - row.end_mrr).abs() < 1e-6, "{}: direct {} vs {}", row.month, direct, row.end_mrr);
            }
            // NRR ≥ GRR, GRR ≤ 1.
            if let (Some(n), Some(g)) = (whole(&r, "nrr"), whole(&r, "grr")) {
                prop_assert!(g <= 1.0 + 1e-12 && n + 1e-12 >= g);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The embedded sample company: every RevOps metric has its input.

#[test]
fn sample_company_has_the_whole_revops_lens() {
    use revlens::ingest::{build_dataset, FileIngest, IngestOptions};
    let files = revlens::sample::generate(&revlens::sample::SampleOptions::default());
    let opts = IngestOptions::default();
    let ingested = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut fi = FileIngest::new(&f.name, i as u32, &opts);
            fi.push(&f.bytes).unwrap();
            fi.finish().unwrap()
        })
        .collect();
    let ds = build_dataset(ingested).0;
    let as_of = ds.latest_event_day().unwrap();
    assert_eq!(as_of, day(2026, 6, 30));
    let r = run(&ds, as_of);
    assert!(r.missing.is_empty(), "{:?}", r.missing);
    for id in [
        "leads_created",
        "funnel_customer",
        "conversion_lead_to_mql",
        "days_lead_to_mql_median",
        "marketing_sourced_bookings",
        "marketing_sourced_share",
        "cac",
        "cac_payback_months",
        "mrr",
        "arr",
        "nrr",
        "grr",
        "logo_churn_rate",
        "clv",
        "ltv_to_cac",
        "total_revenue",
        "other_income",
        "customers",
    ] {
        let v = whole(&r, id);
        eprintln!("{id:36} {v:?}");
        assert!(v.is_some(), "{id} is null: {:?}", r.undefined);
    }
    for (id, by_) in
        [("revenue_growth_mom", "bookings"), ("revenue_growth_yoy", "total_revenue"), ("revenue_growth_qoq", "mrr")]
    {
        eprintln!("{id:36} {by_:14} {:?}", by(&r, id, "of", by_));
    }
    // The sample's story (see src/sample.rs): payback around 20 months, churn and
    // reactivation both present, GRR below 100 %.
    let payback = whole(&r, "cac_payback_months").unwrap();
    assert!((8.0..40.0).contains(&payback), "payback {payback}");
    assert!(r.mrr_movements.iter().any(|m| m.reactivated > 0.0));
    assert!(r.mrr_movements.iter().any(|m| m.contraction > 0.0));
    assert!(whole(&r, "grr").unwrap() < 1.0);
    assert!(by(&r, "bookings", "source_channel", "marketing").unwrap() > 0.0);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"mrr_movements\""));
}
