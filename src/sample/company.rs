//! The simulation: the records of the company (deals, accounts, customers, subscriptions,
//! leads, injected data problems), each deal's stage path, and [`World::build`], which lives
//! the 30 months day by day.

use super::*;

pub(super) const F_DUP: u16 = 1;
pub(super) const F_ZERO: u16 = 2;
pub(super) const F_NA: u16 = 4;
pub(super) const F_OWNER_CASE: u16 = 8;
pub(super) const F_OWNER_SPACE: u16 = 16;
pub(super) const F_BACKDATED: u16 = 32;
pub(super) const F_ORPHAN: u16 = 64;
pub(super) const F_WINBACK: u16 = 128;
pub(super) const F_NO_CLOSE: u16 = 256;
pub(super) const F_PROB: u16 = 512;
/// Flags that make a deal unusable as a candidate for another injected problem.
pub(super) const F_SPECIAL: u16 =
    F_DUP | F_ZERO | F_NA | F_OWNER_CASE | F_OWNER_SPACE | F_BACKDATED | F_ORPHAN | F_WINBACK | F_NO_CLOSE | F_PROB;

#[derive(Clone, Copy)]
pub(super) struct Deal {
    /// Seed of the deal's own random choices (history path, lead, forecast category).
    pub(super) seed: u64,
    /// Creation minute.
    pub(super) created: u32,
    /// Day the deal closed (closed deals) or is planned to close (open deals).
    pub(super) end: i32,
    /// The `Close Date` field (`NO_DAY` = empty).
    pub(super) close: i32,
    /// Whole dollars.
    pub(super) amount: u32,
    pub(super) account: u32,
    pub(super) flags: u16,
    pub(super) owner: u8,
    pub(super) stage: u8,
    pub(super) kind: u8,
    pub(super) source: u8,
    pub(super) product: u8,
    pub(super) fc: u8,
    pub(super) prob: u8,
}

impl Deal {
    pub(super) fn created_day(&self) -> i32 {
        (self.created / 1440) as i32
    }
    pub(super) fn is_open(&self) -> bool {
        self.stage < WON
    }
    pub(super) fn outcome(&self) -> u8 {
        if self.is_open() {
            OPEN
        } else {
            self.stage
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct Account {
    pub(super) owner: u8,
}

pub(super) struct Customer {
    pub(super) account: u32,
    pub(super) owner: u8,
    pub(super) plan: u8,
    pub(super) start: i32,
    /// Anniversary whose renewal is lost (`NEVER` = renews for ever).
    pub(super) churn: i32,
    pub(super) churn_k: i32,
    pub(super) churned: bool,
    pub(super) first_sub: u32,
    pub(super) last_sub: u32,
}

pub(super) struct Sub {
    pub(super) customer: u32,
    pub(super) plan: u8,
    pub(super) start: i32,
    pub(super) end: i32,
    /// Cents.
    pub(super) mrr: u64,
    pub(super) next: u32,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Event {
    pub(super) at: u32,
    pub(super) kind: u8,
    pub(super) a: u32,
    pub(super) b: u32,
}
pub(super) const EV_ACTIVATE: u8 = 0;
pub(super) const EV_PROSPECT: u8 = 1;
pub(super) const EV_RENEWAL: u8 = 2;

/// Indices (into the sorted deal list) of the injected problems.
#[derive(Default, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Problems {
    pub(super) duplicate: Option<usize>,
    pub(super) zero_amount: Option<usize>,
    pub(super) backdated: Option<usize>,
    pub(super) owner_case: Option<usize>,
    pub(super) owner_space: Option<usize>,
    pub(super) no_close: Option<usize>,
    pub(super) amount_na: Option<usize>,
    pub(super) prob_lost_100: Option<usize>,
    pub(super) orphan: Option<usize>,
}

/// Cumulative creation weights per day from day `from` to the as-of date, for stratified
/// sampling of creation times.
pub(super) struct Cdf {
    pub(super) from: i32,
    pub(super) w: Vec<f64>,
    pub(super) cum: Vec<f64>,
}

impl Cdf {
    pub(super) fn new(from: i32) -> Cdf {
        let mut w = Vec::with_capacity(DAYS);
        let mut cum = Vec::with_capacity(DAYS);
        let mut acc = 0.0;
        for d in from..DAYS as i32 {
            let (_, m, _) = civil(d);
            let growth = 0.8 + 1.5 * f64::from(d) / DAYS as f64;
            let wd = weekday(d);
            let weekend = if wd == 0 || wd == 6 { 0.12 } else { 1.0 };
            let x = growth * SEASON[m as usize - 1] * weekend;
            acc += x;
            w.push(x);
            cum.push(acc);
        }
        Cdf { from, w, cum }
    }

    pub(super) fn total(&self) -> f64 {
        self.cum[self.cum.len() - 1]
    }

    /// The day holding cumulative weight `x`, and the position inside that day in [0, 1).
    pub(super) fn locate(&self, x: f64) -> (i32, f64) {
        let d = self.cum.partition_point(|&c| c <= x).min(self.cum.len() - 1);
        let frac = (x - (self.cum[d] - self.w[d])) / self.w[d];
        (d as i32 + self.from, frac.clamp(0.0, 0.999_999))
    }
}

/// One step of error diffusion: adds `p` to `acc` and reports (and removes) a whole unit.
pub(super) fn diffuse(acc: &mut f64, p: f64) -> bool {
    *acc += p;
    if *acc >= 1.0 {
        *acc -= 1.0;
        true
    } else {
        false
    }
}

pub(super) fn work_minute(r: &mut Rng, region: usize) -> u32 {
    let (start, len) = REGION_WINDOW[region];
    start + r.below(u64::from(len)) as u32
}

pub(super) fn round_amount(x: f64) -> u32 {
    let step = if x < 10_000.0 {
        100.0
    } else if x < 50_000.0 {
        500.0
    } else {
        1000.0
    };
    ((x / step + 0.5).floor() * step) as u32
}

pub(super) fn plan_for(amount: u32) -> u8 {
    if amount < 12_000 {
        0
    } else if amount < 45_000 {
        1
    } else {
        2
    }
}

pub(super) fn mrr_cents(amount: u32) -> u64 {
    (u64::from(amount) * 100 + 6) / 12
}

// ------------------------------------------------------------------------------------------
// Stage history of one deal
// ------------------------------------------------------------------------------------------

pub(super) struct Path {
    pub(super) stage: [u8; 7],
    pub(super) at: [u32; 7],
    pub(super) len: usize,
    /// Entries before this index carry `est_amount` instead of the final amount.
    pub(super) est_until: usize,
    pub(super) est_amount: u32,
}

/// The stages a deal entered and when; `outcome` is `WON`, `LOST` or `OPEN` (then the path is
/// the planned one cut at the as-of date).
pub(super) fn deal_path(d: &Deal, outcome: u8) -> Path {
    let mut r = Rng(d.seed);
    let top: u8 = if outcome == LOST { r.weighted(&[30.0, 30.0, 20.0, 12.0, 8.0]) as u8 } else { 4 };
    let first: u8 = if top >= 1 && r.chance(0.2) { 1 } else { 0 };
    let mut p = Path { stage: [0; 7], at: [0; 7], len: 0, est_until: 0, est_amount: 0 };
    p.stage[0] = first;
    p.len = 1;
    for s in first + 1..top {
        if r.chance(0.8) {
            p.stage[p.len] = s;
            p.len += 1;
        }
    }
    if top > first {
        p.stage[p.len] = top;
        p.len += 1;
    }
    let mids = p.len - 1;
    if outcome == WON || outcome == LOST {
        p.stage[p.len] = outcome;
        p.len += 1;
    }
    // Times: the first entry at creation, the middle ones spread over the cycle, the terminal
    // one on the close day.
    let region = OWNERS[d.owner as usize].region;
    let created_day = d.created_day();
    let span = (d.end - created_day).max(1);
    let mut fr = [0.0f64; 6];
    for f in fr.iter_mut().take(mids) {
        *f = r.unit();
    }
    crate::sort::sort_f64(&mut fr[..mids]);
    p.at[0] = d.created;
    for i in 1..p.len {
        let day = if i <= mids { created_day + (fr[i - 1] * f64::from(span)).floor() as i32 } else { d.end };
        let t = day as u32 * 1440 + work_minute(&mut r, region);
        p.at[i] = t.max(p.at[i - 1] + 1);
    }
    if outcome == OPEN {
        while p.len > 1 && p.at[p.len - 1] > ASOF_END {
            p.len -= 1;
        }
    }
    if r.chance(0.3) {
        let f = 0.7 + 0.6 * r.unit();
        p.est_amount = round_amount(f64::from(d.amount) * f).max(1000);
        p.est_until = p.stage[..p.len].iter().position(|&s| s >= 3).unwrap_or(p.len);
    }
    p
}

/// The close date a deal carried at each entry of its path: its `close` at the last entry,
/// earlier ones moved back by the pushes made at later stage changes (about a fifth of stage
/// changes push the close date 7–41 days out, as forecast calls do). A close date is never
/// planned within a week of creation; deals with an injected close-date problem keep theirs.
pub(super) fn close_plan(d: &Deal, p: &Path) -> [i32; 7] {
    let mut closes = [d.close; 7];
    if d.close == NO_DAY || d.flags & (F_BACKDATED | F_NO_CLOSE) != 0 {
        return closes;
    }
    let mut r = Rng(mix(d.seed, 0xC105_E0A7));
    let earliest = d.created_day() + 7;
    for k in (1..p.len).rev() {
        let pushed = closes[k] - (7 + (r.unit() * 35.0) as i32);
        closes[k - 1] = if r.chance(0.2) && pushed >= earliest { pushed } else { closes[k] };
    }
    closes
}

/// A deal as an export taken at the end of `day` showed it (None when not yet created): the
/// stage its path had reached, the amount and close date it carried then, its stage's
/// probability and forecast category.
pub(super) fn deal_at(d: &Deal, day: i32) -> Option<Deal> {
    if d.created_day() > day {
        return None;
    }
    let p = deal_path(d, d.outcome());
    let end = (day as u32 + 1) * 1440 - 1;
    let k = p.at[..p.len].iter().rposition(|&t| t <= end).unwrap_or(0);
    let mut then = *d;
    then.stage = p.stage[k];
    if then.stage == d.stage {
        return Some(then);
    }
    if k < p.est_until {
        then.amount = p.est_amount;
    }
    then.close = close_plan(d, &p)[k];
    then.prob = STAGE_PROB[then.stage as usize];
    then.fc = match then.stage {
        0..=2 => FC_PIPELINE,
        3 => FC_BEST,
        4 => FC_COMMIT,
        _ => FC_CLOSED,
    };
    Some(then)
}

// ------------------------------------------------------------------------------------------
// Simulation
// ------------------------------------------------------------------------------------------

pub(super) struct World {
    pub(super) seed: u64,
    pub(super) rng: Rng,
    pub(super) deals: Vec<Deal>,
    pub(super) accounts: Vec<Account>,
    pub(super) customers: Vec<Customer>,
    pub(super) subs: Vec<Sub>,
    pub(super) events: BinaryHeap<Reverse<Event>>,
    pub(super) active: Vec<u32>,
    pub(super) lost_pool: Vec<u32>,
    pub(super) orphan_done: bool,
    /// Error-diffusion accumulators of win decisions (New Business, Existing Business): a
    /// deal wins when its probability carries the accumulator over 1, so every period wins
    /// about its expected share even in a small sample (a clear, forecastable signal) while
    /// each deal still wins with its own probability on average.
    pub(super) win_acc: [f64; 2],
    pub(super) problems: Problems,
    pub(super) target_deals: usize,
    /// Weekly snapshot exports to write before the latest.
    pub(super) snapshots: usize,
    pub(super) dates: DateFmt,
    pub(super) lower: Lower,
}

impl World {
    pub(super) fn empty(opts: &SampleOptions) -> World {
        let n = opts.deals;
        let mut rng = Rng(mix(opts.seed, 0x5EED_0001));
        let win_acc = [rng.unit(), rng.unit()];
        World {
            seed: opts.seed,
            rng,
            deals: Vec::with_capacity(n + n / 8 + 16),
            accounts: Vec::with_capacity(n),
            customers: Vec::with_capacity(n / 4 + 8),
            subs: Vec::with_capacity(n / 3 + 8),
            events: BinaryHeap::new(),
            active: Vec::new(),
            lost_pool: Vec::new(),
            orphan_done: false,
            win_acc,
            problems: Problems::default(),
            target_deals: n,
            snapshots: opts.snapshots,
            dates: DateFmt::new(),
            lower: Lower::new(),
        }
    }

    pub(super) fn build(opts: &SampleOptions) -> World {
        let n = opts.deals;
        let mut w = World::empty(opts);
        let in_window = Cdf::new(HIST_START).total() / Cdf::new(0).total();
        let slots = (n as f64 * SLOT_FRACTION / in_window).round() as usize;
        w.simulate(slots);
        // Renewals, win-backs and the warm-up year are not planned ahead: when they moved the
        // row count off target, simulate again with a corrected number of new-deal slots.
        let got = w.deals.len();
        if got.abs_diff(n) > (n / 50).max(2) && got > 0 {
            let slots = (slots as f64 * n as f64 / got as f64).round() as usize;
            w = World::empty(opts);
            w.simulate(slots);
        }
        // Deal order (and ids) follow creation time.
        crate::sort::sort_by_key(&mut w.deals, |d| d.created);
        w.finalize();
        w.inject();
        w
    }

    /// Runs the company from 2023-01-01 to the as-of date and keeps the deals of the
    /// reporting window (created in it, or closing / still open in it).
    pub(super) fn simulate(&mut self, slots: usize) {
        self.run(slots);
        self.win_backs();
        self.deals.retain(|d| d.created_day() >= HIST_START || d.end >= HIST_START);
    }

    pub(super) fn run(&mut self, slots: usize) {
        let cdf = Cdf::new(0);
        let total = cdf.total();
        for i in 0..slots {
            let x = (i as f64 + self.rng.unit()) / slots as f64 * total;
            let (day, _) = cdf.locate(x);
            self.drain(day as u32 * 1440);
            let n_active = self.active.len() as f64;
            let p_eb = (0.025 * n_active).min(0.20);
            if !(self.rng.chance(p_eb) && self.expansion(day)) {
                self.new_business(day);
            }
        }
        self.drain(ASOF_END);
    }

    pub(super) fn drain(&mut self, until: u32) {
        while let Some(Reverse(ev)) = self.events.peek() {
            if ev.at > until {
                break;
            }
            let Some(Reverse(ev)) = self.events.pop() else {
                break;
            };
            match ev.kind {
                EV_ACTIVATE => self.active.push(ev.a),
                EV_PROSPECT => self.lost_pool.push(ev.a),
                _ => self.renewal(ev.at, ev.a, ev.b as i32),
            }
        }
    }

    pub(super) fn new_account(&mut self, owner: u8) -> u32 {
        self.accounts.push(Account { owner });
        (self.accounts.len() - 1) as u32
    }

    /// Records a deal; sets stage and close date from its outcome at the as-of date.
    pub(super) fn push_deal(&mut self, mut d: Deal, won: bool) -> usize {
        d.close = d.end;
        if d.end <= ASOF_DAY {
            d.stage = if won { WON } else { LOST };
        } else {
            let p = deal_path(&d, OPEN);
            d.stage = p.stage[p.len - 1];
        }
        self.deals.push(d);
        self.deals.len() - 1
    }

    pub(super) fn blank_deal(&mut self, day: i32, owner: u8, account: u32, kind: u8) -> Deal {
        let region = OWNERS[owner as usize].region;
        Deal {
            seed: self.rng.next_u64(),
            created: day as u32 * 1440 + work_minute(&mut self.rng, region),
            end: day,
            close: day,
            amount: 0,
            account,
            flags: 0,
            owner,
            stage: 0,
            kind,
            source: SRC_OUTBOUND,
            product: 0,
            fc: FC_PIPELINE,
            prob: 0,
        }
    }

    pub(super) fn new_business(&mut self, day: i32) {
        let r = &mut self.rng;
        let source = r.weighted(&NB_SOURCE_W) as u8;
        let reuse = !self.lost_pool.is_empty() && r.chance(0.08);
        let (account, owner) = if reuse {
            let i = r.below(self.lost_pool.len() as u64) as usize;
            let a = self.lost_pool.swap_remove(i);
            (a, self.accounts[a as usize].owner)
        } else {
            let owner = r.weighted(&OWNERS.map(|o| o.volume)) as u8;
            (self.new_account(owner), owner)
        };
        let mut d = self.blank_deal(day, owner, account, NB);
        let r = &mut self.rng;
        let o = &OWNERS[owner as usize];
        let growth = 1.0 + 0.12 * f64::from(day - HIST_START) / 365.0;
        let mut base = r.lognormal(14_000.0 * o.size * SOURCE_SIZE[source as usize] * growth, 0.55);
        // The cycle a won deal would have; the month it would close in sets the odds
        // (quarter ends, and above all the fourth quarter, close more).
        let size = (base / 15_000.0).sqrt().sqrt();
        let won_cycle = r.lognormal(65.0 * size, 0.45).clamp(20.0, 150.0);
        let natural_month = civil(day + won_cycle as i32).1;
        let p_win = 0.19 * o.win * SOURCE_WIN[source as usize] * CLOSE_SEASON[natural_month as usize - 1];
        let won = diffuse(&mut self.win_acc[0], p_win.min(0.9));
        let cycle = if won { won_cycle } else { r.lognormal(70.0, 0.5).clamp(7.0, 150.0) };
        let mut end = day + cycle as i32;
        if won {
            // Year-end push: part of January closes are pulled into late December.
            let (_, m, dd) = civil(end);
            if m == 1 && r.chance(0.35) {
                let pulled = end - dd as i32 - r.between(0, 10);
                if pulled - day >= 20 {
                    end = pulled;
                }
            }
        }
        if civil(end).1 >= 10 {
            base *= 1.08;
        }
        d.amount = round_amount(base.clamp(2_500.0, 150_000.0));
        d.source = source;
        d.product = plan_for(d.amount);
        d.end = end;
        self.push_deal(d, won);
        if end <= ASOF_DAY {
            if won {
                self.new_customer(account, owner, d.product, end, d.amount);
            } else {
                self.events.push(Reverse(Event { at: end as u32 * 1440 + 1439, kind: EV_PROSPECT, a: account, b: 0 }));
            }
        }
    }

    pub(super) fn new_customer(&mut self, account: u32, owner: u8, plan: u8, start: i32, amount: u32) {
        let c = self.customers.len() as u32;
        let q = CHURN_Q[plan as usize];
        let mut k = 1;
        while k < 12 && !self.rng.chance(q) {
            k += 1;
        }
        let (churn, churn_k) = if k >= 12 { (NEVER, 99) } else { (add_years(start, k), k) };
        self.customers.push(Customer {
            account,
            owner,
            plan,
            start,
            churn,
            churn_k,
            churned: false,
            first_sub: NIL,
            last_sub: NIL,
        });
        self.add_sub(c, plan, start, amount);
        self.events.push(Reverse(Event { at: start as u32 * 1440 + 1439, kind: EV_ACTIVATE, a: c, b: 0 }));
        self.schedule_renewal(c, 1);
    }

    pub(super) fn add_sub(&mut self, c: u32, plan: u8, start: i32, amount: u32) {
        let s = self.subs.len() as u32;
        self.subs.push(Sub { customer: c, plan, start, end: NEVER, mrr: mrr_cents(amount), next: NIL });
        let cust = &mut self.customers[c as usize];
        if cust.last_sub == NIL {
            cust.first_sub = s;
        } else {
            self.subs[cust.last_sub as usize].next = s;
        }
        cust.last_sub = s;
    }

    pub(super) fn schedule_renewal(&mut self, c: u32, k: i32) {
        let cust = &self.customers[c as usize];
        let anniversary = add_years(cust.start, k);
        let region = OWNERS[cust.owner as usize].region;
        let t = anniversary - self.rng.between(60, 90);
        if t <= ASOF_DAY && k <= 12 {
            let at = t as u32 * 1440 + work_minute(&mut self.rng, region);
            self.events.push(Reverse(Event { at, kind: EV_RENEWAL, a: c, b: k as u32 }));
        }
    }

    /// Annual recurring revenue (cents) of customer `c` on `day`, and one random add-on
    /// subscription active that day (`NIL` if none).
    pub(super) fn arr_on(&mut self, c: u32, day: i32) -> (u64, u32) {
        let cust = &self.customers[c as usize];
        let mut arr = 0;
        let mut addon = NIL;
        let mut n_addon = 0;
        let mut s = cust.first_sub;
        while s != NIL {
            let sub = &self.subs[s as usize];
            if sub.start <= day && sub.end > day {
                arr += sub.mrr * 12;
                if s != cust.first_sub {
                    n_addon += 1;
                    if self.rng.below(n_addon) == 0 {
                        addon = s;
                    }
                }
            }
            s = sub.next;
        }
        (arr, addon)
    }

    pub(super) fn renewal(&mut self, at: u32, c: u32, k: i32) {
        let day = (at / 1440) as i32;
        let (account, owner, plan, start, churn_k) = {
            let cu = &self.customers[c as usize];
            (cu.account, cu.owner, cu.plan, cu.start, cu.churn_k)
        };
        let anniversary = add_years(start, k);
        let won = k < churn_k;
        let close = if won { anniversary - self.rng.between(0, 10) } else { anniversary };
        let closed = close <= ASOF_DAY;
        let (mut arr, addon) = self.arr_on(c, day);
        if closed && won && anniversary <= ASOF_DAY && addon != NIL && self.rng.chance(0.3) {
            // Contraction: the customer renews without one add-on.
            self.subs[addon as usize].end = anniversary;
            arr -= self.subs[addon as usize].mrr * 12;
        }
        if closed && !won {
            let mut s = self.customers[c as usize].first_sub;
            while s != NIL {
                let sub = &mut self.subs[s as usize];
                if sub.end == NEVER {
                    sub.end = anniversary;
                }
                s = sub.next;
            }
            self.customers[c as usize].churned = true;
        }
        if closed && won {
            self.schedule_renewal(c, k + 1);
        }
        let d = Deal {
            seed: self.rng.next_u64(),
            created: at,
            end: close,
            close,
            amount: ((arr + 50) / 100) as u32,
            account,
            flags: 0,
            owner,
            stage: 0,
            kind: REN,
            source: SRC_OUTBOUND,
            product: plan,
            fc: FC_PIPELINE,
            prob: 0,
        };
        self.push_deal(d, won);
    }

    /// An "Existing Business" deal on a random active customer; false if there is none.
    pub(super) fn expansion(&mut self, day: i32) -> bool {
        let mut tries = 0;
        let c = loop {
            if self.active.is_empty() || tries >= 6 {
                return false;
            }
            tries += 1;
            let i = self.rng.below(self.active.len() as u64) as usize;
            let c = self.active[i];
            if self.customers[c as usize].churn <= day + 45 {
                self.active.swap_remove(i);
                continue;
            }
            break c;
        };
        let (account, owner, churn) = {
            let cu = &self.customers[c as usize];
            (cu.account, cu.owner, cu.churn)
        };
        let (arr, _) = self.arr_on(c, day);
        let mut d = self.blank_deal(day, owner, account, EB);
        let r = &mut self.rng;
        let o = &OWNERS[owner as usize];
        let growth = 1.0 + 0.12 * f64::from(day - HIST_START) / 365.0;
        let median = (0.4 * arr as f64 / 100.0).max(3_000.0) * growth;
        let base = r.lognormal(median, 0.6).clamp(1_500.0, 120_000.0);
        d.amount = round_amount(base);
        d.source = r.weighted(&EB_SOURCE_W) as u8;
        d.product = 3 + r.weighted(&[40.0, 25.0, 35.0]) as u8;
        let mut won = diffuse(&mut self.win_acc[1], 0.35 * o.win.sqrt());
        let cycle =
            if won { r.lognormal(40.0, 0.4).clamp(20.0, 120.0) } else { r.lognormal(40.0, 0.6).clamp(7.0, 120.0) };
        let mut end = day + cycle as i32;
        if end >= churn - 1 {
            // The customer is leaving: the expansion is lost before the churn.
            won = false;
            end = (churn - 1).max(day + 7);
        }
        d.end = end;
        let closed_won = won && end <= ASOF_DAY;
        if closed_won && !self.orphan_done && day >= HIST_START + 400 {
            // Injected problem 8: an expansion booked on an account billing never heard of.
            self.orphan_done = true;
            d.account = self.new_account(owner);
            d.flags |= F_ORPHAN;
        } else if closed_won {
            self.add_sub(c, d.product, end, d.amount);
        }
        self.push_deal(d, won);
        true
    }

    /// A couple of churned customers come back with a new New Business deal.
    pub(super) fn win_backs(&mut self) {
        let mut cands: Vec<u32> = (0..self.customers.len() as u32)
            .filter(|&c| {
                let cu = &self.customers[c as usize];
                cu.churned && cu.churn <= ASOF_DAY - 200
            })
            .collect();
        let want = (cands.len() / 40).max(2).min(cands.len());
        for i in 0..want {
            let j = i + self.rng.below((cands.len() - i) as u64) as usize;
            cands.swap(i, j);
            let c = cands[i];
            let (account, owner, churn, first_sub) = {
                let cu = &self.customers[c as usize];
                (cu.account, cu.owner, cu.churn, cu.first_sub)
            };
            let lo = (churn + 60).max(ASOF_DAY - 300);
            let day = self.rng.between(lo, ASOF_DAY - 120);
            let cycle = self.rng.between(25, 90);
            let before = self.subs[first_sub as usize].mrr as f64 * 12.0 / 100.0;
            let mut d = self.blank_deal(day, owner, account, NB);
            let base = self.rng.lognormal(0.8 * before, 0.3);
            d.amount = round_amount(base.clamp(2_500.0, 150_000.0));
            d.product = plan_for(d.amount);
            d.source = if self.rng.chance(0.5) { SRC_REFERRAL } else { SRC_OUTBOUND };
            d.end = day + cycle;
            d.flags |= F_WINBACK;
            self.push_deal(d, true);
            self.add_sub(c, d.product, d.end, d.amount);
        }
    }

    /// Probabilities, forecast categories and past-due close dates.
    pub(super) fn finalize(&mut self) {
        for d in &mut self.deals {
            let mut r = Rng(mix(d.seed, 0xF1_0A11));
            d.prob = STAGE_PROB[d.stage as usize];
            let mut past_due = false;
            if d.is_open() {
                let cday = d.created_day();
                let span = ASOF_DAY - 1 - (cday + 7);
                if cday <= ASOF_DAY - 30 && span >= 0 && r.chance(0.3) {
                    d.close = ASOF_DAY - 1 - r.between(0, span.min(45));
                    past_due = true;
                }
            }
            let u = r.unit();
            d.fc = match d.stage {
                0 | 1 => FC_PIPELINE,
                2 if u < 0.25 => FC_BEST,
                2 => FC_PIPELINE,
                3 if u < 0.2 => FC_COMMIT,
                3 if u < 0.3 => FC_PIPELINE,
                3 => FC_BEST,
                4 if u < 0.8 => FC_COMMIT,
                4 => FC_BEST,
                WON => FC_CLOSED,
                _ => FC_OMITTED,
            };
            if past_due && r.chance(0.3) {
                d.fc = FC_OMITTED;
            }
        }
    }

    pub(super) fn pick(&mut self, ok: impl Fn(&Deal) -> bool) -> Option<usize> {
        let in_2025 = |d: &Deal| (HIST_START + 366..HIST_START + 731).contains(&d.created_day());
        let mut c: Vec<usize> = (0..self.deals.len())
            .filter(|&i| {
                let d = &self.deals[i];
                d.flags & F_SPECIAL == 0 && in_2025(d) && ok(d)
            })
            .collect();
        if c.is_empty() {
            c = (0..self.deals.len()).filter(|&i| self.deals[i].flags & F_SPECIAL == 0 && ok(&self.deals[i])).collect();
        }
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.below(c.len() as u64) as usize])
        }
    }

    pub(super) fn inject(&mut self) {
        let mut p = Problems { orphan: self.deals.iter().position(|d| d.flags & F_ORPHAN != 0), ..Problems::default() };
        let won_nb = |d: &Deal| d.kind == NB && d.stage == WON;
        p.duplicate = self.pick(won_nb);
        if let Some(i) = p.duplicate {
            self.deals[i].flags |= F_DUP;
        }
        p.zero_amount = self.pick(won_nb);
        if let Some(i) = p.zero_amount {
            self.deals[i].flags |= F_ZERO;
        }
        p.backdated = self.pick(|d| d.kind == NB && d.stage == LOST && d.created_day() >= 30);
        if let Some(i) = p.backdated {
            let back = self.rng.between(3, 20);
            let d = &mut self.deals[i];
            d.close = d.created_day() - back;
            d.flags |= F_BACKDATED;
        }
        p.owner_case = self.pick(|d| d.owner == 0 && !d.is_open());
        if let Some(i) = p.owner_case {
            self.deals[i].flags |= F_OWNER_CASE;
        }
        p.owner_space = self.pick(|d| d.owner == 0);
        if let Some(i) = p.owner_space {
            self.deals[i].flags |= F_OWNER_SPACE;
        }
        p.no_close = self.pick(|d| (1..=2).contains(&d.stage) && d.close > ASOF_DAY);
        if let Some(i) = p.no_close {
            self.deals[i].close = NO_DAY;
            self.deals[i].flags |= F_NO_CLOSE;
        }
        p.amount_na =
            self.pick(|d| d.kind == NB && d.stage == 0).or_else(|| self.pick(|d| d.kind == NB && d.is_open()));
        if let Some(i) = p.amount_na {
            self.deals[i].flags |= F_NA;
        }
        p.prob_lost_100 = self.pick(|d| d.stage == LOST);
        if let Some(i) = p.prob_lost_100 {
            self.deals[i].prob = 100;
            self.deals[i].flags |= F_PROB;
        }
        self.problems = p;
    }
}

// ------------------------------------------------------------------------------------------

// Leads
// ------------------------------------------------------------------------------------------

pub(super) const NONE_T: u32 = u32::MAX;

pub(super) struct Lead {
    pub(super) create: u32,
    pub(super) lead: u32,
    pub(super) mql: u32,
    pub(super) sql: u32,
    pub(super) opp: u32,
    pub(super) customer: u32,
    pub(super) source: u8,
    pub(super) first: u8,
    pub(super) last: u8,
    pub(super) style: u8,
    pub(super) company: u32,
    pub(super) deal: u32,
}

/// HubSpot original source of a contact that created a deal with this lead source.
pub(super) fn hs_source_for(source: u8, r: &mut Rng) -> u8 {
    match source {
        0 => [0, 0, 0, 0, 0, 0, 3, 3, 3, 7][r.below(10) as usize],
        1 => [1, 1, 1, 1, 2][r.below(5) as usize],
        2 | 5 => 5,
        3 => 6,
        _ => 4,
    }
}

pub(super) fn person(l: &mut Lead, r: &mut Rng) {
    l.first = r.below(FIRST_NAMES.len() as u64) as u8;
    l.last = r.below(LAST_NAMES.len() as u64) as u8;
    l.style = r.weighted(&[60.0, 25.0, 15.0]) as u8;
}
