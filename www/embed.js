// The embedding example: the sample company's exports given to <revlens-report> as `files`.
import init, { sampleFiles } from './pkg/revlens.js';
import './lib/revlens-report.js';

await init();
const element = document.getElementById('embedded');
element.addEventListener('revlens-report', () => {
  document.body.dataset.state = 'ready';
});
element.addEventListener('revlens-error', () => {
  document.body.dataset.state = 'error';
});
element.files = [...sampleFiles()].map((f) => ({ name: f.name, bytes: f.bytes }));
