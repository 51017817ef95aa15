import type { Redis as RedisClient } from 'ioredis';
import { InvariantError } from '../kernel/errors.js';
import { runKeys, runsKey, tenantKeyOf } from './keys.js';
import type { ManifestTenant } from './manifest.js';

export type FleetCommand = 'forecast' | 'recommend' | 'replay';

/** What defines a run, kept beside its results. */
export interface RunMeta {
  command: FleetCommand;
  options: Record<string, unknown>;
  manifest: string;
  tenants: number;
  createdAt: number;
  keepSeconds: number;
}

/** A tenant's stored answer: the exact bytes the single-machine command prints with --json. */
export interface TenantResult {
  tenant: string;
  output: string;
  startedAt: number;
  finishedAt: number;
}

export interface TenantFailure {
  tenant: string;
  error: string;
  at: number;
}

export interface StoredRun {
  id: string;
  meta: RunMeta;
  /** Manifest order. */
  tenants: string[];
  results: Map<string, TenantResult>;
  failed: Map<string, TenantFailure>;
  firstStartedAt: number | null;
}

/** Records a run (first enqueue wins; a second one changes nothing) and starts its retention. */
export async function recordRun(client: RedisClient, id: string, meta: RunMeta, tenants: readonly ManifestTenant[]): Promise<void> {
  const keys = runKeys(id);
  const batch = client.multi();
  batch.hsetnx(keys.meta, 'meta', JSON.stringify(meta));
  batch.zadd(runsKey, 'NX', meta.createdAt, id);
  tenants.forEach((tenant, order) => batch.hsetnx(keys.tenants, tenantKeyOf(tenant.tenant), JSON.stringify({ tenant: tenant.tenant, order })));
  for (const key of [keys.meta, keys.tenants, keys.results, keys.failed]) batch.expire(key, meta.keepSeconds);
  await batch.exec();
}

/** Tenants of a run that already have their one stored outcome, by tenant key. */
export async function settledTenants(client: RedisClient, id: string): Promise<Set<string>> {
  const keys = runKeys(id);
  return new Set([...(await client.hkeys(keys.results)), ...(await client.hkeys(keys.failed))]);
}

export async function markStarted(client: RedisClient, id: string, at: number): Promise<void> {
  await client.hsetnx(runKeys(id).meta, 'firstStartedAt', String(at));
}

/**
 * Stores a tenant's result once: a later attempt (a retried or recovered job) that finds one
 * stored must have made the same bytes, or the engine is not deterministic, which is a bug.
 */
export async function storeResult(client: RedisClient, id: string, tenantKey: string, result: TenantResult, keepSeconds: number): Promise<void> {
  const keys = runKeys(id);
  const added = await client.hsetnx(keys.results, tenantKey, JSON.stringify(result));
  if (added === 0) {
    const stored = JSON.parse((await client.hget(keys.results, tenantKey)) ?? '{}') as Partial<TenantResult>;
    if (stored.output !== result.output) throw new InvariantError(`run ${id}: a second attempt at a tenant made a different result (the engine must be deterministic)`);
  }
  await keepRun(client, id, keepSeconds);
}

/** Every write starts the run's retention again, so a run's records expire together. */
async function keepRun(client: RedisClient, id: string, keepSeconds: number): Promise<void> {
  const keys = runKeys(id);
  const batch = client.multi();
  for (const key of [keys.meta, keys.tenants, keys.results, keys.failed]) batch.expire(key, keepSeconds);
  await batch.exec();
}

/** Stores a tenant's failure once, unless it already has a result. */
export async function storeFailure(client: RedisClient, id: string, tenantKey: string, failure: TenantFailure, keepSeconds: number): Promise<void> {
  const keys = runKeys(id);
  if ((await client.hexists(keys.results, tenantKey)) === 1) return;
  await client.hsetnx(keys.failed, tenantKey, JSON.stringify(failure));
  await keepRun(client, id, keepSeconds);
}

/** The newest run whose records are still kept, or null. */
export async function latestRunId(client: RedisClient): Promise<string | null> {
  const ids = await client.zrevrange(runsKey, 0, -1);
  for (const id of ids) {
    if ((await client.exists(runKeys(id).meta)) === 1) return id;
    // Its retention ended: the index forgets it too.
    await client.zrem(runsKey, id);
  }
  return null;
}

export async function readRun(client: RedisClient, id: string): Promise<StoredRun | null> {
  const keys = runKeys(id);
  const [metaText, firstStarted] = await client.hmget(keys.meta, 'meta', 'firstStartedAt');
  if (metaText === null || metaText === undefined) return null;
  const tenantRows = Object.values(await client.hgetall(keys.tenants)).map((text) => JSON.parse(text) as { tenant: string; order: number });
  const results = new Map(Object.values(await client.hgetall(keys.results)).map((text) => parsedBy<TenantResult>(text)));
  const failed = new Map(Object.values(await client.hgetall(keys.failed)).map((text) => parsedBy<TenantFailure>(text)));
  return {
    id,
    meta: JSON.parse(metaText) as RunMeta,
    tenants: tenantRows.sort((a, b) => a.order - b.order).map((row) => row.tenant),
    results,
    failed,
    firstStartedAt: firstStarted === null || firstStarted === undefined ? null : Number(firstStarted),
  };
}

function parsedBy<T extends { tenant: string }>(text: string): [string, T] {
  const value = JSON.parse(text) as T;
  return [value.tenant, value];
}
