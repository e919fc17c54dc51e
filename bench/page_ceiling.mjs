// The page near its memory ceiling: drops FILE(S) on the page in headless Chromium and reports
// how it ended (the report drawn, or the error code shown), the time, and the renderer's peak
// memory (the page, its worker and the worker's wasm memory; peak RSS and peak private footprint,
// see renderer_memory.mjs), beside the renderer's size before the drop.
//
//   node bench/page_ceiling.mjs [--max-bytes N] FILE [FILE…]
//
// Needs pkg/ (scripts/package) and /usr/bin/chromium. A benchmark, not a test.
import { statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/support/chromium.mjs';
import { browserPid, largest, rendererPids, sampleRenderers } from './renderer_memory.mjs';

const args = process.argv.slice(2);
let maxBytes = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max-bytes') maxBytes = Number(args[++i]);
  else files.push(path.resolve(args[i]));
}
if (files.length === 0) {
  console.error('usage: node bench/page_ceiling.mjs [--max-bytes N] FILE [FILE…]');
  process.exit(2);
}
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);

const tag = `--revlens-ceiling=${process.pid}`;
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, tag] });
const GiB = 2 ** 30;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(maxBytes ? `${server.url}?max_bytes=${maxBytes}` : server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120_000 });
  const before = Number(await page.evaluate(() => document.body.dataset.updates ?? 0));
  const root = browserPid(tag);
  const idle = largest(rendererPids(root));
  const memory = sampleRenderers(root);
  const t0 = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', before, { timeout: 30 * 60_000 });
  const seconds = (Date.now() - t0) / 1000;
  const peak = memory.stop();
  const end = await page.evaluate(() => ({
    state: document.body.dataset.state,
    code: document.getElementById('error').dataset.code ?? null,
    error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
    status: document.getElementById('status').textContent,
  }));
  console.log(`${files.map((f) => path.basename(f)).join(', ')}: ${(bytes / 1e6).toFixed(1)} MB (${(bytes / GiB).toFixed(3)} GiB)`);
  console.log(`ended: ${end.state}${end.code ? ` (${end.code})` : ''} after ${seconds.toFixed(1)} s; ${end.status}`);
  if (end.error) console.log(`error area: ${end.error}`);
  const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(`renderer peak RSS (VmHWM): ${mib(peak.hwm)} = ${(peak.hwm / bytes).toFixed(2)} bytes per input byte`);
  console.log(`renderer peak private footprint (RssAnon + VmSwap, sampled): ${mib(peak.footprint)} = ${(peak.footprint / bytes).toFixed(2)} bytes per input byte`);
  // The page before the drop: the sample company's report drawn, the worker and its small module.
  console.log(`renderer before the drop: RSS ${mib(idle.rss)}, private footprint ${mib(idle.footprint)} (peaks above them: ${mib(peak.hwm - idle.rss)}, ${mib(peak.footprint - idle.footprint)})`);
} finally {
  await browser.close();
  await server.close();
}
