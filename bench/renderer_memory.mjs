// Memory of a headless Chromium's renderer processes, read from /proc (Linux), for the
// benchmarks that report it (bench/browser/run.mjs, bench/page_ceiling.mjs). Two measures:
//
//  - peak resident set (VmHWM): the kernel's own high-water mark, exact, but it counts the
//    pages of Chromium's binary and fonts that the renderer has touched (125 MiB of the 275 MiB
//    of the page with its sample report drawn), which every renderer shares;
//  - peak private footprint (RssAnon + VmSwap): the memory this page alone costs the machine,
//    Chromium's own measure on Linux (memory_instrumentation's private footprint: what its Task
//    Manager shows as "Memory footprint"). The kernel keeps no peak of it, so it is sampled
//    (every 25 ms by default): a shorter spike can be missed.
import { readFileSync, readdirSync } from 'node:fs';

const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
const kib = (status, field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024;

/** The browser process launched with `tag` among its arguments (null when not found). */
export function browserPid(tag) {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = read(`/proc/${d}/cmdline`);
    if (cmd.includes(tag) && !cmd.includes('--type=')) return Number(d);
  }
  return null;
}

/** The renderer processes below the browser `root` (by parent pid). */
export function rendererPids(root) {
  if (root === null) return [];
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = read(`/proc/${d}/status`).match(/^PPid:\s+(\d+)/m)?.[1];
    if (ppid) parent.set(Number(d), Number(ppid));
  }
  const below = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!below.has(pid) && below.has(ppid)) (below.add(pid), (grew = true));
  }
  return [...below].filter((pid) => read(`/proc/${pid}/cmdline`).includes('--type=renderer'));
}

/** One process's memory now, in bytes: peak and current resident set, private footprint. */
export function processMemory(pid) {
  const s = read(`/proc/${pid}/status`);
  return { hwm: kib(s, 'VmHWM'), rss: kib(s, 'VmRSS'), footprint: kib(s, 'RssAnon') + kib(s, 'VmSwap') };
}

/** The largest of each measure among `pids` now (the page's renderer; a spare one stays small). */
export function largest(pids) {
  const out = { hwm: 0, rss: 0, footprint: 0 };
  for (const m of pids.map(processMemory)) for (const k of Object.keys(out)) out[k] = Math.max(out[k], m[k]);
  return out;
}

/**
 * Samples the renderers below `root` until `stop()`, which returns the peak resident set (VmHWM,
 * since the process began) and the peak private footprint seen while sampling, in bytes. The
 * renderers are listed again every second, so a process started meanwhile is counted.
 */
export function sampleRenderers(root, everyMs = 25) {
  let pids = rendererPids(root);
  let peak = largest(pids).footprint;
  const sample = () => (peak = Math.max(peak, largest(pids).footprint));
  const timer = setInterval(sample, everyMs);
  const relist = setInterval(() => (pids = rendererPids(root)), 1000);
  return {
    stop() {
      clearInterval(timer);
      clearInterval(relist);
      sample();
      return { hwm: largest(pids).hwm, footprint: peak };
    },
  };
}
