// The in-page harness of the browser benchmark (driven by run.mjs through playwright-core).
// Every case starts from the same Uint8Array of CSV bytes (fetched once from the local server)
// and is timed with performance.now() around the work only: untimed set-up (a copy of the
// bytes for DuckDB, which takes ownership of the buffer it is given) and untimed checks run
// before and after. With --js-flags=--expose-gc the heap is collected before every repetition.
//
//   window.bench.load(engine)            'revlens' | 'papa' | 'duckdb'; returns its version
//   window.bench.fetchData(url, name)    the CSV bytes, kept for every case; returns their length
//   window.bench.run(caseId, { warmup, reps })
//       → { times: [ms…] (timed repetitions only), heapAfter: [bytes…], summary, wasmMemory }
//
// A summary is what the cross-check compares between engines: { rows } for parsing (data rows
// with every column: the Salesforce report footer and the blank line before it are not rows),
// plus { wonAmount, owners: { name: { won, wonCount, lost, winRate } } } for the query.

const WON = 'Closed Won';
const LOST = 'Closed Lost';

const state = { bytes: null, name: null, revlens: null, papa: null, duck: null };

// ---- Loading the engines ---------------------------------------------------------------------

async function loadRevlens() {
  // The wasm-bindgen glue (default export = init, then analyze/detect), or the
  // package's main entry with an init() when the glue is not there under that name.
  // The full module first (revlens_full.js: built for speed, what the package's worker and element
  // load for an input of 4 MiB or more), else the single module of an older package.
  let mod = null;
  let wasmName = null;
  for (const [glue, wasm] of [['./revlens/revlens_full.js', 'revlens_full_bg.wasm'], ['./revlens/revlens.js', 'revlens_bg.wasm']]) {
    try {
      mod = await import(glue);
      wasmName = wasm;
      break;
    } catch {
      mod = null;
    }
  }
  let memory = null;
  if (mod && typeof mod.default === 'function' && typeof mod.detect === 'function') {
    const exports = await mod.default({ module_or_path: new URL(`./revlens/${wasmName}`, import.meta.url) });
    memory = exports?.memory ?? null;
  } else {
    const pkg = await (await fetch('./revlens/package.json')).json();
    const entry = pkg.exports?.['.']?.browser ?? pkg.exports?.['.']?.default ?? pkg.module ?? pkg.main;
    mod = await import(`./revlens/${entry}`);
    if (typeof mod.init === 'function') await mod.init();
  }
  state.revlens = { api: mod, memory };
  return typeof mod.version === 'function' ? mod.version() : 'unknown';
}

function loadPapa() {
  // papaparse ships a UMD script: a classic <script> puts Papa on window.
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = './vendor/papaparse/papaparse.min.js';
    s.onload = () => {
      state.papa = window.Papa;
      resolve('papaparse');
    };
    s.onerror = () => reject(new Error('papaparse did not load'));
    document.head.append(s);
  });
}

async function loadDuckdb() {
  const duckdb = await import('./vendor/duckdb/duckdb-browser.mjs');
  // The "eh" bundle (wasm exceptions, no threads): what selectBundle picks in Chromium on a page
  // that is not cross-origin isolated. DuckDB runs in this dedicated worker; every call below is
  // a message round trip to it, which is how DuckDB-WASM is used in a page.
  const worker = new Worker(new URL('./vendor/duckdb/duckdb-browser-eh.worker.js', import.meta.url));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('./vendor/duckdb/duckdb-eh.wasm', import.meta.url).href);
  const conn = await db.connect();
  state.duck = { db, conn };
  return db.getVersion();
}

async function load(engine) {
  const loaders = { revlens: loadRevlens, papa: loadPapa, duckdb: loadDuckdb };
  if (!loaders[engine]) throw new Error(`unknown engine ${engine}`);
  const version = await loaders[engine]();
  document.getElementById('status').textContent = `${engine} ${version} loaded`;
  return version;
}

async function fetchData(url, name) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  // Read into one array of the announced length, not `res.arrayBuffer()`: that held the body
  // twice for a moment (457-481 MiB of private footprint for the 235 MB file), which was then
  // the renderer's peak in every case, whatever the engine did.
  const length = Number(res.headers.get('Content-Length'));
  const bytes = new Uint8Array(length);
  let at = 0;
  const reader = res.body.getReader();
  for (let r; !(r = await reader.read()).done; at += r.value.length) {
    if (at + r.value.length > length) throw new Error(`${url}: more than the ${length} bytes announced`);
    bytes.set(r.value, at);
  }
  if (at !== length) throw new Error(`${url}: ${at} bytes, ${length} announced`);
  state.bytes = bytes;
  state.name = name;
  return state.bytes.length;
}

// ---- revlens ---------------------------------------------------------------------------------

/** Bookings and win rate per owner from a revlens report (whole-data values, salesops lens). */
function revlensSummary(report) {
  const file = report.quality.files.find((f) => f.kind === 'deals') ?? report.quality.files[0];
  const owners = {};
  let wonAmount = null;
  for (const m of report.metrics) {
    if (m.period !== undefined || m.lens !== 'salesops') continue;
    if (m.by === undefined || m.by === null) {
      if (m.id === 'bookings') wonAmount = m.value;
      continue;
    }
    if (m.by.owner === undefined) continue;
    const o = (owners[m.by.owner] ??= {});
    if (m.id === 'bookings') o.won = m.value;
    if (m.id === 'won_count') o.wonCount = m.value;
    if (m.id === 'lost_count') o.lost = m.value;
    if (m.id === 'win_rate') o.winRate = m.value;
  }
  return { rows: file.rows_read, wonAmount, owners, metrics: report.metrics.length, timings: report.timings ?? null };
}

/** A case timing `RevlensWorker.analyze` with `workers` workers (started and warmed untimed). */
function workerCase(workers) {
  const ctx = {};
  return {
    once: async () => {
      const { RevlensWorker } = await import('./revlens/worker.js');
      ctx.worker = new RevlensWorker({ workers });
      ctx.file = new File([state.bytes], state.name);
      await ctx.worker.init();
    },
    run: async () => {
      const report = await ctx.worker.analyze([ctx.file], { timings: true });
      if (ctx.worker.workersUsed !== workers) throw new Error(`${ctx.worker.workersUsed} workers made the report, not ${workers}`);
      return report;
    },
    check: revlensSummary,
  };
}

// ---- Papa Parse ------------------------------------------------------------------------------

const decoder = new TextDecoder();

/** Papa's rows with every column (header: true): the footer lines have no Stage. */
function papaRows(data) {
  let n = 0;
  for (const row of data) if (row.Stage !== undefined) n++;
  return n;
}

/** The query in plain JS over Papa's row objects. */
function papaAggregate(data) {
  const owners = new Map();
  let rows = 0;
  let wonAmount = 0;
  for (const row of data) {
    const stage = row.Stage;
    if (stage === undefined) continue; // footer
    rows++;
    let o = owners.get(row['Opportunity Owner']);
    if (o === undefined) {
      o = { won: 0, wonCount: 0, lost: 0 };
      owners.set(row['Opportunity Owner'], o);
    }
    if (stage === WON) {
      o.wonCount++;
      const amount = row.Amount === '' ? NaN : Number(row.Amount);
      if (Number.isFinite(amount)) {
        o.won += amount;
        wonAmount += amount;
      }
    } else if (stage === LOST) {
      o.lost++;
    }
  }
  const out = {};
  for (const [name, o] of owners) {
    out[name] = { ...o, winRate: o.wonCount + o.lost > 0 ? o.wonCount / (o.wonCount + o.lost) : null };
  }
  return { rows, wonAmount, owners: out };
}

// ---- DuckDB-WASM -----------------------------------------------------------------------------

const DUCK_FILE = 'deals.csv';
// Two hints read_csv_auto needs for a real CRM export, both kept as light as possible:
// - the Salesforce report ends with a blank line and two one-cell footer lines, which it
//   rejects ("Expected Number of Columns: 14 Found: 1") unless told to pad short rows with
//   NULLs; every data row has a Stage, the footer rows do not;
// - one Amount cell is "n/a": where the sniffer's sample misses it (100k rows and more) the
//   column is typed DOUBLE and the load fails ("Conversion Error: CSV Error on Line: …"), so
//   Amount is read as text and TRY_CAST in the query (the row is kept with no amount, as
//   revlens and the JS loop keep it). Every other column keeps its sniffed type.
const READ = `read_csv_auto('${DUCK_FILE}', null_padding = true, types = {'Amount': 'VARCHAR'})`;
const groupBy = (from) => `
  SELECT "Opportunity Owner" AS owner,
         coalesce(sum(TRY_CAST("Amount" AS DOUBLE)) FILTER (WHERE "Stage" = '${WON}'), 0) AS won,
         count(*) FILTER (WHERE "Stage" = '${WON}') AS won_count,
         count(*) FILTER (WHERE "Stage" = '${LOST}') AS lost,
         won_count / nullif(won_count + lost, 0) AS win_rate,
         count(*) AS rows
  FROM ${from}
  WHERE "Stage" IS NOT NULL
  GROUP BY 1`;

function duckSummary(table) {
  const owners = {};
  let rows = 0;
  let wonAmount = 0;
  for (const r of table.toArray()) {
    const row = r.toJSON();
    owners[row.owner] = { won: row.won, wonCount: Number(row.won_count), lost: Number(row.lost), winRate: row.win_rate };
    rows += Number(row.rows);
    wonAmount += row.won;
  }
  return { rows, wonAmount, owners };
}

async function duckCount(from) {
  const t = await state.duck.conn.query(`SELECT count(*) AS n FROM ${from} WHERE "Stage" IS NOT NULL`);
  return Number(t.toArray()[0].toJSON().n);
}

async function duckColumns() {
  const t = await state.duck.conn.query(`DESCRIBE deals`);
  return t.toArray().map((r) => `${r.toJSON().column_name}:${r.toJSON().column_type}`);
}

// ---- The cases -------------------------------------------------------------------------------
// run: the timed work (may return a promise); before/after: untimed, around every repetition;
// once: untimed, before the first; check: untimed, on the last repetition's output.

const CASES = {
  // 1. Parse only.
  'revlens.detect': {
    run: () => state.revlens.api.detect(state.bytes, state.name, undefined),
    check: (r) => ({ rows: r.rows_read, rowsUsed: r.rows_used, source: r.source, kind: r.kind }),
  },
  'papa.header': {
    run: () => state.papa.parse(decoder.decode(state.bytes), { header: true, skipEmptyLines: true }),
    check: (r) => ({ rows: papaRows(r.data), errors: r.errors.length }),
  },
  'papa.array': {
    run: () => state.papa.parse(decoder.decode(state.bytes), { header: false, skipEmptyLines: true }),
    check: (r) => ({ rows: r.data.filter((row) => row.length === r.data[0].length).length - 1, errors: r.errors.length }),
  },
  'papa.worker': {
    run: () =>
      new Promise((resolve, reject) =>
        state.papa.parse(decoder.decode(state.bytes), {
          header: true,
          skipEmptyLines: true,
          worker: true,
          complete: resolve,
          error: reject,
        }),
      ),
    check: (r) => ({ rows: papaRows(r.data), errors: r.errors.length }),
  },
  'duckdb.table': {
    before: (ctx) => {
      ctx.copy = state.bytes.slice(); // registerFileBuffer transfers (detaches) the buffer
    },
    run: async (ctx) => {
      await state.duck.db.registerFileBuffer(DUCK_FILE, ctx.copy);
      await state.duck.conn.query(`CREATE TABLE deals AS SELECT * FROM ${READ}`);
    },
    check: async () => ({ rows: await duckCount('deals'), columns: await duckColumns() }),
    after: async () => {
      await state.duck.conn.query('DROP TABLE IF EXISTS deals');
      await state.duck.db.dropFile(DUCK_FILE);
    },
  },

  // 2. The query: won bookings and win rate per owner, from the bytes.
  'revlens.analyze': {
    // timings: the report carries its per-stage split (performance.now() around each stage).
    run: () => state.revlens.api.analyze([{ name: state.name, bytes: state.bytes }], { timings: true }),
    check: revlensSummary,
  },
  'revlens.analyze.nosim': {
    run: () => state.revlens.api.analyze([{ name: state.name, bytes: state.bytes }], { simulations: 0, timings: true }),
    check: revlensSummary,
  },
  // The whole report through the package's worker API (revlens/worker), as the page and a
  // dashboard call it: a File streamed in the worker, on one worker or two (both read the file,
  // each computes one side of the report; see js/worker.js).
  'revlens.worker': workerCase(1),
  'revlens.workers2': workerCase(2),
  'papa.loop': {
    run: () => papaAggregate(state.papa.parse(decoder.decode(state.bytes), { header: true, skipEmptyLines: true }).data),
    check: (r) => r,
  },
  'duckdb.sql': {
    before: (ctx) => {
      ctx.copy = state.bytes.slice();
    },
    run: async (ctx) => {
      await state.duck.db.registerFileBuffer(DUCK_FILE, ctx.copy);
      return state.duck.conn.query(groupBy(READ));
    },
    check: duckSummary,
    after: async () => {
      await state.duck.db.dropFile(DUCK_FILE);
    },
  },
  // The GROUP BY alone on a table already loaded (untimed): DuckDB's query engine by itself.
  'duckdb.loaded': {
    once: async () => {
      await state.duck.db.registerFileBuffer(DUCK_FILE, state.bytes.slice());
      await state.duck.conn.query(`CREATE TABLE deals AS SELECT * FROM ${READ}`);
    },
    run: () => state.duck.conn.query(groupBy('deals')),
    check: duckSummary,
  },
};

function collect() {
  if (typeof window.gc === 'function') window.gc();
}

function heapUsed() {
  return performance.memory ? performance.memory.usedJSHeapSize : null;
}

async function run(caseId, { warmup = 1, reps = 5 } = {}) {
  const c = CASES[caseId];
  if (!c) throw new Error(`unknown case ${caseId}`);
  if (!state.bytes) throw new Error('no data: call fetchData first');
  if (c.once) await c.once();
  const times = [];
  const heapAfter = [];
  const heapBefore = [];
  let summary = null;
  for (let i = 0; i < warmup + reps; i++) {
    const ctx = {};
    if (c.before) await c.before(ctx);
    collect();
    const h0 = heapUsed();
    const t0 = performance.now();
    let out = await c.run(ctx);
    const t1 = performance.now();
    const h1 = heapUsed(); // with the output still referenced
    if (i >= warmup) {
      times.push(t1 - t0);
      heapBefore.push(h0);
      heapAfter.push(h1);
    }
    if (i === warmup + reps - 1) summary = await c.check(out);
    out = null;
    if (c.after) await c.after(ctx);
  }
  collect();
  return {
    times,
    heapBefore,
    heapAfter,
    summary,
    wasmMemory: caseId.startsWith('revlens') && state.revlens.memory ? state.revlens.memory.buffer.byteLength : null,
  };
}

window.bench = { load, fetchData, run, cases: Object.keys(CASES) };
document.getElementById('status').textContent = 'ready';
