import type { Argv } from 'yargs';
import { InputError } from '../kernel/errors.js';
import { parseMicros } from '../kernel/money.js';
import { printableLines, shortLine } from '../kernel/quote.js';
import { writeOutput } from '../edge/write-output.js';
import { DEFAULT_CHUNK_BYTES, runReplay } from '../edge/run/run-replay.js';
import { enqueueRun } from '../fleet/enqueue.js';
import { runIdArgument } from '../fleet/keys.js';
import { expandCdrs } from '../fleet/manifest.js';
import { checkReachable, type TenantJob } from '../fleet/queue.js';
import { maskedUrl, redisOptions } from '../fleet/redis-url.js';
import { readFleetAnswer } from '../fleet/status.js';
import type { FleetCommand } from '../fleet/store.js';
import { answerCsv, answerHtml, answerJson, answerText } from '../fleet/answer-formats.js';
import { runWorker } from '../fleet/worker.js';
import { forecastAnswer, forecastJson } from './forecast-command.js';
import { modelOptions, trialOptions, workersFrom, workersHelp, type ModelArgs } from './inputs.js';
import { recommendAnswer, recommendJson } from './recommend-command.js';
import { replayJson } from './replay-command.js';

const COMMANDS: readonly FleetCommand[] = ['forecast', 'recommend', 'replay'];

/** `creditcast fleet …`: many tenants over BullMQ on one Redis (README, "Fleets"). */
export function fleetOptions(yargs: Argv): Argv {
  return yargs
    .command('enqueue', "queue one job per tenant of a manifest (tenant,cdrs,scenario); the same manifest and options again is the same run", enqueueOptions, enqueueCommand)
    .command('worker', 'take tenant jobs and store each result, until stopped or, with --exit-when-idle, until none is left', workerOptions, workerCommand)
    .command('status', "a run's progress and its most urgent tenants", answerOptions, (args) => answerCommand(args, 20))
    .command('results', "a run's answer: every tenant, most urgent first", answerOptions, (args) => answerCommand(args, Infinity))
    .demandCommand(1, 'name a fleet command: enqueue, worker, status or results');
}

export function fleetCommand(): void {}

interface RedisArgs {
  redis: string;
}

function redisOption<T>(yargs: Argv<T>): Argv<T & RedisArgs> {
  return yargs.option('redis', { type: 'string', demandOption: true, describe: 'the Redis URL: redis://[user:password@]host[:port][/db], rediss:// for TLS' }) as unknown as Argv<T & RedisArgs>;
}

async function connectionOf(args: RedisArgs) {
  const connection = redisOptions(args.redis);
  await checkReachable(connection, maskedUrl(args.redis));
  return connection;
}

interface EnqueueArgs extends RedisArgs, ModelArgs {
  manifest: string;
  run: string;
  step: string;
  confidence: number;
  'keep-days': number;
  attempts: number;
}

function enqueueOptions(yargs: Argv): Argv<EnqueueArgs> {
  return modelOptions(redisOption(yargs))
    .option('manifest', { type: 'string', demandOption: true, describe: 'CSV with the columns tenant,cdrs,scenario (cdrs a path or a file-name pattern with * or ?), paths as the workers see them' })
    .option('run', { type: 'string', default: 'forecast', describe: 'what each tenant runs: forecast, recommend or replay (with its options, as the single-machine command)' })
    .option('step', { type: 'string', default: '10', describe: 'recommend: round recommended amounts up to this step' })
    .option('confidence', { type: 'number', default: 0.95, describe: 'recommend: share of trials in which no call may drop' })
    .option('keep-days', { type: 'number', default: 7, describe: 'days the run, its jobs and its results are kept in Redis, 1 to 365' })
    .option('attempts', { type: 'number', default: 3, describe: 'tries per tenant when a run fails other than on bad input, 1 to 20' }) as unknown as Argv<EnqueueArgs>;
}

/** The options that define a run's results, checked here so that a bad one fails the enqueue, not every tenant. */
function runOptions(args: EnqueueArgs): Record<string, unknown> {
  if (!COMMANDS.includes(args.run as FleetCommand)) throw new InputError(`--run: expected ${COMMANDS.join(', ')}, got "${args.run}"`);
  if (args.run === 'replay') return {};
  const trials = trialOptions(args);
  const model = { model: trials.model, trials: args.trials, seed: trials.seed, horizon: args.horizon, growth: args.growth, headcount: args.headcount ?? [], maxMemory: args['max-memory'] ?? null };
  if (args.run === 'forecast') return model;
  if (!(args.confidence > 0 && args.confidence <= 1)) throw new InputError(`--confidence: expected a share above 0 and at most 1, got ${args.confidence}`);
  const stepMicros = parseMicros(args.step);
  if (stepMicros === undefined || stepMicros <= 0) throw new InputError(`--step: expected a positive amount, got "${args.step}"`);
  return { ...model, step: args.step, confidence: args.confidence };
}

async function enqueueCommand(args: EnqueueArgs): Promise<void> {
  const options = runOptions(args);
  wholeInRange('keep-days', args['keep-days'], 1, 365);
  wholeInRange('attempts', args.attempts, 1, 20);
  const connection = await connectionOf(args);
  const queued = await enqueueRun(connection, args.manifest, { command: args.run as FleetCommand, options, keepSeconds: args['keep-days'] * 86_400, attempts: args.attempts });
  const already = queued.settled === 0 ? '' : `, ${queued.settled} already settled`;
  process.stdout.write(`${queued.runId}\n`);
  process.stderr.write(`creditcast fleet: run ${queued.runId}: ${queued.tenants} tenant(s)${already}\n`);
}

function wholeInRange(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new InputError(`--${option}: expected a whole number from ${min} to ${max}, got ${value}`);
}

interface WorkerArgs extends RedisArgs {
  concurrency: number;
  workers: number | undefined;
  'exit-when-idle': boolean;
  'lock-seconds': number;
  'max-stalls': number;
}

function workerOptions(yargs: Argv): Argv<WorkerArgs> {
  return redisOption(yargs)
    .option('concurrency', { type: 'number', default: 1, describe: 'tenants this process runs at once, 1 to 64' })
    .option('workers', { type: 'number', describe: workersHelp('threads each tenant uses') })
    .option('exit-when-idle', { type: 'boolean', default: false, describe: 'exit once no job is waiting or running' })
    .option('lock-seconds', { type: 'number', default: 30, describe: "seconds a job stays this worker's without renewal; a dead worker's job is taken up again after it, 1 to 3600" })
    .option('max-stalls', { type: 'number', default: 1, describe: 'times a job whose worker died is taken up again before it fails, 0 to 100' }) as unknown as Argv<WorkerArgs>;
}

async function workerCommand(args: WorkerArgs): Promise<void> {
  wholeInRange('concurrency', args.concurrency, 1, 64);
  wholeInRange('lock-seconds', args['lock-seconds'], 1, 3600);
  wholeInRange('max-stalls', args['max-stalls'], 0, 100);
  const threads = args.workers === undefined ? undefined : workersFrom(args.workers);
  const connection = await connectionOf(args);
  await runWorker(connection, runTenant, {
    concurrency: args.concurrency,
    threads,
    exitWhenIdle: args['exit-when-idle'],
    lockSeconds: args['lock-seconds'],
    maxStalls: args['max-stalls'],
    log: (line) => process.stderr.write(`creditcast fleet worker ${process.pid}: ${shortLine(line)}\n`),
  });
}

/** One tenant through the same code as the single-machine command, giving its exact --json text. */
async function runTenant(job: TenantJob, threads: number | undefined): Promise<string> {
  const cdrs = expandCdrs(job.cdrs);
  if (job.command === 'replay') return replayJson(await runReplay(cdrs, job.scenario, { workers: workersFrom(threads), chunkBytes: DEFAULT_CHUNK_BYTES, keepEvents: false }));
  const o = job.options as { model: string; trials: number; seed: number | null; horizon: number; growth: number; headcount: string[]; maxMemory: string | null; step?: string; confidence?: number };
  const args = {
    cdrs,
    scenario: job.scenario,
    workers: threads,
    'chunk-size': undefined,
    model: o.model,
    trials: o.trials,
    seed: o.seed ?? undefined,
    horizon: o.horizon,
    growth: o.growth,
    headcount: o.headcount,
    'max-memory': o.maxMemory ?? undefined,
    json: true,
    html: undefined,
    xlsx: undefined,
  };
  if (job.command === 'forecast') return forecastJson(await forecastAnswer(args));
  return recommendJson(await recommendAnswer({ ...args, step: o.step ?? '10', confidence: o.confidence ?? 0.95 }));
}

interface AnswerArgs extends RedisArgs {
  run: string | undefined;
  json: boolean;
  csv: string | undefined;
  html: string | undefined;
}

function answerOptions(yargs: Argv): Argv<AnswerArgs> {
  return redisOption(yargs)
    .option('run', { type: 'string', describe: 'the run id fleet enqueue printed (default: the newest run kept)' })
    .option('json', { type: 'boolean', default: false, describe: 'print progress and every tenant, with its own result, as JSON' })
    .option('csv', { type: 'string', describe: 'write one row per tenant, most urgent first, to this CSV file' })
    .option('html', { type: 'string', describe: 'write a page with the table and each tenant’s report to this HTML file' }) as unknown as Argv<AnswerArgs>;
}

async function answerCommand(args: AnswerArgs, limit: number): Promise<void> {
  const runId = args.run === undefined ? undefined : runIdArgument(args.run);
  const connection = await connectionOf(args);
  const { run, progress, lines } = await readFleetAnswer(connection, runId);
  if (args.csv !== undefined) writeOutput(args.csv, answerCsv(lines));
  if (args.html !== undefined) writeOutput(args.html, answerHtml(run, progress, lines));
  // Tenant names come from the manifest: on a terminal their control characters are shown escaped.
  process.stdout.write(args.json ? answerJson(run, progress, lines) : printableLines(answerText(run, progress, lines, limit)));
}
