import * as revlens from 'revlens';
import * as worker from 'revlens/worker';
import 'revlens/element';
import { run } from '../shared/app.js';

run({ revlens, worker });
