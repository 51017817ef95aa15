import type { Argv } from 'yargs';
import { printableLines } from '../kernel/quote.js';
import { InputError } from '../kernel/errors.js';
import { cellPolicy, countSweepCells, MAX_SWEEP_CELLS, sweepCells, type SweepCell, type SweepGrid } from '../forecast/sweep.js';
import type { TrialOutcome } from '../forecast/trial-task.js';
import { percentile } from '../forecast/trials.js';
import { formatCount } from '../forecast/work-estimate.js';
import { sweepTrials } from '../edge/run/run-trials.js';
import { refuseOutputsOverInputs, runInputFiles, writeOutput } from '../edge/write-output.js';
import { sweepCsv } from '../report/csv-files.js';
import { basename } from 'node:path';
import { chartAssets } from '../edge/chart-assets.js';
import { sweepHtml } from '../report/html/trials-html.js';
import { documentWorkbook } from '../report/xlsx/workbooks.js';
import { formatMicros } from '../kernel/money.js';
import { amountProblem, purchaseProblem, type Scenario } from '../model/scenario.js';
import { formatInstant } from '../kernel/time.js';
import { refusePostpaidSweep } from './postpaid-answers.js';
import { amountList, cdrFiles, inputOptions, loadFromArgs, modelOptions, refuseWorkBeyondMemory, trialOptions, type InputArgs, type ModelArgs, progressOf, workersOf } from './inputs.js';

interface SweepArgs extends InputArgs, ModelArgs {
  trigger: string;
  amount: string;
  mode: string;
  delay: string;
  initial: string | undefined;
  json: boolean;
  csv: string | undefined;
  html: string | undefined;
  xlsx: string | undefined;
}

export function sweepOptions(yargs: Argv): Argv<SweepArgs> {
  return modelOptions(inputOptions(yargs))
    .option('trigger', { type: 'string', demandOption: true, describe: 'recharge triggers: from:to:step or a comma list, e.g. 50:500:50' })
    .option('amount', { type: 'string', demandOption: true, describe: 'recharge amounts: from:to:step or a comma list, e.g. 100:2000:100' })
    .option('mode', { type: 'string', default: 'with', describe: 'recharge modes: with, to or with,to' })
    .option('delay', { type: 'string', default: '0', describe: 'recharge delays in seconds, comma list' })
    .option('initial', { type: 'string', describe: "initial fundings to try instead of the scenario's: from:to:step or a comma list" })
    .option('json', { type: 'boolean', default: false, describe: 'print the cells as JSON' })
    .option('csv', { type: 'string', describe: 'write the cells to this CSV file' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report with charts to this file' })
    .option('xlsx', { type: 'string', describe: 'write an Excel workbook (the cells) to this file' }) as unknown as Argv<SweepArgs>;
}

/** `creditcast sweep`: every trigger x amount x mode (x delay x initial) replayed over the credit demand. */
export async function sweepCommand(args: SweepArgs): Promise<void> {
  const options = trialOptions(args);
  refuseOutputsOverInputs({ '--csv': args.csv, '--html': args.html, '--xlsx': args.xlsx }, runInputFiles(cdrFiles(args.cdrs), args.scenario));
  const inputs = await loadFromArgs({ ...args, wholeHistory: args.model !== 'history' });
  const { scenario } = inputs;
  refusePostpaidSweep(scenario);
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
  checkGrid(grid, args, scenario);
  const basePolicy = { initialMicros: scenario.credits.initialMicros, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps };
  // Counted from the lists' lengths before any cell is built: each list may be allowed and their product not.
  const cellCount = countSweepCells(grid);
  if (cellCount > MAX_SWEEP_CELLS) throw new InputError(`--trigger, --amount, --mode, --delay, --initial: the grid has ${formatCount(cellCount)} cells, more than ${formatCount(MAX_SWEEP_CELLS)}: use coarser steps`);
  refuseWorkBeyondMemory('sweep', inputs.table, options, args, { cells: cellCount, keeps: 'nothing' });
  const planned = sweepCells(grid, basePolicy);
  const swept = await sweepTrials(inputs, options, planned.cells.map((cell) => cellPolicy(cell, basePolicy)), workersOf(args), progressOf());
  const trials = { model: swept.model, start: swept.start, end: swept.end, histories: swept.outcomes };
  const result = { skipped: planned.skipped, cells: planned.cells.map((cell, index) => ({ ...cell, outcomes: swept.outcomes.map((trial) => trial[index] as TrialOutcome) })) };
  const money = (micros: number) => formatMicros(micros, scenario.minorDigits);
  const rows = result.cells.map((cell) => cellRow(cell, money, unit));
  if (args.csv !== undefined) writeOutput(args.csv, sweepCsv(rows));
  const document = { model: trials.model, trials: trials.histories.length, horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) }, skipped: result.skipped, cells: rows };
  if (args.html !== undefined) writeOutput(args.html, sweepHtml(document, { scenarioName: basename(args.scenario), currency: scenario.currency }, chartAssets()));
  if (args.xlsx !== undefined) writeOutput(args.xlsx, await documentWorkbook(document, scenario.currency, scenario.minorDigits));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  process.stdout.write(printableLines(sweepTable(rows, result.skipped, `${trials.model}, ${trials.histories.length} trial(s), ${formatInstant(trials.start)} to ${formatInstant(trials.end)}`)));
}

/**
 * Grid values obey the scenario's own rules (`purchaseProblem`, `amountProblem`): a sweep never
 * simulates a purchase the scenario would refuse, such as a "with" recharge below the minimum.
 */
function checkGrid(grid: SweepGrid, args: SweepArgs, scenario: Scenario): void {
  const { minimumPurchaseMicros } = scenario.credits;
  const digits = scenario.minorDigits;
  const check = (option: string, text: string, values: readonly number[], problemOf: (micros: number, shown: string) => string | null, context: string) => {
    for (const micros of values) {
      const problem = problemOf(micros, formatMicros(micros, digits));
      if (problem !== null) throw new InputError(`--${option}: ${context}${problem}, got "${text}"`);
    }
  };
  const bound = (micros: number, shown: string) => amountProblem(micros, shown, digits);
  check('trigger', args.trigger, grid.triggersMicros, bound, '');
  if (grid.modes.includes('with')) {
    check('amount', args.amount, grid.amountsMicros, (micros, shown) => purchaseProblem(micros, shown, minimumPurchaseMicros, digits, false), 'in mode "with", where each recharge buys it, ');
  } else {
    check('amount', args.amount, grid.amountsMicros, bound, '');
  }
  if (grid.initialsMicros !== null && args.initial !== undefined) {
    check('initial', args.initial, grid.initialsMicros, (micros, shown) => purchaseProblem(micros, shown, minimumPurchaseMicros, digits, true), '');
  }
}

function cellRow(cell: SweepCell, money: (micros: number) => string, unit: number) {
  const { outcomes } = cell;
  const mean = (value: (outcome: TrialOutcome) => number) => outcomes.reduce((sum, outcome) => sum + value(outcome), 0) / outcomes.length;
  const roundMoney = (micros: number) => money(Math.round(micros / unit) * unit);
  const firstDropP5 = percentile(outcomes.map((outcome) => outcome.firstDrop ?? Infinity), 0.05);
  return {
    trigger: money(cell.triggerMicros),
    amount: money(cell.amountMicros),
    mode: cell.mode,
    delaySeconds: cell.delaySeconds,
    initial: money(cell.initialMicros),
    dropShare: outcomes.filter((outcome) => outcome.creditDrops > 0).length / outcomes.length,
    dropsP95: percentile(outcomes.map((outcome) => outcome.drops), 0.95),
    firstDropP5: Number.isFinite(firstDropP5) ? formatInstant(firstDropP5) : null,
    purchases: Math.round(mean((outcome) => outcome.purchases) * 100) / 100,
    purchased: roundMoney(mean((outcome) => outcome.fundedMicros)),
    forfeited: roundMoney(mean((outcome) => outcome.forfeitedMicros)),
    balanceAvg: roundMoney(mean((outcome) => outcome.balanceAverageMicros)),
    balanceMin: money(outcomes.reduce((least, outcome) => Math.min(least, outcome.balanceMinimumMicros), Infinity)),
  };
}

function sweepTable(rows: ReturnType<typeof cellRow>[], skipped: number, about: string): string {
  const header = ['trigger', 'amount', 'mode', 'delay s', 'initial', 'drop share', 'drops P95', 'first drop P5', 'purchases', 'purchased', 'forfeited', 'avg balance', 'min balance'];
  const cells = rows.map((row) => [row.trigger, row.amount, row.mode, String(row.delaySeconds), row.initial, row.dropShare.toFixed(2), String(row.dropsP95), row.firstDropP5 ?? '-', String(row.purchases), row.purchased, row.forfeited, row.balanceAvg, row.balanceMin]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  const intro = `creditcast sweep: ${rows.length} recharge settings, ${about}; averages over trials${skipped > 0 ? `; ${skipped} "to" cells not above their trigger left out` : ''}\n\n`;
  return `${intro}${[line(header), ...cells.map(line)].join('\n')}\n`;
}
