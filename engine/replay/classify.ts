import type { Call, RejectReason } from '../cdr/call.js';
import { isDomesticPair } from '../numbers/e164.js';
import { countryOfNumber, isTollFreeNumber, type NumberingPlan } from '../numbers/reference.js';
import type { Allowance, Allowances } from '../pools/allowances.js';
import type { RateService } from '../rates/rate-table.js';

export type FreeReason = 'inbound' | 'carrier' | 'emergency' | 'free-capability' | 'unanswered';
export type PoolSide = 'domestic' | 'international' | 'conference';

/** Where a call's money comes from, before any pool or balance is looked at. */
export type Route =
  | { kind: 'free'; why: FreeReason }
  /** A minute pool first; what it does not cover goes to credits at `service` rates. */
  | { kind: 'pool'; allowance: Allowance; side: PoolSide; service: RateService }
  | { kind: 'credits'; service: RateService; why: string }
  | { kind: 'reject'; reason: RejectReason; detail: string };

export type AcceptedRoute = Exclude<Route, { kind: 'reject' }>;

export interface Rules {
  allowances: Allowances;
  numbering: NumberingPlan;
}

/** DOMAIN.md §2-4 as one decision per call. */
export function classify(call: Call, rules: Rules): Route {
  if (call.direction === 'carrier') return { kind: 'free', why: 'carrier' };
  if (call.direction === 'inbound') return classifyInbound(call, rules);
  if (rules.numbering.emergencyNumbers.has(call.numberDigits)) return { kind: 'free', why: 'emergency' };
  if (call.capability === '') return { kind: 'reject', reason: 'unknown-capability', detail: 'Capability is empty on an outbound call' };

  const lookup = rules.allowances.lookup(call.capability, call.userCountry);
  if ('unknownCapability' in lookup) {
    return { kind: 'reject', reason: 'unknown-capability', detail: `Capability "${call.capability}" is not in the allowances file` };
  }
  if ('noAllowanceFor' in lookup) {
    return { kind: 'reject', reason: 'no-allowance', detail: `Capability "${call.capability}" has no allowance row for User Location "${call.userCountry}"` };
  }
  const allowance = lookup.found;
  const service: RateService = call.callType === 'conf_out' ? 'dialout' : 'outbound';

  switch (allowance.kind) {
    case 'free':
      return { kind: 'free', why: 'free-capability' };
    case 'pay_as_you_go':
    case 'credits_only':
    case 'conferencing_pay_per_minute':
      return { kind: 'credits', service, why: `${allowance.capability} pays every minute from credits` };
    case 'conferencing': {
      const destination = countryOfNumber(rules.numbering, call.numberDigits);
      if (destination === undefined) return unknownDestination(call);
      return rules.numbering.zoneA.has(destination)
        ? { kind: 'pool', allowance, side: 'conference', service }
        : { kind: 'credits', service, why: `dial-out to ${destination}, outside Zone A` };
    }
    case 'calling_plan':
    case 'calling_plan_per_user': {
      const domestic = isDomestic(call, rules);
      if (domestic === undefined) return unknownDestination(call);
      if (domestic) return { kind: 'pool', allowance, side: 'domestic', service };
      if (allowance.internationalMinutes > 0) return { kind: 'pool', allowance, side: 'international', service };
      return { kind: 'credits', service, why: `international call on ${allowance.capability}, a domestic plan` };
    }
  }
}

function classifyInbound(call: Call, rules: Rules): Route {
  const tollFree = call.tollFreeNumberType || isTollFreeNumber(rules.numbering, call.numberDigits);
  if (!tollFree) return { kind: 'free', why: 'inbound' };
  return { kind: 'credits', service: 'tollfree_in', why: 'toll-free inbound' };
}

/** The export's Domestic/International column, else derived from the numbers (Graph may send null). */
function isDomestic(call: Call, rules: Rules): boolean | undefined {
  if (call.domestic !== null) return call.domestic;
  const destination = countryOfNumber(rules.numbering, call.numberDigits);
  if (destination === undefined || call.userCountry === '') return undefined;
  return isDomesticPair(call.userCountry, destination);
}

function unknownDestination(call: Call): Route {
  return { kind: 'reject', reason: 'unknown-destination', detail: `cannot tell the destination country of number "${call.numberDigits}${call.numberMasked ? '*' : ''}"` };
}
