//! A dataset written as the tables a CRM connector lands in a warehouse: Fivetran's Salesforce
//! schema (`opportunity`, `user`, `account`, `opportunity_history`, and `opportunity` in history
//! mode) and its HubSpot schema (`deal`, `deal_pipeline`, `deal_pipeline_stage`, `deal_stage`,
//! `owner`, `company`, `deal_company`, and `deal` in history mode), with the column names and
//! types of fivetran/dbt_salesforce_source and fivetran/dbt_hubspot_source; and the billing
//! side as revlens's canonical `revenue_lines` (no CRM connector holds subscriptions).
//!
//! `revlens sample --warehouse DIR` writes the sample company this way, so that the dbt project
//! (`sql::dbt`) can be run on connector-shaped tables and compared with the report on the same
//! data. Each table is one CSV file under its schema's folder, and `seeds.yml` gives dbt the
//! column types, schemas and aliases to load them as seeds.
//!
//! What the shapes cannot hold is kept as the data has it rather than cleaned: a repeated deal
//! id (the sample's exact duplicate row) stays two rows, as the report counts it (the dbt
//! project's `unique` test warns about it). HubSpot keeps one status per stage (its closed and
//! closed-won flags belong to the stage): a dataset where one stage name is won for one deal
//! and lost for another has no HubSpot shape, and is an error. History rows that change only a
//! close date or an amount have no place in HubSpot's `deal_stage` and are left out (the
//! metrics read stage rows only).

use super::canonical::{day, number};
use crate::ingest::rows::status_from_stage;
use crate::model::{Dataset, Day, Deals, Status, NO_DAY};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// A column's type, as dbt seeds and both engines (DuckDB, Spark) spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Double,
    BigInt,
    Boolean,
    Date,
    Timestamp,
}

impl ColumnType {
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Text => "string",
            ColumnType::Double => "double",
            ColumnType::BigInt => "bigint",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
            ColumnType::Timestamp => "timestamp",
        }
    }
}

/// One connector table: its schema (folder), name in the warehouse, the seed's unique name and
/// its columns.
#[derive(Clone, Debug)]
pub struct ConnectorTable {
    pub schema: &'static str,
    pub name: &'static str,
    /// `schema__name`: seed names are unique in a dbt project, table names only per schema.
    pub seed: String,
    pub columns: Vec<(&'static str, ColumnType)>,
}

/// Where each connector table goes as it is made: the table and its rows, made as they are read.
type Emit<'e> = dyn FnMut(ConnectorTable, &mut dyn Iterator<Item = Vec<String>>) -> Result<(), String> + 'e;

fn t(schema: &'static str, name: &'static str, columns: &[(&'static str, ColumnType)]) -> ConnectorTable {
    ConnectorTable { schema, name, seed: format!("{schema}__{name}"), columns: columns.to_vec() }
}

impl ConnectorTable {
    /// The file's path under the output folder.
    pub fn path(&self) -> String {
        format!("{}/{}.csv", self.schema, self.seed)
    }

    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.0).collect()
    }
}

/// The connector tables of a dataset, the `seeds.yml` that loads them, and the dbt vars a run
/// over them needs (the as-of date and the snapshot dates), each written to the writer `open`
/// gives for its path (relative to the output folder) as its rows are made: no table's text is
/// held (at 5,000,000 deals, holding them took more than 20 GB). Returns each path and the bytes
/// written to it.
pub fn write_connector_files<W: std::io::Write>(
    ds: &Dataset,
    as_of: &str,
    mut open: impl FnMut(&str) -> Result<W, String>,
) -> Result<Vec<(String, u64)>, String> {
    let mut written: Vec<(String, u64)> = Vec::new();
    let mut put = |path: String, fill: &mut dyn FnMut(&mut W) -> std::io::Result<u64>| -> Result<(), String> {
        let mut w = open(&path)?;
        let n = fill(&mut w).and_then(|n| w.flush().map(|_| n)).map_err(|e| format!("{path}: {e}"))?;
        written.push((path, n));
        Ok(())
    };
    let mut made: Vec<ConnectorTable> = Vec::new();
    each_connector_table(ds, &mut |table, rows| {
        put(table.path(), &mut |w| super::canonical::write_table(w, &table.header(), rows))?;
        made.push(table);
        Ok(())
    })?;
    let dates: Vec<String> = snapshot_dates(ds);
    let vars = format!(
        "# dbt vars for a run of the revlens package over these tables (dbt build --vars \"$(cat dbt_vars.yml)\")\n\
         revlens_as_of: '{as_of}'\nrevlens_snapshot_dates: [{}]\n\
         revlens_salesforce_region: region__c\nrevlens_salesforce_product: product__c\n\
         revlens_hubspot_region: property_region\nrevlens_hubspot_product: property_product\n",
        dates.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", ")
    );
    for (path, body) in [("seeds.yml", seeds_yml(&made)), ("dbt_vars.yml", vars)] {
        put(path.to_string(), &mut |w| w.write_all(body.as_bytes()).map(|_| body.len() as u64))?;
    }
    Ok(written)
}

/// Hands every connector table of the dataset to `emit`, one at a time.
fn each_connector_table(ds: &Dataset, emit: &mut Emit<'_>) -> Result<(), String> {
    let ids = Ids::of(ds);
    salesforce(ds, &ids, emit)?;
    hubspot(ds, &ids, emit)?;
    canonical_side_tables(ds, emit)
}

/// The dates of the earlier exports (snapshots), oldest first.
pub fn snapshot_dates(ds: &Dataset) -> Vec<String> {
    let n = ds.snapshots.earlier.len();
    ds.snapshots.list.iter().take(n).map(|s| day(s.day)).collect()
}

/// Every connector table of the dataset, with its CSV text.
pub fn connector_tables(ds: &Dataset) -> Result<Vec<(ConnectorTable, String)>, String> {
    let mut tables = Vec::new();
    each_connector_table(ds, &mut |table, rows| {
        let csv = super::canonical::table(&table.header(), rows);
        tables.push((table, csv));
        Ok(())
    })?;
    Ok(tables)
}

/// `seeds.yml`: each table's schema, alias and column types.
pub fn seeds_yml(tables: &[ConnectorTable]) -> String {
    let mut s = String::from(
        "# Written by `revlens sample --warehouse`: loads these CSV files as the connector's tables\n\
         # (dbt seed), each in its schema under its own name.\nversion: 2\nseeds:\n",
    );
    for t in tables {
        let _ = writeln!(s, "  - name: {}\n    config:\n      schema: {}\n      alias: {}", t.seed, t.schema, t.name);
        s.push_str("      quote_columns: false\n      column_types:\n");
        for (c, ty) in &t.columns {
            let _ = writeln!(s, "        {c}: {}", ty.sql());
        }
    }
    s
}

/// Stable keys for the things the connectors identify by id: owners, accounts, stages, and the
/// deals' numeric HubSpot ids.
struct Ids {
    owners: Vec<String>,
    owner_of: HashMap<String, usize>,
    accounts: Vec<String>,
    account_of: HashMap<String, usize>,
    deal_number: HashMap<String, usize>,
}

impl Ids {
    fn of(ds: &Dataset) -> Ids {
        let mut ids = Ids {
            owners: Vec::new(),
            owner_of: HashMap::new(),
            accounts: Vec::new(),
            account_of: HashMap::new(),
            deal_number: HashMap::new(),
        };
        for d in std::iter::once(&ds.deals).chain(&ds.snapshots.earlier) {
            for i in 0..d.len() {
                intern(&mut ids.owners, &mut ids.owner_of, d.owner.get(i));
                intern(&mut ids.accounts, &mut ids.account_of, d.account.get(i));
                let n = ids.deal_number.len() + 1;
                ids.deal_number.entry(d.id.get(i).to_string()).or_insert(n);
            }
        }
        let h = &ds.stage_changes;
        for i in 0..h.len() {
            let n = ids.deal_number.len() + 1;
            ids.deal_number.entry(h.deal_id.get(i).to_string()).or_insert(n);
        }
        ids
    }
    fn owner(&self, name: &str) -> Option<usize> {
        self.owner_of.get(name).copied()
    }
    fn account(&self, name: &str) -> Option<usize> {
        self.account_of.get(name).copied()
    }
}

/// Numbers each distinct non-empty text from 1.
fn intern(list: &mut Vec<String>, of: &mut HashMap<String, usize>, text: &str) {
    if !text.is_empty() && !of.contains_key(text) {
        list.push(text.to_string());
        of.insert(text.to_string(), list.len());
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn status_flags(s: Status) -> (bool, bool) {
    // (is_closed, is_won)
    match s {
        Status::Open => (false, false),
        Status::Won => (true, true),
        Status::Lost => (true, false),
    }
}

/// A date as a timestamp at `time` (`HH:MM:SS`) that day; empty when there is none.
fn at(d: Day, time: &str) -> String {
    if d == NO_DAY {
        String::new()
    } else {
        format!("{} {time}", day(d))
    }
}

/// `HH:MM:SS` of a number of seconds after 08:00.
fn clock(seconds: usize) -> String {
    let s = 8 * 3600 + seconds.min(16 * 3600 - 1);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A probability 0–1 as Salesforce's percent.
fn percent(p: f64) -> String {
    if p.is_finite() {
        number((p * 100.0 * 1e9).round() / 1e9)
    } else {
        String::new()
    }
}

const SYNCED: &str = "2026-12-01 00:00:00";

// ---------------------------------------------------------------------------------------------
// Salesforce
// ---------------------------------------------------------------------------------------------

const SF_OPPORTUNITY: [(&str, ColumnType); 19] = [
    ("id", ColumnType::Text),
    ("is_deleted", ColumnType::Boolean),
    ("name", ColumnType::Text),
    ("account_id", ColumnType::Text),
    ("owner_id", ColumnType::Text),
    ("stage_name", ColumnType::Text),
    ("is_closed", ColumnType::Boolean),
    ("is_won", ColumnType::Boolean),
    ("amount", ColumnType::Double),
    ("currency_iso_code", ColumnType::Text),
    ("probability", ColumnType::Double),
    ("created_date", ColumnType::Timestamp),
    ("close_date", ColumnType::Date),
    ("forecast_category_name", ColumnType::Text),
    ("lead_source", ColumnType::Text),
    ("type", ColumnType::Text),
    ("region__c", ColumnType::Text),
    ("product__c", ColumnType::Text),
    ("_fivetran_synced", ColumnType::Timestamp),
];

fn sf_user_id(k: usize) -> String {
    format!("005{k:015}")
}

fn sf_account_id(k: usize) -> String {
    format!("001{k:015}")
}

fn sf_opportunity_cells(d: &Deals, i: usize, ids: &Ids) -> Vec<String> {
    let (closed, won) = status_flags(d.status[i]);
    vec![
        d.id.get(i).to_string(),
        "false".into(),
        d.name.get(i).to_string(),
        opt(ids.account(d.account.get(i)).map(sf_account_id)),
        opt(ids.owner(d.owner.get(i)).map(sf_user_id)),
        d.stage.get(i).to_string(),
        closed.to_string(),
        won.to_string(),
        number(d.amount[i]),
        d.currency.get(i).to_string(),
        percent(d.probability[i]),
        at(d.created[i], "09:30:00"),
        day(d.close[i]),
        d.forecast_category.get(i).to_string(),
        d.lead_source.get(i).to_string(),
        d.deal_type.get(i).to_string(),
        d.region.get(i).to_string(),
        d.product.get(i).to_string(),
        SYNCED.into(),
    ]
}

fn salesforce(ds: &Dataset, ids: &Ids, emit: &mut Emit<'_>) -> Result<(), String> {
    let d = &ds.deals;
    emit(t("salesforce", "opportunity", &SF_OPPORTUNITY), &mut (0..d.len()).map(|i| sf_opportunity_cells(d, i, ids)))?;
    let user_cols = [
        ("id", ColumnType::Text),
        ("name", ColumnType::Text),
        ("first_name", ColumnType::Text),
        ("last_name", ColumnType::Text),
        ("is_active", ColumnType::Boolean),
        ("_fivetran_deleted", ColumnType::Boolean),
        ("_fivetran_synced", ColumnType::Timestamp),
    ];
    emit(
        t("salesforce", "user", &user_cols),
        &mut ids.owners.iter().enumerate().map(|(k, name)| {
            let (first, last) = split_name(name);
            vec![sf_user_id(k + 1), name.clone(), first, opt(last), "true".into(), "false".into(), SYNCED.into()]
        }),
    )?;
    let account_cols = [
        ("id", ColumnType::Text),
        ("name", ColumnType::Text),
        ("is_deleted", ColumnType::Boolean),
        ("_fivetran_synced", ColumnType::Timestamp),
    ];
    emit(
        t("salesforce", "account", &account_cols),
        &mut ids
            .accounts
            .iter()
            .enumerate()
            .map(|(k, name)| vec![sf_account_id(k + 1), name.clone(), "false".into(), SYNCED.into()]),
    )?;
    // OpportunityHistory: one row per change, stamped so that same-day rows keep file order.
    let history_cols = [
        ("id", ColumnType::Text),
        ("opportunity_id", ColumnType::Text),
        ("created_date", ColumnType::Timestamp),
        ("stage_name", ColumnType::Text),
        ("amount", ColumnType::Double),
        ("close_date", ColumnType::Date),
        ("is_deleted", ColumnType::Boolean),
        ("_fivetran_synced", ColumnType::Timestamp),
    ];
    let h = &ds.stage_changes;
    let stamps = history_stamps(ds);
    emit(
        t("salesforce", "opportunity_history", &history_cols),
        &mut history_order(ds).into_iter().enumerate().map(|(k, i)| {
            vec![
                format!("008{:015}", k + 1),
                h.deal_id.get(i).to_string(),
                stamp(h, i, stamps[i]),
                h.stage.get(i).to_string(),
                number(h.amount[i]),
                day(h.close[i]),
                "false".into(),
                SYNCED.into(),
            ]
        }),
    )?;
    // History mode: every version of every opportunity, from the earlier exports and the latest.
    let mut cols = vec![
        ("_fivetran_start", ColumnType::Timestamp),
        ("_fivetran_end", ColumnType::Timestamp),
        ("_fivetran_active", ColumnType::Boolean),
    ];
    cols.extend(SF_OPPORTUNITY);
    emit(t("salesforce_history", "opportunity", &cols), &mut versions(ds, |d, i| sf_opportunity_cells(d, i, ids)))?;
    Ok(())
}

/// First name and the rest, split at the first space (`concat_ws(' ', first, last)` gives the
/// name back; no last name when there is no space).
fn split_name(name: &str) -> (String, Option<String>) {
    match name.split_once(' ') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (name.to_string(), None),
    }
}

/// The history rows in the order revlens read them (file, line): the canonical `seq` order.
fn history_order(ds: &Dataset) -> Vec<usize> {
    let h = &ds.stage_changes;
    let mut order: Vec<usize> = (0..h.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| (h.origin[i].file, h.origin[i].line, i));
    order
}

/// Each history row's place among the rows of the same deal and day, in file order: its
/// timestamp ([`stamp`]) is that many seconds after 08:00, so that ordering by time keeps the
/// file order within a day.
fn history_stamps(ds: &Dataset) -> Vec<u32> {
    let h = &ds.stage_changes;
    let mut seen: HashMap<(&str, Day), u32> = HashMap::new();
    let mut stamps = vec![0; h.len()];
    for i in history_order(ds) {
        let n = seen.entry((h.deal_id.get(i), h.at[i])).or_insert(0);
        stamps[i] = *n;
        *n += 1;
    }
    stamps
}

/// History row `i`'s timestamp, the `n`th of its deal and day.
fn stamp(h: &crate::model::StageChanges, i: usize, n: u32) -> String {
    at(h.at[i], &clock(n as usize))
}

/// History mode's rows: for each deal id (its first row in each export), a version per run of
/// exports in which it is unchanged, valid from 23:00 on the day of the first export of the run
/// to one second before 23:00 on the day of the next export (open-ended and active for the
/// version in the latest export). `cells` gives a deal row's columns. The rows are made as they
/// are read: only each id's row number in each export is held.
fn versions<'a: 'c, 'c>(
    ds: &'a Dataset,
    cells: impl Fn(&Deals, usize) -> Vec<String> + 'c,
) -> impl Iterator<Item = Vec<String>> + 'c {
    let exports: Vec<&Deals> = ds.snapshots.earlier.iter().chain(std::iter::once(&ds.deals)).collect();
    let mut days: Vec<Day> = ds.snapshots.list.iter().map(|s| s.day).collect();
    days.resize(exports.len(), NO_DAY);
    // Per id, in order of first appearance: its first row in each export (None when absent).
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: HashMap<&str, Vec<Option<usize>>> = HashMap::new();
    for (k, d) in exports.iter().enumerate() {
        for i in 0..d.len() {
            let id = d.id.get(i);
            if id.is_empty() {
                continue;
            }
            let slots = by_id.entry(id).or_insert_with(|| {
                order.push(id);
                vec![None; exports.len()]
            });
            if slots[k].is_none() {
                slots[k] = Some(i);
            }
        }
    }
    order.into_iter().flat_map(move |id| {
        let slots: Vec<Option<Vec<String>>> =
            by_id[id].iter().enumerate().map(|(k, row)| row.map(|i| cells(exports[k], i))).collect();
        let start = |k: usize| at(days[k], "23:00:00");
        let end = |k: usize| at(days[k], "22:59:59");
        let mut rows = Vec::new();
        let mut k = 0;
        while k < slots.len() {
            let Some(row) = &slots[k] else {
                k += 1;
                continue;
            };
            let mut next = k + 1;
            while next < slots.len() && slots[next].as_ref() == Some(row) {
                next += 1;
            }
            let last = next == slots.len();
            let mut r = vec![start(k), if last { String::new() } else { end(next) }, last.to_string()];
            r.extend(row.iter().cloned());
            rows.push(r);
            k = next;
        }
        rows
    })
}

// ---------------------------------------------------------------------------------------------
// HubSpot
// ---------------------------------------------------------------------------------------------

const HS_DEAL: [(&str, ColumnType); 17] = [
    ("deal_id", ColumnType::BigInt),
    ("is_deleted", ColumnType::Boolean),
    ("deal_pipeline_id", ColumnType::Text),
    ("deal_pipeline_stage_id", ColumnType::Text),
    ("owner_id", ColumnType::BigInt),
    ("property_dealname", ColumnType::Text),
    ("property_amount", ColumnType::Double),
    ("property_deal_currency_code", ColumnType::Text),
    ("property_hs_deal_stage_probability", ColumnType::Double),
    ("property_createdate", ColumnType::Timestamp),
    ("property_closedate", ColumnType::Timestamp),
    ("property_hs_forecast_category", ColumnType::Text),
    ("property_hs_analytics_source", ColumnType::Text),
    ("property_dealtype", ColumnType::Text),
    ("property_region", ColumnType::Text),
    ("property_product", ColumnType::Text),
    ("_fivetran_synced", ColumnType::Timestamp),
];

const PIPELINE_ID: &str = "default";

/// The pipeline's stages: labels, ids and statuses.
struct Stages {
    labels: Vec<String>,
    id_of: HashMap<String, String>,
    status: Vec<Status>,
}

impl Stages {
    fn of(ds: &Dataset) -> Result<Stages, String> {
        let mut stages = Stages { labels: Vec::new(), id_of: HashMap::new(), status: Vec::new() };
        let mut taken: HashSet<String> = HashSet::new();
        let mut add = |stages: &mut Stages, label: &str, status: Status| -> Result<(), String> {
            if label.is_empty() {
                return Ok(());
            }
            if let Some(k) = stages.labels.iter().position(|l| l == label) {
                if stages.status[k] != status {
                    return Err(format!(
                        "stage '{label}' is {:?} for one deal and {status:?} for another: HubSpot keeps one status per stage",
                        stages.status[k]
                    ));
                }
                return Ok(());
            }
            let key: String =
                label.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect();
            let mut id = if key.is_empty() { format!("stage{}", stages.labels.len() + 1) } else { key };
            if taken.contains(&id) {
                id = format!("{id}{}", stages.labels.len() + 1);
            }
            taken.insert(id.clone());
            stages.id_of.insert(label.to_string(), id);
            stages.labels.push(label.to_string());
            stages.status.push(status);
            Ok(())
        };
        for d in std::iter::once(&ds.deals).chain(&ds.snapshots.earlier) {
            for i in 0..d.len() {
                add(&mut stages, d.stage.get(i), d.status[i])?;
            }
        }
        let h = &ds.stage_changes;
        for i in 0..h.len() {
            let label = h.stage.get(i);
            if !stages.id_of.contains_key(label) {
                add(&mut stages, label, status_from_stage(label))?;
            }
        }
        Ok(stages)
    }
}

fn hs_deal_cells(d: &Deals, i: usize, ids: &Ids, stages: &Stages) -> Vec<String> {
    vec![
        ids.deal_number[d.id.get(i)].to_string(),
        "false".into(),
        PIPELINE_ID.into(),
        opt(stages.id_of.get(d.stage.get(i))),
        opt(ids.owner(d.owner.get(i))),
        d.name.get(i).to_string(),
        number(d.amount[i]),
        d.currency.get(i).to_string(),
        number(d.probability[i]),
        at(d.created[i], "09:30:00"),
        at(d.close[i], "00:00:00"),
        d.forecast_category.get(i).to_string(),
        d.lead_source.get(i).to_string(),
        d.deal_type.get(i).to_string(),
        d.region.get(i).to_string(),
        d.product.get(i).to_string(),
        SYNCED.into(),
    ]
}

fn hubspot(ds: &Dataset, ids: &Ids, emit: &mut Emit<'_>) -> Result<(), String> {
    let stages = Stages::of(ds)?;
    let d = &ds.deals;
    emit(t("hubspot", "deal", &HS_DEAL), &mut (0..d.len()).map(|i| hs_deal_cells(d, i, ids, &stages)))?;
    let pipeline_cols = [
        ("pipeline_id", ColumnType::Text),
        ("label", ColumnType::Text),
        ("active", ColumnType::Boolean),
        ("display_order", ColumnType::BigInt),
        ("_fivetran_deleted", ColumnType::Boolean),
    ];
    emit(
        t("hubspot", "deal_pipeline", &pipeline_cols),
        &mut std::iter::once(vec![
            PIPELINE_ID.into(),
            "Sales Pipeline".into(),
            "true".into(),
            "0".into(),
            "false".into(),
        ]),
    )?;
    let stage_cols = [
        ("stage_id", ColumnType::Text),
        ("pipeline_id", ColumnType::Text),
        ("label", ColumnType::Text),
        ("display_order", ColumnType::BigInt),
        ("probability", ColumnType::Double),
        ("is_closed", ColumnType::Boolean),
        ("closed_won", ColumnType::Boolean),
        ("active", ColumnType::Boolean),
        ("_fivetran_deleted", ColumnType::Boolean),
    ];
    emit(
        t("hubspot", "deal_pipeline_stage", &stage_cols),
        &mut stages.labels.iter().enumerate().map(|(k, label)| {
            let (closed, won) = status_flags(stages.status[k]);
            let p = crate::metrics::sales::default_stage_probability(label).unwrap_or(if won {
                1.0
            } else if closed {
                0.0
            } else {
                0.5
            });
            vec![
                stages.id_of[label].clone(),
                PIPELINE_ID.into(),
                label.clone(),
                k.to_string(),
                number(p),
                closed.to_string(),
                won.to_string(),
                "true".into(),
                "false".into(),
            ]
        }),
    )?;
    // deal_stage: the stage rows of the history (a stage entered), in history mode.
    let stage_hist_cols = [
        ("deal_id", ColumnType::BigInt),
        ("value", ColumnType::Text),
        ("date_entered", ColumnType::Timestamp),
        ("source", ColumnType::Text),
        ("_fivetran_start", ColumnType::Timestamp),
        ("_fivetran_end", ColumnType::Timestamp),
        ("_fivetran_active", ColumnType::Boolean),
        ("_fivetran_synced", ColumnType::Timestamp),
    ];
    let h = &ds.stage_changes;
    let stamps = history_stamps(ds);
    let rows: Vec<usize> = history_order(ds).into_iter().filter(|&i| !h.stage.get(i).is_empty()).collect();
    // A deal's row is active until the deal's next stage row starts.
    let mut next: Vec<Option<usize>> = vec![None; h.len()];
    let mut last_of: HashMap<&str, usize> = HashMap::new();
    let mut by_time = rows.clone();
    crate::sort::sort_by_key(&mut by_time, |&i| (h.at[i], i));
    for &i in &by_time {
        if let Some(prev) = last_of.insert(h.deal_id.get(i), i) {
            next[prev] = Some(i);
        }
    }
    drop((by_time, last_of));
    emit(
        t("hubspot", "deal_stage", &stage_hist_cols),
        &mut rows.iter().map(|&i| {
            vec![
                ids.deal_number[h.deal_id.get(i)].to_string(),
                stages.id_of[h.stage.get(i)].clone(),
                stamp(h, i, stamps[i]),
                "CRM_UI".into(),
                stamp(h, i, stamps[i]),
                next[i].map(|j| stamp(h, j, stamps[j])).unwrap_or_default(),
                next[i].is_none().to_string(),
                SYNCED.into(),
            ]
        }),
    )?;
    let owner_cols = [
        ("owner_id", ColumnType::BigInt),
        ("first_name", ColumnType::Text),
        ("last_name", ColumnType::Text),
        ("email", ColumnType::Text),
        ("type", ColumnType::Text),
        ("_fivetran_synced", ColumnType::Timestamp),
    ];
    emit(
        t("hubspot", "owner", &owner_cols),
        &mut ids.owners.iter().enumerate().map(|(k, name)| {
            let (first, last) = split_name(name);
            vec![
                (k + 1).to_string(),
                first,
                opt(last),
                format!("owner{}@example.com", k + 1),
                "PERSON".into(),
                SYNCED.into(),
            ]
        }),
    )?;
    let company_cols =
        [("id", ColumnType::BigInt), ("property_name", ColumnType::Text), ("is_deleted", ColumnType::Boolean)];
    emit(
        t("hubspot", "company", &company_cols),
        &mut ids.accounts.iter().enumerate().map(|(k, name)| vec![(k + 1).to_string(), name.clone(), "false".into()]),
    )?;
    let deal_company_cols = [
        ("deal_id", ColumnType::BigInt),
        ("company_id", ColumnType::BigInt),
        ("type_id", ColumnType::BigInt),
        ("category", ColumnType::Text),
    ];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for dd in std::iter::once(&ds.deals).chain(&ds.snapshots.earlier) {
        for i in 0..dd.len() {
            if let Some(a) = ids.account(dd.account.get(i)) {
                let p = (ids.deal_number[dd.id.get(i)], a);
                if seen.insert(p) {
                    pairs.push(p);
                }
            }
        }
    }
    emit(
        t("hubspot", "deal_company", &deal_company_cols),
        &mut pairs.iter().map(|(d, a)| vec![d.to_string(), a.to_string(), "5".into(), "HUBSPOT_DEFINED".into()]),
    )?;
    let mut cols = vec![
        ("_fivetran_start", ColumnType::Timestamp),
        ("_fivetran_end", ColumnType::Timestamp),
        ("_fivetran_active", ColumnType::Boolean),
    ];
    cols.extend(HS_DEAL);
    emit(t("hubspot_history", "deal", &cols), &mut versions(ds, |d, i| hs_deal_cells(d, i, ids, &stages)))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------------------------

/// The canonical tables no CRM connector holds (billing, leads as revlens reads them, other
/// income, spend, quotas), as the canonical writer writes them.
fn canonical_side_tables(ds: &Dataset, emit: &mut Emit<'_>) -> Result<(), String> {
    use ColumnType::{Boolean, Date, Double, Text};
    let specs: [(&'static str, Vec<(&'static str, ColumnType)>); 5] = [
        (
            "revenue_lines",
            vec![
                ("customer", Text),
                ("customer_name", Text),
                ("subscription", Text),
                ("start_date", Date),
                ("end_date", Date),
                ("mrr", Double),
                ("currency", Text),
                ("churned", Boolean),
                ("recurring", Boolean),
            ],
        ),
        (
            "leads",
            vec![
                ("id", Text),
                ("created", Date),
                ("source", Text),
                ("status", Text),
                ("account", Text),
                ("owner", Text),
                ("mql_date", Date),
                ("sql_date", Date),
                ("opportunity_date", Date),
                ("customer_date", Date),
                ("deal_id", Text),
                ("seq", ColumnType::BigInt),
            ],
        ),
        ("other_income", vec![("date", Date), ("category", Text), ("amount", Double)]),
        ("spend", vec![("month", Date), ("channel", Text), ("category", Text), ("amount", Double)]),
        ("quotas", vec![("owner", Text), ("start_date", Date), ("end_date", Date), ("amount", Double)]),
    ];
    let mut specs: Vec<_> = specs.into_iter().map(Some).collect();
    super::canonical::each_canonical_table(ds, &mut |file, _, rows| {
        let wanted =
            specs.iter_mut().find(|s| s.as_ref().is_some_and(|(name, _)| file.strip_suffix(".csv") == Some(name)));
        match wanted.and_then(Option::take) {
            Some((name, columns)) => {
                emit(ConnectorTable { schema: "revlens", name, seed: format!("revlens__{name}"), columns }, rows)
            }
            None => Ok(()),
        }
    })?;
    match specs.iter().flatten().next() {
        Some((name, _)) => Err(format!("the canonical tables have no {name}.csv")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_and_join_back() {
        for name in ["Jon Smith", "Jon  Smith", "Cher", "O'Neil, Cy", "Ann "] {
            let (first, last) = split_name(name);
            let joined = match last {
                Some(l) => format!("{first} {l}"),
                None => first,
            };
            assert_eq!(joined, name);
        }
        assert_eq!(clock(0), "08:00:00");
        assert_eq!(clock(61), "08:01:01");
        assert_eq!(percent(0.1), "10");
    }

    #[test]
    fn an_empty_dataset_has_every_table_with_its_header() {
        let tables = connector_tables(&Dataset::default()).unwrap();
        assert_eq!(tables.len(), 5 + 8 + 5);
        for (t, csv) in &tables {
            assert_eq!(csv.lines().next(), Some(t.header().join(",").as_str()), "{}", t.seed);
            // The one pipeline is there with no deals; every other table is empty.
            let rows = if t.seed == "hubspot__deal_pipeline" { 1 } else { 0 };
            assert_eq!(csv.lines().count(), 1 + rows, "{}", t.seed);
        }
        let tables: Vec<ConnectorTable> = tables.into_iter().map(|(t, _)| t).collect();
        let yml = seeds_yml(&tables);
        assert!(yml.contains(
            "  - name: salesforce__opportunity\n    config:\n      schema: salesforce\n      alias: opportunity"
        ));
    }
}
