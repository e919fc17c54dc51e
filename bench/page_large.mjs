// The page on a large export: drops FILE(S) on www/ in headless Chromium and measures how long
// the analysis takes and whether the page stays responsive meanwhile (the work runs in a Web
// Worker). Responsiveness = the longest main-thread stall seen by a 50 ms timer and the
// long tasks (> 50 ms) the browser reports while the analysis runs.
//
//   node bench/page_large.mjs [--workers 1|2] [--warm] [--trace OUT.json] FILE [FILE…]
//   (e.g. files from `target/release/revlens sample --out /tmp/big --deals 1000000`)
// --trace OUT.json records Chromium's timeline of the measured drop (devtools.timeline) to
// OUT.json and prints what ran on the page's main thread: the longest runs of back-to-back
// tasks (a 50 ms timer waits for a whole run, not for one task) and the ten longest tasks over
// 20 ms with what took their time (how the page's stall was found: docs/performance.md).
// --workers 2 opens the page with ?workers=2: a large export given alone is then analysed by two
// workers (js/worker.js); the page's default is one.
//
// Needs pkg/ (scripts/package) and /usr/bin/chromium. A benchmark, not a test: scripts/test
// does not run it.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/support/chromium.mjs';

const args = process.argv.slice(2);
// --warm: the files are dropped once before the measured drop (the full module loaded and its
// code optimised by the engine: what a second drop sees).
const warm = args.includes('--warm') ? args.splice(args.indexOf('--warm'), 1).length > 0 : false;
const traceAt = args.indexOf('--trace');
const trace = traceAt >= 0 ? path.resolve(args.splice(traceAt, 2)[1]) : null;
const at = args.indexOf('--workers');
const workers = at >= 0 ? Number(args.splice(at, 2)[1]) : null;
const files = args.map((f) => path.resolve(f));
if (files.length === 0) {
  console.error('usage: node bench/page_large.mjs FILE [FILE…]');
  process.exit(2);
}
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('crash', () => console.log('the page crashed'));
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.log(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(workers === null ? server.url : `${server.url}?workers=${workers}`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120_000 });
  // Probe: a 50 ms timer records how late it fires; long tasks are collected too.
  await page.evaluate(() => {
    window.__probe = { maxLate: 0, longTasks: [], ticks: 0 };
    let last = performance.now();
    window.__probeTimer = setInterval(() => {
      const now = performance.now();
      window.__probe.maxLate = Math.max(window.__probe.maxLate, now - last - 50);
      if (now - last - 50 > 50) (window.__probe.late ??= []).push([Math.round(last), Math.round(now - last - 50)]);
      window.__probe.ticks += 1;
      last = now;
    }, 50);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__probe.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
    // Long animation frames (Chromium): what ran in each, so that a stall can be named.
    window.__probe.frames = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const scripts = (e.scripts ?? []).map((s) => `${s.invoker || s.invokerType} ${Math.round(s.duration)} ms (${(s.sourceURL ?? '').split('/').pop()}:${s.sourceFunctionName ?? ''})`);
          window.__probe.frames.push({ ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration ?? 0), render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0), scripts });
        }
      }).observe({ type: 'long-animation-frame' });
    } catch {
      // not this browser
    }
  });
  if (warm) {
    const before = await page.evaluate(() => Number(document.body.dataset.updates ?? 0));
    await page.setInputFiles('#file-input', files);
    await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', before, { timeout: 900_000, polling: 200 });
    await page.evaluate(() => {
      window.__probe.maxLate = 0;
      window.__probe.longTasks = [];
      window.__probe.frames = [];
      window.__probe.late = [];
    });
  }
  const updates = await page.evaluate(() => Number(document.body.dataset.updates ?? 0));
  if (trace) await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  const started = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(
    (k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading',
    updates,
    { timeout: 900_000, polling: 200 },
  );
  const seconds = (Date.now() - started) / 1000;
  if (trace) await browser.stopTracing();
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
  for (const f of [...(probe.frames ?? [])].sort((a, b) => b.ms - a.ms).slice(0, 4)) {
    console.log(`  long frame ${f.ms} ms (blocking ${f.blocking}, style/layout/paint ${f.render}): ${f.scripts.join('; ') || 'no script'}`);
  }
  const dom = await page.evaluate(() => ({ nodes: document.querySelectorAll('#results *').length, rows: document.querySelectorAll('#results tr').length, charts: document.querySelectorAll('#results canvas').length }));
  const timings = await page.evaluate(() => [...document.querySelectorAll('#results details.timings summary, #results details.timings p')].map((e) => e.textContent).join('\n    '));
  if (timings) console.log(`  the engine's timings:\n    ${timings}`);
  console.log(`  the report: ${dom.nodes} elements, ${dom.rows} table rows, ${dom.charts} charts`);
  const drawnAt = await page.evaluate(() => performance.getEntriesByName('revlens: report drawn').map((m) => [Math.round(m.startTime), Math.round(m.duration)]));
  console.log(`  late timer ticks [at ms, late by ms]: ${JSON.stringify(probe.late ?? [])}; report drawn [from, taking]: ${JSON.stringify(drawnAt)}`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${browser.version()}; workers: ${workers ?? 'the page default (1)'}`);
  if (trace) mainThreadSummary(trace);
} finally {
  await browser.close();
  await server.close();
}

/** What ran on the renderer's main thread in a Chromium trace (see --trace above). */
function mainThreadSummary(file) {
  const events = JSON.parse(readFileSync(file, 'utf8')).traceEvents ?? [];
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return console.log(`trace ${file}: no renderer main thread`);
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  if (tasks.length === 0) return console.log(`trace ${file}: no tasks`);
  const t0 = tasks[0].ts;
  const ms = (us) => (us / 1000).toFixed(1);
  // Runs of tasks less than 1 ms apart: the page's timers wait for a whole run.
  const runs = [];
  for (const t of tasks) {
    const last = runs.at(-1);
    if (last && t.ts - last.end < 1000) {
      last.end = Math.max(last.end, t.ts + t.dur);
      last.tasks += 1;
    } else runs.push({ start: t.ts, end: t.ts + t.dur, tasks: 1 });
  }
  console.log(`trace ${file}: ${tasks.length} main-thread tasks; the longest runs of tasks back to back:`);
  for (const r of runs.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 4)) console.log(`  at ${ms(r.start - t0)} ms: ${ms(r.end - r.start)} ms over ${r.tasks} tasks`);
  const longest = tasks.filter((t) => t.dur > 20_000).sort((a, b) => b.dur - a.dur).slice(0, 10);
  if (longest.length) console.log('  the longest tasks over 20 ms, in order, with what took their time (ms):');
  for (const t of longest.sort((a, b) => a.ts - b.ts)) {
    const inside = new Map();
    for (const e of mine) if (e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e.name !== t.name) inside.set(e.name, (inside.get(e.name) ?? 0) + (e.dur ?? 0));
    const top = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, d]) => `${n} ${ms(d)}`);
    console.log(`  task at ${ms(t.ts - t0)} ms, ${ms(t.dur)} ms: ${top.join(', ')}`);
  }
}
