import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Argv } from 'yargs';
import { InputError } from '../kernel/errors.js';
import { type LoadedInputs } from '../replay/inputs.js';
import { DEFAULT_CHUNK_BYTES, loadInputs } from '../edge/run/run-replay.js';
import { parseMicros } from '../kernel/money.js';
import { TRAFFIC_MODELS, type TrafficModel, type TrialOptions } from '../forecast/trials.js';
import type { HeadcountChange } from '../model/scenario.js';
import { estimateWork, formatBytes, formatCount, historyProfile, type KeptPerTrial } from '../forecast/work-estimate.js';

export interface InputArgs {
  cdrs: string[];
  scenario: string;
  workers: number | undefined;
  'chunk-size': string | undefined;
}

/** The options every command that reads CDRs shares. */
export function inputOptions<T>(yargs: Argv<T>): Argv<T & InputArgs> {
  return yargs
    .option('cdrs', { type: 'string', array: true, demandOption: true, describe: 'CDR files (Teams export, legacy tab export, Graph JSON)' })
    .option('scenario', { type: 'string', demandOption: true, describe: 'scenario JSON file' })
    .option('workers', { type: 'number', describe: workersHelp("threads reading the CDRs (and running a forecast's trials)") })
    .option('chunk-size', { type: 'string', describe: `bytes of CDR file per task, ${CHUNK_SIZE_RANGE} (default ${DEFAULT_CHUNK_BYTES >> 20}MiB)` }) as unknown as Argv<T & InputArgs>;
}

export async function loadFromArgs(args: InputArgs & { wholeHistory?: boolean }): Promise<LoadedInputs> {
  const workers = workersFrom(args.workers);
  const chunkBytes = args['chunk-size'] === undefined ? DEFAULT_CHUNK_BYTES : parseSize(args['chunk-size']);
  return loadInputs(cdrFiles(args.cdrs), args.scenario, { workers, chunkBytes, wholeHistory: args.wholeHistory ?? false });
}

/**
 * --cdrs names at least one file, and no name is empty: an unset shell variable (`--cdrs "$FILE"`)
 * would otherwise read nothing and answer with a clean-looking empty replay.
 */
export function cdrFiles(files: readonly string[] | undefined): string[] {
  const given = files ?? [];
  if (given.length === 0) throw new InputError('--cdrs: expected one or more CDR files, got none');
  const empty = given.findIndex((file) => file.trim() === '');
  if (empty >= 0) throw new InputError(`--cdrs: expected a file name, got an empty one (${given.length > 1 ? `name ${empty + 1} of ${given.length}` : '""'})`);
  return [...given];
}

/**
 * Threads at most per core. Beyond a few per core a thread only waits for one, while each still
 * holds its own memory (its ranges, blocks and reference data): 256 on 2 cores took 3.5 GB.
 */
export const WORKERS_PER_CORE = 4;
const WORKERS_MAX = 256;
const WORKERS_RANGE = `1 to ${WORKERS_PER_CORE} per core (at most ${WORKERS_MAX})`;

/** The thread count --workers gives (default: one per core), checked against this machine's cores. */
export function workersFrom(value: number | undefined): number {
  const cores = availableParallelism();
  const most = Math.min(WORKERS_MAX, WORKERS_PER_CORE * cores);
  const workers = value ?? Math.min(cores, most);
  if (!Number.isInteger(workers) || workers < 1 || workers > most) {
    throw new InputError(`--workers: expected a whole number from 1 to ${most} (${WORKERS_PER_CORE} per core, ${cores} core(s) here), got ${value}`);
  }
  return workers;
}

/** What --workers says in --help: its range and its default. */
export function workersHelp(what: string): string {
  return `${what}, ${WORKERS_RANGE} (default: all ${availableParallelism()} cores)`;
}

/**
 * "50:500:50" (from, to, step; to included) or "50,100,200": amounts in the scenario's currency,
 * each a whole number of its minor units.
 */
export function amountList(option: string, text: string, minorUnitMicros: number, limit: number): number[] {
  const fail = (why: string): never => {
    throw new InputError(`--${option}: ${why}, got "${text}"`);
  };
  const amount = (part: string): number => {
    const micros = parseMicros(part);
    if (micros === undefined || micros < 0) fail('expected amounts like 50 or 12.50, as from:to:step or a comma list');
    if ((micros as number) % minorUnitMicros !== 0) fail('an amount has more decimals than the currency');
    return micros as number;
  };
  const range = text.split(':');
  if (range.length === 3) {
    const [from, to, step] = range.map(amount) as [number, number, number];
    if (step <= 0 || to < from) fail('expected from:to:step with a positive step and to not below from');
    const count = Math.floor((to - from) / step) + 1;
    if (count > limit) fail(`more than ${limit} values`);
    return Array.from({ length: count }, (_, index) => from + index * step);
  }
  const values = text.split(',').map((part) => amount(part.trim()));
  if (values.length > limit) fail(`more than ${limit} values`);
  return values;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, kb: 1000, mib: 1 << 20, mb: 1e6, gib: 1 << 30, gb: 1e9, tib: 2 ** 40, tb: 1e12 };

/** The sizes --chunk-size accepts, as its help, its error and the README say them. */
const CHUNK_BYTES_MIN = 4 << 10;
const CHUNK_BYTES_MAX = 1 << 30;
const CHUNK_SIZE_RANGE = '4KiB to 1GiB';

/** "64KiB", "8MiB", "1048576": bytes from 4 KiB to 1 GiB. */
export function parseSize(text: string): number {
  return sizeOption('chunk-size', text, CHUNK_BYTES_MIN, CHUNK_BYTES_MAX, `${CHUNK_SIZE_RANGE} such as 64KiB or 8MiB`);
}

/** A size in bytes, a whole number with an optional unit, within [min, max]; else the option's one-line error. */
function sizeOption(option: string, text: string, min: number, max: number, expected: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] ?? 'x').toLowerCase()];
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isInteger(bytes) || bytes < min || bytes > max) throw new InputError(`--${option}: expected a size from ${expected}, got "${text}"`);
  return bytes;
}

export interface ModelArgs {
  model: string;
  trials: number;
  seed: number | undefined;
  horizon: number;
  growth: number;
  headcount: string[] | undefined;
  'max-memory': string | undefined;
}

/** The options of the commands that look ahead: which future traffic, how many trials, how far. */
export function modelOptions<T>(yargs: Argv<T>): Argv<T & ModelArgs> {
  return yargs
    .option('model', { type: 'string', default: 'bootstrap', describe: 'future traffic: bootstrap (resampled days, many trials), repeat (history shifted whole weeks) or history (the scenario period as it happened)' })
    .option('trials', { type: 'number', default: 100, describe: 'bootstrap trials, 1 to 100000' })
    .option('seed', { type: 'number', describe: "seed of the bootstrap trials (default: the scenario's)" })
    .option('horizon', { type: 'number', default: 12, describe: "months ahead, 1 to 120, from the scenario's start (without one, from the day after the last CDR)" })
    .option('growth', { type: 'number', default: 0, describe: 'monthly traffic growth, e.g. 0.02 for 2% a month' })
    .option('headcount', { type: 'string', array: true, describe: 'headcount change per capability and country, e.g. MCOPSTN1:US:+10% or MCOPSTN5:*:-25% (pools scale too)' })
    .option('max-memory', { type: 'string', describe: `memory the work may take, estimated before it starts, ${MAX_MEMORY_RANGE} (default: half the machine's memory, at most the JavaScript heap limit: ${formatBytes(defaultMaxMemory())} here)` }) as unknown as Argv<T & ModelArgs>;
}

/** Checks the model options before any file is read; the seed defaults to the scenario's later. */
export function trialOptions(args: ModelArgs): TrialOptions {
  if (!TRAFFIC_MODELS.includes(args.model as TrafficModel)) throw new InputError(`--model: expected ${TRAFFIC_MODELS.join(', ')}, got "${args.model}"`);
  if (!Number.isInteger(args.trials) || args.trials < 1 || args.trials > 100_000) throw new InputError(`--trials: expected a whole number from 1 to 100000, got ${args.trials}`);
  if (!Number.isInteger(args.horizon) || args.horizon < 1 || args.horizon > 120) throw new InputError(`--horizon: expected whole months from 1 to 120, got ${args.horizon}`);
  const seed = args.seed ?? null;
  if (seed !== null && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) throw new InputError(`--seed: expected a whole number from 0 to 4294967295, got ${args.seed}`);
  if (!Number.isFinite(args.growth) || args.growth <= -1 || args.growth > 1) throw new InputError(`--growth: expected a monthly rate above -1 and at most 1, such as 0.02, got ${args.growth}`);
  const headcount = (args.headcount ?? []).map(parseHeadcount);
  if (args.model === 'history' && (args.growth !== 0 || headcount.length > 0)) throw new InputError('--growth and --headcount project future traffic: use --model repeat or bootstrap');
  return { model: args.model as TrafficModel, trials: args.model === 'bootstrap' ? args.trials : 1, horizonMonths: args.horizon, seed, growth: { monthlyGrowth: args.growth, headcount } };
}

/** "MCOPSTN1:US:+10%" → MCOPSTN1 in US, factor 1.10; "*" for every country. */
function parseHeadcount(text: string): HeadcountChange {
  const match = /^([A-Za-z0-9_]+):([A-Z]{2}|\*):([+-]?\d+(?:\.\d+)?)%$/.exec(text.trim());
  const factor = match ? 1 + Number(match[3]) / 100 : NaN;
  if (match === null || !(factor >= 0)) throw new InputError(`--headcount: expected CAPABILITY:COUNTRY:±N% such as MCOPSTN1:US:+10%, got "${text}"`);
  return { capability: match[1] as string, country: match[2] === '*' ? null : (match[2] as string), factor };
}

export function workersOf(args: InputArgs): number {
  return workersFrom(args.workers);
}

/** Trials done and time left on a terminal's stderr; nothing when stderr is piped. */
export function progressOf(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  return (done, total) => {
    const seconds = (Date.now() - started) / 1000;
    const left = done === 0 ? 0 : (seconds * (total - done)) / done;
    process.stderr.write(done === total ? `\r${' '.repeat(60)}\r` : `\rtrials ${done}/${total}, ${left.toFixed(0)} s left`.padEnd(60));
  };
}

const MAX_MEMORY_MIN = 64 << 20;
const MAX_MEMORY_MAX = 2 ** 50;
const MAX_MEMORY_RANGE = '64MiB to 1024TiB';

/**
 * Half the machine's memory (or of a container's limit), and no more than V8's heap limit: what a
 * forecast keeps per trial is JavaScript arrays and objects, and past that limit the process dies.
 */
export function defaultMaxMemory(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const machine = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.min(machine / 2, getHeapStatistics().heap_size_limit);
}

/**
 * Refuses, before any trial is built, work whose memory estimate (see forecast/work-estimate.ts)
 * is over --max-memory: one line with the estimate and the options that drive it.
 */
export function refuseWorkBeyondMemory(command: string, table: LoadedInputs['table'], options: TrialOptions, args: ModelArgs & InputArgs, run: { cells: number; keeps: KeptPerTrial }): void {
  const budget = args['max-memory'] === undefined ? defaultMaxMemory() : sizeOption('max-memory', args['max-memory'], MAX_MEMORY_MIN, MAX_MEMORY_MAX, `${MAX_MEMORY_RANGE} such as 512MiB or 8GiB`);
  const estimate = estimateWork(historyProfile(table), options, { workers: workersOf(args), ...run });
  if (estimate.memoryBytes <= budget) return;
  const drivers = options.model === 'history' ? 'the history model' : `--horizon ${options.horizonMonths}, --growth ${options.growth.monthlyGrowth}${options.growth.headcount.length > 0 ? ', --headcount' : ''}`;
  const trials = options.model === 'bootstrap' ? ` x ${formatCount(estimate.trials)} trials (--trials)` : '';
  const cells = run.cells > 1 ? ` x ${formatCount(run.cells)} cells (the grid)` : '';
  throw new InputError(
    `--max-memory: this ${command} would take about ${formatBytes(estimate.memoryBytes)}, more than ${formatBytes(budget)}: ${formatCount(estimate.callsPerTrial)} calls a trial (${drivers})${trials}${cells}; use fewer trials or cells, a shorter horizon or less growth, or raise --max-memory`,
  );
}
