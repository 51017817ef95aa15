import { mkdirSync, readFileSync, statSync } from 'node:fs';
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

/** Runs a command with --json and --html (and --xlsx where it has one); keeps its JSON. */
function report(kind: string, args: string[], inputs: { cdrs: string; scenario: string }): void {
  const run = runCli([kind, '--cdrs', inputs.cdrs, '--scenario', inputs.scenario, ...args, '--json', '--html', join(folder, `${kind}.html`)]);
  expect(onlyWarnings(run.stderr)).toBe('');
  expect(run.code).toBe(0);
  json[kind] = JSON.parse(run.stdout) as Json;
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
