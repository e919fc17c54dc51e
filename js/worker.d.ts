// revlens/worker: the revlens API off the main thread (browsers; bundlers that understand
// `new Worker(new URL(…, import.meta.url))`, such as Vite and webpack 5).
import type { FileReport, ForecastOptions, ForecastResult, IngestOptions, InputFile, Options, Report, SampleFile, TableRecord } from './index.js';

/** Reading progress of an analysis in the worker. */
export interface WorkerProgress {
  /** The file being read. */
  file: string;
  /** Bytes of that file read so far. */
  bytes: number;
  /** Its data rows read so far. */
  rows: number;
  /** Bytes of all the request's files read so far, and their total. */
  done: number;
  total: number;
}

/** Per-call options: cancel with an AbortSignal, follow progress. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: WorkerProgress) => void;
}

/** A file for the worker: a File/Blob with a name (streamed in the worker) or bytes. */
export type WorkerFile = File | (Blob & { name: string }) | InputFile;

export interface RevlensWorkerOptions {
  /** Makes the Worker (default: the package's worker-thread.js as a module worker). */
  createWorker?: () => Worker;
  /**
   * 2: one large export given alone (a File/Blob of `apartMinBytes` to {@link APART_MAX_BYTES}) is
   * analysed by two workers where `navigator.hardwareConcurrency` ≥ 2: the first reads it and
   * forwards its chunks, the second computes the report's company side (quality, RevOps, the
   * SalesOps lens's metrics of the deals), the first the rest and the report, the one a single
   * worker gives. It pays for a Blob in memory (1M deals: 2.32 → 1.82 s in Chromium), not for a
   * file read from disk, and each worker holds a copy of the data. Default 1.
   */
  workers?: 1 | 2;
  /** Where a second worker begins (default {@link APART_MIN_BYTES}). */
  apartMinBytes?: number;
}

/** An export given alone from this many bytes (16 MiB) is analysed by two workers where there are two cores. */
export const APART_MIN_BYTES: number;
/** ... up to this many (512 MiB): each worker holds all the data, so above it one reads them. */
export const APART_MAX_BYTES: number;

/**
 * One worker and its queue. Every method rejects with a RevlensError (code CANCELLED when its
 * signal aborts; TOO_LARGE, a TooLargeError, when the files' sizes pass `options.max_bytes`,
 * default 1 GiB: checked before any file is read). Dispatches `progress` events whose detail is a
 * {@link WorkerProgress}.
 */
export class RevlensWorker extends EventTarget {
  constructor(options?: RevlensWorkerOptions);
  init(): Promise<void>;
  version(call?: CallOptions): Promise<string>;
  analyze(files: Iterable<WorkerFile> | ArrayLike<WorkerFile>, options?: Options | null, call?: CallOptions): Promise<Report>;
  detect(bytes: Uint8Array, name: string, options?: IngestOptions | null, call?: CallOptions): Promise<FileReport>;
  detect(file: File | (Blob & { name: string }), options?: IngestOptions | null, call?: CallOptions): Promise<FileReport>;
  /** The first `maxRows` (default 20) records of a file as decoded cells, for a mapping preview. */
  table(file: WorkerFile, options?: IngestOptions | null, maxRows?: number, call?: CallOptions): Promise<TableRecord[]>;
  forecast(series: Float64Array | ArrayLike<number>, options: ForecastOptions, call?: CallOptions): Promise<ForecastResult>;
  sampleFiles(call?: CallOptions): Promise<SampleFile[]>;
  /** How many workers made the last report: 2 when a second one computed its company side, else 1 (0 before any). */
  readonly workersUsed: number;
  /**
   * How the two workers of the last report read its file: 'halves' (each read half and they
   * traded their columns), 'given' (the first read it all and gave it to the second: its middle
   * fell inside a quoted cell), 'each' (each read it all: it could not be cut), or null (one
   * worker read the input).
   */
  readonly fileRead: 'halves' | 'given' | 'each' | null;
  /** Stops the worker; pending calls reject with code CANCELLED. */
  terminate(): void;
}

/** The same, on one shared worker started on first use. */
export function init(): Promise<void>;
export function version(call?: CallOptions): Promise<string>;
export function analyze(files: Iterable<WorkerFile> | ArrayLike<WorkerFile>, options?: Options | null, call?: CallOptions): Promise<Report>;
export function detect(bytes: Uint8Array, name: string, options?: IngestOptions | null, call?: CallOptions): Promise<FileReport>;
export function detect(file: File | (Blob & { name: string }), options?: IngestOptions | null, call?: CallOptions): Promise<FileReport>;
export function table(file: WorkerFile, options?: IngestOptions | null, maxRows?: number, call?: CallOptions): Promise<TableRecord[]>;
export function forecast(series: Float64Array | ArrayLike<number>, options: ForecastOptions, call?: CallOptions): Promise<ForecastResult>;
export function sampleFiles(call?: CallOptions): Promise<SampleFile[]>;
/** Stops the shared worker (the next call starts a new one). */
export function terminate(): void;
