// The public API over the wasm-bindgen glue (./revlens.js), shared by the browser/bundler
// entry (index.js) and the Node entry (index.node.js), which differ only in how they load the
// .wasm file. Every function here:
//  - fails with a coded Error (`NOT_INITIALIZED`) before init() has finished;
//  - first runs a no-argument export (__restartIfPanicked), so a module that panicked in an
//    earlier call is re-instantiated *before* this call copies its arguments into wasm memory
//    (the generated glue of exports with arguments runs its guard only after copying them,
//    into the old, poisoned instance);
//  - turns a panic (WebAssembly.RuntimeError) into an Error with code `INTERNAL`.
import * as glue from './revlens.js';

let initialised = false;
let restarts = 0; // panics seen: a streaming analysis begun before one cannot go on after it

/** Marks the module ready (called by the entries once the glue is instantiated). */
export function markInitialised() {
  initialised = true;
}

export function isInitialised() {
  return initialised;
}

export function codedError(code, message, ErrorClass = Error) {
  const err = new ErrorClass(message);
  err.code = code;
  return err;
}

function withCode(err) {
  if (err instanceof WebAssembly.RuntimeError) {
    restarts += 1;
    if (typeof err.code !== 'string') err.code = 'INTERNAL';
    return err;
  }
  if (err instanceof Error) {
    if (typeof err.code !== 'string') err.code = 'BAD_INPUT';
    return err;
  }
  return codedError('INTERNAL', String(err));
}

function call(fn) {
  if (!initialised) throw codedError('NOT_INITIALIZED', 'revlens is not initialised: await init() first');
  glue.__restartIfPanicked();
  try {
    return fn();
  } catch (err) {
    throw withCode(err);
  }
}

function toBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw codedError('BAD_INPUT', `${what} must be a Uint8Array (or an ArrayBuffer)`);
}

/** The engine version (the crate version). */
export function version() {
  return call(() => glue.version());
}

/** Reads one file and tells what it is (kind, source, mapping, encoding, rows used/rejected). */
export function detect(bytes, name, options) {
  const data = toBytes(bytes, 'detect(bytes)');
  if (typeof name !== 'string') throw codedError('BAD_INPUT', 'detect(bytes, name): name must be a string');
  return call(() => glue.detect(data, name, options ?? undefined));
}

/**
 * The first `maxRows` records of a file as decoded cells (encoding, delimiter and quotes
 * handled; title lines and the header included): `[{ line, cells }]`, the CLI's `table`, for
 * previewing a column mapping. Reads only the first 256 KB of a large text file.
 */
export function table(bytes, name, options, maxRows = 20) {
  const data = toBytes(bytes, 'table(bytes)');
  if (typeof name !== 'string') throw codedError('BAD_INPUT', 'table(bytes, name): name must be a string');
  if (!Number.isInteger(maxRows) || maxRows < 0) throw codedError('BAD_INPUT', 'table(bytes, name, options, maxRows): maxRows must be a whole number');
  return call(() => glue.table(data, name, options ?? undefined, Math.min(maxRows, 0xffffffff)));
}

/** Analyses files held in memory (`[{ name, bytes }]`) into a report. */
export function analyze(files, options) {
  if (!Array.isArray(files)) throw codedError('BAD_INPUT', 'analyze(files): files must be an array of { name, bytes }');
  const list = files.map((f) => (f && (f.bytes instanceof ArrayBuffer) ? { name: f.name, bytes: new Uint8Array(f.bytes) } : f));
  return call(() => glue.analyze(list, options ?? undefined));
}

/** Forecasts an equally spaced series (oldest first); numbers come back as Float64Arrays. */
const FORECAST_OPTIONS = ['horizon', 'season_length', 'seed', 'backtest_origins'];

export function forecast(series, options) {
  const unknown = Object.keys(options ?? {}).filter((k) => !FORECAST_OPTIONS.includes(k));
  if (unknown.length) throw codedError('BAD_OPTIONS', `forecast options: unknown ${unknown.join(', ')} (known: ${FORECAST_OPTIONS.join(', ')})`);
  const values = series instanceof Float64Array ? series : Float64Array.from(series ?? []);
  return call(() => glue.forecast(values, options ?? undefined));
}

/** The SalesOps metric definitions as one SQL query for a warehouse (DuckDB, Spark, BigQuery, Snowflake). */
export function toSql(options) {
  return call(() => glue.toSql(options ?? undefined));
}

/** The embedded sample company's exports: `[{ name, kind, bytes }]`. */
export function sampleFiles() {
  return call(() => glue.sampleFiles());
}

/** Internal, for tests only: panics inside the module (which then restarts for the next call). */
export function __selfTestPanic() {
  return call(() => glue.__selfTestPanic());
}

/**
 * A report from files that arrive in chunks, for files too large to hold at once: only the file
 * being read is buffered (its first 256 KB, or all of it for a spreadsheet).
 *
 *   const a = new Analyzer(options);
 *   a.onProgress = ({ file, bytes, rows }) => …;
 *   a.beginFile('deals.csv');
 *   for await (const chunk of stream) a.push(chunk);
 *   const report = a.finish();
 */
export class Analyzer {
  #inner;
  #generation;
  #file = null;

  /** Called after every chunk with `{ file, bytes, rows }` of the file being read. */
  onProgress = null;

  constructor(options) {
    this.#inner = call(() => new glue.StreamingAnalysis(options ?? undefined));
    this.#generation = restarts;
  }

  #live() {
    if (!this.#inner) throw codedError('BAD_INPUT', 'this analysis has finished (or was freed)');
    if (this.#generation !== restarts) {
      this.#inner = null;
      throw codedError('RESTARTED', 'the engine restarted after an internal error: start the analysis again');
    }
    return this.#inner;
  }

  /** Ends the file being read (if any) and starts the next one. */
  beginFile(name) {
    if (typeof name !== 'string') throw codedError('BAD_INPUT', 'beginFile(name): name must be a string');
    const inner = this.#live();
    call(() => inner.beginFile(name));
    this.#file = name;
  }

  /** Feeds the next chunk of the current file; returns `{ file, bytes, rows }` read so far. */
  push(chunk) {
    const data = toBytes(chunk, 'push(chunk)');
    const inner = this.#live();
    const p = call(() => inner.push(data)) ?? { bytes: 0, rows: 0 };
    const progress = { file: this.#file ?? '', bytes: p.bytes, rows: p.rows };
    this.onProgress?.(progress);
    return progress;
  }

  /** Reads a whole file from a ReadableStream or an (async) iterable of chunks. */
  async addFile(name, chunks) {
    this.beginFile(name);
    if (chunks && typeof chunks.getReader === 'function') {
      const reader = chunks.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.push(value);
      }
    } else {
      for await (const chunk of chunks) this.push(chunk);
    }
  }

  /** Ends the last file and returns the report; the analysis cannot be used afterwards. */
  finish() {
    const inner = this.#live();
    this.#inner = null;
    return call(() => inner.finish());
  }

  /** Releases the wasm memory of an analysis that will not be finished. */
  free() {
    const inner = this.#inner;
    this.#inner = null;
    if (inner && this.#generation === restarts) inner.free();
  }
}
