// The embedding example, using the npm package exactly as a dashboard would (served at /pkg/):
// its <revlens-report> element, given the sample company's exports as `files`.
import { init, sampleFiles } from './pkg/index.js';
import './pkg/element.js';

await init();
const element = document.getElementById('embedded');
element.addEventListener('revlens-report', () => {
  document.body.dataset.state = 'ready';
});
element.addEventListener('revlens-error', () => {
  document.body.dataset.state = 'error';
});
element.files = sampleFiles().map((f) => ({ name: f.name, bytes: f.bytes }));
