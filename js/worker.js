// revlens/worker: the revlens API off the main thread. Every call returns a promise; files may
// be File/Blob objects (streamed inside the worker, never read whole on the page) or
// { name, bytes }; `onProgress` and `progress` events report reading; an AbortSignal cancels.
//
//   import { analyze } from 'revlens/worker';
//   const report = await analyze(input.files, { grain: 'quarter' }, { signal, onProgress });
//
// Cancelling stops the work at once: the worker is terminated, the cancelled call rejects with
// an AbortError (code CANCELLED) and the calls still pending are sent to a fresh worker.

const CANCELLED = 'CANCELLED';

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

  /** `createWorker` makes the Worker (default: this package's worker-thread.js as a module). */
  constructor({ createWorker } = {}) {
    super();
    this.#create = createWorker ?? (() => new Worker(new URL('./worker-thread.js', import.meta.url), { type: 'module', name: 'revlens' }));
  }

  /** Loads the worker and its wasm module; resolves when both are ready. */
  init() {
    return this.#request('version', {}).then(() => undefined);
  }

  version(call) {
    return this.#request('version', {}, call);
  }

  analyze(files, options, call) {
    return this.#request('analyze', { files: [...files], options: options ?? null }, call);
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
    for (const p of pending) this.#settle(p, null, abortError());
  }

  #request(op, args, { signal, onProgress } = {}) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const entry = { id: this.#nextId++, op, args, resolve, reject, onProgress, signal, onAbort: null };
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
    this.#ensure().postMessage({ id: entry.id, op: entry.op, args: entry.args });
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
