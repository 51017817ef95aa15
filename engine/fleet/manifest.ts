import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, place } from '../kernel/errors.js';
import { quoted } from '../kernel/quote.js';
import { readCsvTable } from '../edge/load/csv-table.js';

/** One line of a fleet manifest: the tenant's name and where its inputs are, as absolute paths. */
export interface ManifestTenant {
  tenant: string;
  cdrs: string;
  scenario: string;
}

/** Tenants one run takes: past this, split the manifest. */
export const MANIFEST_TENANTS_MAX = 100_000;

/**
 * Reads `tenant,cdrs,scenario`. Relative paths are taken from the manifest's folder, so that every
 * worker reading the same shared storage finds the same files; the files themselves are not
 * opened here, because a missing one fails its tenant alone, on the worker.
 */
export function readManifest(file: string): { tenants: ManifestTenant[]; text: string; folder: string } {
  const rows = readCsvTable(file, ['tenant', 'cdrs', 'scenario']);
  const folder = dirname(resolve(file));
  if (rows.length === 0) throw new InputError(`${file}: no tenants, expected a line per tenant under the header tenant,cdrs,scenario`);
  if (rows.length > MANIFEST_TENANTS_MAX) throw new InputError(`${file}: ${rows.length} tenants, more than the ${MANIFEST_TENANTS_MAX.toLocaleString('en')} a run takes (split the manifest)`);
  const lineOf = new Map<string, number>();
  const tenants = rows.map((row) => {
    const tenant = row.field('tenant');
    for (const name of ['tenant', 'cdrs', 'scenario']) {
      if (row.field(name) === '') throw new InputError(`${place(file, row.line)}: column "${name}" is empty, expected ${name === 'tenant' ? "the tenant's name" : 'a path'}`);
    }
    const before = lineOf.get(tenant);
    if (before !== undefined) throw new InputError(`${place(file, row.line)}: tenant ${quoted(tenant)} appears twice (lines ${before} and ${row.line})`);
    lineOf.set(tenant, row.line);
    return { tenant, cdrs: resolve(folder, row.field('cdrs')), scenario: resolve(folder, row.field('scenario')) };
  });
  return { tenants, text: readFileSync(file, 'utf8'), folder };
}

/**
 * The CDR files a manifest's `cdrs` names: the path itself, or with `*` or `?` in its last part,
 * the files of that folder that match, in name order. A pattern that matches nothing is bad input.
 */
export function expandCdrs(pattern: string): string[] {
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const folder = dirname(pattern);
  if (/[*?]/.test(folder) || !isAbsolute(folder)) throw new InputError(`cdrs ${quoted(pattern)}: expected * or ? only in the file name`);
  const matcher = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    throw new InputError(`cdrs ${quoted(pattern)}: folder ${quoted(folder)} cannot be read`);
  }
  const found = names.filter((entry) => matcher.test(entry)).sort();
  if (found.length === 0) throw new InputError(`cdrs ${quoted(pattern)}: no file matches`);
  return found.map((entry) => join(folder, entry));
}
