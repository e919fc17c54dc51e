// DOM helpers. Every piece of data goes in through textContent or an attribute, never as HTML,
// so a deal named `<img src=x onerror=…>` shows as text.

/** el('p', { class: 'x', data: { id: 1 } }, 'text', child…) — `doc` is the owner document. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'data') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) node.dataset[k] = String(v);
    } else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key === 'props') {
      Object.assign(node, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let counter = 0;
/** A document-unique id for aria references (each shadow root has its own scope anyway). */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * A table: caption, column headers, rows of cells (strings, numbers or nodes); the first cell of
 * each row is a row header. `numeric` marks columns to right-align.
 */
export function table(caption, headers, rows, { className, numeric = [] } = {}) {
  const align = (i) => (numeric.includes(i) ? 'num' : undefined);
  return el(
    'table',
    { class: className },
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { scope: 'col', class: align(i) }, h)))),
    el(
      'tbody',
      {},
      rows.map((cells) =>
        el(
          'tr',
          {},
          cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', { class: align(i) }, c))),
        ),
      ),
    ),
  );
}

/** A horizontally/vertically scrollable box around a table, reachable by keyboard. */
export function scroller(label, child) {
  return el('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label }, child);
}
