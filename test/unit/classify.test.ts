import { describe, expect, it } from 'vitest';
import type { Call } from '../../engine/model/cdr.js';
import { RATE_SERVICES } from '../../engine/model/rate-row.js';
import { isFreeRoute, isPoolRoute, freeReasonOf, poolSideOf } from '../../engine/model/route.js';
import { classifyInto, emptyClassification, factsOfCall, type Classification } from '../../engine/rules/classify.js';
import { bundledRules, makeCall } from '../helpers.js';

/** A route in a few words, to read as a table. */
function describeRoute(route: Classification): string {
  if (route.reject !== null) return `reject:${route.reject}`;
  if (isFreeRoute(route.route)) return `free:${freeReasonOf(route.route)}`;
  const service = RATE_SERVICES[route.service];
  if (isPoolRoute(route.route)) return `pool:${bundledRules().allowances.rows[route.allowance]?.capability}:${poolSideOf(route.route)}:${service}`;
  return `credits:${service}`;
}

const inbound = (overrides: Partial<Call>): Partial<Call> => ({ direction: 'inbound', callType: 'user_in', ...overrides });

describe('which money source a call is routed to (DOMAIN.md §2-4)', () => {
  it.each<[string, Partial<Call>, string]>([
    ['Direct Routing is billed by a carrier', { direction: 'carrier', callType: 'dr_out', capability: 'MCOEV' }, 'free:carrier'],
    ['inbound to a user number is free', inbound({}), 'free:inbound'],
    ['toll-free inbound by Number Type "toll_free"', inbound({ callType: 'ucap_in', tollFreeNumberType: true, numberDigits: '14255550100' }), 'credits:tollfree_in'],
    ['toll-free inbound by a toll-free range (NANP 888)', inbound({ callType: 'conf_in', numberDigits: '18885550199' }), 'credits:tollfree_in'],
    ['toll-free inbound by a UK 0808 range', inbound({ callType: 'unassigned_in', numberDigits: '448081570000' }), 'credits:tollfree_in'],
    ['emergency 911 is free even with no capability', { numberDigits: '911', capability: '' }, 'free:emergency'],
    ['FREECALL is free', { capability: 'FREECALL' }, 'free:free-capability'],
    ['domestic on a Domestic plan uses its pool', { domestic: true }, 'pool:MCOPSTN1:domestic:outbound'],
    ['international on a Domestic plan pays credits', { domestic: false, numberDigits: '442079460000' }, 'credits:outbound'],
    ['international on MCOPSTN2 uses its international pool', { capability: 'MCOPSTN2', domestic: false, numberDigits: '442079460000' }, 'pool:MCOPSTN2:international:outbound'],
    ['US user to Canada is domestic (derived)', { numberDigits: '14165550100' }, 'pool:MCOPSTN1:domestic:outbound'],
    ['CA user to US is domestic (derived)', { userCountry: 'CA', numberDigits: '12125550100' }, 'pool:MCOPSTN1:domestic:outbound'],
    ['US user to Jamaica (+1 876) is international (derived)', { numberDigits: '18765550100' }, 'credits:outbound'],
    ['GB user to a masked German number is international (derived)', { userCountry: 'GB', numberDigits: '4930123', numberMasked: true }, 'credits:outbound'],
    ['Pay-As-You-Go pays every minute', { capability: 'MCOPSTN_PAYG_1', domestic: true }, 'credits:outbound'],
    ['MCOPSTN8 is a per-user pool', { capability: 'MCOPSTN8', domestic: true }, 'pool:MCOPSTN8:domestic:outbound'],
    ['conference dial-out to Zone A (DE) uses the conferencing pool', { callType: 'conf_out', capability: 'MCOMEETADD', numberDigits: '4930123456' }, 'pool:MCOMEETADD:conference:dialout'],
    ['conference dial-out outside Zone A (NG) pays credits', { callType: 'conf_out', capability: 'MCOMEETADD', numberDigits: '23412345678' }, 'credits:dialout'],
    ['pay-per-minute conferencing pays every minute', { callType: 'conf_out', capability: 'MCOMEETACPEA', numberDigits: '4930123456' }, 'credits:dialout'],
    ['an unknown capability is rejected', { capability: 'MCOSOMETHING' }, 'reject:unknown-capability'],
    ['an empty capability on an outbound call is rejected', { capability: '' }, 'reject:unknown-capability'],
    ['a plan with no row for the usage country is rejected', { capability: 'MCOPSTN1', userCountry: 'JP' }, 'reject:no-allowance'],
    ['a destination that cannot be placed is rejected', { numberDigits: '999999' }, 'reject:unknown-destination'],
  ])('%s', (_title, overrides, expected) => {
    expect(describeRoute(classifyInto(factsOfCall(makeCall(overrides)), bundledRules(), emptyClassification()))).toBe(expected);
  });
});
