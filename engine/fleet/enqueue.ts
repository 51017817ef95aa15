import type { RedisOptions } from 'bullmq';
import { jobIdOf, runIdOf, tenantKeyOf } from './keys.js';
import { readManifest } from './manifest.js';
import { openQueue, openStore, type TenantJob } from './queue.js';
import { recordRun, settledTenants, type FleetCommand } from './store.js';

export interface EnqueueSettings {
  command: FleetCommand;
  options: Record<string, unknown>;
  keepSeconds: number;
  attempts: number;
}

export interface Enqueued {
  runId: string;
  tenants: number;
  /** Tenants whose one outcome is already stored: not queued again. */
  settled: number;
}

const BATCH = 1_000;

/**
 * One job per tenant of the manifest. The run id and job ids come from what defines the run, so
 * enqueueing it again adds no job that exists and none for a tenant already settled.
 */
export async function enqueueRun(connection: RedisOptions, manifestFile: string, settings: EnqueueSettings): Promise<Enqueued> {
  const manifest = readManifest(manifestFile);
  const runId = runIdOf(settings.command, settings.options, manifest.text, manifest.folder);
  const queue = openQueue(connection);
  const client = openStore(connection);
  try {
    await recordRun(client, runId, { command: settings.command, options: settings.options, manifest: manifestFile, tenants: manifest.tenants.length, createdAt: Date.now(), keepSeconds: settings.keepSeconds }, manifest.tenants);
    const settled = await settledTenants(client, runId);
    const jobs = manifest.tenants
      .map((entry) => ({ ...entry, tenantKey: tenantKeyOf(entry.tenant) }))
      .filter((entry) => !settled.has(entry.tenantKey))
      .map((entry) => {
        const data: TenantJob = { run: runId, ...entry, command: settings.command, options: settings.options, keepSeconds: settings.keepSeconds };
        const retention = { age: settings.keepSeconds };
        return { name: 'tenant', data, opts: { jobId: jobIdOf(runId, entry.tenantKey), attempts: settings.attempts, backoff: { type: 'fixed', delay: 1_000 }, removeOnComplete: retention, removeOnFail: retention } };
      });
    for (let from = 0; from < jobs.length; from += BATCH) await queue.addBulk(jobs.slice(from, from + BATCH));
    return { runId, tenants: manifest.tenants.length, settled: manifest.tenants.length - jobs.length };
  } finally {
    client.disconnect();
    await queue.close();
  }
}
