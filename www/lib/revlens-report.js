// <revlens-report>: the revlens dashboard as a custom element, for embedding in an existing page.
// It uses the same renderer as the revlens page, inside a shadow root, styled by report.css and
// themable through CSS custom properties (--rl-bg, --rl-panel, --rl-text, --rl-muted,
// --rl-border, --rl-accent, --rl-c1 … --rl-c7, --rl-positive, --rl-negative).
//
//   <revlens-report src="exports/deals.csv" lens="both" lang="en"></revlens-report>
//   el.files = [file1, file2];          // File objects or { name, bytes: Uint8Array }
//   el.report = reportObject;           // an already computed report
//
// `src` may name a report JSON (ends in .json) or a CRM export to analyse (fetched from the
// page's origin under its CSP). Analysis runs in a Web Worker (one per element). Events:
// `revlens-report` (detail: the report) after each render, `revlens-error` (detail: the Error,
// with a `code`) on failure.
//
// This file is also the npm package's element (revlens/element): scripts/package copies it with
// the renderer, and there `./client.js` is the package's worker client (js/lib/client.js).
import { Analyzer } from './client.js';
import { el } from './dom.js';
import { clearError, renderError, renderReport } from './render.js';

const STYLE_URL = new URL('./report.css', import.meta.url);

export class RevlensReport extends HTMLElement {
  static observedAttributes = ['src', 'lens', 'lang', 'options'];

  #analyzer = null;
  #report = null;
  #view = null;
  #files = null;
  #body;
  #error;
  #status;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.#status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.#error = el('div', { class: 'error', role: 'alert', hidden: true });
    this.#body = el('div', { class: 'body' });
    root.append(el('link', { rel: 'stylesheet', href: STYLE_URL.href }), this.#status, this.#error, this.#body);
  }

  get report() {
    return this.#report;
  }

  set report(value) {
    this.#report = value ?? null;
    this.#render();
  }

  get files() {
    return this.#files;
  }

  /** File objects or { name, bytes }: analysed in a worker, then drawn. */
  set files(value) {
    this.#files = value ? [...value] : null;
    if (this.#files?.length) this.#analyse(this.#files);
  }

  get lens() {
    return this.getAttribute('lens') ?? 'both';
  }

  set lens(v) {
    this.setAttribute('lens', v);
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'src') this.#load(after);
    else if (name === 'options' && this.#files) this.#analyse(this.#files);
    else this.#render();
  }

  disconnectedCallback() {
    this.#view?.destroy();
    this.#analyzer?.terminate();
    this.#analyzer = null;
  }

  #options() {
    try {
      return JSON.parse(this.getAttribute('options') || 'null') ?? undefined;
    } catch {
      return undefined;
    }
  }

  async #load(src) {
    if (!src) return;
    try {
      const url = new URL(src, document.baseURI);
      const response = await fetch(url).catch((err) => {
        throw Object.assign(new Error(`${url.pathname}: ${err.message}`), { code: 'FETCH_FAILED' });
      });
      if (!response.ok) throw Object.assign(new Error(`${url.pathname}: HTTP ${response.status}`), { code: 'FETCH_FAILED' });
      if (/\.json$/i.test(url.pathname)) {
        this.report = await response.json();
      } else {
        const name = decodeURIComponent(url.pathname.split('/').pop() || 'export.csv');
        this.files = [{ name, bytes: new Uint8Array(await response.arrayBuffer()) }];
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  async #analyse(files) {
    this.#analyzer ??= new Analyzer();
    this.#status.textContent = '…';
    try {
      const { report } = await this.#analyzer.analyze(files, this.#options());
      this.#status.textContent = '';
      this.report = report;
    } catch (err) {
      if (err.code !== 'CANCELLED') this.#fail(err);
    }
  }

  #fail(err) {
    this.#status.textContent = '';
    renderError(this.#error, err, this.getAttribute('lang') ?? 'en');
    this.dispatchEvent(new CustomEvent('revlens-error', { detail: err }));
  }

  async #render() {
    if (!this.#report) return;
    clearError(this.#error);
    this.#view?.destroy();
    this.#view = await renderReport(this.#body, this.#report, { lang: this.getAttribute('lang') ?? 'en', lens: this.lens, editable: false });
    this.dispatchEvent(new CustomEvent('revlens-report', { detail: this.#report }));
  }
}

if (!customElements.get('revlens-report')) customElements.define('revlens-report', RevlensReport);
