import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job, type RedisOptions } from 'bullmq';
import type { Redis as RedisClient } from 'ioredis';
import { InputError } from '../kernel/errors.js';
import { quoted, shortLine } from '../kernel/quote.js';
import { QUEUE_NAME, QUEUE_PREFIX } from './keys.js';
import { checkedJob, openQueue, openStore, type TenantJob, type TenantRunner } from './queue.js';
import { markStarted, storeFailure, storeResult } from './store.js';

export interface WorkerSettings {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** Threads each job's engine uses (the single-machine --workers). */
  threads: number | undefined;
  /** Stop once the queue has no job waiting, delayed or running. */
  exitWhenIdle: boolean;
  /** How long a job's lock lasts without renewal: a dead worker's job is recovered after it. */
  lockSeconds: number;
  /** Recoveries of a job whose worker died before it is failed. */
  maxStalls: number;
  log: (line: string) => void;
}

const IDLE_POLL_MS = 500;

/** Takes tenant jobs until stopped (SIGINT, SIGTERM) or, with exitWhenIdle, until none is left. */
export async function runWorker(connection: RedisOptions, runner: TenantRunner, settings: WorkerSettings): Promise<void> {
  const queue = openQueue(connection);
  const client = openStore(connection);
  const worker = new Worker<TenantJob, string>(QUEUE_NAME, (job) => processTenant(client, job, runner, settings), {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency: settings.concurrency,
    lockDuration: settings.lockSeconds * 1_000,
    stalledInterval: Math.max(1_000, (settings.lockSeconds * 1_000) / 2),
    maxStalledCount: settings.maxStalls,
    name: `${hostname()}:${process.pid}`,
  });
  worker.on('failed', (job, error) => void recordFinalFailure(client, job, error).catch((caught: unknown) => settings.log(`cannot record a failure: ${String(caught)}`)));
  worker.on('error', (error) => settings.log(`redis: ${error.message}`));
  // SIGINT or SIGTERM: finish the jobs in hand, take no more, then exit.
  let stopping = false;
  const closed = new Promise<void>((resolve) => worker.once('closed', () => resolve()));
  const stop = () => {
    stopping = true;
    void worker.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await worker.waitUntilReady();
    await (settings.exitWhenIdle ? Promise.race([untilIdle(queue, () => stopping), closed]) : closed);
  } finally {
    await worker.close();
    await queue.close();
    client.disconnect();
  }
}

async function untilIdle(queue: ReturnType<typeof openQueue>, stopping: () => boolean): Promise<void> {
  while (!stopping()) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
    if (Object.values(counts).every((count) => count === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
}

/**
 * One attempt at a tenant. Bad input fails the tenant at once, with its one line, and is not
 * retried (it would fail the same way); anything else is retried up to the job's attempts.
 */
async function processTenant(client: RedisClient, bullJob: Job<TenantJob, string>, runner: TenantRunner, settings: WorkerSettings): Promise<string> {
  const job = checkedJob(bullJob.data);
  const startedAt = Date.now();
  await markStarted(client, job.run, startedAt);
  settings.log(`run ${job.run} tenant ${quoted(job.tenant)} started (attempt ${bullJob.attemptsStarted})`);
  let output: string;
  try {
    output = await runner(job, settings.threads);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await storeFailure(client, job.run, job.tenantKey, { tenant: job.tenant, error: shortLine(error.message), at: Date.now() }, job.keepSeconds);
    settings.log(`run ${job.run} tenant ${quoted(job.tenant)} failed: ${shortLine(error.message)}`);
    throw new UnrecoverableError(error.message);
  }
  await storeResult(client, job.run, job.tenantKey, { tenant: job.tenant, output, startedAt, finishedAt: Date.now() }, job.keepSeconds);
  settings.log(`run ${job.run} tenant ${quoted(job.tenant)} done`);
  return 'stored';
}

/** A job that will not be tried again (attempts used up, or stalled too often) leaves its error as the tenant's outcome. */
async function recordFinalFailure(client: RedisClient, bullJob: Job<TenantJob, string> | undefined, error: Error): Promise<void> {
  if (bullJob === undefined || (await bullJob.getState()) !== 'failed') return;
  const job = checkedJob(bullJob.data);
  await storeFailure(client, job.run, job.tenantKey, { tenant: job.tenant, error: shortLine(error.message), at: Date.now() }, job.keepSeconds);
}
