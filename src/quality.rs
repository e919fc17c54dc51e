//! Data quality (SPEC §5): the checks, the rows behind each, and a 0–100 score.
//!
//! The score is a weighted mean of sub-scores, each `100 × (1 − affected ÷ checked)`, so a
//! reader can see which part of the data pulls it down and recompute it by hand. `checked` is
//! the rows a dimension's checks examine: validity every data row read; completeness and
//! uniqueness the deals; consistency the deals plus the stage-history rows and the leads that
//! name a deal; timeliness the open deals. A dimension with nothing to check scores 100.

use crate::ingest::report::FileReport;
use crate::message::Message;
use crate::model::{
    hash_text, later_copies, tag_of, tag_of_key, Dataset, Day, HistoryDeals, Origin, Status, Sym, SymbolColumn, NO_DAY,
};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// One check's result, with the rows behind it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub id: &'static str,
    /// Which sub-score it counts toward.
    pub dimension: Dimension,
    pub message: String,
    /// The message as a code and its parameters: the code is the finding's id; a finding of
    /// ingestion has the file, the reason (a message of its own) and the column's header.
    pub coded: Message,
    pub count: usize,
    /// The rows (file and line) behind the finding.
    pub rows: Vec<Origin>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// For name variants: the spellings that look like one name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Vec<String>>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Validity,
    Completeness,
    Uniqueness,
    Consistency,
    Timeliness,
}

impl Dimension {
    const ALL: [(Dimension, f64); 5] = [
        (Dimension::Validity, 0.25),
        (Dimension::Completeness, 0.20),
        (Dimension::Uniqueness, 0.15),
        (Dimension::Consistency, 0.25),
        (Dimension::Timeliness, 0.15),
    ];
}

/// A sub-score and how it was computed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct SubScore {
    pub dimension: Dimension,
    pub weight: f64,
    pub score: f64,
    /// Distinct rows with at least one finding of this dimension.
    pub affected_rows: usize,
    pub checked_rows: usize,
}

/// The quality section of a report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Default, Debug, Serialize)]
pub struct QualityReport {
    /// 0–100, the weighted mean of `breakdown`.
    pub score: f64,
    pub breakdown: Vec<SubScore>,
    pub findings: Vec<Finding>,
    /// Per file: rows read/used/rejected with reasons, skipped lines, unreadable cells.
    pub files: Vec<FileReport>,
}

/// Lower-case, punctuation-free, single-spaced, without company suffixes: "ACME, Inc." and
/// "Acme Inc" compare equal; so do "Jon  Smith" and "jon smith".
pub fn name_key(name: &str) -> String {
    let mut key = String::new();
    name_key_into(name, &mut key);
    key
}

/// [`name_key`] written into `key` (cleared first), without allocating for ASCII names.
pub fn name_key_into(name: &str, key: &mut String) {
    key.clear();
    if !name.is_ascii() {
        // Unicode lower-casing depends on context (a final sigma), so whole-string.
        let lower = name.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !is_stop_word(w)) {
            key.push_str(word);
        }
        return;
    }
    let mut word_start = 0;
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() {
            key.push(b.to_ascii_lowercase() as char);
        } else {
            if is_stop_word(&key[word_start..]) {
                key.truncate(word_start);
            }
            word_start = key.len();
        }
    }
    if is_stop_word(&key[word_start..]) {
        key.truncate(word_start);
    }
}

/// The words [`name_key`] drops (company suffixes and "the"); `crate::sql` writes its owner match
/// from this list.
pub const NAME_STOP_WORDS: &[&str] =
    &["inc", "ltd", "llc", "gmbh", "corp", "corporation", "co", "plc", "sa", "ag", "bv", "limited", "the"];

fn is_stop_word(word: &str) -> bool {
    NAME_STOP_WORDS.contains(&word)
}

/// Groups of spellings of one name in a symbol column, with the rows using a minority spelling.
/// One pass over the distinct names finds, for each, the first name with the same key
/// ([`later_copies`] on the keys' tags: the keys themselves are not kept; for 700,000 accounts
/// they were a second dictionary of 80 MiB). Then one pass over the rows.
fn variants(col: &SymbolColumn, origins: &[Origin]) -> (Vec<Vec<String>>, Vec<Origin>) {
    let names = col.names();
    // Each copy of an earlier name's key, with that first name (code 0, "" or missing, takes no
    // part); a key is worked out again only to confirm a tag that matches.
    let (mut key, mut mine, mut other) = (String::new(), String::new(), String::new());
    let copies = later_copies(
        names.len(),
        |code| code != 0,
        |code| {
            name_key_into(names.get(code as Sym), &mut key);
            tag_of(&key)
        },
        |code, earlier| {
            name_key_into(names.get(code as Sym), &mut mine);
            name_key_into(names.get(earlier as Sym), &mut other);
            mine == other
        },
    );
    let mut counts = vec![0u32; names.len()];
    for c in col.codes.iter() {
        counts[c as usize] += 1;
    }
    crate::work::add(2 * col.codes.len() + 2 * names.len());
    // The codes of each key that has several spellings, in code order, under the first.
    let mut members: HashMap<Sym, Vec<Sym>> = HashMap::default();
    for (code, first) in copies {
        members.entry(first as Sym).or_insert_with(|| vec![first as Sym]).push(code as Sym);
    }
    let mut groups = Vec::new();
    let mut minority_codes = vec![false; names.len()];
    for codes in members.values() {
        let main = *codes.iter().max_by_key(|&&c| (counts[c as usize], std::cmp::Reverse(c))).unwrap_or(&codes[0]);
        let mut spelled: Vec<String> = codes.iter().map(|&c| col.name(c).to_string()).collect();
        crate::sort::sort_by(&mut spelled, Ord::cmp);
        groups.push(spelled);
        codes.iter().filter(|&&c| c != main).for_each(|&c| minority_codes[c as usize] = true);
    }
    crate::sort::sort_by(&mut groups, Ord::cmp);
    let rows = col.codes.iter().zip(origins).filter(|(c, _)| minority_codes[*c as usize]).map(|(_, o)| *o).collect();
    (groups, rows)
}

/// Runs every family of checks over the dataset and the file reports, and scores each over the
/// rows it examined.
pub fn assess(ds: &Dataset, files: Vec<FileReport>, as_of: Day) -> QualityReport {
    assess_with(ds, &HistoryDeals::new(&ds.deals, &ds.stage_changes), files, as_of)
}

/// [`assess`], with each history row's deal found already (`found`, of `ds`).
pub fn assess_with(ds: &Dataset, found: &HistoryDeals, files: Vec<FileReport>, as_of: Day) -> QualityReport {
    let families =
        [validity(ds, &files), completeness(ds), uniqueness(ds), consistency(ds, found), timeliness(ds, as_of)];
    // Each dimension is scored over the rows its checks examine, so a large contacts file does
    // not dilute problems in the deals (and an empty pipeline is not "timely" by default).
    let breakdown: Vec<SubScore> = families
        .iter()
        .map(|f| {
            let weight = Dimension::ALL.iter().find(|(d, _)| *d == f.dimension).map_or(0.0, |(_, w)| *w);
            let checked = f.checked;
            let affected = distinct_rows(f.findings.iter()).min(checked);
            let score = if checked == 0 { 100.0 } else { 100.0 * (1.0 - affected as f64 / checked as f64) };
            SubScore { dimension: f.dimension, weight, score, affected_rows: affected, checked_rows: checked }
        })
        .collect();
    let score = breakdown.iter().map(|s| s.score * s.weight).sum::<f64>();
    let findings = families.into_iter().flat_map(|f| f.findings).collect();
    QualityReport { score, breakdown, findings, files }
}

/// One family of checks: what it found and how many rows it examined.
struct Family {
    dimension: Dimension,
    findings: Vec<Finding>,
    checked: usize,
}

impl Family {
    fn new(dimension: Dimension, checked: usize) -> Family {
        Family { dimension, findings: Vec::new(), checked }
    }

    /// Records a check's result when it found something.
    fn push(&mut self, id: &'static str, message: String, rows: Vec<Origin>, variants: Vec<Vec<String>>) {
        self.push_coded(id, message, Message::new(id), rows, variants);
    }

    /// [`Family::push`] with parameters for the message.
    fn push_coded(
        &mut self,
        id: &'static str,
        message: String,
        coded: Message,
        rows: Vec<Origin>,
        variants: Vec<Vec<String>>,
    ) {
        if !rows.is_empty() || !variants.is_empty() {
            let dimension = self.dimension;
            self.findings.push(Finding { id, dimension, message, coded, count: rows.len(), rows, variants });
        }
    }
}

/// The origins of the deals for which `pred` holds.
fn deals_where(ds: &Dataset, pred: impl Fn(usize) -> bool) -> Vec<Origin> {
    let d = &ds.deals;
    crate::work::add(d.len());
    (0..d.len()).filter(|&i| pred(i)).map(|i| d.origin[i]).collect()
}

/// Validity, over every data row read: rows rejected and cells that could not be read, from
/// ingestion.
fn validity(ds: &Dataset, files: &[FileReport]) -> Family {
    let mut out = Family::new(Dimension::Validity, files.iter().map(|f| f.rows_read).sum());
    for f in files {
        for g in &f.rejected.0 {
            let file = ds.files.iter().position(|n| *n == f.file).unwrap_or(0) as u32;
            let rows = g.lines.iter().map(|&line| Origin { file, line }).collect();
            let coded = Message::new("rejected_rows").with("file", f.file.as_str()).with("reason", g.coded.clone());
            out.push_coded("rejected_rows", format!("{}: rows not used: {}", f.file, g.reason), coded, rows, vec![]);
        }
        for g in &f.findings.0 {
            let file = ds.files.iter().position(|n| *n == f.file).unwrap_or(0) as u32;
            let rows = g.lines.iter().map(|&line| Origin { file, line }).collect();
            let col = g.header.as_deref().map(|h| format!(" (column '{h}')")).unwrap_or_default();
            let mut coded =
                Message::new("unreadable_cells").with("file", f.file.as_str()).with("reason", g.coded.clone());
            if let Some(h) = &g.header {
                coded = coded.with("header", h.as_str());
            }
            out.push_coded("unreadable_cells", format!("{}: {}{}", f.file, g.reason, col), coded, rows, vec![]);
        }
    }
    out
}

/// Completeness, over the deals: the fields a metric needs.
fn completeness(ds: &Dataset) -> Family {
    let d = &ds.deals;
    let mut out = Family::new(Dimension::Completeness, d.len());
    out.push(
        "won_missing_amount",
        "won deals with no amount".into(),
        deals_where(ds, |i| d.status[i] == Status::Won && d.amount[i].is_nan()),
        vec![],
    );
    out.push(
        "closed_missing_close_date",
        "closed deals with no close date".into(),
        deals_where(ds, |i| d.status[i] != Status::Open && d.close[i] == NO_DAY),
        vec![],
    );
    out.push(
        "open_missing_close_date",
        "open deals with no expected close date".into(),
        deals_where(ds, |i| d.status[i] == Status::Open && d.close[i] == NO_DAY),
        vec![],
    );
    out.push(
        "missing_created_date",
        "deals with no created date".into(),
        deals_where(ds, |i| d.created[i] == NO_DAY),
        vec![],
    );
    if d.owner.names().len() > 1 {
        out.push("missing_owner", "deals with no owner".into(), deals_where(ds, |i| d.owner.codes.get(i) == 0), vec![]);
    }
    if d.account.names().len() > 1 {
        out.push(
            "missing_account",
            "deals with no account".into(),
            deals_where(ds, |i| d.account.codes.get(i) == 0),
            vec![],
        );
    }
    out
}

/// Uniqueness, over the deals: the same id twice; the same name, account, amount and close date.
fn uniqueness(ds: &Dataset) -> Family {
    let d = &ds.deals;
    let mut out = Family::new(Dimension::Uniqueness, d.len());
    crate::work::add(d.len());
    let origins = |copies: Vec<(usize, usize)>| copies.into_iter().map(|(i, _)| d.origin[i]).collect();
    let dup_ids = later_copies(
        d.len(),
        |i| !d.id.get(i).is_empty(),
        |i| tag_of_key(&d.id.get(i)),
        |i, j| d.id.get(i) == d.id.get(j),
    );
    out.push(
        "duplicate_deal_id",
        "deals whose id appears earlier (later copies listed)".into(),
        origins(dup_ids),
        vec![],
    );
    let dup_content = later_copies(
        d.len(),
        |i| !d.name.get(i).is_empty(),
        |i| tag_of_key(&(hash_text(d.name.get(i)), d.account.codes.get(i), d.amount[i].to_bits(), d.close[i])),
        |i, j| {
            d.account.codes.get(i) == d.account.codes.get(j)
                && d.amount[i].to_bits() == d.amount[j].to_bits()
                && d.close[i] == d.close[j]
                && d.name.get(i) == d.name.get(j)
        },
    );
    out.push(
        "duplicate_deal_content",
        "deals with the same name, account, amount and close date as an earlier one".into(),
        origins(dup_content),
        vec![],
    );
    out
}

/// Consistency, over the deals plus the stage-history rows and the leads that name a deal:
/// values that contradict each other, spelling variants, and files that do not agree.
fn consistency(ds: &Dataset, found: &HistoryDeals) -> Family {
    let d = &ds.deals;
    let cross = if d.is_empty() {
        0
    } else {
        ds.stage_changes.len() + (0..ds.leads.len()).filter(|&i| !ds.leads.deal_id.get(i).is_empty()).count()
    };
    crate::work::add(ds.leads.len());
    let mut out = Family::new(Dimension::Consistency, d.len() + cross);
    out.push(
        "won_zero_amount",
        "won deals with amount 0".into(),
        deals_where(ds, |i| d.status[i] == Status::Won && d.amount[i] == 0.0),
        vec![],
    );
    out.push(
        "close_before_created",
        "deals closing before they were created".into(),
        deals_where(ds, |i| d.close[i] != NO_DAY && d.created[i] != NO_DAY && d.close[i] < d.created[i]),
        vec![],
    );
    out.push(
        "probability_vs_status",
        "probability inconsistent with status (won below 100%, lost above 0%, open at 0% or 100%)".into(),
        deals_where(ds, |i| {
            let p = d.probability[i];
            !p.is_nan()
                && match d.status[i] {
                    Status::Won => p < 1.0,
                    Status::Lost => p > 0.0,
                    Status::Open => false,
                }
        }),
        vec![],
    );
    for (id, label, col) in [
        ("owner_variants", "owner", &d.owner),
        ("account_variants", "account", &d.account),
        ("stage_variants", "stage", &d.stage),
        ("product_variants", "product", &d.product),
    ] {
        let (groups, rows) = variants(col, &d.origin);
        out.push(id, format!("{label} names spelled more than one way"), rows, groups);
    }
    // Stages in the history that no deal uses, and history for deals not in the deals file.
    if !ds.stage_changes.is_empty() && !d.is_empty() {
        // Per stage name, not per row: the names the deals use (a symbol table keeps the names
        // of rows since dropped), then each history name once.
        let mut used = vec![false; d.stage.names().len()];
        for code in d.stage.codes.iter() {
            used[code as usize] = true;
        }
        let deal_stages: rustc_hash::FxHashSet<&str> =
            d.stage.names().iter().zip(&used).filter(|(_, &u)| u).map(|(n, _)| n).collect();
        let h = &ds.stage_changes;
        let unknown_stage: Vec<bool> =
            h.stage.names().iter().map(|n| !n.is_empty() && !deal_stages.contains(n)).collect();
        crate::work::add(d.len() + used.len() + unknown_stage.len() + 2 * h.len());
        let unknown: Vec<Origin> =
            (0..h.len()).filter(|&i| unknown_stage[h.stage.codes.get(i) as usize]).map(|i| h.origin[i]).collect();
        out.push("unknown_stage", "stage history rows with a stage no deal has".into(), unknown, vec![]);
        // A field-history close-date change is two rows of one line (the date replaced, the new one).
        let orphans: Vec<Origin> = (0..h.len())
            .filter(|&i| !found.known(i) && (i == 0 || h.origin[i] != h.origin[i - 1]))
            .map(|i| h.origin[i])
            .collect();
        out.push("history_unknown_deal", "stage history rows for deals not in the deals file".into(), orphans, vec![]);
    }
    // Cross-file: converted leads pointing at deals that do not exist; won accounts without a customer record.
    if !ds.leads.is_empty() && !d.is_empty() {
        let known_ids: rustc_hash::FxHashSet<&str> = d.id.iter().collect();
        let l = &ds.leads;
        crate::work::add(d.len() + l.len());
        let orphans: Vec<Origin> = (0..l.len())
            .filter(|&i| !l.deal_id.get(i).is_empty() && !known_ids.contains(l.deal_id.get(i)))
            .map(|i| l.origin[i])
            .collect();
        out.push(
            "lead_unknown_deal",
            "leads converted to a deal that is not in the deals file".into(),
            orphans,
            vec![],
        );
    }
    if !ds.revenue_lines.is_empty() && !d.is_empty() {
        let r = &ds.revenue_lines;
        let customers: rustc_hash::FxHashSet<String> =
            r.customer.names().iter().chain(r.customer_name.names().iter()).map(name_key).collect();
        // Per account spelling, not per row: does it name a customer?
        let mut key = String::new();
        let known: Vec<bool> = d
            .account
            .names()
            .iter()
            .map(|n| {
                name_key_into(n, &mut key);
                customers.contains(key.as_str())
            })
            .collect();
        crate::work::add(r.customer.names().len() + r.customer_name.names().len() + known.len());
        let missing = deals_where(ds, |i| {
            d.status[i] == Status::Won && d.account.codes.get(i) != 0 && !known[d.account.codes.get(i) as usize]
        });
        out.push(
            "won_account_without_customer",
            "won deals whose account has no customer record in the revenue lines".into(),
            missing,
            vec![],
        );
    }
    out
}

/// Timeliness, over the open deals: open deals already past their close date.
fn timeliness(ds: &Dataset, as_of: Day) -> Family {
    let d = &ds.deals;
    crate::work::add(d.len());
    let open = d.status.iter().filter(|&&s| s == Status::Open).count();
    let mut out = Family::new(Dimension::Timeliness, open);
    out.push(
        "past_due_open",
        "open deals whose close date is before the as-of date".into(),
        deals_where(ds, |i| d.status[i] == Status::Open && d.close[i] != NO_DAY && d.close[i] < as_of),
        vec![],
    );
    out
}

/// Rows named by at least one of `findings`, each counted once: a bit per (file, line), so the
/// cost is linear in the rows listed (a sort would be n log n, a hash set misses the cache).
fn distinct_rows<'a>(findings: impl Iterator<Item = &'a Finding> + Clone) -> usize {
    let mut last_line: Vec<usize> = Vec::new();
    let mut listed = 0usize;
    for o in findings.clone().flat_map(|f| f.rows.iter()) {
        let file = o.file as usize;
        if last_line.len() <= file {
            last_line.resize(file + 1, 0);
        }
        last_line[file] = last_line[file].max(o.line as usize);
        listed += 1;
    }
    let mut seen: Vec<Vec<u64>> = last_line.iter().map(|&n| vec![0u64; n / 64 + 1]).collect();
    let mut distinct = 0usize;
    for o in findings.flat_map(|f| f.rows.iter()) {
        let (word, bit) = (o.line as usize / 64, 1u64 << (o.line % 64));
        let w = &mut seen[o.file as usize][word];
        if *w & bit == 0 {
            *w |= bit;
            distinct += 1;
        }
    }
    crate::work::add(2 * listed + last_line.iter().map(|n| n / 64 + 1).sum::<usize>());
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 4 deals, as of 2024-02-01: one won at zero (consistency 1/4), one open deal past its
    /// close date of two open (timeliness 1/2), nothing else.
    #[test]
    fn score_by_hand() {
        let csv =
            "Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date,Created Date\n\
                   1,A,Acme,Ann,Closed Won,100,2024-01-10,2024-01-01\n\
                   2,B,Beta,Ann,Closed Won,0,2024-01-12,2024-01-02\n\
                   3,C,Gamma,Bob,Prospecting,50,2024-01-05,2024-01-03\n\
                   4,D,Delta,Bob,Prospecting,70,2024-03-01,2024-01-04\n";
        let opts = crate::report::ReportOptions { as_of: Some("2024-02-01".into()), ..Default::default() };
        let q = crate::report::analyze(&[("deals.csv", csv.as_bytes())], &opts).unwrap().quality;
        let ids: Vec<&str> = q.findings.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["won_zero_amount", "past_due_open"]);
        let sub: Vec<(f64, usize, usize)> =
            q.breakdown.iter().map(|s| (s.score, s.affected_rows, s.checked_rows)).collect();
        assert_eq!(sub, [(100.0, 0, 4), (100.0, 0, 4), (100.0, 0, 4), (75.0, 1, 4), (50.0, 1, 2)]);
        // 0.25·100 + 0.20·100 + 0.15·100 + 0.25·75 + 0.15·50
        assert!((q.score - 86.25).abs() < 1e-9, "{}", q.score);
    }

    #[test]
    fn name_keys_fold_variants() {
        assert_eq!(name_key("Jon  Smith"), name_key("jon smith"));
        assert_eq!(name_key("ACME, Inc."), name_key("Acme"));
        assert_eq!(name_key("GTXPro"), name_key("GTX Pro"));
        assert_ne!(name_key("Jon Smith"), name_key("Jan Smith"));
    }

    /// Later copies are listed, the first is not: id 1 three times (lines 3 and 5 listed); two
    /// deals with the same name, account, amount and close date (line 7, a copy of line 6; lines
    /// 8 and 9 differ from it by amount); an empty id is never a duplicate id.
    #[test]
    fn duplicates_by_hand() {
        let csv = "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date\n\
                   1,A,Acme,Closed Won,100,2024-01-10\n\
                   1,B,Acme,Closed Won,100,2024-01-10\n\
                   2,C,Beta,Closed Won,5,2024-01-11\n\
                   1,D,Beta,Closed Won,5,2024-01-12\n\
                   3,E,Gamma,Closed Won,7,2024-01-13\n\
                   4,E,Gamma,Closed Won,7,2024-01-13\n\
                   ,E,Gamma,Closed Won,8,2024-01-13\n\
                   ,E,Gamma,Closed Won,,2024-01-13\n";
        let opts = crate::report::ReportOptions { as_of: Some("2024-02-01".into()), ..Default::default() };
        let q = crate::report::analyze(&[("deals.csv", csv.as_bytes())], &opts).unwrap().quality;
        let lines = |id: &str| -> Vec<u32> {
            q.findings.iter().find(|f| f.id == id).map_or(vec![], |f| f.rows.iter().map(|o| o.line).collect())
        };
        assert_eq!(lines("duplicate_deal_id"), [3, 5]);
        assert_eq!(lines("duplicate_deal_content"), [7]);
    }

    /// History rows checked against the deals: line 3's stage "Ghost" is no deal's stage (line
    /// 5's "Negotiation" is: deal 2 is in it); line 4's deal 9 is not in the deals file.
    #[test]
    fn history_rows_with_an_unknown_stage_or_deal_by_hand() {
        let deals = "Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Created Date\n\
                     1,A,Closed Won,100,2024-01-10,2024-01-01\n\
                     2,B,Negotiation,50,2024-03-01,2024-01-02\n";
        let history = "Opportunity ID,Stage,Created Date\n\
                       1,Prospecting,2024-01-01\n\
                       1,Ghost,2024-01-05\n\
                       9,Prospecting,2024-01-03\n\
                       2,Negotiation,2024-01-04\n";
        let opts = crate::report::ReportOptions { as_of: Some("2024-02-01".into()), ..Default::default() };
        let files = [("deals.csv", deals.as_bytes()), ("opportunity_history.csv", history.as_bytes())];
        let q = crate::report::analyze(&files, &opts).unwrap().quality;
        let lines = |id: &str| -> Vec<u32> {
            q.findings.iter().find(|f| f.id == id).map_or(vec![], |f| f.rows.iter().map(|o| o.line).collect())
        };
        // "Prospecting" is no deal's current stage either: lines 2 and 4 with line 3.
        assert_eq!(lines("unknown_stage"), [2, 3, 4]);
        assert_eq!(lines("history_unknown_deal"), [4]);
    }

    #[test]
    fn name_key_of_non_ascii_names_folds_case_per_word() {
        assert_eq!(name_key("ÖSTERREICH Bank GmbH"), "österreichbank");
        assert_eq!(name_key("บริษัท ไทย จำกัด"), name_key("บริษัท  ไทย จำกัด"));
        assert_eq!(name_key("The Acme Co."), "acme");
        assert_eq!(name_key("Inc."), "");
    }
}
