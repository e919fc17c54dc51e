// The public API over the wasm-bindgen glue, shared by the browser/bundler entry (index.js)
// and the Node entry (index.node.js), which differ only in how they load the .wasm files.
// There are two modules: ./revlens.js (revlens_bg.wasm) is the engine without the spreadsheet
// reader, built for size: what a page loads to open and report a CSV; ./revlens_full.js
// (revlens_full_bg.wasm) is the whole engine (XLSX/XLS/ODS too) built for speed (about twice as
// fast, three times the bytes), loaded on demand by loadFullModule(): revlens/worker and the
// element do it themselves for a spreadsheet or an input of LARGE_INPUT_BYTES or more; Node loads
// it at init. Once it is loaded every call goes to it. Every function here:
//  - fails with a coded Error (`NOT_INITIALIZED`) before init() has finished;
//  - fails with `NO_SPREADSHEET_READER` when given a spreadsheet before the full module is
//    loaded (a synchronous call cannot fetch a module), and toSql with `NEEDS_FULL_MODULE`;
//  - first runs a no-argument export (__restartIfPanicked), so a module that panicked in an
//    earlier call is re-instantiated *before* this call copies its arguments into wasm memory
//    (the generated glue of exports with arguments runs its guard only after copying them,
//    into the old, poisoned instance);
//  - turns a panic (WebAssembly.RuntimeError) into an Error with code `INTERNAL`.
import * as csvGlue from './revlens.js';

let glue = csvGlue;
let full = false;

/**
 * Inputs of this many bytes or more are worth the full module even when they are CSV: its
 * faster code saves more time than fetching and compiling it costs (on 23 MB of deals, -O3 vs -Oz:
 * ingest 435 vs 812 ms, the whole report 1.4 vs 2.7 s: bench/wasm_opt.mjs).
 */
export const LARGE_INPUT_BYTES = 4 << 20;

/** From now on every call goes to the full module (its instantiated glue). */
export function useFullModule(fullGlue) {
  glue = fullGlue;
  full = true;
}

export function hasFullModule() {
  return full;
}

/** XLSX/ODS (a zip archive) or XLS (an OLE compound file), by their first bytes, as the engine tells them. */
export function isSpreadsheet(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : null;
  if (!b || b.length < 4) return false;
  return (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) || (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0);
}

function needsReader(name) {
  return codedError(
    'NO_SPREADSHEET_READER',
    `${name || 'a file'} is a spreadsheet: await loadFullModule() first, the module with the spreadsheet reader (revlens/worker and <revlens-report> load it by themselves)`,
  );
}

function checkReader(bytes, name) {
  if (!full && isSpreadsheet(bytes)) throw needsReader(name);
}

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

function call(fn, on = glue) {
  if (!initialised) throw codedError('NOT_INITIALIZED', 'revlens is not initialised: await init() first');
  on.__restartIfPanicked();
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
  if (initialised) checkReader(data, name);
  // The glue copies the bytes into wasm memory before the engine sees them: held to the
  // default limit first.
  checkInputSize([{ name, size: data.byteLength }]);
  return call(() => glue.detect(data, name, options ?? undefined));
}

/**
 * Throws TOO_LARGE (with `file`, `bytes` and `limit`) when files of these sizes would pass the
 * analysis's limit (`options.max_bytes`, default 1 GiB): for a caller that knows the sizes of
 * `[{ name, size }]` before reading them (revlens/worker does, with File objects).
 */
export function checkInputSize(files, options) {
  if (!Array.isArray(files)) throw codedError('BAD_INPUT', 'checkInputSize(files): files must be an array of { name, size }');
  const names = files.map((f) => String(f?.name ?? ''));
  const sizes = Float64Array.from(files, (f) => Number(f?.size ?? 0));
  return call(() => glue.checkInputSize(names, sizes, options ?? undefined));
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
  if (initialised) for (const f of list) checkReader(f?.bytes, f?.name);
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

/**
 * The metric definitions as one SQL query for a warehouse (DuckDB, Spark, BigQuery, Snowflake).
 * In the full module only (a page does not need it to open a CSV): in a browser, await
 * loadFullModule() first; Node loads it at init.
 */
export function toSql(options) {
  if (!full) {
    throw codedError('NEEDS_FULL_MODULE', 'toSql is in the full module: await loadFullModule() first (Node loads it at init)');
  }
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
/** A part of a file as the chunks `exportPart` gave (Uint8Array[]). */
function chunksOf(chunks, what) {
  if (!Array.isArray(chunks) || !chunks.every((c) => c instanceof Uint8Array)) throw codedError('BAD_INPUT', `${what}: expects the Uint8Array[] an export gave`);
  return chunks;
}

export class Analyzer {
  #inner;
  #glue;
  #generation;
  #file = null;
  #fileStart = false;

  /** Called after every chunk with `{ file, bytes, rows }` of the file being read. */
  onProgress = null;

  constructor(options) {
    const on = glue;
    this.#inner = call(() => new on.StreamingAnalysis(options ?? undefined), on);
    this.#glue = on;
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

  /** Ends the file being read (if any) and starts the next one; `size` (bytes, optional) lets
   *  the engine size its columns once instead of growing them. */
  beginFile(name, size) {
    if (typeof name !== 'string') throw codedError('BAD_INPUT', 'beginFile(name): name must be a string');
    if (size !== undefined && !(Number.isFinite(size) && size >= 0)) {
      throw codedError('BAD_INPUT', 'beginFile(name, size): size must be a number of bytes');
    }
    const inner = this.#live();
    call(() => inner.beginFile(name, size), this.#glue);
    this.#file = name;
    this.#fileStart = true;
  }

  /** Feeds the next chunk of the current file; returns `{ file, bytes, rows }` read so far. */
  push(chunk) {
    const data = toBytes(chunk, 'push(chunk)');
    const inner = this.#live();
    // A file's first bytes tell a spreadsheet (an analysis begun on the CSV module stays on it).
    if (this.#fileStart && data.length > 0) {
      this.#fileStart = false;
      if (this.#glue === csvGlue && isSpreadsheet(data)) throw needsReader(this.#file);
    }
    const p = call(() => inner.push(data), this.#glue) ?? { bytes: 0, rows: 0 };
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
    return call(() => inner.finish(), this.#glue);
  }

  /**
   * One large file read in halves by two workers (what revlens/worker does with `workers: 2`),
   * for the file being read. Full module only. `canSplit()`: whether the rest of the file can be
   * read in two parts (text in UTF-8 or Windows-1252 whose rows are being typed, of a kind that
   * comes in large files). The second worker: `beginLaterPart(cut)` (the byte just after a line
   * break), pushes the file from there to its end, `exportLaterPart()` gives that half as bytes,
   * and `adoptPart(first, true)` takes the first worker's half before its own (or
   * `adoptPart(whole, false)` the whole file). The first: pushes up to the cut, `exportPart()`
   * gives its half (undefined when the cut fell inside a quoted cell: it reads on and gives
   * `exportWhole()`), and `joinLaterPart(later)` joins the second's. Either then holds the
   * columns and report of the whole file read by one. A half goes as an array of chunks of a
   * few MB (Uint8Array[]), whose buffers can be moved to the other worker.
   */
  canSplit() {
    return this.#split('canSplit');
  }
  beginLaterPart(cut) {
    if (!(Number.isSafeInteger(cut) && cut >= 0)) throw codedError('BAD_INPUT', 'beginLaterPart(cut): cut must be a byte offset');
    return this.#split('beginLaterPart', cut);
  }
  exportLaterPart() {
    return this.#split('exportLaterPart');
  }
  exportPart() {
    return this.#split('exportPart');
  }
  exportWhole() {
    return this.#split('exportWhole');
  }
  joinLaterPart(later) {
    return this.#split('joinLaterPart', chunksOf(later, 'joinLaterPart(later)'));
  }
  adoptPart(part, thenOwn) {
    return this.#split('adoptPart', chunksOf(part, 'adoptPart(part)'), thenOwn === true);
  }

  #split(what, ...args) {
    const inner = this.#live();
    if (typeof inner[what] !== 'function') throw codedError('NEEDS_FULL_MODULE', `${what} is in the full module: await loadFullModule() before the analysis begins`);
    return call(() => inner[what](...args), this.#glue);
  }

  /**
   * For a report made by two workers that read the same files (what revlens/worker does with a
   * large input): ends the last file and computes the report's company side only (quality and
   * RevOps), to hand to the other worker's `finishSales().join(company)`. Full module only.
   */
  finishCompany() {
    const inner = this.#apart('finishCompany');
    return call(() => inner.finishCompany(), this.#glue);
  }

  /**
   * The other half of `finishCompany`: ends the last file and computes the SalesOps side (lens,
   * pipeline in time, forecast, snapshots). Returns `{ join(company), alone(), free() }`: `join`
   * gives the report `finish()` would have given, `alone()` computes the company side here too
   * (when the other worker could not). Full module only.
   */
  finishSales() {
    const inner = this.#apart('finishSales');
    const on = this.#glue;
    const generation = this.#generation;
    let half = call(() => inner.finishSales(), on);
    const take = () => {
      if (!half) throw codedError('BAD_INPUT', 'this analysis has finished (or was freed)');
      if (generation !== restarts) throw codedError('RESTARTED', 'the engine restarted after an internal error: start the analysis again');
      const h = half;
      half = null;
      return h;
    };
    return {
      join: (company) => {
        const h = take();
        return call(() => h.join(company), on);
      },
      alone: () => {
        const h = take();
        return call(() => h.alone(), on);
      },
      free: () => {
        if (half && generation === restarts) half.free();
        half = null;
      },
    };
  }

  #apart(what) {
    const inner = this.#live();
    if (typeof inner[what] !== 'function') throw codedError('NEEDS_FULL_MODULE', `${what} is in the full module: await loadFullModule() before the analysis begins`);
    this.#inner = null;
    return inner;
  }

  /** Releases the wasm memory of an analysis that will not be finished. */
  free() {
    const inner = this.#inner;
    this.#inner = null;
    if (inner && this.#generation === restarts) inner.free();
  }
}
