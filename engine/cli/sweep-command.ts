import { stringify } from 'csv-stringify/sync';
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { historyOf } from '../forecast/history.js';
import { MAX_SWEEP_CELLS, sweep, sweepCells, type SweepCell, type SweepGrid } from '../forecast/sweep.js';
import { writeOutput } from '../io/write-output.js';
import { formatMicros } from '../money.js';
import { formatInstant } from '../time.js';
import { amountList, inputOptions, loadFromArgs, type InputArgs } from './inputs.js';

interface SweepArgs extends InputArgs {
  trigger: string;
  amount: string;
  mode: string;
  delay: string;
  initial: string | undefined;
  json: boolean;
  csv: string | undefined;
}

export function sweepOptions(yargs: Argv): Argv<SweepArgs> {
  return inputOptions(yargs)
    .option('trigger', { type: 'string', demandOption: true, describe: 'recharge triggers: from:to:step or a comma list, e.g. 50:500:50' })
    .option('amount', { type: 'string', demandOption: true, describe: 'recharge amounts: from:to:step or a comma list, e.g. 100:2000:100' })
    .option('mode', { type: 'string', default: 'with', describe: 'recharge modes: with, to or with,to' })
    .option('delay', { type: 'string', default: '0', describe: 'recharge delays in seconds, comma list' })
    .option('initial', { type: 'string', describe: 'initial fundings to try as well (default: the scenario\'s)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the cells as JSON' })
    .option('csv', { type: 'string', describe: 'write the cells to this CSV file' }) as unknown as Argv<SweepArgs>;
}

/** `creditcast sweep`: every trigger x amount x mode (x delay x initial) replayed over the credit demand. */
export async function sweepCommand(args: SweepArgs): Promise<void> {
  const inputs = await loadFromArgs(args);
  const { scenario } = inputs;
  const unit = scenario.minorUnitMicros;
  const modes = args.mode.split(',').map((mode) => mode.trim());
  if (modes.some((mode) => mode !== 'with' && mode !== 'to')) throw new InputError(`--mode: expected with, to or with,to, got "${args.mode}"`);
  const delays = args.delay.split(',').map((text) => Number(text.trim()));
  if (delays.some((delay) => !Number.isInteger(delay) || delay < 0 || delay > 90 * 86_400)) throw new InputError(`--delay: expected whole seconds from 0 to 7776000, got "${args.delay}"`);
  const grid: SweepGrid = {
    triggersMicros: amountList('trigger', args.trigger, unit, MAX_SWEEP_CELLS),
    amountsMicros: amountList('amount', args.amount, unit, MAX_SWEEP_CELLS),
    modes: modes as ('with' | 'to')[],
    delaysSeconds: delays,
    initialsMicros: args.initial === undefined ? null : amountList('initial', args.initial, unit, MAX_SWEEP_CELLS),
  };
  const history = historyOf(inputs);
  const planned = sweepCells(grid, history.policy).cells.length;
  if (planned > MAX_SWEEP_CELLS) throw new InputError(`the grid has ${planned} cells, more than ${MAX_SWEEP_CELLS}: use coarser steps`);
  const result = sweep(history.demand, history.settings, history.policy, grid);
  const money = (micros: number) => formatMicros(micros, scenario.minorDigits);
  const rows = result.cells.map((cell) => cellRow(cell, money, unit));
  if (args.csv !== undefined) writeOutput(args.csv, stringify(rows, { header: true }));
  if (args.json) {
    const document = { trials: 1, horizon: { from: formatInstant(history.settings.start), to: formatInstant(history.settings.end) }, skipped: result.skipped, cells: rows };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  process.stdout.write(sweepTable(rows, result.skipped, history.settings.start, history.settings.end));
}

function cellRow(cell: SweepCell, money: (micros: number) => string, unit: number) {
  const { outcome } = cell;
  return {
    trigger: money(cell.triggerMicros),
    amount: money(cell.amountMicros),
    mode: cell.mode,
    delaySeconds: cell.delaySeconds,
    initial: money(cell.initialMicros),
    dropShare: outcome.creditDrops > 0 ? 1 : 0,
    drops: outcome.drops,
    creditDrops: outcome.creditDrops,
    firstDrop: outcome.firstDrop === null ? null : formatInstant(outcome.firstDrop),
    purchases: outcome.purchases,
    purchased: money(outcome.fundedMicros),
    forfeited: money(outcome.forfeitedMicros),
    balanceAvg: money(Math.round(outcome.balanceAverageMicros / unit) * unit),
    balanceMin: money(outcome.balanceMinimumMicros),
  };
}

function sweepTable(rows: ReturnType<typeof cellRow>[], skipped: number, start: number, end: number): string {
  const header = ['trigger', 'amount', 'mode', 'delay s', 'initial', 'drops', 'first drop', 'purchases', 'purchased', 'forfeited', 'avg balance', 'min balance'];
  const cells = rows.map((row) => [row.trigger, row.amount, row.mode, String(row.delaySeconds), row.initial, String(row.creditDrops), row.firstDrop ?? '-', String(row.purchases), row.purchased, row.forfeited, row.balanceAvg, row.balanceMin]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  const intro = `creditcast sweep: ${rows.length} recharge settings over the history ${formatInstant(start)} to ${formatInstant(end)} (one trial: the calls as they happened)${skipped > 0 ? `; ${skipped} "to" cells not above their trigger left out` : ''}\n\n`;
  return `${intro}${[line(header), ...cells.map(line)].join('\n')}\n`;
}
