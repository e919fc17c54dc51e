// Shared by the consumer tests: a static file server (with the revlens page's strict
// Content-Security-Policy, so the package is shown to work under it), headless Chromium through
// playwright-core (as tests/e2e does), and helpers to run the consumers' tools.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CSP } from '../../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.mjs';

export { CHROMIUM };

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.csv': 'text/csv; charset=utf-8',
};

/** Serves `root` (and `mounts`: URL prefix → folder) on a free port; resolves to { url, close }. */
export function serve(root, mounts = {}) {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, dir] = Object.entries(mounts).find(([p]) => urlPath.startsWith(p)) ?? ['/', root];
    const file = path.resolve(dir, `.${path.posix.normalize(`/${urlPath.slice(prefix.length)}`)}`);
    let size = -1;
    try {
      size = file.startsWith(path.resolve(dir)) ? statSync(file).size : -1;
    } catch {}
    if (size < 0) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found\n');
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': size, 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` in a fresh context, collecting page errors, console errors and every request
 * (workers included). Resolves to { page, errors, requests, close }.
 */
export async function open(browser, url) {
  const context = await browser.newContext();
  const errors = [];
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
  await page.goto(url);
  return { page, errors, requests, close: () => context.close() };
}

/** Runs a command, throwing with its output when it fails; returns its stdout. */
export function run(cmd, args, cwd, env = {}) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed (${e.status}):\n${e.stdout}\n${e.stderr}`);
  }
}

const headline = (report, id) => report.metrics.find((m) => m.id === id && m.period === undefined && m.by === undefined)?.value ?? null;

/**
 * What shared/app.js wrote to <body>'s data-* attributes, against the CLI's report of the same
 * `files` sample exports: main thread, worker (progress, cancel, errors), detect and forecast.
 * Used by the Chromium consumers here and by the three engines (tests/engines).
 */
export function assertConsumerData(data, expected, files) {
  assert.equal(data.state, 'ready', data.error);
  const won = headline(expected, 'won_count');
  assert.equal(Number(data.mainWon), won, 'main-thread analyze');
  assert.equal(Number(data.workerWon), won, 'worker analyze');
  assert.equal(Number(data.afterCancel), won, 'the worker works after a cancel');
  assert.equal(data.workerGrain, 'quarter');
  assert.ok(Number(data.progress) >= files, `progress events (${data.progress})`);
  assert.equal(data.cancel, 'AbortError:CANCELLED');
  assert.equal(data.errorCode, 'EMPTY_FILE');
  assert.equal(data.workerForecast, 'same', 'the worker forecasts as the main thread, in typed arrays');
  const [detectedName, detectedKind] = data.workerDetect.split(':');
  assert.equal(detectedKind, expected.quality.files.find((f) => f.file === detectedName)?.kind, `worker detect of ${detectedName}`);
  assert.equal(data.workerError, 'true:UNKNOWN_FILE_KIND');
  assert.equal(data.twoWorkers, `same12,same12,same-halves,same-given,CANCELLED,${won},1`, 'two workers give the report one gives (reading a large file in halves, or the whole of it given when its middle is inside a quoted cell), cancel, and go on; several files stay on one');
  assert.match(data.forecast, /^.+:4$/);
  assert.equal(data.detected.split(',').sort().join(','), expected.files.map((f) => f.kind).sort().join(','));
}

/** In the page (self-contained): what the consumer's <revlens-report> shows. */
export function consumerElement() {
  const root = document.querySelector('revlens-report').shadowRoot;
  return {
    won: root.querySelector('.figure[data-metric="won_count"]')?.dataset.value,
    revops: !!root.querySelector('.lens.revops'),
    canvases: root.querySelectorAll('canvas').length,
    color: getComputedStyle(root.querySelector('.rl-report')).color,
    light: document.querySelectorAll('.figure').length,
  };
}

export function assertConsumerElement(shown, won) {
  assert.equal(Number(shown.won), won, 'the element shows the report');
  assert.equal(shown.revops, true);
  assert.ok(shown.canvases > 0, 'charts drawn (Chart.js loaded from the package)');
  assert.equal(shown.color, 'rgb(28, 36, 48)', 'the element stylesheet applies in the shadow root');
  assert.equal(shown.light, 0, 'nothing leaks into the light DOM');
}
