// A TypeScript consumer using every type the package exports (checked with tsc --noEmit, strict,
// and the package's own .d.ts files checked too). The type-level asserts at the end fail to
// compile if any function of the public surface takes or returns `any`.
import {
  Analyzer, analyze, checkInputSize, detect, forecast, init, sampleFiles, version,
  type AppliedFilter, type Backtest, type BookingsSeries, type CalibrationBin, type CandidateScore, type CohortMatrix,
  type CohortRow, type ColumnReport, type CommissionPlan, type CommissionTier, type DateOrder, type DealFilter,
  type DealProbability, type DealStatus, type DecimalMark, type Dimension, type ErrorCode,
  type Field, type FileKind, type FileNotRead, type FileReport, type LineGroups, type MappingOverride, type Origin,
  type ReportOptions, type Status, type FileSummary, type Finding, type ForecastOptions,
  type ForecastResult, type Funnel, type FunnelCohort, type FunnelStep, type Grain,
  type HistogramBin, type IngestOptions, type InitInput, type InputFile, type LabelledPoint,
  type LeaderRow, type Lens, type LineGroup, type Mapping, type Metric, type MissingInput,
  type Mover, type MrrMovement, type Options, type PeriodForecast, type PipelineForecast,
  type Progress, type QualityReport, type Report, type RevlensError, type RevOps, type RowRef,
  type SampleFile, type SeriesValue, type Source, type SpendChannel, type StageOrder, type SubScore,
  type TextEncoding, type TypedSpend, type UndefinedMetric, type Unit, type WinProbabilityReport, type TooLargeError,
  type AmountChanges, type CloseDateChanges, type DurationStats, type PipelineHistory, type PushedDeal, type StageTime,
  type StuckDeal, type StuckDeals, type Bar, type CompareOptions, type ForecastAccuracy, type OwnerWaterfall,
  type SnapshotComparison, type SnapshotDateSource, type SnapshotInfo, type SnapshotsReport, type StageMove,
  type StageMoves, type WaterfallBar, type WaterfallDeal, type SnapshotWindow,
} from 'revlens';
import * as offThread from 'revlens/worker';
import { RevlensWorker, type CallOptions, type RevlensWorkerOptions, type WorkerFile, type WorkerProgress } from 'revlens/worker';
import { RevlensReport, type ReportElementOptions, type ReportLens, type RevlensReportEventMap } from 'revlens/element';

const mapping: Mapping = { kind: 'deals', columns: { 'Deal Value': 'amount', Rep: 'owner', Notes: 'ignore' } };
const ingest: IngestOptions = { mappings: { 'deals.csv': mapping }, stage_status: { 'Verbal Yes': 'won' }, sheet: null };
const tier: CommissionTier = { above: 1, rate: 0.15 };
const plan: CommissionPlan = { base_rate: 0.1, tiers: [tier], cap: null };
const grain: Grain = 'quarter';
const channel: SpendChannel = 'marketing';
const spend: TypedSpend = { month: '2024-01', channel, amount: 1200 };
const filter: DealFilter = { owner: ['Ann', 'Bo'], region: ['EMEA'], lead_source: [], type: ['New Business'] };
const compare: CompareOptions = { from: '2024-05-31', window_start: '2024-04-01', window_end: '2024-06-30' };
const options: Options = {
  as_of: '2024-06-30', currency: 'USD', rates: { EUR: 1.08 }, grain, fiscal_year_start_month: 2,
  ingest, commission_plan: plan, gross_margin: 0.8, marketing_sources: ['Web'], retention_months: 12,
  simulations: 2000, seed: 7, horizon: 6, filter, spend: [spend], deal_probabilities: true, max_bytes: 500_000_000,
  snapshot_dates: { 'deals-may.csv': '2024-05-31' }, compare,
};

/** The memory ceiling: sizes checked before reading; TOO_LARGE says which file, how large, the limit. */
function refuseTooLarge(files: File[]): string | null {
  try {
    checkInputSize(files.map((f) => ({ name: f.name, size: f.size })), { max_bytes: 200_000_000 });
    return null;
  } catch (e) {
    const err = e as RevlensError;
    if (err.code !== 'TOO_LARGE') throw err;
    const tooLarge = err as TooLargeError;
    const said: string = `${tooLarge.file}: ${tooLarge.bytes} > ${tooLarge.limit}`;
    return said;
  }
}
const status: DealStatus = 'open';
const sameStatus: Status = status;
const sameOptions: ReportOptions = options;
const sameMapping: MappingOverride = mapping;
const encoding: TextEncoding = 'utf8-bom';
const order: DateOrder = 'day_first';
const mark: DecimalMark = 'comma';
const dimension: Dimension = 'uniqueness';
const lens: Lens = 'revops';
const unit: Unit = 'currency_per_day';
const kind: FileKind = 'revenue_lines';
const source: Source = 'hubspot';
const field: Field = 'close';

function headline(report: Report, id: string): number | null {
  const m: Metric | undefined = report.metrics.find((x) => x.id === id && x.period === undefined && x.by === undefined);
  return m?.value ?? null;
}

function describe(report: Report): string[] {
  const files: FileSummary[] = report.files;
  const notRead: FileNotRead[] = report.files_not_read;
  const leaders: LeaderRow[] = report.leaderboard;
  const stages: StageOrder = report.stage_order;
  const revops: RevOps = report.revops;
  const funnel: Funnel | null = revops.funnel;
  const steps: FunnelStep[] = funnel?.steps ?? [];
  const cohorts: FunnelCohort[] = funnel?.cohorts ?? [];
  const movements: MrrMovement[] = revops.mrr_movements;
  const matrix: CohortMatrix | null = revops.cohorts;
  const rows: CohortRow[] = matrix?.rows ?? [];
  const missing: MissingInput[] = revops.missing;
  const undef: UndefinedMetric[] = revops.undefined;
  const fc: PipelineForecast = report.forecast;
  const periods: PeriodForecast[] = fc.periods;
  const bins: HistogramBin[] = periods[0]?.histogram ?? [];
  const movers: Mover[] = periods[0]?.movers ?? [];
  const bookings: BookingsSeries = fc.bookings;
  const history: SeriesValue[] = bookings.history;
  const points: LabelledPoint[] = bookings.forecast;
  const backtest: Backtest | null = bookings.backtest;
  const win: WinProbabilityReport = fc.win_probability;
  const calibration: CalibrationBin[] = win.calibration;
  const deals: DealProbability[] = win.deals;
  const segment: AppliedFilter | null = report.filter;
  const quality: QualityReport = report.quality;
  const sub: SubScore[] = quality.breakdown;
  const findings: Finding[] = quality.findings;
  const refs: RowRef[] = findings[0]?.rows ?? [];
  const fileReports: FileReport[] = quality.files;
  const columns: ColumnReport[] = fileReports[0]?.columns ?? [];
  const rejected: LineGroup[] = fileReports[0]?.rejected ?? [];
  const skipped: LineGroups = fileReports[0]?.skipped ?? [];
  const origin: Origin | undefined = refs[0];
  // The pipeline in time, and what changed between two exports.
  const past: PipelineHistory = report.history;
  const stageTimes: StageTime[] = past.stages;
  const wonDays: DurationStats | undefined = stageTimes[0]?.won;
  const stuck: StuckDeals = past.stuck;
  const stuckDeals: StuckDeal[] = stuck.deals;
  const closeDates: CloseDateChanges = past.close_dates;
  const pushed: PushedDeal[] = closeDates.deals;
  const amounts: AmountChanges = past.amounts;
  const snapshots: SnapshotsReport | null = report.snapshots;
  const exportsRead: SnapshotInfo[] = snapshots?.list ?? [];
  const dated: SnapshotDateSource | undefined = exportsRead[0]?.date_source;
  const comparison: SnapshotComparison | null = snapshots?.comparison ?? null;
  const window: SnapshotWindow | undefined = comparison?.window;
  const bars: WaterfallBar[] = comparison?.waterfall ?? [];
  const bar: Bar | undefined = bars[0]?.bar;
  const barDeals: WaterfallDeal[] = bars[1]?.deals ?? [];
  const owners: OwnerWaterfall[] = comparison?.by_owner ?? [];
  const moves: StageMoves | undefined = comparison?.stage_moves;
  const moved: StageMove[] = moves?.moves ?? [];
  const accuracy: ForecastAccuracy | undefined = comparison?.forecast_accuracy;
  const step: Metric | undefined = report.metrics.find((m) => m.id === 'stage_conversion' && m.by?.owner === undefined);
  const reached: number | undefined = step?.counts?.reached;
  return [
    `${past.bottleneck ?? 'no bottleneck'}: ${wonDays?.median ?? '-'} days, ${stuck.count} stuck (${stuckDeals.length} listed), slip ${closeDates.slip_rate} (${pushed.length}), amounts ${amounts.change_rate}, ${reached} reached`,
    `${exportsRead.length} exports (${dated}), ${window?.label ?? window?.start}: ${bar} ${bars[0]?.amount}, ${barDeals[0]?.stage_before}→${barDeals[0]?.stage_after}, ${owners.length} owners, ${moves?.forward}/${moved.length}, won ${accuracy?.won} of ${accuracy?.crm_forecast}`,
    `${notRead.map((f) => `${f.file}: ${f.code}`).join(',')}`,
    `${files.length} files, ${leaders.length} owners, stages ${stages.stages.join('>')}`,
    `${steps.length} funnel steps, ${cohorts.length} cohorts, ${movements.length} MRR months, ${rows.length} retention rows`,
    `${missing.map((m) => m.needs).join(',')} ${undef.map((u) => u.reason).join(',')}`,
    `${bins.length} bins, ${movers.map((m) => m.swing).join(',')}, ${history.length}+${points.length}, MASE ${backtest?.mase}`,
    `${segment?.deals_kept ?? 'all'} of ${segment?.deals_total ?? 'all'} deals (${segment?.filter.owner?.join(',')})`,
    `${calibration.length} calibration bins, ${deals.length} deals, quality ${quality.score}, ${sub.length}, ${refs.length}`,
    `${columns.map((c) => `${c.header}→${c.field ?? '-'}${c.date_order ?? ''}${c.decimal_mark ?? ''}`).join(',')} ${rejected.length}`,
    `${skipped.length} skipped; first row ${origin?.file}:${origin?.line}`,
  ];
}

function codeOf(err: unknown): ErrorCode | null {
  return err instanceof Error && 'code' in err ? (err as RevlensError).code : null;
}

export async function main(bytes: Uint8Array, wasm?: InitInput): Promise<void> {
  await init(wasm);
  const v: string = version();
  const input: InputFile[] = [{ name: 'deals.csv', bytes }];
  const report: Report = analyze(input, options);
  const detected: FileReport = detect(bytes, 'deals.csv', ingest);
  const samples: SampleFile[] = sampleFiles();
  const forecastOptions: ForecastOptions = { horizon: 6, season_length: 12, seed: 1, backtest_origins: 2 };
  const f: ForecastResult = forecast(new Float64Array([1, 2, 3]), forecastOptions);
  const mean: Float64Array = f.mean;
  const candidates: CandidateScore[] = f.candidates;
  const streaming = new Analyzer(options);
  streaming.onProgress = (p: Progress) => console.log(p.file, p.bytes, p.rows);
  streaming.beginFile('deals.csv');
  const progress: Progress = streaming.push(bytes);
  const streamed: Report = streaming.finish();
  try {
    detect(new Uint8Array(), 'empty.csv');
  } catch (err) {
    const code: ErrorCode | null = codeOf(err);
    console.log(code);
  }
  console.log(v, headline(report, 'win_rate'), describe(streamed), detected.kind, samples[0]?.kind, mean[0], candidates.length, progress.bytes);
  console.log(sameStatus, sameOptions.grain, sameMapping.kind);
  console.log(status, encoding, order, mark, dimension, lens, unit, kind, source, field);
}

export async function inTheBrowser(files: File[], element: RevlensReport): Promise<void> {
  const call: CallOptions = { signal: AbortSignal.timeout(60_000), onProgress: (p: WorkerProgress) => console.log(p.done / p.total) };
  const list: WorkerFile[] = files;
  const report: Report = await offThread.analyze(list, { grain: 'month' }, call);
  const detected: FileReport = await offThread.detect(files[0]!, null, call);
  const forecasted: ForecastResult = await offThread.forecast([1, 2, 3], { horizon: 2 });
  const workerOptions: RevlensWorkerOptions = { createWorker: () => new Worker(new URL('worker.js', location.href), { type: 'module' }) };
  const own = new RevlensWorker(workerOptions);
  own.addEventListener('progress', (e) => console.log((e as CustomEvent<WorkerProgress>).detail.rows));
  const v: string = await own.version();
  own.terminate();
  offThread.terminate();
  const lensName: ReportLens = 'salesops';
  element.lens = lensName;
  element.files = files;
  element.report = report;
  const found: RevlensReport | null = document.querySelector('revlens-report');
  const attributeOptions: ReportElementOptions = { grain: 'year' };
  element.setAttribute('options', JSON.stringify(attributeOptions));
  const onReport = (e: RevlensReportEventMap['revlens-report']) => console.log(e.detail.as_of);
  const onError = (e: RevlensReportEventMap['revlens-error']) => console.log(e.detail.code);
  element.addEventListener('revlens-report', onReport as EventListener);
  element.addEventListener('revlens-error', onError as EventListener);
  console.log(detected.rows_used, forecasted.model, v, found?.report?.currency, refuseTooLarge([]));
}

// ---- no `any` at the surface ----------------------------------------------------------------
type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAny<T extends false> = T;
type AnyIn<F extends (...args: never[]) => unknown> = true extends { [K in keyof Parameters<F>]: IsAny<Parameters<F>[K]> }[number] ? true : false;
export type Checks = [
  NoAny<IsAny<ReturnType<typeof analyze>>>, NoAny<AnyIn<typeof analyze>>,
  NoAny<IsAny<ReturnType<typeof detect>>>, NoAny<AnyIn<typeof detect>>,
  NoAny<IsAny<ReturnType<typeof forecast>>>, NoAny<AnyIn<typeof forecast>>,
  NoAny<IsAny<ReturnType<typeof sampleFiles>>>, NoAny<IsAny<ReturnType<typeof version>>>,
  NoAny<AnyIn<typeof init>>,
  NoAny<IsAny<ReturnType<Analyzer['finish']>>>, NoAny<IsAny<ReturnType<Analyzer['push']>>>, NoAny<AnyIn<Analyzer['push']>>,
  NoAny<IsAny<Awaited<ReturnType<typeof offThread.analyze>>>>, NoAny<AnyIn<typeof offThread.analyze>>,
  NoAny<IsAny<Awaited<ReturnType<typeof offThread.forecast>>>>, NoAny<IsAny<Awaited<ReturnType<typeof offThread.sampleFiles>>>>,
  NoAny<IsAny<RevlensReport['report']>>, NoAny<IsAny<RevlensReport['files']>>,
  NoAny<IsAny<Report[keyof Report]>>, NoAny<IsAny<Metric[keyof Metric]>>, NoAny<IsAny<Options[keyof Options]>>,
  NoAny<IsAny<ReturnType<typeof checkInputSize>>>, NoAny<AnyIn<typeof checkInputSize>>, NoAny<IsAny<TooLargeError[keyof TooLargeError]>>,
];
