//! The seven exports the company's revenue team would download, written from the simulated
//! world: Salesforce opportunities and stage history, HubSpot contacts, billing
//! subscriptions, the spend and quota sheets and the finance ledger.

use super::*;

impl World {
    pub(super) fn region_of(&self, account: u32) -> usize {
        match self.accounts.get(account as usize) {
            Some(a) => OWNERS[a.owner as usize].region,
            None => (mix(0x2E61_0000, u64::from(account)) % 3) as usize,
        }
    }

    pub(super) fn push_account_name(&self, b: &mut Vec<u8>, account: u32) {
        push_account(b, account, self.region_of(account));
    }

    pub(super) fn files(&self) -> Vec<SampleFile> {
        let ids: Vec<[u8; 18]> = (0..self.deals.len()).map(|i| deal_id(self.seed, i)).collect();
        let file = |name: &str, kind: &'static str, mut bytes: Vec<u8>| {
            bytes.shrink_to_fit();
            SampleFile { name: name.to_string(), kind, bytes }
        };
        let mut files = vec![
            file("salesforce_opportunities.csv", "deals", self.deals_csv(&ids, None)),
            file("salesforce_opportunity_history.csv", "stage_history", self.history_csv()),
            file("hubspot_contacts.csv", "leads", self.leads_csv(&ids)),
            file("subscriptions.csv", "revenue_lines", self.subscriptions_csv()),
            file("marketing_sales_spend.csv", "spend", self.spend_csv()),
            file("quotas.csv", "quotas", self.quotas_csv()),
            file("other_income.csv", "other_income", self.other_income_csv()),
        ];
        // The weekly exports before the latest (`salesforce_opportunities.csv`, taken on the
        // as-of date), oldest first, dated in their names.
        for week in (1..=self.snapshots as i32).rev() {
            let day = ASOF_DAY - 7 * week;
            let (y, m, d) = civil(day);
            let name = format!("salesforce_opportunities-{y:04}-{m:02}-{d:02}.csv");
            files.push(file(&name, "snapshot", self.deals_csv(&ids, Some(day))));
        }
        files
    }

    /// The opportunities report, as exported at the as-of date or at the end of `day`.
    pub(super) fn deals_csv(&self, ids: &[[u8; 18]], day: Option<i32>) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.deals.len().min(PROBE_ROWS) * 240 + 1024);
        b.extend_from_slice(
            b"\"Opportunity ID\",\"Opportunity Name\",\"Account Name\",\"Opportunity Owner\",\
\"Stage\",\"Amount\",\"Probability (%)\",\"Created Date\",\"Close Date\",\"Forecast Category\",\
\"Lead Source\",\"Type\",\"Region\",\"Product\"\r\n",
        );
        let mut row = Vec::with_capacity(512);
        let mut tmp = Vec::with_capacity(128);
        for (i, d) in self.deals.iter().enumerate() {
            let then;
            let d = match day {
                None => d,
                Some(day) => match deal_at(d, day) {
                    Some(x) => {
                        then = x;
                        &then
                    }
                    None => continue,
                },
            };
            row.clear();
            push_quoted(&mut row, &ids[i]);
            row.push(b',');
            tmp.clear();
            self.push_account_name(&mut tmp, d.account);
            let account_len = tmp.len();
            tmp.extend_from_slice(b" - ");
            if d.flags & F_WINBACK != 0 {
                tmp.extend_from_slice(b"Win-back - ");
            }
            match d.kind {
                EB => {
                    tmp.extend_from_slice(b"Expansion - ");
                    tmp.extend_from_slice(PRODUCTS[d.product as usize].as_bytes());
                }
                REN => {
                    tmp.extend_from_slice(b"Renewal ");
                    push_uint(&mut tmp, civil(d.end).0 as u64);
                }
                _ => tmp.extend_from_slice(PRODUCTS[d.product as usize].as_bytes()),
            }
            push_quoted(&mut row, &tmp);
            row.push(b',');
            push_quoted(&mut row, &tmp[..account_len]);
            row.push(b',');
            let owner: &[u8] = if d.flags & F_OWNER_CASE != 0 {
                b"jon smith"
            } else if d.flags & F_OWNER_SPACE != 0 {
                b"Jon  Smith"
            } else {
                OWNERS[d.owner as usize].name.as_bytes()
            };
            push_quoted(&mut row, owner);
            row.push(b',');
            push_quoted(&mut row, STAGES[d.stage as usize].as_bytes());
            row.extend_from_slice(b",\"");
            if d.flags & F_NA != 0 {
                row.extend_from_slice(b"n/a");
            } else if d.flags & F_ZERO != 0 {
                row.extend_from_slice(b"0.00");
            } else {
                push_money(&mut row, u64::from(d.amount) * 100);
            }
            row.extend_from_slice(b"\",\"");
            push_uint(&mut row, u64::from(d.prob));
            row.extend_from_slice(b"\",\"");
            self.dates.mdy(&mut row, d.created_day());
            row.extend_from_slice(b"\",\"");
            if d.close != NO_DAY {
                self.dates.mdy(&mut row, d.close);
            }
            row.extend_from_slice(b"\",");
            push_quoted(&mut row, FORECAST[d.fc as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, SOURCES[d.source as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, TYPES[d.kind as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, REGIONS[OWNERS[d.owner as usize].region].as_bytes());
            row.push(b',');
            push_quoted(&mut row, PRODUCTS[d.product as usize].as_bytes());
            row.extend_from_slice(b"\r\n");
            b.extend_from_slice(&row);
            if d.flags & F_DUP != 0 {
                b.extend_from_slice(&row);
            }
            if i + 1 == PROBE_ROWS {
                reserve_rest(&mut b, PROBE_ROWS, self.deals.len() + 4);
            }
        }
        b.extend_from_slice(
            b"\r\n\"Confidential Information - Do Not Distribute\"\r\n\
\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n",
        );
        b
    }

    pub(super) fn history_csv(&self) -> Vec<u8> {
        // (minute, deal, amount, close day, stage), written in chronological order like a Data
        // Loader export of OpportunityHistory ordered by Id. Rows carry what they print, and
        // ids are recomputed, so the writing loop does not jump around the deal list.
        let mut rows: Vec<(u32, u32, u32, i32, u8)> = Vec::with_capacity(self.deals.len() * 4);
        for (i, d) in self.deals.iter().enumerate() {
            let p = deal_path(d, d.outcome());
            let closes = close_plan(d, &p);
            for (k, &close) in closes.iter().enumerate().take(p.len) {
                let amount = if k < p.est_until {
                    p.est_amount
                } else if d.flags & F_ZERO != 0 && p.stage[k] == WON {
                    0
                } else {
                    d.amount
                };
                rows.push((p.at[k], i as u32, amount, close, p.stage[k]));
            }
        }
        crate::sort::sort_by(&mut rows, Ord::cmp);
        let mut b = Vec::with_capacity(rows.len().min(PROBE_ROWS) * 110 + 128);
        b.extend_from_slice(
            b"\"OPPORTUNITYID\",\"STAGENAME\",\"AMOUNT\",\"PROBABILITY\",\"CLOSEDATE\",\"CREATEDDATE\"\n",
        );
        for (n, &(at, deal, amount, close, stage)) in rows.iter().enumerate() {
            if n == PROBE_ROWS {
                reserve_rest(&mut b, n, rows.len());
            }
            push_quoted(&mut b, &deal_id(self.seed, deal as usize));
            b.push(b',');
            push_quoted(&mut b, STAGES[stage as usize].as_bytes());
            b.extend_from_slice(b",\"");
            push_uint(&mut b, u64::from(amount));
            b.extend_from_slice(b".0\",\"");
            b.extend_from_slice(STAGE_PROB_DL[stage as usize].as_bytes());
            b.extend_from_slice(b"\",\"");
            if close != NO_DAY {
                self.dates.iso(&mut b, close);
            }
            b.extend_from_slice(b"\",\"");
            self.dates.iso_time(&mut b, at);
            b.extend_from_slice(b"\"\n");
        }
        b
    }

    /// The contact behind New Business deal `i`.
    pub(super) fn opp_lead(&self, i: usize) -> Lead {
        let d = &self.deals[i];
        let mut r = Rng(mix(d.seed, 0x1EAD));
        let opp = d.created;
        let sql = opp.saturating_sub(r.gap(1.5, 14.0));
        let mql = sql.saturating_sub(r.gap(5.0, 30.0) + 30);
        let lead = mql.saturating_sub(r.gap(6.0, 45.0));
        let create = if r.chance(0.12) { lead.saturating_sub(r.gap(20.0, 120.0)) } else { lead };
        let customer = if d.stage == WON {
            let p = deal_path(d, WON);
            p.at[p.len - 1]
        } else {
            NONE_T
        };
        let mut l = Lead {
            create,
            lead,
            mql,
            sql,
            opp,
            customer,
            source: hs_source_for(d.source, &mut r),
            first: 0,
            last: 0,
            style: 0,
            company: d.account,
            deal: i as u32,
        };
        person(&mut l, &mut r);
        l
    }

    pub(super) fn leads_csv(&self, ids: &[[u8; 18]]) -> Vec<u8> {
        // Contacts that created a deal, by creation time. Like the contacts of the other
        // stages, only those created in the reporting window are exported (the contacts of
        // deals created in late 2023 are not in the file).
        let mut opp: Vec<Lead> = self
            .deals
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == NB && d.flags & F_WINBACK == 0)
            .map(|(i, _)| self.opp_lead(i))
            .filter(|l| l.create >= HIST_START as u32 * 1440)
            .collect();
        // One lead per deal: the key is unique, so a stable sort gives the same order.
        crate::sort::sort_by_key(&mut opp, |l| (l.create, l.deal));
        let n_opp = opp.len();
        let total = LEADS_PER_DEAL * self.target_deals;
        let m = total.saturating_sub(n_opp);
        let n_sql = (n_opp as f64 * 0.6).round();
        let n_mql = ((n_opp as f64 + n_sql) * 1.4).round();
        let (p_sql, p_mql) = if m == 0 {
            (0.0, 0.0)
        } else {
            let scale = ((n_sql + n_mql) / m as f64).max(0.9) / 0.9;
            (n_sql / m as f64 / scale, n_mql / m as f64 / scale)
        };
        let n_companies = (self.accounts.len() as u64 * 2).max(50);
        let cdf = Cdf::new(HIST_START);
        let cdf_total = cdf.total();
        let lead_seed = mix(self.seed, 0x1EAD_0000);

        let mut b = Vec::with_capacity((n_opp + m).min(PROBE_ROWS) * 180 + 512);
        let mut written = 0;
        b.extend_from_slice(
            b"Record ID,First Name,Last Name,Email,Company Name,Create Date,Original Source,\
Lifecycle Stage,Became a Lead Date,Became a Marketing Qualified Lead Date,\
Became a Sales Qualified Lead Date,Became an Opportunity Date,Became a Customer Date,\
Associated Deal\n",
        );
        let mut id_rng = Rng(mix(self.seed, 0x1D5));
        let mut record_id: u64 = 1000;
        let mut tmp = Vec::with_capacity(128);
        let mut next_plain = 0usize;
        let mut plain: Option<Lead> = None;
        let mut next_opp = 0usize;
        loop {
            if plain.is_none() && next_plain < m {
                let mut r = Rng(mix(lead_seed, next_plain as u64));
                let x = (next_plain as f64 + r.unit()) / m as f64 * cdf_total;
                let (day, frac) = cdf.locate(x);
                let create = day as u32 * 1440 + 360 + (frac * 900.0) as u32;
                let source = r.weighted(&HS_LEAD_W) as u8;
                let q = HS_QUALITY[source as usize];
                let u = r.unit();
                let target = if u < p_sql * q {
                    2
                } else if u < (p_sql + p_mql) * q {
                    1
                } else {
                    0
                };
                let mut l = Lead {
                    create,
                    lead: create,
                    mql: NONE_T,
                    sql: NONE_T,
                    opp: NONE_T,
                    customer: NONE_T,
                    source,
                    first: 0,
                    last: 0,
                    style: 0,
                    company: r.below(n_companies) as u32,
                    deal: NIL,
                };
                if target >= 1 {
                    let t = create + r.gap(3.0, 30.0);
                    if t <= ASOF_END {
                        l.mql = t;
                        if target >= 2 {
                            let t = t + r.gap(6.0, 40.0) + 30;
                            if t <= ASOF_END {
                                l.sql = t;
                            }
                        }
                    }
                }
                person(&mut l, &mut r);
                plain = Some(l);
                next_plain += 1;
            }
            let take_opp = match (&plain, opp.get(next_opp)) {
                (None, None) => break,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(p), Some(o)) => o.create < p.create,
            };
            record_id += 1 + id_rng.below(3);
            if take_opp {
                self.push_lead(&mut b, &mut tmp, &opp[next_opp], record_id, ids);
                next_opp += 1;
            } else if let Some(l) = plain.take() {
                self.push_lead(&mut b, &mut tmp, &l, record_id, ids);
            }
            written += 1;
            if written == PROBE_ROWS {
                reserve_rest(&mut b, written, n_opp + m);
            }
        }
        b
    }

    pub(super) fn push_lead(&self, b: &mut Vec<u8>, tmp: &mut Vec<u8>, l: &Lead, id: u64, ids: &[[u8; 18]]) {
        let first = FIRST_NAMES[l.first as usize];
        let last = LAST_NAMES[l.last as usize];
        push_uint(b, id);
        b.push(b',');
        b.extend_from_slice(first.as_bytes());
        b.push(b',');
        b.extend_from_slice(last.as_bytes());
        b.push(b',');
        let (first_low, last_low) = (&self.lower.first[l.first as usize], &self.lower.last[l.last as usize]);
        match l.style {
            0 => {
                b.extend_from_slice(first_low);
                b.push(b'.');
                b.extend_from_slice(last_low);
            }
            1 => {
                b.push(first_low[0]);
                b.extend_from_slice(last_low);
            }
            _ => {
                b.extend_from_slice(first_low);
                b.push(b'.');
                b.push(last_low[0]);
            }
        }
        b.push(b'@');
        self.lower.domain(b, l.company);
        b.push(b',');
        tmp.clear();
        self.push_account_name(tmp, l.company);
        push_field(b, tmp);
        b.push(b',');
        self.dates.hs_time(b, l.create);
        b.push(b',');
        b.extend_from_slice(HS_SOURCES[l.source as usize].as_bytes());
        b.push(b',');
        let stage = if l.customer != NONE_T {
            4
        } else if l.opp != NONE_T {
            3
        } else if l.sql != NONE_T {
            2
        } else if l.mql != NONE_T {
            1
        } else {
            0
        };
        b.extend_from_slice(LIFECYCLE[stage].as_bytes());
        for t in [l.lead, l.mql, l.sql, l.opp, l.customer] {
            b.push(b',');
            if t != NONE_T {
                self.dates.hs_time(b, t);
            }
        }
        b.push(b',');
        if l.deal != NIL {
            b.extend_from_slice(&ids[l.deal as usize]);
        }
        b.push(b'\n');
    }

    pub(super) fn subscriptions_csv(&self) -> Vec<u8> {
        let mut order: Vec<u32> = (0..self.subs.len() as u32).collect();
        crate::sort::sort_by_key(&mut order, |&s| (self.subs[s as usize].start, s));
        let mut cust_id = vec![NIL; self.customers.len()];
        let mut next_cust = 0u32;
        let width = if self.customers.len() < 99_999 { 5 } else { 7 };
        let mut b = Vec::with_capacity(self.subs.len() * 96 + 128);
        b.extend_from_slice(
            b"Customer ID,Customer Name,Subscription ID,Plan,Status,Start Date,End Date,MRR,Currency\n",
        );
        let mut tmp = Vec::with_capacity(128);
        for (n, &s) in order.iter().enumerate() {
            let sub = &self.subs[s as usize];
            let c = sub.customer as usize;
            if cust_id[c] == NIL {
                next_cust += 1;
                cust_id[c] = next_cust;
            }
            b.extend_from_slice(b"CUS-");
            push_padded(&mut b, u64::from(cust_id[c]), width);
            b.push(b',');
            tmp.clear();
            self.push_account_name(&mut tmp, self.customers[c].account);
            push_field(&mut b, &tmp);
            b.extend_from_slice(b",SUB-");
            push_padded(&mut b, n as u64 + 1, width + 1);
            b.push(b',');
            b.extend_from_slice(PRODUCTS[sub.plan as usize].as_bytes());
            let cancelled = sub.end <= ASOF_DAY;
            b.extend_from_slice(if cancelled { b",Cancelled,".as_slice() } else { b",Active,".as_slice() });
            self.dates.iso(&mut b, sub.start);
            b.push(b',');
            if cancelled {
                self.dates.iso(&mut b, sub.end);
            }
            b.push(b',');
            push_money(&mut b, sub.mrr);
            b.extend_from_slice(b",USD\n");
        }
        b
    }

    /// Won amount (dollars) per month of close: (all types, New Business only).
    pub(super) fn monthly_bookings(&self) -> (Vec<f64>, Vec<f64>) {
        let mut all = vec![0.0; MONTHS];
        let mut nb = vec![0.0; MONTHS];
        for d in &self.deals {
            if d.stage == WON && d.flags & F_ZERO == 0 {
                let m = month_index(d.end).min(MONTHS - 1);
                all[m] += f64::from(d.amount);
                if d.kind == NB {
                    nb[m] += f64::from(d.amount);
                }
            }
        }
        (all, nb)
    }

    pub(super) fn spend_csv(&self) -> Vec<u8> {
        let (bookings, nb) = self.monthly_bookings();
        let total_nb: f64 = nb.iter().sum();
        let budget = (1.3 * total_nb).max(30_000.0 * MONTHS as f64);
        // Spend leads bookings by a month: weight of month m = creation weight of month m + 1.
        let cdf = Cdf::new(HIST_START);
        let mut month_w = vec![0.0; MONTHS];
        for (d, &w) in cdf.w.iter().enumerate() {
            let m = month_index(d as i32 + HIST_START).min(MONTHS - 1);
            month_w[m.saturating_sub(1)] += w;
        }
        month_w[MONTHS - 1] = month_w[MONTHS - 2];
        let w_total: f64 = month_w.iter().sum();
        const EVENTS: [f64; 12] = [0.3, 0.5, 2.2, 0.6, 0.8, 1.6, 0.3, 0.3, 1.2, 2.4, 1.0, 0.8];
        let marketing: [(&str, f64); 7] = [
            ("Paid Search", 0.26),
            ("Paid Social", 0.12),
            ("Events", 0.18),
            ("Content", 0.10),
            ("Webinars", 0.06),
            ("Salaries", 0.22),
            ("Tools", 0.06),
        ];
        let sales: [(&str, f64); 3] = [("Salaries", 0.78), ("Tools", 0.07), ("Travel", 0.15)];
        let mut r = Rng(mix(self.seed, 0x5BE4D));
        let mut b = Vec::with_capacity(MONTHS * 12 * 40 + 64);
        b.extend_from_slice(b"Month,Department,Category,Amount\n");
        let row = |b: &mut Vec<u8>, m: usize, dept: &str, cat: &str, dollars: f64| {
            push_padded(b, 2024 + (m / 12) as u64, 4);
            b.push(b'-');
            push_padded(b, (m % 12) as u64 + 1, 2);
            b.push(b',');
            b.extend_from_slice(dept.as_bytes());
            b.push(b',');
            b.extend_from_slice(cat.as_bytes());
            b.push(b',');
            push_money(b, (dollars * 100.0 + 0.5).floor().max(0.0) as u64);
            b.push(b'\n');
        };
        for m in 0..MONTHS {
            let month_budget = budget * month_w[m] / w_total;
            for &(cat, share) in &marketing {
                let noise = if cat == "Salaries" { 0.98 + 0.04 * r.unit() } else { 0.9 + 0.2 * r.unit() };
                let lump = if cat == "Events" { EVENTS[m % 12] } else { 1.0 };
                row(&mut b, m, "Marketing", cat, 0.45 * month_budget * share * lump * noise);
            }
            for &(cat, share) in &sales {
                let noise = if cat == "Salaries" { 0.98 + 0.04 * r.unit() } else { 0.85 + 0.3 * r.unit() };
                row(&mut b, m, "Sales", cat, 0.55 * month_budget * share * noise);
            }
            row(&mut b, m, "Sales", "Commissions", 0.08 * bookings[m]);
        }
        b
    }

    pub(super) fn quotas_csv(&self) -> Vec<u8> {
        const SEASONAL: [f64; 4] = [0.92, 0.98, 0.95, 1.15];
        const QUARTERS: usize = MONTHS / 3 + 1;
        let (bookings, _) = self.monthly_bookings();
        let hist = MONTHS / 3;
        let q: Vec<f64> = (0..hist).map(|i| bookings[3 * i..3 * i + 3].iter().sum::<f64>() / SEASONAL[i % 4]).collect();
        // Least-squares trend of deseasonalised team bookings.
        let n = hist as f64;
        let mx = (n - 1.0) / 2.0;
        let my = q.iter().sum::<f64>() / n;
        let sxy: f64 = q.iter().enumerate().map(|(i, y)| (i as f64 - mx) * (y - my)).sum();
        let sxx: f64 = (0..hist).map(|i| (i as f64 - mx) * (i as f64 - mx)).sum();
        let slope = sxy / sxx;
        let weights: f64 = OWNERS.iter().map(|o| o.quota).sum();
        let mut b = Vec::with_capacity(QUARTERS * OWNERS.len() * 32 + 32);
        b.extend_from_slice(b"Owner,Period,Quota\n");
        for o in &OWNERS {
            for i in 0..QUARTERS {
                let trend = (my + slope * (i as f64 - mx)).max(my * 0.3);
                let team = trend * SEASONAL[i % 4] * 1.1;
                let raw = team * o.quota / weights;
                let step = if raw >= 100_000.0 { 5_000.0 } else { 1_000.0 };
                let quota = ((raw / step + 0.5).floor() * step).max(5_000.0);
                b.extend_from_slice(o.name.as_bytes());
                b.push(b',');
                push_uint(&mut b, 2024 + (i / 4) as u64);
                b.extend_from_slice(b"-Q");
                push_uint(&mut b, (i % 4) as u64 + 1);
                b.push(b',');
                push_money(&mut b, quota as u64 * 100);
                b.push(b'\n');
            }
        }
        b
    }

    pub(super) fn other_income_csv(&self) -> Vec<u8> {
        let (bookings, _) = self.monthly_bookings();
        let scale = (bookings.iter().sum::<f64>() / MONTHS as f64).max(20_000.0);
        let mut r = Rng(mix(self.seed, 0x07E4));
        let mut rows: Vec<(i32, &str, f64, &str)> = Vec::new();
        for m in 0..MONTHS {
            let last = month_start(m + 1) - 1;
            let growth = 1.0 + 0.5 * m as f64 / MONTHS as f64;
            let interest = scale * 0.012 * growth * (0.9 + 0.2 * r.unit());
            rows.push((last, "Interest", interest, "Bank interest - operating account"));
            if m % 3 == 2 {
                let mmf = scale * 0.02 * growth * (0.9 + 0.2 * r.unit());
                rows.push((last, "Interest", mmf, "Money market fund, quarterly interest"));
                let royalty_day = month_start(m + 1) + 14;
                if royalty_day <= ASOF_DAY {
                    let royalty = scale * 0.04 * growth * (0.8 + 0.4 * r.unit());
                    rows.push((royalty_day, "Royalty", royalty, "OEM licensing royalty"));
                }
            }
        }
        let fixed: [(i32, &str, f64, &str); 7] = [
            (rel_day(2024, 9, 16), "Investment", 0.18, "Realized gain on sale of T-bills"),
            (rel_day(2025, 3, 20), "Investment", 0.35, "Gain on strategic investment (Series B mark-up)"),
            (rel_day(2025, 11, 12), "Investment", 0.12, "Realized gain, corporate bond fund"),
            (rel_day(2024, 5, 31), "Other", 0.03, "Sublease income - Austin office"),
            (rel_day(2024, 12, 20), "Other", 0.02, "Insurance reimbursement"),
            (rel_day(2025, 7, 31), "Other", 0.06, "R&D tax credit refund"),
            (rel_day(2026, 2, 27), "Other", 0.01, "Sale of surplus office equipment"),
        ];
        for (day, cat, f, memo) in fixed {
            rows.push((day, cat, scale * f * (0.9 + 0.2 * r.unit()), memo));
        }
        crate::sort::sort_by_key(&mut rows, |row| row.0);
        let mut b = Vec::with_capacity(rows.len() * 64 + 32);
        b.extend_from_slice(b"Date,Category,Amount,Memo\n");
        for (day, cat, dollars, memo) in rows {
            push_iso(&mut b, day);
            b.push(b',');
            b.extend_from_slice(cat.as_bytes());
            b.push(b',');
            push_money(&mut b, (dollars * 100.0 + 0.5).floor() as u64);
            b.push(b',');
            push_field(&mut b, memo.as_bytes());
            b.push(b'\n');
        }
        b
    }
}
