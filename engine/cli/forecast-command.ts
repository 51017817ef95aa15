import type { Argv } from 'yargs';
import { replayDemand } from '../credits/demand.js';
import { percentile } from '../forecast/trials.js';
import { buildTrials } from '../edge/run/run-trials.js';
import { formatMicros } from '../kernel/money.js';
import { MonthLedger } from '../replay/months.js';
import type { MonthSummary } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { inputOptions, loadFromArgs, modelOptions, trialOptions, type InputArgs, type ModelArgs, progressOf, workersOf } from './inputs.js';

interface ForecastArgs extends InputArgs, ModelArgs {
  json: boolean;
}

export function forecastOptions(yargs: Argv): Argv<ForecastArgs> {
  return modelOptions(inputOptions(yargs))
    .option('json', { type: 'boolean', default: false, describe: 'print the forecast as JSON' }) as unknown as Argv<ForecastArgs>;
}

const MONTH_FIELDS = ['spentMicros', 'rechargedMicros', 'forfeitedMicros', 'closingMicros'] as const;

/**
 * `creditcast forecast`: the scenario over the horizon for every trial of future traffic, per month
 * as P5/P50/P95 of spend, recharges, forfeits and closing balance; pool exhaustion; and when the
 * first call drops (share of trials with a drop, P5/P50/P95 of its date).
 */
export async function forecastCommand(args: ForecastArgs): Promise<void> {
  const options = trialOptions(args);
  const inputs = await loadFromArgs({ ...args, wholeHistory: args.model !== 'history' });
  const { scenario } = inputs;
  const trials = await buildTrials(inputs, options, workersOf(args), progressOf());
  const policy = { initialMicros: scenario.credits.initialMicros, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps };
  const perTrial = trials.histories.map((trial) => {
    const months = new MonthLedger(trials.start, trials.end, scenario.offsetMinutes);
    const outcome = replayDemand(trial.demand, policy, trial.settings, (event) => months.add(event));
    for (const at of outcome.dropTimes) months.addDrop(at);
    return { outcome, months: months.summary(), pools: trial.pools };
  });
  const money = (micros: number) => formatMicros(Math.round(micros / scenario.minorUnitMicros) * scenario.minorUnitMicros, scenario.minorDigits);
  const spread = <T,>(values: number[], format: (value: number) => T) => ({ p5: format(percentile(values, 0.05)), p50: format(percentile(values, 0.5)), p95: format(percentile(values, 0.95)) });
  const months = (perTrial[0]?.months ?? []).map((month, index) => {
    const of = (field: (typeof MONTH_FIELDS)[number] | 'drops') => perTrial.map((trial) => (trial.months[index] as MonthSummary)[field]);
    return {
      month: month.month,
      spent: spread(of('spentMicros'), money),
      recharged: spread(of('rechargedMicros'), money),
      forfeited: spread(of('forfeitedMicros'), money),
      closing: spread(of('closingMicros'), money),
      drops: spread(of('drops'), (value) => value),
    };
  });
  const pools = new Map<string, { capability: string; country: string; month: string; kind: string; exhausted: number[] }>();
  for (const trial of perTrial) {
    for (const pool of trial.pools) {
      const key = `${pool.month}|${pool.capability}|${pool.country}|${pool.kind}`;
      const entry = pools.get(key) ?? { capability: pool.capability, country: pool.country, month: pool.month, kind: pool.kind, exhausted: [] };
      if (pool.exhaustedAt !== null) entry.exhausted.push(pool.exhaustedAt);
      pools.set(key, entry);
    }
  }
  const firstDrops = perTrial.map((trial) => trial.outcome.firstDrop ?? Infinity);
  const dateOrNull = (at: number) => (Number.isFinite(at) ? formatInstant(at) : null);
  const document = {
    model: trials.model,
    trials: perTrial.length,
    horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) },
    firstDrop: { share: firstDrops.filter(Number.isFinite).length / perTrial.length, ...spread(firstDrops, dateOrNull) },
    months,
    pools: [...pools.values()]
      .filter((pool) => pool.exhausted.length > 0)
      .sort((a, b) => a.month.localeCompare(b.month) || a.capability.localeCompare(b.capability) || a.country.localeCompare(b.country) || a.kind.localeCompare(b.kind))
      .map((pool) => ({ capability: pool.capability, country: pool.country, month: pool.month, kind: pool.kind, exhaustedShare: pool.exhausted.length / perTrial.length, exhaustedP50: formatInstant(percentile(pool.exhausted, 0.5)) })),
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  const lines = [
    `creditcast forecast: ${document.horizon.from} to ${document.horizon.to}, model ${trials.model}, ${perTrial.length} trial(s)`,
    '',
    document.firstDrop.share === 0
      ? 'Drops    none in any trial'
      : `Drops    in ${Math.round(document.firstDrop.share * 100)}% of trials; first drop P5 ${document.firstDrop.p5 ?? 'none'}, P50 ${document.firstDrop.p50 ?? 'none'}, P95 ${document.firstDrop.p95 ?? 'none'}`,
    '',
    ['month  ', 'spent P5/P50/P95', 'recharged P50', 'forfeited P50', 'closing P5/P50/P95', 'drops P95'].join('  '),
    ...months.map((month) => [month.month.padEnd(7), `${month.spent.p5}/${month.spent.p50}/${month.spent.p95}`.padStart(16), String(month.recharged.p50).padStart(13), String(month.forfeited.p50).padStart(13), `${month.closing.p5}/${month.closing.p50}/${month.closing.p95}`.padStart(18), String(month.drops.p95).padStart(9)].join('  ')),
    '',
    document.pools.length === 0 ? 'Pools    none ran out in any trial' : `Pools    ${document.pools.length} ran out in some trial:`,
    ...document.pools.slice(0, 20).map((pool) => `  ${pool.month} ${pool.capability} ${pool.country} ${pool.kind}: in ${Math.round(pool.exhaustedShare * 100)}% of trials, median ${pool.exhaustedP50}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
