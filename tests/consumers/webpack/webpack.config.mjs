import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Nothing revlens-specific: webpack 5 handles the package's `new URL(…, import.meta.url)` assets
// (the .wasm, the stylesheet) and `new Worker(new URL(…))` on its own.
export default {
  mode: 'production',
  entry: './src/index.js',
  output: { path: path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist'), clean: true },
  performance: { hints: false },
};
