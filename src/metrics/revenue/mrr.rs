//! MRR from revenue lines (or, without them, estimated from recurring-type won deals): the
//! per-customer month-end snapshot table, its movements, retention and cohorts, and the MRR
//! metrics of the lens (the rules are in the parent module's doc).

use super::*;

/// A line reduced to what MRR needs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    pub(super) customer: u32,
    pub(super) start: Day,
    pub(super) end: Day,
    pub(super) mrr: f64,
}

/// Per-customer MRR at each month's snapshot, from `first` to the as-of month.
#[derive(Clone, Debug)]
pub struct MrrTable {
    /// Month index of column 0.
    pub first: i32,
    pub months: usize,
    /// Customers with a line read (whether or not its months count), numbered 0… in the order
    /// first met.
    pub customers: usize,
    /// `values[k][c]`: MRR of customer c in month first + k, floored at 0. Month by month, as
    /// every measure reads it (a month's MRR, payers, churn, bridge, retention): a month is one
    /// contiguous run, where customer by customer it was one read per cache line, per month,
    /// over a table larger than the caches at a million deals. A month to an allocation: the
    /// holes a wasm heap keeps from reading the file take months of a few MiB, where the whole
    /// table (32 MiB at a million deals) grew the heap by its size.
    values: Vec<Vec<f64>>,
    /// Lines counted / left out (churned rows, non-recurring, after the as-of date, empty).
    pub lines_used: usize,
    pub lines_excluded: usize,
}

/// A customer pays in a month when its MRR exceeds this (guards float dust of credits).
pub(super) const PAYING: f64 = 1e-9;

/// A line's active months, `[m0, m1]` inclusive (see the module doc): `Ok(None)` when the line
/// is left out, `Err(())` when its end date has no month.
fn active_months(l: &Line, as_of: Day, as_of_month: i32) -> Result<Option<(i32, i32)>, ()> {
    let (Some(m0), true) = (month_of(l.start), l.mrr.is_finite()) else {
        return Ok(None);
    };
    if l.start > as_of || (l.end != NO_DAY && l.end <= l.start) {
        return Ok(None);
    }
    let m1 = if l.end == NO_DAY {
        as_of_month
    } else {
        let me = month_of(l.end).ok_or(())?;
        if me == as_of_month && l.end > as_of {
            as_of_month
        } else {
            (me - 1).min(as_of_month)
        }
    };
    Ok((m1 >= m0).then_some((m0, m1)))
}

impl MrrTable {
    /// The table of `customers` customers from their lines, which `lines` makes (twice: they are
    /// not kept, nor their active months; at a million deals the lines alone took 13 MiB): one
    /// pass for the first month and the lines left out, one to add each line to its months.
    pub(super) fn build<L: Iterator<Item = Line>>(
        lines: impl Fn() -> L,
        customers: usize,
        excluded_before: usize,
        as_of: Day,
    ) -> Option<MrrTable> {
        let as_of_month = month_of(as_of)?;
        let mut excluded = excluded_before;
        let mut first = i32::MAX;
        let mut used = 0;
        let mut line_months = 0usize;
        for l in lines() {
            match active_months(&l, as_of, as_of_month).ok()? {
                Some((m0, m1)) => {
                    first = first.min(m0);
                    used += 1;
                    line_months += (m1 - m0 + 1) as usize;
                }
                None => excluded += 1,
            }
        }
        if used == 0 {
            return None;
        }
        let months = (as_of_month - first + 1) as usize;
        let mut values = vec![vec![0.0; customers]; months];
        // Each line's active months (the months of the export, not the number of rows).
        crate::work::add(customers * months + line_months);
        for l in lines() {
            if let Ok(Some((m0, m1))) = active_months(&l, as_of, as_of_month) {
                for m in m0..=m1 {
                    values[(m - first) as usize][l.customer as usize] += l.mrr;
                }
            }
        }
        for v in values.iter_mut().flatten() {
            *v = v.max(0.0);
        }
        Some(MrrTable { first, months, customers, values, lines_used: used, lines_excluded: excluded })
    }

    /// MRR of customer `c` at month offset `k` (0 outside the table).
    pub fn get(&self, c: usize, k: i64) -> f64 {
        if k < 0 || k >= self.months as i64 {
            0.0
        } else {
            self.values[k as usize][c]
        }
    }

    /// Each customer's first paying month (offset), if any: one pass, month by month.
    pub fn first_paying(&self) -> Vec<Option<usize>> {
        let n = self.customers;
        let mut first = vec![None; n];
        crate::work::add(n * self.months);
        for (k, month) in self.values.iter().enumerate() {
            for (f, &v) in first.iter_mut().zip(month) {
                if f.is_none() && v > PAYING {
                    *f = Some(k);
                }
            }
        }
        first
    }

    pub fn mrr(&self, k: usize) -> f64 {
        crate::work::add(self.customers);
        (0..self.customers).map(|c| self.get(c, k as i64)).sum()
    }

    pub fn paying(&self, k: usize) -> usize {
        crate::work::add(self.customers);
        (0..self.customers).filter(|&c| self.get(c, k as i64) > PAYING).count()
    }

    /// The monthly bridge.
    pub fn movements(&self) -> Vec<MrrMovement> {
        let n = self.customers;
        let mut ever = vec![false; n];
        let mut out = Vec::with_capacity(self.months);
        crate::work::add(self.months * n);
        for k in 0..self.months {
            let mut mv = MrrMovement {
                month: month_label(self.first + k as i32),
                start_mrr: 0.0,
                new: 0.0,
                expansion: 0.0,
                contraction: 0.0,
                churned: 0.0,
                reactivated: 0.0,
                end_mrr: 0.0,
                customers: 0,
                new_customers: 0,
                churned_customers: 0,
                reactivated_customers: 0,
            };
            for (c, seen) in ever.iter_mut().enumerate() {
                let prev = self.get(c, k as i64 - 1);
                let cur = self.get(c, k as i64);
                let (was, is) = (prev > PAYING, cur > PAYING);
                mv.start_mrr += prev;
                mv.end_mrr += cur;
                match (was, is) {
                    (false, true) if *seen => {
                        mv.reactivated += cur;
                        mv.reactivated_customers += 1;
                    }
                    (false, true) => {
                        mv.new += cur;
                        mv.new_customers += 1;
                    }
                    (true, false) => {
                        mv.churned += prev;
                        mv.churned_customers += 1;
                    }
                    (true, true) if cur > prev => mv.expansion += cur - prev,
                    (true, true) => mv.contraction += prev - cur,
                    // Dust below the paying threshold: carried in start/end, not a movement.
                    (false, false) => {}
                }
                if is {
                    *seen = true;
                    mv.customers += 1;
                }
            }
            out.push(mv);
        }
        out
    }

    /// (NRR, GRR) at month offset `k` against `k − back`; None when that month is before the
    /// data or nobody paid then.
    pub fn retention(&self, k: usize, back: usize) -> Option<(f64, f64)> {
        if k < back {
            return None;
        }
        let (mut then, mut now, mut capped) = (0.0, 0.0, 0.0);
        crate::work::add(self.customers);
        for c in 0..self.customers {
            let t = self.get(c, (k - back) as i64);
            if t > PAYING {
                let n = self.get(c, k as i64);
                then += t;
                now += n;
                capped += n.min(t);
            }
        }
        Some((ratio(now, then)?, ratio(capped, then)?))
    }

    /// (customers lost in month k, customers paying at the start of month k).
    pub fn logo_churn(&self, k: usize) -> (usize, usize) {
        let (mut lost, mut base) = (0, 0);
        if k == 0 {
            return (0, 0);
        }
        crate::work::add(self.customers);
        for c in 0..self.customers {
            if self.get(c, k as i64 - 1) > PAYING {
                base += 1;
                if self.get(c, k as i64) <= PAYING {
                    lost += 1;
                }
            }
        }
        (lost, base)
    }

    pub(super) fn cohorts(&self) -> CohortMatrix {
        // Each customer's first month, then each cohort's ages, month by month (the table's
        // order): customers × months. A cohort's age sums take its customers in code order.
        let first = self.first_paying();
        crate::work::add(self.customers * self.months);
        let mut size = vec![0usize; self.months];
        first.iter().flatten().for_each(|&k0| size[k0] += 1);
        // Only months that start a cohort get rows: at most the table's size in all.
        let ages = |k0: usize| if size[k0] > 0 { self.months - k0 } else { 0 };
        let mut retained_customers: Vec<Vec<usize>> = (0..self.months).map(|k0| vec![0; ages(k0)]).collect();
        let mut retained_mrr: Vec<Vec<f64>> = (0..self.months).map(|k0| vec![0.0; ages(k0)]).collect();
        for (k, month) in self.values.iter().enumerate() {
            for (&f, &v) in first.iter().zip(month) {
                if let Some(k0) = f.filter(|&k0| k0 <= k && v > PAYING) {
                    retained_customers[k0][k - k0] += 1;
                    retained_mrr[k0][k - k0] += v;
                }
            }
        }
        let rows = retained_customers
            .into_iter()
            .zip(retained_mrr)
            .enumerate()
            .filter(|(k0, _)| size[*k0] > 0)
            .map(|(k0, (retained_customers, retained_mrr))| CohortRow {
                cohort: month_label(self.first + k0 as i32),
                customers: size[k0],
                start_mrr: retained_mrr[0],
                retained_customers,
                retained_mrr,
            })
            .collect();
        CohortMatrix { rows }
    }
}

/// MRR table from revenue lines (or, without them, from recurring-type won deals).
pub fn mrr_table(ds: &Dataset, as_of: Day) -> Option<(MrrTable, &'static str)> {
    let r = &ds.revenue_lines;
    if !r.is_empty() {
        let counted = |i: usize| !r.churned[i] && r.recurring[i];
        let (number, customers) = numbered(&r.customer.codes, r.customer.names().len(), counted);
        let skipped = (0..r.len()).filter(|&i| !counted(i)).count();
        crate::work::add(2 * r.len());
        let lines = || {
            (0..r.len()).filter(|&i| counted(i)).map(|i| Line {
                customer: number[r.customer.codes.get(i) as usize],
                start: r.start[i],
                end: r.end[i],
                mrr: r.mrr[i],
            })
        };
        return MrrTable::build(lines, customers, skipped, as_of).map(|t| (t, "revenue_lines"));
    }
    let d = &ds.deals;
    let counted = deals_standing_in(d)?;
    let (number, customers) = numbered(&d.account.codes, d.account.names().len(), &counted);
    crate::work::add(2 * d.len());
    let lines = || {
        (0..d.len()).filter(|&i| counted(i)).map(|i| {
            let start = d.close[i];
            let end = date_from_day(start)
                .and_then(|s| {
                    s.with_year(s.year() + 1).or_else(|| s.succ_opt().and_then(|s| s.with_year(s.year() + 1)))
                })
                .map(crate::model::day_from_date)
                .unwrap_or(start + 365);
            Line { customer: number[d.account.codes.get(i) as usize], start, end, mrr: d.amount[i] / DEAL_MONTHS }
        })
    };
    MrrTable::build(lines, customers, 0, as_of).map(|t| (t, "recurring_deals"))
}

/// Deal types that make deals stand in for billing (a type containing one of them,
/// case-insensitive); `crate::sql` writes the same rule from these lists.
pub const RECURRING_TYPE_WORDS: &[&str] = &["renewal", "recurring", "subscription"];
/// Deal types left out of the estimate (one-off work), by the same rule.
pub const ONE_OFF_TYPE_WORDS: &[&str] =
    &["one", "non-recurring", "nonrecurring", "service", "professional", "consult", "setup"];
/// A standing-in deal's amount is spread over this many months: amount ÷ 12 a month from its
/// close date to the same day a year later (29 February: 1 March).
pub const DEAL_MONTHS: f64 = 12.0;

/// Without revenue lines, which deals stand in for them: none when no deal has a recurring
/// type; else won deals with a close date, an amount and an account whose type is not one-off.
pub(super) fn deals_standing_in(d: &crate::model::Deals) -> Option<impl Fn(usize) -> bool + '_> {
    // Deal types are judged once per distinct type, not once per deal.
    let types = d.deal_type.names();
    let recurring: Vec<bool> = types.iter().map(is_recurring_deal_type).collect();
    crate::work::add(d.len());
    if !d.deal_type.codes.iter().any(|c| recurring[c as usize]) {
        return None;
    }
    let one_off_type: Vec<bool> = types
        .iter()
        .map(|t| {
            let ty = t.to_lowercase();
            ONE_OFF_TYPE_WORDS.iter().any(|w| ty.contains(w))
        })
        .collect();
    Some(move |i: usize| {
        d.status[i] == Status::Won
            && !one_off_type[d.deal_type.codes.get(i) as usize]
            && d.close[i] != NO_DAY
            && !d.amount[i].is_nan()
            && d.account.codes.get(i) != 0
    })
}

/// How many deals stand in for revenue lines: `None` when there are revenue lines or no
/// deal has a recurring type (then the report has no MRR from deals).
pub fn deals_standing_in_count(ds: &Dataset) -> Option<usize> {
    if !ds.revenue_lines.is_empty() {
        return None;
    }
    let counted = deals_standing_in(&ds.deals)?;
    Some((0..ds.deals.len()).filter(|&i| counted(i)).count())
}

/// Customers numbered 0… in the order of the first row where `counted` holds: the number of
/// each code of `codes` (a dictionary of `names` names; `u32::MAX` for a code no counted row
/// has), and how many there are.
fn numbered(codes: &crate::model::Codes, names: usize, counted: impl Fn(usize) -> bool) -> (Vec<u32>, usize) {
    let mut number = vec![u32::MAX; names];
    let mut next = 0u32;
    crate::work::add(codes.len());
    for (i, code) in codes.iter().enumerate() {
        if counted(i) && number[code as usize] == u32::MAX {
            number[code as usize] = next;
            next += 1;
        }
    }
    (number, next as usize)
}

/// Whether a deal type says the deal is a subscription (so deals can stand in for billing).
pub(super) fn is_recurring_deal_type(t: &str) -> bool {
    let t = t.to_lowercase();
    RECURRING_TYPE_WORDS.iter().any(|w| t.contains(w))
}

/// `mrr` = Σ customer MRR at the as-of month's snapshot (module doc); `arr` = 12 × mrr;
/// `customers` = paying customers then; series per month of all three and of the movements
/// `mrr_new`, `mrr_expansion`, `mrr_contraction`, `mrr_churned`, `mrr_reactivated`.
///
/// `nrr` = Σ MRR now of the customers paying 12 months before ÷ Σ their MRR then;
/// `grr` = the same with each customer's MRR now capped at its MRR then (≤ 1). Whole value
/// at the as-of month, series for each month with 12 months of history before it.
///
/// `logo_churn_rate` of month M = customers paying in M−1 and not in M ÷ customers paying
/// in M−1 (whole value = the as-of month; series per month).
pub(super) fn mrr_metrics(cx: &mut Ctx, t: &MrrTable) -> Vec<MrrMovement> {
    let mv = t.movements();
    let last = t.months - 1;
    let (used, excluded) = (t.lines_used, t.lines_excluded);
    let now = &mv[last];
    cx.push(m("mrr", Unit::Currency, Some(now.end_mrr)).rows(used, excluded));
    cx.push(m("arr", Unit::Currency, Some(now.end_mrr * 12.0)).rows(used, excluded));
    cx.push(m("customers", Unit::Count, Some(now.customers as f64)));
    for row in &mv {
        let p = || row.month.clone();
        cx.push(m("mrr", Unit::Currency, Some(row.end_mrr)).period(p()));
        cx.push(m("arr", Unit::Currency, Some(row.end_mrr * 12.0)).period(p()));
        cx.push(m("customers", Unit::Count, Some(row.customers as f64)).period(p()));
        cx.push(m("mrr_new", Unit::Currency, Some(row.new)).period(p()));
        cx.push(m("mrr_expansion", Unit::Currency, Some(row.expansion)).period(p()));
        cx.push(m("mrr_contraction", Unit::Currency, Some(row.contraction)).period(p()));
        cx.push(m("mrr_churned", Unit::Currency, Some(row.churned)).period(p()));
        cx.push(m("mrr_reactivated", Unit::Currency, Some(row.reactivated)).period(p()));
    }
    // Whole-data movements: at the as-of month, like mrr.
    for (id, v) in [
        ("mrr_new", now.new),
        ("mrr_expansion", now.expansion),
        ("mrr_contraction", now.contraction),
        ("mrr_churned", now.churned),
        ("mrr_reactivated", now.reactivated),
    ] {
        cx.push(m(id, Unit::Currency, Some(v)));
    }

    let back = cx.opts.retention_months.max(1) as usize;
    match t.retention(last, back) {
        Some((nrr, grr)) => {
            cx.push(m("nrr", Unit::Ratio, Some(nrr)));
            cx.push(m("grr", Unit::Ratio, Some(grr)));
        }
        None => {
            cx.push(m("nrr", Unit::Ratio, None));
            cx.push(m("grr", Unit::Ratio, None));
            let (why, coded) = if last < back {
                (
                    format!("needs {back} months of revenue history before the as-of month; the data has {last}"),
                    Message::new("undefined_short_history").with("months", back).with("has", last),
                )
            } else {
                (
                    format!("no customer was paying {back} months before the as-of month"),
                    Message::new("undefined_no_customer_back").with("months", back),
                )
            };
            cx.undefined("nrr", why.clone(), coded.clone());
            cx.undefined("grr", why, coded);
        }
    }
    for (k, row) in mv.iter().enumerate().skip(back) {
        if let Some((nrr, grr)) = t.retention(k, back) {
            cx.push(m("nrr", Unit::Ratio, Some(nrr)).period(row.month.clone()));
            cx.push(m("grr", Unit::Ratio, Some(grr)).period(row.month.clone()));
        }
    }
    let (lost, base) = t.logo_churn(last);
    cx.push(m("logo_churn_rate", Unit::Ratio, ratio(lost as f64, base as f64)).rows(base, 0));
    if base == 0 {
        cx.undefined(
            "logo_churn_rate",
            "no customer was paying in the month before the as-of month",
            Message::new("undefined_no_customer_before"),
        );
    }
    for (k, row) in mv.iter().enumerate().skip(1) {
        let (lost, base) = t.logo_churn(k);
        cx.push(
            m("logo_churn_rate", Unit::Ratio, ratio(lost as f64, base as f64)).period(row.month.clone()).rows(base, 0),
        );
    }
    mv
}
