import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRateTables } from '../../engine/edge/load/load-rates.js';
import { formatMicrosPlain } from '../../engine/kernel/money.js';
import { formatInstant, parseInstant } from '../../engine/kernel/time.js';
import { runCli, tempFolder, writeFiles, type CliRun } from '../cli-helpers.js';
import { teamsCsv } from '../teams-export.js';
import { chargedRow, KNOWN_RATES, knownTenantRows } from './known-tenant.js';

/**
 * The "done": a tenant billed by a known price list (mobile/fixed splits, connection fees,
 * 1/1, 30/6 and 60/60 increments, one price change) gets that list back from `rates infer`, and a
 * replay with the inferred list reconciles every recorded charge to a difference of 0.00. Rows
 * with a tampered charge, in a second file, are listed as misfits by file and line, and do not
 * change the table.
 */
const PER_DESTINATION = 160;

let folder: string;
let infer: CliRun;

/** The second file: three tampered rows, a partly pool-funded row that fits, and one that does not. */
function extraRows() {
  const at = parseInstant('2026-02-10T09:00:00Z') as number;
  return [
    // Line 2: US 300 s at 0.02/min over 60/60 is 0.10; recorded 0.11.
    chargedRow('outbound', '12125550100', at, 300, 10_000),
    // Line 3: GB mobile 90 s at 0.12/min over 1/1 is 0.18; recorded 0.68.
    chargedRow('outbound', '447700900123', at, 90, 500_000),
    // Line 4: IN 61 s over 60/60 is 2 min x 0.085 + 0.05 = 0.22; recorded 0.21.
    chargedRow('outbound', '912212345678', at, 61, -10_000),
    // Line 5: a Domestic Calling Plan call of 300 s whose pool covered 3 minutes: 120 s at 0.02 = 0.04.
    { ...chargedRow('outbound', '12125550111', at, 120), durationSeconds: 300, capability: 'MCOPSTN1', domesticInternational: 'Domestic' },
    // Line 6: the same, recorded 0.05: no whole number of pool minutes leaves a part costing that.
    { ...chargedRow('outbound', '12125550112', at, 120, 10_000), durationSeconds: 300, capability: 'MCOPSTN1', domesticInternational: 'Domestic' },
  ].map((row, index) => ({ ...row, usageId: `extra-${index}` }));
}

beforeAll(() => {
  folder = tempFolder();
  writeFiles(folder, {
    'main.csv': teamsCsv(knownTenantRows(PER_DESTINATION)),
    'extra.csv': teamsCsv(extraRows()),
    'scenario.json': JSON.stringify({ currency: 'USD', credits: { initial: '100000.00', licensed: 'all' }, rating: { source: 'rates', rates: ['inferred.csv'] } }),
  });
  infer = runCli(['rates', 'infer', '--cdrs', join(folder, 'main.csv'), join(folder, 'extra.csv'), '--out', join(folder, 'inferred.csv'), '--report', join(folder, 'fit.csv'), '--misfits', join(folder, 'misfits.csv'), '--workers', '1']);
});

describe('rates infer on a tenant billed by a known price list', () => {
  it('gives the known list back, row for row', () => {
    expect(infer.stderr).toContain('misfits (listed, never absorbed): 4');
    expect(infer.code).toBe(0);
    const inferred = loadRateTables([join(folder, 'inferred.csv')], 'USD').rows.map((row) => ({
      service: row.service,
      prefix: row.prefix,
      perMinute: formatMicrosPlain(row.priceMicrosPerMinute),
      fee: formatMicrosPlain(row.connectionMicros),
      first: row.firstIncrementSeconds,
      next: row.nextIncrementSeconds,
      effectiveFrom: row.effectiveFrom === -Infinity ? '' : formatInstant(row.effectiveFrom).slice(0, 10),
    }));
    expect(inferred).toEqual(KNOWN_RATES);
  });

  it('says in its comment header that the table was inferred, and from which files', () => {
    const text = readFileSync(join(folder, 'inferred.csv'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# Inferred by creditcast rates infer from the recorded charges (Charge + Connection Fee) of these CDR files, not a published price list:',
      `#   ${join(folder, 'main.csv')}`,
      `#   ${join(folder, 'extra.csv')}`,
    ]);
  });

  it('lists the tampered rows and the unexplained pool row by file and line, recorded against what the table charges', () => {
    const misfits = readFileSync(join(folder, 'misfits.csv'), 'utf8').trim().split('\n');
    const extra = join(folder, 'extra.csv');
    expect(misfits).toEqual([
      'file,line,reason,service,number,start,duration_s,recorded,best_candidate,prefix',
      `${extra},2,no-fit,outbound,12125550100,2026-02-10T09:00:00Z,300,0.11,0.10,1`,
      `${extra},3,no-fit,outbound,447700900123,2026-02-10T09:00:00Z,90,0.68,0.18,447`,
      `${extra},4,no-fit,outbound,912212345678,2026-02-10T09:00:00Z,61,0.21,0.22,91`,
      `${extra},6,pool-part,outbound,12125550112,2026-02-10T09:00:00Z,300,0.05,,1`,
    ]);
    expect(infer.stderr).toContain('partly pool-funded rows checked: 1 of 2 explained by a whole number of pool minutes');
  });

  it('reports every table row reproducing all of its rows, pinned by many durations', () => {
    const report = readFileSync(join(folder, 'fit.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    expect(report).toHaveLength(KNOWN_RATES.length);
    for (const cells of report) {
      const [rows, fit, share, durations] = cells.slice(5, 9).map(Number) as [number, number, number, number];
      expect(fit).toBeGreaterThan(0);
      // The tampered rows are misfits of their prefixes, so only those three rows can fall short.
      expect(rows - fit).toBeLessThanOrEqual(1);
      expect(share).toBeGreaterThan(0.99);
      expect(durations).toBeGreaterThan(20);
    }
  });

  it('replays the learned-from export with the inferred table to a difference of 0.00 everywhere', () => {
    const replay = runCli(['replay', '--cdrs', join(folder, 'main.csv'), '--scenario', join(folder, 'scenario.json'), '--json', '--workers', '1']);
    expect(replay.stderr).toBe('');
    const result = JSON.parse(replay.stdout) as { calls: { credits: number; read: number }; reconciliation: { destination: string; calls: number; difference: string }[] };
    expect(result.calls.credits).toBe(result.calls.read);
    expect(result.reconciliation.length).toBeGreaterThan(8);
    for (const row of result.reconciliation) expect([row.destination, row.difference]).toEqual([row.destination, '0.00']);
    expect(result.reconciliation.reduce((sum, row) => sum + row.calls, 0)).toBe(11 * PER_DESTINATION);
  });

  it('writes the same bytes for any worker count and chunk size', () => {
    const other = runCli(['rates', 'infer', '--cdrs', join(folder, 'main.csv'), join(folder, 'extra.csv'), '--out', join(folder, 'again.csv'), '--misfits', join(folder, 'again-misfits.csv'), '--workers', '2', '--chunk-size', '4KiB']);
    expect(other.code).toBe(0);
    expect(readFileSync(join(folder, 'again.csv'), 'utf8')).toBe(readFileSync(join(folder, 'inferred.csv'), 'utf8'));
    expect(readFileSync(join(folder, 'again-misfits.csv'), 'utf8')).toBe(readFileSync(join(folder, 'misfits.csv'), 'utf8'));
  });

  it('learns the same table from the clean export alone: the misfits changed nothing', () => {
    const clean = runCli(['rates', 'infer', '--cdrs', join(folder, 'main.csv'), '--workers', '1']);
    expect(clean.code).toBe(0);
    const body = (text: string) => text.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    expect(body(clean.stdout)).toBe(body(readFileSync(join(folder, 'inferred.csv'), 'utf8')));
  });
});
