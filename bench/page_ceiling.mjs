// The page near its memory ceiling: drops FILE(S) on the page in headless Chromium and reports
// how it ended (the report drawn, or the error code shown), the time, and the renderer's peak
// resident memory (VmHWM of the renderer processes: the page, its worker and the worker's wasm
// memory), sampled every second, beside the renderer's size before the drop.
//
//   node bench/page_ceiling.mjs [--max-bytes N] FILE [FILE…]
//
// Needs pkg/ (scripts/package) and /usr/bin/chromium. A benchmark, not a test.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/support/chromium.mjs';

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

const status = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
};
const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** Peak and current resident memory of the renderers below the browser launched with `tag`. */
function renderers(tag) {
  const parent = new Map();
  let root = null;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = Number(status(d).match(/^PPid:\s+(\d+)/m)?.[1]);
    parent.set(Number(d), ppid);
    const cmd = cmdline(d);
    if (cmd.includes(tag) && !cmd.includes('--type=')) root = Number(d);
  }
  const below = new Set(root === null ? [] : [root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!below.has(pid) && below.has(ppid)) (below.add(pid), (grew = true));
  }
  let hwm = 0;
  let rss = 0;
  for (const pid of below) {
    if (!cmdline(pid).includes('--type=renderer')) continue;
    const s = status(pid);
    hwm = Math.max(hwm, Number(s.match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? 0) * 1024);
    rss = Math.max(rss, Number(s.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? 0) * 1024);
  }
  return { hwm, rss };
}

const tag = `--revlens-ceiling=${process.pid}`;
const server = await startServer({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, tag] });
const GiB = 2 ** 30;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(maxBytes ? `${server.url}?max_bytes=${maxBytes}` : server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120_000 });
  const before = Number(await page.evaluate(() => document.body.dataset.updates ?? 0));
  const idle = renderers(tag);
  let peak = idle.hwm;
  const sampler = setInterval(() => {
    peak = Math.max(peak, renderers(tag).hwm);
  }, 1000);
  const t0 = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction((k) => Number(document.body.dataset.updates ?? 0) > k && document.body.dataset.state !== 'loading', before, { timeout: 30 * 60_000 });
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, renderers(tag).hwm);
  const end = await page.evaluate(() => ({
    state: document.body.dataset.state,
    code: document.getElementById('error').dataset.code ?? null,
    error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
    status: document.getElementById('status').textContent,
  }));
  console.log(`${files.map((f) => path.basename(f)).join(', ')}: ${(bytes / 1e6).toFixed(1)} MB (${(bytes / GiB).toFixed(3)} GiB)`);
  console.log(`ended: ${end.state}${end.code ? ` (${end.code})` : ''} after ${seconds.toFixed(1)} s; ${end.status}`);
  if (end.error) console.log(`error area: ${end.error}`);
  console.log(`renderer peak RSS (VmHWM): ${(peak / 2 ** 20).toFixed(0)} MiB = ${(peak / bytes).toFixed(2)} bytes per input byte`);
  // The page before the drop: the sample company's report drawn, the worker and its small module.
  console.log(`renderer before the drop: ${(idle.rss / 2 ** 20).toFixed(0)} MiB (peak above it: ${((peak - idle.rss) / 2 ** 20).toFixed(0)} MiB)`);
} finally {
  await browser.close();
  await server.close();
}
