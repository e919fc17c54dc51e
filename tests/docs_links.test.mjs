// The front door stays honest: every relative link in README.md, CHANGELOG.md and docs/*.md names
// a file (and, with a #fragment, a heading) that exists, and every table of figures in README.md
// names the command that produced it and the date it was measured.
//
// The convention for a README table: the paragraph just above it (the non-blank lines ending at
// most one blank line before the table's header row) holds a command in backticks — one starting
// with ./scripts/, scripts/, cargo, node, python3, target/release/revlens or revlens, after any
// VAR=value settings — and a date, YYYY-MM-DD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Pages another branch is writing, linked already: accepted while missing, checked once present.
// Remove an entry when its page has landed.
const COMMAND = /^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(?:\.\/scripts\/|scripts\/|cargo |node |python3 |target\/release\/revlens |revlens )/;
const DATE = /\b\d{4}-\d{2}-\d{2}\b/;

/** The text outside fenced code blocks, with each line's number kept (code lines blanked). */
function proseLines(markdown) {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchors(markdown) {
  return new Set(proseLines(markdown).flatMap((l) => (/^#{1,6} /.test(l) ? [slug(l.replace(/^#+ /, ''))] : [])));
}

/** Relative links of a markdown text: [{ line, target }] (code spans and absolute URLs left out). */
export function relativeLinks(markdown) {
  const links = [];
  proseLines(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      links.push({ line: i + 1, target });
    }
  });
  return links;
}

/** Problems with the relative links of `file` (a path from the repository root). */
export function brokenLinks(file, markdown, exists = (p) => existsSync(path.join(repoRoot, p)), read = (p) => readFileSync(path.join(repoRoot, p), 'utf8')) {
  const problems = [];
  for (const { line, target } of relativeLinks(markdown)) {
    const [pathPart, fragment] = target.split('#');
    const resolved = pathPart ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(pathPart))) : file;
    if (resolved.startsWith('..')) {
      problems.push(`${file}:${line}: ${target} leaves the repository`);
      continue;
    }
    if (!exists(resolved)) {
      problems.push(`${file}:${line}: ${target} → ${resolved} does not exist`);
      continue;
    }
    if (fragment && resolved.endsWith('.md')) {
      const text = resolved === file ? markdown : read(resolved);
      if (!anchors(text).has(fragment)) problems.push(`${file}:${line}: ${target}: no heading #${fragment} in ${resolved}`);
    }
  }
  return problems;
}

/** Problems with the tables of a markdown text: each must have a command and a date just above. */
export function tablesWithoutCommand(file, markdown) {
  const lines = proseLines(markdown);
  const problems = [];
  for (let i = 1; i < lines.length; i++) {
    const isTable = /^\s*\|/.test(lines[i - 1]) && /^\s*\|\s*:?-{3,}/.test(lines[i]) && (i < 2 || !/^\s*\|/.test(lines[i - 2]));
    if (!isTable) continue;
    const header = i - 1;
    let end = header - 1;
    if (end >= 0 && lines[end].trim() === '') end--;
    let start = end;
    while (start >= 0 && lines[start].trim() !== '' && !/^\s*\|/.test(lines[start])) start--;
    const paragraph = lines.slice(start + 1, end + 1).join('\n');
    const commands = [...paragraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((c) => COMMAND.test(c));
    if (commands.length === 0) problems.push(`${file}:${header + 1}: the table has no command in backticks in the paragraph above it`);
    if (!DATE.test(paragraph)) problems.push(`${file}:${header + 1}: the table has no date (YYYY-MM-DD) in the paragraph above it`);
  }
  return problems;
}

const pages = ['README.md', 'CHANGELOG.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test('every relative link in the README, the changelog and docs/ resolves', () => {
  const problems = pages.flatMap((p) => brokenLinks(p, readFileSync(path.join(repoRoot, p), 'utf8')));
  assert.deepEqual(problems, []);
});

test('every table of figures in the README names the command that produced it, and its date', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.ok(readme.split('\n').length <= 200, `README.md has ${readme.split('\n').length} lines; keep it to 200 and move the rest to docs/`);
  assert.deepEqual(tablesWithoutCommand('README.md', readme), []);
});

test('the checks fail on what they are meant to catch', () => {
  const page = [
    '# Title',
    '',
    'See [the map](docs/nowhere.md), [a section](#no-such-heading), [the title](#title) and',
    '[the site](https://example.invalid/x.md). `[not a link](nowhere.md)`',
    '',
    'Measured 2026-12-01 by `node bench/x.mjs`:',
    '',
    '| a | b |',
    '|---|---|',
    '| 1 | 2 |',
    '',
    'Some figures, no command:',
    '',
    '| a | b |',
    '|---|---|',
    '| 3 | 4 |',
    '',
    'By `REVLENS_BENCH_DEALS=10 cargo bench`, undated:',
    '| c |',
    '|---|',
  ].join('\n');
  const links = brokenLinks('README.md', page, (p) => p === 'README.md', () => page);
  assert.equal(links.length, 2, links.join('\n'));
  assert.match(links[0], /docs\/nowhere\.md does not exist/);
  assert.match(links[1], /no heading #no-such-heading/);
  const tables = tablesWithoutCommand('README.md', page);
  assert.deepEqual(tables, [
    'README.md:14: the table has no command in backticks in the paragraph above it',
    'README.md:14: the table has no date (YYYY-MM-DD) in the paragraph above it',
    'README.md:19: the table has no date (YYYY-MM-DD) in the paragraph above it',
  ]);
});
