import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsCsv } from '../../engine/report/csv-files.js';
import { jsonReport } from '../../engine/report/json-report.js';
import { loadInputs, replayInputs, runReplay } from '../../engine/edge/run/run-replay.js';
import { tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

/**
 * A replay fed month by month while the ingest still reads must give what the replay after the
 * ingest gives, and must give way to it whenever it cannot be sure: rows out of time order,
 * duplicates it had already taken, no period in the scenario. Fed from one export, it releases the
 * parts it has gone past and the workers fill their memory again: when it then gives way, the
 * export is read again, whole.
 */
let folder: string;
let header: string;
let rows: string[];

beforeAll(() => {
  folder = tempFolder();
  const generated = spawnSync(process.execPath, [join(ROOT, 'dist', 'engine', 'cli', 'main.js'), 'generate', '--rows', '20000', '--users', '300', '--months', '3', '--seed', '17', '--out', folder]);
  expect(generated.status).toBe(0);
  const lines = readFileSync(join(folder, 'pstn.csv'), 'utf8').split('\n');
  header = lines[0] as string;
  // Generated names hold no line breaks, so a line is a row here.
  rows = lines.slice(1).filter((line) => line !== '');
  const rates = readFileSync(join(folder, 'rates.csv'), 'utf8').split('\n');
  // Half the destinations unpriced: "no rate" rejects come from inside the replay itself.
  writeFileSync(join(folder, 'half-rates.csv'), rates.filter((_, index) => index === 0 || index % 2 === 1).join('\n'));
  // Generated exports mark international calls of calling-plan users MCOPSTNPP, as a real one
  // does, and such rows wait for the whole export (a row's plan may come from the user's later
  // rows): read here as the older kind credits_only, nothing waits, and the replay is fed as it reads.
  const allowances = readFileSync(join(ROOT, 'data', 'allowances.csv'), 'utf8').replace('MCOPSTNPP,payment_source,', 'MCOPSTNPP,credits_only,');
  writeFileSync(join(folder, 'allowances.csv'), allowances);
  const scenario = (rates: string, period: boolean) => ({
    ...(period ? { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z' } : {}),
    allowances: 'allowances.csv',
    credits: { initial: '50.00', autoRecharge: { trigger: '20.00', amount: '50.00', failFrom: '2026-02-15T00:00:00Z', disableAfterFailures: 5 } },
    rating: { rates: [rates] },
  });
  writeFileSync(join(folder, 'scenario.json'), JSON.stringify(scenario('rates.csv', true)));
  writeFileSync(join(folder, 'half-rates.json'), JSON.stringify(scenario('half-rates.csv', true)));
  writeFileSync(join(folder, 'no-period.json'), JSON.stringify(scenario('rates.csv', false)));
  const { allowances: _, ...bundledAllowances } = scenario('rates.csv', true);
  writeFileSync(join(folder, 'payment-source.json'), JSON.stringify(bundledAllowances));
});

function writeExport(name: string, body: string[]): string {
  const file = join(folder, name);
  writeFileSync(file, `${header}\n${body.join('\n')}\n`);
  return file;
}

async function bothWays(files: string[], scenario: string, chunkBytes: number) {
  const modes: string[] = [];
  const streamed = await runReplay(files, join(folder, scenario), { workers: 2, chunkBytes, keepEvents: true, onReplayMode: (mode) => modes.push(mode) });
  const inputs = await loadInputs(files, join(folder, scenario), { workers: 1, chunkBytes: 64 << 20 });
  const after = replayInputs(inputs, { keepEvents: true });
  return {
    mode: modes.join(','),
    streamed: [JSON.stringify(jsonReport(streamed)), eventsCsv(streamed)],
    after: [JSON.stringify(jsonReport(after)), eventsCsv(after)],
    result: streamed,
  };
}

describe('a replay fed while the ingest reads', () => {
  it('is fed as the ranges arrive, and gives the same report and events as the replay after the ingest', async () => {
    const file = writeExport('ordered.csv', rows);
    for (const chunkBytes of [64 << 10, 256 << 10, 64 << 20]) {
      const run = await bothWays([file], 'scenario.json', chunkBytes);
      expect(run.mode).toBe('streamed');
      expect(run.streamed).toEqual(run.after);
    }
  });

  it('gives the same rejects when rows have no rate (found inside the replay)', async () => {
    const run = await bothWays([writeExport('ordered.csv', rows)], 'half-rates.json', 64 << 10);
    expect(run.mode).toBe('streamed');
    expect(run.result.rejectCounts['no-rate']).toBeGreaterThan(100);
    expect(run.streamed).toEqual(run.after);
  });

  it('gives way to the replay after the ingest for rows out of time order, even late in the file', async () => {
    // The file is in order but for one row near its end that belongs to the first month: the
    // parts released by then are missing, so the file is read again.
    const late = [...rows];
    late.splice(late.length - 10, 0, late.splice(5, 1)[0] as string);
    const run = await bothWays([writeExport('late-row.csv', late)], 'scenario.json', 64 << 10);
    expect(run.mode).toBe('read-again');
    expect(run.streamed).toEqual(run.after);
    // Out of order from its first range on (newest first): nothing was released, no second reading.
    const newestFirst = await bothWays([writeExport('newest-first.csv', [...rows].reverse())], 'scenario.json', 64 << 10);
    expect(newestFirst.mode).toBe('after-ingest');
    expect(newestFirst.streamed).toEqual(newestFirst.after);
  });

  it('reads one export again for duplicates found once it has released parts, and rejects each once', async () => {
    // Every 500th row given twice in a row, as an export that repeats a record: still in time order.
    const repeated = rows.flatMap((row, index) => (index % 500 === 0 ? [row, row] : [row]));
    const run = await bothWays([writeExport('repeated.csv', repeated)], 'scenario.json', 64 << 10);
    expect(run.mode).toBe('read-again');
    expect(run.result.rejectCounts['duplicate-usage-id']).toBe(Math.ceil(rows.length / 500));
    expect(run.result.calls.read).toBe(repeated.length);
    expect(run.streamed).toEqual(run.after);
    // No period: nothing is fed while reading and nothing released, but the ingest expected to
    // release parts and kept too little to settle the doubt itself: read again all the same.
    const noPeriod = await bothWays([writeExport('repeated.csv', repeated)], 'no-period.json', 64 << 10);
    expect(noPeriod.mode).toBe('read-again');
    expect(noPeriod.result.rejectCounts['duplicate-usage-id']).toBe(Math.ceil(rows.length / 500));
    expect(noPeriod.streamed).toEqual(noPeriod.after);
  });

  it('gives way to it for rows recorded as paid by a payment source, which take their plan from the whole export', async () => {
    const run = await bothWays([writeExport('ordered.csv', rows)], 'payment-source.json', 64 << 10);
    expect(run.mode).toBe('after-ingest');
    expect(Object.values(run.result.attribution.byPlan).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(100);
    expect(run.streamed).toEqual(run.after);
  });

  it('gives way to it for duplicates (an export given twice) and for a scenario without its period', async () => {
    const file = writeExport('ordered.csv', rows);
    const twice = await bothWays([file, file], 'scenario.json', 64 << 10);
    expect(twice.mode).toBe('after-ingest');
    expect(twice.result.rejectCounts['duplicate-usage-id']).toBe(rows.length);
    expect(twice.streamed).toEqual(twice.after);
    const noPeriod = await bothWays([file], 'no-period.json', 64 << 10);
    expect(noPeriod.mode).toBe('after-ingest');
    expect(noPeriod.streamed).toEqual(noPeriod.after);
  });
});
