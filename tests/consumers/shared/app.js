// What every browser consumer app does with the installed package (each app imports the package
// its own way and passes the modules in): the main-thread API, the worker API with progress and
// cancel, and <revlens-report>. Results go to data-* attributes of <body> for the test to read.
const SERIES = Float64Array.from({ length: 36 }, (_, i) => 100 + 2 * i + 15 * Math.sin((2 * Math.PI * i) / 12));

const wonCount = (report) => report.metrics.find((m) => m.id === 'won_count' && m.period === undefined && m.by === undefined)?.value;

export async function run({ revlens, worker }) {
  const data = document.body.dataset;
  try {
    await revlens.init();
    data.version = revlens.version();
    const files = revlens.sampleFiles().map((f) => ({ name: f.name, bytes: f.bytes }));

    // Main thread: analyze, detect, forecast.
    data.mainWon = String(wonCount(revlens.analyze(files)));
    data.detected = files.map((f) => revlens.detect(f.bytes, f.name).kind).join(',');
    const f = revlens.forecast(SERIES, { horizon: 4 });
    data.forecast = f.mean instanceof Float64Array && f.hi95 instanceof Float64Array ? `${f.model}:${f.mean.length}` : 'not typed arrays';
    try {
      revlens.detect(new Uint8Array(), 'empty.csv');
    } catch (err) {
      data.errorCode = err instanceof Error ? err.code : 'not an Error';
    }

    // The worker: File objects streamed in the worker, progress, and a cancelled call.
    const asFiles = files.map((x) => new File([x.bytes], x.name));
    let progress = 0;
    const report = await worker.analyze(asFiles, { grain: 'quarter' }, { onProgress: () => (progress += 1) });
    data.workerWon = String(wonCount(report));
    data.workerGrain = report.grain;
    data.progress = String(progress);
    const controller = new AbortController();
    const cancelled = worker.analyze(asFiles, null, { signal: controller.signal });
    controller.abort();
    data.cancel = await cancelled.then(() => 'not cancelled', (err) => `${err.name}:${err.code}`);
    data.afterCancel = String(wonCount(await worker.analyze(files)));
    const wf = await worker.forecast(SERIES, { horizon: 4 });
    data.workerForecast = wf.mean instanceof Float64Array && wf.model === f.model && wf.mean.every((v, i) => v === f.mean[i]) ? 'same' : 'different';
    data.workerDetect = `${asFiles[0].name}:${(await worker.detect(asFiles[0])).kind}`;
    data.workerError = await worker.analyze([new File(['foo,bar\n1,2\n'], 'junk.csv')]).then(() => 'no error', (err) => `${err instanceof Error}:${err.code}`);

    // Two workers at once (a large export's path, here on the sample's deals): the report one
    // worker gives; several files stay on one worker.
    const one = new worker.RevlensWorker({ workers: 1 });
    const two = new worker.RevlensWorker({ workers: 2, apartMinBytes: 0 });
    const deals = asFiles.filter((f) => f.name === 'salesforce_opportunities.csv');
    const same = [];
    for (const options of [{ grain: 'quarter' }, { filter: { region: ['EMEA'] } }]) {
      const [a, b] = [await one.analyze(deals, options), await two.analyze(deals, options)];
      same.push(JSON.stringify(a) === JSON.stringify(b) ? `same${one.workersUsed}${two.workersUsed}` : 'different');
    }
    // Large enough to be read in halves by the two (the sample's rows forty times over: the head
    // read before the cut is up to a 1 MiB chunk), and with its middle inside a quoted cell (the
    // first then reads it all and gives it to the second).
    const text = await deals[0].text();
    const headerEnd = text.indexOf('\n') + 1;
    const body = text.slice(headerEnd).endsWith('\n') ? text.slice(headerEnd) : `${text.slice(headerEnd)}\n`;
    const note = `"${'a long note\n'.repeat(Math.ceil((body.length * 24) / 12))}"\n`;
    const halves = new File([text.slice(0, headerEnd) + body.repeat(40)], 'salesforce_opportunities.csv');
    const given = new File([text.slice(0, headerEnd) + body.repeat(12) + note + body.repeat(12)], 'salesforce_opportunities.csv');
    for (const f of [halves, given]) {
      const [a, b] = [await one.analyze([f]), await two.analyze([f])];
      same.push(JSON.stringify(a) === JSON.stringify(b) ? `same-${two.fileRead}` : 'different');
    }
    const stopped = new AbortController();
    const cancelledTwo = two.analyze(deals, null, { signal: stopped.signal });
    stopped.abort();
    same.push(await cancelledTwo.then(() => 'not cancelled', (err) => err.code));
    same.push(String(wonCount(await two.analyze(asFiles))), String(two.workersUsed));
    data.twoWorkers = same.join(',');
    one.terminate();
    two.terminate();

    // The element, given the files as a property.
    const element = document.querySelector('revlens-report');
    const rendered = new Promise((resolve, reject) => {
      element.addEventListener('revlens-report', resolve, { once: true });
      element.addEventListener('revlens-error', (e) => reject(e.detail), { once: true });
    });
    element.files = files;
    await rendered;
    data.state = 'ready';
  } catch (err) {
    data.error = `${err?.code ?? ''} ${err?.message ?? err}`;
    data.state = 'error';
    throw err;
  }
}
