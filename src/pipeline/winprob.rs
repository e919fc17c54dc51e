//! Win probability of open deals, learned from closed history (SPEC §4).
//!
//! **Examples.** Each closed deal (won or lost, closed on or before the as-of date) gives one
//! example per *state* it lived through, labelled with its final outcome. With stage history a
//! state is (open stage, deal-age bucket): a deal that sat in "Proposal" from day 40 to day 75
//! of its life yields (Proposal, 30–59 d) and (Proposal, 60–89 d). Without stage history the
//! closed deals' stages along the way are unknown, so a state is the age bucket alone: a deal
//! that closed at day 75 yields one example for each bucket it was still open in (0–29, 30–59,
//! 60–89). Either way an open deal of age *a* in stage *s* is compared with the closed deals
//! that were once in the same state — the ones still open at that age — which is what its
//! chance of winning depends on.
//!
//! **Model** (hierarchical empirical Bayes, then calibration):
//! 1. `p0` = share of won examples.
//! 2. stage: `p_s = (won_s + K_STAGE·p0) / (n_s + K_STAGE)`;
//! 3. stage × age: `p_sa = (won_sa + K_AGE·p_s) / (n_sa + K_AGE)` — small cells are pulled to
//!    their stage's rate, as if `K` extra examples at the parent rate had been seen;
//! 4. owner: a log-odds offset per owner with a normal prior N(0, `OWNER_SD`²) (a random
//!    effect, maximum a posteriori), so owners with few deals stay near the team;
//! 5. Platt calibration `σ(a + b·logit p)`, fitted out of sample on the latest 30 % of the
//!    training deals (cells refitted on the earlier 70 %), with a ridge toward the identity.
//!
//! **Evaluation.** A time split: the model is trained on the deals closed before a cut date
//! (the 70th percentile of close dates) and scored on the states of the deals closed after
//! it, by Brier score, next to the CRM's probability for the same stage (the mean
//! `probability` of open deals in that stage, or Salesforce's standard stage table when the
//! export has none) and next to the base rate.

use crate::metrics::history::DealHistories;
use crate::metrics::sales::{deal_probability, default_stage_probability};
use crate::model::{Dataset, Day, Status, Sym, NO_DAY};
use crate::work;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Upper bounds (exclusive, days) of the deal-age buckets; the last bucket is open-ended.
pub const AGE_BUCKETS: [i64; 5] = [30, 60, 90, 180, 365];
/// Pseudo-count of the stage level (pull toward the overall rate).
pub const K_STAGE: f64 = 10.0;
/// Pseudo-count of the stage × age level (pull toward the stage rate).
pub const K_AGE: f64 = 20.0;
/// Prior standard deviation of an owner's log-odds offset.
pub const OWNER_SD: f64 = 0.5;
/// Ridge weight pulling the Platt calibration toward the identity (a = 0, b = 1).
const PLATT_RIDGE: f64 = 5.0;
/// Share of the (training) deals, by close date, kept for the held-out part of a time split.
const HOLDOUT_SHARE: f64 = 0.3;

/// Label of an age bucket, e.g. `30-59d`, `365d+`.
pub fn age_bucket_label(bucket: u8) -> String {
    let b = bucket as usize;
    let lo = if b == 0 { 0 } else { AGE_BUCKETS[b - 1] };
    match AGE_BUCKETS.get(b) {
        Some(hi) => format!("{lo}-{}d", hi - 1),
        None => format!("{lo}d+"),
    }
}

/// The bucket of an age in days (negative ages count as 0).
pub fn age_bucket(age_days: i64) -> u8 {
    AGE_BUCKETS.iter().position(|&hi| age_days.max(0) < hi).unwrap_or(AGE_BUCKETS.len()) as u8
}

/// Stage names compared as lowercase letters and digits ("Proposal/Price Quote" =
/// "proposal price quote").
fn stage_key(stage: &str) -> String {
    stage.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn is_open_stage(stage: &str) -> bool {
    crate::ingest::rows::status_from_stage(stage) == Status::Open
}

fn iso(day: Day) -> Option<String> {
    crate::model::iso_from_day(day)
}

/// Normalised stage keys as small integers; id 0 is "" (no stage, or stage not used).
struct StageKeys {
    keys: Vec<String>,
    index: HashMap<String, u32>,
}

impl StageKeys {
    fn new() -> StageKeys {
        let mut s = StageKeys { keys: Vec::new(), index: HashMap::default() };
        s.id(String::new());
        s
    }

    fn id(&mut self, key: String) -> u32 {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.clone());
        self.index.insert(key, id);
        id
    }
}

/// Slots per stage in a state number: the age buckets, then "no created date".
const BUCKET_SLOTS: u32 = AGE_BUCKETS.len() as u32 + 2;
const NO_BUCKET: u32 = AGE_BUCKETS.len() as u32 + 1;

/// A state a deal can be in: (stage id, age bucket or none) as one number.
fn state(stage: u32, bucket: Option<u8>) -> u32 {
    stage * BUCKET_SLOTS + bucket.map_or(NO_BUCKET, u32::from)
}

fn state_stage(state: u32) -> u32 {
    state / BUCKET_SLOTS
}

fn state_bucket(state: u32) -> Option<u8> {
    let b = state % BUCKET_SLOTS;
    (b != NO_BUCKET).then_some(b as u8)
}

/// A closed deal as the learning sees it: its row in the deals and what the cuts and counts
/// read of it. Its examples (states) are not kept: the one pass that counts them
/// ([`SplitCounts::new`]) lists each deal's again, where kept they were 16 MiB at a million
/// deals, grown by doubling.
struct ClosedDeal {
    close: Day,
    won: bool,
    owner: Sym,
    row: u32,
}

/// Closed deal row `i`'s stage path into `out` (cleared first): the (day entered, stage symbol)
/// of its id's history rows that carry a stage entered on or before `as_of`, by date (same-day
/// entries by stage name). Returns the comparisons its sort made.
fn stage_path(ds: &Dataset, histories: &DealHistories, i: usize, as_of: Day, out: &mut Vec<(Day, Sym)>) -> usize {
    let h = &ds.stage_changes;
    out.clear();
    histories.entries_of_id(h, i, out);
    // Rows that change only the close date or amount carry no stage.
    out.retain(|&(at, code)| at != NO_DAY && at <= as_of && !h.stage.name(code).is_empty());
    // Already by date: only same-day entries move. A deal's own path: its length does not grow
    // with the number of deals.
    let mut comparisons = 0usize;
    crate::sort::sort_by(out, |a, b| {
        comparisons += 1;
        a.0.cmp(&b.0).then_with(|| h.stage.name(a.1).cmp(h.stage.name(b.1)))
    });
    comparisons
}

/// The history's stages per symbol: its stage id and whether it is an open stage (computed
/// once per distinct name, not once per row).
fn history_stages(ds: &Dataset, keys: &mut StageKeys) -> Vec<(u32, bool)> {
    ds.stage_changes.stage.names().iter().map(|n| (keys.id(stage_key(n)), is_open_stage(n))).collect()
}

/// Indices of the closed deals usable for training: closed on a known day not after as-of,
/// first row of each id (exact duplicate rows would count twice otherwise).
fn closed_deals(ds: &Dataset, as_of: Day) -> Vec<u32> {
    let d = &ds.deals;
    let usable = |i: usize| {
        d.status[i] != Status::Open
            && d.close[i] != NO_DAY
            && d.close[i] <= as_of
            && (d.created[i] == NO_DAY || d.created[i] <= as_of)
    };
    let keyed = |i: usize| usable(i) && !d.id.get(i).is_empty();
    // One first-seen table of the ids' tags, a block of rows at a time.
    let copies = crate::model::later_copies(
        d.len(),
        keyed,
        |i| if keyed(i) { crate::model::tag_of_key(&d.id.get(i)) } else { 0 },
        |i, j| d.id.get(i) == d.id.get(j),
    );
    let mut copies = copies.iter().map(|&(row, _)| row).peekable();
    // Room for every closed deal at once (grown by doubling, the list took up to twice that).
    let mut out = Vec::with_capacity((0..d.len()).filter(|&i| usable(i)).count() - copies.len());
    for i in (0..d.len()).filter(|&i| usable(i)) {
        if copies.next_if_eq(&i).is_none() {
            out.push(i as u32);
        }
    }
    work::add(d.len());
    out
}

/// Appends the states of closed deal `i` (see the module docs) to `out`, each once, in order.
fn deal_states(ds: &Dataset, i: usize, path: Option<&[(Day, Sym)]>, stages: &[(u32, bool)], out: &mut Vec<u32>) {
    let d = &ds.deals;
    let (created, close) = (d.created[i], d.close[i]);
    let start = out.len();
    let age = |day: Day| day as i64 - created as i64;
    let add_span = |stage: u32, from: Day, to: Day, out: &mut Vec<u32>| {
        if created == NO_DAY {
            out.push(state(stage, None));
            return;
        }
        let (a, b) = (age(from).max(0), age(to.max(from)).max(0));
        for bucket in age_bucket(a)..=age_bucket(b) {
            out.push(state(stage, Some(bucket)));
        }
    };
    let mut stints = path.unwrap_or(&[]).iter().filter(|(at, s)| *at <= close && stages[*s as usize].1).peekable();
    if stints.peek().is_none() {
        let from = if created == NO_DAY { close } else { created.min(close) };
        add_span(0, from, close, out);
    } else {
        while let Some(&(at, s)) = stints.next() {
            let end = stints.peek().map_or(close, |n| n.0);
            add_span(stages[s as usize].0, at, end, out);
        }
    }
    let mine = &mut out[start..];
    crate::sort::sort_by(mine, Ord::cmp);
    let kept = dedup_len(mine);
    out.truncate(start + kept);
    work::add(out.len() - start);
}

/// Moves the distinct values of a sorted slice to its front; returns how many there are.
fn dedup_len(v: &mut [u32]) -> usize {
    if v.is_empty() {
        return 0;
    }
    let mut k = 1;
    for j in 1..v.len() {
        if v[j] != v[k - 1] {
            v[k] = v[j];
            k += 1;
        }
    }
    k
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Won and total examples.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Tally {
    won: f64,
    n: f64,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.won += o.won;
        self.n += o.n;
    }
}

/// The sufficient statistics of a set of examples: won and total per (state, owner) cell,
/// ordered by cell.
type Counts = Vec<((u32, Sym), Tally)>;

/// Which of the (at most three) deal subsets the learning needs a closed deal is in.
#[derive(Clone, Copy, Debug)]
struct Cuts {
    /// The final model's calibration split (closes before it: cells; from it on: Platt).
    calibration_all: Option<Day>,
    /// The evaluation's time split (before: train, from it on: test).
    evaluation: Option<Day>,
    /// The evaluation model's own calibration split, inside the train part.
    calibration_train: Option<Day>,
}

/// Per-cell tallies split by the deal's side of each cut: one pass over the examples gives
/// the counts of every subset the learning uses.
struct SplitCounts {
    /// Index bits: 1 = close ≥ calibration_all, 2 = close ≥ evaluation, 4 = close ≥
    /// calibration_train.
    cells: Vec<((u32, Sym), [Tally; 8])>,
}

fn side(close: Day, cut: Option<Day>) -> usize {
    usize::from(cut.is_some_and(|c| close >= c))
}

impl SplitCounts {
    /// Counts the examples of every closed deal of `ex`, which `states` lists (appends) one deal
    /// at a time.
    fn new(ex: &[ClosedDeal], cuts: &Cuts, mut states: impl FnMut(&ClosedDeal, &mut Vec<u32>)) -> SplitCounts {
        let mut map: HashMap<(u32, Sym), [Tally; 8]> = HashMap::default();
        let (mut mine, mut examples) = (Vec::new(), 0);
        for deal in ex {
            let class = side(deal.close, cuts.calibration_all)
                | side(deal.close, cuts.evaluation) << 1
                | side(deal.close, cuts.calibration_train) << 2;
            let one = Tally { won: f64::from(u8::from(deal.won)), n: 1.0 };
            mine.clear();
            states(deal, &mut mine);
            examples += mine.len();
            for &s in &mine {
                map.entry((s, deal.owner)).or_default()[class].add(one);
            }
        }
        work::add(examples);
        let mut cells: Vec<_> = map.into_iter().collect();
        // Cells, not rows: their number is bounded by stages × buckets × owners.
        // The keys are distinct (a map's): a stable sort gives the same order.
        crate::sort::sort_by_key(&mut cells, |c| c.0);
        SplitCounts { cells }
    }

    /// The counts of the deals whose class passes `keep`.
    fn counts(&self, keep: impl Fn(usize) -> bool) -> Counts {
        let mut out = Counts::new();
        for (cell, by_class) in &self.cells {
            let mut t = Tally::default();
            for (class, c) in by_class.iter().enumerate() {
                if keep(class) {
                    t.add(*c);
                }
            }
            if t.n > 0.0 {
                out.push((*cell, t));
            }
        }
        out
    }
}

fn total(counts: &Counts) -> Tally {
    let mut t = Tally::default();
    counts.iter().for_each(|(_, c)| t.add(*c));
    t
}

/// Fitted rates of one stage: the stage's and, per age-bucket slot, the stage × age cell's.
#[derive(Clone, Debug, Default)]
struct StageRates {
    stage: Option<f64>,
    age: [Option<f64>; BUCKET_SLOTS as usize],
}

/// The fitted hierarchy (see the module docs).
#[derive(Clone, Debug)]
struct Model {
    overall: f64,
    /// By stage id.
    stages: Vec<StageRates>,
    owner: HashMap<Sym, f64>,
    /// Platt intercept and slope on the logit scale.
    platt: (f64, f64),
}

impl Model {
    /// Fits the shrunk cell rates and owner offsets (no calibration) from a set's counts.
    /// `counts` must not be empty.
    fn fit_cells(counts: &Counts, stage_count: usize) -> Model {
        let all = total(counts);
        let overall = all.won / all.n;
        let mut by_stage = vec![Tally::default(); stage_count];
        let mut by_cell = vec![[Tally::default(); BUCKET_SLOTS as usize]; stage_count];
        for ((s, _), t) in counts {
            by_stage[state_stage(*s) as usize].add(*t);
            if let Some(b) = state_bucket(*s) {
                by_cell[state_stage(*s) as usize][b as usize].add(*t);
            }
        }
        let stages = by_stage
            .iter()
            .zip(&by_cell)
            .map(|(st, cells)| {
                if st.n == 0.0 {
                    return StageRates::default();
                }
                let p_s = (st.won + K_STAGE * overall) / (st.n + K_STAGE);
                let mut r = StageRates { stage: Some(p_s), ..StageRates::default() };
                for (slot, c) in r.age.iter_mut().zip(cells) {
                    if c.n > 0.0 {
                        *slot = Some((c.won + K_AGE * p_s) / (c.n + K_AGE));
                    }
                }
                r
            })
            .collect();
        let mut model = Model { overall, stages, owner: HashMap::default(), platt: (0.0, 1.0) };
        // Owner offsets: one-dimensional MAP logistic fits over the owner's cells (every example
        // of a cell has the same prediction, so a cell's tally stands for its examples).
        let mut by_owner: BTreeMap<Sym, Vec<(f64, Tally)>> = BTreeMap::new();
        for ((s, owner), t) in counts {
            by_owner.entry(*owner).or_default().push((logit(model.cell_rate(*s)), *t));
        }
        let prior = 1.0 / (OWNER_SD * OWNER_SD);
        for (owner, xs) in by_owner {
            let mut delta = 0.0;
            for _ in 0..30 {
                let (mut g, mut h) = (-prior * delta, prior);
                for (x, t) in &xs {
                    let p = sigmoid(x + delta);
                    g += t.won - t.n * p;
                    h += t.n * p * (1.0 - p);
                }
                let step = g / h;
                delta += step;
                if step.abs() < 1e-9 {
                    break;
                }
            }
            if delta.is_finite() {
                model.owner.insert(owner, delta);
            }
        }
        model
    }

    fn cell_rate(&self, state: u32) -> f64 {
        let Some(rates) = self.stages.get(state_stage(state) as usize) else { return self.overall };
        let stage_rate = rates.stage.unwrap_or(self.overall);
        match state_bucket(state) {
            Some(b) => rates.age[b as usize].unwrap_or(stage_rate),
            None => stage_rate,
        }
    }

    fn raw(&self, state: u32, owner: Sym) -> f64 {
        let x = logit(self.cell_rate(state)) + self.owner.get(&owner).copied().unwrap_or(0.0);
        sigmoid(x)
    }

    fn predict(&self, state: u32, owner: Sym) -> f64 {
        let (a, b) = self.platt;
        let p = sigmoid(a + b * logit(self.raw(state, owner)));
        if p.is_finite() {
            p
        } else {
            self.overall
        }
    }
}

/// Platt scaling fitted by Newton's method with a ridge toward the identity map.
#[cfg(test)]
fn fit_platt(points: &[(f64, bool)]) -> (f64, f64) {
    let binned: Vec<(f64, Tally)> =
        points.iter().map(|(p, y)| (*p, Tally { won: f64::from(u8::from(*y)), n: 1.0 })).collect();
    fit_platt_binned(&binned)
}

/// Platt scaling on binned scores: each `(p, tally)` stands for `tally.n` examples predicted
/// `p`, `tally.won` of them won.
fn fit_platt_binned(points: &[(f64, Tally)]) -> (f64, f64) {
    let (mut a, mut b) = (0.0f64, 1.0f64);
    let lambda = PLATT_RIDGE;
    for _ in 0..50 {
        let (mut ga, mut gb) = (-lambda * a, -lambda * (b - 1.0));
        let (mut haa, mut hab, mut hbb) = (lambda, 0.0, lambda);
        for (p, t) in points {
            let x = logit(*p);
            let q = sigmoid(a + b * x);
            let r = t.won - t.n * q;
            let w = t.n * q * (1.0 - q);
            ga += r;
            gb += r * x;
            haa += w;
            hab += w * x;
            hbb += w * x * x;
        }
        let det = haa * hbb - hab * hab;
        if !(det.is_finite() && det > 0.0) {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a += da;
        b += db;
        if !(a.is_finite() && b.is_finite()) {
            return (0.0, 1.0);
        }
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    (a, b)
}

/// The close date that leaves the latest `share` of `closes` on or after it (None when
/// either side would be empty): the order statistic at (1 − share)·n, found without sorting.
fn time_cut(closes: &mut [Day], share: f64) -> Option<Day> {
    if closes.len() < 2 {
        return None;
    }
    let k = ((closes.len() as f64) * (1.0 - share)).round() as usize;
    let k = k.clamp(1, closes.len() - 1);
    let mut comparisons = 0usize;
    let cut = *crate::sort::select_nth_by(closes, k, |a, b| {
        comparisons += 1;
        a.cmp(b)
    });
    work::add(closes.len() + comparisons);
    let first = closes.iter().copied().min()?;
    (first < cut).then_some(cut)
}

/// The calibration cut of a training set: its deals' close dates in order, runs of equal
/// dates counted once (as the examples of one deal are).
fn calibration_cut(ex: &[ClosedDeal], train: impl Fn(&ClosedDeal) -> bool) -> Option<Day> {
    let mut closes: Vec<Day> = ex.iter().filter(|d| train(d)).map(|d| d.close).collect();
    closes.dedup();
    time_cut(&mut closes, HOLDOUT_SHARE)
}

const NOT_CALIBRATED: &str = "Not calibrated: too little history for an out-of-sample calibration split.";

/// Fits cells on all of `train`, with a Platt map fitted out of sample on its latest part
/// (`early`/`late`: the train counts before and from the calibration cut; None without a
/// cut). Returns the model and a note on the calibration.
fn fit(train: &Counts, split: Option<(Counts, Counts)>, stage_count: usize) -> (Model, String) {
    let mut model = Model::fit_cells(train, stage_count);
    let Some((early, late)) = split else { return (model, NOT_CALIBRATED.into()) };
    let (e, l) = (total(&early), total(&late));
    if !(e.n >= 30.0 && l.n >= 30.0 && l.won > 0.0 && l.won < l.n) {
        return (model, NOT_CALIBRATED.into());
    }
    let inner = Model::fit_cells(&early, stage_count);
    let points: Vec<(f64, Tally)> = late.iter().map(|((s, o), t)| (inner.raw(*s, *o), *t)).collect();
    model.platt = fit_platt_binned(&points);
    let note = format!(
        "Platt-calibrated (a = {:.2}, b = {:.2}) on the {} latest training examples, predicted by cells fitted on the earlier ones.",
        model.platt.0, model.platt.1, l.n
    );
    (model, note)
}

/// Mean squared error of probabilities against outcomes.
pub fn brier(pairs: &[(f64, bool)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    Some(pairs.iter().map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2)).sum::<f64>() / pairs.len() as f64)
}

/// One row of a reliability table: predictions in [lo, hi) against the observed win share.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CalibrationBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    pub mean_predicted: f64,
    pub observed: f64,
}

/// Reliability table over ten equal-width bins of predicted probability (empty bins omitted).
pub fn calibration_table(pairs: &[(f64, bool)]) -> Vec<CalibrationBin> {
    let mut bins = [(0usize, 0.0f64, 0usize); 10];
    for (p, y) in pairs {
        let b = ((p.clamp(0.0, 1.0) * 10.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += p;
        bins[b].2 += usize::from(*y);
    }
    bins.iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(k, (n, sum, won))| CalibrationBin {
            lo: k as f64 / 10.0,
            hi: (k + 1) as f64 / 10.0,
            count: *n,
            mean_predicted: sum / *n as f64,
            observed: *won as f64 / *n as f64,
        })
        .collect()
}

/// Learned and CRM probability of one open deal.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DealProbability {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub stage: String,
    /// Days since creation at the as-of date.
    pub age_days: Option<i64>,
    pub amount: Option<f64>,
    /// Expected close date.
    pub close: Option<String>,
    pub p_learned: f64,
    /// The CRM's probability, else the standard stage default.
    pub p_crm: Option<f64>,
}

/// The win-probability model: how it was learned, how it scores on later deals, and its
/// probability for every open deal.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WinProbabilityReport {
    pub method: String,
    /// `["stage", "age", "owner"]`, or `["age", "owner"]` without stage history.
    pub features: Vec<String>,
    /// Closed deals (and the examples they gave) behind the probabilities of open deals.
    pub training_deals: usize,
    pub training_examples: usize,
    pub overall_win_rate: Option<f64>,
    /// Time split of the evaluation: trained on deals closed before this day, tested on the rest.
    pub split_date: Option<String>,
    pub train_deals: usize,
    pub test_deals: usize,
    pub test_examples: usize,
    /// Brier score of the learned probabilities on the test examples that have a CRM/stage
    /// probability (on all test examples when none has).
    pub brier_learned: Option<f64>,
    /// Brier score of the CRM's probability for the same stage on the same examples.
    pub brier_crm: Option<f64>,
    /// Where `brier_crm`'s probabilities come from.
    pub crm_probability_source: Option<String>,
    /// Examples compared in `brier_learned` / `brier_crm`.
    pub compared_examples: usize,
    /// Brier score of predicting the training win rate for everything (the bar to beat).
    pub brier_base_rate: Option<f64>,
    /// Reliability of the learned probabilities on the test examples.
    pub calibration: Vec<CalibrationBin>,
    /// Reliability of the CRM probabilities on the same examples.
    pub calibration_crm: Vec<CalibrationBin>,
    /// Why the evaluation is missing or partial ("" when complete).
    pub evaluation_note: String,
    /// Open deals, by expected close date then id.
    pub deals: Vec<DealProbability>,
}

/// The learned model's output: the report, and the learned probability per deal row
/// (`None` for rows that are not open deals at the as-of date).
#[derive(Clone, Debug)]
pub struct LearnedWinProbability {
    pub report: WinProbabilityReport,
    /// Each row's learned probability; NaN for a row that is not an open deal (a probability is
    /// never NaN). Eight bytes a row, where an `Option` took sixteen.
    pub by_row: Vec<f64>,
}

/// Whether open deals are in the window: created (if known) on or before as-of.
pub(crate) fn is_open_at(ds: &Dataset, i: usize, as_of: Day) -> bool {
    let d = &ds.deals;
    d.status[i] == Status::Open && (d.created[i] == NO_DAY || d.created[i] <= as_of)
}

/// The CRM's probability per normalised stage: the mean over open deals in the stage.
fn crm_stage_table(ds: &Dataset, as_of: Day) -> HashMap<String, f64> {
    let d = &ds.deals;
    // Summed per stage symbol first (no string per row), then merged per normalised name.
    let mut by_sym = vec![(0.0f64, 0.0f64); d.stage.names().len()];
    for i in 0..d.len() {
        let p = d.probability[i];
        if is_open_at(ds, i, as_of) && p.is_finite() {
            let e = &mut by_sym[d.stage.codes.get(i) as usize];
            e.0 += p.clamp(0.0, 1.0);
            e.1 += 1.0;
        }
    }
    work::add(d.len());
    let mut sums: HashMap<String, (f64, f64)> = HashMap::default();
    for (name, (s, n)) in d.stage.names().iter().zip(by_sym) {
        if n > 0.0 {
            let e = sums.entry(stage_key(name)).or_default();
            e.0 += s;
            e.1 += n;
        }
    }
    sums.into_iter().map(|(k, (s, n))| (k, s / n)).collect()
}

/// Learns win probabilities from the deals closed on or before `as_of` and applies them to the
/// deals open at `as_of`; see the module docs. Never panics; degrades to the overall win rate
/// (or, with no closed deal at all, to the CRM probability) and says so in `method`.
pub fn learn_win_probability(ds: &Dataset, as_of: Day) -> LearnedWinProbability {
    learn_win_probability_with(ds, &DealHistories::new(ds), as_of, true)
}

/// [`learn_win_probability`], listing every open deal in `report.deals` only when `list_deals`
/// (one entry per open deal, with its strings: a large pipeline pays for it).
///
/// The cost is linear in deals and stage-history rows: every closed deal's states are listed
/// as they are counted, their won/total counts per (stage, age bucket, owner) cell tallied in
/// one pass for every subset the learning needs (final model, its calibration split, the
/// evaluation's train and test parts and the train part's calibration split), and all fitting
/// runs on those counts, whose number does not grow with the deals.
pub fn learn_win_probability_with(
    ds: &Dataset,
    histories: &DealHistories,
    as_of: Day,
    list_deals: bool,
) -> LearnedWinProbability {
    let d = &ds.deals;
    let h = &ds.stage_changes;
    let mut keys = StageKeys::new();
    let stages = history_stages(ds, &mut keys);
    let closed = closed_deals(ds, as_of);
    // Per history stage symbol: whether a row with it is a step of a path.
    let step: Vec<bool> = h.stage.names().iter().map(|n| !n.is_empty()).collect();
    let mut path = Vec::new();
    let with_history = closed
        .iter()
        .filter(|&&i| {
            path.clear();
            histories.entries_of_id(h, i as usize, &mut path);
            path.iter().any(|&(at, code)| at != NO_DAY && at <= as_of && step[code as usize])
        })
        .count();
    work::add(h.len());
    let use_history = with_history >= 10 && with_history * 2 >= closed.len();
    let ex: Vec<ClosedDeal> = closed
        .iter()
        .map(|&row| {
            let i = row as usize;
            ClosedDeal { close: d.close[i], won: d.status[i] == Status::Won, owner: d.owner.codes.get(i), row }
        })
        .collect();
    work::add(closed.len());
    let training_deals = closed.len();
    drop(closed);
    // The open deals' stage ids, per stage symbol (history mode only).
    let open_stage: Vec<u32> = if use_history {
        d.stage.names().iter().map(|n| keys.id(stage_key(n))).collect()
    } else {
        vec![0; d.stage.names().len()]
    };
    let stage_count = keys.keys.len();

    let mut method = String::new();
    let features: Vec<String> = if use_history { vec!["stage", "age", "owner"] } else { vec!["age", "owner"] }
        .into_iter()
        .map(String::from)
        .collect();
    if use_history {
        method.push_str(&format!(
            "Win probability learned from {} closed deals' stage history: each contributes one example per (stage, deal-age bucket) \
             it passed through, labelled with its outcome. Stage rates are shrunk toward the overall rate ({K_STAGE} pseudo-deals), \
             stage × age cells toward their stage ({K_AGE} pseudo-deals), and each owner gets a log-odds offset with a N(0, {OWNER_SD}²) prior. ",
            with_history
        ));
    } else {
        method.push_str(&format!(
            "No usable stage history ({} of {} closed deals have one), so only the final outcomes can be learned from: each closed deal \
             contributes one example per deal-age bucket it was still open in; age-bucket rates are shrunk toward the overall win rate \
             ({K_AGE} pseudo-deals) and each owner gets a log-odds offset with a N(0, {OWNER_SD}²) prior — i.e. owner × age with shrinkage. \
             The open deals' stage is not used. ",
            with_history,
            training_deals
        ));
    }

    // The time splits, then every subset's counts in one pass.
    let evaluation = {
        let mut closes: Vec<Day> = ex.iter().map(|c| c.close).collect();
        time_cut(&mut closes, HOLDOUT_SHARE)
    };
    let cuts = Cuts {
        calibration_all: calibration_cut(&ex, |_| true),
        evaluation,
        calibration_train: evaluation.and_then(|cut| calibration_cut(&ex, |c| c.close < cut)),
    };
    let mut comparisons = 0usize;
    let split = SplitCounts::new(&ex, &cuts, |deal, out| {
        let i = deal.row as usize;
        if use_history {
            comparisons += stage_path(ds, histories, i, as_of, &mut path);
        }
        deal_states(ds, i, use_history.then_some(path.as_slice()), &stages, out);
    });
    work::add(comparisons);

    // Final model on every closed deal.
    let train_all = split.counts(|_| true);
    let fitted = if train_all.is_empty() {
        None
    } else {
        let calibration = cuts.calibration_all.map(|_| (split.counts(|c| c & 1 == 0), split.counts(|c| c & 1 == 1)));
        Some(fit(&train_all, calibration, stage_count))
    };
    if let Some((_, note)) = &fitted {
        method.push_str(note);
    } else {
        method.push_str("No closed deal before the as-of date: nothing to learn from, so the CRM's probability (or the standard stage default, else 0) is used.");
    }

    let mut by_row = vec![f64::NAN; d.len()];
    let mut deals = Vec::new();
    // Every open deal of a (state, owner) cell gets the same probability: compute it once.
    let mut cache: HashMap<(u32, Sym), f64> = HashMap::default();
    for (i, slot) in by_row.iter_mut().enumerate() {
        if !is_open_at(ds, i, as_of) {
            continue;
        }
        let age = (d.created[i] != NO_DAY).then(|| (as_of as i64 - d.created[i] as i64).max(0));
        let p_crm = || deal_probability(d, i).filter(|p| p.is_finite()).map(|p| p.clamp(0.0, 1.0));
        let p = match &fitted {
            Some((m, _)) => {
                let cell =
                    (state(open_stage[d.stage.codes.get(i) as usize], age.map(age_bucket)), d.owner.codes.get(i));
                *cache.entry(cell).or_insert_with(|| m.predict(cell.0, cell.1))
            }
            None => p_crm().unwrap_or(0.0),
        };
        *slot = p;
        if list_deals {
            deals.push(DealProbability {
                id: d.id.get(i).to_string(),
                name: d.name.get(i).to_string(),
                owner: d.owner.get(i).to_string(),
                stage: d.stage.get(i).to_string(),
                age_days: age,
                amount: d.amount[i].is_finite().then_some(d.amount[i]),
                close: iso(d.close[i]),
                p_learned: p,
                p_crm: p_crm(),
            });
        }
    }
    work::add(d.len());
    // Only when asked for (n log n over the open deals).
    let mut comparisons = 0usize;
    crate::sort::sort_by(&mut deals, |a, b| {
        comparisons += 1;
        a.close.cmp(&b.close).then(a.id.cmp(&b.id))
    });
    work::add(comparisons);

    let mut report = WinProbabilityReport {
        method,
        features,
        training_deals,
        training_examples: total(&train_all).n as usize,
        overall_win_rate: fitted.as_ref().map(|(m, _)| m.overall),
        split_date: None,
        train_deals: 0,
        test_deals: 0,
        test_examples: 0,
        brier_learned: None,
        brier_crm: None,
        crm_probability_source: None,
        compared_examples: 0,
        brier_base_rate: None,
        calibration: Vec::new(),
        calibration_crm: Vec::new(),
        evaluation_note: String::new(),
        deals,
    };
    let crm_table = crm_stage_table(ds, as_of);
    evaluate(&ex, &cuts, &split, use_history, &keys, &crm_table, stage_count, &mut report);
    LearnedWinProbability { report, by_row }
}

/// Mean squared error of binned predictions: each `(p, tally)` is `tally.n` examples predicted
/// `p`, `tally.won` of them won.
fn brier_binned(points: &[(f64, Tally)]) -> Option<f64> {
    let n: f64 = points.iter().map(|(_, t)| t.n).sum();
    if n == 0.0 {
        return None;
    }
    let sum: f64 = points.iter().map(|(p, t)| t.won * (p - 1.0).powi(2) + (t.n - t.won) * p * p).sum();
    Some(sum / n)
}

/// [`calibration_table`] of binned predictions.
fn calibration_table_binned(points: &[(f64, Tally)]) -> Vec<CalibrationBin> {
    let mut bins = [(0.0f64, 0.0f64, 0.0f64); 10];
    for (p, t) in points {
        let b = ((p.clamp(0.0, 1.0) * 10.0) as usize).min(9);
        bins[b].0 += t.n;
        bins[b].1 += p * t.n;
        bins[b].2 += t.won;
    }
    bins.iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0.0)
        .map(|(k, (n, sum, won))| CalibrationBin {
            lo: k as f64 / 10.0,
            hi: (k + 1) as f64 / 10.0,
            count: *n as usize,
            mean_predicted: sum / n,
            observed: won / n,
        })
        .collect()
}

/// The time-split evaluation (fills the Brier and calibration fields of `report`).
#[allow(clippy::too_many_arguments)]
fn evaluate(
    ex: &[ClosedDeal],
    cuts: &Cuts,
    split: &SplitCounts,
    use_history: bool,
    keys: &StageKeys,
    crm_table: &HashMap<String, f64>,
    stage_count: usize,
    report: &mut WinProbabilityReport,
) {
    let Some(cut) = cuts.evaluation else {
        report.evaluation_note = "Not evaluated: too few closed deals for a time split.".into();
        return;
    };
    let (mut train, mut train_wins, mut test) = (0usize, 0usize, 0usize);
    for c in ex {
        if c.close < cut {
            train += 1;
            train_wins += usize::from(c.won);
        } else {
            test += 1;
        }
    }
    report.split_date = iso(cut);
    report.train_deals = train;
    report.test_deals = test;
    let train_counts = split.counts(|c| c & 2 == 0);
    let test_counts = split.counts(|c| c & 2 == 2);
    report.test_examples = total(&test_counts).n as usize;
    if train < 20 || test < 10 || train_wins == 0 || train_wins == train {
        report.evaluation_note = format!(
            "Not evaluated: the time split at {} leaves {} training deals ({} won) and {} test deals; at least 20 training deals with both outcomes and 10 test deals are needed.",
            report.split_date.as_deref().unwrap_or("?"),
            train,
            train_wins,
            test
        );
        return;
    }
    let calibration =
        cuts.calibration_train.map(|_| (split.counts(|c| c & 2 == 0 && c & 4 == 0), split.counts(|c| c & 6 == 4)));
    let (model, _) = fit(&train_counts, calibration, stage_count);
    // The CRM's probability of a past state: its stage's probability (history mode only).
    let crm_has_probabilities = !crm_table.is_empty();
    let crm_p = |s: u32| -> Option<f64> {
        let stage = &keys.keys[state_stage(s) as usize];
        if !use_history || stage.is_empty() {
            return None;
        }
        crm_table.get(stage).copied().or_else(|| default_stage_probability(stage))
    };
    let mut learned_all = Vec::with_capacity(test_counts.len());
    let (mut learned_cmp, mut crm_cmp, mut base_cmp) = (Vec::new(), Vec::new(), Vec::new());
    for ((s, owner), t) in &test_counts {
        let p = model.predict(*s, *owner);
        learned_all.push((p, *t));
        if let Some(c) = crm_p(*s) {
            learned_cmp.push((p, *t));
            crm_cmp.push((c, *t));
            base_cmp.push((model.overall, *t));
        }
    }
    let examples = |points: &[(f64, Tally)]| points.iter().map(|(_, t)| t.n).sum::<f64>() as usize;
    if crm_cmp.is_empty() {
        report.brier_learned = brier_binned(&learned_all);
        report.brier_base_rate =
            brier_binned(&learned_all.iter().map(|(_, t)| (model.overall, *t)).collect::<Vec<_>>());
        report.compared_examples = examples(&learned_all);
        report.calibration = calibration_table_binned(&learned_all);
        report.evaluation_note = if use_history {
            "No CRM or standard stage probability for the test deals' stages: only the learned model is scored.".into()
        } else {
            "Without stage history the CRM's probability at earlier points of a closed deal's life is unknown (closed deals carry 0 % or 100 %), so only the learned model is scored, next to the base rate.".into()
        };
    } else {
        report.brier_learned = brier_binned(&learned_cmp);
        report.brier_crm = brier_binned(&crm_cmp);
        report.brier_base_rate = brier_binned(&base_cmp);
        report.compared_examples = examples(&crm_cmp);
        report.calibration = calibration_table_binned(&learned_cmp);
        report.calibration_crm = calibration_table_binned(&crm_cmp);
        report.crm_probability_source = Some(if crm_has_probabilities {
            "the CRM's probability per stage (mean over open deals in the stage; standard stage table where a stage has none)".into()
        } else {
            "the standard stage probability table (the export has no probability column)".into()
        });
        let all = examples(&learned_all);
        if report.compared_examples < all {
            report.evaluation_note = format!(
                "{} of {} test examples have a stage with a CRM or standard probability; both scores are on those.",
                report.compared_examples, all
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_buckets_and_labels() {
        assert_eq!(age_bucket(-5), 0);
        assert_eq!(age_bucket(29), 0);
        assert_eq!(age_bucket(30), 1);
        assert_eq!(age_bucket(400), 5);
        assert_eq!(age_bucket_label(1), "30-59d");
        assert_eq!(age_bucket_label(5), "365d+");
    }

    #[test]
    fn brier_and_calibration_by_hand() {
        // (0.8-1)² + (0.3-0)² + (0.5-1)² = 0.04 + 0.09 + 0.25 = 0.38 → /3
        let pairs = [(0.8, true), (0.3, false), (0.5, true)];
        assert!((brier(&pairs).unwrap() - 0.38 / 3.0).abs() < 1e-12);
        assert_eq!(brier(&[]), None);
        let t = calibration_table(&pairs);
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].lo, t[0].count, t[0].observed), (0.3, 1, 0.0));
    }

    #[test]
    fn binned_scores_equal_the_examples_they_stand_for() {
        // (0.8, won), (0.8, lost), (0.3, lost): Brier (0.04 + 0.64 + 0.09) / 3.
        let pairs = [(0.8, true), (0.8, false), (0.3, false)];
        let binned = [(0.8, Tally { won: 1.0, n: 2.0 }), (0.3, Tally { won: 0.0, n: 1.0 })];
        assert!((brier_binned(&binned).unwrap() - 0.77 / 3.0).abs() < 1e-12);
        assert!((brier(&pairs).unwrap() - 0.77 / 3.0).abs() < 1e-12);
        assert_eq!(calibration_table_binned(&binned), calibration_table(&pairs));
        assert_eq!(brier_binned(&[]), None);
        let (a, b) = fit_platt(&pairs);
        let (a2, b2) = fit_platt_binned(&binned);
        assert!((a - a2).abs() < 1e-12 && (b - b2).abs() < 1e-12);
    }

    #[test]
    fn states_and_time_cuts() {
        for stage in [0, 3] {
            for bucket in [None, Some(0), Some(5)] {
                let s = state(stage, bucket);
                assert_eq!((state_stage(s), state_bucket(s)), (stage, bucket));
            }
        }
        // 10 closes, 30 % held out: the cut is the 7th smallest (index 7 of the sorted list).
        let mut closes = [9, 3, 7, 1, 5, 8, 2, 6, 4, 10];
        assert_eq!(time_cut(&mut closes, 0.3), Some(8));
        assert_eq!(time_cut(&mut [4, 4, 4], 0.3), None);
        assert_eq!(time_cut(&mut [4], 0.3), None);
    }

    #[test]
    fn platt_is_identity_on_calibrated_data() {
        let mut pts = Vec::new();
        for k in 1..10 {
            let p = k as f64 / 10.0;
            for j in 0..100 {
                pts.push((p, (j as f64) < p * 100.0));
            }
        }
        let (a, b) = fit_platt(&pts);
        assert!(a.abs() < 0.05 && (b - 1.0).abs() < 0.05, "{a} {b}");
    }
}
