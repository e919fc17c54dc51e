// The analysis worker: reads files (File objects or { name, bytes }) chunk by chunk, reporting
// bytes and an estimate of rows (line breaks) as it goes, then runs the wasm analyzer, all off
// the page's main thread. The page cancels by terminating this worker and starts a new one.
//
// Messages in:  { id, type: 'analyze', files, options } | { id, type: 'sample', options }
//               | { id, type: 'reanalyze', options }  (the files of the last request again)
// Messages out: { id, type: 'ready', version } | { id, type: 'progress', phase, file, bytes,
//               total, rows } | { id, type: 'result', report, files: [{ name, size }] }
//               | { id, type: 'error', error: { name, message, code, fatal } }
import init, * as csvEngine from '../pkg/revlens.js';

const ready = init().then(() => csvEngine.version());
// The small engine (no spreadsheet reader, built for size: what the page opens with); from the
// first spreadsheet or large input on, the full module (the reader, code about twice as fast),
// fetched on demand, for every request. LARGE_INPUT_BYTES as in the package (js/core.js).
const LARGE_INPUT_BYTES = 4 << 20;
let revlens = csvEngine;
let withReader = null;
const isSpreadsheet = (b) => b?.length >= 4 && ((b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) || (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0));

async function engineFor(files) {
  const total = files.reduce((s, f) => s + f.bytes.byteLength, 0);
  if (revlens === csvEngine && (total >= LARGE_INPUT_BYTES || files.some((f) => isSpreadsheet(f.bytes)))) {
    withReader ??= import('../pkg/revlens_full.js').then(async (full) => {
      await full.default();
      return full;
    });
    revlens = await withReader.catch((err) => {
      withReader = null;
      throw err;
    });
  }
  return revlens;
}
let lastFiles = null;

const post = (msg) => self.postMessage(msg);
const PROGRESS_EVERY = 4 << 20; // post progress at most every 4 MB

async function readAll(id, files) {
  const total = files.reduce((s, f) => s + (f.size ?? f.bytes?.byteLength ?? 0), 0);
  let done = 0;
  let rows = 0;
  const out = [];
  for (const f of files) {
    if (f.bytes instanceof Uint8Array) {
      done += f.bytes.byteLength;
      out.push({ name: String(f.name), bytes: f.bytes });
      post({ id, type: 'progress', phase: 'read', file: f.name, bytes: done, total, rows });
      continue;
    }
    const bytes = new Uint8Array(f.size);
    let at = 0;
    let lastPost = 0;
    const reader = f.stream().getReader();
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      bytes.set(value, at);
      at += value.byteLength;
      for (let i = 0; i < value.length; i += 1) if (value[i] === 10) rows += 1;
      if (at - lastPost >= PROGRESS_EVERY) {
        lastPost = at;
        post({ id, type: 'progress', phase: 'read', file: f.name, bytes: done + at, total, rows });
      }
    }
    done += at;
    out.push({ name: f.name, bytes: at === bytes.byteLength ? bytes : bytes.subarray(0, at) });
    post({ id, type: 'progress', phase: 'read', file: f.name, bytes: done, total, rows });
  }
  return { files: out, total, rows };
}

function analyse(id, files, options, rows) {
  const total = files.reduce((s, f) => s + f.bytes.byteLength, 0);
  post({ id, type: 'progress', phase: 'analyse', bytes: total, total, rows });
  const report = revlens.analyze(files, options ?? undefined);
  lastFiles = files;
  post({ id, type: 'result', report, files: files.map((f) => ({ name: f.name, size: f.bytes.byteLength })) });
}

function errorOf(err) {
  return {
    name: err?.name ?? 'Error',
    message: err?.message ?? String(err),
    code: typeof err?.code === 'string' ? err.code : null,
    // A RuntimeError is a panic or trap inside the module: the page restarts this worker.
    fatal: err instanceof WebAssembly.RuntimeError,
  };
}

self.onmessage = async (event) => {
  const { id, type, files, options } = event.data ?? {};
  try {
    const version = await ready;
    if (type === 'hello') return post({ id, type: 'ready', version });
    if (type === 'sample') {
      const sample = typeof revlens.sampleFiles === 'function' ? revlens.sampleFiles() : null;
      if (!sample || sample.length === 0) return post({ id, type: 'result', report: null, files: [] });
      return analyse(id, [...sample].map((f) => ({ name: f.name, bytes: f.bytes })), options, 0);
    }
    if (type === 'reanalyze') {
      if (!lastFiles) throw Object.assign(new Error('no files to analyse again'), { code: 'NO_FILES' });
      return analyse(id, lastFiles, options, 0);
    }
    if (type === 'analyze') {
      const read = await readAll(id, files ?? []);
      await engineFor(read.files);
      return analyse(id, read.files, options, read.rows);
    }
    throw new Error(`unknown request '${type}'`);
  } catch (err) {
    post({ id, type: 'error', error: errorOf(err) });
  }
};
