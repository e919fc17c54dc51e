// TypeScript declarations of the binding's own shapes (src/wasm.rs): everything else that
// crosses the boundary is generated from the Rust types by tsify.

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
  /** Rolling origins of the backtest that chooses the model (default 8; 0 = none). */
  backtest_origins?: number;
}

// ---- Names for the generated types ----------------------------------------------------------
// The shapes of the report, the options and the file reports are generated from the Rust types
// by tsify (derives in the core, on wasm32 only); these are the package's names for some of them.

/** Everything a user can set for a report (`report::ReportOptions`); every field is optional. */
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
 * `UNKNOWN_FILE_KIND`, `CSV_SYNTAX`, `BAD_SPREADSHEET`, `NO_SPREADSHEET_READER` (a spreadsheet
 * given to the CSV module before the spreadsheet module was loaded), `SHEET_NOT_FOUND`, `BAD_MAPPING`,
 * `MISSING_RATE`, `BAD_AS_OF`, `NO_FILES`, `NO_FILE_READ`, `BAD_SPEND`, `BAD_OPTIONS`,
 * `TOO_LARGE` (the input passes `max_bytes`: a {@link TooLargeError}, raised before reading),
 * `BAD_INPUT`, `NO_FILE`, `READ_ERROR` (the CLI: a file on disk that cannot be read),
 * `EMPTY_SERIES`, `NON_FINITE_VALUE`, `BAD_HORIZON`, `BAD_SEASON_LENGTH`, `SERIALIZE`; from
 * the JS around it: `NOT_INITIALIZED`, `INTERNAL` (a panic: the module restarts for the next
 * call), `RESTARTED` (a streaming analysis that outlived such a restart), `CANCELLED`,
 * `WORKER_FAILED`, `FETCH_FAILED`, `NEEDS_FULL_MODULE` (toSql before loadFullModule in a browser).
 */
export type ErrorCode =
  | "EMPTY_FILE" | "UNKNOWN_FILE_KIND" | "CSV_SYNTAX" | "BAD_SPREADSHEET" | "SHEET_NOT_FOUND"
  | "BAD_MAPPING" | "MISSING_RATE" | "BAD_AS_OF" | "NO_FILES" | "BAD_OPTIONS" | "BAD_INPUT"
  | "NO_FILE" | "EMPTY_SERIES" | "NON_FINITE_VALUE" | "BAD_HORIZON" | "BAD_SEASON_LENGTH"
  | "SERIALIZE" | "NOT_INITIALIZED" | "INTERNAL" | "RESTARTED" | "CANCELLED" | "WORKER_FAILED"
  | "FETCH_FAILED" | "NO_FILE_READ" | "BAD_SPEND" | "NO_SPREADSHEET_READER" | "NEEDS_FULL_MODULE"
  | "TOO_LARGE" | "READ_ERROR";

/** Every error revlens throws or rejects with is an `Error` with one of these codes. */
export interface RevlensError extends Error {
  code: ErrorCode;
  /**
   * An error of the engine's (a file it cannot read, a bad option): the parameters of its
   * message, from which a page says it in the reader's language; `{ code, params }` is a
   * {@link Message}.
   */
  params?: Record<string, Param>;
}

/**
 * The input is larger than the analysis may read (`options.max_bytes`; default 1 GiB in
 * WebAssembly, whose memory stops at 4 GiB): raised before any byte is decoded. The message says
 * what to do (fewer columns, a shorter date range, the revlens CLI).
 */
export interface TooLargeError extends RevlensError {
  code: "TOO_LARGE";
  /** The file with which the input's running total passed the limit. */
  file: string;
  /** The input's size in bytes (all files up to and including `file`). */
  bytes: number;
  /** The limit in bytes. */
  limit: number;
}

/** What `toSql` takes. */
export interface SqlOptions {
  /** Default "duckdb". */
  dialect?: "duckdb" | "spark" | "bigquery" | "snowflake";
  /** YYYY-MM-DD: the report's `as_of`. */
  as_of: string;
  grain?: Grain;
  /** 1–12, default 1. */
  fiscal_year_start_month?: number;
}
