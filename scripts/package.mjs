// Completes wasm-pack's output folder into the npm package `revlens` (see scripts/package):
//   index.js / index.node.js / core.js    the API (browsers and bundlers / Node 20+)
//   worker.js / worker-thread.js          revlens/worker
//   element.js, lib/                      revlens/element and the page's renderer (www/lib)
//   vendor/chart.js/                      Chart.js (MIT), loaded by the renderer on demand
//   revlens.js, revlens_bg.wasm           wasm-bindgen's glue and the small module (internal)
//   revlens_full.js, revlens_full_bg.wasm the full module (spreadsheets, speed), loaded on demand
// and writes package.json (version from Cargo.toml) and README.md. Prints both modules' sizes.
//
//   node scripts/package.mjs OUT_DIR
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { vendorChartLibrary } from './serve.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(repoRoot, 'pkg'));
const from = (...p) => path.join(repoRoot, ...p);

for (const f of ['revlens_bg.wasm', 'revlens_full_bg.wasm', 'revlens_full.js']) {
  if (!existsSync(path.join(out, f))) {
    console.error(`${out}/${f} is missing: build the package with scripts/package`);
    process.exit(1);
  }
}

const cargo = readFileSync(from('Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];

// The public API and the worker, from js/.
for (const f of ['core.js', 'index.js', 'index.node.js', 'index.d.ts', 'worker.js', 'worker-thread.js', 'worker.d.ts', 'element.js', 'element.d.ts']) {
  copyFileSync(from('js', f), path.join(out, f));
}
// The element and the renderer: the page's own files (one renderer). Only the element's link to
// the engine differs: in the package it is the package's worker (js/lib/client.js).
mkdirSync(path.join(out, 'lib'), { recursive: true });
for (const f of ['revlens-report.js', 'render.js', 'dom.js', 'i18n.js', 'model.js', 'charts.js', 'report.css']) {
  copyFileSync(from('www', 'lib', f), path.join(out, 'lib', f));
}
copyFileSync(from('js', 'lib', 'client.js'), path.join(out, 'lib', 'client.js'));
// Chart.js, where lib/charts.js looks for it (../vendor/chart.js/chart.js), as on the page.
vendorChartLibrary(out);
rmSync(path.join(out, 'vendor', '.gitignore'), { force: true });
// wasm-bindgen declares `[Symbol.dispose]()` on its classes, which needs TypeScript's
// esnext.disposable lib: a consumer with an ordinary `lib` and skipLibCheck off would get an error
// in our .d.ts. The method stays in the JS; only its declaration goes (the public API's types,
// index.d.ts, do not expose the raw classes anyway).
const dts = path.join(out, 'revlens.d.ts');
writeFileSync(dts, readFileSync(dts, 'utf8').replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, ''));
// wasm-pack's README (the crate's) and .gitignore ('*') are not the package's.
rmSync(path.join(out, '.gitignore'), { force: true });
copyFileSync(from('js', 'README.md'), path.join(out, 'README.md'));
writeFileSync(
  path.join(out, 'LICENSE'),
  `MIT License\n\nCopyright (c) revlens contributors\n\n${readFileSync(from('js', 'LICENSE-MIT.txt'), 'utf8')}`,
);

const pkg = {
  name: 'revlens',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: './index.js',
  module: './index.js',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', node: './index.node.js', default: './index.js' },
    './worker': { types: './worker.d.ts', default: './worker.js' },
    './element': { types: './element.d.ts', default: './element.js' },
    './revlens_bg.wasm': './revlens_bg.wasm',
    './revlens_full_bg.wasm': './revlens_full_bg.wasm',
    './report.css': './lib/report.css',
    './package.json': './package.json',
  },
  files: [
    'index.js', 'index.node.js', 'index.d.ts', 'core.js',
    'worker.js', 'worker-thread.js', 'worker.d.ts',
    'element.js', 'element.d.ts', 'lib/',
    'revlens.js', 'revlens.d.ts', 'revlens_bg.wasm', 'revlens_bg.wasm.d.ts',
    'revlens_full.js', 'revlens_full_bg.wasm',
    'vendor/', 'README.md', 'LICENSE',
  ],
  // Importing the element defines <revlens-report>; the worker script installs its handler.
  sideEffects: ['./element.js', './lib/revlens-report.js', './worker-thread.js'],
  engines: { node: '>=20' },
  keywords: ['crm', 'revops', 'salesops', 'forecast', 'wasm', 'web-component'],
  repository: { type: 'git', url: field('repository') },
};
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const size = (f) => {
  const bytes = readFileSync(path.join(out, f));
  return `${f} ${kb(bytes.length)}, gzipped ${kb(gzipSync(bytes, { level: 9 }).length)}`;
};
console.log(`package ${pkg.name}@${pkg.version} in ${path.relative(process.cwd(), out) || '.'} (gzip: zlib level 9):`);
console.log(`  ${size('revlens_bg.wasm')}  (no spreadsheet reader, built for size: what a page fetches to open a CSV and draw the report)`);
console.log(`  ${size('revlens_full_bg.wasm')}  (the whole engine, built for speed: fetched on demand for a spreadsheet or a large input)`);
