// A small static file server for the page: serves www/, with the wasm package (pkg/) at /pkg/,
// sending the same Content-Security-Policy as the
// page's <meta> (as a header it also covers what a meta cannot, such as frame-ancestors).
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]
//
// Also imported by the browser tests: startServer({ port: 0 }) picks a free port.
//
// Before serving it copies the chart library (npm `chart.js` and its one dependency
// `@kurkle/color`, both MIT) from node_modules into www/vendor/ (git-ignored), so the page loads
// it from its own origin: no CDN, and nothing to fetch at run time. Likewise the Thai face
// (npm `@fontsource/noto-sans-thai`, SIL OFL 1.1) into www/vendor/noto-sans-thai/ (vendorThaiFont).
import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Every response's headers (scripts/site writes the same into _headers and .htaccess). */
export const HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Copies Chart.js's ES modules into `www/vendor/chart.js/` and rewrites its one bare import
 * (`@kurkle/color`) to a relative path, since a page without an import map (an inline script,
 * which the CSP forbids) cannot resolve bare specifiers. Drops the source-map comments (the
 * maps are not copied). Returns the folder; a no-op when the copies are up to date.
 */
export function vendorChartLibrary(root = path.join(repoRoot, 'www')) {
  const out = path.join(root, 'vendor', 'chart.js');
  const modules = path.join(repoRoot, 'node_modules');
  const copies = [
    ['chart.js/dist/chart.js', 'chart.js'],
    ['chart.js/dist/chunks/index.js', 'chunks/index.js'],
    ['@kurkle/color/dist/color.esm.js', 'kurkle-color.esm.js'],
    ['chart.js/LICENSE.md', 'LICENSE-chart.js.md'],
    ['@kurkle/color/LICENSE.md', 'LICENSE-kurkle-color.md'],
  ];
  const missing = copies.find(([from]) => !existsSync(path.join(modules, from)));
  if (missing) throw new Error(`node_modules/${missing[0]} is missing: run npm ci (scripts/setup)`);
  mkdirSync(path.join(out, 'chunks'), { recursive: true });
  for (const [from, to] of copies) {
    let text = readFileSync(path.join(modules, from), 'utf8');
    if (to.endsWith('.js')) {
      text = text
        .replace(/(from\s*|import\s*)['"]@kurkle\/color['"]/g, (_, kw) => `${kw}'${to.includes('/') ? '..' : '.'}/kurkle-color.esm.js'`)
        .replace(/^\/\/# sourceMappingURL=.*$/m, '');
    }
    const target = path.join(out, to);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
  }
  writeFileSync(path.join(root, 'vendor', '.gitignore'), '# Copied from node_modules by scripts/serve.mjs (vendorChartLibrary)\n*\n');
  return out;
}

/** The Thai face's weights the page uses (regular, medium, semibold, bold). */
export const THAI_FONT_WEIGHTS = [400, 500, 600, 700];

/**
 * Copies the Thai subset of Noto Sans Thai (npm `@fontsource/noto-sans-thai`, SIL OFL 1.1) into
 * `www/vendor/noto-sans-thai/`, one WOFF2 per weight in THAI_FONT_WEIGHTS, with its licence beside
 * it. www/style.css declares them with @font-face and a Thai-only unicode-range, so a browser
 * fetches them only for a page that shows Thai text. Returns the folder; a no-op when the copies
 * are up to date. scripts/site must call it too, for a self-contained folder.
 */
export function vendorThaiFont(root = path.join(repoRoot, 'www')) {
  const out = path.join(root, 'vendor', 'noto-sans-thai');
  const from = path.join(repoRoot, 'node_modules', '@fontsource', 'noto-sans-thai');
  const copies = [
    ...THAI_FONT_WEIGHTS.map((w) => [`files/noto-sans-thai-thai-${w}-normal.woff2`, `noto-sans-thai-thai-${w}-normal.woff2`]),
    ['LICENSE', 'LICENSE-noto-sans-thai.txt'],
  ];
  const missing = copies.find(([file]) => !existsSync(path.join(from, file)));
  if (missing) throw new Error(`node_modules/@fontsource/noto-sans-thai/${missing[0]} is missing: run npm ci (scripts/setup)`);
  mkdirSync(out, { recursive: true });
  for (const [file, to] of copies) {
    const bytes = readFileSync(path.join(from, file));
    const target = path.join(out, to);
    if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
  }
  writeFileSync(path.join(root, 'vendor', '.gitignore'), '# Copied from node_modules by scripts/serve.mjs (vendorChartLibrary, vendorThaiFont)\n*\n');
  return out;
}

/** The file under `base` that `rest` names, or null when it is outside `base` or missing. */
function fileIn(base, rest) {
  const file = path.resolve(base, `.${path.posix.normalize(`/${rest}`)}`);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return fileIn(base, `${rest.replace(/\/?$/, '/')}index.html`);
    return stat.isFile() ? { file, size: stat.size } : null;
  } catch {
    return null;
  }
}

/** The file a URL path names: first in a mounted folder whose prefix matches, then in root. */
function resolveFile(urlPath, root, mounts) {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (urlPath.startsWith(prefix)) {
      const found = fileIn(dir, urlPath.slice(prefix.length));
      if (found) return found;
    }
  }
  return fileIn(root, urlPath);
}

/**
 * Starts serving. `mounts` maps URL prefixes ending in '/' to folders, looked in before `root`
 * (so a www/pkg/ still works when there is no pkg/). Resolves to { url, server, close() }.
 */
export function startServer({
  root = path.join(repoRoot, 'www'),
  mounts = { '/pkg/': path.join(repoRoot, 'pkg') },
  port = 8080,
  host = '127.0.0.1',
  quiet = true,
} = {}) {
  root = path.resolve(root);
  vendorChartLibrary(root);
  vendorThaiFont(root);
  const liveMounts = Object.fromEntries(
    Object.entries(mounts).map(([prefix, dir]) => [prefix, path.resolve(dir)]),
  );
  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (urlPath.includes('\0')) return send(400, 'bad request\n');
    const found = resolveFile(urlPath, root, liveMounts);
    if (!quiet) console.log(`${req.method} ${req.url} ${found ? 200 : 404}`);
    if (!found) return send(404, 'not found\n');
    res.writeHead(200, {
      ...HEADERS,
      'Content-Type': TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': found.size,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const url = `http://${host}:${actual}/`;
      resolve({ url, server, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const port = Number(arg('port', process.env.PORT || 8080));
  const host = arg('host', '127.0.0.1');
  const { url } = await startServer({ port, host, quiet: !process.argv.includes('--verbose') });
  console.log(`revlens page: ${url}  (Ctrl-C to stop)`);
}
