// A Node 20+ consumer: `import … from 'revlens'` resolves to the package's Node entry, which
// loads the .wasm from disk. Analyses the files named on the command line twice (held in
// memory, and streamed from disk with the Analyzer) and prints a summary as JSON.
//
//   node main.mjs deals.csv leads.csv …
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Analyzer, analyze, detect, init, version } from 'revlens';

const paths = process.argv.slice(2);
await init();

const files = await Promise.all(paths.map(async (p) => ({ name: path.basename(p), bytes: await readFile(p) })));
const report = analyze(files);

const streaming = new Analyzer();
let chunks = 0;
streaming.onProgress = () => (chunks += 1);
for (const p of paths) await streaming.addFile(path.basename(p), createReadStream(p, { highWaterMark: 64 * 1024 }));
const streamed = streaming.finish();

const head = (r, id) => r.metrics.find((m) => m.id === id && m.period === undefined && m.by === undefined)?.value ?? null;
let error = null;
try {
  detect(new Uint8Array(), 'empty.csv');
} catch (err) {
  error = { isError: err instanceof Error, code: err.code };
}
console.log(
  JSON.stringify({
    version: version(),
    kinds: files.map((f) => detect(f.bytes, f.name).kind),
    won_count: head(report, 'won_count'),
    bookings: head(report, 'bookings'),
    streamed_won_count: head(streamed, 'won_count'),
    streamed_bookings: head(streamed, 'bookings'),
    chunks,
    error,
  }),
);
