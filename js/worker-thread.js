// The worker behind revlens/worker (started by worker.js). Messages in: { id, op, args };
// out: { id, type: 'progress', progress } | { id, type: 'waiting' } | { id, type: 'result', result } |
// { id, type: 'error', error: { name, message, code } }. A report made by two workers: one runs
// `analyzeCompany` and answers its company side; the other runs `analyzeSales` and, once its
// SalesOps side is done, waits for the message { id, op: 'company', args: { company } } (null
// when the other worker could not give it: this one then computes it too).
import { init, isSpreadsheet, LARGE_INPUT_BYTES, loadFullModule as loadFullGlue, Analyzer, checkInputSize, detect, forecast, sampleFiles, table, version } from './index.js';

const ready = init();
const CHUNK = 1 << 20; // bytes fed to the engine per push
const PROGRESS_EVERY = 4 << 20; // post progress at most every 4 MB

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);

function isBlob(f) {
  return typeof Blob !== 'undefined' && f instanceof Blob;
}

/**
 * Feeds one file to the analysis chunk by chunk, posting progress, and (given `forward`) a
 * copy of every chunk to `forward` (a MessagePort to the partner of a report made by two, which
 * so reads nothing itself: two reads of one file from disk slowed each other).
 */
async function feed(id, analysis, f, done, total, forward) {
  const name = String(f?.name ?? '');
  analysis.beginFile(name, sizeOf(f));
  forward?.postMessage({ begin: name, size: sizeOf(f) });
  let lastPost = 0;
  let last = { file: name, bytes: 0, rows: 0 };
  const push = (chunk) => {
    last = analysis.push(chunk);
    if (forward) {
      const copy = chunk.slice(); // the reader reuses its buffer
      forward.postMessage({ chunk: copy }, [copy.buffer]);
    }
    if (last.bytes - lastPost >= PROGRESS_EVERY) {
      lastPost = last.bytes;
      post({ id, type: 'progress', progress: { ...last, done: done + last.bytes, total } });
    }
  };
  if (isBlob(f)) {
    for await (const chunk of blobChunks(f)) push(chunk);
  } else {
    const bytes = f?.bytes instanceof ArrayBuffer ? new Uint8Array(f.bytes) : f?.bytes;
    if (!(bytes instanceof Uint8Array)) throw Object.assign(new Error(`${name || 'a file'}: bytes must be a Uint8Array, or pass a File`), { code: 'BAD_INPUT' });
    for (let at = 0; at < bytes.byteLength; at += CHUNK) push(bytes.subarray(at, at + CHUNK));
  }
  post({ id, type: 'progress', progress: { ...last, done: done + last.bytes, total } });
  return last.bytes;
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
 * report, or 'sales' for the side of a report made by two that reads the files (full module;
 * the company side reads what it forwards: `analyseForwarded`).
 */
async function analyseFiles(id, files, options, side, end, forward) {
  checkSizes(files, options);
  const total = files.reduce((s, f) => s + sizeOf(f), 0);
  if (side) await loadFullModule();
  else await moduleFor(files, total);
  const analysis = new Analyzer(options);
  try {
    let done = 0;
    for (const f of files) done += await feed(id, analysis, f, done, total, forward);
    forward?.postMessage({ end: true });
    return await end(analysis);
  } finally {
    forward?.close();
    analysis.free();
  }
}

/** The company side of a report made by two, from the files the other worker reads and forwards. */
async function analyseForwarded(from, options, module) {
  await loadFullModule(module); // the port holds what arrives meanwhile
  const analysis = new Analyzer(options);
  try {
    await new Promise((resolve, reject) => {
      from.onmessage = ({ data }) => {
        try {
          if (data?.chunk) analysis.push(data.chunk);
          else if (data?.begin !== undefined) analysis.beginFile(data.begin, data.size);
          else if (data?.end) resolve();
        } catch (err) {
          reject(err);
        }
      };
    });
    return analysis.finishCompany();
  } finally {
    from.close();
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
  analyzeCompany: (id, { from, options, module }) => analyseForwarded(from, options, module),
  fullModule: () => loadFullModule().then(() => compiled),
  analyzeSales: (id, { files, options, forward }) => analyseFiles(id, files, options, 'sales', (a) => salesThenReport(id, a), forward),
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
