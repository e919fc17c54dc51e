// Writes the page as a self-contained static site (see scripts/site): www/ (the page, the
// embedding example, the renderer, the service worker), the npm package built by
// scripts/package in pkg/ (its worker, its JS API and the wasm: every file it ships but the type
// declarations and the npm metadata), the chart library with its licences in vendor/, and
// `_headers` (Netlify, Cloudflare Pages) and `.htaccess` (Apache) holding the headers
// scripts/serve.mjs sends. Every URL in it is relative, so the folder works at a domain root and
// under a sub-path; buildSite checks that, and that every relative URL names a file it wrote.
//
//   node scripts/site.mjs OUT_DIR [PKG_DIR]
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HEADERS, vendorChartLibrary, vendorThaiFont } from './serve.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** What a site folder holds at its top (so an existing folder is only replaced if it is one). */
const SITE_MARKERS = ['index.html', 'sw.js', '_headers'];

/** Files of the package that a browser never loads: types, the Node entry, npm metadata. */
const NOT_SERVED = (rel) =>
  rel.endsWith('.d.ts') || rel.endsWith('.node.js') || rel === 'package.json' || rel === 'README.md' || path.basename(rel).startsWith('.');

/** `_headers` (Netlify / Cloudflare Pages): every path gets the same headers. */
export function netlifyHeaders(headers = HEADERS) {
  return `# Written by scripts/site from scripts/serve.mjs (HEADERS): the headers of every response.\n/*\n${Object.entries(headers)
    .map(([k, v]) => `  ${k}: ${v}\n`)
    .join('')}`;
}

/** `.htaccess` (Apache with mod_headers): the same headers, and the wasm MIME type. */
export function htaccess(headers = HEADERS) {
  const quote = (v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  return [
    '# Written by scripts/site from scripts/serve.mjs (HEADERS): the headers of every response.',
    'AddType application/wasm .wasm',
    'AddType text/javascript .js .mjs',
    'AddType font/woff2 .woff2',
    '<IfModule mod_headers.c>',
    ...Object.entries(headers).map(([k, v]) => `  Header always set ${k} ${quote(v)}`),
    '</IfModule>',
    '',
  ].join('\n');
}

/** Reads back the headers of a `_headers` file (the `/*` block). */
export function parseNetlifyHeaders(text) {
  const out = {};
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      inBlock = line.trim() === '/*';
      continue;
    }
    const m = inBlock && line.match(/^\s+([^:]+):\s?(.*)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Reads back the headers of a `.htaccess` written by htaccess(). */
export function parseHtaccess(text) {
  const out = {};
  for (const m of text.matchAll(/^\s*Header always set (\S+) "((?:[^"\\]|\\.)*)"\s*$/gm)) out[m[1]] = m[2].replace(/\\(.)/g, '$1');
  return out;
}

function walk(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function copyInto(from, to, keep) {
  const written = [];
  for (const rel of walk(from)) {
    if (!keep(rel)) continue;
    mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    copyFileSync(path.join(from, rel), path.join(to, rel));
    written.push(rel);
  }
  return written;
}

/**
 * Every URL a site file names (HTML src/href, JS imports, `new URL(…, import.meta.url)`,
 * workers, fetches, CSS url()/@import), as [file, url] pairs.
 */
export function urlsIn(file, text) {
  const found = [];
  const add = (re) => {
    for (const m of text.matchAll(re)) found.push([file, m[1]]);
  };
  if (file.endsWith('.html')) {
    add(/\s(?:src|href|action|poster|data)\s*=\s*"([^"]*)"/g);
    add(/\s(?:src|href|action|poster|data)\s*=\s*'([^']*)'/g);
  } else if (/\.m?js$/.test(file)) {
    // Statements at the start of a line (not the examples in comments, nor "from" in text).
    add(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm);
    add(/^\s*import\s*['"]([^'"]+)['"]/gm);
    add(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g);
    add(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*(?:import\.meta\.url|self\.location|location)/g);
    add(/new (?:Shared)?Worker\(\s*['"]([^'"]+)['"]/g);
    add(/\bimportScripts\(\s*['"]([^'"]+)['"]/g);
    add(/\bfetch\(\s*['"]([^'"]+)['"]/g);
    add(/\bregister\(\s*['"]([^'"]+)['"]/g);
  } else if (file.endsWith('.css')) {
    add(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g);
    add(/@import\s+['"]([^'"]+)['"]/g);
  }
  return found;
}

/** Problems with the URLs of a site folder: absolute ones, and relative ones naming no file. */
export function checkUrls(dir, files = walk(dir)) {
  const have = new Set(files);
  const problems = [];
  for (const file of files) {
    if (!/\.(html|m?js|css)$/.test(file)) continue;
    for (const [, url] of urlsIn(file, readFileSync(path.join(dir, file), 'utf8'))) {
      if (/^(data|blob):/.test(url) || url.startsWith('#') || url === '') continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) {
        problems.push(`${file}: '${url}' is not a relative URL`);
        continue;
      }
      // A bare specifier (no ./ or ../) in an import cannot be resolved by a browser without an
      // import map; in new URL() and HTML it is relative. Both must name a file of the site.
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), url.split(/[?#]/)[0]));
      const resolved = target.endsWith('/') || target === '.' ? path.posix.join(target, 'index.html') : target;
      if (resolved.startsWith('..') || !have.has(resolved)) problems.push(`${file}: '${url}' names no file of the site`);
    }
  }
  return problems;
}

/** Replaces the service worker's build line: the cache name and the files to keep offline. */
function stampServiceWorker(file, files) {
  const hash = createHash('sha256');
  for (const rel of files) {
    if (rel === 'sw.js') continue;
    hash.update(`${rel}\0`);
    hash.update(readFileSync(path.join(path.dirname(file), rel)));
  }
  const version = hash.digest('hex').slice(0, 16);
  // The page itself is './' (how a host serves index.html); the headers files are not fetched.
  const offline = ['./', ...files.filter((f) => !['sw.js', '_headers', '.htaccess'].includes(f))];
  const text = readFileSync(file, 'utf8');
  const line = /^const BUILD = \{[^\n]*\};$/m;
  if (!line.test(text)) throw new Error(`${file}: no 'const BUILD = { … };' line to fill in`);
  writeFileSync(file, text.replace(line, `const BUILD = ${JSON.stringify({ version, files: offline })};`));
  return version;
}

/**
 * Builds the site into `out` from `www/` and the package folder `pkg`. Returns
 * { out, version, files: [{ path, size }] }. Throws when the package is missing, when `out` is a
 * non-empty folder that is not a site, or when a URL is absolute or names no file.
 */
export function buildSite({ out, pkg = path.join(repoRoot, 'pkg'), www = path.join(repoRoot, 'www') } = {}) {
  if (!out) throw new Error('buildSite: no output folder');
  out = path.resolve(out);
  pkg = path.resolve(pkg);
  const pkgFiles = existsSync(pkg) ? walk(pkg) : [];
  if (!pkgFiles.some((f) => f.endsWith('.wasm')) || !pkgFiles.includes('worker.js')) {
    throw new Error(`${pkg} holds no built package (no .wasm or worker.js): run scripts/package ${path.relative(process.cwd(), pkg) || '.'}`);
  }
  if (existsSync(out) && readdirSync(out).length > 0 && !SITE_MARKERS.every((m) => existsSync(path.join(out, m)))) {
    throw new Error(`${out} is not empty and not a site built before: give an empty or new folder`);
  }
  for (const danger of [repoRoot, www, pkg, path.parse(out).root]) {
    if (path.resolve(danger) === out) throw new Error(`refusing to write the site over ${out}`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // The page: www/ without the development copies (vendor/ and pkg/ are written fresh below).
  copyInto(www, out, (rel) => !rel.startsWith('vendor/') && !rel.startsWith('pkg/') && !path.basename(rel).startsWith('.'));
  vendorChartLibrary(out);
  vendorThaiFont(out);
  rmSync(path.join(out, 'vendor', '.gitignore'), { force: true });
  copyInto(pkg, path.join(out, 'pkg'), (rel) => !NOT_SERVED(rel));
  writeFileSync(path.join(out, '_headers'), netlifyHeaders());
  writeFileSync(path.join(out, '.htaccess'), htaccess());

  const files = walk(out);
  const problems = checkUrls(out, files);
  if (problems.length) throw new Error(`the site has URLs that would break on a static host:\n  ${problems.join('\n  ')}`);
  const version = stampServiceWorker(path.join(out, 'sw.js'), files);
  return { out, version, files: files.map((f) => ({ path: f, size: statSync(path.join(out, f)).size })) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outArg, pkgArg] = process.argv.slice(2);
  if (!outArg) {
    console.error('usage: node scripts/site.mjs OUT_DIR [PKG_DIR]');
    process.exit(2);
  }
  try {
    const site = buildSite({ out: outArg, pkg: pkgArg ?? path.join(repoRoot, 'pkg') });
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    const width = Math.max(...site.files.map((f) => f.path.length));
    for (const f of site.files) console.log(`  ${f.path.padEnd(width)}  ${kib(f.size).padStart(11)}`);
    const total = site.files.reduce((s, f) => s + f.size, 0);
    const gz = site.files.reduce((s, f) => s + gzipSync(readFileSync(path.join(site.out, f.path)), { level: 9 }).length, 0);
    console.log(`site in ${site.out}: ${site.files.length} files, ${kib(total)} (${kib(gz)} gzipped); service worker cache ${site.version}`);
  } catch (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
}
