// Checks that run inside the page, shared by the Chromium tests (playwright-core:
// `page.evaluate(fn, arg)`) and the three-engine tests (tests/support/webdriver.mjs:
// `session.run(fn, arg)`). Each is a self-contained function: it is sent to the browser as its
// source text, so it may use nothing from this module's scope.

/** Every headline figure: its text, how many line boxes it takes, and how far it runs out of its card. */
export function measureFigures() {
  return [...document.querySelectorAll('#results .figure')].flatMap((card) => {
    const value = card.querySelector('.figure-value');
    if (!value) return [];
    const box = card.getBoundingClientRect();
    const style = getComputedStyle(card);
    const contentRight = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    const rect = value.getBoundingClientRect();
    return [{ metric: card.dataset.metric, text: value.textContent, lines: value.getClientRects().length, overflow: rect.right - contentRight, height: rect.height, fontSize: parseFloat(getComputedStyle(value).fontSize) }];
  });
}

/**
 * Every money figure, percentage, date and period in the report (sentences, tables, the charts'
 * table alternatives, opened): how many are rendered and which sit on more than one line.
 */
export function splitFigures() {
  for (const d of document.querySelectorAll('#results details')) d.open = true;
  const figure = /\d{4}-\u2060?(?:\d{2}(?:-\u2060?\d{2})?|Q[1-4])|-?(?:US)?[$€฿]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|-?(?:US)?[$€฿]\d+(?:\.\d+)?[KMBT]?|\d+(?:\.\d+)?%/g;
  const walker = document.createTreeWalker(document.querySelector('#results'), NodeFilter.SHOW_TEXT);
  const found = { checked: 0, broken: [] };
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const m of node.data.matchAll(figure)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size === 0) continue;
      found.checked += 1;
      if (tops.size > 1) found.broken.push(`${m[0]} in <${node.parentElement.tagName.toLowerCase()} class="${node.parentElement.className}">`);
    }
  }
  return found;
}

/**
 * The page's layout at its current width: horizontal scroll, the comparison table's cells
 * (stacked on a phone), sections within the page, tables wider than the page outside a scroll
 * box, and each chart's legend position and tick counts (Chart.js's own, from the page's copy).
 */
export async function pageLayout() {
  const { Chart } = await import(new URL('vendor/chart.js/chart.js', document.baseURI).href);
  const cell = document.querySelector('#results .compare-table tbody td');
  const sections = ['history', 'changes'].map((name) => {
    const r = document.querySelector(`#results section.${name}`)?.getBoundingClientRect();
    return { name, left: r?.left, right: r?.right };
  });
  return {
    innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    compare: cell && { display: getComputedStyle(cell).display, label: cell.dataset.label, before: getComputedStyle(cell, '::before').content },
    sections,
    // What runs past the right edge (outside scroll boxes): the innermost few, to say why.
    overflowing: [...document.body.querySelectorAll('*')]
      .filter((n) => n.getBoundingClientRect().right > innerWidth + 0.5 && !n.closest('.table-scroll') && ![...n.children].some((c) => c.getBoundingClientRect().right > innerWidth + 0.5))
      .slice(0, 5)
      .map((n) => `<${n.tagName.toLowerCase()} class="${n.className}"> right ${Math.round(n.getBoundingClientRect().right)}: ${n.textContent.trim().slice(0, 60)}`),
    escaping: [...document.querySelectorAll('#results table')]
      .filter((t) => t.getBoundingClientRect().right > innerWidth + 0.5 && !t.closest('.table-scroll'))
      .map((t) => t.className || t.querySelector('caption')?.textContent || 'table'),
    // Chart.js's objects, where this script shares the page's module map (geckodriver's scripts
    // get one of their own: no instances there).
    chartInstances: Object.keys(Chart.instances).length,
    charts: [...document.querySelectorAll('#results canvas')].map((canvas) => {
      const chart = Chart.getChart(canvas);
      const box = canvas.getBoundingClientRect();
      return { id: canvas.closest('figure')?.dataset.chart, width: box.width, right: box.right, legend: chart?.options.plugins.legend.position, ticks: Object.values(chart?.scales ?? {}).map((sc) => sc.ticks.length) };
    }),
  };
}

/**
 * The problems of every message of www/lib/i18n.js's catalogues said with 0, 1, 2 and a missing
 * value for each of its placeholders (`notPlural`: English words in -s that are no plural noun):
 * a placeholder left unfilled, a missing value not said, "1 files", "2 file". Runs in Node on
 * the module and in each browser engine on the page's copy (the plural forms come from the
 * engine's Intl.PluralRules).
 */
export function messageProblems(MESSAGES, translator, notPlural) {
  const placeholders = (s) => [...new Set([...String(s).matchAll(/\{(\w+)\s*(?=[,}])/g)].map((m) => m[1]))].sort();
  const problems = [];
  let said = 0;
  for (const lang of ['en', 'th']) {
    const t = translator(lang);
    const notAvailable = t('r.notAvailable');
    for (const key of Object.keys(MESSAGES[lang])) {
      const names = placeholders(MESSAGES[lang][key]);
      for (const name of names) {
        for (const value of [0, 1, 2, null]) {
          const vars = Object.fromEntries(names.map((n) => [n, n === name ? value : 3]));
          const text = t(key, vars);
          said += 1;
          const where = `${lang} ${key} ${name}=${value}: ${text}`;
          if (/[{}]|undefined|null|NaN/.test(text)) problems.push(`left unfilled: ${where}`);
          if (value === null && !text.includes(notAvailable) && !/missing\s*\{/.test(MESSAGES[lang][key])) problems.push(`a missing value not said: ${where}`);
          if (lang === 'en' && value === 1) {
            for (const m of text.matchAll(/(?:^|[^\d.,])1 ([a-z]+s)\b/g)) if (!notPlural.includes(m[1])) problems.push(`plural after 1: ${where}`);
          }
          if (lang === 'en' && (value === 0 || value === 2)) {
            for (const m of text.matchAll(/(?:^|[^\d.,])[02] (file|deal|lead|row|day|owner|customer|rep|example|month|week|line|stage|snapshot|period)\b(?!-)/g)) problems.push(`singular after ${value}: ${where} (${m[1]})`);
          }
        }
      }
    }
  }
  return { problems, said };
}

/** Words of English that end in s and are not plural nouns, for the "1 files" check. */
export const NOT_PLURAL = ['is', 'was', 'has', 'its', 'this', 'as', 'does', 'less', 'across', 'plus', 'us', 'always', 'class', 'process', 'loss', 'business', 'status', 'focus', 'bonus'];
