import { CLIENT_FORECAST } from './client-forecast.js';
import { CLIENT_SWEEP } from './client-sweep.js';
import { htmlPage, type ChartAssets } from './page.js';
import type { BalanceFan } from './trial-series.js';

/** What every trial report names in its header. */
export interface TrialsAbout {
  scenarioName: string;
  currency: string;
}

/** The trials a forecast, recommend or sweep document answers over. */
export interface Horizon {
  model: string;
  trials: number;
  horizon: { from: string; to: string };
}

/** The header's lines: the scenario, and the horizon with its trials (and `billing`, when it is named). */
export function aboutLines(document: Horizon, about: TrialsAbout, billing = ''): string[] {
  const named = billing === '' ? '' : `, ${billing}`;
  return [`Scenario ${about.scenarioName}`, `Horizon ${document.horizon.from} to ${document.horizon.to} (UTC), model ${document.model}, ${document.trials} trial(s)${named}`];
}

/** The forecast `--json` document as a page, with the balance fan per day and every trial's first drop (ms). */
export function forecastHtml(
  document: Horizon & { firstDrop: { share: number; p5: string | null; p50: string | null; p95: string | null } },
  fan: BalanceFan,
  firstDrops: number[],
  about: TrialsAbout,
  assets: ChartAssets,
): string {
  const { firstDrop } = document;
  const sentence = firstDrop.share === 0
    ? `No call drops in any of ${document.trials} trial(s).`
    : `Calls drop in ${Math.round(firstDrop.share * 100)}% of ${document.trials} trial(s); the first drop comes at ${firstDrop.p50 ?? 'no date'} in the median trial (P5 ${firstDrop.p5 ?? 'none'}).`;
  return htmlPage(
    {
      kind: 'forecast',
      title: 'creditcast forecast',
      about: aboutLines(document, about),
      sentence,
      totals: [
        ['trials', String(document.trials)],
        ['trials with a drop', `${Math.round(firstDrop.share * 100)}%`],
        ['first drop P5', firstDrop.p5 ?? 'none'],
        ['first drop P50', firstDrop.p50 ?? 'none'],
        ['first drop P95', firstDrop.p95 ?? 'none'],
      ],
      data: { report: document, fan, firstDrops, currency: about.currency },
      script: CLIENT_FORECAST,
    },
    assets,
  );
}

/** The worst trial of an answer, drawn as its balance per day. */
export interface WorstTrial {
  label: string;
  trial: number;
  initial: string;
  dayMs: number[];
  balanceMicros: number[];
  /** The answer less a tenth: the same trial's balance with it, and the month its first drop in any trial falls in. */
  tenthLess: TenthLess | null;
}

export interface TenthLess {
  amount: string;
  balanceMicros: number[];
  /** Trials that drop a call with a tenth less, of all. */
  dropping: number;
  trials: number;
  /** The earliest first drop over trials (ms), its month's label and bounds (ms, at the scenario's offset); null: nothing drops. */
  firstDropMs: number | null;
  month: string | null;
  monthStartMs: number | null;
  monthEndMs: number | null;
}

/** The recommend `--json` document as a page, with the balance of each answer's worst trial. */
export function recommendHtml(
  document: Horizon & { initial: { noRecharge: string | null; withPolicy: string | null }; confidence: number; explanation: string[] },
  worst: WorstTrial[],
  about: TrialsAbout,
  assets: ChartAssets,
): string {
  const { initial } = document;
  const sentence = initial.noRecharge === null
    ? `No initial funding alone keeps ${Math.round(document.confidence * 100)}% of trials free of drops: use auto-recharge or top-ups.`
    : `Fund ${initial.noRecharge} ${about.currency} and calls do not drop in ${Math.round(document.confidence * 100)}% of ${document.trials} trial(s).`;
  return htmlPage(
    {
      kind: 'recommend',
      title: 'creditcast recommend',
      about: aboutLines(document, about),
      sentence,
      totals: [
        [`initial, no auto-recharge (${about.currency})`, initial.noRecharge ?? 'none suffices'],
        ["initial, scenario's recharge", initial.withPolicy ?? 'none suffices'],
        ['confidence', String(document.confidence)],
        ['trials', String(document.trials)],
      ],
      data: { report: document, worst, currency: about.currency },
      script: CLIENT_FORECAST,
    },
    assets,
  );
}

/** The sweep `--json` document as a page. */
export function sweepHtml(document: Horizon & { cells: { dropShare: number; balanceAvg: string; trigger: string; amount: string; mode: string }[] }, about: TrialsAbout, assets: ChartAssets): string {
  const safe = document.cells.filter((cell) => cell.dropShare === 0).sort((a, b) => Number(a.balanceAvg) - Number(b.balanceAvg))[0];
  const sentence = safe === undefined
    ? `Every one of ${document.cells.length} recharge settings drops calls in some trial.`
    : `Least money tied up with no drop in any trial: recharge ${safe.mode} ${safe.amount} below ${safe.trigger} (average balance ${safe.balanceAvg} ${about.currency}).`;
  return htmlPage(
    {
      kind: 'sweep',
      title: 'creditcast sweep',
      about: aboutLines(document, about),
      sentence,
      totals: [
        ['cells', String(document.cells.length)],
        ['cells without drops', String(document.cells.filter((cell) => cell.dropShare === 0).length)],
        ['trials', String(document.trials)],
      ],
      data: { report: document, currency: about.currency },
      script: CLIENT_SWEEP,
    },
    assets,
  );
}
