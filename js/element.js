// revlens/element: defines <revlens-report> (the same renderer as the revlens page, in a shadow
// root; analysis in a worker). Importing this module registers the element.
export { RevlensReport } from './lib/revlens-report.js';
