import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyWarnings, runCli, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';
import { chartPixels, launchBrowser, openReport, type PageLog } from './browser.js';
import { IMG_NAME, SCENARIO_NAME, SCRIPT_NAME, writeHostileInputs } from './hostile-inputs.js';

/** Screenshots of each report, for a person to look at (git-ignored). */
const SHOTS = join(ROOT, 'test-output');

type Json = Record<string, any>;

let folder = '';
let browser: Browser;
let closeBrowser: () => Promise<void> = async () => {};
const json: Record<string, Json> = {};

/** Runs a command with --json and --html (and --xlsx where it has one); keeps its JSON under `name`. */
function report(kind: string, args: string[], inputs: { cdrs: string; scenario: string }, name = kind): void {
  const run = runCli([kind, '--cdrs', inputs.cdrs, '--scenario', inputs.scenario, ...args, '--json', '--html', join(folder, `${name}.html`)]);
  expect(onlyWarnings(run.stderr)).toBe('');
  expect(run.code).toBe(0);
  json[name] = JSON.parse(run.stdout) as Json;
}

/** The hostile scenario changed by `edit`, saved under the same name in its own folder. */
function variant(inputs: { cdrs: string; scenario: string }, name: string, edit: (scenario: Json) => void): { cdrs: string; scenario: string } {
  const scenario = JSON.parse(readFileSync(inputs.scenario, 'utf8')) as Json;
  scenario.rating.rates = [join(folder, 'rates.csv')];
  edit(scenario);
  mkdirSync(join(folder, name));
  writeFileSync(join(folder, name, SCENARIO_NAME), JSON.stringify(scenario));
  return { cdrs: inputs.cdrs, scenario: join(folder, name, SCENARIO_NAME) };
}

beforeAll(async () => {
  folder = tempFolder();
  const inputs = writeHostileInputs(folder);
  // 14 months from the scenario's start: the card fails from 2026-12 and calls drop in 2027-02.
  const trials = ['--horizon', '14', '--trials', '30', '--seed', '7'];
  report('replay', [], inputs);
  report('forecast', trials, inputs);
  // 12 months (the default): over 14, lots bought at the start expire before the end and no amount suffices.
  report('recommend', ['--trials', '30', '--seed', '7'], inputs);
  report('sweep', [...trials, '--trigger', '0:40:10', '--amount', '50:150:50', '--mode', 'with,to', '--initial', '50'], inputs);
  const postpaid = variant(inputs, 'postpaid', (scenario) => {
    scenario.billing = 'postpaid';
    scenario.credits = { licensed: 'all' };
  });
  report('replay', [], postpaid, 'replay-postpaid');
  report('forecast', ['--trials', '30', '--seed', '7'], postpaid, 'forecast-postpaid');
  report('recommend', ['--trials', '30', '--seed', '7'], postpaid, 'recommend-postpaid');
  // No top-up and purchases from 10.00: the answer is above the minimum, so a tenth less can be tried.
  const small = variant(inputs, 'small', (scenario) => {
    delete scenario.credits.topups;
    scenario.credits.minimumPurchase = '10.00';
  });
  report('recommend', ['--trials', '30', '--seed', '7'], small, 'recommend-tenth');
  ({ browser, close: closeBrowser } = await launchBrowser());
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await closeBrowser();
});

/** Opens a report, hovers its first chart, opens every table, saves a screenshot; returns what a person would see. */
async function look(kind: string): Promise<{ page: Page; log: PageLog; text: string; data: Json; pixels: { title: string; pixels: number }[]; hovered: string }> {
  const { page, log } = await openReport(browser, join(folder, `${kind}.html`));
  const pixels = await chartPixels(page);
  const over = await page.$('.u-over');
  const box = await over?.boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
  const hovered = (await page.evaluate(`(document.querySelector('.uplot .u-legend') || { innerText: '' }).innerText`)) as string;
  await page.screenshot({ path: join(SHOTS, `${kind}.png`), clip: { x: 0, y: 0, width: 1150, height: 1500 } });
  await page.evaluate(`document.querySelectorAll('details').forEach(function (d) { d.open = true; })`);
  const text = (await page.evaluate('document.body.innerText')) as string;
  const data = JSON.parse((await page.evaluate(`document.getElementById('report-data').textContent`)) as string) as Json;
  return { page, log, text, data, pixels, hovered };
}

/** What every report must do: nothing leaves the page, nothing fails, every chart drew, hovering shows a value, inputs stay text. */
async function expectSound(seen: Awaited<ReturnType<typeof look>>, charts: number): Promise<void> {
  expect(seen.log.errors).toEqual([]);
  expect(seen.log.requests).toEqual([]);
  expect(seen.log.dialogs).toEqual([]);
  expect(seen.pixels.length).toBe(charts);
  for (const chart of seen.pixels) expect(chart.pixels, chart.title).toBeGreaterThan(2000);
  if (charts > 0) expect(seen.hovered).toMatch(/\d/);
  // Only the page's own elements: uPlot, the shared script and the report's, and the data.
  expect(await seen.page.evaluate(`document.scripts.length`)).toBe(4);
  expect(await seen.page.evaluate(`document.querySelectorAll('img, b, i').length`)).toBe(0);
  expect(seen.text).toContain(`Scenario ${SCENARIO_NAME}`);
  const policy = (await seen.page.evaluate(`document.querySelector('meta[http-equiv]').content`)) as string;
  expect(policy).toContain("default-src 'none'");
  expect(policy).not.toContain("script-src 'unsafe-inline'");
  await seen.page.close();
}

const totalOf = (page: Page, label: string) => page.evaluate(`document.querySelector('dd[data-total="${label}"]').textContent`);

describe('HTML reports in a real browser (Chromium, headless)', () => {
  it('replay: header totals and data are the --json document; charts drawn; hostile names shown as text', async () => {
    const seen = await look('replay');
    const document = json.replay as Json;
    expect(seen.data.report).toEqual(document);
    // funded 100.00 = spent 100.26 + forfeited 0.00 + closing -0.26 (the sample's summary: an overdraft)
    expect(await totalOf(seen.page, 'funded (USD)')).toBe('100.00');
    expect(await totalOf(seen.page, 'closing')).toBe('-0.26');
    expect(await totalOf(seen.page, 'spent')).toBe(document.credits.spent);
    expect(await totalOf(seen.page, 'forfeited')).toBe(document.credits.forfeited);
    expect(await totalOf(seen.page, 'closing')).toBe(document.credits.closing);
    expect(await totalOf(seen.page, 'drops')).toBe(String(document.drops));
    expect(seen.text).toContain(IMG_NAME);
    expect(seen.text).toContain(SCRIPT_NAME);
    // Spend by service adds up to each month's spent, to the micro.
    const series = seen.data.series as Json;
    for (const month of document.months as Json[]) {
      const byService = (series.spendByService as Json[]).find((row) => row.month === month.month);
      const micros = byService === undefined ? 0 : byService.outboundMicros + byService.dialoutMicros + byService.tollfree_inMicros;
      expect(micros, month.month).toBe(Math.round(Number(month.spent) * 1e6));
    }
    // The one hostile row: rejected, and its detail (which quotes the number) shown as text.
    expect(document.rejects.byReason).toEqual({ 'bad-number': 1 });
    // Balance, spend by month, pools, top destinations, top users, reconciliation, rejects.
    await expectSound(seen, 7);
  });

  it('forecast: first-drop figures are the --json ones; fan, months, first drops and pools drawn', async () => {
    const seen = await look('forecast');
    const document = json.forecast as Json;
    expect(seen.data.report).toEqual(document);
    expect(await totalOf(seen.page, 'first drop P50')).toBe(document.firstDrop.p50);
    expect(document.firstDrop.share).toBeGreaterThan(0);
    await expectSound(seen, 4);
  });

  it('recommend: the answer and its explanation, with the worst trials drawn', async () => {
    const seen = await look('recommend');
    const document = json.recommend as Json;
    expect(seen.data.report).toEqual(document);
    expect(document.initial.noRecharge).not.toBeNull();
    expect(await totalOf(seen.page, 'initial, no auto-recharge (USD)')).toBe(document.initial.noRecharge);
    for (const line of document.explanation as string[]) expect(seen.text).toContain(line);
    // One worst trial per answer: without auto-recharge and with the scenario's.
    await expectSound(seen, 2);
  });

  it('sweep: every cell in the sortable table, the frontier marked, heat maps shown', async () => {
    const seen = await look('sweep');
    const document = json.sweep as Json;
    expect(seen.data.report).toEqual(document);
    const cells = document.cells as Json[];
    expect(await seen.page.evaluate(`document.querySelectorAll('table.heat').length`)).toBe(4);
    const rowsBefore = (await seen.page.evaluate(`Array.from(document.querySelectorAll('section')).find(function (s) { return s.querySelector('h2').textContent === 'Every cell'; }).querySelectorAll('tbody tr').length`)) as number;
    expect(rowsBefore).toBe(cells.length);
    // Sorting by average balance puts the least money tied up first.
    const least = [...cells].sort((a, b) => Number(a.balanceAvg) - Number(b.balanceAvg))[0] as Json;
    const firstAfterSort = await seen.page.evaluate(`(function () {
      var box = Array.from(document.querySelectorAll('section')).find(function (s) { return s.querySelector('h2').textContent === 'Every cell'; });
      var headers = Array.from(box.querySelectorAll('th'));
      var column = headers.findIndex(function (th) { return th.textContent === 'balanceAvg'; });
      headers[column].click();
      return box.querySelector('tbody tr').children[column].textContent;
    })()`);
    expect(firstAfterSort).toBe(least.balanceAvg);
    await expectSound(seen, 1);
  });

  it('an --html that is an input is refused before anything is read, by every command', () => {
    for (const kind of ['replay', 'forecast', 'recommend', 'sweep']) {
      const grid = kind === 'sweep' ? ['--trigger', '10', '--amount', '50'] : [];
      const run = runCli([kind, '--cdrs', join(folder, 'pstn-usage.csv'), '--scenario', join(folder, SCENARIO_NAME), ...grid, '--html', join(folder, 'rates.csv')]);
      expect(run.code, kind).toBe(2);
      expect(run.stderr, kind).toContain(`--html: ${join(folder, 'rates.csv')} is the same file as the input`);
    }
  });

  it('a report stays small: the sample replay is under 300 KB (uPlot inline is about 50 KB)', () => {
    expect(statSync(join(folder, 'replay.html')).size).toBeLessThan(300_000);
    expect(readFileSync(join(folder, 'replay.html'), 'utf8')).not.toContain(SCRIPT_NAME);
  });
});

/** A chart's data columns as uPlot holds them, by its title. */
const chartData = (page: Page, title: string) => page.evaluate(`window.__charts.filter(function (c) { return c.title === ${JSON.stringify(title)}; })[0].plot.data`) as Promise<(number | null)[][]>;
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('Notices and postpaid tenants in the HTML reports', () => {
  it('replay: the vendor\'s notifications in the header and a table, pool-80 marked on the burn-down', async () => {
    const seen = await look('replay');
    const notices = (json.replay as Json).notifications as Record<string, { count: number; first: string }>;
    // The sample: 9 pools reach 80% drawn (the first 2026-01-19), 2 run out (the first 2026-05-29);
    // the card fails 3 times from 2026-09, and the balance goes below zero once, on 2026-11-02.
    expect(notices).toEqual({
      'pool-80': { count: 9, first: '2026-01-19T16:57:34Z' },
      'pool-100': { count: 2, first: '2026-05-29T17:55:20Z' },
      'recharge-failed': { count: 3, first: '2026-09-11T09:21:30Z' },
      'balance-below-zero': { count: 1, first: '2026-11-02T14:57:00Z' },
    });
    expect(await totalOf(seen.page, 'pool-80 notices')).toBe('9, first 2026-01-19T16:57:34Z');
    expect(await totalOf(seen.page, 'pool-100 notices')).toBe('2, first 2026-05-29T17:55:20Z');
    expect(await totalOf(seen.page, 'balance-below-zero notices')).toBe('1, first 2026-11-02T14:57:00Z');
    expect(seen.text).toMatch(/pool-100\t2\t2026-05-29T17:55:20Z\ta minute pool ran out/);
    expect(seen.text).toMatch(/balance-below-zero\t1\t2026-11-02T14:57:00Z\tthe credits balance went below zero/);
    // The last two series of the burn-down: pool-100 marks at 0 minutes left, pool-80 marks at a fifth of the pool.
    const pools = await chartData(seen.page, 'Pool minutes left');
    const marks = (column: (number | null)[] | undefined) => (column ?? []).filter((value) => value !== null);
    expect(marks(pools[pools.length - 2]).length).toBeGreaterThan(0);
    expect(marks(pools[pools.length - 2]).every((value) => value === 0)).toBe(true);
    expect(marks(pools[pools.length - 1]).length).toBeGreaterThan(0);
    await expectSound(seen, 7);
  });

  it('replay of a postpaid tenant: invoices per month stacked by service, the header totals the invoices of --json', async () => {
    const seen = await look('replay-postpaid');
    const document = json['replay-postpaid'] as Json;
    expect(seen.data.report).toEqual(document);
    const invoices = document.invoices as Json[];
    const totalCents = invoices.reduce((sum, invoice) => sum + cents(invoice.amount), 0);
    expect(await totalOf(seen.page, 'invoiced (USD)')).toBe((totalCents / 100).toFixed(2));
    expect(await totalOf(seen.page, 'invoices')).toBe(String(invoices.length));
    expect(seen.text).not.toContain('Balance over time');
    // Each bar's top is its month's invoice; its outbound part is the split's outbound lines.
    const bars = await chartData(seen.page, 'Invoice per month by service (USD) and pool minutes');
    expect((bars[1] as number[]).map((value) => Math.round(value * 100))).toEqual(invoices.map((invoice) => cents(invoice.amount)));
    const outbound = invoices.map((invoice) => (invoice.split as Json[]).filter((line) => line.service === 'outbound').reduce((sum, line) => sum + cents(line.amount), 0));
    expect((bars[3] as number[]).map((value) => Math.round(value * 100))).toEqual(outbound);
    // Invoices by service, pools, top destinations, top users, reconciliation, rejects.
    await expectSound(seen, 6);
  });

  it('forecast of a postpaid tenant: each month\'s invoice P5/P50/P95, the horizon total in the header', async () => {
    const seen = await look('forecast-postpaid');
    const document = json['forecast-postpaid'] as Json;
    expect(seen.data.report).toEqual(document);
    expect(await totalOf(seen.page, 'invoices total P5 (USD)')).toBe(document.invoices.total.p5);
    expect(await totalOf(seen.page, 'invoices total P50')).toBe(document.invoices.total.p50);
    expect(await totalOf(seen.page, 'invoices total P95')).toBe(document.invoices.total.p95);
    const months = document.invoices.months as Json[];
    // The default horizon: 12 months from the scenario's start.
    expect(months.length).toBe(12);
    const fan = await chartData(seen.page, 'Invoice P5 / P50 / P95 per month (USD)');
    expect([fan[1], fan[2], fan[3]]).toEqual([months.map((m) => Number(m.p95)), months.map((m) => Number(m.p50)), months.map((m) => Number(m.p5))]);
    await expectSound(seen, 1);
  });

  it('recommend of a postpaid tenant: the budget per month against the invoice percentiles', async () => {
    const seen = await look('recommend-postpaid');
    const document = json['recommend-postpaid'] as Json;
    expect(seen.data.report).toEqual(document);
    expect(await totalOf(seen.page, 'monthly budget (USD)')).toBe(document.monthlyBudget);
    for (const line of document.explanation as string[]) expect(seen.text).toContain(line);
    const chart = await chartData(seen.page, 'Budget and invoice P5 / P50 / P95 per month (USD)');
    expect(chart[1]).toEqual((document.months as Json[]).map((month) => Number(month.budget)));
    expect(chart[chart.length - 1]).toEqual((document.months as Json[]).map(() => Number(document.monthlyBudget)));
    // The same trials' invoices as forecast --json with the same seed prints them.
    expect(chart[3]).toEqual((json['forecast-postpaid']?.invoices.months as Json[]).map((month) => Number(month.p50)));
    // A month's budget covers its invoice in 95% of trials, so it is never below the median invoice.
    for (let month = 0; month < (chart[1] as number[]).length; month++) expect((chart[1] as number[])[month]).toBeGreaterThanOrEqual((chart[3] as number[])[month] as number);
    await expectSound(seen, 1);
  });

  it('recommend: the worst trial shows what a tenth less drops, and shades the month the explanation names', async () => {
    const seen = await look('recommend-tenth');
    const document = json['recommend-tenth'] as Json;
    const line = (document.explanation as string[]).find((text) => text.startsWith('without auto-recharge:') && text.includes('(a tenth less) would drop')) as string;
    // "... the first at 2026-10-19T11:20:14Z (2026-10 decides it)."
    const [, firstAt, month] = /the first at (\S+) \((\d{4}-\d{2}) decides it\)/.exec(line) as RegExpExecArray;
    const worst = (seen.data.worst as Json[])[0] as Json;
    expect(worst.tenthLess.month).toBe(month);
    expect(new Date(worst.tenthLess.firstDropMs).toISOString().replace('.000Z', 'Z')).toBe(firstAt);
    expect(seen.text).toContain(`${month} (shaded red) decides the answer`);
    // The shaded month: a pixel in the middle of the month, near the top of the plot, is tinted red.
    const tint = (await seen.page.evaluate(`(function () {
      var c = window.__charts[0], u = c.plot, mid = (${worst.tenthLess.monthStartMs} + ${worst.tenthLess.monthEndMs}) / 2000;
      var x = Math.round(u.valToPos(mid, 'x', true)), y = Math.round(u.bbox.top + 4);
      // Read from a copy: a second readback of the chart's own canvas makes Chromium warn.
      var copy = document.createElement('canvas');
      copy.width = u.ctx.canvas.width; copy.height = u.ctx.canvas.height;
      var ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(u.ctx.canvas, 0, 0);
      return Array.from(ctx.getImageData(x, y, 1, 1).data);
    })()`)) as number[];
    expect(tint[0]).toBeGreaterThan((tint[1] as number) + 10);
    await expectSound(seen, 2);
  });
});
