import type { RedisOptions } from 'bullmq';
import { InputError } from '../kernel/errors.js';
import { progressOf, tenantLines, type Progress, type TenantLine } from './answer.js';
import { openQueue, openStore } from './queue.js';
import { latestRunId, readRun, type StoredRun } from './store.js';

export interface FleetAnswer {
  run: StoredRun;
  progress: Progress;
  lines: TenantLine[];
}

/** A run's progress and answer as stored now; without a run id, the newest run still kept. */
export async function readFleetAnswer(connection: RedisOptions, runId: string | undefined): Promise<FleetAnswer> {
  const queue = openQueue(connection);
  const client = openStore(connection);
  try {
    const id = runId ?? (await latestRunId(client));
    if (id === null) throw new InputError('--run: no run is stored in this Redis (enqueue one with creditcast fleet enqueue)');
    const run = await readRun(client, id);
    if (run === null) throw new InputError(`--run: no run ${id} in this Redis (never enqueued, or its retention has ended)`);
    const active = await queue.getActive();
    const running = active.filter((job) => (job.data as { run?: unknown } | undefined)?.run === id).length;
    return { run, progress: progressOf(run, running, Date.now()), lines: tenantLines(run) };
  } finally {
    client.disconnect();
    await queue.close();
  }
}
