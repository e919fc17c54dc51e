//! The embedded sample company: every file's kind detected, every row accounted for, and
//! each deliberate data-quality problem found.

use revlens::report::{analyze, ReportOptions};
use revlens::sample::{generate, SampleOptions};

#[test]
fn sample_company_reads_and_its_problems_are_found() {
    let files = generate(&SampleOptions::default());
    let refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    assert_eq!(r.files.len(), 10);
    for (f, s) in r.files.iter().zip(&files) {
        // The weekly snapshots are deals exports, read as snapshots of the latest.
        let kind = if s.kind == "snapshot" { "deals" } else { s.kind };
        assert_eq!(serde_json::to_value(f.kind).unwrap(), kind, "{}", f.file);
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
    // Four exports of one pipeline: the report is the latest's, the earliest in the quarter is
    // compared with it, and the waterfall's bars add up.
    let snapshots = r.snapshots.as_ref().expect("snapshots");
    let dates: Vec<&str> = snapshots.list.iter().map(|s| s.date.as_str()).collect();
    assert_eq!(dates, ["2026-06-09", "2026-06-16", "2026-06-23", "2026-06-30"]);
    assert_eq!(snapshots.list[3].file, "salesforce_opportunities.csv");
    let c = snapshots.comparison.as_ref().expect("comparison");
    assert_eq!(
        (c.from.as_str(), c.to.as_str(), c.window.label.as_deref()),
        ("2026-06-09", "2026-06-30", Some("2026-Q2"))
    );
    let bar = |k: usize| (c.waterfall[k].amount * 100.0).round() as i64;
    let moved: i64 = (1..11).map(|k| c.waterfall[k].bar.sign() * bar(k)).sum();
    assert_eq!(bar(0) + moved, bar(11), "start + bars = end, in cents");
    assert!(c.waterfall[1].count > 0, "deals won between the exports");
    // The history's close dates measure the slip the forecast uses.
    assert!(r.forecast.slip_source.starts_with("measured"), "{}", r.forecast.slip_source);
    assert!(r.history.close_dates.closed_pushed > 0 && r.history.bottleneck.is_some());
}

#[test]
fn the_sample_is_deterministic_and_scales() {
    let a = generate(&SampleOptions::default());
    let b = generate(&SampleOptions::default());
    assert!(a.iter().zip(&b).all(|(x, y)| x.bytes == y.bytes));
    let big = generate(&SampleOptions { deals: 5000, seed: 7, snapshots: 0 });
    let refs: Vec<(&str, &[u8])> = big.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    let deals = r.files.iter().find(|f| f.file == "salesforce_opportunities.csv").unwrap();
    assert!((4900..=5100).contains(&deals.rows_read), "{}", deals.rows_read);
}

/// A segment (owner, region) gives, for the SalesOps headline numbers, exactly the
/// unfiltered report's breakdown for that segment; RevOps stays the whole company's.
#[test]
fn a_segment_equals_its_breakdown_and_leaves_revops_alone() {
    use revlens::report::DealFilter;
    let files = generate(&SampleOptions::default());
    let refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let all = analyze(&refs, &ReportOptions::default()).unwrap();
    assert!(all.filter.is_none());
    let value = |r: &revlens::report::Report, id: &str, lens: &str, by: Option<(&str, &str)>| {
        r.metrics
            .iter()
            .find(|m| {
                m.id == id
                    && format!("{:?}", m.lens).eq_ignore_ascii_case(lens)
                    && m.period.is_none()
                    && match (by, &m.by) {
                        (None, None) => true,
                        (Some((d, k)), Some(b)) => b.len() == 1 && b.get(d).map(String::as_str) == Some(k),
                        _ => false,
                    }
            })
            .and_then(|m| m.value)
    };
    let owner = all.leaderboard[0].owner.clone();
    for (dim, key, filter) in [
        ("owner", owner.as_str(), DealFilter { owner: vec![owner.clone()], ..Default::default() }),
        ("region", "EMEA", DealFilter { region: vec!["EMEA".into()], ..Default::default() }),
    ] {
        let seg = analyze(&refs, &ReportOptions { filter: filter.clone(), ..Default::default() }).unwrap();
        let applied = seg.filter.as_ref().unwrap();
        assert_eq!(applied.filter, filter);
        assert!(applied.deals_kept > 0 && applied.deals_kept < applied.deals_total, "{applied:?}");
        for id in ["bookings", "won_count", "lost_count", "open_count", "win_rate", "avg_deal_size", "open_pipeline"] {
            let expected = value(&all, id, "salesops", Some((dim, key)));
            assert!(expected.is_some(), "{id} by {dim} {key}");
            let got = value(&seg, id, "salesops", None);
            assert!(
                matches!((got, expected), (Some(a), Some(b)) if (a - b).abs() <= 1e-9 * b.abs().max(1.0)),
                "{dim}={key} {id}: {got:?} vs breakdown {expected:?}"
            );
        }
        // Only the segment's values are left in its own breakdown.
        assert!(seg.metrics.iter().filter_map(|m| m.by.as_ref()?.get(dim)).all(|k| k == key));
        for id in ["mrr", "nrr", "leads_created", "data_quality_score"] {
            assert!(value(&all, id, "revops", None).is_some(), "{id}");
            assert_eq!(value(&seg, id, "revops", None), value(&all, id, "revops", None), "{id}");
        }
    }
}

/// Spend typed in (month by month) gives the same CAC as the spend file it mirrors; without
/// either, the report says CAC needs a spend file; a bad entry is an error naming it.
#[test]
fn typed_spend_stands_in_for_a_spend_file() {
    use revlens::model::SpendChannel;
    use revlens::report::TypedSpend;
    let files = generate(&SampleOptions::default());
    let all: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let no_spend: Vec<(&str, &[u8])> = all.iter().copied().filter(|(n, _)| !n.contains("spend")).collect();
    assert_eq!(no_spend.len() + 1, all.len());
    let with_file = analyze(&all, &ReportOptions::default()).unwrap();
    let head = |r: &revlens::report::Report, id: &str| {
        r.metrics.iter().find(|m| m.id == id && m.period.is_none() && m.by.is_none()).and_then(|m| m.value)
    };
    let typed: Vec<TypedSpend> = with_file
        .metrics
        .iter()
        .filter(|m| m.id == "sales_marketing_spend" && m.by.is_none())
        .filter_map(|m| {
            Some(TypedSpend { month: m.period.clone()?, channel: SpendChannel::Marketing, amount: m.value? })
        })
        .collect();
    assert!(typed.len() >= 6, "{typed:?}");

    let bare = analyze(&no_spend, &ReportOptions::default()).unwrap();
    assert_eq!(head(&bare, "cac"), None);
    assert!(bare.revops.missing.iter().any(|m| m.metric == "cac"), "{:?}", bare.revops.missing);

    let typed_in = analyze(&no_spend, &ReportOptions { spend: typed.clone(), ..Default::default() }).unwrap();
    for id in ["sales_marketing_spend", "cac", "cac_payback_months", "ltv_to_cac"] {
        let (a, b) = (head(&typed_in, id), head(&with_file, id));
        assert!(a.is_some() && b.is_some(), "{id}");
        assert!((a.unwrap() - b.unwrap()).abs() <= 1e-9 * b.unwrap().abs().max(1.0), "{id}: {a:?} vs {b:?}");
    }

    let mut bad = typed;
    bad[1].month = "March".into();
    let err = analyze(&no_spend, &ReportOptions { spend: bad, ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), "BAD_SPEND");
    assert!(err.to_string().contains("spend entry 2") && err.to_string().contains("March"), "{err}");
}

/// Among several files, one that cannot be read is reported and the others analysed; alone,
/// it is the error; when none can be read, the error says so.
#[test]
fn an_unreadable_file_among_several_is_reported_not_fatal() {
    let files = generate(&SampleOptions::default());
    let mut refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let base = analyze(&refs, &ReportOptions::default()).unwrap();
    assert!(base.files_not_read.is_empty());
    refs.insert(0, ("accounts.csv", b"account,sector,employees\nAcme,Tech,40\n"));
    refs.push(("empty.csv", b""));
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    // Rows still point at their own file, though a file before them was not read.
    let files: Vec<&str> = r.quality.files.iter().map(|f| f.file.as_str()).collect();
    for id in ["past_due_open", "history_unknown_deal", "lead_unknown_deal"] {
        let finding = r.quality.findings.iter().find(|f| f.id == id).unwrap();
        let named: Vec<&str> = finding.rows.iter().map(|o| files[o.file as usize]).collect();
        let expected = base.quality.findings.iter().find(|f| f.id == id).unwrap();
        let base_files: Vec<&str> = base.quality.files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(named, expected.rows.iter().map(|o| base_files[o.file as usize]).collect::<Vec<_>>(), "{id}");
    }
    let not_read: Vec<(&str, &str)> = r.files_not_read.iter().map(|f| (f.file.as_str(), f.code)).collect();
    assert_eq!(not_read, [("accounts.csv", "UNKNOWN_FILE_KIND"), ("empty.csv", "EMPTY_FILE")]);
    assert!(r.files_not_read[0].message.contains("line 1"), "{}", r.files_not_read[0].message);
    assert_eq!(r.files.len(), base.files.len());
    assert_eq!(serde_json::to_value(&r.metrics).unwrap(), serde_json::to_value(&base.metrics).unwrap());

    let alone = analyze(&[("accounts.csv", b"account,sector\nAcme,Tech\n".as_slice())], &ReportOptions::default());
    assert_eq!(alone.unwrap_err().code(), "UNKNOWN_FILE_KIND");
    let none = analyze(&[("a.csv", b"x,y\n1,2\n".as_slice()), ("b.csv", b"".as_slice())], &ReportOptions::default());
    let err = none.unwrap_err();
    assert_eq!(err.code(), "NO_FILE_READ");
    assert!(err.to_string().contains("a.csv") && err.to_string().contains("1 more"), "{err}");
}

/// The forecast is in the report; per-deal probabilities only on request (they grow with the
/// pipeline), the deals that move the forecast always.
#[test]
fn forecast_in_the_report_with_deal_probabilities_on_request() {
    let files = generate(&SampleOptions::default());
    let refs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let r = analyze(&refs, &ReportOptions::default()).unwrap();
    assert_eq!(r.forecast.periods.len(), 2);
    assert!(r.forecast.win_probability.deals.is_empty());
    assert!(r.forecast.periods.iter().any(|p| !p.movers.is_empty()));
    assert!(r.forecast.win_probability.brier_learned.is_some());
    let full = analyze(&refs, &ReportOptions { deal_probabilities: true, ..Default::default() }).unwrap();
    let open = full.metrics.iter().find(|m| m.id == "open_count" && m.period.is_none() && m.by.is_none()).unwrap();
    assert_eq!(full.forecast.win_probability.deals.len() as f64, open.value.unwrap());
    assert_eq!(full.forecast.periods, r.forecast.periods);
}
