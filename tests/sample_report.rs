//! The embedded sample company: every file's kind detected, every row accounted for, and
//! each deliberate data-quality problem found.

use revlens::report::{analyze, ReportOptions};
use revlens::sample::{generate, SampleOptions};

#[test]
fn sample_company_reads_and_its_problems_are_found() {
    let files = generate(&SampleOptions::default());
    let refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    assert_eq!(r.files.len(), 7);
    for (f, s) in r.files.iter().zip(&files) {
        assert_eq!(serde_json::to_value(f.kind).unwrap(), s.kind, "{}", f.file);
        assert_eq!(f.rows_used + f.rows_rejected, f.rows_read, "{}", f.file);
    }
    let deals = r.quality.files.iter().find(|f| f.file == "salesforce_opportunities.csv").unwrap();
    assert_eq!(deals.rows_rejected, 1, "the 'n/a' amount");
    assert_eq!(deals.skipped.0.iter().find(|g| g.reason == "report footer").map(|g| g.count), Some(2));
    for id in [
        "duplicate_deal_id",
        "won_zero_amount",
        "close_before_created",
        "owner_variants",
        "probability_vs_status",
        "open_missing_close_date",
        "past_due_open",
        "won_account_without_customer",
    ] {
        assert!(r.quality.findings.iter().any(|f| f.id == id), "finding {id} missing");
    }
    let metric = |id: &str| {
        r.metrics.iter().find(|m| m.id == id && m.period.is_none() && m.by.is_none()).and_then(|m| m.value).unwrap()
    };
    assert!(metric("won_count") > 50.0 && metric("open_count") > 10.0 && metric("lost_count") > 50.0);
    assert_eq!(r.currency, "USD");
}

#[test]
fn the_sample_is_deterministic_and_scales() {
    let a = generate(&SampleOptions::default());
    let b = generate(&SampleOptions::default());
    assert!(a.iter().zip(&b).all(|(x, y)| x.bytes == y.bytes));
    let big = generate(&SampleOptions { deals: 5000, seed: 7 });
    let refs: Vec<(&str, &[u8])> = big.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    let deals = r.files.iter().find(|f| f.file == "salesforce_opportunities.csv").unwrap();
    assert!((4900..=5100).contains(&deals.rows_read), "{}", deals.rows_read);
}
