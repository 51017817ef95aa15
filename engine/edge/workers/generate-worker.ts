import { Piscina } from 'piscina';
import { blockRandom, blockRows, tenantOf, type GenerateOptions } from '../../generate/generate-cdrs.js';
import type { Tenant } from '../../generate/tenant.js';
import { csvBytes } from '../../generate/csv-bytes.js';

/** One block of a generated export: its start times in, its CSV lines out as UTF-8 bytes. */
export interface BlockTask {
  options: GenerateOptions;
  block: number;
  starts: Float64Array;
}

let cached: { key: string; tenant: Tenant } | undefined;

export default function generateBlock(task: BlockTask): Uint8Array {
  const key = `${task.options.seed}:${task.options.users}`;
  if (cached?.key !== key) cached = { key, tenant: tenantOf(task.options) };
  const bytes = csvBytes(blockRows(cached.tenant, task.starts, blockRandom(task.options.seed, task.block)));
  return Piscina.move(bytes) as unknown as Uint8Array;
}
