// The page's link to the engine: the npm package's own worker (revlens/worker, served at
// ../pkg/worker.js), so the page is the package's first consumer — one client, one protocol.
// One analysis at a time: a new one cancels the running one (the package terminates its worker,
// the next call starts a fresh one), and a worker that dies fails the call with WORKER_FAILED.
//
//   const analyzer = new Analyzer();
//   const { report, files } = await analyzer.analyze(files, options, (p) => …);   // File[] or { name, bytes }[]
//   analyzer.cancel();
import { RevlensWorker } from '../pkg/worker.js';

/** `?workers=2` in the page's address: a large export given alone is analysed by two workers (js/worker.js). */
const workers = new URLSearchParams(globalThis.location?.search ?? '').get('workers') === '2' ? 2 : 1;

export class Analyzer {
  constructor({ worker = new RevlensWorker({ workers }) } = {}) {
    this.worker = worker;
    this.pending = null; // the AbortController of the running analysis
    this.sampleCopy = null;
  }

  /** Resolves with the engine version (starts the worker and loads the wasm module). */
  version() {
    return this.worker.version().catch((err) => Promise.reject(marked(err)));
  }

  /** The embedded sample company's report: { report, files } (report null when no sample). */
  async sample(options, onProgress) {
    const running = this.#begin();
    try {
      this.sampleCopy ??= await this.worker.sampleFiles({ signal: running.signal });
    } catch (err) {
      this.#end(running);
      throw marked(err);
    }
    if (!this.sampleCopy?.length) {
      this.#end(running);
      return { report: null, files: [] };
    }
    // The worker gets copies: the originals stay here for the next run.
    const files = this.sampleCopy.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
    return this.#analyze(running, files, options, onProgress);
  }

  /** Analyses files: File objects (streamed in the worker) or { name, bytes }. */
  analyze(files, options, onProgress) {
    return this.#analyze(this.#begin(), [...files], options, onProgress);
  }

  /** One file's detection report with `options` (IngestOptions), off the main thread. */
  detect(file, options) {
    return this.worker.detect(file, options ?? null).catch((err) => Promise.reject(marked(err)));
  }

  /** The first `maxRows` records of a file as decoded cells: [{ line, cells }]. */
  table(file, options, maxRows) {
    return this.worker.table(file, options ?? null, maxRows).catch((err) => Promise.reject(marked(err)));
  }

  async #analyze(running, files, options, onProgress) {
    const sizes = files.map((f) => ({ name: String(f.name), size: f.size ?? f.bytes?.byteLength ?? 0 }));
    // The package reports bytes read; once every byte is read, what is left is the analysis.
    const progress = (p) => onProgress?.({ phase: p.done >= p.total ? 'analyse' : 'read', file: p.file, bytes: p.done, total: p.total, rows: p.rows });
    try {
      const report = await this.worker.analyze(files, options, { signal: running.signal, onProgress: progress });
      return { report, files: sizes };
    } catch (err) {
      throw marked(err);
    } finally {
      this.#end(running);
    }
  }

  #begin() {
    this.pending?.abort(); // a new request replaces the running one
    this.pending = new AbortController();
    return this.pending;
  }

  #end(running) {
    if (this.pending === running) this.pending = null;
  }

  /** Stops the running analysis (if any); its promise rejects with code CANCELLED. */
  cancel() {
    const running = this.pending;
    this.pending = null;
    running?.abort();
  }

  terminate() {
    this.cancel();
    this.worker.terminate();
  }
}

/** An engine failure (a panic inside the module, a worker that died) is marked `fatal`. */
function marked(err) {
  if (err && typeof err === 'object') err.fatal = err.code === 'INTERNAL' || err.code === 'WORKER_FAILED';
  return err;
}
