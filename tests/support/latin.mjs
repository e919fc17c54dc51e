// Latin-script sentences in a page said in Thai (issue #28): what is left of a text once the
// names from the data, the codes shown on purpose and the numbers are taken out, read as runs
// of three or more Latin words. Used on the Thai page (tests/e2e/page.test.mjs) and on the
// core's messages said in Thai (tests/e2e/i18n.test.mjs).

/** Keys of the report whose strings are English sentences of the core's, never names from the data. */
const SENTENCES = new Set(['message', 'reason', 'needs', 'notes', 'slip_source', 'method', 'crm_probability_source', 'skipped', 'revlens_note', 'note', 'source_note']);

/** Every string of a report that is data (names, files, headers, stages, values, model names), longest first. */
export function dataStrings(report) {
  const out = new Set();
  const walk = (x, key) => {
    if (typeof x === 'string') {
      // Not the codes (statuses, kinds, units, grains: words in lower case), which would cut an
      // English sentence into pieces too short to be seen.
      if (!SENTENCES.has(key) && x.trim() && !/^[a-z]+(?: [a-z]+)*$/.test(x.trim())) out.add(x.trim());
    } else if (Array.isArray(x)) {
      for (const v of x) walk(v, key);
    } else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) walk(v, k);
    }
  };
  walk(report, '');
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * The Latin-script sentences of `text`: runs of three or more Latin words (letters, with ' . - :
 * inside), after every string of `allowed` is taken out.
 */
export function latinSentences(text, allowed = []) {
  let rest = String(text).replaceAll('\u2060', '');
  for (const a of allowed) if (a.length > 1) rest = rest.split(a).join(' | ');
  return [...rest.matchAll(/[A-Za-z][A-Za-z'’.:-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'’.:-]*){2,}/g)].map((m) => m[0]);
}
