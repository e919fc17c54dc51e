// revlens/element: importing it defines <revlens-report>.
import type { InputFile, Options, Report, RevlensError } from './index.js';

export type ReportLens = 'salesops' | 'revops' | 'both';

/**
 * `<revlens-report src="deals.csv" lens="both" lang="en">`: the revlens dashboard in a shadow
 * root. `src` names a report JSON (`.json`) or a CRM export to analyse (fetched); `files` takes
 * File objects or `{ name, bytes }`; `report` takes a computed report. Attributes: `src`,
 * `lens` (salesops | revops | both), `lang` (en | th), `options` (JSON of {@link Options}; its
 * `max_bytes` sets the most input bytes to analyse, default 1 GiB: past it the element shows a
 * `TOO_LARGE` error in its language and draws nothing).
 * Themable with CSS custom properties on the element: --rl-bg, --rl-panel, --rl-text,
 * --rl-muted, --rl-border, --rl-accent, --rl-c1 … --rl-c7, --rl-positive, --rl-negative.
 * Events: `revlens-report` (detail: the Report) after each render, `revlens-error` (detail:
 * the RevlensError).
 */
export class RevlensReport extends HTMLElement {
  static observedAttributes: string[];
  report: Report | null;
  files: Array<File | InputFile> | null;
  lens: ReportLens;
}

export interface RevlensReportEventMap {
  'revlens-report': CustomEvent<Report>;
  'revlens-error': CustomEvent<RevlensError>;
}

declare global {
  interface HTMLElementTagNameMap {
    'revlens-report': RevlensReport;
  }
}

/** The options attribute's shape, for building it with JSON.stringify. */
export type ReportElementOptions = Options;
