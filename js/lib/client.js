// The element's link to the engine in the npm package (the revlens page has its own
// www/lib/client.js with the same interface): one worker per element, a new analysis cancels
// the running one.
import { RevlensWorker } from '../worker.js';

export class Analyzer {
  #worker = new RevlensWorker();
  #running = null;

  /** Resolves with { report }; a newer call cancels this one (code CANCELLED). */
  async analyze(files, options) {
    this.#running?.abort();
    const running = new AbortController();
    this.#running = running;
    const report = await this.#worker.analyze(files, options, { signal: running.signal });
    if (this.#running === running) this.#running = null;
    return { report };
  }

  terminate() {
    this.#running?.abort();
    this.#running = null;
    this.#worker.terminate();
  }
}
