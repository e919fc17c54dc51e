// revlens for Node 20+: the same API as index.js, loading the .wasm file from disk (Node's
// fetch cannot read file: URLs).
import { readFile } from 'node:fs/promises';
import { initSync } from './revlens.js';
import { isInitialised, markInitialised } from './core.js';

export { Analyzer, analyze, detect, forecast, sampleFiles, table, toSql, version, __selfTestPanic } from './core.js';

let loading = null;

/** Loads the WebAssembly module (once). `input` may be bytes or a WebAssembly.Module. */
export function init(input) {
  if (isInitialised()) return Promise.resolve();
  loading ??= (async () => {
    const module = input ?? (await readFile(new URL('./revlens_bg.wasm', import.meta.url)));
    initSync({ module });
    markInitialised();
  })().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}
