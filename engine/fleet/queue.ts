import { Queue, type RedisOptions } from 'bullmq';
import { Redis, type RedisOptions as ClientOptions } from 'ioredis';
import { InputError } from '../kernel/errors.js';
import { QUEUE_NAME, QUEUE_PREFIX } from './keys.js';
import type { FleetCommand } from './store.js';

/** A job's payload: where the tenant's files are and the run's options, never CDR data. */
export interface TenantJob {
  run: string;
  tenant: string;
  tenantKey: string;
  cdrs: string;
  scenario: string;
  command: FleetCommand;
  options: Record<string, unknown>;
  keepSeconds: number;
}

/** Runs one tenant as the single-machine command would and gives its exact `--json` text. */
export type TenantRunner = (job: TenantJob, threads: number | undefined) => Promise<string>;

export function openQueue(connection: RedisOptions): Queue<TenantJob> {
  return new Queue<TenantJob>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
}

/** A payload read back from Redis is checked before any of it is used. */
export function checkedJob(data: unknown): TenantJob {
  const job = data as Partial<TenantJob> | null;
  const texts = ['run', 'tenant', 'tenantKey', 'cdrs', 'scenario'] as const;
  const valid =
    job !== null &&
    typeof job === 'object' &&
    texts.every((field) => typeof job[field] === 'string') &&
    ['forecast', 'recommend', 'replay'].includes(job.command as string) &&
    typeof job.options === 'object' &&
    job.options !== null &&
    typeof job.keepSeconds === 'number';
  if (!valid) throw new Error('a job payload is not a creditcast fleet job');
  return job as TenantJob;
}

/** The fleet's own records (runs, results, failures) beside the queue. */
export function openStore(connection: RedisOptions): Redis {
  return new Redis({ ...(connection as ClientOptions), maxRetriesPerRequest: 3 });
}

/**
 * Connects once, before any work, so that a wrong host, port, password or TLS setting is one line
 * naming the URL (its password masked) rather than a client retrying forever.
 */
export async function checkReachable(connection: RedisOptions, shownUrl: string): Promise<void> {
  const probe = new Redis({ ...(connection as ClientOptions), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 10_000 });
  // The reason (WRONGPASS, ECONNREFUSED, a TLS failure) comes as an error event before the connection closes.
  let reason: Error | undefined;
  probe.on('error', (error: Error) => (reason ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const shown = reason ?? error;
    throw new InputError(`--redis: cannot reach ${shownUrl} (${shown instanceof Error ? shown.message.split('\n')[0] : String(shown)})`);
  } finally {
    probe.disconnect();
  }
}
