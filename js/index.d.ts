// revlens: CRM exports in, SalesOps and RevOps reports out, in WebAssembly.
// The shapes of the report, the options and the file reports are generated from the Rust types
// (tsify); the package's tests check them against real results.
import type {
  AppliedFilter, Backtest, BookingsSeries, CalibrationBin, CandidateScore, CohortMatrix, CohortRow, ColumnReport,
  CommissionPlan, CommissionTier, DateOrder, DealFilter, DealProbability, DealStatus, DecimalMark, Dimension,
  ErrorCode, Field, FileKind, FileNotRead, FileReport, LineGroups, MappingOverride, Origin, ReportOptions, Status, FileSummary, Finding, ForecastOptions, ForecastResult,
  Funnel, FunnelCohort, FunnelStep, Grain, HistogramBin, IngestOptions, InputFile, LabelledPoint,
  LeaderRow, Lens, LineGroup, Mapping, Message, Metric, MissingInput, Mover, MrrMovement, Options, Param,
  PeriodForecast, PipelineForecast, QualityReport, Report, RevlensError, RevOps, RowRef,
  SampleFile as GeneratedSampleFile, SeriesValue, Source, SpendChannel, StageOrder, SubScore, TextEncoding, TypedSpend, UndefinedMetric, Unit,
  WinProbabilityReport, DistributionInfo, FileTiming, StageTiming, Timings, SqlOptions, TooLargeError, CompanySide,
  AmountChanges, CloseDateChanges, DurationStats, PipelineHistory, PushedDeal, StageTime, StuckDeal, StuckDeals,
  Bar, CompareOptions, ForecastAccuracy, OwnerWaterfall, SnapshotComparison, SnapshotDateSource, SnapshotInfo,
  SnapshotsReport, StageMove, StageMoves, WaterfallBar, WaterfallDeal, Window as SnapshotWindow,
} from './revlens.js';

export type {
  AppliedFilter, Backtest, BookingsSeries, CalibrationBin, CandidateScore, CohortMatrix, CohortRow, ColumnReport,
  CommissionPlan, CommissionTier, DateOrder, DealFilter, DealProbability, DealStatus, DecimalMark, Dimension,
  ErrorCode, Field, FileKind, FileNotRead, FileReport, LineGroups, MappingOverride, Origin, ReportOptions, Status, FileSummary, Finding, ForecastOptions, ForecastResult,
  Funnel, FunnelCohort, FunnelStep, Grain, HistogramBin, IngestOptions, InputFile, LabelledPoint,
  LeaderRow, Lens, LineGroup, Mapping, Message, Metric, MissingInput, Mover, MrrMovement, Options, Param,
  PeriodForecast, PipelineForecast, QualityReport, Report, RevlensError, RevOps, RowRef,
  SeriesValue, Source, SpendChannel, StageOrder, SubScore, TextEncoding, TypedSpend, UndefinedMetric, Unit,
  WinProbabilityReport, DistributionInfo, FileTiming, StageTiming, Timings, SqlOptions, TooLargeError, CompanySide,
  // The pipeline in time (report.history) and what changed between two exports
  // (report.snapshots); the window of a comparison is SnapshotWindow (not DOM's Window).
  AmountChanges, CloseDateChanges, DurationStats, PipelineHistory, PushedDeal, StageTime, StuckDeal, StuckDeals,
  Bar, CompareOptions, ForecastAccuracy, OwnerWaterfall, SnapshotComparison, SnapshotDateSource, SnapshotInfo,
  SnapshotsReport, StageMove, StageMoves, WaterfallBar, WaterfallDeal, SnapshotWindow,
};

/**
 * One of the embedded sample company's exports. Its kind is the file's kind, or `"snapshot"` for
 * an earlier export of the deals (salesforce_opportunities-2026-06-09.csv: read as deals, dated
 * by its name; the report compares it with the latest in `report.snapshots`).
 */
export interface SampleFile extends Omit<GeneratedSampleFile, 'kind'> {
  kind: FileKind | 'snapshot';
}

/** Where the .wasm file is, when it is not next to the package's JS. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/** How far the file being read has got. */
export interface Progress {
  file: string;
  bytes: number;
  /** Data rows read so far (approximate while a file streams: whole records only). */
  rows: number;
}

/**
 * Loads the WebAssembly module; every other function needs it done (else it throws a
 * `NOT_INITIALIZED` error). Calling it again returns at once.
 */
export function init(input?: InitInput): Promise<void>;

/**
 * Loads the full module — the engine with the spreadsheet reader (XLSX/XLS/ODS), built for speed
 * (about twice as fast as the small module `init()` loads, three times the bytes) — and
 * initialises the package if needed; from then on every call uses it. In browsers a spreadsheet
 * given to `detect`/`analyze`/`Analyzer` before this has resolved throws `NO_SPREADSHEET_READER`;
 * revlens/worker and `<revlens-report>` call it by themselves for a spreadsheet or an input of
 * {@link LARGE_INPUT_BYTES} or more. In Node `init()` loads it already. `input` locates
 * `revlens_full_bg.wasm`.
 */
export function loadFullModule(input?: InitInput): Promise<void>;

/** Input size (bytes) from which revlens/worker and the element use the full module for speed. */
export const LARGE_INPUT_BYTES: number;

/** Whether bytes are a spreadsheet by their first bytes (XLSX/ODS: a zip; XLS: an OLE file). */
export function isSpreadsheet(bytes: Uint8Array): boolean;

/** The engine version. */
export function version(): string;

/**
 * Reads one file and tells what it is: kind, source, column mapping, encoding, delimiter, and
 * rows read/used/rejected with reasons. Throws a {@link RevlensError}.
 */
export function detect(bytes: Uint8Array | ArrayBuffer, name: string, options?: IngestOptions | null): FileReport;

/** One record of a file as decoded cells, with its 1-based line. */
export interface TableRecord {
  line: number;
  cells: string[];
}

/**
 * The first `maxRows` (default 20) records of a file as decoded cells (encoding, delimiter and
 * quotes handled; title lines and the header included): for previewing a column mapping.
 * Throws a {@link RevlensError}.
 */
export function table(bytes: Uint8Array | ArrayBuffer, name: string, options?: IngestOptions | null, maxRows?: number): TableRecord[];

/**
 * Throws a {@link TooLargeError} (code `TOO_LARGE`) when files of these sizes, in bytes, would pass
 * the analysis's limit (`options.max_bytes`; default 1 GiB, as WebAssembly's memory stops at
 * 4 GiB): to refuse an input before reading it. `analyze`, `Analyzer` and revlens/worker check it
 * themselves before decoding anything.
 */
export function checkInputSize(files: Array<{ name: string; size: number }>, options?: Options | null): void;

/**
 * Analyses files held in memory into a report. Throws a {@link RevlensError}: `TOO_LARGE` (a
 * {@link TooLargeError}) when the files pass `options.max_bytes`, before they are copied into the
 * engine's memory.
 */
export function analyze(files: InputFile[], options?: Options | null): Report;

/**
 * Forecasts an equally spaced series (oldest first) with an automatic, backtested model choice;
 * the forecast and its 80%/95% intervals come back as Float64Arrays.
 */
export function forecast(series: Float64Array | ArrayLike<number>, options: ForecastOptions): ForecastResult;

/** The embedded sample company's exports. */
export function sampleFiles(): SampleFile[];

/**
 * The metric definitions as one SQL query over the canonical `deals` and `revenue_lines` tables, yielding
 * `metric_id, lens, period, by_key, by_value, value, unit` — the numbers the report computes,
 * for data that lives in a warehouse. Throws a {@link RevlensError} (`BAD_OPTIONS`, `BAD_AS_OF`).
 */
export function toSql(options: SqlOptions): string;

/**
 * A report from files that arrive in chunks (files too large to hold at once): only the file
 * being read is buffered. Methods throw {@link RevlensError}s.
 */
export class Analyzer {
  constructor(options?: Options | null);
  /** Called after every chunk. */
  onProgress: ((progress: Progress) => void) | null;
  /** Ends the file being read (if any) and starts the next one. `size` (its bytes, when known,
   *  e.g. a `File`'s) lets the engine size its columns once instead of growing them. */
  beginFile(name: string, size?: number): void;
  /** Feeds the next chunk of the current file. */
  push(chunk: Uint8Array | ArrayBuffer): Progress;
  /** `beginFile(name)`, then every chunk of a stream (e.g. `response.body`, `file.stream()`). */
  addFile(name: string, chunks: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  /** Ends the last file and returns the report; the analyzer cannot be used afterwards. */
  finish(): Report;
  /**
   * For a report made by two workers that read the same files (revlens/worker does this for a
   * large input): ends the last file and computes the company side only (quality, RevOps), for
   * the other worker's `finishSales().join(company)`. Full module only (`NEEDS_FULL_MODULE`).
   */
  finishCompany(): CompanySide;
  /** The other half: the SalesOps side, to be joined with the company side (or computed alone). */
  finishSales(): SalesHalf;
  /**
   * One large file read in halves by two workers (revlens/worker with `workers: 2`), for the file
   * being read; full module only. Whether the rest of the file can be read in two parts.
   */
  canSplit(): boolean;
  /** The second worker: reads the chunks pushed from here on as the file from `cut` (just after a line break) to its end. */
  beginLaterPart(cut: number): boolean;
  /** The second worker: ends its half and gives it as chunks of bytes (undefined when none was begun). */
  exportLaterPart(): Uint8Array[] | undefined;
  /** The first worker: its half as chunks of bytes (undefined when the cut fell inside a quoted cell). */
  exportPart(): Uint8Array[] | undefined;
  /** The first worker: ends the file's text and gives all of it as chunks of bytes. */
  exportWhole(): Uint8Array[] | undefined;
  /** The first worker: joins the second's half after its own. */
  joinLaterPart(later: Uint8Array[]): void;
  /** The second worker: takes the first's half before its own (`thenOwn`), or the whole file. */
  adoptPart(part: Uint8Array[], thenOwn: boolean): void;
  /** Releases the memory of an analysis that will not be finished. */
  free(): void;
}

/** The SalesOps side of a report made by two workers ({@link Analyzer.finishSales}). */
export interface SalesHalf {
  /** The report `finish()` would have given, with the other worker's company side. */
  join(company: CompanySide): Report;
  /** The report, with the company side computed here too (when the other worker could not). */
  alone(): Report;
  free(): void;
}
