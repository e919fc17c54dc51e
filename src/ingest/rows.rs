//! Records to typed columns, one kind of file at a time.
//!
//! A row is rejected only when it cannot be the record at all (SPEC §2): a deal with no stage
//! or status, an amount that is not a number, a stage change with no deal or date. A missing
//! or unreadable optional cell keeps the row, leaves the field missing, and becomes a finding.

use super::report::FileReport;
use super::schema::{Field, FileKind, Mapping};
use super::text::RawRecord;
use super::values::{
    self, month_start_of, next_month, parse_amount, parse_bool, parse_probability, trim_text, DateOrder, DecimalMark,
    NumberStyle, ValueError,
};
use crate::model::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// Years a CRM row's date may fall in. Every monthly series of the report runs from the first
/// event to the last, so one date in year 1 or 9999 (a typo, a "never" sentinel) would make a
/// few bytes of input cost 120,000 months of work and output (found by fuzzing); outside these
/// years a date is unreadable, like any other bad date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// The first and last day of [`YEARS`] (1900-01-01 and 2199-12-31), as day numbers.
const YEAR_DAYS: std::ops::RangeInclusive<Day> = -25_567..=84_005;

fn in_years(raw: &str, day: Day) -> Result<Day, ValueError> {
    if YEAR_DAYS.contains(&day) {
        Ok(day)
    } else {
        Err(ValueError(format!("'{raw}' is outside the years {}–{}", YEARS.start(), YEARS.end())))
    }
}

fn parse_date(raw: &str, order: DateOrder) -> Result<Option<Day>, ValueError> {
    values::parse_date(raw, order)?.map(|d| in_years(raw, d)).transpose()
}

fn parse_month(raw: &str) -> Result<Option<Day>, ValueError> {
    values::parse_month(raw)?.map(|d| in_years(raw, d)).transpose()
}

fn parse_period(raw: &str, order: DateOrder) -> Result<Option<(Day, Day)>, ValueError> {
    values::parse_period(raw, order)?.map(|(start, end)| Ok((in_years(raw, start)?, end))).transpose()
}

/// Per-column reading choices made from the sample rows.
#[derive(Clone, Debug)]
pub struct ColumnStyles {
    pub number: Vec<NumberStyle>,
    pub date: Vec<DateOrder>,
    pub percent: Vec<bool>,
}

/// The rows of one file, typed.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per file; boxing buys nothing
pub enum KindData {
    Deals(Deals, StageChanges),
    Leads(Leads),
    StageHistory(StageChanges),
    RevenueLines(RevenueLines),
    Spend(Spend),
    Quotas(Quotas),
    OtherIncome(OtherIncome),
}

impl KindData {
    /// Appends the rows of the same kind read from a later part of the file (re-coding its
    /// symbols, as if its rows had come here one by one), their lines `shift` lines short.
    /// The later part is sealed first (its cells coded); this side's held cells are coded
    /// before the later names by [`SymbolColumn::extend_from`], its index kept for the next
    /// part.
    fn append(&mut self, mut later: KindData, shift: u32) {
        macro_rules! join {
            ($mine:expr, $theirs:expr) => {{
                for o in &mut $theirs.origin {
                    o.line += shift;
                }
                $mine.extend_from(&$theirs);
            }};
        }
        later.seal_symbols();
        match (self, later) {
            (KindData::Deals(d, h), KindData::Deals(mut ld, mut lh)) => {
                join!(d, ld);
                join!(h, lh);
            }
            (KindData::Leads(l), KindData::Leads(mut ll)) => join!(l, ll),
            (KindData::StageHistory(h), KindData::StageHistory(mut lh)) => join!(h, lh),
            (KindData::RevenueLines(r), KindData::RevenueLines(mut lr)) => join!(r, lr),
            (KindData::Spend(x), KindData::Spend(mut lx)) => join!(x, lx),
            (KindData::Quotas(q), KindData::Quotas(mut lq)) => join!(q, lq),
            (KindData::OtherIncome(o), KindData::OtherIncome(mut lo)) => join!(o, lo),
            _ => unreachable!("the parts of one file are of one kind"),
        }
    }

    /// Seals every symbol column ([`SymbolColumn::seal`]: the codes of the file's last batch
    /// written, interning's tables freed): done once, when the file ends.
    pub fn seal_symbols(&mut self) {
        match self {
            KindData::Deals(d, h) => {
                d.seal_symbols();
                h.stage.seal();
            }
            KindData::Leads(l) => l.seal_symbols(),
            KindData::StageHistory(h) => h.stage.seal(),
            KindData::RevenueLines(r) => r.seal_symbols(),
            KindData::Spend(_) | KindData::Quotas(_) | KindData::OtherIncome(_) => {}
        }
    }
}

/// User choices that change how rows are read.
#[derive(Clone, Debug, Default)]
pub struct RowOptions {
    /// Stage name (as written, case-insensitive) → status, over the built-in rules.
    pub stage_status: HashMap<String, Status>,
}

/// Builds one file's typed columns from its records.
pub struct RowBuilder {
    pub kind: FileKind,
    pub mapping: Mapping,
    styles: ColumnStyles,
    headers: Vec<String>,
    file: u32,
    stage_status: HashMap<String, Status>,
    pub data: KindData,
    pub report: FileReport,
    /// One-cell rows held back: if no full row follows, they are the report's footer.
    pub held: Vec<(u32, Vec<String>)>,
    /// Status implied by each stage name seen so far: the names interned, their statuses
    /// by code.
    stage_cache: (SymbolColumn, Vec<Status>),
    /// The column of each field (`Mapping::column`, looked up once): a row's cost does not
    /// grow with the header's width.
    field_columns: [Option<usize>; FIELD_COUNT],
    /// Each column's dates, amounts and probabilities read so far, by their text: a date
    /// column holds a few thousand distinct dates, and amounts and probabilities repeat, so
    /// most cells are read once per text, not once per row ([`read_cached`]).
    dates: Vec<ShortTexts<Day>>,
    amounts: Vec<ShortTexts<f64>>,
    probabilities: Vec<ShortTexts<f64>>,
}

/// `read(text)` of column `c`'s cell `text`, kept by the text (up to 16 bytes) in `cache[c]`,
/// so a short text is read once per column. What `read` cannot give a value for (an error,
/// reported where it is) is not kept, so each such cell is read, and reported, again.
fn read_cached<V: Copy, E>(
    cache: &mut Vec<ShortTexts<V>>,
    c: usize,
    text: &str,
    read: impl FnOnce(&str) -> Result<V, E>,
) -> Result<V, E> {
    let Some(key) = ShortKey::of(text) else { return read(text) };
    if let Some(value) = cache.get(c).and_then(|texts| texts.get(key)) {
        return Ok(value);
    }
    let value = read(text)?;
    if cache.len() <= c {
        cache.resize_with(c + 1, ShortTexts::default);
    }
    cache[c].put(key, value);
    Ok(value)
}

const FIELD_COUNT: usize = Field::Ignore as usize + 1;

/// How a stage name's key (its letters and digits, lower-cased) matches a word of
/// [`STAGE_STATUS_WORDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordMatch {
    Is,
    Contains,
    StartsWith,
}

/// The words that make a stage won or lost, tried in order (every won word before the lost
/// ones); a stage matching none is open. The one statement of the rule: [`status_from_stage`]
/// reads it, and the dbt project's staging models are generated from it (`sql::dbt`).
pub const STAGE_STATUS_WORDS: &[(Status, WordMatch, &str)] = &[
    (Status::Won, WordMatch::Is, "won"),
    (Status::Won, WordMatch::Contains, "closedwon"),
    (Status::Won, WordMatch::StartsWith, "won"),
    (Status::Won, WordMatch::Is, "dealwon"),
    (Status::Won, WordMatch::Is, "closedwin"),
    (Status::Won, WordMatch::Contains, "gewonnen"),
    (Status::Won, WordMatch::Is, "gagné"),
    (Status::Lost, WordMatch::Is, "lost"),
    (Status::Lost, WordMatch::Contains, "closedlost"),
    (Status::Lost, WordMatch::StartsWith, "lost"),
    (Status::Lost, WordMatch::Is, "deallost"),
    (Status::Lost, WordMatch::Contains, "verloren"),
    (Status::Lost, WordMatch::Is, "perdu"),
];

/// Status a stage name implies: "Closed Won", "closedwon", "Won", "Deal won" → won;
/// "Closed Lost", "Closed-Lost to Competition", "Lost" → lost; anything else → open
/// ([`STAGE_STATUS_WORDS`]).
pub fn status_from_stage(stage: &str) -> Status {
    let n: String = stage.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    STAGE_STATUS_WORDS
        .iter()
        .find(|(_, how, word)| match how {
            WordMatch::Is => n == *word,
            WordMatch::Contains => n.contains(word),
            WordMatch::StartsWith => n.starts_with(word),
        })
        .map_or(Status::Open, |(status, _, _)| *status)
}

/// A deal's status from the CRM's won and closed flags (Salesforce `IsWon`/`IsClosed`, HubSpot's
/// closed-won and closed stage flags) and what its stage name implies (`None`: no stage), when
/// no status text decides it first: the flags win, the stage fills in what they leave open, and
/// a stage that is open by name but closed by flag is lost. `None`: neither says (the row is
/// rejected). The one statement of the rule: the ingest reads it, and the dbt project's
/// staging models are generated from it (`sql::dbt`).
pub fn status_from_flags(is_won: Option<bool>, is_closed: Option<bool>, stage: Option<Status>) -> Option<Status> {
    let stage_says = stage.unwrap_or(Status::Open);
    match (is_won, is_closed) {
        (Some(true), _) => Some(Status::Won),
        (Some(false), Some(true)) => Some(Status::Lost),
        (Some(false), Some(false)) => Some(Status::Open),
        (Some(false), None) => Some(match stage_says {
            Status::Won => Status::Open,
            s => s,
        }),
        (None, _) => match (stage?, is_closed) {
            (Status::Open, Some(true)) => Some(Status::Lost),
            (s, _) => Some(s),
        },
    }
}

fn status_from_text(text: &str) -> Option<Status> {
    let n: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    match n.as_str() {
        "open" | "active" | "inprogress" | "pending" | "ongoing" => Some(Status::Open),
        "" => None,
        _ => match status_from_stage(text) {
            Status::Open => None,
            s => Some(s),
        },
    }
}

impl RowBuilder {
    pub fn new(
        kind: FileKind,
        mapping: Mapping,
        styles: ColumnStyles,
        headers: Vec<String>,
        file: u32,
        opts: &RowOptions,
        report: FileReport,
    ) -> RowBuilder {
        let data = RowBuilder::empty_data(kind);
        let stage_status = opts.stage_status.iter().map(|(k, v)| (k.trim().to_lowercase(), *v)).collect();
        let mut field_columns = [None; FIELD_COUNT];
        for (c, f) in mapping.columns.iter().enumerate().rev() {
            if let Some(f) = f {
                field_columns[*f as usize] = Some(c);
            }
        }
        crate::work::add(mapping.columns.len());
        RowBuilder {
            kind,
            mapping,
            styles,
            headers,
            file,
            stage_status,
            data,
            report,
            held: Vec::new(),
            stage_cache: (SymbolColumn::default(), vec![status_from_stage("")]),
            field_columns,
            dates: Vec::new(),
            amounts: Vec::new(),
            probabilities: Vec::new(),
        }
    }

    /// Reads one data record into the columns, or records why it cannot be used.
    pub fn push(&mut self, rec: &RawRecord) {
        self.report.rows_read += 1;
        // A row's cost is its cells and the fields looked up (a fixed number), not the header's
        // width; the stage-entry dates it has are counted where they are read.
        crate::work::add(rec.len() + 1);
        if rec.len() > self.headers.len()
            && (self.headers.len()..rec.len()).any(|i| !rec.bytes(i).iter().all(u8::is_ascii_whitespace))
        {
            let reason = format!("row has {} cells but the header has {} columns", rec.len(), self.headers.len());
            self.reject(rec.line, None, &reason, &rec.to_strings().join(","));
            return;
        }
        let mut row = Row { rec, b: self };
        let outcome = match row.b.kind {
            FileKind::Deals => row.deal(),
            FileKind::Leads => row.lead(),
            FileKind::StageHistory => row.stage_change(),
            FileKind::RevenueLines => row.revenue_line(),
            FileKind::Spend => row.spend(),
            FileKind::Quotas => row.quota(),
            FileKind::OtherIncome => row.other_income(),
        };
        match outcome {
            Ok(()) => self.report.rows_used += 1,
            Err(Reject { column, reason, value }) => self.reject(rec.line, column, &reason, &value),
        }
    }

    /// An empty builder for a later part of the same file, read beside this one (on another
    /// thread): it types rows as this one does, and [`RowBuilder::append`] takes its rows.
    pub fn sibling(&self) -> RowBuilder {
        RowBuilder {
            kind: self.kind,
            mapping: self.mapping.clone(),
            styles: self.styles.clone(),
            headers: self.headers.clone(),
            file: self.file,
            stage_status: self.stage_status.clone(),
            data: RowBuilder::empty_data(self.kind),
            report: self.report.empty_like(),
            held: Vec::new(),
            stage_cache: (SymbolColumn::default(), vec![status_from_stage("")]),
            field_columns: self.field_columns,
            dates: Vec::new(),
            amounts: Vec::new(),
            probabilities: Vec::new(),
        }
    }

    /// Takes the rows a [`RowBuilder::sibling`] read from the records after this one's, whose
    /// lines it counted from `shift` (the line breaks before its first record): the columns
    /// and report are as if this builder had read them all.
    pub fn append(&mut self, later: RowBuilder, shift: u32) {
        // A row the later part typed came after a full row there, which would have typed the
        // one-cell rows held here first.
        if later.report.rows_read > 0 {
            self.push_held();
        }
        self.data.append(later.data, shift);
        self.report.append(later.report, shift);
        self.held.extend(later.held.into_iter().map(|(line, cells)| (line + shift, cells)));
    }

    /// Types the one-cell rows held back (a full row came after them: they were data).
    pub fn push_held(&mut self) {
        for (line, cells) in std::mem::take(&mut self.held) {
            let (buf, ends) = crate::ingest::flatten(&cells);
            self.push(&RawRecord::new(line, &buf, &ends));
        }
    }

    pub(super) fn empty_data(kind: FileKind) -> KindData {
        match kind {
            FileKind::Deals => KindData::Deals(Deals::default(), StageChanges::default()),
            FileKind::Leads => KindData::Leads(Leads::default()),
            FileKind::StageHistory => KindData::StageHistory(StageChanges::default()),
            FileKind::RevenueLines => KindData::RevenueLines(RevenueLines::default()),
            FileKind::Spend => KindData::Spend(Spend::default()),
            FileKind::Quotas => KindData::Quotas(Quotas::default()),
            FileKind::OtherIncome => KindData::OtherIncome(OtherIncome::default()),
        }
    }

    /// Rows typed so far.
    pub fn data_rows(&self) -> usize {
        match &self.data {
            KindData::Deals(d, _) => d.len(),
            KindData::Leads(l) => l.len(),
            KindData::StageHistory(h) => h.len(),
            KindData::RevenueLines(r) => r.len(),
            KindData::Spend(_) | KindData::Quotas(_) | KindData::OtherIncome(_) => 0,
        }
    }

    /// Makes room for `rows` typed rows in all (the kinds that come in large files: deals,
    /// leads, stage history, revenue lines; spend, quotas and other income are small).
    pub fn reserve_rows(&mut self, rows: usize) {
        match &mut self.data {
            KindData::Deals(d, _) => d.reserve_rows(rows),
            KindData::Leads(l) => l.reserve_rows(rows),
            KindData::StageHistory(h) => h.reserve_rows(rows),
            KindData::RevenueLines(r) => r.reserve_rows(rows),
            KindData::Spend(_) | KindData::Quotas(_) | KindData::OtherIncome(_) => {}
        }
    }

    fn status_of_stage(&mut self, stage: &str) -> Status {
        let (names, statuses) = &mut self.stage_cache;
        let code = names.intern_cached(stage) as usize;
        if code == statuses.len() {
            statuses.push(status_from_stage(stage));
        }
        statuses[code]
    }

    fn reject(&mut self, line: u32, column: Option<usize>, reason: &str, value: &str) {
        self.report.rows_rejected += 1;
        let col = column.map(|c| (c as u32 + 1, self.headers.get(c).map_or("", String::as_str)));
        self.report.rejected.add(line, col, reason, value);
    }

    fn finding(&mut self, line: u32, column: usize, reason: &str, value: &str) {
        let col = Some((column as u32 + 1, self.headers.get(column).map_or("", String::as_str)));
        self.report.findings.add(line, col, reason, value);
    }

    pub fn finish(mut self) -> (KindData, FileReport) {
        self.data.seal_symbols();
        for (line, cells) in std::mem::take(&mut self.held) {
            let text = cells.into_iter().find(|c| !c.trim().is_empty()).unwrap_or_default();
            self.report.skipped.add(line, None, "report footer", &text);
        }
        (self.data, self.report)
    }
}

struct Reject {
    column: Option<usize>,
    reason: String,
    value: String,
}

struct Row<'r, 'a> {
    rec: &'r RawRecord<'a>,
    b: &'r mut RowBuilder,
}

fn trimmed(c: Cow<'_, str>) -> Cow<'_, str> {
    match c {
        Cow::Borrowed(s) => Cow::Borrowed(trim_text(s)),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

/// Upper case without allocating when the text already is.
fn upper(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_lowercase()) || !text.is_ascii() {
        Cow::Owned(text.to_uppercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'a> Row<'_, 'a> {
    fn col(&self, f: Field) -> Option<usize> {
        self.b.field_columns[f as usize]
    }
    /// A cell's text, trimmed; borrowed from the record (no allocation for UTF-8 input).
    fn text(&self, f: Field) -> Cow<'a, str> {
        match self.col(f) {
            Some(c) => trimmed(self.rec.field(c)),
            None => Cow::Borrowed(""),
        }
    }
    fn raw(&self, c: usize) -> Cow<'a, str> {
        self.rec.field(c)
    }
    /// An optional date: unreadable → finding, missing.
    fn date(&mut self, f: Field) -> Day {
        let Some(c) = self.col(f) else { return NO_DAY };
        let v = self.raw(c);
        let order = self.b.styles.date[c];
        match read_cached(&mut self.b.dates, c, &v, |v| parse_date(v, order).map(|d| d.unwrap_or(NO_DAY))) {
            Ok(d) => d,
            Err(e) => {
                self.b.finding(self.rec.line, c, &format!("unreadable date in {} (left empty)", f.as_str()), &e.0);
                NO_DAY
            }
        }
    }
    /// A required amount: unreadable → reject; empty → NaN.
    fn amount(&mut self, f: Field) -> Result<(f64, Option<String>), Reject> {
        let Some(c) = self.col(f) else {
            return Ok((f64::NAN, None));
        };
        let v = self.raw(c);
        let style = self.b.styles.number[c];
        // Amounts with no currency written beside them are kept by their text.
        let plain = read_cached(&mut self.b.amounts, c, &v, |v| match parse_amount(v, style) {
            Ok(None) => Ok(f64::NAN),
            Ok(Some(m)) if m.currency.is_none() => Ok(m.value),
            Ok(Some(m)) => Err(Ok(m)),
            Err(e) => Err(Err(e)),
        });
        match plain {
            Ok(value) => Ok((value, None)),
            Err(Ok(m)) => Ok((m.value, m.currency)),
            Err(Err(_)) => Err(Reject {
                column: Some(c),
                reason: format!("{} is not a number", f.as_str()),
                value: v.into_owned(),
            }),
        }
    }
    fn optional_bool(&mut self, f: Field) -> Option<bool> {
        let c = self.col(f)?;
        let v = self.raw(c);
        match parse_bool(&v) {
            Ok(b) => b,
            Err(e) => {
                self.b.finding(self.rec.line, c, &format!("unreadable yes/no in {} (ignored)", f.as_str()), &e.0);
                None
            }
        }
    }

    fn deal(&mut self) -> Result<(), Reject> {
        let fields = [
            Field::Account,
            Field::Owner,
            Field::ForecastCategory,
            Field::LeadSource,
            Field::DealType,
            Field::Region,
            Field::Product,
        ]
        .map(|f| self.text(f));
        let stage = self.text(Field::Stage);
        let is_won = self.optional_bool(Field::IsWon);
        let is_closed = self.optional_bool(Field::IsClosed);
        let status_text = self.text(Field::Status);
        let overridden =
            if self.b.stage_status.is_empty() { None } else { self.b.stage_status.get(&stage.to_lowercase()).copied() };
        let stage_says = self.b.status_of_stage(&stage);
        let stage_says = (!stage.is_empty()).then_some(stage_says);
        let status = if let Some(s) = overridden {
            s
        } else if let (None, Some(s)) = (is_won, status_from_text(&status_text)) {
            s
        } else if let Some(s) = status_from_flags(is_won, is_closed, stage_says) {
            s
        } else if !status_text.is_empty() {
            return Err(Reject {
                column: self.col(Field::Status),
                reason: "status is not open, won or lost".into(),
                value: status_text.into_owned(),
            });
        } else {
            return Err(Reject {
                column: self.col(Field::Stage).or(self.col(Field::Status)),
                reason: "no stage or status: cannot tell open from closed".into(),
                value: String::new(),
            });
        };
        let (amount, symbol_currency) = self.amount(Field::Amount)?;
        let mut currency = self.text(Field::Currency);
        if currency.is_empty() {
            currency = symbol_currency.unwrap_or_default().into();
        }
        let probability = match self.col(Field::Probability) {
            Some(c) => {
                let v = self.raw(c);
                let (number, percent) = (self.b.styles.number[c], self.b.styles.percent[c]);
                let read = |v: &str| parse_probability(v, number, percent).map(|p| p.unwrap_or(f64::NAN));
                match read_cached(&mut self.b.probabilities, c, &v, read) {
                    Ok(p) => p,
                    Err(e) => {
                        self.b.finding(self.rec.line, c, "unreadable probability (left empty)", &e.0);
                        f64::NAN
                    }
                }
            }
            None => f64::NAN,
        };
        let created = self.date(Field::Created);
        let mut close = self.date(Field::Close);
        if close == NO_DAY {
            close = match status {
                Status::Won => self.date(Field::WonTime),
                Status::Lost => self.date(Field::LostTime),
                Status::Open => NO_DAY,
            };
        }
        let id = self.text(Field::Id);
        let name = self.text(Field::Name);
        // Wide stage history (HubSpot "Date entered …" columns): only those the row has
        // (cells past its end are empty), so a short row costs little under a wide header.
        let within = self.b.mapping.stage_entered.partition_point(|(c, _)| *c < self.rec.len());
        crate::work::add(within);
        let mut entered: Vec<(usize, Day)> = Vec::new();
        for k in 0..within {
            let c = self.b.mapping.stage_entered[k].0;
            let v = self.raw(c);
            match parse_date(&v, self.b.styles.date[c]) {
                Ok(Some(d)) => entered.push((k, d)),
                Ok(None) => {}
                Err(e) => self.b.finding(self.rec.line, c, "unreadable stage-entry date (left empty)", &e.0),
            }
        }
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::Deals(d, history) = &mut self.b.data else { unreachable!("deal rows go to deal data") };
        for (k, at) in entered {
            let stage = &self.b.mapping.stage_entered[k].1;
            history.push(StageChange { deal_id: &id, stage, at, close: NO_DAY, amount: f64::NAN, origin });
        }
        d.id.push(&id);
        d.name.push(&name);
        d.account.push_batched(&fields[0]);
        d.owner.push_batched(&fields[1]);
        d.stage.push_batched(&stage);
        d.status.push(status);
        d.amount.push(amount);
        d.currency.push_batched(&upper(&currency));
        d.probability.push(probability);
        d.created.push(created);
        d.close.push(close);
        d.forecast_category.push_batched(&fields[2]);
        d.lead_source.push_batched(&fields[3]);
        d.deal_type.push_batched(&fields[4]);
        d.region.push_batched(&fields[5]);
        d.product.push_batched(&fields[6]);
        d.origin.push(origin);
        Ok(())
    }

    fn lead(&mut self) -> Result<(), Reject> {
        let id = self.text(Field::Id);
        let mut created = self.date(Field::Created);
        let (mql, sql, mut opportunity, customer) =
            (self.date(Field::Mql), self.date(Field::Sql), self.date(Field::Opportunity), self.date(Field::Customer));
        let converted = self.optional_bool(Field::IsConverted);
        if converted == Some(false) {
            opportunity = NO_DAY;
        }
        if created == NO_DAY {
            created = [mql, sql, opportunity, customer].into_iter().filter(|&d| d != NO_DAY).min().unwrap_or(NO_DAY);
        }
        if id.is_empty() && created == NO_DAY {
            return Err(Reject {
                column: self.col(Field::Id),
                reason: "no id and no dates: not a lead".into(),
                value: String::new(),
            });
        }
        let fields =
            [Field::LeadSource, Field::LeadStatus, Field::Account, Field::Owner, Field::DealId].map(|f| self.text(f));
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::Leads(l) = &mut self.b.data else { unreachable!("lead rows go to lead data") };
        l.id.push(&id);
        l.created.push(created);
        l.source.push_batched(&fields[0]);
        l.status.push_batched(&fields[1]);
        l.account.push_batched(&fields[2]);
        l.owner.push_batched(&fields[3]);
        l.mql.push(mql);
        l.sql.push(sql);
        l.opportunity.push(opportunity);
        l.customer.push(customer);
        l.deal_id.push(&fields[4]);
        l.origin.push(origin);
        Ok(())
    }

    fn stage_change(&mut self) -> Result<(), Reject> {
        let deal_id = self.text(Field::DealId);
        if deal_id.is_empty() {
            return Err(Reject { column: self.col(Field::DealId), reason: "no deal id".into(), value: String::new() });
        }
        let c = self.col(Field::At).unwrap_or(0);
        let raw = self.raw(c);
        let at = match parse_date(&raw, self.b.styles.date[c]) {
            Ok(Some(d)) => d,
            Ok(None) => return Err(Reject { column: Some(c), reason: "no date".into(), value: raw.into_owned() }),
            Err(e) => return Err(Reject { column: Some(c), reason: "date is not a date".into(), value: e.0 }),
        };
        // A close date's or amount's change carries the value it replaced: kept as a row just before.
        let mut before = (NO_DAY, f64::NAN);
        let (stage, close, amount) = match self.col(Field::HistoryField) {
            Some(fc) => {
                let change = self.field_history_change(fc)?;
                if let Some(c) = self.col(Field::OldValue).filter(|_| change.0.is_empty()) {
                    let old = self.raw(c);
                    let old = old.trim();
                    if change.1 != NO_DAY {
                        before.0 = parse_date(old, self.b.styles.date[c]).ok().flatten().unwrap_or(NO_DAY);
                    } else if let Ok(Some(m)) = parse_amount(old, self.b.styles.number[c]) {
                        before.1 = m.value;
                    }
                }
                change
            }
            None => {
                let stage = self.text(Field::Stage);
                if stage.is_empty() {
                    return Err(Reject {
                        column: self.col(Field::Stage),
                        reason: "no stage".into(),
                        value: String::new(),
                    });
                }
                let close = self.date(Field::Close);
                let amount = match self.amount(Field::Amount) {
                    Ok((a, _)) => a,
                    Err(r) => {
                        let column = r.column.unwrap_or(0);
                        self.b.finding(self.rec.line, column, "unreadable amount (left empty)", &r.value);
                        f64::NAN
                    }
                };
                (stage, close, amount)
            }
        };
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::StageHistory(h) = &mut self.b.data else { unreachable!("history rows go to history data") };
        if before.0 != NO_DAY || !before.1.is_nan() {
            h.deal_id.push(&deal_id);
            h.stage.push_batched("");
            h.at.push(at);
            h.close.push(before.0);
            h.amount.push(before.1);
            h.origin.push(origin);
        }
        h.deal_id.push(&deal_id);
        h.stage.push_batched(&stage);
        h.at.push(at);
        h.close.push(close);
        h.amount.push(amount);
        h.origin.push(origin);
        Ok(())
    }

    /// A field-history row (`Field`, `New Value`): the stage, close date or amount it sets.
    /// Rows about other fields are not history revlens reads, and are reported as such.
    fn field_history_change(&mut self, field_column: usize) -> Result<(Cow<'static, str>, Day, f64), Reject> {
        let field_raw = self.raw(field_column).into_owned();
        let field = super::schema::normalize_header(&field_raw);
        let value_column = self.col(Field::Stage);
        let value = value_column.map(|c| self.raw(c).into_owned()).unwrap_or_default();
        let value = value.trim();
        let bad =
            |reason: &str, value: &str| Reject { column: value_column, reason: reason.into(), value: value.into() };
        match field.as_str() {
            "stagename" | "stage" | "dealstage" => {
                if value.is_empty() {
                    return Err(bad("no stage", ""));
                }
                Ok((Cow::Owned(value.to_string()), NO_DAY, f64::NAN))
            }
            "closedate" | "close" => {
                let order = value_column.map_or(DateOrder::MonthFirst, |c| self.b.styles.date[c]);
                match parse_date(value, order) {
                    Ok(Some(d)) => Ok((Cow::Borrowed(""), d, f64::NAN)),
                    Ok(None) => Err(bad("no close date", "")),
                    Err(e) => Err(bad("close date is not a date", &e.0)),
                }
            }
            "amount" => {
                let style = value_column.map_or(NumberStyle::POINT, |c| self.b.styles.number[c]);
                match parse_amount(value, style) {
                    Ok(Some(m)) => Ok((Cow::Borrowed(""), NO_DAY, m.value)),
                    Ok(None) => Err(bad("no amount", "")),
                    Err(_) => Err(bad("amount is not a number", value)),
                }
            }
            _ => Err(Reject {
                column: Some(field_column),
                reason: "a change of a field other than stage, close date or amount (not read)".into(),
                value: field_raw,
            }),
        }
    }

    fn revenue_line(&mut self) -> Result<(), Reject> {
        let customer_id = self.text(Field::CustomerId);
        let customer_name = self.text(Field::CustomerName);
        let customer = if customer_id.is_empty() { customer_name.clone() } else { customer_id };
        if customer.is_empty() {
            return Err(Reject {
                column: self.col(Field::CustomerId).or(self.col(Field::CustomerName)),
                reason: "no customer".into(),
                value: String::new(),
            });
        }
        // Monthly value: an MRR column as is; ARR ÷ 12; a plain amount or price per its interval.
        let (mut mrr, currency_symbol) = self.amount(Field::Mrr)?;
        if mrr.is_nan() && self.col(Field::Arr).is_some() {
            let (arr, _) = self.amount(Field::Arr)?;
            mrr = arr / 12.0;
        } else if let Some(c) = self.col(Field::Mrr) {
            let header = super::schema::normalize_header(&self.b.headers[c]);
            let per_interval = matches!(header.as_str(), "amount" | "price" | "revenue" | "invoiceamount" | "total");
            if per_interval {
                let interval = self.text(Field::Interval).to_lowercase();
                mrr /= if interval.starts_with("year") || interval.starts_with("annual") {
                    12.0
                } else if interval.starts_with("quarter") {
                    3.0
                } else if interval.starts_with("week") {
                    12.0 / 52.0
                } else {
                    1.0
                };
            }
        }
        if mrr.is_nan() {
            return Err(Reject {
                column: self.col(Field::Mrr).or(self.col(Field::Arr)),
                reason: "no recurring amount".into(),
                value: String::new(),
            });
        }
        let status = self.text(Field::Status).to_lowercase();
        let churned_status = ["churn", "cancel", "ended", "expired", "inactive", "terminated", "lost"]
            .iter()
            .any(|w| status.contains(w));
        let month_col = self.col(Field::Month);
        let mut start = self.date(Field::Start);
        let mut end = self.date(Field::End);
        let mut churned = false;
        if start == NO_DAY {
            if let Some(c) = month_col {
                let raw = self.raw(c);
                let month = match parse_month(&raw) {
                    Ok(Some(m)) => Some(m),
                    _ => parse_date(&raw, self.b.styles.date[c]).ok().flatten().map(month_start_of),
                };
                match month {
                    Some(m) => {
                        start = m;
                        end = next_month(m);
                        // A billing row marked churned is the churn month: no revenue.
                        churned = churned_status;
                    }
                    None => {
                        return Err(Reject {
                            column: Some(c),
                            reason: "month is not a month".into(),
                            value: raw.into_owned(),
                        })
                    }
                }
            }
        } else if churned_status && end == NO_DAY {
            // Cancelled with no end date: no revenue from this line.
            end = start;
            churned = true;
            if let Some(c) = self.col(Field::Status) {
                self.b.finding(
                    self.rec.line,
                    c,
                    "cancelled subscription without end date (no revenue counted)",
                    &status,
                );
            }
        }
        if start == NO_DAY {
            return Err(Reject {
                column: self.col(Field::Start).or(month_col),
                reason: "no start date or month".into(),
                value: String::new(),
            });
        }
        let recurring = match self.col(Field::Recurring) {
            Some(c) => {
                let v = self.raw(c).to_lowercase();
                !(v.contains("one")
                    || v.contains("non")
                    || v == "false"
                    || v == "no"
                    || v == "0"
                    || v.contains("setup")
                    || v.contains("services"))
            }
            None => true,
        };
        let subscription = self.text(Field::Subscription);
        let mut currency = self.text(Field::Currency);
        if currency.is_empty() {
            currency = currency_symbol.unwrap_or_default().into();
        }
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::RevenueLines(r) = &mut self.b.data else { unreachable!("revenue rows go to revenue data") };
        r.customer.push_batched(&customer);
        r.customer_name.push_batched(&customer_name);
        r.subscription.push(&subscription);
        r.start.push(start);
        r.end.push(end);
        r.mrr.push(mrr);
        r.currency.push_batched(&upper(&currency));
        r.churned.push(churned);
        r.recurring.push(recurring);
        r.origin.push(origin);
        Ok(())
    }

    fn month_of(&mut self, f: Field) -> Result<Day, Reject> {
        let c = self.col(f).unwrap_or(0);
        let raw = self.raw(c);
        let month = match parse_month(&raw) {
            Ok(Some(m)) => Some(m),
            _ => match parse_period(&raw, self.b.styles.date[c]) {
                Ok(Some((start, _))) => Some(start),
                _ => None,
            },
        };
        month.ok_or(Reject {
            column: Some(c),
            reason: format!("{} is not a month", f.as_str()),
            value: raw.into_owned(),
        })
    }

    fn required_amount(&mut self, f: Field) -> Result<f64, Reject> {
        let (v, _) = self.amount(f)?;
        if v.is_nan() {
            return Err(Reject { column: self.col(f), reason: format!("no {}", f.as_str()), value: String::new() });
        }
        Ok(v)
    }

    fn spend(&mut self) -> Result<(), Reject> {
        let month = self.month_of(Field::Month)?;
        let amount = self.required_amount(Field::Amount)?;
        let channel_text = self.text(Field::Channel).to_lowercase();
        let channel =
            if channel_text.contains("market") || channel_text.contains("demand") || channel_text.contains("growth") {
                SpendChannel::Marketing
            } else if channel_text.contains("sales") || channel_text.contains("vertrieb") {
                SpendChannel::Sales
            } else {
                SpendChannel::Other
            };
        let category = self.text(Field::Category);
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::Spend(s) = &mut self.b.data else { unreachable!("spend rows go to spend data") };
        s.month.push(month);
        s.channel.push(channel);
        s.category.push(&category);
        s.amount.push(amount);
        s.origin.push(origin);
        Ok(())
    }

    fn quota(&mut self) -> Result<(), Reject> {
        let owner = self.text(Field::Owner);
        if owner.is_empty() {
            return Err(Reject { column: self.col(Field::Owner), reason: "no owner".into(), value: String::new() });
        }
        let amount = self.required_amount(Field::Quota)?;
        let (start, end) = if let Some(c) = self.col(Field::Period) {
            let raw = self.raw(c);
            match parse_period(&raw, self.b.styles.date[c]) {
                Ok(Some(p)) => p,
                _ => {
                    return Err(Reject {
                        column: Some(c),
                        reason: "period is not a month, quarter or year".into(),
                        value: raw.into_owned(),
                    })
                }
            }
        } else {
            let (s, e) = (self.date(Field::Start), self.date(Field::End));
            if s == NO_DAY || e == NO_DAY {
                return Err(Reject {
                    column: self.col(Field::Start),
                    reason: "no period start and end".into(),
                    value: String::new(),
                });
            }
            (s, e + 1)
        };
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::Quotas(q) = &mut self.b.data else { unreachable!("quota rows go to quota data") };
        q.owner.push(&owner);
        q.start.push(start);
        q.end.push(end);
        q.amount.push(amount);
        q.origin.push(origin);
        Ok(())
    }

    fn other_income(&mut self) -> Result<(), Reject> {
        let c = self.col(Field::Date).unwrap_or(0);
        let raw = self.raw(c);
        let date = match parse_date(&raw, self.b.styles.date[c]) {
            Ok(Some(d)) => d,
            _ => match parse_month(&raw) {
                Ok(Some(m)) => m,
                _ => {
                    return Err(Reject {
                        column: Some(c),
                        reason: "date is not a date".into(),
                        value: raw.into_owned(),
                    })
                }
            },
        };
        let amount = self.required_amount(Field::Amount)?;
        let cat = self.text(Field::Category).to_lowercase();
        let category = if cat.contains("interest") {
            IncomeCategory::Interest
        } else if cat.contains("invest") || cat.contains("dividend") || cat.contains("capital gain") {
            IncomeCategory::Investment
        } else if cat.contains("royalt") || cat.contains("licens") {
            IncomeCategory::Royalty
        } else {
            IncomeCategory::Other
        };
        let origin = Origin { file: self.b.file, line: self.rec.line };
        let KindData::OtherIncome(o) = &mut self.b.data else { unreachable!("income rows go to income data") };
        o.date.push(date);
        o.category.push(category);
        o.amount.push(amount);
        o.origin.push(origin);
        Ok(())
    }
}

/// The sample rows' values column by column, for the first `width` columns: one pass over
/// the cells there are, so a wide header over short rows costs its cells, not columns × rows.
pub fn sample_columns<'a>(width: usize, sample: impl Iterator<Item = &'a [String]>) -> Vec<Vec<&'a str>> {
    let mut columns: Vec<Vec<&str>> = vec![Vec::new(); width];
    let (mut rows, mut cells) = (0, 0);
    for row in sample {
        rows += 1;
        for (column, v) in columns.iter_mut().zip(row) {
            column.push(v.as_str());
            cells += 1;
        }
    }
    crate::work::add(width + rows + cells);
    columns
}

/// Decides per-column reading styles from the sample's values (by column, from
/// [`sample_columns`]).
pub fn column_styles(headers: &[String], mapping: &Mapping, sample: &[Vec<&str>], semicolon: bool) -> ColumnStyles {
    let n = headers.len();
    let number_fallback = if semicolon { DecimalMark::Comma } else { DecimalMark::Point };
    let date_fallback = if semicolon { DateOrder::DayFirst } else { DateOrder::MonthFirst };
    let mut number = Vec::with_capacity(n);
    let mut date = Vec::with_capacity(n);
    let mut percent = Vec::with_capacity(n);
    for c in 0..n {
        let values = || sample[c].iter().copied();
        number.push(NumberStyle::detect(values(), number_fallback));
        date.push(DateOrder::detect(values(), date_fallback).order);
        let header_says = headers[c].contains('%')
            || super::schema::normalize_header(&headers[c]).contains("percent")
            || super::schema::normalize_header(&headers[c]).contains("pct");
        let is_prob = mapping.columns.get(c).copied().flatten() == Some(Field::Probability);
        let values_say = is_prob
            && values().any(|v| {
                let v = v.trim().trim_end_matches('%');
                super::values::parse_decimal(v, number[c]).is_some_and(|x| x > 1.0)
            });
        percent.push(header_says || values_say);
    }
    ColumnStyles { number, date, percent }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_years_days_are_the_years() {
        use crate::model::day_from_ymd;
        assert_eq!(day_from_ymd(*YEARS.start(), 1, 1), Some(*YEAR_DAYS.start()));
        assert_eq!(day_from_ymd(*YEARS.end(), 12, 31), Some(*YEAR_DAYS.end()));
    }

    #[test]
    fn stage_names_to_status() {
        for s in ["Closed Won", "closedwon", "Won", "Closed - Won", "WON"] {
            assert_eq!(status_from_stage(s), Status::Won, "{s}");
        }
        assert_eq!(status_from_stage("Geschlossen und gewonnen"), Status::Won);
        for s in ["Closed Lost", "closedlost", "Lost", "Closed-Lost to Competition", "Geschlossen und verloren"] {
            assert_eq!(status_from_stage(s), Status::Lost, "{s}");
        }
        for s in ["Prospecting", "Negotiation/Review", "Engaging", ""] {
            assert_eq!(status_from_stage(s), Status::Open, "{s}");
        }
    }
}
