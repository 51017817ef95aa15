import { beforeAll, describe, expect, it } from 'vitest';
import { RATE_SERVICES } from '../../engine/model/rate-row.js';
import { isFreeRoute, isPoolRoute, freeReasonOf, poolSideOf } from '../../engine/model/route.js';
import type { LoadedInputs } from '../../engine/replay/inputs.js';
import { loadRows } from '../replay-helpers.js';
import type { ExportRow } from '../teams-export.js';

const CASES: [string, ExportRow, string][] = [
  ['Direct Routing is billed by a carrier', { callType: 'dr_out', capability: 'MCOEV' }, 'free:carrier'],
  ['inbound to a user number is free', { callType: 'user_in' }, 'free:inbound'],
  ['toll-free inbound by Number Type "toll_free"', { callType: 'ucap_in', numberType: 'toll_free', callerId: '+14255550100' }, 'credits:tollfree_in'],
  ['toll-free inbound by a toll-free range (NANP 888)', { callType: 'conf_in', callerId: '+18885550199' }, 'credits:tollfree_in'],
  ['toll-free inbound by a UK 0808 range', { callType: 'unassigned_in', callerId: '+448081570000' }, 'credits:tollfree_in'],
  ['emergency 911 is free even with no capability', { destinationNumber: '911', capability: '' }, 'free:emergency'],
  ['FREECALL is free', { capability: 'FREECALL' }, 'free:free-capability'],
  ['domestic on a Domestic plan uses its pool', { domesticInternational: 'Domestic' }, 'pool:MCOPSTN1:domestic:outbound'],
  ['international on a Domestic plan pays credits', { domesticInternational: 'International', destinationNumber: '+442079460000' }, 'credits:outbound'],
  ['international on MCOPSTN2 uses its international pool', { capability: 'MCOPSTN2', domesticInternational: 'International', destinationNumber: '+442079460000' }, 'pool:MCOPSTN2:international:outbound'],
  ['US user to Canada is domestic (derived)', { destinationNumber: '+14165550100' }, 'pool:MCOPSTN1:domestic:outbound'],
  ['CA user to US is domestic (derived)', { userLocation: 'CA', destinationNumber: '+12125550100' }, 'pool:MCOPSTN1:domestic:outbound'],
  ['US user to Jamaica (+1 876) is international (derived)', { destinationNumber: '+18765550100' }, 'credits:outbound'],
  ['GB user to a masked German number is international (derived)', { userLocation: 'GB', destinationNumber: '+4930123****' }, 'credits:outbound'],
  ['Pay-As-You-Go pays every minute', { capability: 'MCOPSTN_PAYG_1', domesticInternational: 'Domestic' }, 'credits:outbound'],
  ['MCOPSTN8 is a per-user pool', { capability: 'MCOPSTN8', domesticInternational: 'Domestic' }, 'pool:MCOPSTN8:domestic:outbound'],
  ['conference dial-out to Zone A (DE) uses the conferencing pool', { callType: 'conf_out', capability: 'MCOMEETADD', destinationNumber: '+4930123456' }, 'pool:MCOMEETADD:conference:dialout'],
  ['conference dial-out outside Zone A (NG) pays credits', { callType: 'conf_out', capability: 'MCOMEETADD', destinationNumber: '+23412345678' }, 'credits:dialout'],
  ['pay-per-minute conferencing pays every minute', { callType: 'conf_out', capability: 'MCOMEETACPEA', destinationNumber: '+4930123456' }, 'credits:dialout'],
  ['an unknown capability is rejected', { capability: 'MCOSOMETHING' }, 'reject:unknown-capability'],
  ['an empty capability on an outbound call is rejected', { capability: '' }, 'reject:unknown-capability'],
  ['a plan with no row for the usage country is rejected', { capability: 'MCOPSTN1', userLocation: 'JP' }, 'reject:no-allowance'],
  ['a destination that cannot be placed is rejected', { destinationNumber: '+999999' }, 'reject:unknown-destination'],
];

/** Every case a row of one export, read once as a replay reads it: case i is line i + 2. */
let loaded: LoadedInputs;
beforeAll(async () => {
  loaded = await loadRows(CASES.map(([, row]) => row));
});

/** The route the ingest gave a line, in a few words, to read as a table. */
function routeOfLine(line: number): string {
  const reject = loaded.ingestRejects.find((rejected) => rejected.line === line);
  if (reject !== undefined) return `reject:${reject.reason}`;
  for (const part of loaded.table.parts) {
    const i = part.line.indexOf(line);
    if (i < 0) continue;
    const route = part.route[i] as number;
    const service = RATE_SERVICES[part.service[i] as number];
    if (isFreeRoute(route)) return `free:${freeReasonOf(route)}`;
    if (isPoolRoute(route)) return `pool:${loaded.rules.allowances.rows[part.allowance[i] as number]?.capability}:${poolSideOf(route)}:${service}`;
    return `credits:${service}`;
  }
  throw new Error(`line ${line} was neither accepted nor rejected`);
}

describe('which money source a call is routed to (RULES.md §2)', () => {
  it.each(CASES.map(([title, , expected], index) => [title, index + 2, expected] as const))('%s', (_title, line, expected) => {
    expect(routeOfLine(line)).toBe(expected);
  });

  it('reads every row of the export', () => {
    expect(loaded.rowsRead).toBe(CASES.length);
  });
});
