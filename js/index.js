// revlens for browsers and bundlers (Vite, webpack 5, <script type="module">): the wasm file is
// found next to this module (`new URL('revlens_bg.wasm', import.meta.url)` in the glue, which
// bundlers understand). Node resolves the package to index.node.js instead.
import initGlue from './revlens.js';
import { isInitialised, markInitialised } from './core.js';

export { Analyzer, analyze, detect, forecast, sampleFiles, table, toSql, version, __selfTestPanic } from './core.js';

let loading = null;

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
