//! The canonical records, one struct of columns per kind: deals, leads, stage changes,
//! revenue lines, spend, quotas and other income, with borrowed row views ([`Deal`], [`Lead`],
//! …) for code that wants a record at a time.

use serde::{Deserialize, Serialize};

use super::day::{Day, NO_DAY};
use super::symbols::SymbolColumn;
use super::text::TextColumn;
use super::{reserve_to, retain_by};

/// Where a row came from: the file's index in [`Dataset::files`](super::Dataset::files) and its
/// 1-based line.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// Whether a deal is still open, won or lost.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Won,
    Lost,
}

/// The CRM whose export a deal came from, as far as the export's header tells: it decides
/// whose default stage probabilities stand in for a probability the export lacks.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crm {
    /// A table of deals of no known CRM (or a CRM whose exports are not told apart).
    #[default]
    Other,
    Salesforce,
    Hubspot,
    Pipedrive,
    Zoho,
}

impl Crm {
    /// Its name in the canonical `deals.crm` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Crm::Other => "",
            Crm::Salesforce => "salesforce",
            Crm::Hubspot => "hubspot",
            Crm::Pipedrive => "pipedrive",
            Crm::Zoho => "zoho",
        }
    }
}

/// All deals (opportunities) of a dataset.
#[derive(Clone, Debug, Default)]
pub struct Deals {
    pub id: TextColumn,
    pub name: TextColumn,
    pub account: SymbolColumn,
    pub owner: SymbolColumn,
    pub stage: SymbolColumn,
    pub status: Vec<Status>,
    /// In the row's own currency; NaN when missing.
    pub amount: Vec<f64>,
    /// ISO code or symbol as written; "" when the export has no currency.
    pub currency: SymbolColumn,
    /// 0..=1; NaN when missing.
    pub probability: Vec<f64>,
    pub created: Vec<Day>,
    /// Actual close date for closed deals, expected close date for open ones.
    pub close: Vec<Day>,
    pub forecast_category: SymbolColumn,
    pub lead_source: SymbolColumn,
    pub deal_type: SymbolColumn,
    pub region: SymbolColumn,
    pub product: SymbolColumn,
    pub origin: Vec<Origin>,
    /// The CRM of each deal's export: empty (every deal [`Crm::Other`]) or one per deal, set
    /// for a whole file by [`Deals::set_crm`]; read it with [`Deals::crm`].
    pub crm: Vec<Crm>,
}

/// One deal, borrowed from [`Deals`].
#[derive(Clone, Copy, Debug)]
pub struct Deal<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub account: &'a str,
    pub owner: &'a str,
    pub stage: &'a str,
    pub status: Status,
    pub amount: f64,
    pub currency: &'a str,
    pub probability: f64,
    pub created: Day,
    pub close: Day,
    pub forecast_category: &'a str,
    pub lead_source: &'a str,
    pub deal_type: &'a str,
    pub region: &'a str,
    pub product: &'a str,
    pub origin: Origin,
}

impl Default for Deal<'_> {
    /// An open deal with nothing else known: empty text, no amount or probability (NaN), no
    /// dates. Fill in what a test or a caller knows with `Deal { …, ..Deal::default() }`.
    fn default() -> Self {
        Deal {
            id: "",
            name: "",
            account: "",
            owner: "",
            stage: "",
            status: Status::Open,
            amount: f64::NAN,
            currency: "",
            probability: f64::NAN,
            created: NO_DAY,
            close: NO_DAY,
            forecast_category: "",
            lead_source: "",
            deal_type: "",
            region: "",
            product: "",
            origin: Origin::default(),
        }
    }
}

impl Deals {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [
            &mut self.account,
            &mut self.owner,
            &mut self.stage,
            &mut self.currency,
            &mut self.forecast_category,
            &mut self.lead_source,
            &mut self.deal_type,
            &mut self.region,
            &mut self.product,
        ] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.id.reserve_rows(rows);
        self.name.reserve_rows(rows);
        self.account.reserve_rows(rows);
        self.owner.reserve_rows(rows);
        self.stage.reserve_rows(rows);
        reserve_to(&mut self.status, rows);
        reserve_to(&mut self.amount, rows);
        self.currency.reserve_rows(rows);
        reserve_to(&mut self.probability, rows);
        reserve_to(&mut self.created, rows);
        reserve_to(&mut self.close, rows);
        self.forecast_category.reserve_rows(rows);
        self.lead_source.reserve_rows(rows);
        self.deal_type.reserve_rows(rows);
        self.region.reserve_rows(rows);
        self.product.reserve_rows(rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.status.len()
    }
    /// Appends one deal (each column gets its value).
    pub fn push(&mut self, d: Deal<'_>) {
        self.id.push(d.id);
        self.name.push(d.name);
        self.account.push(d.account);
        self.owner.push(d.owner);
        self.stage.push(d.stage);
        self.status.push(d.status);
        self.amount.push(d.amount);
        self.currency.push(d.currency);
        self.probability.push(d.probability);
        self.created.push(d.created);
        self.close.push(d.close);
        self.forecast_category.push(d.forecast_category);
        self.lead_source.push(d.lead_source);
        self.deal_type.push(d.deal_type);
        self.region.push(d.region);
        self.product.push(d.product);
        self.origin.push(d.origin);
        if !self.crm.is_empty() {
            self.crm.resize(self.len(), Crm::Other);
        }
    }
    /// The CRM of deal `i`'s export.
    pub fn crm(&self, i: usize) -> Crm {
        self.crm.get(i).copied().unwrap_or_default()
    }
    /// Marks every deal as coming from `crm`'s export (one file's deals).
    pub fn set_crm(&mut self, crm: Crm) {
        self.crm = if crm == Crm::Other { Vec::new() } else { vec![crm; self.len()] };
    }
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }
    pub fn get(&self, i: usize) -> Deal<'_> {
        Deal {
            id: self.id.get(i),
            name: self.name.get(i),
            account: self.account.get(i),
            owner: self.owner.get(i),
            stage: self.stage.get(i),
            status: self.status[i],
            amount: self.amount[i],
            currency: self.currency.get(i),
            probability: self.probability[i],
            created: self.created[i],
            close: self.close[i],
            forecast_category: self.forecast_category.get(i),
            lead_source: self.lead_source.get(i),
            deal_type: self.deal_type.get(i),
            region: self.region.get(i),
            product: self.product.get(i),
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = Deal<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &Deals) {
        if !self.crm.is_empty() || !o.crm.is_empty() {
            self.crm.resize(self.len(), Crm::Other);
            self.crm.extend((0..o.len()).map(|i| o.crm(i)));
        }
        self.id.extend_from(&o.id);
        self.name.extend_from(&o.name);
        self.account.extend_from(&o.account);
        self.owner.extend_from(&o.owner);
        self.stage.extend_from(&o.stage);
        self.status.extend_from_slice(&o.status);
        self.amount.extend_from_slice(&o.amount);
        self.currency.extend_from(&o.currency);
        self.probability.extend_from_slice(&o.probability);
        self.created.extend_from_slice(&o.created);
        self.close.extend_from_slice(&o.close);
        self.forecast_category.extend_from(&o.forecast_category);
        self.lead_source.extend_from(&o.lead_source);
        self.deal_type.extend_from(&o.deal_type);
        self.region.extend_from(&o.region);
        self.product.extend_from(&o.product);
        self.origin.extend_from_slice(&o.origin);
    }
    /// Keeps the deals whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        if !self.crm.is_empty() {
            self.crm.resize(keep.len(), Crm::Other);
            retain_by(&mut self.crm, keep);
        }
        self.id.retain_rows(keep);
        self.name.retain_rows(keep);
        self.account.retain_rows(keep);
        self.owner.retain_rows(keep);
        self.stage.retain_rows(keep);
        retain_by(&mut self.status, keep);
        retain_by(&mut self.amount, keep);
        self.currency.retain_rows(keep);
        retain_by(&mut self.probability, keep);
        retain_by(&mut self.created, keep);
        retain_by(&mut self.close, keep);
        self.forecast_category.retain_rows(keep);
        self.lead_source.retain_rows(keep);
        self.deal_type.retain_rows(keep);
        self.region.retain_rows(keep);
        self.product.retain_rows(keep);
        retain_by(&mut self.origin, keep);
    }
}

/// Leads or contacts with their lifecycle dates.
#[derive(Clone, Debug, Default)]
pub struct Leads {
    pub id: TextColumn,
    pub created: Vec<Day>,
    pub source: SymbolColumn,
    pub status: SymbolColumn,
    pub account: SymbolColumn,
    pub owner: SymbolColumn,
    pub mql: Vec<Day>,
    pub sql: Vec<Day>,
    pub opportunity: Vec<Day>,
    pub customer: Vec<Day>,
    /// Id of the deal the lead was converted to ("" when none).
    pub deal_id: TextColumn,
    pub origin: Vec<Origin>,
}

/// One lead, borrowed from [`Leads`].
#[derive(Clone, Copy, Debug)]
pub struct Lead<'a> {
    pub id: &'a str,
    pub created: Day,
    pub source: &'a str,
    pub status: &'a str,
    pub account: &'a str,
    pub owner: &'a str,
    pub mql: Day,
    pub sql: Day,
    pub opportunity: Day,
    pub customer: Day,
    pub deal_id: &'a str,
    pub origin: Origin,
}

impl Leads {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [&mut self.source, &mut self.status, &mut self.account, &mut self.owner] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.id.reserve_rows(rows);
        reserve_to(&mut self.created, rows);
        self.source.reserve_rows(rows);
        self.status.reserve_rows(rows);
        self.account.reserve_rows(rows);
        self.owner.reserve_rows(rows);
        reserve_to(&mut self.mql, rows);
        reserve_to(&mut self.sql, rows);
        reserve_to(&mut self.opportunity, rows);
        reserve_to(&mut self.customer, rows);
        self.deal_id.reserve_rows(rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.created.len()
    }
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
    }
    pub fn get(&self, i: usize) -> Lead<'_> {
        Lead {
            id: self.id.get(i),
            created: self.created[i],
            source: self.source.get(i),
            status: self.status.get(i),
            account: self.account.get(i),
            owner: self.owner.get(i),
            mql: self.mql[i],
            sql: self.sql[i],
            opportunity: self.opportunity[i],
            customer: self.customer[i],
            deal_id: self.deal_id.get(i),
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = Lead<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &Leads) {
        self.id.extend_from(&o.id);
        self.created.extend_from_slice(&o.created);
        self.source.extend_from(&o.source);
        self.status.extend_from(&o.status);
        self.account.extend_from(&o.account);
        self.owner.extend_from(&o.owner);
        self.mql.extend_from_slice(&o.mql);
        self.sql.extend_from_slice(&o.sql);
        self.opportunity.extend_from_slice(&o.opportunity);
        self.customer.extend_from_slice(&o.customer);
        self.deal_id.extend_from(&o.deal_id);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// A deal's history rows: a deal entering a stage (OpportunityHistory, HubSpot "Date entered
/// …"), with the close date and amount it had then when the row carries them (Salesforce's
/// Opportunity History has both on every row). A field-history row (`Field`, `New Value`)
/// changes one thing: a stage (then `close`/`amount` are missing), or a close date or amount
/// (then `stage` is empty).
#[derive(Clone, Debug, Default)]
pub struct StageChanges {
    pub deal_id: TextColumn,
    /// Empty on a row that changes only the close date or the amount.
    pub stage: SymbolColumn,
    pub at: Vec<Day>,
    /// The deal's close date as of this row; [`NO_DAY`] when the row does not carry one.
    pub close: Vec<Day>,
    /// The deal's amount as of this row (its own currency); NaN when the row does not carry one.
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

/// One history row, borrowed from [`StageChanges`].
#[derive(Clone, Copy, Debug)]
pub struct StageChange<'a> {
    pub deal_id: &'a str,
    /// Empty when the row changes only the close date or the amount.
    pub stage: &'a str,
    pub at: Day,
    pub close: Day,
    pub amount: f64,
    pub origin: Origin,
}

impl StageChanges {
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.deal_id.reserve_rows(rows);
        self.stage.reserve_rows(rows);
        reserve_to(&mut self.at, rows);
        reserve_to(&mut self.close, rows);
        reserve_to(&mut self.amount, rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.at.len()
    }
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    /// Appends one row.
    pub fn push(&mut self, c: StageChange<'_>) {
        self.deal_id.push(c.deal_id);
        self.stage.push(c.stage);
        self.at.push(c.at);
        self.close.push(c.close);
        self.amount.push(c.amount);
        self.origin.push(c.origin);
    }
    pub fn get(&self, i: usize) -> StageChange<'_> {
        StageChange {
            deal_id: self.deal_id.get(i),
            stage: self.stage.get(i),
            at: self.at[i],
            close: self.close[i],
            amount: self.amount[i],
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = StageChange<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &StageChanges) {
        self.deal_id.extend_from(&o.deal_id);
        self.stage.extend_from(&o.stage);
        self.at.extend_from_slice(&o.at);
        self.close.extend_from_slice(&o.close);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
    /// Keeps the stage changes whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.deal_id.retain_rows(keep);
        self.stage.retain_rows(keep);
        retain_by(&mut self.at, keep);
        retain_by(&mut self.close, keep);
        retain_by(&mut self.amount, keep);
        retain_by(&mut self.origin, keep);
    }
}

/// Subscription periods or customer-month invoice rows.
///
/// A line earns `mrr` per month from `start` up to (not including) `end`; `end` is
/// [`NO_DAY`] while the line is active. Rows whose status says churned or cancelled carry
/// no revenue for their own month (`churned` is set and they only mark the end).
#[derive(Clone, Debug, Default)]
pub struct RevenueLines {
    pub customer: SymbolColumn,
    pub customer_name: SymbolColumn,
    pub subscription: TextColumn,
    pub start: Vec<Day>,
    pub end: Vec<Day>,
    pub mrr: Vec<f64>,
    pub currency: SymbolColumn,
    pub churned: Vec<bool>,
    pub recurring: Vec<bool>,
    pub origin: Vec<Origin>,
}

/// One revenue line, borrowed from [`RevenueLines`].
#[derive(Clone, Copy, Debug)]
pub struct RevenueLine<'a> {
    pub customer: &'a str,
    pub customer_name: &'a str,
    pub subscription: &'a str,
    pub start: Day,
    pub end: Day,
    pub mrr: f64,
    pub currency: &'a str,
    pub churned: bool,
    pub recurring: bool,
    pub origin: Origin,
}

impl RevenueLines {
    /// [`SymbolColumn::seal`] on every symbol column (the file is read).
    pub fn seal_symbols(&mut self) {
        for column in [&mut self.customer, &mut self.customer_name, &mut self.currency] {
            column.seal();
        }
    }
    /// Makes room for `rows` rows in all in every column, text included (as many bytes per
    /// row as so far): one allocation each instead of a doubling series, whose outgrown
    /// buffers a wasm heap cannot give back.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.customer.reserve_rows(rows);
        self.customer_name.reserve_rows(rows);
        self.subscription.reserve_rows(rows);
        reserve_to(&mut self.start, rows);
        reserve_to(&mut self.end, rows);
        reserve_to(&mut self.mrr, rows);
        self.currency.reserve_rows(rows);
        reserve_to(&mut self.churned, rows);
        reserve_to(&mut self.recurring, rows);
        reserve_to(&mut self.origin, rows);
    }
    pub fn len(&self) -> usize {
        self.start.len()
    }
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
    pub fn get(&self, i: usize) -> RevenueLine<'_> {
        RevenueLine {
            customer: self.customer.get(i),
            customer_name: self.customer_name.get(i),
            subscription: self.subscription.get(i),
            start: self.start[i],
            end: self.end[i],
            mrr: self.mrr[i],
            currency: self.currency.get(i),
            churned: self.churned[i],
            recurring: self.recurring[i],
            origin: self.origin[i],
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = RevenueLine<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    pub fn extend_from(&mut self, o: &RevenueLines) {
        self.customer.extend_from(&o.customer);
        self.customer_name.extend_from(&o.customer_name);
        self.subscription.extend_from(&o.subscription);
        self.start.extend_from_slice(&o.start);
        self.end.extend_from_slice(&o.end);
        self.mrr.extend_from_slice(&o.mrr);
        self.currency.extend_from(&o.currency);
        self.churned.extend_from_slice(&o.churned);
        self.recurring.extend_from_slice(&o.recurring);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Which budget a spend line belongs to (CAC counts both).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendChannel {
    Marketing,
    Sales,
    Other,
}

/// Sales and marketing spend by month.
#[derive(Clone, Debug, Default)]
pub struct Spend {
    /// First day of the month.
    pub month: Vec<Day>,
    pub channel: Vec<SpendChannel>,
    pub category: SymbolColumn,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl Spend {
    pub fn len(&self) -> usize {
        self.month.len()
    }
    pub fn is_empty(&self) -> bool {
        self.month.is_empty()
    }
    pub fn extend_from(&mut self, o: &Spend) {
        self.month.extend_from_slice(&o.month);
        self.channel.extend_from_slice(&o.channel);
        self.category.extend_from(&o.category);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Quotas per owner (or team) and period. A period is a half-open day range.
#[derive(Clone, Debug, Default)]
pub struct Quotas {
    pub owner: SymbolColumn,
    pub start: Vec<Day>,
    /// Exclusive.
    pub end: Vec<Day>,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl Quotas {
    /// Keeps the quota rows whose `keep` flag is set.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        self.owner.retain_rows(keep);
        retain_by(&mut self.start, keep);
        retain_by(&mut self.end, keep);
        retain_by(&mut self.amount, keep);
        retain_by(&mut self.origin, keep);
    }
    pub fn len(&self) -> usize {
        self.start.len()
    }
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
    pub fn extend_from(&mut self, o: &Quotas) {
        self.owner.extend_from(&o.owner);
        self.start.extend_from_slice(&o.start);
        self.end.extend_from_slice(&o.end);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}

/// Income that is revenue but not sales (SPEC §3 total_revenue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeCategory {
    Interest,
    Investment,
    Royalty,
    Other,
}

/// Finance ledger lines of other income.
#[derive(Clone, Debug, Default)]
pub struct OtherIncome {
    pub date: Vec<Day>,
    pub category: Vec<IncomeCategory>,
    pub amount: Vec<f64>,
    pub origin: Vec<Origin>,
}

impl OtherIncome {
    pub fn len(&self) -> usize {
        self.date.len()
    }
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
    pub fn extend_from(&mut self, o: &OtherIncome) {
        self.date.extend_from_slice(&o.date);
        self.category.extend_from_slice(&o.category);
        self.amount.extend_from_slice(&o.amount);
        self.origin.extend_from_slice(&o.origin);
    }
}
