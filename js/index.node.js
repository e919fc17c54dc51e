// revlens for Node 20+: the same API as index.js, loading the .wasm file from disk (Node's
// fetch cannot read file: URLs). Size does not matter here: init() loads the full module
// (revlens_full_bg.wasm: the spreadsheet reader, faster code) at once.
import { readFile } from 'node:fs/promises';
import { initSync } from './revlens_full.js';
import * as full from './revlens_full.js';
import { isInitialised, markInitialised, useFullModule } from './core.js';

export { Analyzer, analyze, checkInputSize, detect, forecast, isSpreadsheet, LARGE_INPUT_BYTES, sampleFiles, table, toSql, version, __selfTestPanic } from './core.js';

let loading = null;

/** Loads the WebAssembly module (once). `input` may be bytes or a WebAssembly.Module of revlens_full_bg.wasm. */
export function init(input) {
  if (isInitialised()) return Promise.resolve();
  loading ??= (async () => {
    const module = input ?? (await readFile(new URL('./revlens_full_bg.wasm', import.meta.url)));
    initSync({ module });
    useFullModule(full);
    markInitialised();
  })().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

/** The full module is what init() loads in Node: this only waits for init. */
export function loadFullModule() {
  return init();
}
