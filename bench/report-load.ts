import { statSync } from 'node:fs';
import { launchBrowser, openReport } from '../test/browser/browser.js';

/**
 * How big an HTML report is and how long Chromium (headless, this machine) takes to open it: from
 * navigation start to the end of the load event, by which the page's scripts have drawn every
 * chart (uPlot draws as a chart is made). Each run opens the file in a fresh tab; the median of
 * --runs is printed. Usage: node dist/bench/report-load.js FILE [--runs 5]
 */
const [file, ...rest] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node dist/bench/report-load.js FILE [--runs 5]');
const runsAt = rest.indexOf('--runs');
const runs = runsAt >= 0 ? Number(rest[runsAt + 1]) : 5;

const { browser, close } = await launchBrowser();
const loadMs: number[] = [];
let charts = 0;
for (let run = 0; run < runs; run++) {
  const { page, log } = await openReport(browser, file);
  if (log.errors.length > 0 || log.requests.length > 0) throw new Error(`${file}: ${JSON.stringify(log)}`);
  loadMs.push((await page.evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`)) as number);
  charts = (await page.evaluate('window.__charts.length')) as number;
  await page.close();
}
await close();
loadMs.sort((a, b) => a - b);
const median = loadMs[Math.floor(loadMs.length / 2)] as number;
process.stdout.write(`${file}: ${statSync(file).size} bytes, ${charts} charts, opened in ${median.toFixed(0)} ms (median of ${runs}; all ${loadMs.map((ms) => ms.toFixed(0)).join(', ')})\n`);
