// revlens for browsers and bundlers (Vite, webpack 5, <script type="module">): the wasm files are
// found next to this module (`new URL('revlens_bg.wasm', import.meta.url)` in the glue, which
// bundlers understand). Node resolves the package to index.node.js instead.
// init() loads the small module (no spreadsheet reader, built for size); the full module (with
// the reader, built for speed) is fetched by loadFullModule() (a dynamic import, so bundlers split
// it off too).
import initGlue from './revlens.js';
import { hasFullModule, isInitialised, markInitialised, useFullModule } from './core.js';

export { Analyzer, analyze, checkInputSize, detect, forecast, isSpreadsheet, LARGE_INPUT_BYTES, sampleFiles, table, toSql, version, __selfTestPanic } from './core.js';

let loading = null;
let loadingReader = null;

/**
 * Loads the WebAssembly module (once; later calls return the same promise). `input` may be a
 * URL, a Response, bytes or a WebAssembly.Module, when the .wasm is not next to this file.
 */
export function init(input) {
  if (isInitialised()) return Promise.resolve();
  loading ??= initGlue(input === undefined ? undefined : { module_or_path: input }).then(
    () => markInitialised(),
    (err) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/**
 * Loads the full module (the spreadsheet reader too, and faster code), once; from then on every
 * call uses it. Initialises the package too if init() was not called. `input` locates
 * revlens_full_bg.wasm as init's input locates revlens_bg.wasm.
 */
export function loadFullModule(input) {
  if (hasFullModule()) return Promise.resolve();
  loadingReader ??= (async () => {
    const full = await import('./revlens_full.js');
    await full.default(input === undefined ? undefined : { module_or_path: input });
    useFullModule(full);
    markInitialised();
  })().catch((err) => {
    loadingReader = null;
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { code: err?.code ?? 'FETCH_FAILED' });
  });
  return loadingReader;
}
