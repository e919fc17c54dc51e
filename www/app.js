// The page: loads the wasm engine, analyses the sample company on load, then whatever files the
// user picks or drops. All work happens here in the browser; see render.js for the DOM.
import init, * as revlens from './pkg/revlens.js';
import { renderReport, renderError, clearError } from './render.js';

const $ = (id) => document.getElementById(id);

// body[data-state] is loading|ready|error; body[data-updates] counts finished analyses, so a
// test (or a later dashboard) can wait for the next one.
function setState(state, message) {
  document.body.dataset.state = state;
  if (state !== 'loading') document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
  if (message !== undefined) $('status').textContent = message;
}

/** The sample company's exports, embedded in the wasm package (null if this build has none). */
function sampleFiles() {
  return typeof revlens.sampleFiles === 'function' ? revlens.sampleFiles() : null;
}

/** Analyses files ({ name, bytes }) and shows the report, or the error with its code. */
function show(files, title) {
  clearError($('error'));
  try {
    const report = revlens.analyze(files);
    renderReport($('results'), report, title);
    setState('ready', `${title}: ${files.length} file${files.length === 1 ? '' : 's'} analysed in this browser.`);
  } catch (err) {
    renderError($('error'), err);
    setState('error', 'These files could not be analysed; the message below says why.');
  }
}

async function readUserFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  setState('loading', `Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
  try {
    const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    show(read, 'Your files');
  } catch (err) {
    renderError($('error'), err);
    setState('error', 'The files could not be read.');
  }
}

function wireUpload() {
  const input = $('file-input');
  const zone = $('dropzone');
  input.addEventListener('change', () => {
    readUserFiles(input.files);
    input.value = ''; // choosing the same file again still fires `change`
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    readUserFiles(e.dataTransfer.files);
  });
  // A file dropped beside the zone must not make the browser navigate away to it.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

async function main() {
  wireUpload();
  try {
    await init();
  } catch (err) {
    renderError($('error'), err);
    setState('error', 'The analysis engine could not be loaded.');
    return;
  }
  $('version').textContent = `revlens ${revlens.version()} · WebAssembly · runs offline once loaded`;
  let sample = null;
  try {
    sample = sampleFiles();
  } catch (err) {
    renderError($('error'), err);
  }
  if (!sample) {
    setState('ready', 'No sample data in this build: drop your own exports above.');
    return;
  }
  show(sample, 'Sample company');
}

main();
