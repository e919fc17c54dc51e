// The worker behind revlens/worker (started by worker.js). Messages in: { id, op, args };
// out: { id, type: 'progress', progress } | { id, type: 'waiting' } | { id, type: 'result', result } |
// { id, type: 'error', error: { name, message, code } }. A report made by two workers: one runs
// `analyzeSales`, the other `analyzeCompany`, over the same file and a MessagePort between them.
// Each reads half of the file (`readFirst`, `readSecond`), and they trade their halves' columns
// as bytes, so that each holds the whole file; the second answers the company side, and the
// first, once its SalesOps side is done, waits for the message { id, op: 'company', args:
// { company } } (null when the other worker could not give it: this one then computes it too).
import { init, isSpreadsheet, LARGE_INPUT_BYTES, loadFullModule as loadFullGlue, Analyzer, checkInputSize, detect, forecast, sampleFiles, table, version } from './index.js';

const ready = init();
const CHUNK = 1 << 20; // bytes fed to the engine per push
const PROGRESS_EVERY = 4 << 20; // post progress at most every 4 MB

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);

function isBlob(f) {
  return typeof Blob !== 'undefined' && f instanceof Blob;
}

/** Posts the progress of reading `last` (of files `done` bytes in, `total` in all) every few MB. */
function progressPoster(id, done, total) {
  let lastPost = 0;
  return (last, force = false) => {
    if (force || last.bytes - lastPost >= PROGRESS_EVERY) {
      lastPost = last.bytes;
      post({ id, type: 'progress', progress: { ...last, done: done + last.bytes, total } });
    }
  };
}

/** Feeds one file to the analysis chunk by chunk, posting progress. */
async function feed(id, analysis, f, done, total) {
  const name = String(f?.name ?? '');
  analysis.beginFile(name, sizeOf(f));
  const progress = progressPoster(id, done, total);
  let last = { file: name, bytes: 0, rows: 0 };
  const push = (chunk) => {
    last = analysis.push(chunk);
    progress(last);
  };
  if (isBlob(f)) {
    for await (const chunk of blobChunks(f)) push(chunk);
  } else {
    const bytes = f?.bytes instanceof ArrayBuffer ? new Uint8Array(f.bytes) : f?.bytes;
    if (!(bytes instanceof Uint8Array)) throw Object.assign(new Error(`${name || 'a file'}: bytes must be a Uint8Array, or pass a File`), { code: 'BAD_INPUT' });
    for (let at = 0; at < bytes.byteLength; at += CHUNK) push(bytes.subarray(at, at + CHUNK));
  }
  progress(last, true);
  return last.bytes;
}

/**
 * Where a large file is cut between two workers: the start of the record after the first line
 * break (an LF, a CRLF, a CR alone) from the middle on; null when there is none near it. Both
 * workers find the same cut, from the same bytes.
 */
async function cutOf(f) {
  const mid = Math.floor(f.size / 2);
  const bytes = new Uint8Array(await f.slice(mid, Math.min(f.size, mid + CHUNK)).arrayBuffer());
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 10) return mid + i + 1 < f.size ? mid + i + 1 : null;
    if (b === 13) {
      if (i + 1 === bytes.length) return null; // a CRLF may go on past what was read
      const at = mid + i + (bytes[i + 1] === 10 ? 2 : 1);
      return at < f.size ? at : null;
    }
  }
  return null;
}

/** The partner's messages, in order, whichever comes first; `next(ms)` is null after `ms`. */
function inbox(port) {
  const queue = [];
  let wake = null;
  port.onmessage = ({ data }) => {
    queue.push(data);
    wake?.();
  };
  return {
    async next(ms = Infinity) {
      if (!queue.length) {
        await new Promise((resolve) => {
          wake = resolve;
          if (ms !== Infinity) setTimeout(resolve, ms);
        });
        wake = null;
      }
      return queue.shift() ?? null;
    },
  };
}

/** Reads the head of a file (File/Blob) until its rows can be split or it ends: the reader, and how far it got. */
async function readHead(analysis, f, push) {
  const chunks = blobChunks(f);
  let at = 0;
  for (;;) {
    if (analysis.canSplit()) return { chunks, at };
    const { done, value } = await chunks.next();
    if (done) return { chunks: null, at };
    push(value);
    at += value.byteLength;
  }
}

/** Pushes the rest of a reader's chunks. */
async function readOn(chunks, push) {
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) push(next.value);
}

/** The least time the first worker waits for the second's half before reading it itself. */
const HALF_PATIENCE_MIN_MS = 10_000;

/**
 * The first of two workers reading one large file: reads it up to the cut, gives that half's
 * columns to the partner and joins the partner's half after it. When the cut fell inside a
 * quoted cell, or the partner has no half to give, it reads the rest itself (and gives the
 * partner the whole file, if the partner waits for it).
 */
async function readFirst(id, analysis, f, port, total) {
  const started = performance.now();
  const box = inbox(port);
  const name = String(f.name ?? '');
  analysis.beginFile(name, f.size);
  const progress = progressPoster(id, 0, total);
  let last = { file: name, bytes: 0, rows: 0 };
  const push = (chunk) => {
    last = analysis.push(chunk);
    progress(last);
  };
  const readRest = (chunks) => readOn(chunks, push);
  const { chunks, at: headEnd } = await readHead(analysis, f, push);
  if (!chunks) return 'each'; // all read: the partner reads it all too
  const cut = await cutOf(f);
  if (cut === null || headEnd > cut) {
    await readRest(chunks);
    return giveWhole(analysis, port); // the partner may wait for it
  }
  let at = headEnd;
  while (at < cut) {
    const { done, value } = await chunks.next();
    if (done) break;
    push(at + value.byteLength > cut ? value.subarray(0, cut - at) : value);
    at += value.byteLength;
  }
  await chunks.return();
  const first = analysis.exportPart();
  if (first) {
    port.postMessage({ first }, buffersOf(first));
    // Until the half comes, the patience runs out, or the partner is given up (the page said its
    // company side will not come: it failed to start, or stopped).
    const givenUp = companyFor(id).promise.then((company) => (company === null ? null : new Promise(() => {})));
    const answer = await Promise.race([box.next(Math.max(HALF_PATIENCE_MIN_MS, 2 * (performance.now() - started))), givenUp]);
    if (answer?.later) {
      analysis.joinLaterPart(answer.later);
      progress({ ...last, bytes: f.size }, true);
      return 'halves';
    }
    // The partner reads the file itself, has no half to give, or did not answer in time.
    await readRest(blobChunks(f.slice(cut)));
    return answer && !answer.self ? giveWhole(analysis, port) : 'each';
  }
  await readRest(blobChunks(f.slice(cut)));
  return giveWhole(analysis, port);
}

/**
 * Gives the partner the whole file, read here: 'given'. When it cannot go, the partner, which may
 * wait for it, is told, and gives up its side (this worker then computes it): 'each'.
 */
function giveWhole(analysis, port) {
  const whole = analysis.exportWhole();
  if (!whole) {
    port.postMessage({ none: true });
    return 'each';
  }
  port.postMessage({ whole }, buffersOf(whole));
  return 'given';
}

/** The buffers of a part's chunks, moved to the partner (not copied). */
const buffersOf = (chunks) => chunks.map((c) => c.buffer);

/**
 * The second of two workers reading one large file: reads its head (to know how the rows are
 * read), then the file from the cut to its end, gives that half's columns to the partner and
 * takes the partner's half (or the whole file) before its own. When the file cannot be cut, it
 * reads the file itself.
 */
async function readSecond(analysis, f, port) {
  const box = inbox(port);
  analysis.beginFile(String(f.name ?? ''), f.size);
  const push = (chunk) => analysis.push(chunk);
  const { chunks, at } = await readHead(analysis, f, push);
  if (!chunks) return port.postMessage({ self: true });
  const cut = await cutOf(f);
  if (cut === null || at > cut || !analysis.beginLaterPart(cut)) {
    await readOn(chunks, push);
    return port.postMessage({ self: true });
  }
  await chunks.return();
  for await (const chunk of blobChunks(f.slice(cut))) push(chunk);
  const later = analysis.exportLaterPart();
  port.postMessage({ later: later ?? null }, later ? buffersOf(later) : []);
  for (;;) {
    const msg = await box.next();
    if (msg?.first && later) return analysis.adoptPart(msg.first, true);
    if (msg?.whole) return analysis.adoptPart(msg.whole, false);
    if (msg?.none) throw Object.assign(new Error('the other worker could not give the part of the file before this one'), { code: 'INTERNAL' });
  }
}

/**
 * A Blob's bytes, chunk by chunk, each to be used before the next is asked for. Where the browser
 * lets a stream fill the reader's own buffer (a "BYOB" reader: Chromium, Firefox), one 1 MiB buffer
 * is read into again and again, so a 235 MB export is not 235 MB of chunks left to the garbage
 * collector while the engine runs; else the stream's own chunks.
 */
async function* blobChunks(f) {
  const stream = f.stream();
  let byob = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    byob = null; // not a byte stream here: the stream is not locked, read it the plain way
  }
  if (byob) {
    let buffer = new ArrayBuffer(CHUNK);
    for (;;) {
      const { done, value } = await byob.read(new Uint8Array(buffer));
      if (done) return;
      yield value;
      buffer = value.buffer; // the same memory, handed back
    }
  }
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    for (let at = 0; at < value.byteLength; at += CHUNK) yield value.subarray(at, at + CHUNK);
  }
}

/** The first bytes of a file (File/Blob or { bytes }), enough to tell a spreadsheet. */
async function headOf(f) {
  if (isBlob(f)) return new Uint8Array(await f.slice(0, 8).arrayBuffer());
  const bytes = f?.bytes instanceof ArrayBuffer ? new Uint8Array(f.bytes) : f?.bytes;
  return bytes instanceof Uint8Array ? bytes.subarray(0, 8) : null;
}

/**
 * The full module compiled once (a WebAssembly.Module): a partner worker of a report made by two
 * is given it (`fullModule`), so that the two share its compiled code instead of compiling (and
 * optimising) 2 MB of wasm each on the machine's two cores.
 */
let compiled = null;

async function compileFull() {
  const url = new URL('./revlens_full_bg.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer()); // a server's wrong MIME type
  }
}

/** Loads the full module (a second wasm, fetched once), or uses the one a partner gave. */
function loadFullModule(given) {
  compiled ??= given ? Promise.resolve(given) : compileFull();
  return compiled.then((module) => loadFullGlue(module)).catch((err) => {
    compiled = null;
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { code: err?.code ?? 'FETCH_FAILED' });
  });
}

/** Loads the full module (a second wasm, fetched once) for a spreadsheet or a large input. */
async function moduleFor(files, total) {
  if (total >= LARGE_INPUT_BYTES) return loadFullModule();
  for (const f of files) if (isSpreadsheet(await headOf(f))) return loadFullModule();
}

/** A file's size in bytes, known before reading it (File/Blob) or from its bytes. */
const sizeOf = (f) => (isBlob(f) ? f.size : (f?.bytes?.byteLength ?? 0));

/** TOO_LARGE (with the file, size and limit) before any file is read or a module fetched for it. */
function checkSizes(files, options) {
  checkInputSize(files.map((f) => ({ name: String(f?.name ?? ''), size: sizeOf(f) })), options);
}

/**
 * Reads the files into an analysis and ends it with `end(analysis)`. `side` is null for the whole
 * report, or 'sales' for the side of a report made by two that this worker joins (full module;
 * given `port`, the one file is read in halves with the partner at its other end: `readFirst`).
 */
async function analyseFiles(id, files, options, side, end, port) {
  checkSizes(files, options);
  const total = files.reduce((s, f) => s + sizeOf(f), 0);
  if (side) await loadFullModule();
  else await moduleFor(files, total);
  const analysis = new Analyzer(options);
  try {
    if (port && files.length === 1 && isBlob(files[0])) post({ id, type: 'read', read: await readFirst(id, analysis, files[0], port, total) });
    else {
      let done = 0;
      for (const f of files) done += await feed(id, analysis, f, done, total);
    }
    return await end(analysis);
  } finally {
    port?.close();
    analysis.free();
  }
}

/** The company side of a report made by two, from the file read in halves with the other worker. */
async function analyseSecond(file, port, options, module) {
  await loadFullModule(module);
  const analysis = new Analyzer(options);
  try {
    await readSecond(analysis, file, port);
    return analysis.finishCompany();
  } finally {
    port.close();
    analysis.free();
  }
}

/** The company sides given by the other worker, by request id, whichever comes first. */
const companies = new Map();
function companyFor(id) {
  let entry = companies.get(id);
  if (!entry) {
    entry = {};
    entry.promise = new Promise((resolve) => (entry.resolve = resolve));
    companies.set(id, entry);
  }
  return entry;
}

/** The SalesOps side, then the report with the company side the other worker gives. */
async function salesThenReport(id, analysis) {
  const half = analysis.finishSales();
  try {
    post({ id, type: 'waiting' }); // this side is done
    const company = await companyFor(id).promise;
    return company ? half.join(company) : half.alone();
  } finally {
    companies.delete(id);
    half.free();
  }
}

async function bytesOf(f) {
  if (isBlob(f)) return new Uint8Array(await f.arrayBuffer());
  return f?.bytes;
}

/** Loads the full module (the spreadsheet reader, faster code) when these bytes need it. */
async function readerFor(bytes) {
  if (isSpreadsheet(bytes) || bytes?.byteLength >= LARGE_INPUT_BYTES) await loadFullModule();
}

const ops = {
  version: () => version(),
  analyze: (id, { files, options }) => analyseFiles(id, files, options, null, (a) => a.finish()),
  analyzeCompany: (id, { file, port, options, module }) => analyseSecond(file, port, options, module),
  fullModule: () => loadFullModule().then(() => compiled),
  analyzeSales: (id, { files, options, port }) => analyseFiles(id, files, options, 'sales', (a) => salesThenReport(id, a), port),
  detect: async (id, { file, options }) => {
    checkSizes([file]); // read whole: held to the default limit
    const bytes = await bytesOf(file);
    await readerFor(bytes);
    return detect(bytes, String(file?.name ?? ''), options);
  },
  table: async (id, { file, options, maxRows }) => {
    checkSizes([file]);
    const bytes = await bytesOf(file);
    await readerFor(bytes);
    return table(bytes, String(file?.name ?? ''), options, maxRows);
  },
  forecast: (id, { series, options }) => forecast(series, options),
  sampleFiles: () => sampleFiles(),
};

function transfers(result) {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer);
}

self.onmessage = async (event) => {
  const { id, op, args } = event.data ?? {};
  if (op === 'company') {
    companyFor(id).resolve(args?.company ?? null); // no answer: the analysis it belongs to answers
    return;
  }
  try {
    await ready;
    const run = ops[op];
    if (!run) throw Object.assign(new Error(`unknown request '${op}'`), { code: 'BAD_INPUT' });
    const result = await run(id, args ?? {});
    post({ id, type: 'result', result }, transfers(result));
  } catch (err) {
    const error = { name: err?.name ?? 'Error', message: err?.message ?? String(err), code: typeof err?.code === 'string' ? err.code : 'INTERNAL' };
    // TOO_LARGE says which file, how large and the limit (the page words it in its language).
    for (const key of ['file', 'bytes', 'limit', 'params']) if (err?.[key] !== undefined) error[key] = err[key];
    post({ id, type: 'error', error });
  }
};
