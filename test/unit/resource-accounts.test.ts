import { describe, expect, it } from 'vitest';
import { fundings, replayRows, type ScenarioJson } from '../replay-helpers.js';

// Rates (test/replay-helpers.ts): tollfree_in 1800 0.018/min, outbound 1 0.02/min, 60/60 s increments.
// An auto attendant answers +1 800 555 0100, a call queue +1 800 555 0111: their rows have no UPN.
const intoTollFree = (number: string, durationSeconds: number, upn = '') => ({ callType: 'ucap_in', numberType: 'toll_free', upn, callerId: number, destinationNumber: number, durationSeconds, capability: 'MCOPSTNPP' });
const rows = [
  // 120 s into the attendant's toll-free number: 2 min x 0.018 = 0.036, rounded half-up to 0.04.
  intoTollFree('+18005550100', 120),
  // 60 s into the queue's: 0.018, rounded to 0.02.
  intoTollFree('+18005550111', 60),
  // The queue forwards a caller out, 60 s to +1 425 555 0100 (credits only): 0.02. The row names
  // only the number dialled, not the queue's own.
  { callType: 'ucap_out', upn: '', capability: 'MCOPSTNPP', durationSeconds: 60 },
  // A row of a resource account that does carry a UPN is that user's, as any other.
  intoTollFree('+18005550100', 60, 'callcenter@contoso.example'),
];
const usersListed = (resourceAccounts?: ScenarioJson['credits'] extends infer C ? C extends { resourceAccounts?: infer R } ? R : never : never): ScenarioJson => ({
  credits: { initial: '100', licensed: ['ana@contoso.example'], ...(resourceAccounts === undefined ? {} : { resourceAccounts }) },
});

describe('resource accounts (DOMAIN §4)', () => {
  it('funds their toll-free calls under a user licence list that cannot name them (default "all")', async () => {
    const result = await replayRows(rows, usersListed());
    expect(fundings(result)).toEqual([
      'credits pool 0s credit 120s paid 0.04',
      'credits pool 0s credit 60s paid 0.02',
      'credits pool 0s credit 60s paid 0.02',
      'refused pool 0s credit 60s',
    ]);
    expect(result.rows.map((row) => row.user)).toEqual(['resource account +18005550100', 'resource account +18005550111', 'resource account (outbound)', 'callcenter@contoso.example']);
    // 100.00 - (0.04 + 0.02 + 0.02) = 99.92.
    expect(result.credits.closingMicros).toBe(99_920_000);
  });

  it('funds only the listed numbers, written any way people type them', async () => {
    const result = await replayRows(rows, usersListed(['+1 (800) 555-0100']));
    expect(fundings(result).slice(0, 3)).toEqual(['credits pool 0s credit 120s paid 0.04', 'refused pool 0s credit 60s', 'refused pool 0s credit 60s']);
  });

  it('funds none with "none"', async () => {
    const result = await replayRows(rows.slice(0, 3), { credits: { initial: '100', resourceAccounts: 'none' } });
    expect(result.calls).toMatchObject({ credits: 0, refused: 3 });
  });

  it('refuses an unknown value in one line naming the JSON path and what is allowed', async () => {
    await expect(replayRows(rows, { credits: { resourceAccounts: 'some' as 'all' } })).rejects.toThrow(
      /: credits\.resourceAccounts: expected "all", "none" or a list of the phone numbers the licensed resource accounts answer \(got "some"\)$/,
    );
    await expect(replayRows(rows, { credits: { resourceAccounts: ['+1 800 CALL NOW'] } })).rejects.toThrow(/: credits\.resourceAccounts\[0\]: "\+1 800 CALL NOW" is not a phone number/);
  });
});
