//! Assembles the [`Report`]: ingestion, both lenses, quality.

use crate::ingest::{build_dataset_with, FileIngest, IngestError, IngestOptions, IngestedFile, ReadAt};
pub use crate::limits::{human_bytes, size_text, DEFAULT_MAX_BYTES, WASM_MAX_BYTES};
use crate::message::Message;
use crate::metrics::history::{pipeline_history, stage_conversion, DealHistories, PipelineHistory};
use crate::metrics::periods::{Calendar, Grain};
use crate::metrics::revenue::{revenue_metrics, RevOps, RevenueOptions};
use crate::metrics::sales::{
    forecast_categories, leaderboard, probability_sources, quota_metrics, sales_metrics, stage_order, CommissionPlan,
    LeaderRow, ProbabilitySources, SalesOptions, StageOrder,
};
use crate::metrics::snapshots::{accuracy_metrics, compare_snapshots, SnapshotComparison, Window};
use crate::metrics::{Lens, Metric, Unit};
use crate::model::{
    date_from_day, Dataset, Day, Deals, HistoryDeals, Origin, SnapshotDateSource, SnapshotInfo, SpendChannel,
};
use crate::pipeline::{pipeline_forecast, pipeline_forecast_timed, Measured, PipelineForecast, PipelineOptions};
use crate::quality::{assess_with, QualityReport};
use crate::timings::{stage, Clock, FileTiming, StageTiming, Stopwatch, Timings};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// Why no report can be made.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ReportError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("amounts in {currency} ({rows} rows) but no exchange rate for {currency} to {report_currency}: add one under `rates` (e.g. {{\"{currency}\": 1.08}} = {report_currency} per 1 {currency})")]
    MissingRate { currency: String, report_currency: String, rows: usize },
    #[error("the as-of date '{0}' is not a date (use YYYY-MM-DD)")]
    BadAsOf(String),
    #[error("{what} '{value}' is not a date (use YYYY-MM-DD)")]
    BadSnapshotDate { what: String, value: String },
    #[error("no files given")]
    NoFiles,
    #[error("none of the files could be read: {first} (and {others} more)")]
    NoFileRead {
        first: String,
        /// The first file's error as a code and parameters.
        first_coded: Message,
        others: usize,
    },
    #[error("spend entry {entry}: {why}")]
    BadSpend { entry: usize, why: String },
    #[error("{file}: the input is {}, more than the {} this analysis may read (option max_bytes). Export fewer columns or a shorter date range, split the export, or run the revlens command-line tool on it (see \"When your data outgrows the browser\" in the README)", size_text(*.bytes), size_text(*.limit))]
    TooLarge {
        /// The file being read when the total passed the limit.
        file: String,
        /// The input's size in bytes (all files so far).
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl ReportError {
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::Ingest(e) => e.code(),
            ReportError::MissingRate { .. } => "MISSING_RATE",
            ReportError::BadAsOf(_) => "BAD_AS_OF",
            ReportError::BadSnapshotDate { .. } => "BAD_SNAPSHOT_DATE",
            ReportError::NoFiles => "NO_FILES",
            ReportError::NoFileRead { .. } => "NO_FILE_READ",
            ReportError::BadSpend { .. } => "BAD_SPEND",
            ReportError::TooLarge { .. } => "TOO_LARGE",
        }
    }

    /// The error as its code and parameters, for a page to say it in the reader's language
    /// (issue #28); `why` of a spend entry is the option reader's own text, passed on as it is.
    pub fn coded(&self) -> Message {
        let m = Message::new(self.code());
        match self {
            ReportError::Ingest(e) => e.coded(),
            ReportError::MissingRate { currency, report_currency, rows } => m
                .with("currency", currency.as_str())
                .with("report_currency", report_currency.as_str())
                .with("rows", *rows),
            ReportError::BadAsOf(value) => m.with("value", value.as_str()),
            ReportError::BadSnapshotDate { what, value } => m.with("what", what.as_str()).with("value", value.as_str()),
            ReportError::NoFiles => m,
            ReportError::NoFileRead { first_coded, others, .. } => {
                m.with("first", first_coded.clone()).with("others", *others)
            }
            ReportError::BadSpend { entry, why } => m.with("entry", *entry).with("detail", why.as_str()),
            ReportError::TooLarge { file, bytes, limit } => {
                m.with("file", file.as_str()).with("bytes", *bytes as f64).with("limit", *limit as f64)
            }
        }
    }
}

impl ReportOptions {
    /// The most input bytes this analysis may read: `max_bytes`, else [`DEFAULT_MAX_BYTES`].
    pub fn input_limit(&self) -> Option<u64> {
        self.max_bytes.or(DEFAULT_MAX_BYTES)
    }

    /// A `TOO_LARGE` error when `bytes` of input (in all, `file` being the one read last) pass
    /// [`Self::input_limit`]. Checked before anything of the input is decoded or stored.
    pub fn check_input_size(&self, file: &str, bytes: u64) -> Result<(), ReportError> {
        match self.input_limit() {
            Some(limit) if bytes > limit => Err(ReportError::TooLarge { file: file.to_string(), bytes, limit }),
            _ => Ok(()),
        }
    }

    /// [`Self::check_input_size`] on files given by name and size, before any is read: the error
    /// names the file with which the running total passes the limit.
    pub fn check_input_sizes<'a>(&self, files: impl IntoIterator<Item = (&'a str, u64)>) -> Result<(), ReportError> {
        let mut total = 0u64;
        for (name, size) in files {
            total = total.saturating_add(size);
            self.check_input_size(name, total)?;
        }
        Ok(())
    }
}

/// Everything a user can set for a report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportOptions {
    /// `YYYY-MM-DD`; default: the latest event date in the data.
    pub as_of: Option<String>,
    /// Report currency; default: the most common currency of the deals (or none).
    pub currency: Option<String>,
    /// Report-currency units per one unit of each other currency.
    pub rates: HashMap<String, f64>,
    pub grain: Grain,
    /// 1 = January.
    pub fiscal_year_start_month: Option<u32>,
    pub ingest: IngestOptions,
    /// Commission plan for the leaderboard (base rate, accelerator tiers, cap).
    pub commission_plan: Option<CommissionPlan>,
    /// Fraction of revenue kept after cost of service, for CLV and CAC payback (default 0.8).
    pub gross_margin: Option<f64>,
    /// Lead sources that count as marketing (default: a built-in mapping, see `source_channel`).
    pub marketing_sources: Option<Vec<String>>,
    /// Months back for NRR and GRR (default 12).
    pub retention_months: Option<u32>,
    /// Monte Carlo runs of the pipeline forecast (default 10 000; 0 = none).
    pub simulations: Option<usize>,
    /// Seed of the Monte Carlo (default fixed, so a report is reproducible).
    pub seed: Option<u64>,
    /// Periods of the bookings time-series forecast (default 12 months, 4 quarters, 3 years).
    pub horizon: Option<usize>,
    /// A segment of the deals for the SalesOps lens and the forecast (RevOps stays the whole
    /// company: spend and subscriptions carry no owner or region).
    pub filter: DealFilter,
    /// Sales and marketing spend typed in (for CAC without a spend file), added to any spend
    /// file's lines.
    pub spend: Vec<TypedSpend>,
    /// Keep every open deal's learned and CRM win probability in
    /// `forecast.win_probability.deals` (one entry per open deal: large on big pipelines, so
    /// off by default; the deals that move the forecast are always in `forecast.periods[].movers`).
    pub deal_probabilities: bool,
    /// Measure the milliseconds of each stage into `timings` (the CLI's `--timings`, the page).
    /// Off by default, so that a report is a pure function of its inputs; it takes a clock
    /// from the caller (the CLI and the JS binding give one; the core never reads one).
    pub timings: bool,
    /// The most input bytes (all files together) to read: beyond it the analysis stops with a
    /// `TOO_LARGE` error before reading any of them. Default: 1 GiB in WebAssembly (wasm32 has
    /// 4 GiB of memory in all), no limit natively.
    pub max_bytes: Option<u64>,
    /// The date each deals export was taken, by file name (`YYYY-MM-DD`): exports of the same
    /// deals are snapshots, and their dates are otherwise read from their names, a "Generated"
    /// line, or their latest event.
    pub snapshot_dates: HashMap<String, String>,
    /// Which snapshots to compare, and over which window.
    pub compare: CompareOptions,
    /// Natively, the threads a report may use (default: the machine's cores; 1 = one after
    /// the other). The report is the same whatever it is. In WebAssembly a report runs on the
    /// worker's one thread, and the option is not read from JSON.
    #[serde(skip)]
    #[cfg_attr(target_arch = "wasm32", tsify(skip))]
    pub threads: Option<usize>,
}

/// The snapshot comparison's choices; each default is the forecast call's.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CompareOptions {
    /// The earlier snapshot, by its date (`YYYY-MM-DD`) or file name. Default: the first
    /// snapshot taken in the window, else the last one before it.
    pub from: Option<String>,
    /// The window's first and last day (`YYYY-MM-DD`, both included). Default: the fiscal
    /// quarter holding the latest snapshot's date.
    pub window_start: Option<String>,
    pub window_end: Option<String>,
}

/// One month of spend typed in by the user.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TypedSpend {
    /// `YYYY-MM`.
    pub month: String,
    pub channel: SpendChannel,
    pub amount: f64,
}

/// Appends the typed spend to the dataset as lines of a pseudo-file named `options.spend`
/// (line n = the n-th entry), so every number stays traceable.
fn add_typed_spend(ds: &mut Dataset, spend: &[TypedSpend]) -> Result<(), ReportError> {
    if spend.is_empty() {
        return Ok(());
    }
    let file = ds.files.len() as u32;
    ds.files.push("options.spend".into());
    for (k, t) in spend.iter().enumerate() {
        let bad = |why: &str| ReportError::BadSpend { entry: k + 1, why: why.to_string() };
        let month = crate::model::day_from_iso(&format!("{}-01", t.month.trim()))
            .ok_or_else(|| bad(&format!("month '{}' is not YYYY-MM", t.month)))?;
        if !t.amount.is_finite() || t.amount < 0.0 {
            return Err(bad(&format!("amount {} is not a number ≥ 0", t.amount)));
        }
        let s = &mut ds.spend;
        s.month.push(month);
        s.channel.push(t.channel);
        s.category.push(match t.channel {
            SpendChannel::Marketing => "Marketing",
            SpendChannel::Sales => "Sales",
            SpendChannel::Other => "Other",
        });
        s.amount.push(t.amount);
        s.origin.push(Origin { file, line: k as u32 + 1 });
    }
    Ok(())
}

/// Deals to keep: within a dimension any listed value matches, across dimensions all must;
/// an empty list does not filter.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DealFilter {
    pub owner: Vec<String>,
    pub region: Vec<String>,
    pub lead_source: Vec<String>,
    #[serde(rename = "type")]
    pub deal_type: Vec<String>,
}

impl DealFilter {
    pub fn is_empty(&self) -> bool {
        self.owner.is_empty() && self.region.is_empty() && self.lead_source.is_empty() && self.deal_type.is_empty()
    }

    fn keeps(&self, deals: &Deals, i: usize) -> bool {
        let matches = |values: &[String], v: &str| values.is_empty() || values.iter().any(|x| x == v);
        matches(&self.owner, deals.owner.get(i))
            && matches(&self.region, deals.region.get(i))
            && matches(&self.lead_source, deals.lead_source.get(i))
            && matches(&self.deal_type, deals.deal_type.get(i))
    }
}

/// The segment a report was computed on.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AppliedFilter {
    pub filter: DealFilter,
    pub deals_kept: usize,
    pub deals_total: usize,
    /// What the filter applies to.
    pub scope: String,
}

/// The segment's deals: a filtered copy when `filter` sets one (as [`apply_filter`] keeps them).
fn segment_deals<'d>(deals: &'d Deals, filter: &DealFilter) -> std::borrow::Cow<'d, Deals> {
    if filter.is_empty() {
        return std::borrow::Cow::Borrowed(deals);
    }
    let keep: Vec<bool> = (0..deals.len()).map(|i| filter.keeps(deals, i)).collect();
    let mut copy = deals.clone();
    copy.retain_rows(&keep);
    std::borrow::Cow::Owned(copy)
}

/// Keeps the deals in the segment, their stage history and (with an owner filter) the
/// owners' quotas.
fn apply_filter(ds: &mut Dataset, filter: &DealFilter) -> AppliedFilter {
    let total = ds.deals.len();
    let keep: Vec<bool> = (0..total).map(|i| filter.keeps(&ds.deals, i)).collect();
    ds.deals.retain_rows(&keep);
    for earlier in ds.snapshots.earlier.iter_mut() {
        let keep: Vec<bool> = (0..earlier.len()).map(|i| filter.keeps(earlier, i)).collect();
        earlier.retain_rows(&keep);
    }
    let ids: std::collections::HashSet<&str> = ds.deals.id.iter().collect();
    let history: Vec<bool> = ds.stage_changes.deal_id.iter().map(|id| ids.contains(id)).collect();
    ds.stage_changes.retain_rows(&history);
    if !filter.owner.is_empty() {
        let quotas: Vec<bool> =
            (0..ds.quotas.len()).map(|i| filter.owner.iter().any(|o| o == ds.quotas.owner.get(i))).collect();
        ds.quotas.retain_rows(&quotas);
    }
    AppliedFilter {
        filter: filter.clone(),
        deals_kept: ds.deals.len(),
        deals_total: total,
        scope:
            "SalesOps metrics, the leaderboard, stage conversion and the forecast use the deals in the segment (with \
                their stage history and, for an owner filter, the owners' quotas). RevOps metrics and the data-quality \
                score are the whole company's."
                .into(),
    }
}

/// The whole analysis of a set of files.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub as_of: String,
    pub currency: String,
    pub grain: Grain,
    pub files: Vec<FileSummary>,
    pub metrics: Vec<Metric>,
    /// Per owner: bookings, win rate, deal size, cycle, attainment, pipeline, commission.
    pub leaderboard: Vec<LeaderRow>,
    /// The open stages in working order (used by stage conversion and the pipeline chart).
    pub stage_order: StageOrder,
    /// The RevOps lens's tables (funnel, MRR movements, cohorts) and the metrics it could not
    /// compute, with the file each needs; its metrics are in `metrics` (lens "revops").
    pub revops: RevOps,
    /// The forecast: current and next period from the open pipeline (learned win probability,
    /// slip, run rate, Monte Carlo P10/P50/P90) and the bookings time series with its backtest.
    pub forecast: PipelineForecast,
    /// The pipeline in time, from stage and field history: days in each stage, the
    /// bottleneck, stuck deals, close-date pushes and slip, amount changes (empty without
    /// history; the metrics are in `metrics`).
    pub history: PipelineHistory,
    /// Where the weighted pipeline's probabilities came from: the export's, HubSpot's default
    /// stage probabilities (HubSpot exports), Salesforce's standard ones, or none.
    pub weighted_pipeline_probability: ProbabilitySources,
    /// The exports of the same deals taken on different dates, and what changed between two
    /// of them (None with a single export).
    pub snapshots: Option<SnapshotsReport>,
    /// The segment, when `options.filter` set one.
    pub filter: Option<AppliedFilter>,
    /// Files given that could not be read at all (e.g. a lookup table of no known kind), each
    /// with the error that stopped it; the report is made from the others.
    pub files_not_read: Vec<FileNotRead>,
    pub quality: QualityReport,
    /// Milliseconds per stage, when `options.timings` asked for them (absent otherwise).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
}

/// The snapshots read, and the comparison of two of them.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SnapshotsReport {
    /// Every export of the deals, oldest first; the report's figures come from the last.
    pub list: Vec<SnapshotInfo>,
    /// The earlier export against the latest, over the window (None with one snapshot).
    pub comparison: Option<SnapshotComparison>,
}

/// A file left out of the report, and why.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileNotRead {
    pub file: String,
    /// The stable error code (e.g. `UNKNOWN_FILE_KIND`).
    pub code: &'static str,
    pub message: String,
    /// The error as its code and parameters ([`IngestError::coded`]).
    pub coded: Message,
}

/// A file's kind, source and row counts (details in `quality.files`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: crate::ingest::schema::FileKind,
    pub source: crate::ingest::schema::Source,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
}

/// Reads files held in memory and analyses them.
pub fn analyze(files: &[(&str, &[u8])], opts: &ReportOptions) -> Result<Report, ReportError> {
    analyze_timed(files, opts, None)
}

/// [`analyze`] with a clock (milliseconds): when `opts.timings` is set, the report carries the
/// time of each stage and of each file's ingestion.
pub fn analyze_timed(
    files: &[(&str, &[u8])],
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<Report, ReportError> {
    let clock = clock.filter(|_| opts.timings);
    report_of(read_files(files, opts, clock)?, opts, clock)
}

/// [`analyze_timed`] on files read as streams (the CLI's files on disk), a chunk at a time: the
/// whole file is never held in memory, only its typed columns. Each comes with its size when
/// known ([`FileIngest::expect_size`]: the columns are then sized once). A read error is reported as the
/// file's error, like a file that cannot be parsed. `max_bytes` is the caller's to check, from
/// the sizes it knows before reading ([`ReportOptions::check_input_sizes`]; the CLI does it from
/// the files' metadata).
pub fn analyze_streams(
    files: &mut [(&str, Option<u64>, &mut dyn std::io::Read)],
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<Report, ReportError> {
    let clock = clock.filter(|_| opts.timings);
    let mut sources: Vec<(&str, Feed<'_>)> = Vec::with_capacity(files.len());
    for (name, size, reader) in files.iter_mut() {
        let size = *size;
        let feed: Feed<'_> = Box::new(move |f: &mut FileIngest| {
            if let Some(size) = size {
                f.expect_size(size);
            }
            f.push_reader(&mut **reader)
        });
        sources.push((name, feed));
    }
    report_of(read_sources(sources, opts, clock)?, opts, clock)
}

/// [`analyze_timed`] on files read from any offset (the CLI's files on disk): each is read a
/// chunk at a time (only its typed columns are held), a large one in parts at once, one per
/// thread (`opts.threads`). The caller checks `max_bytes` from the sizes, as for
/// [`analyze_streams`].
pub fn analyze_files(
    files: &[(&str, &dyn ReadAt)],
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<Report, ReportError> {
    let clock = clock.filter(|_| opts.timings);
    report_of(read_at_sources(files, opts, clock)?, opts, clock)
}

/// The report of the files read, naming those that could not be.
fn report_of(read: FilesRead, opts: &ReportOptions, clock: Option<Clock>) -> Result<Report, ReportError> {
    let (ingested, not_read, file_timings) = read;
    let mut report = report_from_timed(ingested, opts, clock, file_timings)?;
    report.files_not_read = not_read;
    Ok(report)
}

/// Files held in memory once read: those read, those that could not be, and the time each took.
type FilesRead = (Vec<IngestedFile>, Vec<FileNotRead>, Vec<FileTiming>);

/// Pushes one file's bytes into its reader.
type Feed<'a> = Box<dyn FnMut(&mut FileIngest) -> Result<(), IngestError> + 'a>;

/// Reads files held in memory (an error when the only file, or every file, cannot be read);
/// times each with the clock, when there is one.
fn read_files(files: &[(&str, &[u8])], opts: &ReportOptions, clock: Option<Clock>) -> Result<FilesRead, ReportError> {
    // A spreadsheet counts as what it expands to (its cells are read from the unzipped XML).
    opts.check_input_sizes(files.iter().map(|(name, bytes)| (*name, crate::limits::input_size(bytes))))?;
    let sources: Vec<(&str, &dyn ReadAt)> = files.iter().map(|(name, bytes)| (*name, bytes as &dyn ReadAt)).collect();
    read_at_sources(&sources, opts, clock)
}

/// Reads files readable from any offset (in memory, on disk), a large one in parts at once, one
/// per thread ([`FileIngest::push_parallel`]).
fn read_at_sources(
    files: &[(&str, &dyn ReadAt)],
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<FilesRead, ReportError> {
    let threads = opts.threads.unwrap_or_else(crate::parallel::default_threads);
    let sources = files
        .iter()
        .map(|&(name, src)| {
            let feed: Feed<'_> = Box::new(move |f: &mut FileIngest| f.push_parallel(src, threads));
            (name, feed)
        })
        .collect();
    read_sources(sources, opts, clock)
}

/// Reads each file from its feed (an error when the only file, or every file, cannot be read);
/// times each with the clock, when there is one. Feeds run one after the other.
fn read_sources(
    sources: Vec<(&str, Feed<'_>)>,
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<FilesRead, ReportError> {
    let now = || clock.map_or(0.0, |c| c());
    let mut file_timings = Vec::new();
    if sources.is_empty() {
        return Err(ReportError::NoFiles);
    }
    let count = sources.len();
    let mut ingested = Vec::with_capacity(count);
    let mut not_read = Vec::new();
    for (name, mut feed) in sources {
        // A file's index is its place among the files read, which rows' origins point into.
        let index = ingested.len() as u32;
        let started = now();
        let mut f = FileIngest::new(name, index, &opts.ingest);
        let result = feed(&mut f).and_then(|()| f.finish());
        file_timings.push(FileTiming { file: name.to_string(), ms: (now() - started).max(0.0), stages: Vec::new() });
        match result {
            Ok(f) => ingested.push(f),
            // One file alone that cannot be read is the error; among several, it is reported
            // and the others are analysed.
            Err(e) if count == 1 => return Err(e.into()),
            Err(e) => not_read.push(FileNotRead {
                file: name.to_string(),
                code: e.code(),
                message: e.to_string(),
                coded: e.coded(),
            }),
        }
    }
    if ingested.is_empty() {
        let first = not_read.remove(0);
        return Err(ReportError::NoFileRead { first: first.message, first_coded: first.coded, others: not_read.len() });
    }
    Ok((ingested, not_read, file_timings))
}

/// The dataset a report is computed from — the files read, amounts in the report currency,
/// typed spend added — with its as-of date (YYYY-MM-DD). What `revlens canonical` writes out.
pub fn prepared_dataset(files: &[(&str, &[u8])], opts: &ReportOptions) -> Result<(Dataset, String), ReportError> {
    let (ingested, _, _) = read_files(files, opts, None)?;
    let prepared = prepare(ingested, opts)?;
    Ok((prepared.ds, day_label(prepared.as_of)))
}

/// Joins the files into a dataset, converts currencies, adds typed spend and settles the
/// as-of date: every report starts here.
fn prepare(files: Vec<IngestedFile>, opts: &ReportOptions) -> Result<Prepared, ReportError> {
    let mut given = HashMap::with_capacity(opts.snapshot_dates.len());
    for (file, date) in &opts.snapshot_dates {
        given.insert(file.clone(), parse_day(&format!("the snapshot date of {file}"), date)?);
    }
    let (mut ds, reports) = build_dataset_with(files, &given);
    let currency = convert_currencies(&mut ds, opts)?;
    add_typed_spend(&mut ds, &opts.spend)?;
    let as_of = match &opts.as_of {
        Some(s) => crate::model::day_from_iso(s.trim()).ok_or_else(|| ReportError::BadAsOf(s.clone()))?,
        // The latest export's own date, when known, is when the data was seen last.
        None => {
            let latest = ds.latest_event_day().unwrap_or(0);
            match ds.snapshots.list.last() {
                Some(s) if s.date_source != SnapshotDateSource::LatestEvent => latest.max(s.day),
                _ => latest,
            }
        }
    };
    Ok(Prepared { ds, reports, currency, as_of })
}

struct Prepared {
    ds: Dataset,
    reports: Vec<crate::ingest::report::FileReport>,
    currency: String,
    as_of: Day,
}

/// Analyses files already read (e.g. streamed chunk by chunk).
pub fn report_from(files: Vec<IngestedFile>, opts: &ReportOptions) -> Result<Report, ReportError> {
    report_from_timed(files, opts, None, Vec::new())
}

/// [`report_from`] with a clock (milliseconds) and the time each file took to read: when
/// `opts.timings` is set, the report carries the time of each stage.
pub fn report_from_timed(
    files: Vec<IngestedFile>,
    opts: &ReportOptions,
    clock: Option<Clock>,
    ingest: Vec<FileTiming>,
) -> Result<Report, ReportError> {
    let Started { mut ds, found, reports, currency, as_of, calendar, files, mut watch, ingest } =
        start(files, opts, clock, ingest)?;
    // Quality and RevOps see every row; a segment narrows only what follows. The two sides
    // read the dataset only, so they run at once when there are two threads (the segment then
    // filters a copy, and the company side a copy of the deals for the lens's metrics of the
    // deals); one after the other, the segment filters the dataset itself.
    let threads = opts.threads.unwrap_or_else(crate::parallel::default_threads);
    let parallel = crate::parallel::runs_parallel(threads);
    let charged = watch.charged();
    let (company, (segment, filter)) = if parallel {
        let (ds, found) = (&ds, &found);
        crate::parallel::join(
            threads,
            || company_side(ds, found, reports, as_of, calendar, opts, clock),
            || {
                watch.resync();
                segment_of(ds, found, opts, as_of, calendar, &mut watch)
            },
        )
    } else {
        let company = company_side(&ds, &found, reports, as_of, calendar, opts, clock);
        watch.resync();
        let filter = (!opts.filter.is_empty()).then(|| apply_filter(&mut ds, &opts.filter));
        // A segment's deals and history are fewer: their rows are found again.
        let found = match filter {
            Some(_) => HistoryDeals::new(&ds.deals, &ds.stage_changes),
            None => found,
        };
        (company, (segment_side(&ds, &found, opts, as_of, calendar, &mut watch), filter))
    };
    let beside = watch.charged() - charged;
    watch.resync();
    let sales = SalesSide {
        base: Base { as_of, currency, grain: opts.grain, files, ingest, watch },
        segment: segment?,
        filter,
        beside,
    };
    Ok(sales.finish(company, parallel))
}

/// The SalesOps side over `ds`, or over a filtered copy when `opts.filter` sets a segment.
fn segment_of(
    ds: &Dataset,
    found: &HistoryDeals,
    opts: &ReportOptions,
    as_of: Day,
    calendar: Calendar,
    watch: &mut Stopwatch,
) -> (Result<Segment, ReportError>, Option<AppliedFilter>) {
    match (!opts.filter.is_empty()).then(|| ds.clone()) {
        Some(mut copy) => {
            let filter = apply_filter(&mut copy, &opts.filter);
            // The segment's deals and history are fewer: their rows are found again.
            let found = HistoryDeals::new(&copy.deals, &copy.stage_changes);
            (segment_side(&copy, &found, opts, as_of, calendar, watch), Some(filter))
        }
        None => (segment_side(ds, found, opts, as_of, calendar, watch), None),
    }
}

/// What every report starts from: the dataset ready, its as-of date and calendar, the files'
/// summaries, and the stopwatch that has timed reading and joining them.
struct Started<'c> {
    ds: Dataset,
    /// Each history row's deal, found once for quality and the SalesOps side.
    found: HistoryDeals,
    reports: Vec<crate::ingest::report::FileReport>,
    currency: String,
    as_of: Day,
    calendar: Calendar,
    files: Vec<FileSummary>,
    watch: Stopwatch<'c>,
    ingest: Vec<FileTiming>,
}

fn start<'c>(
    files: Vec<IngestedFile>,
    opts: &ReportOptions,
    clock: Option<Clock<'c>>,
    ingest: Vec<FileTiming>,
) -> Result<Started<'c>, ReportError> {
    let mut watch = Stopwatch::new(clock.filter(|_| opts.timings));
    watch.add(stage::INGEST, ingest.iter().map(|f| f.ms).sum());
    let Prepared { ds, reports, currency, as_of } = prepare(files, opts)?;
    let calendar = Calendar { grain: opts.grain, fiscal_year_start_month: opts.fiscal_year_start_month.unwrap_or(1) };
    let threads = opts.threads.unwrap_or_else(crate::parallel::default_threads);
    let found = HistoryDeals::with_threads(&ds.deals, &ds.stage_changes, threads);
    watch.lap(stage::DATASET);
    let files = reports
        .iter()
        .map(|r| FileSummary {
            file: r.file.clone(),
            kind: r.kind,
            source: r.source,
            rows_read: r.rows_read,
            rows_used: r.rows_used,
            rows_rejected: r.rows_rejected,
        })
        .collect();
    Ok(Started { ds, found, reports, currency, as_of, calendar, files, watch, ingest })
}

/// The company side of a report: data quality and the RevOps lens, over every row (a segment
/// never narrows them), and the time each took. It also computes the SalesOps lens's own metrics
/// over the segment's deals (`sales_metrics`), which depend on nothing else of the SalesOps
/// side: the two sides then take about as long.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize)]
pub struct CompanySide {
    /// The SalesOps lens's metrics of the deals alone (win rate, cycle, velocity, …), over the
    /// segment: the first of the report's metrics.
    pub sales_metrics: Vec<Metric>,
    pub quality: QualityReport,
    /// With its metrics (the report moves them into its one `metrics` array).
    pub revops: RevOps,
    /// The milliseconds of its stages (empty without timings).
    pub stages: Vec<StageTiming>,
}

fn company_side(
    ds: &Dataset,
    found: &HistoryDeals,
    reports: Vec<crate::ingest::report::FileReport>,
    as_of: Day,
    calendar: Calendar,
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> CompanySide {
    let mut watch = Stopwatch::new(clock.filter(|_| opts.timings));
    let sales_metrics = sales_metrics(&segment_deals(&ds.deals, &opts.filter), &SalesOptions { as_of, calendar });
    watch.lap(stage::SALESOPS);
    let quality = assess_with(ds, found, reports, as_of);
    watch.lap(stage::QUALITY);
    let defaults = RevenueOptions::default();
    let revops = revenue_metrics(
        ds,
        &RevenueOptions {
            as_of,
            calendar,
            gross_margin: opts.gross_margin.unwrap_or(defaults.gross_margin),
            marketing_sources: opts.marketing_sources.clone(),
            retention_months: opts.retention_months.unwrap_or(defaults.retention_months),
        },
    );
    watch.lap(stage::REVOPS);
    CompanySide { sales_metrics, quality, revops, stages: watch.into_stages() }
}

/// A report's two sides computed apart, each from the same files read on its own (two web
/// workers, each with its own memory): [`company_side_of`] on one, [`sales_side_of`] on the
/// other, then [`SalesSide::finish`] with the company side. The report is the one
/// [`report_from_timed`] gives.
pub fn company_side_of(
    files: Vec<IngestedFile>,
    opts: &ReportOptions,
    clock: Option<Clock>,
) -> Result<CompanySide, ReportError> {
    let Started { ds, found, reports, as_of, calendar, .. } = start(files, opts, None, Vec::new())?;
    Ok(company_side(&ds, &found, reports, as_of, calendar, opts, clock))
}

/// See [`company_side_of`]: the SalesOps side (lens, pipeline in time, forecast, snapshots),
/// ready to be finished with the company side. It keeps the dataset, so that it can compute the
/// company side itself when the other worker gave none ([`SalesSide::finish_alone`]).
pub fn sales_side_of<'c>(
    files: Vec<IngestedFile>,
    opts: &ReportOptions,
    clock: Option<Clock<'c>>,
    ingest: Vec<FileTiming>,
) -> Result<Apart<'c>, ReportError> {
    let Started { ds, found, reports, currency, as_of, calendar, files, mut watch, ingest } =
        start(files, opts, clock, ingest)?;
    let charged = watch.charged();
    let (segment, filter) = segment_of(&ds, &found, opts, as_of, calendar, &mut watch);
    let beside = watch.charged() - charged;
    let sales = SalesSide {
        base: Base { as_of, currency, grain: opts.grain, files, ingest, watch },
        segment: segment?,
        filter,
        beside,
    };
    Ok(Apart { sales, ds, found, reports, calendar })
}

/// The SalesOps side computed by [`sales_side_of`], with what the company side needs.
pub struct Apart<'c> {
    pub sales: SalesSide<'c>,
    ds: Dataset,
    found: HistoryDeals,
    reports: Vec<crate::ingest::report::FileReport>,
    calendar: Calendar,
}

impl Apart<'_> {
    /// The report with the company side computed elsewhere (the time waited for it counts in
    /// the total, in no stage).
    pub fn finish(mut self, company: CompanySide) -> Report {
        self.sales.base.watch.idle();
        self.sales.finish(company, true)
    }

    /// [`Apart::finish`] for a caller that holds the company side in its own form (a web worker's
    /// JavaScript values): the report but for that side, whose stages took `company_stages`.
    pub fn parts(mut self, company_stages: Vec<StageTiming>) -> SalesParts {
        self.sales.base.watch.idle();
        self.sales.parts(company_stages, true)
    }

    /// The report with the company side computed here, after the SalesOps side (when the other
    /// worker could not give it).
    pub fn finish_alone(mut self, opts: &ReportOptions) -> Report {
        let clock = self.sales.base.watch.clock();
        self.sales.base.watch.resync();
        let company =
            company_side(&self.ds, &self.found, self.reports, self.sales.base.as_of, self.calendar, opts, clock);
        self.sales.base.watch.resync();
        drop(self.ds);
        self.sales.finish(company, false)
    }
}

/// What a report says besides its two sides.
struct Base<'c> {
    as_of: Day,
    currency: String,
    grain: Grain,
    files: Vec<FileSummary>,
    ingest: Vec<FileTiming>,
    watch: Stopwatch<'c>,
}

/// The SalesOps side of a report, computed; [`SalesSide::parts`] and [`ordered_metrics`] join
/// it with the company side.
pub struct SalesSide<'c> {
    base: Base<'c>,
    segment: Segment,
    filter: Option<AppliedFilter>,
    /// The milliseconds the SalesOps side took (beside the company side when they ran at once).
    beside: f64,
}

/// A report without its company side, and the SalesOps metrics to order with the company's
/// ([`ordered_metrics`]).
pub struct SalesParts {
    /// Its `metrics`, `quality` and `revops` are empty, for the caller to fill.
    pub report: Report,
    pub metrics: Vec<Metric>,
    pub snapshot_metrics: Vec<Metric>,
}

impl SalesSide<'_> {
    /// The report of both sides; `parallel` when the company side ran at the same time as this
    /// one (its time then counts once in the total).
    fn finish(self, company: CompanySide, parallel: bool) -> Report {
        let CompanySide { sales_metrics, quality, mut revops, stages } = company;
        let company_metrics = std::mem::take(&mut revops.metrics);
        let score = quality.score;
        let SalesParts { mut report, metrics, snapshot_metrics } = self.parts(stages, parallel);
        let groups = [sales_metrics, metrics, company_metrics, snapshot_metrics];
        report.metrics = ordered_metrics(groups, score_metric(score), |m| m.period.is_some() || m.by.is_some());
        report.quality = quality;
        report.revops = revops;
        report
    }

    /// The report but for its company side (the caller adds it: `metrics` in the order of
    /// [`ordered_metrics`], `quality`, `revops`), whose stages took `company_stages`.
    fn parts(self, company_stages: Vec<StageTiming>, parallel: bool) -> SalesParts {
        let SalesSide { base, segment, filter, beside } = self;
        let Base { as_of, currency, grain, files, ingest, mut watch } = base;
        watch.absorb_stages(company_stages, parallel, beside);
        let Segment {
            metrics,
            snapshot_metrics,
            leaderboard,
            order,
            history,
            weighted_pipeline_probability,
            forecast,
            snapshots,
        } = segment;
        watch.lap(stage::SALESOPS);
        let report = Report {
            as_of: day_label(as_of),
            currency,
            grain,
            files,
            metrics: Vec::new(),
            leaderboard,
            stage_order: order,
            revops: RevOps::default(),
            forecast,
            history,
            weighted_pipeline_probability,
            snapshots,
            filter,
            files_not_read: Vec::new(),
            quality: QualityReport::default(),
            timings: watch.finish(ingest),
        };
        SalesParts { report, metrics, snapshot_metrics }
    }
}

/// The data-quality score as a metric: RevOps owns the single source of truth.
pub fn score_metric(score: f64) -> Metric {
    Metric::new("data_quality_score", Lens::Revops, Unit::Score, Some(score))
}

/// The order of a report's metrics: every whole-data figure before any period's or
/// breakdown's (`split`), each in the order of `groups` (the SalesOps lens's metrics of the
/// deals, the rest of the SalesOps side's, RevOps's, the snapshot comparison's); the
/// data-quality score last. Generic so that a web worker can order metrics it holds as
/// JavaScript values beside its own.
pub fn ordered_metrics<T>(groups: [Vec<T>; 4], score: T, split: impl Fn(&T) -> bool) -> Vec<T> {
    let mut metrics: Vec<T> = groups.into_iter().flatten().collect();
    crate::sort::sort_by_key(&mut metrics, |m| split(m));
    metrics.push(score);
    metrics
}

/// What the SalesOps side of a report gives (over the segment, when there is one).
struct Segment {
    metrics: Vec<Metric>,
    /// The snapshot comparison's metrics: listed after the RevOps lens's.
    snapshot_metrics: Vec<Metric>,
    leaderboard: Vec<LeaderRow>,
    order: StageOrder,
    history: PipelineHistory,
    weighted_pipeline_probability: ProbabilitySources,
    forecast: PipelineForecast,
    snapshots: Option<SnapshotsReport>,
}

/// The SalesOps side but the lens's metrics of the deals (the company side's): stage order and
/// conversion, the pipeline in time, quotas, forecast categories, the leaderboard, the forecast
/// and the snapshots, over `ds` (the segment's deals when a filter set one).
fn segment_side(
    ds: &Dataset,
    found: &HistoryDeals,
    opts: &ReportOptions,
    as_of: Day,
    calendar: Calendar,
    watch: &mut Stopwatch,
) -> Result<Segment, ReportError> {
    // The lens's metrics of the deals alone are the company side's (`CompanySide::sales_metrics`).
    let mut metrics = Vec::new();
    let weighted_pipeline_probability = probability_sources(&ds.deals, as_of);
    let histories = DealHistories::of(ds, found);
    let order = stage_order(ds, &histories, as_of);
    metrics.extend(stage_conversion(ds, &order, &histories, &calendar));
    let (history, history_metrics) = pipeline_history(ds, &order, &histories, &calendar, as_of);
    metrics.extend(history_metrics);
    metrics.extend(quota_metrics(ds, as_of));
    metrics.extend(forecast_categories(&ds.deals, as_of, &calendar));
    let leaderboard = leaderboard(ds, as_of, opts.commission_plan.as_ref());
    watch.lap(stage::SALESOPS);
    let mut forecast_opts = PipelineOptions::new(as_of, calendar);
    forecast_opts.simulations = opts.simulations.unwrap_or(forecast_opts.simulations);
    forecast_opts.seed = opts.seed.unwrap_or(forecast_opts.seed);
    forecast_opts.horizon = opts.horizon.unwrap_or(forecast_opts.horizon);
    forecast_opts.list_deals = opts.deal_probabilities;
    forecast_opts.measured = Measured {
        slip_measured: history.close_dates.won_measured,
        slip_slipped: history.close_dates.won_slipped_period,
        won_deals: ds.deals.status.iter().filter(|&&s| s == crate::model::Status::Won).count(),
        dispersion: history.amounts.dispersion,
        dispersion_measured: history.amounts.won_measured,
    };
    let forecast = pipeline_forecast_timed(ds, &histories, &forecast_opts, watch);
    drop(histories);
    let mut snapshot_metrics = Vec::new();
    let snapshots = snapshots_report(ds, opts, &order, &forecast_opts, &mut snapshot_metrics)?;
    watch.lap(stage::SALESOPS);
    Ok(Segment {
        metrics,
        snapshot_metrics,
        leaderboard,
        order,
        history,
        weighted_pipeline_probability,
        forecast,
        snapshots,
    })
}

/// The snapshots and their comparison (SPEC §3): the earlier export (option `compare.from`,
/// else the first taken in the window, else the last before it) against the latest, over the
/// window (option, else the fiscal quarter holding the latest's date); the forecast's
/// accuracy with revlens's P50 from the pipeline forecast run on the earlier export.
fn snapshots_report(
    ds: &Dataset,
    opts: &ReportOptions,
    order: &StageOrder,
    forecast_opts: &PipelineOptions,
    metrics: &mut Vec<Metric>,
) -> Result<Option<SnapshotsReport>, ReportError> {
    let list = &ds.snapshots.list;
    let Some(latest) = list.last() else { return Ok(None) };
    if ds.snapshots.earlier.is_empty() {
        return Ok(Some(SnapshotsReport { list: list.clone(), comparison: None }));
    }
    let quarters = forecast_opts.calendar.with_grain(crate::metrics::periods::Grain::Quarter);
    let c = &opts.compare;
    let window = match (&c.window_start, &c.window_end) {
        (None, None) => match quarters.key(latest.day) {
            Some(q) => Window::new(quarters.start(q), quarters.end(q), Some(quarters.label(q))),
            None => return Ok(Some(SnapshotsReport { list: list.clone(), comparison: None })),
        },
        (start, end) => {
            let q = quarters.key(latest.day);
            let first = match start {
                Some(s) => parse_day("the window's start", s)?,
                None => q.map_or(latest.day, |q| quarters.start(q)),
            };
            let last = match end {
                Some(e) => parse_day("the window's end", e)?,
                None => q.map_or(latest.day, |q| quarters.end(q) - 1),
            };
            if last < first {
                return Err(ReportError::BadSnapshotDate {
                    what: "the window's end (before its start)".into(),
                    value: c.window_end.clone().unwrap_or_default(),
                });
            }
            let label = quarters.key(first).filter(|&k| quarters.start(k) == first && quarters.end(k) == last + 1);
            Window::new(first, last + 1, label.map(|k| quarters.label(k)))
        }
    };
    let earlier = &list[..list.len() - 1];
    let from = match &c.from {
        Some(f) => {
            let by_date = crate::model::day_from_iso(f.trim());
            earlier.iter().position(|s| Some(s.day) == by_date || s.file == *f).ok_or_else(|| {
                ReportError::BadSnapshotDate {
                    what: format!(
                        "the snapshot to compare from (one of: {})",
                        earlier.iter().map(|s| format!("{} {}", s.date, s.file)).collect::<Vec<_>>().join(", ")
                    ),
                    value: f.clone(),
                }
            })?
        }
        None => {
            earlier.iter().position(|s| s.day >= window.first_day && s.day < latest.day).unwrap_or(earlier.len() - 1)
        }
    };
    let (a, a_day) = (&ds.snapshots.earlier[from], earlier[from].day);
    let (mut comparison, mut found) = compare_snapshots(a, a_day, &ds.deals, latest.day, window, &order.stages);
    // revlens's forecast at the earlier export: the pipeline forecast run on it, by quarter.
    let w = &comparison.window;
    let fa = &mut comparison.forecast_accuracy;
    if quarters.key(a_day).is_some_and(|q| quarters.start(q) == w.first_day && quarters.end(q) == w.end_day) {
        let then = Dataset {
            files: ds.files.clone(),
            deals: a.clone(),
            stage_changes: ds.stage_changes.clone(),
            ..Dataset::default()
        };
        let mut o = forecast_opts.clone();
        o.as_of = a_day;
        o.calendar = quarters;
        o.horizon = 1;
        o.list_deals = false;
        let f = pipeline_forecast(&then, &o);
        fa.revlens_p50 = f.periods.first().and_then(|p| p.p50.or(Some(p.forecast)));
    } else {
        fa.revlens_note = Some(format!(
            "revlens forecasts fiscal quarters: the earlier export ({}) is not inside the window {} – {}",
            earlier[from].date, w.start, w.end
        ));
        fa.revlens_note_coded = Some(
            Message::new("accuracy_not_a_quarter")
                .with("export", earlier[from].date.as_str())
                .with("start", w.start.as_str())
                .with("end", w.end.as_str()),
        );
    }
    found.extend(accuracy_metrics(&comparison.forecast_accuracy));
    metrics.extend(found);
    Ok(Some(SnapshotsReport { list: list.clone(), comparison: Some(comparison) }))
}

fn parse_day(what: &str, value: &str) -> Result<Day, ReportError> {
    crate::model::day_from_iso(value.trim())
        .ok_or_else(|| ReportError::BadSnapshotDate { what: what.to_string(), value: value.to_string() })
}

fn day_label(day: Day) -> String {
    date_from_day(day).map(|d| d.to_string()).unwrap_or_default()
}

/// Converts every amount to the report currency; a report never adds two currencies.
fn convert_currencies(ds: &mut Dataset, opts: &ReportOptions) -> Result<String, ReportError> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in ds
        .deals
        .currency
        .codes
        .iter()
        .map(|c| ds.deals.currency.name(c))
        .chain(ds.revenue_lines.currency.codes.iter().map(|c| ds.revenue_lines.currency.name(c)))
    {
        if !c.is_empty() {
            *counts.entry(c.to_string()).or_default() += 1;
        }
    }
    let report_currency = match &opts.currency {
        Some(c) => c.to_uppercase(),
        None => counts
            .iter()
            .max_by_key(|(c, n)| (**n, std::cmp::Reverse((*c).clone())))
            .map(|(c, _)| c.clone())
            .unwrap_or_default(),
    };
    let rate_of = |c: &str| -> Result<f64, ReportError> {
        if c.is_empty() || c == report_currency {
            return Ok(1.0);
        }
        opts.rates.get(c).or_else(|| opts.rates.get(&c.to_lowercase())).copied().ok_or_else(|| {
            ReportError::MissingRate {
                currency: c.to_string(),
                report_currency: report_currency.clone(),
                rows: counts.get(c).copied().unwrap_or(0),
            }
        })
    };
    for deals in std::iter::once(&mut ds.deals).chain(ds.snapshots.earlier.iter_mut()) {
        let deal_rates: Vec<f64> = deals.currency.names().iter().map(&rate_of).collect::<Result<_, _>>()?;
        for (a, c) in deals.amount.iter_mut().zip(deals.currency.codes.iter()) {
            *a *= deal_rates[c as usize];
        }
    }
    let line_rates: Vec<f64> = ds.revenue_lines.currency.names().iter().map(&rate_of).collect::<Result<_, _>>()?;
    for (a, c) in ds.revenue_lines.mrr.iter_mut().zip(ds.revenue_lines.currency.codes.iter()) {
        *a *= line_rates[c as usize];
    }
    Ok(report_currency)
}
