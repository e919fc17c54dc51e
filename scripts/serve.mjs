// A small static file server for the page: serves www/, with the wasm package (pkg/) at /pkg/,
// sending the same Content-Security-Policy as the
// page's <meta> (as a header it also covers what a meta cannot, such as frame-ancestors).
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]
//
// Also imported by the browser tests: startServer({ port: 0 }) picks a free port.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
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
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

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
