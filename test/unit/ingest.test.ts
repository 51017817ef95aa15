import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExplainRow } from '../../engine/replay/result.js';
import { planRanges } from '../../engine/edge/read/ingest-files.js';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { FIXTURES } from '../helpers.js';

const fixture = (name: string) => join(FIXTURES, name);
const scenario = fixture('scenario.json');

async function replayFiles(files: string[], workers = 2) {
  const rows: ExplainRow[] = [];
  const result = await runReplay(files, scenario, { workers, explain: (row) => rows.push(row) });
  return { result, rows };
}

const shortFile = (path: string) => path.split('/').pop();

describe('Teams PSTN usage export', () => {
  // 16 rows on lines 2-18 (row 4 spans lines 4-5 with a quoted CRLF); rows 6-15 are each wrong in
  // one way. 2 free (inbound, Direct Routing), 2 pool, 2 credits: Germany 61 s = 2 min x 0.03 =
  // 0.06; toll-free 90 s = 2 min x 0.018 = 0.036 -> 0.04.
  it('reads quoted fields, a BOM and CRLF, and rejects each bad row with its line and reason', async () => {
    const { result, rows } = await replayFiles([fixture('teams-small.csv')]);
    expect(result.calls).toEqual({ read: 16, rejected: 10, free: 2, pool: 2, credits: 2, refused: 0, cut: 0 });
    expect(result.credits).toMatchObject({ fundedMicros: 50_000_000, spentMicros: 100_000, closingMicros: 49_900_000 });
    expect(rows.map((row) => `${row.line} ${row.funding}`)).toEqual(['2 pool', '3 credits', '4 free', '16 credits', '17 free', '18 pool']);
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual([
      '6 bad-time', '7 end-before-start', '8 bad-duration', '9 bad-duration', '10 unknown-call-type',
      '11 unknown-capability', '12 currency-mismatch', '13 duplicate-usage-id', '14 malformed-row', '15 no-rate',
    ]);
    expect(result.rejects[0]?.detail).toBe('Start Time "2026-02-30T10:00:00Z" is not an ISO 8601 instant');
    expect(result.rejects[8]?.raw).toBe('u-short,call-short,x');
    // Rejected after reading (duplicate, no rate): the row is read back from its offset to its end.
    expect(result.rejects[7]?.raw).toBe(readFileSync(fixture('teams-small.csv'), 'utf8').split(/\r?\n/)[12]);
    expect(result.rejects[9]?.raw).toMatch(/^u11,call-u11,.*,MCOPSTN_PAYG_1$/);
    expect(rows[2]).toMatchObject({ line: 4, usage_id: 'u3', call_type: 'user_in', number: '14255550100' });
    const germany = rows[1];
    expect(germany).toMatchObject({ usage_id: 'u2', number: '4930123456*', user: 'bo@contoso.example', rate_row: expect.stringMatching(/rates\.csv:4$/), billed_s: 120, charge: '0.06' });
  });

  it('finds columns by name in any order', async () => {
    const inOrder = await replayFiles([fixture('teams-small.csv')]);
    const reordered = await replayFiles([fixture('teams-reordered.csv')]);
    const strip = (rows: ExplainRow[]) => rows.map(({ file, ...rest }) => rest);
    expect(strip(reordered.rows)).toEqual(strip(inOrder.rows));
    // Details too: the duplicate's UsageId is read back from the last column, after quoted names.
    expect(reordered.result.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual(inOrder.result.rejects.map((r) => [r.line, r.reason, r.detail]));
  });

  it('gives the same answer for any number of workers and any chunk size', async () => {
    const reference = await replayFiles([fixture('teams-small.csv')], 1);
    for (const chunkBytes of [4096, 1 << 20]) {
      const rows: ExplainRow[] = [];
      const result = await runReplay([fixture('teams-small.csv')], scenario, { workers: 2, chunkBytes, explain: (row) => rows.push(row) });
      expect(rows).toEqual(reference.rows);
      expect(result.rejects).toEqual(reference.result.rejects);
    }
  });
});

describe('legacy Skype for Business export (tab-separated, h:mm:ss)', () => {
  it('reads the same three calls', async () => {
    const { result, rows } = await replayFiles([fixture('legacy-sfb.csv')]);
    expect(result.rejects).toEqual([]);
    expect(rows.map((row) => [row.user, row.call_type, row.number, row.duration_s])).toEqual([
      ['ana@contoso.example', 'user_out', '12125550100', 120],
      ['bo@contoso.example', 'user_out', '4930123456', 61],
      ['callcenter@contoso.example', 'ucap_in', '18005550100', 90],
    ]);
    expect(rows[2]?.why).toBe('toll-free inbound');
    expect(result.credits.spentMicros).toBe(100_000);
  });
});

describe('Microsoft Graph getPstnCalls JSON', () => {
  it('reads several pages, derives a null destinationContext and rejects a repeated id', async () => {
    const { result, rows } = await replayFiles([fixture('graph-page1.json'), fixture('graph-page2.json')]);
    expect(rows.map((row) => row.usage_id)).toEqual(['g1', 'g2', 'g3']);
    expect(rows[1]).toMatchObject({ funding: 'credits', why: 'international call on MCOPSTN1, a domestic plan', charge: '0.06' });
    expect(result.rejects.map((r) => `${shortFile(r.file)}:${r.line} ${r.reason}`)).toEqual(['graph-page2.json:2 duplicate-usage-id']);
    expect(result.rejects[0]?.raw).toContain('"id":"g1"');
  });

  it('reads an array of pages in one file the same way', async () => {
    const split = await replayFiles([fixture('graph-page1.json'), fixture('graph-page2.json')]);
    const joined = await replayFiles([fixture('graph-pages.json')]);
    expect(joined.rows.map((row) => row.usage_id)).toEqual(split.rows.map((row) => row.usage_id));
    expect(joined.result.credits.spentMicros).toBe(100_000);
  });
});

describe('several files', () => {
  // Calls from three exports merge in (start, file, line) order; ties go to the earlier file.
  it('merges files in start order and breaks ties by file then line', async () => {
    const { rows } = await replayFiles([fixture('legacy-sfb.csv'), fixture('graph-pages.json'), fixture('teams-small.csv')]);
    expect(rows.slice(0, 3).map((row) => `${shortFile(row.file)}:${row.line}`)).toEqual(['legacy-sfb.csv:2', 'graph-pages.json:1', 'teams-small.csv:2']);
    for (let i = 1; i < rows.length; i++) expect((rows[i]?.start ?? '') >= (rows[i - 1]?.start ?? '')).toBe(true);
  });
});

describe('user identity', () => {
  // One Domestic Calling Plan user (3,000 min in January) under two spellings of the UPN, 2,000 min
  // each: one user's pool, so 1,000 min go to credits at 0.02 = 20.00. Two users would pay nothing.
  it('treats UPNs that differ only in ASCII case as one user, in one range or across ranges', async () => {
    const header = readFileSync(fixture('teams-small.csv'), 'utf8').split('\n')[0];
    const row = (id: string, upn: string, day: string) =>
      `${id},c-${id},,US,00000000-0000-4000-a000-000000000001,${upn},"Smith, Ana",+12125550100,user_out,user_subscriber,Domestic,United States,+12125550100,2026-01-${day}T10:00:00Z,,120000,0,0,USD,MCOPSTN1`;
    const file = join(mkdtempSync(join(tmpdir(), 'creditcast-')), 'case.csv');
    writeFileSync(file, [header, row('a', 'Ana@Contoso.Example', '05'), row('b', 'ana@contoso.example', '06'), ''].join('\n'));
    for (const chunkBytes of [64, 1 << 20]) {
      const result = await runReplay([file], scenario, { workers: 2, chunkBytes });
      expect(result.calls).toMatchObject({ pool: 1, credits: 1 });
      expect(result.credits.spentMicros).toBe(20_000_000);
    }
  });
});

describe('many rejects', () => {
  // Rejects were once gathered with push(...list): a quarter of a million of them overflowed the
  // stack (an internal error) instead of being reported.
  it('reports 250,000 rejected rows of one range and 250,000 duplicates of another file', async () => {
    const header = readFileSync(fixture('teams-small.csv'), 'utf8').split('\n')[0];
    const folder = mkdtempSync(join(tmpdir(), 'creditcast-'));
    const rows = 250_000;
    const good = Array.from({ length: rows }, (_, i) => `id${i},c,,US,o,ana@contoso.example,Ana,+12125550100,user_in,user_subscriber,Domestic,United States,+12125550100,2026-01-05T10:00:00Z,,60,0,0,USD,MCOPSTN1`);
    const goodFile = join(folder, 'good.csv');
    writeFileSync(goodFile, `${header}\n${good.join('\n')}\n`);
    const shortFile = join(folder, 'short.csv');
    writeFileSync(shortFile, `${header}\n${'x,y\n'.repeat(rows)}`);
    const result = await runReplay([goodFile, goodFile, shortFile], scenario, { workers: 2, chunkBytes: 64 << 20 });
    expect(result.calls).toMatchObject({ read: 3 * rows, rejected: 2 * rows, free: rows });
    expect(result.rejectCounts).toEqual({ 'duplicate-usage-id': rows, 'malformed-row': rows });
  });
});

describe('call order across ranges', () => {
  // 300 calls written newest first with ties, cut into ranges of 4 KiB: the parts overlap in time,
  // so they must be merged; the same rows in one range must come out in the same order.
  it('replays an export written out of time order in (start, line) order, however it is cut', async () => {
    const header = readFileSync(fixture('teams-small.csv'), 'utf8').split('\n')[0];
    const rows = Array.from({ length: 300 }, (_, i) => {
      const minute = String(59 - Math.floor(i / 5)).padStart(2, '0');
      return `o${i},c,,US,o,ana@contoso.example,Ana,+12125550100,user_in,user_subscriber,Domestic,United States,+12125550100,2026-01-05T10:${minute}:00Z,,60,0,0,USD,MCOPSTN1`;
    });
    const file = join(mkdtempSync(join(tmpdir(), 'creditcast-')), 'newest-first.csv');
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    const order = async (chunkBytes: number) => {
      const lines: number[] = [];
      await runReplay([file], scenario, { workers: 2, chunkBytes, explain: (row) => lines.push(row.line) });
      return lines;
    };
    const whole = await order(64 << 20);
    // Newest first in the file: the last five lines (the earliest minute) come first, in line order.
    expect(whole.slice(0, 6)).toEqual([297, 298, 299, 300, 301, 292]);
    expect(await order(4096)).toEqual(whole);
  });
});

describe('range plan', () => {
  const MiB = 1 << 20;
  const sizes = (plan: ReturnType<typeof planRanges>) => plan.map((range) => range.rangeEnd - range.rangeStart);

  // 300 MB in ranges of at most 32 MiB: 9 would leave one worker of two alone for the last round.
  it('cuts a file into whole rounds of the worker count, no range over the chunk size, nothing left out', () => {
    const size = 300_000_000;
    const two = planRanges(100, size, 32 * MiB, 44, 2);
    expect(two).toHaveLength(10);
    expect(Math.max(...sizes(two))).toBeLessThanOrEqual(32 * MiB);
    expect(two[0]).toMatchObject({ rangeStart: 100, exactStart: true });
    expect(two.slice(1).every((range, index) => range.rangeStart === (two[index] as (typeof two)[number]).rangeEnd && !range.exactStart)).toBe(true);
    expect(two[two.length - 1]?.rangeEnd).toBe(size);
    expect(planRanges(100, size, 32 * MiB, 44, 1)).toHaveLength(9);
    // Three workers: 9 ranges of 33.3 MB are three whole rounds.
    expect(planRanges(100, size, 32 * MiB, 44, 3)).toHaveLength(9);
    expect(planRanges(100, size, 16 * MiB, 44, 4)).toHaveLength(20);
  });

  it('plans one empty range for a file with a header only', () => {
    expect(sizes(planRanges(50, 50, 32 * MiB, 44, 2))).toEqual([0]);
  });
});
