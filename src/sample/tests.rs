//! The sample's promises: files that parse, agree with each other and carry exactly the
//! documented data problems; the same bytes from the same options.

use super::*;
use std::collections::{HashMap, HashSet};

/// RFC 4180 reader (quotes, doubled quotes, CRLF or LF); a blank line gives `[""]`.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                _ => field.push(c),
            }
        }
    }
    assert!(field.is_empty() && row.is_empty(), "file must end with a newline");
    rows
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    trailer: Vec<Vec<String>>,
}

impl Table {
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }
}

fn table(files: &[SampleFile], kind: &str) -> Table {
    let f = files.iter().find(|f| f.kind == kind).expect("kind present");
    let mut rows = parse_csv(&f.bytes);
    let header = rows.remove(0);
    let end = rows.iter().position(|r| r.len() == 1 && r[0].is_empty()).unwrap_or(rows.len());
    let trailer = rows.split_off(end);
    for r in &rows {
        assert_eq!(r.len(), header.len(), "{kind}: ragged row {r:?}");
    }
    Table { header, rows, trailer }
}

fn mdy(s: &str) -> (i32, u32, u32) {
    let p: Vec<&str> = s.split('/').collect();
    assert_eq!(p.len(), 3, "M/D/YYYY expected: {s}");
    assert!(!p[0].starts_with('0') && !p[1].starts_with('0'), "{s}");
    (p[2].parse().unwrap(), p[0].parse().unwrap(), p[1].parse().unwrap())
}

fn iso(s: &str) -> (i32, u32, u32) {
    assert!(s.len() >= 10 && &s[4..5] == "-" && &s[7..8] == "-", "ISO date expected: {s}");
    (s[0..4].parse().unwrap(), s[5..7].parse().unwrap(), s[8..10].parse().unwrap())
}

fn default_files() -> Vec<SampleFile> {
    generate(&SampleOptions::default())
}

fn subscription_accounts(files: &[SampleFile]) -> HashSet<String> {
    let subs = table(files, "revenue_lines");
    let name = subs.col("Customer Name");
    subs.rows.iter().map(|r| r[name].clone()).collect()
}

#[test]
fn deterministic_and_seed_sensitive() {
    let a = default_files();
    let b = default_files();
    assert_eq!(a, b);
    let c = generate(&SampleOptions { deals: 600, seed: 43, snapshots: 3 });
    assert_eq!(a.len(), c.len());
    for (x, y) in a.iter().zip(&c) {
        assert_eq!(x.name, y.name);
        assert_ne!(x.bytes, y.bytes, "{} ignores the seed", x.name);
    }
    let names: Vec<&str> = a.iter().map(|f| f.kind).collect();
    assert_eq!(
        names,
        [
            "deals",
            "stage_history",
            "leads",
            "revenue_lines",
            "spend",
            "quotas",
            "other_income",
            "snapshot",
            "snapshot",
            "snapshot"
        ]
    );
}

#[test]
fn deal_and_lead_counts_follow_the_request() {
    for n in [600usize, 2500] {
        let files = generate(&SampleOptions { deals: n, seed: 7, snapshots: 3 });
        let deals = table(&files, "deals");
        let got = deals.rows.len();
        assert!(got.abs_diff(n) <= n / 25, "{n} requested, {got} rows");
        let leads = table(&files, "leads");
        assert_eq!(leads.rows.len(), LEADS_PER_DEAL * n);
    }
    let total: usize = default_files().iter().map(|f| f.bytes.len()).sum();
    // 1.3 MB of exports, and 3 weekly snapshots of the 127 KB opportunities report.
    assert!(total < 1_700_000, "default sample is {total} bytes");
}

#[test]
fn tiny_requests_do_not_panic() {
    for n in [0usize, 1, 2, 5, 20, 60] {
        let files = generate(&SampleOptions { deals: n, seed: 1, snapshots: 2 });
        assert_eq!(files.len(), 9);
        let deals = table(&files, "deals");
        assert!(deals.rows.len() <= n + 6, "{n}: {}", deals.rows.len());
        for f in &files {
            assert!(f.bytes.ends_with(b"\n"));
        }
    }
}

#[test]
fn deals_file_looks_like_a_salesforce_report() {
    let files = default_files();
    let f = &files[0];
    assert!(f.bytes.starts_with(b"\"Opportunity ID\",\"Opportunity Name\","));
    assert!(f.bytes.ends_with(
        b"\r\n\r\n\"Confidential Information - Do Not Distribute\"\r\n\
\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n"
    ));
    let lf = f.bytes.iter().filter(|&&c| c == b'\n').count();
    let crlf = f.bytes.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(lf, crlf, "CRLF line endings");
    for other in &files[1..] {
        // The weekly snapshots are the same report, exported earlier.
        let crlf = other.kind == "snapshot";
        assert_eq!(other.bytes.contains(&b'\r'), crlf, "{} line endings", other.name);
    }
    let deals = table(&files, "deals");
    assert_eq!(
        deals.trailer,
        vec![
            vec![String::new()],
            vec!["Confidential Information - Do Not Distribute".to_string()],
            vec!["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.".to_string()],
        ]
    );
    // Every field quoted: each line starts with a quote and has 14 quoted fields.
    let text = std::str::from_utf8(&f.bytes).unwrap();
    for line in text.split("\r\n").skip(1).take(deals.rows.len()) {
        assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
    }
    let id = deals.col("Opportunity ID");
    let stage = deals.col("Stage");
    let mut open_stages = HashSet::new();
    for r in &deals.rows {
        assert_eq!(r[id].len(), 18);
        assert!(r[id].starts_with("0065g"));
        assert!(STAGES.contains(&r[stage].as_str()), "{}", r[stage]);
        if !r[stage].starts_with("Closed") {
            open_stages.insert(r[stage].clone());
        }
        mdy(&r[deals.col("Created Date")]);
        assert!(FORECAST.contains(&r[deals.col("Forecast Category")].as_str()));
        assert!(SOURCES.contains(&r[deals.col("Lead Source")].as_str()));
        assert!(TYPES.contains(&r[deals.col("Type")].as_str()));
        assert!(REGIONS.contains(&r[deals.col("Region")].as_str()));
        assert!(PRODUCTS.contains(&r[deals.col("Product")].as_str()));
    }
    assert_eq!(open_stages.len(), 5, "open deals in every open stage");
}

#[test]
fn default_bookings_grow_with_a_q4_lift() {
    let files = default_files();
    let deals = table(&files, "deals");
    let (stage, amount, close) = (deals.col("Stage"), deals.col("Amount"), deals.col("Close Date"));
    let mut quarters: HashMap<(i32, u32), f64> = HashMap::new();
    for r in &deals.rows {
        if r[stage] == "Closed Won" {
            let (y, m, _) = mdy(&r[close]);
            *quarters.entry((y, (m - 1) / 3 + 1)).or_default() += r[amount].parse::<f64>().unwrap();
        }
    }
    let q = |y: i32, n: u32| quarters.get(&(y, n)).copied().unwrap_or(0.0);
    for y in [2024, 2025] {
        for n in 1..=3 {
            assert!(q(y, 4) > q(y, n), "Q4 {y} below Q{n}");
        }
        assert!(q(y, 4) > q(y + 1, 1), "Q4 {y} below the next Q1");
    }
    let year = |y: i32| (1..=4).map(|n| q(y, n)).sum::<f64>();
    assert!(year(2025) > 1.3 * year(2024));
    assert!(q(2026, 1) + q(2026, 2) > q(2025, 1) + q(2025, 2));
}

#[test]
fn salesforce_id_checksum() {
    let mut id = *b"001A0000006Vm9rAAA";
    sf_checksum(&mut id);
    assert_eq!(&id, b"001A0000006Vm9rIAC");
    let ids: HashSet<[u8; 18]> = (0..10_000).map(|i| deal_id(42, i)).collect();
    assert_eq!(ids.len(), 10_000);
    assert!(deal_id(1, 5) < deal_id(1, 6));
}

#[test]
fn deterministic_exp() {
    for i in -200..=200 {
        let x = f64::from(i) / 37.0;
        let rel = (det_exp(x) - x.exp()).abs() / x.exp();
        assert!(rel < 1e-13, "{x}: {rel}");
    }
}

#[test]
fn history_matches_deals() {
    let files = default_files();
    let deals = table(&files, "deals");
    let hist = table(&files, "stage_history");
    assert_eq!(hist.header, ["OPPORTUNITYID", "STAGENAME", "AMOUNT", "PROBABILITY", "CLOSEDATE", "CREATEDDATE"]);
    let (id, stage, created, close) =
        (deals.col("Opportunity ID"), deals.col("Stage"), deals.col("Created Date"), deals.col("Close Date"));
    let by_id: HashMap<&str, &Vec<String>> = deals.rows.iter().map(|r| (r[id].as_str(), r)).collect();
    let mut per_deal: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
    let mut last_ts = String::new();
    for h in &hist.rows {
        assert!(by_id.contains_key(h[0].as_str()), "history id {} not in deals", h[0]);
        assert!(h[5] >= last_ts, "history is chronological");
        last_ts = h[5].clone();
        assert_eq!(h[5].len(), 24);
        assert!(h[5].ends_with(":00.000Z"));
        per_deal.entry(h[0].as_str()).or_default().push(h);
    }
    let backdated =
        deals.rows.iter().find(|r| !r[close].is_empty() && mdy(&r[close]) < mdy(&r[created])).map(|r| r[id].clone());
    for (deal_id, entries) in &per_deal {
        let d = by_id[deal_id];
        assert_eq!(iso(&entries[0][5]), mdy(&d[created]), "first entry at creation");
        let last = entries.last().unwrap();
        assert_eq!(last[1], d[stage], "last history stage is the deal's stage");
        if d[stage].starts_with("Closed") && Some(&d[id]) != backdated.as_ref() {
            assert_eq!(iso(&last[5]), mdy(&d[close]), "closed at close date");
        }
        // Close dates as of each entry: pushed later, never earlier, ending at the deal's own.
        if d[close].is_empty() {
            assert!(entries.iter().all(|e| e[4].is_empty()));
        } else {
            let closes: Vec<_> = entries.iter().map(|e| iso(&e[4])).collect();
            assert_eq!(closes.last(), Some(&mdy(&d[close])), "{deal_id}: the last close is the deal's");
            assert!(closes.windows(2).all(|w| w[0] <= w[1]), "{deal_id}: close dates only move later");
        }
        for e in entries.iter() {
            let s = STAGES.iter().position(|&s| s == e[1]).unwrap();
            assert_eq!(e[3], STAGE_PROB_DL[s]);
            assert!(e[2].ends_with(".0"));
        }
        let order: Vec<usize> = entries.iter().map(|e| STAGES.iter().position(|&s| s == e[1]).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "stages move forward");
    }
    // Every deal has history.
    for r in &deals.rows {
        assert!(per_deal.contains_key(r[id].as_str()));
    }
}

#[test]
fn won_new_business_accounts_are_customers() {
    let files = default_files();
    let deals = table(&files, "deals");
    let customers = subscription_accounts(&files);
    let (stage, kind, account) = (deals.col("Stage"), deals.col("Type"), deals.col("Account Name"));
    let mut won_nb = 0;
    for r in &deals.rows {
        if r[stage] == "Closed Won" && r[kind] == "New Business" {
            won_nb += 1;
            assert!(customers.contains(&r[account]), "{} has no subscription", r[account]);
        }
    }
    assert!(won_nb > 50);
}

#[test]
fn subscriptions_are_sane() {
    let files = default_files();
    let subs = table(&files, "revenue_lines");
    assert_eq!(
        subs.header,
        [
            "Customer ID",
            "Customer Name",
            "Subscription ID",
            "Plan",
            "Status",
            "Start Date",
            "End Date",
            "MRR",
            "Currency"
        ]
    );
    let mut per_customer: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
    let mut names: HashMap<&str, &str> = HashMap::new();
    for r in &subs.rows {
        let mrr: f64 = r[7].parse().unwrap();
        assert!(mrr > 0.0, "MRR must be positive: {r:?}");
        assert_eq!(r[7].split('.').nth(1).map(str::len), Some(2));
        assert_eq!(r[8], "USD");
        match r[4].as_str() {
            "Active" => assert!(r[6].is_empty()),
            "Cancelled" => assert!(iso(&r[6]) > iso(&r[5]) && iso(&r[6]) <= (2026, 6, 30)),
            other => panic!("status {other}"),
        }
        assert!(iso(&r[5]) <= (2026, 6, 30));
        assert_eq!(*names.entry(&r[0]).or_insert(&r[1]), r[1].as_str());
        per_customer.entry(&r[0]).or_default().push(r);
    }
    // Churn, contraction and reactivation are all present.
    let mut churned = 0;
    let mut contracted = 0;
    let mut reactivated = 0;
    for rows in per_customer.values() {
        let cancelled: Vec<_> = rows.iter().filter(|r| r[4] == "Cancelled").collect();
        if !cancelled.is_empty() && cancelled.len() == rows.len() {
            churned += 1;
        }
        if !cancelled.is_empty() && cancelled.len() < rows.len() {
            let last_end = cancelled.iter().map(|r| iso(&r[6])).max().unwrap();
            if rows.iter().any(|r| r[4] == "Active" && iso(&r[5]) > last_end) {
                reactivated += 1;
            } else {
                contracted += 1;
            }
        }
    }
    assert!(churned >= 5, "churned {churned}");
    assert!(contracted >= 1, "contracted {contracted}");
    assert!(reactivated >= 2, "reactivated {reactivated}");
}

#[test]
fn leads_progress_through_the_funnel() {
    let files = default_files();
    let deals = table(&files, "deals");
    let leads = table(&files, "leads");
    assert_eq!(leads.header.len(), 14);
    let (id, stage, created, kind) =
        (deals.col("Opportunity ID"), deals.col("Stage"), deals.col("Created Date"), deals.col("Type"));
    let by_id: HashMap<&str, &Vec<String>> = deals.rows.iter().map(|r| (r[id].as_str(), r)).collect();
    let mut seen_ids = HashSet::new();
    let mut counts = [0usize; 5];
    let mut deals_with_lead = HashSet::new();
    for l in &leads.rows {
        assert!(seen_ids.insert(l[0].clone()), "duplicate record id");
        assert!(HS_SOURCES.contains(&l[6].as_str()));
        let stage_idx = LIFECYCLE.iter().position(|&s| s == l[7]).expect("lifecycle");
        counts[stage_idx] += 1;
        // create <= lead <= mql <= sql <= opp <= customer, present up to the stage.
        let dates: Vec<&str> = (8..13).map(|c| l[c].as_str()).collect();
        assert!(l[5] <= l[8] || l[8].is_empty());
        for (k, d) in dates.iter().enumerate() {
            assert_eq!(!d.is_empty(), k <= stage_idx, "stage dates of {l:?}");
            if !d.is_empty() {
                assert_eq!(d.len(), 16);
                assert!(*d <= "2026-06-30 23:59");
            }
        }
        let present: Vec<&&str> = dates.iter().filter(|d| !d.is_empty()).collect();
        assert!(present.windows(2).all(|w| w[0] <= w[1]), "monotone {l:?}");
        if stage_idx >= 3 {
            let d = by_id.get(l[13].as_str()).expect("associated deal exists");
            assert_eq!(d[kind], "New Business");
            assert_eq!(iso(&l[11]), mdy(&d[created]));
            assert!(deals_with_lead.insert(l[13].clone()), "one contact per deal");
            if stage_idx == 4 {
                assert_eq!(d[stage], "Closed Won");
            } else {
                assert_ne!(d[stage], "Closed Won");
            }
        } else {
            assert!(l[13].is_empty());
        }
    }
    // Realistic drop-off.
    let reached = |k: usize| counts[k..].iter().sum::<usize>() as f64;
    let mql = reached(1) / reached(0);
    let sql = reached(2) / reached(1);
    let opp = reached(3) / reached(2);
    assert!((0.2..0.45).contains(&mql), "lead->MQL {mql}");
    assert!((0.25..0.6).contains(&sql), "MQL->SQL {sql}");
    assert!((0.45..0.8).contains(&opp), "SQL->opp {opp}");
    assert!(counts[4] > 30);
}

#[test]
fn spend_quotas_and_other_income() {
    let files = default_files();
    let spend = table(&files, "spend");
    assert_eq!(spend.header, ["Month", "Department", "Category", "Amount"]);
    let months: HashSet<&str> = spend.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(months.len(), 30);
    assert!(months.contains("2024-01") && months.contains("2026-06"));
    for r in &spend.rows {
        assert!(r[1] == "Marketing" || r[1] == "Sales");
        assert!(r[3].parse::<f64>().unwrap() >= 0.0);
    }
    let quotas = table(&files, "quotas");
    assert_eq!(quotas.header, ["Owner", "Period", "Quota"]);
    assert_eq!(quotas.rows.len(), 8 * 11);
    for o in &OWNERS {
        let periods: Vec<&str> = quotas.rows.iter().filter(|r| r[0] == o.name).map(|r| r[1].as_str()).collect();
        assert_eq!(periods.len(), 11);
        assert_eq!(periods[0], "2024-Q1");
        assert_eq!(periods[10], "2026-Q3");
    }
    let other = table(&files, "other_income");
    assert_eq!(other.header, ["Date", "Category", "Amount", "Memo"]);
    let mut cats = HashSet::new();
    for r in &other.rows {
        assert!(["Interest", "Investment", "Royalty", "Other"].contains(&r[1].as_str()));
        cats.insert(r[1].clone());
        assert!(iso(&r[0]) <= (2026, 6, 30));
    }
    assert_eq!(cats.len(), 4);
    assert_eq!(iso(&other.rows.last().unwrap()[0]), (2026, 6, 30));
}

#[test]
fn as_of_date_is_the_latest_event() {
    let files = default_files();
    let asof = (2026, 6, 30);
    let deals = table(&files, "deals");
    let created = deals.col("Created Date");
    assert!(deals.rows.iter().all(|r| mdy(&r[created]) <= asof));
    let hist = table(&files, "stage_history");
    assert!(hist.rows.iter().all(|r| iso(&r[5]) <= asof));
    let subs = table(&files, "revenue_lines");
    assert!(subs.rows.iter().all(|r| iso(&r[5]) <= asof));
}

#[test]
fn quality_problems_are_exactly_as_documented() {
    let opts = SampleOptions::default();
    let world = World::build(&opts);
    let p = &world.problems;
    for (what, ix) in [
        ("duplicate", p.duplicate),
        ("zero", p.zero_amount),
        ("backdated", p.backdated),
        ("owner case", p.owner_case),
        ("owner space", p.owner_space),
        ("no close", p.no_close),
        ("n/a", p.amount_na),
        ("prob", p.prob_lost_100),
        ("orphan", p.orphan),
    ] {
        assert!(ix.is_some(), "{what} not injected");
    }
    let files = world.files();
    let deals = table(&files, "deals");
    let c = |n: &str| deals.col(n);
    let (id, owner, stage, amount, prob, created, close, kind, account) = (
        c("Opportunity ID"),
        c("Opportunity Owner"),
        c("Stage"),
        c("Amount"),
        c("Probability (%)"),
        c("Created Date"),
        c("Close Date"),
        c("Type"),
        c("Account Name"),
    );
    let rows = &deals.rows;

    // 1. Exactly one exact duplicate row, adjacent to its original.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut dups = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(&j) = seen.get(r[id].as_str()) {
            dups.push((j, i));
        } else {
            seen.insert(&r[id], i);
        }
    }
    assert_eq!(dups.len(), 1);
    let (a, b) = dups[0];
    assert_eq!(b, a + 1);
    assert_eq!(rows[a], rows[b]);
    assert_eq!(rows[a][stage], "Closed Won");
    assert_eq!(rows[a][kind], "New Business");
    // Same name + account + amount + close date happens only there.
    let keys: HashSet<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[1].as_str(), r[account].as_str(), r[amount].as_str(), r[close].as_str())).collect();
    assert_eq!(keys.len(), rows.len() - 1);

    // 2. One won deal with amount 0.00; every other amount is a number >= 1500.
    let zero: Vec<_> = rows.iter().filter(|r| r[amount] == "0.00").collect();
    assert_eq!(zero.len(), 1);
    assert_eq!(zero[0][stage], "Closed Won");
    assert!(subscription_accounts(&files).contains(&zero[0][account]));

    // 6. One amount "n/a" on an open deal.
    let na: Vec<_> = rows.iter().filter(|r| r[amount] == "n/a").collect();
    assert_eq!(na.len(), 1);
    assert!(!na[0][stage].starts_with("Closed"));
    for r in rows {
        if r[amount] != "n/a" && r[amount] != "0.00" {
            let v: f64 = r[amount].parse().expect("numeric amount");
            assert!(v >= 1500.0);
            assert!(r[amount].ends_with(".00"));
        }
    }

    // 3. One close date before created date, on a Closed Lost deal.
    let back: Vec<_> = rows.iter().filter(|r| !r[close].is_empty() && mdy(&r[close]) < mdy(&r[created])).collect();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0][stage], "Closed Lost");

    // 4. Owner variants: one "jon smith", one "Jon  Smith"; all others canonical.
    let canonical: HashSet<&str> = OWNERS.iter().map(|o| o.name).collect();
    let odd: Vec<&str> = rows.iter().map(|r| r[owner].as_str()).filter(|o| !canonical.contains(o)).collect();
    let mut odd_sorted = odd.clone();
    odd_sorted.sort_unstable();
    assert_eq!(odd_sorted, ["Jon  Smith", "jon smith"]);

    // 5. One open deal without close date.
    let empty: Vec<_> = rows.iter().filter(|r| r[close].is_empty()).collect();
    assert_eq!(empty.len(), 1);
    assert!(["Qualification", "Needs Analysis"].contains(&empty[0][stage].as_str()));

    // 7. Probability inconsistent with status exactly once: Closed Lost at 100.
    let mut bad = Vec::new();
    for r in rows {
        let s = STAGES.iter().position(|&s| s == r[stage]).unwrap();
        if r[prob] != STAGE_PROB[s].to_string() {
            bad.push(r);
        }
    }
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0][stage], "Closed Lost");
    assert_eq!(bad[0][prob], "100");

    // 8. Exactly one won deal whose account has no subscription: an expansion.
    let customers = subscription_accounts(&files);
    let orphans: Vec<_> =
        rows.iter().filter(|r| r[stage] == "Closed Won" && !customers.contains(&r[account])).collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0][kind], "Existing Business");
    assert_eq!(rows.iter().filter(|r| r[account] == orphans[0][account]).count(), 1);

    // Past-due open deals exist (a pipeline fact, not an injected error).
    let past_due = rows
        .iter()
        .filter(|r| !r[stage].starts_with("Closed") && !r[close].is_empty() && mdy(&r[close]) < (2026, 6, 30))
        .count();
    assert!(past_due >= 3, "past due {past_due}");
}

#[test]
fn history_pushes_close_dates_and_snapshots_show_the_pipeline_earlier() {
    let files = default_files();
    let hist = table(&files, "stage_history");
    // Some deals' close dates were pushed (a history with dates that never move shows no slip).
    let mut by_deal: HashMap<&str, Vec<&str>> = HashMap::new();
    for h in &hist.rows {
        by_deal.entry(h[0].as_str()).or_default().push(h[4].as_str());
    }
    let pushed = by_deal.values().filter(|c| c.windows(2).any(|w| w[0] != w[1])).count();
    assert!(pushed * 5 > by_deal.len() && pushed * 2 < by_deal.len() * 3, "{pushed} of {} deals pushed", by_deal.len());
    // Each weekly snapshot: the report's header, ids of the latest export, fewer or as many deals
    // as the next one, and some deals in another stage than at the as-of date.
    let latest = table(&files, "deals");
    let id = latest.col("Opportunity ID");
    let stage = latest.col("Stage");
    let now: HashMap<&str, &str> = latest.rows.iter().map(|r| (r[id].as_str(), r[stage].as_str())).collect();
    let snapshots: Vec<&SampleFile> = files.iter().filter(|f| f.kind == "snapshot").collect();
    assert_eq!(snapshots.len(), 3);
    let mut sizes = Vec::new();
    for f in &snapshots {
        assert!(f.name.starts_with("salesforce_opportunities-2026-06-"), "{}", f.name);
        let mut rows = parse_csv(&f.bytes);
        let header = rows.remove(0);
        assert_eq!(header, latest.header);
        let rows: Vec<_> = rows.into_iter().filter(|r| r.len() == header.len()).collect();
        assert!(rows.iter().all(|r| now.contains_key(r[id].as_str())), "{}: an id not in the latest export", f.name);
        let moved = rows.iter().filter(|r| now[r[id].as_str()] != r[stage]).count();
        assert!(moved > 0, "{}: no deal in another stage", f.name);
        sizes.push(rows.len());
    }
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]) && sizes[2] <= latest.rows.len(), "{sizes:?}");
}
