import { createHash } from 'node:crypto';
import { InputError } from '../kernel/errors.js';

/**
 * Every Redis key and job id the fleet writes. Nothing read from a manifest or a CDR is part of a
 * key: a tenant appears only as a hash of its name, a run only as a hash of what defines it.
 */
export const QUEUE_NAME = 'tenants';
export const QUEUE_PREFIX = 'creditcast';
const STORE = 'creditcast:fleet';

function hexHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A run is its command, options and manifest: the same three give the same id (enqueue is idempotent). */
export function runIdOf(command: string, options: object, manifestText: string, manifestFolder: string): string {
  return hexHash(JSON.stringify([command, canonical(options), manifestFolder, manifestText]), 16);
}

/** Keys sorted at every depth, so that the order options were given in never changes a run's id. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}

export function tenantKeyOf(tenant: string): string {
  return hexHash(tenant, 32);
}

/** BullMQ's job id: one per tenant and run, so a second enqueue of the same run adds nothing. */
export function jobIdOf(runId: string, tenantKey: string): string {
  return `${runId}-${tenantKey}`;
}

/** --run: the id `fleet enqueue` printed, checked before it reaches a key. */
export function runIdArgument(text: string): string {
  if (!/^[0-9a-f]{16}$/.test(text)) throw new InputError(`--run: expected a run id of 16 hexadecimal digits as fleet enqueue printed it, got "${text.slice(0, 40)}"`);
  return text;
}

export const runsKey = `${STORE}:runs`;

export function runKeys(runId: string) {
  const base = `${STORE}:run:${runId}`;
  return { meta: base, tenants: `${base}:tenants`, results: `${base}:results`, failed: `${base}:failed`, started: `${base}:started` };
}
