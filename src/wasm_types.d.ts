// ---- Inputs --------------------------------------------------------------------------------

/** A file to analyse: its name (used in messages and to match mappings) and its bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** One of the embedded sample company's exports. */
export interface SampleFile {
  name: string;
  kind: FileKind;
  bytes: Uint8Array;
}

/** What a file holds (`ingest::schema::FileKind`). */
export type FileKind = "deals" | "leads" | "stage_history" | "revenue_lines" | "spend" | "quotas" | "other_income";

/** The CRM or system a file comes from, told by its headers (`ingest::schema::Source`). */
export type Source = "salesforce" | "hubspot" | "pipedrive" | "zoho" | "billing" | "generic";

/** A canonical field a column can be read as (`ingest::schema::Field`); `ignore` drops it. */
export type Field =
  | "id" | "name" | "account" | "owner" | "stage" | "status" | "is_won" | "is_closed" | "amount"
  | "currency" | "probability" | "created" | "close" | "won_time" | "lost_time" | "forecast_category"
  | "lead_source" | "deal_type" | "region" | "product"
  | "lead_status" | "mql" | "sql" | "opportunity" | "customer" | "deal_id" | "is_converted"
  | "at"
  | "customer_id" | "customer_name" | "subscription" | "start" | "end" | "month" | "mrr" | "arr"
  | "interval" | "recurring"
  | "channel" | "category" | "period" | "quota" | "date" | "memo" | "ignore";

/** Open, won or lost (`model::Status`). */
export type DealStatus = "open" | "won" | "lost";

/** A user's correction of how one file is read (`ingest::schema::MappingOverride`). */
export interface Mapping {
  /** Read the file as this kind instead of the detected one. */
  kind?: FileKind | null;
  /** Column header → field. */
  columns?: Record<string, Field>;
}

/** How files are read (`ingest::IngestOptions`). */
export interface IngestOptions {
  /** Per file name: its kind and/or column → field corrections. */
  mappings?: Record<string, Mapping>;
  /** Stage name → open/won/lost, over the built-in rules. */
  stage_status?: Record<string, DealStatus>;
  /** Sheet to read from spreadsheets (default: the first). */
  sheet?: string | null;
}

/** A commission plan: a base rate, accelerator tiers above quota attainment, a cap. */
export interface CommissionPlan {
  base_rate: number;
  tiers?: CommissionTier[];
  cap?: number | null;
}

export interface CommissionTier {
  /** Attainment (1.0 = 100%) above which `rate` applies. */
  above: number;
  rate: number;
}

/** Everything a user can set for a report (`report::ReportOptions`); every field is optional. */
export interface Options {
  /** `YYYY-MM-DD`; default: the latest event date in the data. */
  as_of?: string | null;
  /** Report currency; default: the most common currency of the deals. */
  currency?: string | null;
  /** Report-currency units per one unit of each other currency. */
  rates?: Record<string, number>;
  grain?: Grain;
  /** 1 = January. */
  fiscal_year_start_month?: number | null;
  ingest?: IngestOptions;
  commission_plan?: CommissionPlan | null;
  /** Fraction of revenue kept after cost of service (default 0.8). */
  gross_margin?: number | null;
  /** Lead sources that count as marketing (default: a built-in mapping). */
  marketing_sources?: string[] | null;
  /** Months back for NRR and GRR (default 12). */
  retention_months?: number | null;
  /** Monte Carlo runs of the pipeline forecast. */
  simulations?: number | null;
  /** Seed of the pipeline forecast's simulation (the report is reproducible). */
  seed?: number | null;
  /** Periods of the bookings forecast. */
  horizon?: number | null;
  /** A segment of the deals for the SalesOps lens and the forecast (RevOps stays whole). */
  filter?: DealFilter;
}

/**
 * Deals to keep: within a dimension any listed value matches, across dimensions all must; an
 * empty (or absent) list does not filter.
 */
export interface DealFilter {
  owner?: string[];
  region?: string[];
  lead_source?: string[];
  type?: string[];
}

/** The segment a report was computed on. */
export interface AppliedFilter {
  filter: Required<DealFilter>;
  deals_kept: number;
  deals_total: number;
  /** What the filter applies to. */
  scope: string;
}

/** Options of `forecast()`. */
export interface ForecastOptions {
  /** Number of periods to forecast (at least 1). */
  horizon: number;
  /** 12 for monthly data (the default), 4 for quarterly, 1 for none. */
  season_length?: number;
  /** Seed of the simulation used for some intervals. */
  seed?: number;
  /** Rolling origins of the backtest that chooses the model (default 3; 0 = none). */
  backtest_origins?: number;
}

// ---- The report ----------------------------------------------------------------------------

export type Grain = "month" | "quarter" | "year";
export type Lens = "salesops" | "revops";
export type Unit = "currency" | "ratio" | "count" | "days" | "months" | "currency_per_day" | "score";

/** The whole analysis of a set of files (`report::Report`). */
export interface Report {
  as_of: string;
  currency: string;
  grain: Grain;
  files: FileSummary[];
  metrics: Metric[];
  leaderboard: LeaderRow[];
  stage_order: StageOrder;
  revops: RevOps;
  forecast: PipelineForecast;
  /** The segment, when `options.filter` set one. */
  filter: AppliedFilter | null;
  quality: QualityReport;
}

export interface FileSummary {
  file: string;
  kind: FileKind;
  source: Source;
  rows_read: number;
  rows_used: number;
  rows_rejected: number;
}

/**
 * One number of the report: the whole-data value (no `period`, no `by`), a period's value, or
 * a breakdown's (`by: { owner: "Ann" }`). `value` is null when nothing could compute it.
 */
export interface Metric {
  id: string;
  lens: Lens;
  value: number | null;
  unit: Unit;
  period?: string;
  by?: Record<string, string>;
  /** Rows the metric was computed from. */
  rows?: number;
  /** Rows left out because they lack what the metric needs. */
  excluded?: number;
}

export interface LeaderRow {
  owner: string;
  bookings: number;
  won_count: number;
  win_rate: number | null;
  avg_deal_size: number | null;
  sales_cycle_days_median: number | null;
  quota_attainment: number | null;
  open_pipeline: number;
  commission: number | null;
}

export interface StageOrder {
  stages: string[];
  inferred: boolean;
}

/** The RevOps lens's tables; its metrics are in `Report.metrics` (lens "revops"). */
export interface RevOps {
  metrics?: Metric[];
  funnel: Funnel | null;
  mrr_movements: MrrMovement[];
  mrr_source: string | null;
  cohorts: CohortMatrix | null;
  /** Metrics not computed for lack of an input file, with the file each needs. */
  missing: MissingInput[];
  undefined: UndefinedMetric[];
}

export interface MissingInput {
  metric: string;
  needs: string;
}

export interface UndefinedMetric {
  metric: string;
  reason: string;
}

export interface Funnel {
  steps: FunnelStep[];
  cohorts: FunnelCohort[];
}

export interface FunnelStep {
  step: string;
  count: number;
  conversion: number | null;
  median_days: number | null;
}

export interface FunnelCohort {
  cohort: string;
  /** Lead, MQL, SQL, opportunity, customer. */
  counts: [number, number, number, number, number];
}

export interface MrrMovement {
  month: string;
  start_mrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivated: number;
  end_mrr: number;
  customers: number;
  new_customers: number;
  churned_customers: number;
  reactivated_customers: number;
}

export interface CohortMatrix {
  rows: CohortRow[];
}

export interface CohortRow {
  cohort: string;
  customers: number;
  start_mrr: number;
  retained_customers: number[];
  retained_mrr: number[];
}

// ---- Forecasts -----------------------------------------------------------------------------

/** The pipeline forecast of the report (`forecast::pipeline::PipelineForecast`). */
export interface PipelineForecast {
  as_of: string | null;
  grain: Grain;
  periods: PeriodForecast[];
  slip_probability: number;
  slip_source: string;
  amount_dispersion: number;
  simulations: number;
  seed: number;
  method: string;
  notes: string[];
  win_probability: WinProbabilityReport;
  bookings: BookingsSeries;
}

export interface PeriodForecast {
  period: string;
  start: string | null;
  end: string | null;
  closed_so_far: number;
  closed_deals: number;
  open_deals: number;
  past_due_deals: number;
  open_amount: number;
  expected_open: number;
  expected_open_crm: number;
  slip_adjustment: number;
  run_rate: number;
  run_rate_periods: number;
  remaining_fraction: number;
  forecast: number;
  mean: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  histogram: HistogramBin[];
  movers: Mover[];
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** An open deal that moves the forecast. */
export interface Mover {
  id: string;
  name: string;
  owner: string;
  stage: string;
  amount: number;
  close: string | null;
  p_learned: number;
  p_crm: number | null;
  p_in_period: number;
  expected: number;
  swing: number;
  sd: number;
  share_of_variance: number;
}

export interface SeriesValue {
  period: string;
  value: number;
}

/** Monthly (or quarterly) bookings and their time-series forecast. */
export interface BookingsSeries {
  skipped: string | null;
  history: SeriesValue[];
  model: string | null;
  reason: string;
  forecast: LabelledPoint[];
  backtest: Backtest | null;
}

export interface LabelledPoint {
  period: string;
  value: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

/** Rolling-origin backtest of the chosen model next to seasonal naive. */
export interface Backtest {
  mase: number;
  smape: number;
  seasonal_naive_mase: number;
  seasonal_naive_smape: number;
  origins: number;
  horizon: number;
}

export interface CandidateScore {
  model: string;
  mase: number;
  smape: number;
  aicc: number | null;
}

/** The learned win probability and how it compares with the CRM's. */
export interface WinProbabilityReport {
  method: string;
  features: string[];
  training_deals: number;
  training_examples: number;
  overall_win_rate: number | null;
  split_date: string | null;
  train_deals: number;
  test_deals: number;
  test_examples: number;
  brier_learned: number | null;
  brier_crm: number | null;
  crm_probability_source: string | null;
  compared_examples: number;
  brier_base_rate: number | null;
  calibration: CalibrationBin[];
  calibration_crm: CalibrationBin[];
  evaluation_note: string;
  deals: DealProbability[];
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  mean_predicted: number;
  observed: number;
}

export interface DealProbability {
  id: string;
  name: string;
  owner: string;
  stage: string;
  age_days: number | null;
  amount: number | null;
  close: string | null;
  p_learned: number;
  p_crm: number | null;
}

/** What `forecast()` returns: the series as typed arrays, one entry per forecast period. */
export interface ForecastResult {
  /** The chosen model, e.g. `ETS(M,Ad,M)`. */
  model: string;
  /** Why this model: backtest numbers, or why the choice was degraded. */
  reason: string;
  mean: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
  /** One-step in-sample fitted values (same length as the input; NaN where none). */
  fitted: Float64Array;
  backtest: Backtest;
  candidates: CandidateScore[];
}

// ---- Data quality --------------------------------------------------------------------------

export type Dimension = "validity" | "completeness" | "uniqueness" | "consistency" | "timeliness";

export interface QualityReport {
  /** 0–100. */
  score: number;
  breakdown: SubScore[];
  findings: Finding[];
  files: FileReport[];
}

export interface SubScore {
  dimension: Dimension;
  weight: number;
  score: number;
  affected_rows: number;
  checked_rows: number;
}

export interface Finding {
  id: string;
  dimension: Dimension;
  message: string;
  count: number;
  /** `file` is an index into `quality.files`; `line` is 1-based. */
  rows: RowRef[];
  variants?: string[][];
}

export interface RowRef {
  file: number;
  line: number;
}

/** Everything ingestion knows about one file: what `detect()` returns. */
export interface FileReport {
  file: string;
  kind: FileKind;
  source: Source;
  /** "csv" or "xlsx"/"xls"/"ods". */
  format: string;
  encoding?: TextEncoding;
  delimiter?: string;
  sheet?: string;
  header_line: number;
  columns: ColumnReport[];
  bytes: number;
  rows_read: number;
  rows_used: number;
  rows_rejected: number;
  /** Rows not used, grouped by reason, with every line number. */
  rejected: LineGroup[];
  /** Lines that are not rows: blank lines, report footers, preamble. */
  skipped: LineGroup[];
  /** Kept rows with a cell that could not be read or is missing where a metric needs it. */
  findings: LineGroup[];
}

export type TextEncoding = "utf8" | "utf8-bom" | "utf16-le" | "utf16-be" | "windows1252";
export type DateOrder = "month_first" | "day_first";
export type DecimalMark = "point" | "comma";

export interface ColumnReport {
  /** 1-based. */
  column: number;
  header: string;
  /** The field the column is read as, or null when it is not used. */
  field: Field | null;
  date_order?: DateOrder;
  decimal_mark?: DecimalMark;
  /** True when the values did not decide the order/mark and a default was assumed. */
  assumed?: boolean;
}

export interface LineGroup {
  reason: string;
  column?: number;
  header?: string;
  count: number;
  lines: number[];
  /** Up to 5 offending values, with their lines. */
  examples: [number, string][];
}

// ---- Errors --------------------------------------------------------------------------------

/**
 * The stable `code` of every error revlens throws. From the engine: `EMPTY_FILE`,
 * `UNKNOWN_FILE_KIND`, `CSV_SYNTAX`, `BAD_SPREADSHEET`, `SHEET_NOT_FOUND`, `BAD_MAPPING`,
 * `MISSING_RATE`, `BAD_AS_OF`, `NO_FILES`, `BAD_OPTIONS`, `BAD_INPUT`, `NO_FILE`,
 * `EMPTY_SERIES`, `NON_FINITE_VALUE`, `BAD_HORIZON`, `BAD_SEASON_LENGTH`, `SERIALIZE`; from
 * the JS around it: `NOT_INITIALIZED`, `INTERNAL` (a panic: the module restarts for the next
 * call), `RESTARTED` (a streaming analysis that outlived such a restart), `CANCELLED`,
 * `WORKER_FAILED`, `FETCH_FAILED`.
 */
export type ErrorCode =
  | "EMPTY_FILE" | "UNKNOWN_FILE_KIND" | "CSV_SYNTAX" | "BAD_SPREADSHEET" | "SHEET_NOT_FOUND"
  | "BAD_MAPPING" | "MISSING_RATE" | "BAD_AS_OF" | "NO_FILES" | "BAD_OPTIONS" | "BAD_INPUT"
  | "NO_FILE" | "EMPTY_SERIES" | "NON_FINITE_VALUE" | "BAD_HORIZON" | "BAD_SEASON_LENGTH"
  | "SERIALIZE" | "NOT_INITIALIZED" | "INTERNAL" | "RESTARTED" | "CANCELLED" | "WORKER_FAILED"
  | "FETCH_FAILED";

/** Every error revlens throws or rejects with is an `Error` with one of these codes. */
export interface RevlensError extends Error {
  code: ErrorCode;
}
