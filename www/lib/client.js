// The main-thread side of the analysis worker: one request at a time, progress callbacks,
// cancel (terminate the worker and start a fresh one), and recovery when the worker dies (a
// panic in the wasm module, a failed load): the next request gets a new worker.
//
//   const analyzer = new Analyzer();
//   const { report } = await analyzer.analyze(files, options, (p) => …);   // File[] or { name, bytes }[]
//   analyzer.cancel();

export class Analyzer {
  constructor({ workerUrl = new URL('./worker.js', import.meta.url) } = {}) {
    this.workerUrl = workerUrl;
    this.worker = null;
    this.pending = null;
    this.nextId = 1;
    this.restarts = 0;
  }

  spawn() {
    const worker = new Worker(this.workerUrl, { type: 'module', name: 'revlens-analysis' });
    worker.onmessage = (e) => this.onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.fail({ name: 'Error', code: 'WORKER_FAILED', message: e.message || 'the analysis worker stopped', fatal: true });
    };
    worker.onmessageerror = () => this.fail({ name: 'Error', code: 'WORKER_FAILED', message: 'a message from the worker could not be read', fatal: true });
    this.worker = worker;
    return worker;
  }

  /** Resolves with the engine version (loads the worker and the wasm module). */
  version() {
    return this.request({ type: 'hello' }).then((m) => m.version);
  }

  /** The embedded sample company's report: { report, files } (report null when no sample). */
  sample(options, onProgress) {
    return this.request({ type: 'sample', options }, onProgress);
  }

  /** Analyses files: File objects (read in the worker) or { name, bytes: Uint8Array }. */
  analyze(files, options, onProgress) {
    return this.request({ type: 'analyze', files: [...files], options }, onProgress);
  }

  request(message, onProgress) {
    if (this.pending) this.cancel(); // a new request replaces the running one
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress };
      worker.postMessage({ ...message, id });
    });
  }

  onMessage(msg) {
    const p = this.pending;
    if (!p || msg?.id !== p.id) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg);
      return;
    }
    this.pending = null;
    if (msg.type === 'error') {
      if (msg.error?.fatal) this.restart();
      p.reject(toError(msg.error));
    } else {
      p.resolve(msg);
    }
  }

  fail(error) {
    const p = this.pending;
    this.pending = null;
    this.restart();
    p?.reject(toError(error));
  }

  restart() {
    this.worker?.terminate();
    this.worker = null;
    this.restarts += 1;
  }

  /** Stops the running analysis (if any); its promise rejects with code CANCELLED. */
  cancel() {
    const p = this.pending;
    this.pending = null;
    this.restart();
    p?.reject(toError({ name: 'AbortError', code: 'CANCELLED', message: 'analysis cancelled' }));
  }

  terminate() {
    this.cancel();
  }
}

function toError(e) {
  const err = new Error(e?.message ?? 'analysis failed');
  err.name = e?.name ?? 'Error';
  if (e?.code) err.code = e.code;
  err.fatal = Boolean(e?.fatal);
  return err;
}
