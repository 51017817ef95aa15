import type { Argv } from 'yargs';
import { printableLines } from '../kernel/quote.js';
import { percentile, type Trials } from '../forecast/trials.js';
import { poolsExhausted, trialsByMonth, type TrialByMonth } from '../forecast/trial-months.js';
import { buildTrials } from '../edge/run/run-trials.js';
import { formatMicros } from '../kernel/money.js';
import type { Scenario } from '../model/scenario.js';
import type { MonthSummary } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { postpaidForecast, postpaidForecastText, type PostpaidForecast } from './postpaid-answers.js';
import { printWarnings, trialWarnings } from './warnings.js';
import { basename } from 'node:path';
import { chartAssets } from '../edge/chart-assets.js';
import { refuseOutputsOverInputs, runInputFiles, writeOutput } from '../edge/write-output.js';
import { postpaidForecastHtml } from '../report/html/postpaid-html.js';
import { forecastHtml } from '../report/html/trials-html.js';
import type { CreditsPolicy } from '../credits/demand.js';
import { balanceFan } from '../report/html/trial-series.js';
import { documentWorkbook } from '../report/xlsx/workbooks.js';
import { cdrFiles, inputOptions, loadFromArgs, modelOptions, refuseWorkBeyondMemory, trialOptions, type InputArgs, type ModelArgs, progressOf, workersOf } from './inputs.js';

export interface ForecastArgs extends InputArgs, ModelArgs {
  json: boolean;
  html: string | undefined;
  xlsx: string | undefined;
}

export function forecastOptions(yargs: Argv): Argv<ForecastArgs> {
  return modelOptions(inputOptions(yargs))
    .option('json', { type: 'boolean', default: false, describe: 'print the forecast as JSON' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report with charts to this file' })
    .option('xlsx', { type: 'string', describe: 'write an Excel workbook (months, pools) to this file' }) as unknown as Argv<ForecastArgs>;
}

/**
 * `creditcast forecast`: the scenario over the horizon for every trial of future traffic, per month
 * as P5/P50/P95 of spend, recharges, forfeits and closing balance; pool exhaustion; and when the
 * first call drops (share of trials with a drop, P5/P50/P95 of its date).
 */
export async function forecastCommand(args: ForecastArgs): Promise<void> {
  const run = await forecastRun(args);
  const { document } = run;
  if (args.html !== undefined) writeOutput(args.html, forecastPage(run, args));
  if (args.xlsx !== undefined) writeOutput(args.xlsx, await documentWorkbook(document, run.scenario.currency, run.scenario.minorDigits));
  if (args.json) process.stdout.write(forecastJson(document));
  else process.stdout.write(printableLines('invoices' in document ? postpaidForecastText(document) : forecastText(document)));
}

/** The forecast's answer as data, shared by this command and the fleet's workers. */
export async function forecastAnswer(args: ForecastArgs): Promise<ForecastDocument | PostpaidForecast> {
  return (await forecastRun(args)).document;
}

type ForecastRun =
  | { document: PostpaidForecast; scenario: Scenario; trials: Trials; perTrial: null; policy: null }
  | { document: ForecastDocument; scenario: Scenario; trials: Trials; perTrial: TrialByMonth[]; policy: CreditsPolicy };

/** The HTML report: the balance fan and every trial's first drop beside the `--json` document. */
function forecastPage(run: ForecastRun, args: ForecastArgs): string {
  const about = { scenarioName: basename(args.scenario), currency: run.scenario.currency };
  if (run.perTrial === null) return postpaidForecastHtml(run.document, about, chartAssets());
  const { trials, perTrial, policy } = run;
  const firstDrops = perTrial.flatMap((trial) => (trial.outcome.firstDrop === null ? [] : [trial.outcome.firstDrop]));
  return forecastHtml(run.document, balanceFan(trials.histories, policy, trials.start, trials.end), firstDrops, about, chartAssets());
}

async function forecastRun(args: ForecastArgs): Promise<ForecastRun> {
  const options = trialOptions(args);
  refuseOutputsOverInputs({ '--html': args.html, '--xlsx': args.xlsx }, runInputFiles(cdrFiles(args.cdrs), args.scenario));
  const inputs = await loadFromArgs({ ...args, wholeHistory: args.model !== 'history' });
  const { scenario } = inputs;
  refuseWorkBeyondMemory('forecast', inputs.table, options, args, { cells: 1, keeps: 'demand' });
  const trials = await buildTrials(inputs, options, workersOf(args), progressOf());
  printWarnings(trialWarnings(trials));
  if (scenario.billing === 'postpaid') return { document: postpaidForecast(trials, scenario), scenario, trials, perTrial: null, policy: null };
  const policy: CreditsPolicy = { initialMicros: scenario.credits.initialMicros, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps };
  const perTrial = trialsByMonth(trials, policy, scenario.offsetMinutes);
  return { document: forecastDocument(trials, perTrial, scenario), scenario, trials, perTrial, policy };
}

/** Exactly what `forecast --json` prints. */
export function forecastJson(document: ForecastDocument | PostpaidForecast): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

type ForecastDocument = ReturnType<typeof forecastDocument>;

interface Spread<T> {
  p5: T;
  p50: T;
  p95: T;
}

function spread<T>(values: number[], format: (value: number) => T): Spread<T> {
  return { p5: format(percentile(values, 0.05)), p50: format(percentile(values, 0.5)), p95: format(percentile(values, 0.95)) };
}

/** The forecast as printed by --json: amounts rounded to the currency's minor unit, instants as text. */
function forecastDocument(trials: Trials, perTrial: TrialByMonth[], scenario: Scenario) {
  const money = (micros: number) => formatMicros(Math.round(micros / scenario.minorUnitMicros) * scenario.minorUnitMicros, scenario.minorDigits);
  const firstDrops = perTrial.map((trial) => trial.outcome.firstDrop ?? Infinity);
  const dateOrNull = (at: number) => (Number.isFinite(at) ? formatInstant(at) : null);
  return {
    model: trials.model,
    trials: perTrial.length,
    warnings: trialWarnings(trials),
    horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) },
    firstDrop: { share: firstDrops.filter(Number.isFinite).length / perTrial.length, ...spread(firstDrops, dateOrNull) },
    months: monthSpreads(perTrial, money),
    pools: poolsExhausted(perTrial).map((pool) => ({
      capability: pool.capability,
      country: pool.country,
      month: pool.month,
      kind: pool.kind,
      exhaustedShare: pool.exhaustedAt.length / perTrial.length,
      exhaustedP50: formatInstant(percentile(pool.exhaustedAt, 0.5)),
    })),
  };
}

/** Per calendar month, the spread over trials of spend, recharges, forfeits, closing balance and drops. */
function monthSpreads(perTrial: TrialByMonth[], money: (micros: number) => string) {
  return (perTrial[0]?.months ?? []).map((month, index) => {
    const overTrials = (field: keyof Omit<MonthSummary, 'month'>) => perTrial.map((trial) => (trial.months[index] as MonthSummary)[field]);
    return {
      month: month.month,
      spent: spread(overTrials('spentMicros'), money),
      recharged: spread(overTrials('rechargedMicros'), money),
      forfeited: spread(overTrials('forfeitedMicros'), money),
      closing: spread(overTrials('closingMicros'), money),
      drops: spread(overTrials('drops'), (value) => value),
    };
  });
}

function forecastText(document: ForecastDocument): string {
  const { firstDrop } = document;
  const lines = [
    `creditcast forecast: ${document.horizon.from} to ${document.horizon.to}, model ${document.model}, ${document.trials} trial(s)`,
    '',
    firstDrop.share === 0
      ? 'Drops    none in any trial'
      : `Drops    in ${Math.round(firstDrop.share * 100)}% of trials; first drop P5 ${firstDrop.p5 ?? 'none'}, P50 ${firstDrop.p50 ?? 'none'}, P95 ${firstDrop.p95 ?? 'none'}`,
    '',
    ['month  ', 'spent P5/P50/P95', 'recharged P50', 'forfeited P50', 'closing P5/P50/P95', 'drops P95'].join('  '),
    ...document.months.map((month) =>
      [
        month.month.padEnd(7),
        `${month.spent.p5}/${month.spent.p50}/${month.spent.p95}`.padStart(16),
        String(month.recharged.p50).padStart(13),
        String(month.forfeited.p50).padStart(13),
        `${month.closing.p5}/${month.closing.p50}/${month.closing.p95}`.padStart(18),
        String(month.drops.p95).padStart(9),
      ].join('  '),
    ),
    '',
    document.pools.length === 0 ? 'Pools    none ran out in any trial' : `Pools    ${document.pools.length} ran out in some trial:`,
    ...document.pools.slice(0, 20).map((pool) => `  ${pool.month} ${pool.capability} ${pool.country} ${pool.kind}: in ${Math.round(pool.exhaustedShare * 100)}% of trials, median ${pool.exhaustedP50}`),
  ];
  return `${lines.join('\n')}\n`;
}
