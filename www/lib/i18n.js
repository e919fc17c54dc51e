// UI strings in English and Thai, and the Intl formatters for a language. Placeholders are
// {name}; values are inserted as text, never as HTML.

export const LANGUAGES = { en: 'English', th: 'ไทย' };

const EN = {
  // page
  'page.skip': 'Skip to the report',
  'page.tagline': 'SalesOps and RevOps views of your CRM exports.',
  'page.privacyTitle': 'Private by design:',
  'page.privacy':
    'your files never leave this browser. revlens reads them here, as WebAssembly, and this page is not allowed to connect anywhere but its own origin (Content-Security-Policy connect-src \'self\'): nothing is uploaded, stored or tracked, and it works offline once loaded.',
  'page.uploadTitle': 'Analyse your own exports',
  'page.dropTitle': 'Drop CSV or XLSX exports here, or choose files',
  'page.dropHint':
    'Deals, leads, stage history, subscriptions, spend, quotas, other income — from Salesforce, HubSpot, Pipedrive, Zoho or any table. Several at once: exports of the deals taken on different dates show what changed between them.',
  'page.useSample': 'Back to the sample company',
  'page.language': 'Language',
  'page.theme': 'Theme',
  'page.themeAuto': 'System',
  'page.themeLight': 'Light',
  'page.themeDark': 'Dark',
  'page.loadingEngine': 'Loading the analysis engine…',
  'page.engineFailed': 'The analysis engine could not be loaded.',
  'page.noSample': 'No sample data in this build: drop your own exports above.',
  'page.sampleTitle': 'Sample company',
  'page.yourFiles': 'Your files',
  'page.analysed': '{title}: {count, plural, one {# file} other {# files}} analysed in this browser.',
  'page.failed': 'These files could not be analysed; the message below says why.',
  'page.readFailed': 'The files could not be read.',
  'page.cancelled': 'Cancelled. The previous report stays on screen.',
  'page.crashed': 'The analysis stopped on an internal error; the engine was restarted. Try again or check the files.',
  'page.cancel': 'Cancel',
  'page.reading': 'Reading {file}: {bytes} of {total}, about {rows, plural, one {# row} other {# rows}}',
  'page.analysing': 'Analysing {count, plural, one {# file} other {# files} missing {the files}}…',
  'page.progressLabel': 'Analysis progress',
  'page.controls': 'View',
  'page.grain': 'Period',
  'page.month': 'Month',
  'page.quarter': 'Quarter',
  'page.year': 'Year',
  'page.fiscalStart': 'Fiscal year starts',
  'page.lens': 'Lens',
  'page.both': 'Both, side by side',
  'page.filter': 'Segment',
  'page.spendTitle': 'No spend file? Type sales and marketing spend (for CAC)',
  'page.spendMonth': 'Month',
  'page.spendChannel': 'Budget',
  'page.marketing': 'Marketing',
  'page.sales': 'Sales',
  'page.spendAmount': 'Amount',
  'page.spendAdd': 'Add and recompute',
  'page.spendRemove': 'Remove {month} {channel}',
  'page.all': 'All',
  'page.export': 'Export',
  'page.exportJson': 'Report (JSON)',
  'page.exportCsv': 'Metric tables (CSV)',
  'page.print': 'Print',
  'page.footer': 'revlens {version} · WebAssembly · runs offline once loaded',
  'page.error': 'Error',
  'page.tooLarge':
    '{file}: these files are {size}, more than the {limit} this page can analyse in the browser. Export fewer columns or a shorter date range, or use the revlens command-line tool (see “When your data outgrows the browser” in the README). You can drop other files now.',
  'page.tooLargeStatus': 'Too large for the browser; the previous report stays on screen.',
  // report
  'r.asOf': 'As of {date}',
  'r.currency': 'amounts in {currency}',
  'r.grain': 'series by {grain}',
  'r.files': 'Detected files',
  'r.filesCaption': 'What each file holds and how many of its rows were used',
  'r.file': 'File',
  'r.kind': 'Kind',
  'r.source': 'Source',
  'r.rowsRead': 'Rows read',
  'r.used': 'Used',
  'r.rejected': 'Rejected',
  'r.mapping': 'Column mapping',
  'r.mappingHint': 'Pick the field a column holds, then apply; “not used” drops it.',
  'r.column': 'Column',
  'r.header': 'Header',
  'r.field': 'Field',
  'r.notUsed': '— not used —',
  'r.applyMapping': 'Apply mapping',
  // the editor for a file the engine did not recognise (www/mapping.js)
  'map.title': 'Map {file}: what does it hold?',
  'map.intro': 'revlens did not recognise this file from its header. Choose what it holds and the field of each column; the rows below are shown as the engine reads them. The mapping is kept for this session.',
  'map.kind': 'The file holds',
  'map.preview': 'First rows as read',
  'map.line': 'Line',
  'map.rows': '{read, plural, one {# row} other {# rows}} read: {used} used, {rejected} rejected',
  'map.reading': 'Reading the file…',
  'map.apply': 'Analyse with this mapping',
  'map.copy': 'Copy as --mapping JSON',
  'map.copied': 'Copied',
  'map.cli': 'The same mapping for the CLI:',
  'r.fileKind': 'File kind',
  'r.compare': 'SalesOps | RevOps on your data',
  'r.compareIntro': 'The same company, two questions: how well does the team sell, and how well does the whole engine turn leads into retained revenue?',
  'r.scope': 'Scope',
  'r.responsibilities': 'Responsibilities',
  'r.metricsRow': 'Metrics',
  'r.audience': 'Audience',
  'r.salesops': 'SalesOps',
  'r.revops': 'RevOps',
  'r.scopeSales': '{deals, plural, one {# deal} other {# deals}} in the sales pipeline ({open} open), {owners, plural, one {# owner} other {# owners}}.',
  'r.scopeRev': '{leads, plural, one {# lead} other {# leads}}, {customers, plural, one {# customer} other {# customers} missing {customers not available}}, {files, plural, one {# file} other {# files}}: marketing, sales and customer success together.',
  'r.scopeRevNoLeads': '{files, plural, one {# file} other {# files}}; without a leads file the top of the funnel is not visible.',
  'r.respSales': 'Pipeline hygiene and forecast: {pastDue, plural, missing {open deals past their close date not available} one {# open deal past its close date ({pastDueAmount})} other {# open deals past their close date ({pastDueAmount})}}; {attainment, missing, missing {no quota attainment (no quotas file)} other {quota attainment {attainment}}}.',
  'r.respRev': 'The single source of truth and the whole funnel: data quality {quality, missing, missing {not available} other {{quality} / 100}}; {mktShare, missing, missing {the marketing share of bookings is not available} other {marketing sources {mktShare} of bookings}}.',
  'r.metricsSales': 'SalesOps sees {winRate, missing, missing {no win rate} other {a {winRate} win rate}}, {deal, missing, missing {no average deal} other {a {deal} average deal}}, {cycle, plural, missing {no median cycle} one {a # day median cycle} other {a # days median cycle}}.',
  'r.metricsRev': '{leadToCustomer, missing, missing {RevOps cannot yet see what share of leads become customers} other {RevOps sees that {leadToCustomer} of leads become customers}} and {nrr, missing, missing {NRR is not available} other {NRR is {nrr}}}.',
  'r.audienceSales': 'Sales leaders and the {owners, plural, one {# rep} other {# reps}} on the leaderboard.',
  'r.audienceRev': 'CRO, CFO and CEO, marketing and customer success: MRR {mrr, missing, missing {not available} other {{mrr}}}, LTV:CAC {ltvCac, missing, missing {not available} other {{ltvCac}}}.',
  'r.headline': 'Headline figures',
  'r.salesopsTitle': 'SalesOps: how well the team sells',
  'r.revopsTitle': 'RevOps: how the whole engine turns leads into retained revenue',
  'r.segmentNote': 'Segment {dim} = {value}: figures from the report’s breakdowns.',
  'r.notRead': '{count, plural, one {# file could not be read and is} other {# files could not be read and are}} left out of this report:',
  'r.filterNote': 'Segment {what}: {kept} of {total, plural, one {# deal} other {# deals}}. SalesOps, the leaderboard and the forecast are the segment’s; RevOps and data quality are the whole company’s.',
  'r.leaderboard': 'Leaderboard',
  'r.owner': 'Owner',
  'r.bookings': 'Bookings',
  'r.winRate': 'Win rate',
  'r.dealSize': 'Avg deal',
  'r.cycle': 'Cycle (median days)',
  'r.attainment': 'Attainment',
  'r.pipeline': 'Open pipeline',
  'r.commission': 'Commission',
  'r.needs': 'Needs {what}.',
  'r.missingTitle': 'Not computed (a file is missing)',
  'r.undefinedTitle': 'Not defined on this data',
  'r.noData': 'No data for this chart.',
  'r.tableAlt': 'Table: {title}',
  'r.period': 'Period',
  'r.value': 'Value',
  'r.forecast': 'Forecast',
  'r.actual': 'Actual',
  'r.lo80': 'Low 80%',
  'r.hi80': 'High 80%',
  'r.lo95': 'Low 95%',
  'r.hi95': 'High 95%',
  'r.fcHow': 'How it forecasts: {how}.',
  'r.fcBlend': 'a blend of {methods}',
  'r.fcListSep': ', ',
  'r.fcAnd': ' and ',
  'r.fcMethod.ets': 'exponential smoothing (the latest periods weigh most)',
  'r.fcMethod.theta': 'the Theta method (a smoothed level with its long-run trend)',
  'r.fcMethod.arima': 'an ARIMA model (the patterns in past changes)',
  'r.fcMethod.snaive': 'the same period a year earlier',
  'r.fcMethod.naive': 'the last period repeated',
  'r.fcMethod.drift': 'the average past change carried forward',
  'r.fcMethod.flat': 'a flat line',
  'r.fcBetter': 'Tested on its own past, it missed by {pct} less than simply repeating the figures of a year before.',
  'r.fcWorse': 'Tested on its own past, it missed by {pct} more than simply repeating the figures of a year before: read it with caution.',
  'r.fcSame': 'Tested on its own past, it was about as accurate as simply repeating the figures of a year before.',
  'r.fcUntested': 'The history is too short to test it on its own past.',
  'r.fcBands': 'The shaded bands are where 80% and 95% of outcomes should fall.',
  'r.fcDetails': '(Details: {model}; backtest MASE {mase}, seasonal naive {naive}.)',
  'r.fcDetailsModel': '(Details: {model}.)',
  'r.noForecast': 'No bookings forecast in this report (this build or this data has none).',
  'r.chartBookings': 'Bookings per period, with forecast and 80% / 95% intervals',
  'r.chartPipeline': 'Open pipeline by stage',
  'r.chartFunnel': 'Funnel: lead → MQL → SQL → opportunity → customer',
  'r.chartMrr': 'MRR movements per month (waterfall)',
  'r.chartMrrMonthly': 'MRR movements (bars) and MRR (line) by month',
  'r.chartCohorts': 'Cohort retention (customers retained, % of cohort)',
  'r.chartSources': 'Bookings by lead source',
  'r.chartMonteCarlo': 'Pipeline forecast: Monte Carlo distribution of period bookings',
  'r.stage': 'Stage',
  'r.amount': 'Amount',
  'r.deals': 'Deals',
  'r.weighted': 'Weighted',
  'r.step': 'Step',
  'r.count': 'Count',
  'r.conversion': 'Step conversion',
  'r.medianDays': 'Median days',
  'r.month': 'Month',
  'r.startMrr': 'Start MRR',
  'r.new': 'New',
  'r.expansion': 'Expansion',
  'r.reactivated': 'Reactivated',
  'r.contraction': 'Contraction',
  'r.churned': 'Churned',
  'r.endMrr': 'End MRR',
  'r.cohort': 'Cohort',
  'r.customers': 'Customers',
  'r.monthN': 'M{n}',
  'r.leadSource': 'Lead source',
  'r.share': 'Share',
  'r.mrrEstimated': 'MRR estimated from recurring-type deals (no subscriptions file).',
  'r.p10': 'P10',
  'r.p50': 'P50',
  'r.p90': 'P90',
  'r.bin': 'Bookings from',
  'r.binTo': 'to',
  'r.runs': 'Runs',
  'r.closedSoFar': 'Closed so far',
  'r.expected': 'Expected',
  'r.noMonteCarlo': 'No pipeline forecast in this report (this build or this data has none).',
  'r.brier': 'Win probability learned from your closed deals: Brier score {learned} on {n} later examples, against {crm} for the CRM’s stage probability (lower is better).',
  'r.brierBase': 'Win probability learned from your closed deals: Brier score {learned} on {n} later examples, against {base} for the plain win rate (lower is better).',
  'r.quality': 'Data quality',
  'r.scoreCaption': 'How the score is made',
  'r.dimension': 'Dimension',
  'r.weight': 'Weight',
  'r.score': 'Score',
  'r.rowsAffected': 'Rows affected',
  'r.affectedOf': '{n} of {of}',
  'r.findings': 'Findings',
  'r.noFindings': 'No findings across the files.',
  'r.rowsBehind': 'Rows: {rows}',
  'r.timings': 'Computed in {total}',
  'r.variants': 'Spellings: {list}',
  'r.rowsSummary': '{read, plural, one {# row} other {# rows}} read, {used} used, {rejected} rejected',
  'r.rejectedRows': 'Rejected rows',
  'r.skippedRows': 'Skipped rows',
  'r.warnings': 'Warnings',
  'r.lines': 'lines {list}',
  'r.example': 'e.g. line {line}: ',
  'r.in': ' in “{header}”',
  'r.delimiter': 'delimiter “{d}”',
  'r.tab': 'tab',
  'r.sheet': 'sheet “{s}”',
  'r.inferred': 'inferred from the stage order',
  'r.notAvailable': 'not available',
  // stage conversion as a funnel, and the pipeline in time (report.history)
  'r.reached': 'Reached',
  'r.wentOn': 'Went on',
  'r.conversionByOwner': 'Stage conversion by owner: the rate of each step (went on / reached)',
  'r.allOwners': 'All owners',
  'r.conversionLine': 'Stage conversion, deals that reached each step: {steps}.',
  'r.historyTitle': 'The pipeline in time',
  'r.noHistory': 'Add a stage history export (Salesforce Opportunity History, HubSpot deal stage history) to see the days deals spend in each stage, the bottleneck, stuck deals and slipped close dates.',
  'r.historyIntro': 'From the stage and field history of {deals, plural, one {# deal} other {# deals}}.',
  'r.bottleneck': 'bottleneck',
  'r.wonDeals': 'Won deals',
  'r.wonMedian': 'Won: median days',
  'r.wonP75': 'Won: P75',
  'r.wonP90': 'Won: P90',
  'r.lostDeals': 'Lost deals',
  'r.lostMedian': 'Lost: median days',
  'r.lostP75': 'Lost: P75',
  'r.lostP90': 'Lost: P90',
  'r.openNow': 'Open now',
  'r.openMedian': 'Open: median days so far',
  'r.chartStageTime': 'Days in each stage: won vs lost deals (median)',
  'r.bottleneckNote': 'Bottleneck: {stage}, where won and lost deals spent the most time ({days} deal-days).',
  'r.noBottleneck': 'No bottleneck: the history shows too few closed deals per stage.',
  'r.days': 'Days',
  'r.stuckTitle': 'Stuck deals',
  'r.stuckLine': '{count} open deals ({amount}) have been in their stage longer than 75% of won deals were (the won P75); {judged} of {open} open deals could be judged.',
  'r.stuckNone': 'No open deal could be judged ({open} open deals): the history must show when each entered its stage, and enough won deals through it.',
  'r.deal': 'Deal',
  'r.daysInStage': 'Days in stage',
  'r.p75Won': 'Won P75 (days)',
  'r.closeDate': 'Close date',
  'r.entered': 'In stage since',
  'r.listedOf': '{listed} of {count} listed.',
  'r.moreDeals': '{n} more',
  'r.closeDatesTitle': 'Close dates',
  'r.slipLine': 'Slip rate {rate}: {pushed, plural, one {# closed deal had its} other {# closed deals had their}} close date pushed later at least once, measured from {measured} of {closed, plural, one {# closed deal} other {# closed deals}} (those whose history carries close dates); {pushes, plural, one {# push} other {# pushes}} in all, over {deals, plural, one {# deal} other {# deals}}.',
  'r.slipNone': 'No slip rate: the history carries no close dates of closed deals.',
  'r.amountLine': 'Amounts changed on {rate} of closed deals ({changed} of {measured} measured): {up} ended higher than they started, {down} lower.',
  'r.mostPushed': 'Most pushed deals',
  'r.slipSource': 'The slip the forecast uses: {source}.',
  'r.status': 'Status',
  'r.pushes': 'Pushes',
  'r.firstClose': 'First close date',
  'r.lastClose': 'Last close date',
  'r.daysMoved': 'Days moved',
  'status.open': 'Open',
  'status.won': 'Won',
  'status.lost': 'Lost',
  // what changed between two exports (report.snapshots.comparison)
  'r.changesTitle': 'What changed',
  'r.changesDates': '{from} → {to}, window {window}',
  'r.changesIntro': 'Exports of the same deals taken on different dates ({count} read): how the open pipeline closing from {start} to {end} moved between the earlier export and the later. Pick a bar, or its row in the table, to list its deals.',
  'r.changesWhole': 'These are the whole company’s figures, not the segment’s.',
  'r.chartWaterfall': 'Pipeline waterfall: from the earlier export to the later',
  'r.waterfallNote': 'Start − won − lost − pushed out − pulled earlier − removed + new + pulled in + reopened + increased − decreased = end.',
  'r.bar': 'Bar',
  'r.dealsN': '{n, plural, one {# deal} other {# deals}}',
  'r.barDealsLabel': 'Deals of the chosen bar',
  'r.barDealsTitle': '{bar}: {count, plural, one {# deal} other {# deals}}, {amount}',
  'r.barValue': 'In the bar',
  'r.barTotal': 'The {count, plural, one {# deal} other {# deals}} of this total are not listed one by one; the bars between start and end list the deals that changed.',
  'r.barNoDeals': 'No deal in this bar.',
  'bar.start': 'Start',
  'bar.won': 'Won',
  'bar.lost': 'Lost',
  'bar.pushed_out': 'Pushed out',
  'bar.pulled_earlier': 'Pulled earlier',
  'bar.removed': 'Removed',
  'bar.new': 'New',
  'bar.pulled_in': 'Pulled in',
  'bar.reopened': 'Reopened',
  'bar.increased': 'Increased',
  'bar.decreased': 'Decreased',
  'bar.end': 'End',
  'barNote.start': 'Open deals closing in the window, at the earlier export.',
  'barNote.won': 'Open and closing in the window at the earlier export, won by the later one.',
  'barNote.lost': 'Open and closing in the window at the earlier export, lost by the later one.',
  'barNote.pushed_out': 'Still open, their close date moved past the window (or cleared).',
  'barNote.pulled_earlier': 'Still open, their close date moved before the window.',
  'barNote.removed': 'In the earlier export, missing from the later one.',
  'barNote.new': 'Not in the earlier export; open and closing in the window in the later one.',
  'barNote.pulled_in': 'Open but closing outside the window at the earlier export; their close date moved into it.',
  'barNote.reopened': 'Closed at the earlier export; open and closing in the window at the later one.',
  'barNote.increased': 'Open in the window at both exports, for a larger amount.',
  'barNote.decreased': 'Open in the window at both exports, for a smaller amount.',
  'barNote.end': 'Open deals closing in the window, at the later export.',
  'r.byOwner': 'By owner',
  'r.noOwner': '(no owner)',
  'r.stageMoves': 'Stage moves',
  'r.movesLine': 'Of the deals open at both exports, {forward} moved forward one stage or more, {backward} moved back and {unchanged} stayed in their stage.',
  'r.fromStage': 'From',
  'r.toStage': 'To',
  'r.accuracyTitle': 'Forecast accuracy for {window}',
  'r.accLine': 'On {from} the CRM’s weighted forecast for {window} was {forecast} ({wonBefore} already won and {weighted} of weighted open pipeline); {won} was won by {to}: the forecast was {error}.',
  'r.accP50Line': 'revlens’s P50 from the same export was {p50}: {error}.',
  'r.accIncomplete': 'The window runs to {end} and the later export is from {to}: more may still be won, so the comparison is not final.',
  'r.accNoProbability': '{n} open deals had no probability in the CRM and count 0 in its forecast.',
  'r.accCrm': 'CRM weighted forecast on {date}',
  'r.accP50': 'revlens P50 on {date}',
  'r.accWon': 'Won, by {date}',
  'r.accWonSoFar': 'Won so far, by {date}',
  'r.accError': 'Error',
  'r.errExact': 'exactly right',
  'r.errNothingWon': '{amount} too high (nothing was won)',
  'r.errHigh': '{pct} too high ({amount} more than was won)',
  'r.errLow': '{pct} too low ({amount} less than was won)',
  'r.exportsTitle': 'The exports and their dates',
  'r.noComparison': '{count, plural, one {# export} other {# exports}} of the same deals, but none taken in or before the window to compare with the latest: check their dates, or choose another window.',
  'r.snapDate': 'Taken on',
  'r.snapDatedBy': 'Dated by',
  'r.snapRole': 'Compared',
  'r.snapEarlier': 'earlier',
  'r.snapLater': 'later (the report’s)',
  'r.snapDateOf': 'Date {file} was taken',
  'dated.given': 'you',
  'dated.file_name': 'its name',
  'dated.generated_line': 'its “Generated” line',
  'dated.latest_event': 'its latest change',
  'r.compareHint': 'Correct an export’s date, or choose the earlier export and the window, then compare again.',
  'r.compareFrom': 'Compare with',
  'r.windowStart': 'Window from',
  'r.windowEnd': 'to',
  'r.applyCompare': 'Compare',
  // kinds and sources
  'kind.deals': 'Deals',
  'kind.leads': 'Leads',
  'kind.stage_history': 'Stage history',
  'kind.revenue_lines': 'Subscriptions / invoices',
  'kind.spend': 'Spend',
  'kind.quotas': 'Quotas',
  'kind.other_income': 'Other income',
  'source.salesforce': 'Salesforce',
  'source.hubspot': 'HubSpot',
  'source.pipedrive': 'Pipedrive',
  'source.zoho': 'Zoho',
  'source.billing': 'Billing system',
  'source.generic': 'Generic table',
  'step.lead': 'Lead',
  'step.mql': 'MQL',
  'step.sql': 'SQL',
  'step.opportunity': 'Opportunity',
  'step.customer': 'Customer',
};

const TH = {
  'page.skip': 'ข้ามไปที่รายงาน',
  'page.tagline': 'มุมมอง SalesOps และ RevOps จากไฟล์ส่งออกของ CRM ของคุณ',
  'page.privacyTitle': 'ออกแบบมาเพื่อความเป็นส่วนตัว:',
  'page.privacy':
    'ไฟล์ของคุณไม่เคยออกจากเบราว์เซอร์นี้ revlens อ่านไฟล์ที่นี่ด้วย WebAssembly และหน้านี้ไม่ได้รับอนุญาตให้เชื่อมต่อที่ใดนอกจากต้นทางของตัวเอง (Content-Security-Policy connect-src \'self\'): ไม่มีการอัปโหลด จัดเก็บ หรือติดตาม และใช้งานแบบออฟไลน์ได้เมื่อโหลดแล้ว',
  'page.uploadTitle': 'วิเคราะห์ไฟล์ส่งออกของคุณเอง',
  'page.dropTitle': 'วางไฟล์ CSV หรือ XLSX ที่นี่ หรือเลือกไฟล์',
  'page.dropHint':
    'ดีล ลีด ประวัติสเตจ การสมัครสมาชิก ค่าใช้จ่าย โควตา รายได้อื่น — จาก Salesforce, HubSpot, Pipedrive, Zoho หรือตารางใดก็ได้ ครั้งละหลายไฟล์: ไฟล์ส่งออกดีลต่างวันที่กันจะแสดงว่าอะไรเปลี่ยนไประหว่างไฟล์',
  'page.useSample': 'กลับไปที่บริษัทตัวอย่าง',
  'page.language': 'ภาษา',
  'page.theme': 'ธีม',
  'page.themeAuto': 'ตามระบบ',
  'page.themeLight': 'สว่าง',
  'page.themeDark': 'มืด',
  'page.loadingEngine': 'กำลังโหลดเครื่องมือวิเคราะห์…',
  'page.engineFailed': 'โหลดเครื่องมือวิเคราะห์ไม่สำเร็จ',
  'page.noSample': 'บิลด์นี้ไม่มีข้อมูลตัวอย่าง: วางไฟล์ของคุณด้านบน',
  'page.sampleTitle': 'บริษัทตัวอย่าง',
  'page.yourFiles': 'ไฟล์ของคุณ',
  'page.analysed': '{title}: วิเคราะห์ {count} ไฟล์ในเบราว์เซอร์นี้แล้ว',
  'page.failed': 'วิเคราะห์ไฟล์เหล่านี้ไม่ได้ ข้อความด้านล่างบอกสาเหตุ',
  'page.readFailed': 'อ่านไฟล์ไม่ได้',
  'page.cancelled': 'ยกเลิกแล้ว รายงานก่อนหน้ายังแสดงอยู่',
  'page.crashed': 'การวิเคราะห์หยุดเพราะข้อผิดพลาดภายใน เครื่องมือถูกเริ่มใหม่แล้ว ลองอีกครั้งหรือตรวจสอบไฟล์',
  'page.cancel': 'ยกเลิก',
  'page.reading': 'กำลังอ่าน {file}: {bytes} จาก {total} ประมาณ {rows} แถว',
  'page.analysing': 'กำลังวิเคราะห์{count, missing, missing {ไฟล์} other { {count} ไฟล์}}…',
  'page.progressLabel': 'ความคืบหน้าการวิเคราะห์',
  'page.controls': 'มุมมอง',
  'page.grain': 'ช่วงเวลา',
  'page.month': 'เดือน',
  'page.quarter': 'ไตรมาส',
  'page.year': 'ปี',
  'page.fiscalStart': 'ปีงบประมาณเริ่มเดือน',
  'page.lens': 'เลนส์',
  'page.both': 'ทั้งสอง เทียบกัน',
  'page.filter': 'กลุ่ม',
  'page.spendTitle': 'ไม่มีไฟล์ค่าใช้จ่าย? พิมพ์ค่าใช้จ่ายฝ่ายขายและการตลาด (สำหรับ CAC)',
  'page.spendMonth': 'เดือน',
  'page.spendChannel': 'งบประมาณ',
  'page.marketing': 'การตลาด',
  'page.sales': 'ฝ่ายขาย',
  'page.spendAmount': 'จำนวนเงิน',
  'page.spendAdd': 'เพิ่มและคำนวณใหม่',
  'page.spendRemove': 'ลบ {month} {channel}',
  'page.all': 'ทั้งหมด',
  'page.export': 'ส่งออก',
  'page.exportJson': 'รายงาน (JSON)',
  'page.exportCsv': 'ตารางตัวชี้วัด (CSV)',
  'page.print': 'พิมพ์',
  'page.footer': 'revlens {version} · WebAssembly · ใช้งานออฟไลน์ได้เมื่อโหลดแล้ว',
  'page.error': 'ข้อผิดพลาด',
  'page.tooLarge':
    '{file}: ไฟล์เหล่านี้มีขนาด {size} เกินขีดจำกัด {limit} ที่หน้านี้วิเคราะห์ในเบราว์เซอร์ได้ ส่งออกให้มีคอลัมน์น้อยลงหรือช่วงวันที่สั้นลง หรือใช้เครื่องมือบรรทัดคำสั่ง revlens (ดู “When your data outgrows the browser” ใน README) วางไฟล์อื่นได้เลย',
  'page.tooLargeStatus': 'ไฟล์ใหญ่เกินกว่าที่เบราว์เซอร์จะรับได้ รายงานก่อนหน้ายังแสดงอยู่',
  'r.asOf': 'ณ วันที่ {date}',
  'r.currency': 'จำนวนเงินเป็น {currency}',
  'r.grain': 'อนุกรมราย{grain}',
  'r.files': 'ไฟล์ที่ตรวจพบ',
  'r.filesCaption': 'แต่ละไฟล์มีข้อมูลอะไร และใช้แถวไปกี่แถว',
  'r.file': 'ไฟล์',
  'r.kind': 'ประเภท',
  'r.source': 'แหล่งที่มา',
  'r.rowsRead': 'แถวที่อ่าน',
  'r.used': 'ใช้',
  'r.rejected': 'ปฏิเสธ',
  'r.mapping': 'การจับคู่คอลัมน์',
  'r.mappingHint': 'เลือกฟิลด์ที่คอลัมน์นั้นเก็บ แล้วกดใช้ “ไม่ใช้” จะตัดคอลัมน์ออก',
  'r.column': 'คอลัมน์',
  'r.header': 'หัวคอลัมน์',
  'r.field': 'ฟิลด์',
  'r.notUsed': '— ไม่ใช้ —',
  'r.applyMapping': 'ใช้การจับคู่',
  'map.title': 'จับคู่ {file}: ไฟล์นี้เก็บอะไร',
  'map.intro': 'revlens ไม่รู้จักไฟล์นี้จากหัวตาราง เลือกว่าไฟล์เก็บข้อมูลอะไรและฟิลด์ของแต่ละคอลัมน์ แถวด้านล่างแสดงตามที่เครื่องมืออ่าน การจับคู่จะถูกเก็บไว้ตลอดเซสชันนี้',
  'map.kind': 'ไฟล์นี้เก็บ',
  'map.preview': 'แถวแรก ๆ ตามที่อ่านได้',
  'map.line': 'บรรทัด',
  'map.rows': 'อ่าน {read} แถว: ใช้ {used} ปฏิเสธ {rejected}',
  'map.reading': 'กำลังอ่านไฟล์…',
  'map.apply': 'วิเคราะห์ด้วยการจับคู่นี้',
  'map.copy': 'คัดลอกเป็น JSON ของ --mapping',
  'map.copied': 'คัดลอกแล้ว',
  'map.cli': 'การจับคู่เดียวกันสำหรับ CLI:',
  'r.fileKind': 'ประเภทไฟล์',
  'r.compare': 'SalesOps | RevOps บนข้อมูลของคุณ',
  'r.compareIntro': 'บริษัทเดียวกัน สองคำถาม: ทีมขายขายได้ดีแค่ไหน และทั้งระบบเปลี่ยนลีดเป็นรายได้ที่คงอยู่ได้ดีแค่ไหน',
  'r.scope': 'ขอบเขต',
  'r.responsibilities': 'ความรับผิดชอบ',
  'r.metricsRow': 'ตัวชี้วัด',
  'r.audience': 'ผู้ใช้',
  'r.salesops': 'SalesOps',
  'r.revops': 'RevOps',
  'r.scopeSales': 'ดีล {deals} รายการในไปป์ไลน์การขาย (เปิดอยู่ {open}) เจ้าของดีล {owners} คน',
  'r.scopeRev': 'ลีด {leads} ราย {customers, missing, missing {ไม่มีข้อมูลลูกค้า} other {ลูกค้า {customers} ราย}} {files} ไฟล์: การตลาด การขาย และการดูแลลูกค้ารวมกัน',
  'r.scopeRevNoLeads': '{files} ไฟล์ ไม่มีไฟล์ลีดจึงไม่เห็นส่วนบนของกรวย',
  'r.respSales': 'ความสะอาดของไปป์ไลน์และการพยากรณ์: {pastDue, missing, missing {ไม่มีข้อมูลดีลเปิดที่เลยวันปิด} other {ดีลเปิด {pastDue} รายการเลยวันปิด ({pastDueAmount})}} {attainment, missing, missing {ไม่มีข้อมูลการบรรลุโควตา (ไม่มีไฟล์โควตา)} other {การบรรลุโควตา {attainment}}}',
  'r.respRev': 'แหล่งข้อมูลจริงเดียวและกรวยทั้งหมด: คุณภาพข้อมูล {quality, missing, missing {ไม่มีข้อมูล} other {{quality} / 100}} {mktShare, missing, missing {ไม่มีข้อมูลสัดส่วนยอดขายจากการตลาด} other {แหล่งการตลาดคิดเป็น {mktShare} ของยอดขาย}}',
  'r.metricsSales': 'SalesOps เห็น{winRate, missing, missing {ว่าไม่มีข้อมูลอัตราชนะ} other {อัตราชนะ {winRate}}} {deal, missing, missing {ไม่มีข้อมูลดีลเฉลี่ย} other {ดีลเฉลี่ย {deal}}} {cycle, missing, missing {ไม่มีข้อมูลรอบการขาย} other {รอบการขายมัธยฐาน {cycle} วัน}}',
  'r.metricsRev': '{leadToCustomer, missing, missing {RevOps ยังไม่เห็นว่าลีดกลายเป็นลูกค้าในสัดส่วนเท่าใด} other {RevOps เห็นว่าลีดเพียง {leadToCustomer} กลายเป็นลูกค้า}} และ{nrr, missing, missing {ไม่มีข้อมูล NRR} other { NRR เท่ากับ {nrr}}}',
  'r.audienceSales': 'ผู้นำฝ่ายขายและพนักงานขาย {owners} คนในตารางอันดับ',
  'r.audienceRev': 'CRO, CFO และ CEO การตลาดและการดูแลลูกค้า: MRR {mrr, missing, missing {ไม่มีข้อมูล} other {{mrr}}}, LTV:CAC {ltvCac, missing, missing {ไม่มีข้อมูล} other {{ltvCac}}}',
  'r.headline': 'ตัวเลขหลัก',
  'r.salesopsTitle': 'SalesOps: ทีมขายขายได้ดีแค่ไหน',
  'r.revopsTitle': 'RevOps: ทั้งระบบเปลี่ยนลีดเป็นรายได้ที่คงอยู่อย่างไร',
  'r.segmentNote': 'กลุ่ม {dim} = {value}: ตัวเลขจากการแยกย่อยในรายงาน',
  'r.notRead': 'อ่านไม่ได้ {count} ไฟล์ จึงไม่รวมในรายงานนี้:',
  'r.filterNote': 'กลุ่ม {what}: {kept} จาก {total} ดีล SalesOps ลีดเดอร์บอร์ด และการพยากรณ์เป็นของกลุ่มนี้ ส่วน RevOps และคุณภาพข้อมูลเป็นของทั้งบริษัท',
  'r.leaderboard': 'ตารางอันดับ',
  'r.owner': 'เจ้าของดีล',
  'r.bookings': 'ยอดขาย',
  'r.winRate': 'อัตราชนะ',
  'r.dealSize': 'ดีลเฉลี่ย',
  'r.cycle': 'รอบการขาย (มัธยฐานวัน)',
  'r.attainment': 'การบรรลุโควตา',
  'r.pipeline': 'ไปป์ไลน์เปิด',
  'r.commission': 'ค่าคอมมิชชัน',
  'r.needs': 'ต้องมี{what}',
  'r.missingTitle': 'ไม่ได้คำนวณ (ขาดไฟล์)',
  'r.undefinedTitle': 'ไม่นิยามบนข้อมูลนี้',
  'r.noData': 'ไม่มีข้อมูลสำหรับแผนภูมินี้',
  'r.tableAlt': 'ตาราง: {title}',
  'r.period': 'ช่วงเวลา',
  'r.value': 'ค่า',
  'r.forecast': 'พยากรณ์',
  'r.actual': 'จริง',
  'r.lo80': 'ต่ำ 80%',
  'r.hi80': 'สูง 80%',
  'r.lo95': 'ต่ำ 95%',
  'r.hi95': 'สูง 95%',
  'r.fcHow': 'วิธีพยากรณ์: {how}',
  'r.fcBlend': 'ผสมผลพยากรณ์จาก{methods}',
  'r.fcListSep': ' ',
  'r.fcAnd': ' และ',
  'r.fcMethod.ets': 'การปรับเรียบแบบเอ็กซ์โพเนนเชียล (ให้น้ำหนักช่วงล่าสุดมากที่สุด)',
  'r.fcMethod.theta': 'วิธีธีตา (ระดับที่ปรับเรียบแล้วกับแนวโน้มระยะยาว)',
  'r.fcMethod.arima': 'แบบจำลอง ARIMA (รูปแบบของการเปลี่ยนแปลงในอดีต)',
  'r.fcMethod.snaive': 'ค่าของช่วงเดียวกันเมื่อปีก่อน',
  'r.fcMethod.naive': 'ค่าของช่วงล่าสุดซ้ำไปข้างหน้า',
  'r.fcMethod.drift': 'การเปลี่ยนแปลงเฉลี่ยในอดีตต่อไปข้างหน้า',
  'r.fcMethod.flat': 'เส้นคงที่',
  'r.fcBetter': 'เมื่อทดสอบกับข้อมูลในอดีตของตัวเอง คลาดเคลื่อนน้อยกว่าการใช้ตัวเลขของปีก่อนซ้ำ {pct}',
  'r.fcWorse': 'เมื่อทดสอบกับข้อมูลในอดีตของตัวเอง คลาดเคลื่อนมากกว่าการใช้ตัวเลขของปีก่อนซ้ำ {pct} ควรใช้อย่างระมัดระวัง',
  'r.fcSame': 'เมื่อทดสอบกับข้อมูลในอดีตของตัวเอง แม่นยำพอ ๆ กับการใช้ตัวเลขของปีก่อนซ้ำ',
  'r.fcUntested': 'ประวัติสั้นเกินกว่าจะทดสอบกับข้อมูลในอดีตของตัวเองได้',
  'r.fcBands': 'แถบสีคือช่วงที่ผลจริงควรตกอยู่ 80% และ 95% ของครั้ง',
  'r.fcDetails': '(รายละเอียด: {model}; MASE ทดสอบย้อนหลัง {mase}, seasonal naive {naive})',
  'r.fcDetailsModel': '(รายละเอียด: {model})',
  'r.noForecast': 'รายงานนี้ไม่มีการพยากรณ์ยอดขาย (บิลด์หรือข้อมูลนี้ไม่มี)',
  'r.chartBookings': 'ยอดขายต่อช่วงเวลา พร้อมพยากรณ์และช่วง 80% / 95%',
  'r.chartPipeline': 'ไปป์ไลน์เปิดตามสเตจ',
  'r.chartFunnel': 'กรวย: ลีด → MQL → SQL → โอกาส → ลูกค้า',
  'r.chartMrr': 'การเคลื่อนไหวของ MRR รายเดือน (waterfall)',
  'r.chartMrrMonthly': 'การเคลื่อนไหวของ MRR (แท่ง) และ MRR (เส้น) รายเดือน',
  'r.chartCohorts': 'การคงอยู่ตามกลุ่ม (ลูกค้าที่คงอยู่ % ของกลุ่ม)',
  'r.chartSources': 'ยอดขายตามแหล่งที่มาของลีด',
  'r.chartMonteCarlo': 'พยากรณ์ไปป์ไลน์: การแจกแจง Monte Carlo ของยอดขายในช่วงเวลา',
  'r.stage': 'สเตจ',
  'r.amount': 'จำนวนเงิน',
  'r.deals': 'ดีล',
  'r.weighted': 'ถ่วงน้ำหนัก',
  'r.step': 'ขั้น',
  'r.count': 'จำนวน',
  'r.conversion': 'อัตราแปลงต่อขั้น',
  'r.medianDays': 'มัธยฐานวัน',
  'r.month': 'เดือน',
  'r.startMrr': 'MRR ต้นเดือน',
  'r.new': 'ใหม่',
  'r.expansion': 'ขยาย',
  'r.reactivated': 'กลับมา',
  'r.contraction': 'ลดลง',
  'r.churned': 'เลิกใช้',
  'r.endMrr': 'MRR สิ้นเดือน',
  'r.cohort': 'กลุ่ม',
  'r.customers': 'ลูกค้า',
  'r.monthN': 'ด.{n}',
  'r.leadSource': 'แหล่งที่มาของลีด',
  'r.share': 'สัดส่วน',
  'r.mrrEstimated': 'MRR ประมาณจากดีลประเภทรายได้ประจำ (ไม่มีไฟล์การสมัครสมาชิก)',
  'r.p10': 'P10',
  'r.p50': 'P50',
  'r.p90': 'P90',
  'r.bin': 'ยอดขายจาก',
  'r.binTo': 'ถึง',
  'r.runs': 'จำนวนรอบ',
  'r.closedSoFar': 'ปิดแล้ว',
  'r.expected': 'คาดการณ์',
  'r.noMonteCarlo': 'รายงานนี้ไม่มีการพยากรณ์ไปป์ไลน์ (บิลด์หรือข้อมูลนี้ไม่มี)',
  'r.brier': 'ความน่าจะเป็นที่จะชนะเรียนรู้จากดีลที่ปิดแล้ว: Brier score {learned} บน {n} ตัวอย่างที่ตามมา เทียบกับ {crm} ของความน่าจะเป็นตามสเตจใน CRM (ยิ่งต่ำยิ่งดี)',
  'r.brierBase': 'ความน่าจะเป็นที่จะชนะเรียนรู้จากดีลที่ปิดแล้ว: Brier score {learned} บน {n} ตัวอย่างที่ตามมา เทียบกับ {base} ของอัตราชนะเฉลี่ย (ยิ่งต่ำยิ่งดี)',
  'r.quality': 'คุณภาพข้อมูล',
  'r.scoreCaption': 'คะแนนคำนวณอย่างไร',
  'r.dimension': 'มิติ',
  'r.weight': 'น้ำหนัก',
  'r.score': 'คะแนน',
  'r.rowsAffected': 'แถวที่ได้รับผลกระทบ',
  'r.affectedOf': '{n} จาก {of}',
  'r.findings': 'สิ่งที่พบ',
  'r.noFindings': 'ไม่พบปัญหาในไฟล์ใด',
  'r.rowsBehind': 'แถว: {rows}',
  'r.timings': 'คำนวณใน {total}',
  'r.variants': 'การสะกด: {list}',
  'r.rowsSummary': 'อ่าน {read} แถว ใช้ {used} ปฏิเสธ {rejected}',
  'r.rejectedRows': 'แถวที่ถูกปฏิเสธ',
  'r.skippedRows': 'แถวที่ข้าม',
  'r.warnings': 'คำเตือน',
  'r.lines': 'บรรทัด {list}',
  'r.example': 'เช่น บรรทัด {line}: ',
  'r.in': ' ใน “{header}”',
  'r.delimiter': 'ตัวคั่น “{d}”',
  'r.tab': 'แท็บ',
  'r.sheet': 'ชีต “{s}”',
  'r.inferred': 'อนุมานจากลำดับสเตจ',
  'r.notAvailable': 'ไม่มีข้อมูล',
  'r.reached': 'ไปถึง',
  'r.wentOn': 'ไปต่อ',
  'r.conversionByOwner': 'อัตราแปลงสเตจตามเจ้าของดีล: อัตราของแต่ละขั้น (ไปต่อ / ไปถึง)',
  'r.allOwners': 'ทุกคน',
  'r.conversionLine': 'อัตราแปลงสเตจ ดีลที่ไปถึงแต่ละขั้น: {steps}',
  'r.historyTitle': 'ไปป์ไลน์ตามเวลา',
  'r.noHistory': 'เพิ่มไฟล์ประวัติสเตจ (Salesforce Opportunity History หรือประวัติสเตจดีลของ HubSpot) เพื่อดูจำนวนวันที่ดีลอยู่ในแต่ละสเตจ คอขวด ดีลที่ค้าง และวันปิดที่ถูกเลื่อน',
  'r.historyIntro': 'จากประวัติสเตจและฟิลด์ของดีล {deals} รายการ',
  'r.bottleneck': 'คอขวด',
  'r.wonDeals': 'ดีลที่ชนะ',
  'r.wonMedian': 'ชนะ: มัธยฐานวัน',
  'r.wonP75': 'ชนะ: P75',
  'r.wonP90': 'ชนะ: P90',
  'r.lostDeals': 'ดีลที่แพ้',
  'r.lostMedian': 'แพ้: มัธยฐานวัน',
  'r.lostP75': 'แพ้: P75',
  'r.lostP90': 'แพ้: P90',
  'r.openNow': 'เปิดอยู่ตอนนี้',
  'r.openMedian': 'เปิดอยู่: มัธยฐานวันจนถึงตอนนี้',
  'r.chartStageTime': 'จำนวนวันในแต่ละสเตจ: ดีลที่ชนะเทียบกับดีลที่แพ้ (มัธยฐาน)',
  'r.bottleneckNote': 'คอขวด: {stage} ซึ่งดีลที่ชนะและแพ้ใช้เวลามากที่สุด ({days} ดีล-วัน)',
  'r.noBottleneck': 'ไม่มีคอขวด: ประวัติมีดีลที่ปิดแล้วในแต่ละสเตจน้อยเกินไป',
  'r.days': 'วัน',
  'r.stuckTitle': 'ดีลที่ค้าง',
  'r.stuckLine': 'ดีลเปิด {count} รายการ ({amount}) อยู่ในสเตจปัจจุบันนานกว่าที่ดีลที่ชนะ 75% เคยอยู่ (P75 ของดีลที่ชนะ) ประเมินได้ {judged} จาก {open} ดีลเปิด',
  'r.stuckNone': 'ประเมินดีลเปิดไม่ได้เลย ({open} ดีลเปิด): ประวัติต้องบอกว่าแต่ละดีลเข้าสเตจเมื่อใด และมีดีลที่ชนะผ่านสเตจนั้นมากพอ',
  'r.deal': 'ดีล',
  'r.daysInStage': 'วันในสเตจ',
  'r.p75Won': 'P75 ของดีลที่ชนะ (วัน)',
  'r.closeDate': 'วันปิด',
  'r.entered': 'อยู่ในสเตจตั้งแต่',
  'r.listedOf': 'แสดง {listed} จาก {count} รายการ',
  'r.moreDeals': 'อีก {n} รายการ',
  'r.closeDatesTitle': 'วันปิดดีล',
  'r.slipLine': 'อัตราการเลื่อน {rate}: ดีลที่ปิดแล้ว {pushed} รายการถูกเลื่อนวันปิดออกไปอย่างน้อยหนึ่งครั้ง วัดจากดีลที่ปิดแล้ว {measured} จาก {closed} รายการ (ที่ประวัติมีวันปิด) เลื่อนรวม {pushes} ครั้งจากดีล {deals} รายการ',
  'r.slipNone': 'ไม่มีอัตราการเลื่อน: ประวัติไม่มีวันปิดของดีลที่ปิดแล้ว',
  'r.amountLine': 'มูลค่าเปลี่ยนไปใน {rate} ของดีลที่ปิดแล้ว ({changed} จาก {measured} รายการที่วัดได้): สูงกว่าตอนเริ่ม {up} รายการ ต่ำกว่า {down} รายการ',
  'r.mostPushed': 'ดีลที่ถูกเลื่อนบ่อยที่สุด',
  'r.slipSource': 'อัตราการเลื่อนที่การพยากรณ์ใช้: {source}',
  'r.status': 'สถานะ',
  'r.pushes': 'จำนวนครั้งที่เลื่อน',
  'r.firstClose': 'วันปิดแรก',
  'r.lastClose': 'วันปิดล่าสุด',
  'r.daysMoved': 'จำนวนวันที่เลื่อน',
  'status.open': 'เปิด',
  'status.won': 'ชนะ',
  'status.lost': 'แพ้',
  'r.changesTitle': 'อะไรเปลี่ยนไป',
  'r.changesDates': '{from} → {to} ช่วง {window}',
  'r.changesIntro': 'ไฟล์ส่งออกของดีลชุดเดียวกันต่างวันที่กัน (อ่าน {count} ไฟล์): ไปป์ไลน์เปิดที่จะปิดระหว่าง {start} ถึง {end} เปลี่ยนไปอย่างไรจากไฟล์ก่อนหน้าถึงไฟล์หลัง เลือกแท่งหรือแถวในตารางเพื่อดูรายการดีล',
  'r.changesWhole': 'ตัวเลขส่วนนี้เป็นของทั้งบริษัท ไม่ใช่ของกลุ่มนี้',
  'r.chartWaterfall': 'Waterfall ของไปป์ไลน์: จากไฟล์ก่อนหน้าถึงไฟล์หลัง',
  'r.waterfallNote': 'ต้นช่วง − ชนะ − แพ้ − เลื่อนออก − เลื่อนเร็วขึ้น − ถูกลบ + ใหม่ + เลื่อนเข้า + เปิดใหม่ + เพิ่มขึ้น − ลดลง = ปลายช่วง',
  'r.bar': 'แท่ง',
  'r.dealsN': '{n} ดีล',
  'r.barDealsLabel': 'ดีลของแท่งที่เลือก',
  'r.barDealsTitle': '{bar}: {count} ดีล {amount}',
  'r.barValue': 'ในแท่งนี้',
  'r.barTotal': 'ไม่ได้แสดงดีล {count} รายการของยอดรวมนี้ทีละรายการ แท่งระหว่างต้นช่วงและปลายช่วงแสดงดีลที่เปลี่ยนไป',
  'r.barNoDeals': 'ไม่มีดีลในแท่งนี้',
  'bar.start': 'ต้นช่วง',
  'bar.won': 'ชนะ',
  'bar.lost': 'แพ้',
  'bar.pushed_out': 'เลื่อนออก',
  'bar.pulled_earlier': 'เลื่อนเร็วขึ้น',
  'bar.removed': 'ถูกลบ',
  'bar.new': 'ใหม่',
  'bar.pulled_in': 'เลื่อนเข้า',
  'bar.reopened': 'เปิดใหม่',
  'bar.increased': 'เพิ่มขึ้น',
  'bar.decreased': 'ลดลง',
  'bar.end': 'ปลายช่วง',
  'barNote.start': 'ดีลเปิดที่จะปิดในช่วงนี้ ณ ไฟล์ก่อนหน้า',
  'barNote.won': 'เปิดอยู่และจะปิดในช่วงนี้ ณ ไฟล์ก่อนหน้า และชนะแล้วในไฟล์หลัง',
  'barNote.lost': 'เปิดอยู่และจะปิดในช่วงนี้ ณ ไฟล์ก่อนหน้า และแพ้แล้วในไฟล์หลัง',
  'barNote.pushed_out': 'ยังเปิดอยู่ แต่วันปิดถูกเลื่อนออกไปหลังช่วงนี้ (หรือถูกล้าง)',
  'barNote.pulled_earlier': 'ยังเปิดอยู่ แต่วันปิดถูกเลื่อนไปก่อนช่วงนี้',
  'barNote.removed': 'มีในไฟล์ก่อนหน้า แต่ไม่มีในไฟล์หลัง',
  'barNote.new': 'ไม่มีในไฟล์ก่อนหน้า เปิดอยู่และจะปิดในช่วงนี้ในไฟล์หลัง',
  'barNote.pulled_in': 'เปิดอยู่แต่จะปิดนอกช่วงนี้ ณ ไฟล์ก่อนหน้า วันปิดถูกเลื่อนเข้ามาในช่วง',
  'barNote.reopened': 'ปิดแล้ว ณ ไฟล์ก่อนหน้า กลับมาเปิดและจะปิดในช่วงนี้ในไฟล์หลัง',
  'barNote.increased': 'เปิดอยู่ในช่วงนี้ทั้งสองไฟล์ ด้วยมูลค่าที่สูงขึ้น',
  'barNote.decreased': 'เปิดอยู่ในช่วงนี้ทั้งสองไฟล์ ด้วยมูลค่าที่ต่ำลง',
  'barNote.end': 'ดีลเปิดที่จะปิดในช่วงนี้ ณ ไฟล์หลัง',
  'r.byOwner': 'ตามเจ้าของดีล',
  'r.noOwner': '(ไม่มีเจ้าของ)',
  'r.stageMoves': 'การเลื่อนสเตจ',
  'r.movesLine': 'ในดีลที่เปิดอยู่ทั้งสองไฟล์ {forward} รายการเลื่อนไปข้างหน้าอย่างน้อยหนึ่งสเตจ {backward} รายการถอยกลับ และ {unchanged} รายการอยู่สเตจเดิม',
  'r.fromStage': 'จาก',
  'r.toStage': 'ไปยัง',
  'r.accuracyTitle': 'ความแม่นยำของการพยากรณ์ช่วง {window}',
  'r.accLine': 'ณ {from} พยากรณ์ถ่วงน้ำหนักของ CRM สำหรับ {window} คือ {forecast} (ชนะแล้ว {wonBefore} และไปป์ไลน์เปิดถ่วงน้ำหนัก {weighted}) ชนะจริง {won} ถึง {to}: การพยากรณ์{error}',
  'r.accP50Line': 'P50 ของ revlens จากไฟล์เดียวกันคือ {p50}: {error}',
  'r.accIncomplete': 'ช่วงนี้สิ้นสุด {end} แต่ไฟล์หลังเป็นของวันที่ {to}: ยอดที่ชนะอาจยังเพิ่มขึ้น การเทียบนี้จึงยังไม่ใช่ผลสุดท้าย',
  'r.accNoProbability': 'ดีลเปิด {n} รายการไม่มีความน่าจะเป็นใน CRM จึงนับเป็น 0 ในการพยากรณ์',
  'r.accCrm': 'พยากรณ์ถ่วงน้ำหนักของ CRM ณ {date}',
  'r.accP50': 'P50 ของ revlens ณ {date}',
  'r.accWon': 'ชนะจริง ถึง {date}',
  'r.accWonSoFar': 'ชนะแล้วจนถึง {date}',
  'r.accError': 'ความคลาดเคลื่อน',
  'r.errExact': 'ตรงพอดี',
  'r.errNothingWon': 'สูงเกินไป {amount} (ไม่มีดีลที่ชนะ)',
  'r.errHigh': 'สูงเกินไป {pct} (มากกว่าที่ชนะจริง {amount})',
  'r.errLow': 'ต่ำเกินไป {pct} (น้อยกว่าที่ชนะจริง {amount})',
  'r.exportsTitle': 'ไฟล์ส่งออกและวันที่',
  'r.noComparison': 'มีไฟล์ส่งออกของดีลชุดเดียวกัน {count} ไฟล์ แต่ไม่มีไฟล์ที่ส่งออกในหรือก่อนช่วงเวลานี้ให้เทียบกับไฟล์ล่าสุด: ตรวจสอบวันที่ หรือเลือกช่วงเวลาอื่น',
  'r.snapDate': 'วันที่ส่งออก',
  'r.snapDatedBy': 'ที่มาของวันที่',
  'r.snapRole': 'ที่เทียบ',
  'r.snapEarlier': 'ก่อนหน้า',
  'r.snapLater': 'หลัง (ของรายงาน)',
  'r.snapDateOf': 'วันที่ส่งออก {file}',
  'dated.given': 'คุณกำหนด',
  'dated.file_name': 'ชื่อไฟล์',
  'dated.generated_line': 'บรรทัด “Generated”',
  'dated.latest_event': 'การเปลี่ยนแปลงล่าสุดในไฟล์',
  'r.compareHint': 'แก้วันที่ของไฟล์ส่งออก หรือเลือกไฟล์ก่อนหน้าและช่วงเวลา แล้วเทียบอีกครั้ง',
  'r.compareFrom': 'เทียบกับ',
  'r.windowStart': 'ช่วงตั้งแต่',
  'r.windowEnd': 'ถึง',
  'r.applyCompare': 'เทียบ',
  'kind.deals': 'ดีล',
  'kind.leads': 'ลีด',
  'kind.stage_history': 'ประวัติสเตจ',
  'kind.revenue_lines': 'การสมัครสมาชิก / ใบแจ้งหนี้',
  'kind.spend': 'ค่าใช้จ่าย',
  'kind.quotas': 'โควตา',
  'kind.other_income': 'รายได้อื่น',
  'source.billing': 'ระบบเรียกเก็บเงิน',
  'source.generic': 'ตารางทั่วไป',
  'step.lead': 'ลีด',
  'step.opportunity': 'โอกาสการขาย',
  'step.customer': 'ลูกค้า',
};

/** Metric labels: [English, Thai]. Ids not here are shown as they are. */
const METRICS = {
  bookings: ['Bookings', 'ยอดขาย (bookings)'],
  won_count: ['Won deals', 'ดีลที่ชนะ'],
  lost_count: ['Lost deals', 'ดีลที่แพ้'],
  open_count: ['Open deals', 'ดีลที่เปิดอยู่'],
  win_rate: ['Win rate', 'อัตราชนะ'],
  win_rate_value: ['Win rate (value)', 'อัตราชนะ (มูลค่า)'],
  avg_deal_size: ['Average deal size', 'ขนาดดีลเฉลี่ย'],
  sales_cycle_days_median: ['Sales cycle (median days)', 'รอบการขาย (มัธยฐานวัน)'],
  sales_cycle_days_mean: ['Sales cycle (mean days)', 'รอบการขาย (เฉลี่ยวัน)'],
  open_pipeline: ['Open pipeline', 'ไปป์ไลน์เปิด'],
  weighted_pipeline: ['Weighted pipeline', 'ไปป์ไลน์ถ่วงน้ำหนัก'],
  pipeline_created: ['Pipeline created', 'ไปป์ไลน์ที่สร้าง'],
  pipeline_coverage: ['Pipeline coverage', 'ความครอบคลุมไปป์ไลน์'],
  sales_velocity: ['Sales velocity (per day)', 'ความเร็วการขาย (ต่อวัน)'],
  quota_attainment: ['Quota attainment', 'การบรรลุโควตา'],
  past_due: ['Past-due open deals', 'ดีลเปิดที่เลยกำหนด'],
  past_due_amount: ['Past-due amount', 'มูลค่าที่เลยกำหนด'],
  stage_conversion: ['Stage conversion', 'อัตราแปลงสเตจ'],
  forecast_categories: ['Forecast categories', 'หมวดพยากรณ์'],
  forecast_rollup: ['Forecast roll-up', 'ผลรวมพยากรณ์'],
  open_pipeline_by_close_period: ['Open pipeline by close period', 'ไปป์ไลน์เปิดตามช่วงปิด'],
  leads_created: ['Leads created', 'ลีดที่สร้าง'],
  conversion_lead_to_customer: ['Lead → customer', 'ลีด → ลูกค้า'],
  conversion_lead_to_mql: ['Lead → MQL', 'ลีด → MQL'],
  conversion_mql_to_sql: ['MQL → SQL', 'MQL → SQL'],
  conversion_sql_to_opportunity: ['SQL → opportunity', 'SQL → โอกาส'],
  conversion_opportunity_to_customer: ['Opportunity → customer', 'โอกาส → ลูกค้า'],
  marketing_sourced_bookings: ['Marketing-sourced bookings', 'ยอดขายจากการตลาด'],
  marketing_sourced_share: ['Marketing-sourced share', 'สัดส่วนจากการตลาด'],
  cac: ['CAC', 'CAC'],
  cac_payback_months: ['CAC payback (months)', 'คืนทุน CAC (เดือน)'],
  mrr: ['MRR', 'MRR'],
  arr: ['ARR', 'ARR'],
  nrr: ['NRR', 'NRR'],
  grr: ['GRR', 'GRR'],
  logo_churn_rate: ['Logo churn', 'อัตราลูกค้าเลิกใช้'],
  logo_churn_rate_monthly_avg: ['Logo churn (monthly avg)', 'อัตราเลิกใช้ (เฉลี่ยต่อเดือน)'],
  clv: ['CLV', 'CLV'],
  ltv_to_cac: ['LTV:CAC', 'LTV:CAC'],
  total_revenue: ['Total revenue', 'รายได้รวม'],
  other_income: ['Other income', 'รายได้อื่น'],
  data_quality_score: ['Data quality score', 'คะแนนคุณภาพข้อมูล'],
  customers: ['Customers', 'ลูกค้า'],
  new_customers: ['New customers', 'ลูกค้าใหม่'],
  arpa: ['ARPA', 'ARPA'],
  sales_marketing_spend: ['Sales + marketing spend', 'ค่าใช้จ่ายขาย + การตลาด'],
  new_customer_mrr_avg: ['Avg new-customer MRR', 'MRR เฉลี่ยของลูกค้าใหม่'],
  funnel: ['Funnel', 'กรวย'],
  mrr_new: ['MRR new', 'MRR ใหม่'],
  mrr_expansion: ['MRR expansion', 'MRR ขยาย'],
  mrr_contraction: ['MRR contraction', 'MRR ลดลง'],
  mrr_churned: ['MRR churned', 'MRR เลิกใช้'],
  mrr_reactivated: ['MRR reactivated', 'MRR กลับมา'],
  revenue_growth_mom: ['Growth MoM', 'การเติบโต MoM'],
  revenue_growth_qoq: ['Growth QoQ', 'การเติบโต QoQ'],
  revenue_growth_yoy: ['Growth YoY', 'การเติบโต YoY'],
  stage_duration_days: ['Days in stage', 'จำนวนวันในสเตจ'],
  stage_bottleneck: ['Bottleneck (deal-days in stage)', 'คอขวด (ดีล-วันในสเตจ)'],
  stuck_deals: ['Stuck deals', 'ดีลที่ค้าง'],
  stuck_deals_amount: ['Stuck deals amount', 'มูลค่าดีลที่ค้าง'],
  close_date_pushes: ['Close-date pushes', 'การเลื่อนวันปิด'],
  slip_rate: ['Slip rate', 'อัตราการเลื่อนวันปิด'],
  amount_change_rate: ['Amount change rate', 'อัตราการเปลี่ยนมูลค่า'],
  pipeline_waterfall: ['Pipeline waterfall', 'Waterfall ของไปป์ไลน์'],
  stage_moves: ['Stage moves', 'การเลื่อนสเตจ'],
  forecast_accuracy: ['Forecast accuracy', 'ความแม่นยำของการพยากรณ์'],
  funnel_leads: ['Funnel: leads', 'กรวย: ลีด'],
  funnel_mql: ['Funnel: MQLs', 'กรวย: MQL'],
  funnel_sql: ['Funnel: SQLs', 'กรวย: SQL'],
  funnel_opportunity: ['Funnel: opportunities', 'กรวย: โอกาสการขาย'],
  funnel_customer: ['Funnel: customers', 'กรวย: ลูกค้า'],
  days_lead_to_mql_median: ['Lead → MQL (median days)', 'ลีด → MQL (มัธยฐานวัน)'],
  days_mql_to_sql_median: ['MQL → SQL (median days)', 'MQL → SQL (มัธยฐานวัน)'],
  days_sql_to_opportunity_median: ['SQL → opportunity (median days)', 'SQL → โอกาส (มัธยฐานวัน)'],
  days_opportunity_to_customer_median: ['Opportunity → customer (median days)', 'โอกาส → ลูกค้า (มัธยฐานวัน)'],
};

const DICTS = { en: EN, th: TH };

/** The dictionaries and the metric names, for the tests that check every string has both languages. */
export const MESSAGES = DICTS;
export const METRIC_NAMES = METRICS;

/** Plural rules per locale (Intl.PluralRules), made once. */
const PLURALS = new Map();
function pluralRules(lang) {
  if (!PLURALS.has(lang)) PLURALS.set(lang, new Intl.PluralRules(lang === 'th' ? 'th-TH' : 'en-US'));
  return PLURALS.get(lang);
}

/** A value the sentence cannot state: null, undefined or a number that is not finite. */
export const isMissing = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/** The index of the `}` closing the `{` at `open` (or the end of the text when it is not closed). */
function closing(s, open) {
  let depth = 0;
  for (let i = open; i < s.length; i += 1) {
    if (s[i] === '{') depth += 1;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return s.length;
}

/** `one {…} other {…} missing {…}` → { one: '…', other: '…', missing: '…' }. */
function branches(s) {
  const out = {};
  const re = /\s*(=?[\w-]+)\s*\{/g;
  let m;
  while ((m = re.exec(s))) {
    const open = m.index + m[0].length - 1;
    const end = closing(s, open);
    out[m[1]] = s.slice(open + 1, end);
    re.lastIndex = end + 1;
  }
  return out;
}

/** The number a value stands for when choosing a plural form ("1,204" → 1204, "1 %" → 1). */
function numberOf(v) {
  if (typeof v === 'number') return v;
  const n = Number(String(v).replace(/[^\d.\-]/g, ''));
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Fills a template. `{name}` is the value as text; a missing value (null, undefined, NaN) reads
 * as the language's "not available". `{name, plural, one {# file} other {# files}}` picks the
 * form by Intl.PluralRules (`=0` and `=1` first when given), `#` being the value as given;
 * `{name, missing, missing {…} other {…}}` and a `missing {…}` form in a plural say a missing
 * value in words of their own.
 */
function fill(template, vars, lang, dict) {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const end = closing(template, open);
    const body = template.slice(open + 1, end);
    i = end + 1;
    const m = /^(\w+)\s*(?:,\s*(plural|missing)\s*,([\s\S]*))?$/.exec(body);
    if (!m) {
      out += `{${body}}`;
      continue;
    }
    const [, name, kind, rest] = m;
    const value = vars[name];
    const absent = !(name in vars) ? null : isMissing(value);
    if (!kind) {
      out += absent === null ? `{${name}}` : absent ? (dict['r.notAvailable'] ?? EN['r.notAvailable']) : String(value);
      continue;
    }
    const forms = branches(rest);
    let form;
    if (absent !== false) form = 'missing' in forms ? 'missing' : 'other';
    else if (kind === 'plural') {
      const n = numberOf(value);
      form = `=${n}` in forms ? `=${n}` : pluralRules(lang).select(n);
      if (!(form in forms)) form = 'other';
    } else form = 'other';
    const chosen = forms[form] ?? '';
    const shown = absent !== false ? (dict['r.notAvailable'] ?? EN['r.notAvailable']) : String(value);
    out += fill(kind === 'plural' ? chosen.replaceAll('#', shown) : chosen, vars, lang, dict);
  }
  return out;
}

/** The translator for a language: t(key, vars) → string (English when Thai lacks the key). */
export function translator(lang) {
  const dict = DICTS[lang] ?? EN;
  const code = DICTS[lang] ? lang : 'en';
  const t = (key, vars = {}) => {
    const template = dict[key] ?? EN[key] ?? key;
    return fill(template, vars, dict[key] !== undefined ? code : 'en', dict);
  };
  t.lang = code;
  t.metric = (id) => METRICS[id]?.[t.lang === 'th' ? 1 : 0] ?? String(id).replaceAll('_', ' ');
  t.has = (key) => key in dict || key in EN;
  return t;
}

/** Ratios read as "4.9×" rather than as a percentage. */
const MULTIPLES = new Set(['ltv_to_cac', 'pipeline_coverage']);

/** Intl formatters for a language and currency. */
export function formatter(lang, currency) {
  const locale = lang === 'th' ? 'th-TH' : 'en-US';
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  let money = null;
  let moneyCompact = null;
  if (/^[A-Z]{3}$/.test(currency ?? '')) {
    try {
      money = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
      moneyCompact = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
    } catch {
      money = null; // an unknown code: plain numbers with the code after them
    }
  }
  const missing = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
  const f = {
    locale,
    integer: (v) => (missing(v) ? '—' : integer.format(v)),
    decimal: (v) => (missing(v) ? '—' : decimal.format(v)),
    percent: (v) => (missing(v) ? '—' : percent.format(v)),
    compact: (v) => (missing(v) ? '—' : compact.format(v)),
    // A no-break space (as Intl puts between a code and a number) keeps "1,234 XYZ" one unit.
    money: (v) => (missing(v) ? '—' : money ? money.format(v) : `${integer.format(v)}${currency ? `\u00a0${currency}` : ''}`),
    moneyCompact: (v) => (missing(v) ? '—' : moneyCompact ? moneyCompact.format(v) : compact.format(v)),
    bytes: (v) => {
      if (missing(v)) return '—';
      const units = ['B', 'kB', 'MB', 'GB'];
      let i = 0;
      let n = v;
      while (n >= 1000 && i < units.length - 1) {
        n /= 1000;
        i += 1;
      }
      return `${decimal.format(n)}\u00a0${units[i]}`;
    },
    date: (iso) => {
      const d = /^\d{4}-\d{2}-\d{2}$/.test(iso ?? '') ? new Date(`${iso}T00:00:00Z`) : null;
      return d && !Number.isNaN(d.getTime())
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
        : String(iso ?? '—');
    },
    /** A period (2024-03, 2024-Q1) for running text: a word joiner after its hyphen keeps it on one line. */
    period: (p) => String(p ?? '—').replaceAll('-', '-\u2060'),
    monthName: (m) => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, m - 1, 1))),
  };
  /** A metric value in its unit; `id` picks multiples (LTV:CAC, coverage) over percentages. */
  f.value = (value, unit, id) => {
    if (MULTIPLES.has(id)) return missing(value) ? '—' : `${decimal.format(value)}×`;
    switch (unit) {
      case 'count':
        return f.integer(value);
      case 'currency':
        return f.money(value);
      case 'currency_per_day':
        return f.money(value);
      case 'ratio':
        return f.percent(value);
      case 'score':
        return f.decimal(value);
      default:
        return f.decimal(value);
    }
  };
  return f;
}
