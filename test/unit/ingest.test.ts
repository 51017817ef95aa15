import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../engine/cdr/ingest.js';
import { runReplay } from '../../engine/replay/run-replay.js';
import { FIXTURES } from '../helpers.js';

const fixture = (name: string) => join(FIXTURES, name);
const scenario = fixture('scenario.json');

describe('Teams PSTN usage export', () => {
  // 16 rows on lines 2-18 (row 4 spans lines 4-5 with a quoted CRLF); rows 6-15 are each wrong in one
  // way. Reading rejects what the row alone shows; line 11's unknown capability and line 15's missing
  // rate are the replay's to reject (next test).
  it('reads quoted fields, a BOM and CRLF, and rejects each bad row with its line and reason', async () => {
    const { calls, rejects, rowsRead } = await ingestFiles([fixture('teams-small.csv')], 'USD');
    expect(rowsRead).toBe(16);
    expect(calls.map((call) => call.line)).toEqual([2, 3, 4, 11, 15, 16, 17, 18]);
    expect(rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual([
      '6 bad-time',
      '7 end-before-start',
      '8 bad-duration',
      '9 bad-duration',
      '10 unknown-call-type',
      '12 currency-mismatch',
      '13 duplicate-usage-id',
      '14 malformed-row',
    ]);
    const [ana, bo] = calls;
    expect(ana).toMatchObject({ usageId: 'u1', upn: 'ana@contoso.example', userCountry: 'US', domestic: true, numberDigits: '12125550100', durationSeconds: 120 });
    expect(bo).toMatchObject({ numberDigits: '4930123456', numberMasked: true, recordedMicros: 60_000 });
    expect(rejects[0]?.detail).toBe('Start Time "2026-02-30T10:00:00Z" is not an ISO 8601 instant');
    expect(rejects[7]?.raw).toBe('u-short,call-short,x');
  });

  it('finds columns by name in any order', async () => {
    const inOrder = await ingestFiles([fixture('teams-small.csv')], 'USD');
    const reordered = await ingestFiles([fixture('teams-reordered.csv')], 'USD');
    const strip = (calls: typeof inOrder.calls) => calls.map(({ file, raw, ...rest }) => rest);
    expect(strip(reordered.calls)).toEqual(strip(inOrder.calls));
    expect(reordered.rejects.map((r) => [r.line, r.reason])).toEqual(inOrder.rejects.map((r) => [r.line, r.reason]));
  });

  // The whole replay of the fixture: 2 free (inbound, Direct Routing), 2 pool, 2 credits
  // (Germany 61 s = 2 min x 0.03 = 0.06; toll-free 90 s = 2 min x 0.018 = 0.036 -> 0.04),
  // 10 rejected (8 at reading, unknown capability, and no rate for Japan).
  it('replays to a result a person can check', async () => {
    const { result } = await runReplay([fixture('teams-small.csv')], scenario);
    expect(result.calls).toEqual({ read: 16, rejected: 10, free: 2, pool: 2, credits: 2, refused: 0, cut: 0 });
    expect(result.credits).toMatchObject({ fundedMicros: 50_000_000, spentMicros: 100_000, closingMicros: 49_900_000 });
    expect(result.rejectCounts).toMatchObject({ 'unknown-capability': 1, 'no-rate': 1 });
  });
});

describe('legacy Skype for Business export (tab-separated, h:mm:ss)', () => {
  it('reads the same three calls', async () => {
    const { calls, rejects } = await ingestFiles([fixture('legacy-sfb.csv')], 'USD');
    expect(rejects).toEqual([]);
    expect(calls.map((call) => [call.upn, call.callType, call.numberDigits, call.durationSeconds, call.tollFreeNumberType])).toEqual([
      ['ana@contoso.example', 'user_out', '12125550100', 120, false],
      ['bo@contoso.example', 'user_out', '4930123456', 61, false],
      ['callcenter@contoso.example', 'ucap_in', '18005550100', 90, true],
    ]);
    const { result } = await runReplay([fixture('legacy-sfb.csv')], scenario);
    expect(result.credits.spentMicros).toBe(100_000);
  });
});

describe('Microsoft Graph getPstnCalls JSON', () => {
  it('reads several pages, derives a null destinationContext and rejects a repeated id', async () => {
    const { calls, rejects } = await ingestFiles([fixture('graph-page1.json'), fixture('graph-page2.json')], 'USD');
    expect(calls.map((call) => call.usageId)).toEqual(['g1', 'g2', 'g3']);
    expect(calls[1]).toMatchObject({ domestic: null, recordedMicros: 60_000 });
    expect(rejects.map((r) => `${r.file.split('/').pop()}:${r.line} ${r.reason}`)).toEqual(['graph-page2.json:2 duplicate-usage-id']);
  });

  it('reads an array of pages in one file the same way', async () => {
    const split = await ingestFiles([fixture('graph-page1.json'), fixture('graph-page2.json')], 'USD');
    const joined = await ingestFiles([fixture('graph-pages.json')], 'USD');
    expect(joined.calls.map((call) => call.usageId)).toEqual(split.calls.map((call) => call.usageId));
    const { result } = await runReplay([fixture('graph-pages.json')], scenario);
    expect(result.credits.spentMicros).toBe(100_000);
  });
});

describe('several files', () => {
  // Calls from three exports merge in (start, file, line) order; ties go to the earlier file.
  it('merges files in start order and breaks ties by file then line', async () => {
    const { calls } = await ingestFiles([fixture('legacy-sfb.csv'), fixture('graph-pages.json'), fixture('teams-small.csv')], 'USD');
    const first = calls.slice(0, 3).map((call) => `${call.file.split('/').pop()}:${call.line}`);
    expect(first).toEqual(['legacy-sfb.csv:2', 'graph-pages.json:1', 'teams-small.csv:2']);
    for (let i = 1; i < calls.length; i++) expect((calls[i]?.startAt ?? 0) >= (calls[i - 1]?.startAt ?? 0)).toBe(true);
  });
});
