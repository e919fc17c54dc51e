import { defineConfig } from 'vite';

// Nothing revlens-specific: the package works with Vite's defaults.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true },
});
