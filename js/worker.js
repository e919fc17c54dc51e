// revlens/worker: the revlens API off the main thread. Every call returns a promise; files may
// be File/Blob objects (streamed inside the worker, never read whole on the page) or
// { name, bytes }; `onProgress` and `progress` events report reading; an AbortSignal cancels.
//
//   import { analyze } from 'revlens/worker';
//   const report = await analyze(input.files, { grain: 'quarter' }, { signal, onProgress });
//
// Cancelling stops the work at once: the worker is terminated, the cancelled call rejects with
// an AbortError (code CANCELLED) and the calls still pending are sent to a fresh worker.
//
// With `workers: 2`, a large export given alone (one File/Blob of APART_MIN_BYTES to
// APART_MAX_BYTES) is analysed by two workers at once: each reads half of it (cut at a line
// break; where that falls inside a quoted cell, the first reads on and gives the second the whole
// file) and gives the other its half's columns as one buffer, so each holds the whole file; the
// second computes the report's company side (quality, RevOps, the SalesOps lens's metrics of the
// deals), the first the rest of the SalesOps side, and joins them into the report one worker
// would have made. Each worker holds its own copy of the data, so one worker is the default
// (docs/performance.md has the figures). Several files stay on one worker: where a large leads or
// billing export makes the company side the longer one, two took as long as one or longer. Byte
// arrays stay on one worker too (sending them to two would copy them on the page).

const CANCELLED = 'CANCELLED';

/** Inputs from this many bytes are worth a second worker (below, its start costs what it saves). */
export const APART_MIN_BYTES = 16 << 20;
/** ... and up to this many: each worker holds all the data, so above it one worker reads them. */
export const APART_MAX_BYTES = 512 << 20;

/** The least time a worker waits for its partner's side before computing it itself. */
const PATIENCE_MIN_MS = 10_000;

const cores = () => globalThis.navigator?.hardwareConcurrency ?? 1;

function isBlob(f) {
  return typeof Blob !== 'undefined' && f instanceof Blob;
}

function toError(e) {
  const err = new Error(e?.message ?? 'revlens worker: request failed');
  err.name = e?.name ?? 'Error';
  err.code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
  for (const key of ['file', 'bytes', 'limit', 'params']) if (e?.[key] !== undefined) err[key] = e[key];
  return err;
}

function abortError(signal) {
  const err = new Error(signal?.reason?.message ?? 'the revlens request was cancelled');
  err.name = 'AbortError';
  err.code = CANCELLED;
  return err;
}

/** One worker and its queue of requests. Dispatches `progress` events (detail: the progress). */
export class RevlensWorker extends EventTarget {
  #worker = null;
  #pending = new Map();
  #nextId = 1;
  #create;
  #workers;
  #apartMin;
  #partner = null; // the second worker of a report made by two
  #workersUsed = 0;
  #fileRead = null;

  /**
   * `createWorker` makes the Worker (default: this package's worker-thread.js as a module worker);
   * `workers: 2` lets two workers analyse a large export at once where the machine has two cores
   * or more (default 1; see the top of this file); `apartMinBytes` (default APART_MIN_BYTES) is where a second one begins.
   */
  constructor({ createWorker, workers, apartMinBytes } = {}) {
    super();
    this.#create = createWorker ?? (() => new Worker(new URL('./worker-thread.js', import.meta.url), { type: 'module', name: 'revlens' }));
    this.#workers = workers === 2 && cores() >= 2 ? 2 : 1;
    this.#apartMin = apartMinBytes ?? APART_MIN_BYTES;
  }

  /** Loads the worker and its wasm module; resolves when both are ready. */
  init() {
    return this.#request('version', {}).then(() => undefined);
  }

  version(call) {
    return this.#request('version', {}, call);
  }

  analyze(files, options, call) {
    const list = [...files];
    if (this.#apart(list)) return this.#analyzeApart(list, options ?? null, call);
    return this.#request('analyze', { files: list, options: options ?? null }, call).then((r) => {
      this.#workersUsed = 1;
      this.#fileRead = null;
      return r;
    });
  }

  /**
   * How many workers made the last report: 2 when a second worker computed its company side, 1
   * when one worker made it all (0 before the first report).
   */
  get workersUsed() {
    return this.#workersUsed;
  }

  /**
   * How the two workers of the last report read its file: 'halves' (each read half and they
   * traded their columns), 'given' (the first read it all and gave it to the second: its middle
   * fell inside a quoted cell), 'each' (each read it all: it could not be cut), or null (one
   * worker read the input).
   */
  get fileRead() {
    return this.#fileRead;
  }

  /** Whether two workers analyse these files (see the top of this file). */
  #apart(files) {
    if (this.#workers < 2 || files.length !== 1 || !isBlob(files[0])) return false;
    return files[0].size >= this.#apartMin && files[0].size <= APART_MAX_BYTES;
  }

  /**
   * This worker computes the SalesOps side and the report; the partner, the company side from
   * the same files. When the partner fails (it stopped, ran out of memory), this one computes
   * that side too; when this one fails or is cancelled, the partner is stopped.
   */
  #analyzeApart(files, options, call = {}) {
    const partner = (this.#partner ??= new RevlensWorker({ createWorker: this.#create, workers: 1 }));
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    let salesId = null;
    let joined = false;
    this.#fileRead = null;
    let patience = null;
    const started = performance.now();
    // Each worker reads half of the file and gives the other its half's columns.
    const channel = new MessageChannel();
    const report = this.#request('analyzeSales', { files, options, port: channel.port1 }, call, (entry) => {
      entry.transfer = [channel.port1];
      salesId = entry.id;
      entry.onRead = (how) => (this.#fileRead = how);
      // This side is done and waits: a partner that has not answered in twice the time so far
      // (its side takes about as long) is given up, and this worker computes that side too. A
      // worker the browser stopped (out of memory) may not say so.
      entry.onWaiting = () => {
        clearTimeout(patience); // (a request sent again to a fresh worker waits again)
        patience = setTimeout(() => {
          stop.abort();
          this.#provide(entry.id, null);
        }, Math.max(PATIENCE_MIN_MS, 2 * (performance.now() - started)));
      };
    });
    // The partner uses this worker's compiled full module (the two share its code).
    this.#request('fullModule', {}, { signal: stop.signal })
      .catch(() => undefined)
      .then((module) =>
        partner.#request('analyzeCompany', { file: files[0], port: channel.port2, options, module }, { signal: stop.signal }, (entry) => {
          entry.transfer = [channel.port2];
        }),
      )
      .catch(() => null)
      .then((company) => {
        joined = company !== null;
        this.#provide(salesId, company);
      });
    const settle = () => {
      clearTimeout(patience);
      call.signal?.removeEventListener('abort', onAbort);
      stop.abort();
    };
    return report.then(
      (r) => {
        settle();
        this.#workersUsed = joined ? 2 : 1;
        if (!joined) this.#fileRead = null;
        return r;
      },
      (err) => {
        settle();
        throw err;
      },
    );
  }

  /** Hands the partner's company side to the pending analysis `id` (and again if it is re-sent). */
  #provide(id, company) {
    const entry = this.#pending.get(id);
    if (!entry || entry.company) return; // given already (or given up on)
    entry.company = { company };
    this.#worker?.postMessage({ id, op: 'company', args: entry.company });
  }

  detect(file, nameOrOptions, maybeOptions, call) {
    // detect(bytes, name, options?, call?) like the main API, or detect(file: File, options?, call?)
    if (typeof nameOrOptions === 'string') return this.#request('detect', { file: { name: nameOrOptions, bytes: file }, options: maybeOptions ?? null }, call);
    return this.#request('detect', { file, options: nameOrOptions ?? null }, maybeOptions);
  }

  /** The first `maxRows` records of a file (File or { name, bytes }) as decoded cells. */
  table(file, options, maxRows, call) {
    return this.#request('table', { file, options: options ?? null, maxRows: maxRows ?? 20 }, call);
  }

  forecast(series, options, call) {
    const values = series instanceof Float64Array ? series : Float64Array.from(series);
    return this.#request('forecast', { series: values, options }, call);
  }

  sampleFiles(call) {
    return this.#request('sampleFiles', {}, call);
  }

  /** Stops the worker; pending calls reject with code CANCELLED. */
  terminate() {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#stop();
    this.#partner?.terminate();
    this.#partner = null;
    for (const p of pending) this.#settle(p, null, abortError());
  }

  #request(op, args, { signal, onProgress } = {}, onEntry = null) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const entry = { id: this.#nextId++, op, args, resolve, reject, onProgress, signal, onAbort: null, company: null, transfer: [] };
      onEntry?.(entry);
      if (signal) {
        entry.onAbort = () => this.#cancel(entry.id);
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.#pending.set(entry.id, entry);
      this.#send(entry);
    });
  }

  #ensure() {
    if (this.#worker) return this.#worker;
    const worker = this.#create();
    worker.onmessage = (e) => this.#onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.#failAll({ code: 'WORKER_FAILED', message: `the revlens worker stopped: ${e.message || 'it could not be loaded'}` });
    };
    worker.onmessageerror = () => this.#failAll({ code: 'WORKER_FAILED', message: 'a message from the revlens worker could not be read' });
    this.#worker = worker;
    return worker;
  }

  #send(entry) {
    const worker = this.#ensure();
    if (entry.sent && entry.transfer.length) {
      // Sent again to a fresh worker: its ports went with the first; the partner's side is
      // then computed here.
      entry.args = { ...entry.args, port: null };
      entry.transfer = [];
      queueMicrotask(() => this.#provide(entry.id, null));
    }
    worker.postMessage({ id: entry.id, op: entry.op, args: entry.args }, entry.transfer);
    entry.sent = true;
    if (entry.company) worker.postMessage({ id: entry.id, op: 'company', args: entry.company });
  }

  #stop() {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #settle(entry, value, error) {
    if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
    if (error) entry.reject(error);
    else entry.resolve(value);
  }

  #cancel(id) {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    // The worker may be inside a synchronous wasm call: only terminating it stops the work.
    this.#stop();
    this.#settle(entry, null, abortError(entry.signal));
    for (const other of this.#pending.values()) this.#send(other);
  }

  #failAll(error) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#stop();
    for (const p of pending) this.#settle(p, null, toError(error));
  }

  #onMessage(msg) {
    const entry = this.#pending.get(msg?.id);
    if (!entry) return;
    if (msg.type === 'waiting') {
      entry.onWaiting?.();
      return;
    }
    if (msg.type === 'read') {
      entry.onRead?.(msg.read);
      return;
    }
    if (msg.type === 'progress') {
      entry.onProgress?.(msg.progress);
      this.dispatchEvent(new CustomEvent('progress', { detail: msg.progress }));
      return;
    }
    this.#pending.delete(entry.id);
    if (msg.type === 'error') this.#settle(entry, null, toError(msg.error));
    else this.#settle(entry, msg.result, null);
  }
}

let shared = null;
const worker = () => (shared ??= new RevlensWorker());

/** Starts the shared worker and loads the wasm module in it. */
export const init = () => worker().init();
export const version = (call) => worker().version(call);
export const analyze = (files, options, call) => worker().analyze(files, options, call);
export const detect = (file, nameOrOptions, options, call) => worker().detect(file, nameOrOptions, options, call);
export const table = (file, options, maxRows, call) => worker().table(file, options, maxRows, call);
export const forecast = (series, options, call) => worker().forecast(series, options, call);
export const sampleFiles = (call) => worker().sampleFiles(call);
/** Stops the shared worker (the next call starts a new one). */
export function terminate() {
  shared?.terminate();
  shared = null;
}
