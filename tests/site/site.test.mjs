// scripts/site: the command writes a self-contained folder (the page, the package's runtime
// files, the chart library and its licences, the service worker, `_headers` and `.htaccess`, and
// nothing else) whose URLs are all relative and whose header files say what scripts/serve sends;
// the folder served plainly at a domain root shows the sample report. The page's full checks run
// on the same folder under a sub-path in tests/e2e/page.test.mjs.
//
// Run by scripts/test (stage "static site") after the wasm package is built in pkg/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CSP, HEADERS, startServer, THAI_FONT_WEIGHTS } from '../../scripts/serve.mjs';
import { buildSite, checkUrls, htaccess, netlifyHeaders, parseHtaccess, parseNetlifyHeaders } from '../../scripts/site.mjs';
import { repoRoot } from '../support/revlens-cli.mjs';
import { plainStaticServer, startStaticSite } from '../support/static-site.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.mjs';

const pkg = path.join(repoRoot, 'pkg');
let tmp;
let out;
let printed;

/** Every file below `dir`, as paths relative to it with '/' separators. */
function filesIn(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesIn(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

before(() => {
  assert.ok(existsSync(path.join(pkg, 'worker.js')), 'pkg/ is missing: run scripts/package pkg');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'revlens-site-test-'));
  out = path.join(tmp, 'out', 'revlens');
  // The command itself, on the package just built (PKG: no rebuild).
  printed = execFileSync('bash', [path.join(repoRoot, 'scripts', 'site'), out], {
    cwd: repoRoot,
    env: { ...process.env, PKG: pkg },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the folder holds the page, the package, the chart library, the service worker and the headers: nothing else', () => {
  const got = filesIn(out).sort();
  // Expected, from the sources: www/ (without the development copies and dotfiles), the package's
  // files a browser loads, Chart.js with both licences, and the two header files.
  const www = filesIn(path.join(repoRoot, 'www')).filter((f) => !f.startsWith('vendor/') && !f.startsWith('pkg/') && !path.basename(f).startsWith('.'));
  const fromPkg = filesIn(pkg)
    .filter((f) => !f.endsWith('.d.ts') && !f.endsWith('.node.js') && !['package.json', 'README.md'].includes(f) && !path.basename(f).startsWith('.'))
    .map((f) => `pkg/${f}`);
  const vendor = ['chart.js', 'chunks/index.js', 'kurkle-color.esm.js', 'LICENSE-chart.js.md', 'LICENSE-kurkle-color.md'].map((f) => `vendor/chart.js/${f}`);
  const thai = [...THAI_FONT_WEIGHTS.map((w) => `noto-sans-thai-thai-${w}-normal.woff2`), 'LICENSE-noto-sans-thai.txt'].map((f) => `vendor/noto-sans-thai/${f}`);
  const expected = [...www, ...fromPkg, ...vendor, ...thai, '_headers', '.htaccess'].sort();
  assert.deepEqual(got, expected);
  // Whatever the package holds that a browser loads is there: every wasm module, whatever its name.
  const wasm = filesIn(pkg).filter((f) => f.endsWith('.wasm'));
  assert.ok(wasm.length >= 1);
  for (const w of wasm) assert.ok(got.includes(`pkg/${w}`), `pkg/${w}`);
  assert.ok(!got.includes('lib/worker.js'), 'no worker of the page beside the package one');
  assert.ok(got.includes('pkg/worker-thread.js'));
  // The licences travel with the code they cover.
  assert.match(readFileSync(path.join(out, 'vendor/chart.js/LICENSE-chart.js.md'), 'utf8'), /MIT/);
  assert.match(readFileSync(path.join(out, 'pkg/LICENSE'), 'utf8'), /MIT License/);
  assert.match(readFileSync(path.join(out, 'vendor/noto-sans-thai/LICENSE-noto-sans-thai.txt'), 'utf8'), /SIL OPEN FONT LICENSE/i);
});

test('the command prints every file with its size, and the total', () => {
  for (const f of filesIn(out)) assert.match(printed, new RegExp(`^  ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+[\\d.]+ KiB$`, 'm'), f);
  assert.match(printed, /site in .*revlens: \d+ files, [\d.]+ KiB \([\d.]+ KiB gzipped\); service worker cache [0-9a-f]{16}/);
});

test('_headers and .htaccess hold exactly the headers scripts/serve sends', async () => {
  const netlify = readFileSync(path.join(out, '_headers'), 'utf8');
  const apache = readFileSync(path.join(out, '.htaccess'), 'utf8');
  assert.equal(netlify, netlifyHeaders(HEADERS));
  assert.equal(apache, htaccess(HEADERS));
  assert.deepEqual(parseNetlifyHeaders(netlify), HEADERS);
  assert.deepEqual(parseHtaccess(apache), HEADERS);
  assert.match(apache, /^AddType application\/wasm \.wasm$/m);
  // What the development server really sends, header by header.
  const server = await startServer({ port: 0 });
  try {
    const res = await fetch(server.url);
    for (const [name, value] of Object.entries(HEADERS)) assert.equal(res.headers.get(name), value, name);
  } finally {
    await server.close();
  }
  // The page's <meta> CSP is the same policy but frame-ancestors, which a <meta> cannot set.
  const meta = readFileSync(path.join(out, 'index.html'), 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.equal(meta, CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; '));
});

test('docs/hosting.md shows the same headers for nginx', () => {
  const hosting = readFileSync(path.join(repoRoot, 'docs', 'hosting.md'), 'utf8');
  for (const [name, value] of Object.entries(HEADERS)) assert.ok(hosting.includes(`add_header ${name} "${value}" always;`), `docs/hosting.md nginx line for ${name}`);
});

test('every URL is relative and names a file of the site', () => {
  assert.deepEqual(checkUrls(out), []);
  // The check finds what it is for: an absolute path, another origin, a missing file.
  const bad = path.join(tmp, 'bad');
  mkdirSync(path.join(bad, 'lib'), { recursive: true });
  writeFileSync(path.join(bad, 'index.html'), '<script type="module" src="/app.js"></script><link rel="stylesheet" href="https://cdn.example/x.css">');
  writeFileSync(path.join(bad, 'lib', 'a.js'), "import { b } from './b.js';\nimport { c } from '../c.js';\nconst w = new URL('x.wasm', import.meta.url);\n// import { z } from '/in-a-comment.js';\n");
  writeFileSync(path.join(bad, 'lib', 'b.js'), 'export const b = 1;\n');
  assert.deepEqual(checkUrls(bad).sort(), [
    "index.html: '/app.js' is not a relative URL",
    "index.html: 'https://cdn.example/x.css' is not a relative URL",
    "lib/a.js: '../c.js' names no file of the site",
    "lib/a.js: 'x.wasm' names no file of the site",
  ]);
});

test('the service worker lists every file to keep offline, under a cache named by their hash', () => {
  const sw = readFileSync(path.join(out, 'sw.js'), 'utf8');
  const build = JSON.parse(sw.match(/^const BUILD = (\{.*\});$/m)[1]);
  assert.match(build.version, /^[0-9a-f]{16}$/);
  const expected = ['./', ...filesIn(out).filter((f) => !['sw.js', '_headers', '.htaccess'].includes(f)).sort()];
  assert.deepEqual(build.files, expected);
  assert.ok(build.files.every((f) => !f.startsWith('/')), 'relative to sw.js');
  // The same sources give the same hash; a changed file gives another (so browsers update).
  const again = buildSite({ out: path.join(tmp, 'again'), pkg });
  assert.equal(again.version, build.version);
  writeFileSync(path.join(tmp, 'again', 'pkg', 'worker.js'), '// changed\n', { flag: 'a' });
  const www = path.join(tmp, 'www-changed');
  execFileSync('cp', ['-r', path.join(repoRoot, 'www'), www]);
  writeFileSync(path.join(www, 'style.css'), '/* changed */\n', { flag: 'a' });
  assert.notEqual(buildSite({ out: path.join(tmp, 'changed'), pkg, www }).version, build.version);
});

test('never writes over a folder that is not a site', () => {
  const other = path.join(tmp, 'notes');
  mkdirSync(other, { recursive: true });
  writeFileSync(path.join(other, 'keep.txt'), 'mine');
  assert.throws(() => buildSite({ out: other, pkg }), /not empty and not a site/);
  assert.equal(readFileSync(path.join(other, 'keep.txt'), 'utf8'), 'mine');
  assert.throws(() => buildSite({ out: repoRoot, pkg }), /not empty and not a site|refusing/);
  assert.throws(() => buildSite({ out: path.join(tmp, 'x'), pkg: path.join(tmp, 'no-package') }), /no built package/);
  // A site built before is replaced.
  assert.doesNotThrow(() => buildSite({ out, pkg }));
});

test('served plainly at a domain root, the page shows the sample report from its own origin only', async () => {
  const server = await plainStaticServer(out);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.locator('#error').textContent());
    assert.ok(Number(await page.locator('.figure[data-metric="won_count"]').first().getAttribute('data-value')) > 0);
    assert.deepEqual(requests.filter((u) => !u.startsWith(server.url) && !/^(data|blob):/.test(u)), []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('a new build replaces the offline copy: the next visit installs it and deletes the old one', async () => {
  const root = path.join(tmp, 'update');
  const siteDir = path.join(root, 'revlens');
  const first = buildSite({ out: siteDir, pkg });
  const server = await plainStaticServer(root);
  const url = new URL('revlens/', server.url).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const caches = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('revlens-page-')).sort());
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.offline === 'ready', null, { timeout: 60_000 });
    assert.deepEqual(await caches(page), [`revlens-page-${first.version}`]);
    const kept = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).length, `revlens-page-${first.version}`);
    assert.ok(kept >= first.files.length - 2, `every file copied on the first visit (${kept} of ${first.files.length})`);

    // Publish another build (a changed style sheet): the next visit moves to its copy.
    const www = path.join(tmp, 'www-next');
    execFileSync('cp', ['-r', path.join(repoRoot, 'www'), www]);
    writeFileSync(path.join(www, 'style.css'), '/* next build */\n', { flag: 'a' });
    const next = buildSite({ out: siteDir, pkg, www });
    assert.notEqual(next.version, first.version);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    // The browser checks sw.js on navigation; the new one installs, activates and cleans up.
    const until = Date.now() + 30_000;
    while ((await caches(page)).join() !== `revlens-page-${next.version}` && Date.now() < until) await page.waitForTimeout(200);
    assert.deepEqual(await caches(page), [`revlens-page-${next.version}`], 'the old copy is deleted');
    const sw = await page.evaluate(async () => (await (await fetch('sw.js', { cache: 'no-store' })).text()).match(/^const BUILD = \{"version":"([0-9a-f]+)"/m)?.[1]);
    assert.equal(sw, next.version);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the test helper serves the site under a sub-path', async () => {
  const site = await startStaticSite({ subPath: 'revlens' });
  try {
    assert.match(site.url, /^http:\/\/127\.0\.0\.1:\d+\/revlens\/$/);
    const res = await fetch(new URL('pkg/worker.js', site.url));
    assert.equal(res.status, 200);
    assert.equal((await fetch(new URL('../pkg/worker.js', site.url))).status, 404, 'nothing outside the sub-path');
  } finally {
    await site.close();
  }
});
