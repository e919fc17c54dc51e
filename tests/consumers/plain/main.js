// No bundler, no import map (an inline script the CSP would refuse): the package's files by URL.
import * as revlens from '../node_modules/revlens/index.js';
import * as worker from '../node_modules/revlens/worker.js';
import '../node_modules/revlens/element.js';
import { run } from '../shared/app.js';

run({ revlens, worker });
