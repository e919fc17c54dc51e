// The page on a large export: drops FILE(S) on www/ in headless Chromium and measures how long
// the analysis takes and whether the page stays responsive meanwhile (the work runs in a Web
// Worker). Responsiveness = the longest main-thread stall seen by a 50 ms timer and the
// long tasks (> 50 ms) the browser reports while the analysis runs.
//
//   node bench/page_large.mjs FILE [FILE…]
//   (e.g. files from `target/release/revlens sample --out /tmp/big --deals 1000000`)
//
// Needs pkg/ (scripts/package) and /usr/bin/chromium. A benchmark, not a test: scripts/test
// does not run it.
import { statSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/support/chromium.mjs';

const files = process.argv.slice(2).map((f) => path.resolve(f));
if (files.length === 0) {
  console.error('usage: node bench/page_large.mjs FILE [FILE…]');
  process.exit(2);
}
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120_000 });
  // Probe: a 50 ms timer records how late it fires; long tasks are collected too.
  await page.evaluate(() => {
    window.__probe = { maxLate: 0, longTasks: [], ticks: 0 };
    let last = performance.now();
    window.__probeTimer = setInterval(() => {
      const now = performance.now();
      window.__probe.maxLate = Math.max(window.__probe.maxLate, now - last - 50);
      window.__probe.ticks += 1;
      last = now;
    }, 50);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__probe.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
  const updates = await page.evaluate(() => Number(document.body.dataset.updates ?? 0));
  const started = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(
    (k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading',
    updates,
    { timeout: 900_000, polling: 200 },
  );
  const seconds = (Date.now() - started) / 1000;
  const probe = await page.evaluate(() => {
    clearInterval(window.__probeTimer);
    return window.__probe;
  });
  const state = await page.evaluate(() => document.body.dataset.state);
  const status = await page.locator('#status').textContent();
  const mb = bytes / 1e6;
  console.log(`files: ${files.map((f) => path.basename(f)).join(', ')} (${mb.toFixed(0)} MB)`);
  console.log(`state: ${state} — ${status}`);
  console.log(`drop → report drawn: ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(0)} MB/s)`);
  console.log(`main thread: longest timer delay ${Math.round(probe.maxLate)} ms over ${probe.ticks} ticks; long tasks: ${probe.longTasks.length} (longest ${Math.max(0, ...probe.longTasks)} ms)`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${browser.version()}`);
} finally {
  await browser.close();
  await server.close();
}
