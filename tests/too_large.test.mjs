// The memory ceiling through the npm package's Node entry, with a limit set low: `analyze`, the
// streaming `Analyzer` and `checkInputSize` answer TOO_LARGE (file, bytes, limit and what to do)
// before reading, at the limit exactly they report, and the engine keeps working afterwards.
// The worker's own check (File sizes before reading) runs in Chromium: tests/e2e/too_large.test.mjs.
// Needs pkg/ (scripts/package pkg).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './support/revlens-cli.mjs';

const pkgDir = path.join(repoRoot, 'pkg');
let revlens;

const DEALS = new TextEncoder().encode(
  [
    'Deal Name,Stage,Amount,Close Date,Created Date',
    'A,Closed Won,100,2024-02-01,2024-01-01',
    'B,Closed Lost,50,2024-02-03,2024-01-03',
    'C,Prospecting,70,2024-03-01,2024-01-05',
    '',
  ].join('\n'),
);
const N = DEALS.byteLength;
const GiB = 2 ** 30;

before(async () => {
  assert.ok(existsSync(path.join(pkgDir, 'index.node.js')), 'pkg/ is missing: run scripts/package');
  revlens = await import(pathToFileURL(path.join(pkgDir, 'index.node.js')).href);
  await revlens.init();
});

/** Asserts `fn` throws TOO_LARGE naming this file, size and limit, with the advice. */
function assertTooLarge(fn, { file, bytes, limit }) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error);
    assert.equal(err.code, 'TOO_LARGE');
    assert.equal(err.file, file);
    assert.equal(err.bytes, bytes);
    assert.equal(err.limit, limit);
    assert.match(err.message, new RegExp(`^${file.replace('.', '\\.')}: the input is `));
    assert.match(err.message, /max_bytes/);
    assert.match(err.message, /fewer columns or a shorter date range/);
    assert.match(err.message, /command-line tool/);
    return true;
  });
}

test('analyze: one byte over max_bytes is TOO_LARGE, the limit itself reports', () => {
  assertTooLarge(() => revlens.analyze([{ name: 'deals.csv', bytes: DEALS }], { max_bytes: N - 1 }), { file: 'deals.csv', bytes: N, limit: N - 1 });
  const report = revlens.analyze([{ name: 'deals.csv', bytes: DEALS }], { max_bytes: N, simulations: 0 });
  assert.equal(report.files[0].rows_used, 3);
  // Several files: their total counts; the error names the one that passed the limit.
  const three = ['a.csv', 'b.csv', 'c.csv'].map((name) => ({ name, bytes: DEALS }));
  assertTooLarge(() => revlens.analyze(three, { max_bytes: 2 * N + 1 }), { file: 'c.csv', bytes: 3 * N, limit: 2 * N + 1 });
});

test('the size is the error before the content is read', () => {
  const junk = new TextEncoder().encode('foo,bar\n1,2\n');
  assert.throws(() => revlens.analyze([{ name: 'junk.csv', bytes: junk }]), { code: 'UNKNOWN_FILE_KIND' });
  assertTooLarge(() => revlens.analyze([{ name: 'junk.csv', bytes: junk }], { max_bytes: 4 }), { file: 'junk.csv', bytes: junk.byteLength, limit: 4 });
  assert.throws(() => revlens.analyze([{ name: 'd.csv', bytes: DEALS }], { max_bytes: -1 }), { code: 'BAD_OPTIONS' });
  assert.throws(() => revlens.analyze([{ name: 'd.csv', bytes: DEALS }], { max_byte: 5 }), { code: 'BAD_OPTIONS' });
});

test('Analyzer: the chunk that passes max_bytes is refused; the engine works on', () => {
  const a = new revlens.Analyzer({ max_bytes: N + 10 });
  a.beginFile('first.csv');
  a.push(DEALS);
  a.beginFile('second.csv');
  a.push(DEALS.subarray(0, 10)); // N + 10: at the limit
  assertTooLarge(() => a.push(DEALS.subarray(10, 11)), { file: 'second.csv', bytes: N + 11, limit: N + 10 });
  a.free();
  const b = new revlens.Analyzer({ max_bytes: N, simulations: 0 });
  b.beginFile('deals.csv');
  b.push(DEALS);
  assert.equal(b.finish().files[0].rows_used, 3);
});

test('checkInputSize: sizes before reading; the default limit is 1 GiB', () => {
  assertTooLarge(() => revlens.checkInputSize([{ name: 'a.csv', size: 600 }, { name: 'b.csv', size: 401 }], { max_bytes: 1000 }), { file: 'b.csv', bytes: 1001, limit: 1000 });
  assert.equal(revlens.checkInputSize([{ name: 'a.csv', size: 600 }, { name: 'b.csv', size: 400 }], { max_bytes: 1000 }), undefined);
  assert.equal(revlens.checkInputSize([{ name: 'big.csv', size: GiB }]), undefined);
  assertTooLarge(() => revlens.checkInputSize([{ name: 'big.csv', size: GiB + 1 }]), { file: 'big.csv', bytes: GiB + 1, limit: GiB });
  assertTooLarge(() => revlens.checkInputSize([{ name: 'big.csv', size: GiB + 1 }], { simulations: 0 }), { file: 'big.csv', bytes: GiB + 1, limit: GiB });
  // A caller may raise it (past what wasm32 can hold, at its own risk) or lower it.
  assert.equal(revlens.checkInputSize([{ name: 'big.csv', size: GiB + 1 }], { max_bytes: 2 * GiB }), undefined);
  assert.throws(() => revlens.checkInputSize('big.csv'), { code: 'BAD_INPUT' });
});
