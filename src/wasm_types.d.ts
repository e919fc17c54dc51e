// TypeScript declarations of the binding's own shapes (src/wasm.rs) and of report.rs's types;
// everything else that crosses the boundary is generated from the Rust types by tsify.

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

// ---- report.rs: the report and its options ---------------------------------------------------
// Declared by hand (the file was being changed when the others took their tsify derives; the
// consumers' tsc check holds these to the real results as it does the generated ones).

/** Everything a user can set for a report (`report::ReportOptions`); every field is optional. */
export interface ReportOptions {
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
  /** Monte Carlo runs of the pipeline forecast (default 10 000; 0 = none). */
  simulations?: number | null;
  /** Seed of the Monte Carlo (default fixed, so a report is reproducible). */
  seed?: number | null;
  /** Periods of the bookings time-series forecast. */
  horizon?: number | null;
  /** A segment of the deals for the SalesOps lens and the forecast (RevOps stays whole). */
  filter?: DealFilter;
  /** Sales and marketing spend typed in (for CAC without a spend file). */
  spend?: TypedSpend[];
  /** Include every open deal's win probability (`forecast.win_probability.deals`, empty
   * otherwise: one entry per open deal makes large reports large). */
  deal_probabilities?: boolean;
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

/** One month of spend typed in by the user. */
export interface TypedSpend {
  /** `YYYY-MM`. */
  month: string;
  channel: SpendChannel;
  amount: number;
}

/** The segment a report was computed on. */
export interface AppliedFilter {
  filter: DealFilter;
  deals_kept: number;
  deals_total: number;
  /** What the filter applies to. */
  scope: string;
}

/** The whole analysis of a set of files (`report::Report`). */
export interface Report {
  as_of: string;
  currency: string;
  grain: Grain;
  files: FileSummary[];
  metrics: Metric[];
  /** Per owner: bookings, win rate, deal size, cycle, attainment, pipeline, commission. */
  leaderboard: LeaderRow[];
  stage_order: StageOrder;
  revops: RevOps;
  forecast: PipelineForecast;
  /** The segment, when `options.filter` set one. */
  filter: AppliedFilter | null;
  /** Files given that could not be read at all, each with the error that stopped it; the
   * report is made from the others. */
  files_not_read: FileNotRead[];
  quality: QualityReport;
}

/** A file left out of the report, and why. */
export interface FileNotRead {
  file: string;
  /** The stable error code (e.g. `UNKNOWN_FILE_KIND`). */
  code: ErrorCode;
  message: string;
}

/** A file's kind, source and row counts (details in `quality.files`). */
export interface FileSummary {
  file: string;
  kind: FileKind;
  source: Source;
  rows_read: number;
  rows_used: number;
  rows_rejected: number;
}

// ---- Names for the generated types ----------------------------------------------------------
// The shapes of the report, the options and the file reports are generated from the Rust types
// by tsify (derives in the core, on wasm32 only); these are the package's names for some of them.

/** Everything a user can set for a report; every field is optional. */
export type Options = ReportOptions;
/** A user's correction of how one file is read (`ingest::schema::MappingOverride`). */
export type Mapping = MappingOverride;
/** Open, won or lost (`model::Status`). */
export type DealStatus = Status;
/** A row of a file: `file` is an index into `quality.files`, `line` is 1-based (`model::Origin`). */
export type RowRef = Origin;

// ---- Forecasts -----------------------------------------------------------------------------

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

// ---- Errors --------------------------------------------------------------------------------

/**
 * The stable `code` of every error revlens throws. From the engine: `EMPTY_FILE`,
 * `UNKNOWN_FILE_KIND`, `CSV_SYNTAX`, `BAD_SPREADSHEET`, `SHEET_NOT_FOUND`, `BAD_MAPPING`,
 * `MISSING_RATE`, `BAD_AS_OF`, `NO_FILES`, `NO_FILE_READ`, `BAD_SPEND`, `BAD_OPTIONS`,
 * `BAD_INPUT`, `NO_FILE`,
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
  | "FETCH_FAILED" | "NO_FILE_READ" | "BAD_SPEND";

/** Every error revlens throws or rejects with is an `Error` with one of these codes. */
export interface RevlensError extends Error {
  code: ErrorCode;
}
