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

use crate::metrics::sales::{deal_probability, default_stage_probability};
use crate::model::{date_from_day, Dataset, Day, Status, Sym, NO_DAY};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

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
    date_from_day(day).map(|d| d.format("%Y-%m-%d").to_string())
}

/// One training or test example: a state a closed deal passed through, and how it ended.
#[derive(Clone, Debug, PartialEq)]
struct Example {
    /// Normalised stage ("" when unknown or not used), shared by the examples of that stage.
    stage: Rc<str>,
    /// Age bucket; None when the deal has no created date.
    bucket: Option<u8>,
    owner: Sym,
    won: bool,
    /// Close date of the deal the example comes from (for time splits).
    close: Day,
}

/// Closed deals' stage paths: deal id → [(day entered, stage symbol of the history)], by date
/// (same-day entries by stage name).
fn stage_paths(ds: &Dataset, as_of: Day) -> HashMap<&str, Vec<(Day, Sym)>> {
    let mut paths: HashMap<&str, Vec<(Day, Sym)>> = HashMap::default();
    let h = &ds.stage_changes;
    for k in 0..h.len() {
        let at = h.at[k];
        if at == NO_DAY || at > as_of {
            continue;
        }
        paths.entry(h.deal_id.get(k)).or_default().push((at, h.stage.codes[k]));
    }
    for p in paths.values_mut() {
        p.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| h.stage.name(a.1).cmp(h.stage.name(b.1))));
    }
    paths
}

/// The history's stages, computed once per distinct name (not once per row).
struct HistoryStages {
    /// Per stage symbol: its normalised key and whether it is an open stage.
    by_sym: Vec<(Rc<str>, bool)>,
    /// The key of examples without a stage.
    none: Rc<str>,
}

fn history_stages(ds: &Dataset) -> HistoryStages {
    let by_sym = ds.stage_changes.stage.names().iter().map(|n| (Rc::from(stage_key(n)), is_open_stage(n))).collect();
    HistoryStages { by_sym, none: Rc::from("") }
}

/// Indices of the closed deals usable for training: closed on a known day not after as-of,
/// first row of each id (exact duplicate rows would count twice otherwise).
fn closed_deals(ds: &Dataset, as_of: Day) -> Vec<usize> {
    let d = &ds.deals;
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for i in 0..d.len() {
        if d.status[i] == Status::Open || d.close[i] == NO_DAY || d.close[i] > as_of {
            continue;
        }
        if d.created[i] != NO_DAY && d.created[i] > as_of {
            continue;
        }
        let id = d.id.get(i);
        if !id.is_empty() && !seen.insert(id) {
            continue;
        }
        out.push(i);
    }
    out
}

/// The examples of closed deal `i` (see the module docs).
fn deal_examples<'s>(
    ds: &Dataset,
    i: usize,
    path: Option<&[(Day, Sym)]>,
    stages: &'s HistoryStages,
    out: &mut Vec<Example>,
) {
    let d = &ds.deals;
    let (created, close, owner, won) = (d.created[i], d.close[i], d.owner.codes[i], d.status[i] == Status::Won);
    let mut states: BTreeSet<(&'s Rc<str>, Option<u8>)> = BTreeSet::new();
    let age = |day: Day| day as i64 - created as i64;
    let add_span = |stage: &'s Rc<str>, from: Day, to: Day, states: &mut BTreeSet<(&'s Rc<str>, Option<u8>)>| {
        if created == NO_DAY {
            states.insert((stage, None));
            return;
        }
        let (a, b) = (age(from).max(0), age(to.max(from)).max(0));
        for bucket in age_bucket(a)..=age_bucket(b) {
            states.insert((stage, Some(bucket)));
        }
    };
    let stints: Vec<(Day, &'s Rc<str>)> = path
        .unwrap_or(&[])
        .iter()
        .filter(|(at, s)| *at <= close && stages.by_sym[*s as usize].1)
        .map(|&(at, s)| (at, &stages.by_sym[s as usize].0))
        .collect();
    if stints.is_empty() {
        let from = if created == NO_DAY { close } else { created.min(close) };
        add_span(&stages.none, from, close, &mut states);
    } else {
        for (k, (at, stage)) in stints.iter().enumerate() {
            let end = stints.get(k + 1).map_or(close, |n| n.0);
            add_span(stage, *at, end, &mut states);
        }
    }
    out.extend(states.into_iter().map(|(stage, bucket)| Example {
        stage: Rc::clone(stage),
        bucket,
        owner,
        won,
        close,
    }));
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The fitted hierarchy (see the module docs).
#[derive(Clone, Debug)]
struct Model {
    overall: f64,
    stage: HashMap<String, f64>,
    /// Stage → rate per age bucket (None where no example fell).
    stage_age: HashMap<String, [Option<f64>; AGE_BUCKETS.len() + 1]>,
    owner: HashMap<Sym, f64>,
    /// Platt intercept and slope on the logit scale.
    platt: (f64, f64),
}

impl Model {
    /// Fits the shrunk cell rates and owner offsets (no calibration). `examples` must not be empty.
    fn fit_cells(examples: &[Example]) -> Model {
        let n = examples.len() as f64;
        let overall = examples.iter().filter(|e| e.won).count() as f64 / n;
        let mut by_stage: HashMap<&str, (f64, f64)> = HashMap::default();
        let mut by_cell: HashMap<(&str, u8), (f64, f64)> = HashMap::default();
        for e in examples {
            let w = f64::from(u8::from(e.won));
            let s = by_stage.entry(&e.stage).or_default();
            s.0 += w;
            s.1 += 1.0;
            if let Some(b) = e.bucket {
                let c = by_cell.entry((&*e.stage, b)).or_default();
                c.0 += w;
                c.1 += 1.0;
            }
        }
        let stage: HashMap<String, f64> =
            by_stage.iter().map(|(s, (w, n))| (s.to_string(), (w + K_STAGE * overall) / (n + K_STAGE))).collect();
        let mut stage_age: HashMap<String, [Option<f64>; AGE_BUCKETS.len() + 1]> = HashMap::default();
        for ((s, b), (w, n)) in &by_cell {
            stage_age.entry(s.to_string()).or_default()[*b as usize] = Some((w + K_AGE * stage[*s]) / (n + K_AGE));
        }
        let mut model = Model { overall, stage, stage_age, owner: HashMap::default(), platt: (0.0, 1.0) };
        // Owner offsets: one-dimensional MAP logistic fits over the owner's examples.
        let mut by_owner: BTreeMap<Sym, Vec<(f64, bool)>> = BTreeMap::new();
        for e in examples {
            by_owner.entry(e.owner).or_default().push((logit(model.cell_rate(&e.stage, e.bucket)), e.won));
        }
        let prior = 1.0 / (OWNER_SD * OWNER_SD);
        for (owner, xs) in by_owner {
            let mut delta = 0.0;
            for _ in 0..30 {
                let (mut g, mut h) = (-prior * delta, prior);
                for (x, y) in &xs {
                    let p = sigmoid(x + delta);
                    g += f64::from(u8::from(*y)) - p;
                    h += p * (1.0 - p);
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

    fn cell_rate(&self, stage: &str, bucket: Option<u8>) -> f64 {
        let stage_rate = self.stage.get(stage).copied().unwrap_or(self.overall);
        match bucket {
            Some(b) => {
                self.stage_age.get(stage).and_then(|r| r.get(b as usize).copied().flatten()).unwrap_or(stage_rate)
            }
            None => stage_rate,
        }
    }

    fn raw(&self, stage: &str, bucket: Option<u8>, owner: Sym) -> f64 {
        let x = logit(self.cell_rate(stage, bucket)) + self.owner.get(&owner).copied().unwrap_or(0.0);
        sigmoid(x)
    }

    fn predict(&self, stage: &str, bucket: Option<u8>, owner: Sym) -> f64 {
        let (a, b) = self.platt;
        let p = sigmoid(a + b * logit(self.raw(stage, bucket, owner)));
        if p.is_finite() {
            p
        } else {
            self.overall
        }
    }
}

/// Platt scaling fitted by Newton's method with a ridge toward the identity map.
fn fit_platt(points: &[(f64, bool)]) -> (f64, f64) {
    let (mut a, mut b) = (0.0f64, 1.0f64);
    let lambda = PLATT_RIDGE;
    for _ in 0..50 {
        let (mut ga, mut gb) = (-lambda * a, -lambda * (b - 1.0));
        let (mut haa, mut hab, mut hbb) = (lambda, 0.0, lambda);
        for (p, y) in points {
            let x = logit(*p);
            let q = sigmoid(a + b * x);
            let r = f64::from(u8::from(*y)) - q;
            let w = q * (1.0 - q);
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

/// Close date that leaves the latest `share` of `examples`' deals after it (None when either
/// side would be empty).
fn time_cut(closes: &mut [Day], share: f64) -> Option<Day> {
    closes.sort_unstable();
    if closes.len() < 2 {
        return None;
    }
    let k = ((closes.len() as f64) * (1.0 - share)).round() as usize;
    let cut = closes[k.clamp(1, closes.len() - 1)];
    (closes[0] < cut).then_some(cut)
}

/// Fits cells on all of `train`, with a Platt map fitted out of sample on its latest part.
/// Returns the model and a note on the calibration.
fn fit(train: &[Example]) -> (Model, String) {
    let mut model = Model::fit_cells(train);
    let mut closes: Vec<Day> = train.iter().map(|e| e.close).collect();
    closes.dedup();
    let note = match time_cut(&mut closes, HOLDOUT_SHARE) {
        Some(cut) => {
            let (early, late): (Vec<Example>, Vec<Example>) = train.iter().cloned().partition(|e| e.close < cut);
            let wins = late.iter().filter(|e| e.won).count();
            if early.len() >= 30 && late.len() >= 30 && wins > 0 && wins < late.len() {
                let inner = Model::fit_cells(&early);
                let points: Vec<(f64, bool)> =
                    late.iter().map(|e| (inner.raw(&e.stage, e.bucket, e.owner), e.won)).collect();
                model.platt = fit_platt(&points);
                format!(
                    "Platt-calibrated (a = {:.2}, b = {:.2}) on the {} latest training examples, predicted by cells fitted on the earlier ones.",
                    model.platt.0,
                    model.platt.1,
                    late.len()
                )
            } else {
                "Not calibrated: too little history for an out-of-sample calibration split.".to_string()
            }
        }
        None => "Not calibrated: too little history for an out-of-sample calibration split.".to_string(),
    };
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
    pub by_row: Vec<Option<f64>>,
}

/// Whether open deals are in the window: created (if known) on or before as-of.
pub(crate) fn is_open_at(ds: &Dataset, i: usize, as_of: Day) -> bool {
    let d = &ds.deals;
    d.status[i] == Status::Open && (d.created[i] == NO_DAY || d.created[i] <= as_of)
}

/// The CRM's probability per normalised stage: the mean over open deals in the stage.
fn crm_stage_table(ds: &Dataset, as_of: Day) -> HashMap<String, f64> {
    let d = &ds.deals;
    let mut sums: HashMap<String, (f64, f64)> = HashMap::default();
    for i in 0..d.len() {
        let p = d.probability[i];
        if is_open_at(ds, i, as_of) && p.is_finite() {
            let e = sums.entry(stage_key(d.stage.get(i))).or_default();
            e.0 += p.clamp(0.0, 1.0);
            e.1 += 1.0;
        }
    }
    sums.into_iter().map(|(k, (s, n))| (k, s / n)).collect()
}

/// Learns win probabilities from the deals closed on or before `as_of` and applies them to the
/// deals open at `as_of`; see the module docs. Never panics; degrades to the overall win rate
/// (or, with no closed deal at all, to the CRM probability) and says so in `method`.
pub fn learn_win_probability(ds: &Dataset, as_of: Day) -> LearnedWinProbability {
    let d = &ds.deals;
    let paths = stage_paths(ds, as_of);
    let stages = history_stages(ds);
    let closed = closed_deals(ds, as_of);
    let with_history = closed.iter().filter(|&&i| paths.contains_key(d.id.get(i))).count();
    let use_history = with_history >= 10 && with_history * 2 >= closed.len();
    let examples_of = |rows: &[usize]| {
        let mut ex = Vec::new();
        for &i in rows {
            let path = if use_history { paths.get(d.id.get(i)).map(Vec::as_slice) } else { None };
            deal_examples(ds, i, path, &stages, &mut ex);
        }
        ex
    };
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
            closed.len()
        ));
    }

    // Final model on every closed deal.
    let train_all = examples_of(&closed);
    let fitted = if train_all.is_empty() { None } else { Some(fit(&train_all)) };
    if let Some((_, note)) = &fitted {
        method.push_str(note);
    } else {
        method.push_str("No closed deal before the as-of date: nothing to learn from, so the CRM's probability (or the standard stage default, else 0) is used.");
    }

    let mut by_row = vec![None; d.len()];
    let mut deals = Vec::new();
    for (i, slot) in by_row.iter_mut().enumerate() {
        if !is_open_at(ds, i, as_of) {
            continue;
        }
        let age = (d.created[i] != NO_DAY).then(|| (as_of as i64 - d.created[i] as i64).max(0));
        let stage = if use_history { stage_key(d.stage.get(i)) } else { String::new() };
        let p_crm = deal_probability(d, i).filter(|p| p.is_finite()).map(|p| p.clamp(0.0, 1.0));
        let p = match &fitted {
            Some((m, _)) => m.predict(&stage, age.map(age_bucket), d.owner.codes[i]),
            None => p_crm.unwrap_or(0.0),
        };
        *slot = Some(p);
        deals.push(DealProbability {
            id: d.id.get(i).to_string(),
            name: d.name.get(i).to_string(),
            owner: d.owner.get(i).to_string(),
            stage: d.stage.get(i).to_string(),
            age_days: age,
            amount: d.amount[i].is_finite().then_some(d.amount[i]),
            close: iso(d.close[i]),
            p_learned: p,
            p_crm,
        });
    }
    deals.sort_by(|a, b| a.close.cmp(&b.close).then(a.id.cmp(&b.id)));

    let mut report = WinProbabilityReport {
        method,
        features,
        training_deals: closed.len(),
        training_examples: train_all.len(),
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
    evaluate(ds, as_of, &closed, use_history, &examples_of, &mut report);
    LearnedWinProbability { report, by_row }
}

/// The time-split evaluation (fills the Brier and calibration fields of `report`).
fn evaluate(
    ds: &Dataset,
    as_of: Day,
    closed: &[usize],
    use_history: bool,
    examples_of: &dyn Fn(&[usize]) -> Vec<Example>,
    report: &mut WinProbabilityReport,
) {
    let d = &ds.deals;
    let mut closes: Vec<Day> = closed.iter().map(|&i| d.close[i]).collect();
    let Some(cut) = time_cut(&mut closes, HOLDOUT_SHARE) else {
        report.evaluation_note = "Not evaluated: too few closed deals for a time split.".into();
        return;
    };
    let (train, test): (Vec<usize>, Vec<usize>) = closed.iter().partition(|&&i| d.close[i] < cut);
    report.split_date = iso(cut);
    report.train_deals = train.len();
    report.test_deals = test.len();
    let train_ex = examples_of(&train);
    let test_ex = examples_of(&test);
    report.test_examples = test_ex.len();
    let train_wins = train.iter().filter(|&&i| d.status[i] == Status::Won).count();
    if train.len() < 20 || test.len() < 10 || train_wins == 0 || train_wins == train.len() {
        report.evaluation_note = format!(
            "Not evaluated: the time split at {} leaves {} training deals ({} won) and {} test deals; at least 20 training deals with both outcomes and 10 test deals are needed.",
            report.split_date.as_deref().unwrap_or("?"),
            train.len(),
            train_wins,
            test.len()
        );
        return;
    }
    let (model, _) = fit(&train_ex);
    // The CRM's probability of a past state: its stage's probability (history mode only).
    let crm_table = crm_stage_table(ds, as_of);
    let crm_has_probabilities = !crm_table.is_empty();
    let crm_p = |e: &Example| -> Option<f64> {
        if !use_history || e.stage.is_empty() {
            return None;
        }
        crm_table.get(&*e.stage).copied().or_else(|| default_stage_probability(&e.stage))
    };
    let mut learned_all = Vec::with_capacity(test_ex.len());
    let (mut learned_cmp, mut crm_cmp, mut base_cmp) = (Vec::new(), Vec::new(), Vec::new());
    for e in &test_ex {
        let p = model.predict(&e.stage, e.bucket, e.owner);
        learned_all.push((p, e.won));
        if let Some(c) = crm_p(e) {
            learned_cmp.push((p, e.won));
            crm_cmp.push((c, e.won));
            base_cmp.push((model.overall, e.won));
        }
    }
    if crm_cmp.is_empty() {
        report.brier_learned = brier(&learned_all);
        report.brier_base_rate = brier(&learned_all.iter().map(|(_, y)| (model.overall, *y)).collect::<Vec<_>>());
        report.compared_examples = learned_all.len();
        report.calibration = calibration_table(&learned_all);
        report.evaluation_note = if use_history {
            "No CRM or standard stage probability for the test deals' stages: only the learned model is scored.".into()
        } else {
            "Without stage history the CRM's probability at earlier points of a closed deal's life is unknown (closed deals carry 0 % or 100 %), so only the learned model is scored, next to the base rate.".into()
        };
    } else {
        report.brier_learned = brier(&learned_cmp);
        report.brier_crm = brier(&crm_cmp);
        report.brier_base_rate = brier(&base_cmp);
        report.compared_examples = crm_cmp.len();
        report.calibration = calibration_table(&learned_cmp);
        report.calibration_crm = calibration_table(&crm_cmp);
        report.crm_probability_source = Some(if crm_has_probabilities {
            "the CRM's probability per stage (mean over open deals in the stage; standard stage table where a stage has none)".into()
        } else {
            "the standard stage probability table (the export has no probability column)".into()
        });
        if crm_cmp.len() < learned_all.len() {
            report.evaluation_note = format!(
                "{} of {} test examples have a stage with a CRM or standard probability; both scores are on those.",
                crm_cmp.len(),
                learned_all.len()
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
