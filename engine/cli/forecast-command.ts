import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { planRepeat, repeatTable } from '../forecast/repeat.js';
import { jsonReport } from '../report/json-report.js';
import { terminalSummary } from '../report/summary.js';
import { replay } from '../replay/replay.js';
import { addCalendarMonths, formatInstant } from '../time.js';
import { inputOptions, loadFromArgs, type InputArgs } from './inputs.js';

interface ForecastArgs extends InputArgs {
  horizon: number;
  model: string;
  growth: number;
  json: boolean;
}

export function forecastOptions(yargs: Argv): Argv<ForecastArgs> {
  return inputOptions(yargs)
    .option('horizon', { type: 'number', default: 12, describe: 'months to forecast, from the scenario\'s start (default: the day after the last CDR)' })
    .option('model', { type: 'string', default: 'repeat', describe: 'future traffic: repeat (history shifted whole weeks); bootstrap is not built yet' })
    .option('growth', { type: 'number', default: 0, describe: 'monthly traffic growth (only 0 for now)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }) as unknown as Argv<ForecastArgs>;
}

/**
 * `creditcast forecast --model repeat`: "if last year repeated". History is copied forward whole
 * weeks at a time over the horizon and replayed under the scenario: pools, recharges, forfeits,
 * closing balance per month and every drop, as a replay reports them.
 */
export async function forecastCommand(args: ForecastArgs): Promise<void> {
  if (!Number.isInteger(args.horizon) || args.horizon < 1 || args.horizon > 120) throw new InputError(`--horizon: expected whole months from 1 to 120, got ${args.horizon}`);
  if (args.model !== 'repeat') throw new InputError(`--model: "${args.model}" is not available yet; the models built so far: repeat`);
  if (args.growth !== 0) throw new InputError(`--growth: only 0 is available yet, got ${args.growth}`);
  const inputs = await loadFromArgs({ ...args, wholeHistory: true });
  const { scenario } = inputs;
  let last = -Infinity;
  inputs.table.forEachInOrder((part, index) => void (last = Math.max(last, part.startAt[index] as number)));
  if (last === -Infinity) throw new InputError(`${args.cdrs.join(', ')}: no call could be read, so there is no history to repeat`);
  const start = scenario.start ?? (Math.floor(last / 86_400_000) + 1) * 86_400_000;
  const end = addCalendarMonths(start, args.horizon, scenario.offsetMinutes);
  const plan = planRepeat(inputs.table, start, end);
  const table = repeatTable(inputs.table, plan, start, end);
  let projected = 0;
  table.rejected.forEach((skip) => skip.forEach((flag) => (projected += flag === 0 ? 1 : 0)));
  const result = replay({ ...inputs, table, ingestRejects: [], rowsRead: projected, scenario: { ...scenario, start, end } });
  if (args.json) {
    const model = { model: 'repeat', trials: 1, history: { from: formatInstant(plan.historyStart), to: formatInstant(plan.historyEnd) }, shiftsDays: plan.shiftsMs.map((shift) => shift / 86_400_000) };
    process.stdout.write(`${JSON.stringify({ forecast: model, ...jsonReport(result) }, null, 2)}\n`);
    return;
  }
  const shifts = plan.shiftsMs.map((shift) => `${shift / 86_400_000} days`).join(', ');
  process.stdout.write(`forecast (repeat): history ${formatInstant(plan.historyStart)} to ${formatInstant(plan.historyEnd)} shifted by ${shifts}\n${terminalSummary(result)}`);
}
