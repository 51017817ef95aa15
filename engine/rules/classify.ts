import { poolSideOf, ROUTE, type RouteCode } from '../model/route.js';
import type { Direction, RejectReason } from '../model/cdr.js';
import type { DialledNumber } from './digit-trie.js';
import { isDomesticPair } from './e164.js';
import { countryOfNumber, isEmergencyNumber, isTollFreeNumber, type NumberingPlan } from './numbering.js';
import type { Allowance, Allowances } from '../model/allowances.js';
import { RATE_SERVICES, type RateService } from '../model/rate-row.js';
import { quoted } from '../kernel/quote.js';

/** Why a call pays from credits, in words, for the explain file. */
export function creditsWhy(route: number, allowance: Allowance | undefined): string {
  const capability = allowance?.capability ?? '';
  switch (route) {
    case ROUTE.creditsTollFree:
      return 'toll-free inbound';
    case ROUTE.creditsEveryMinute:
      return `${capability} pays every minute from credits`;
    case ROUTE.creditsPaidDomestic:
    case ROUTE.creditsPaidInternational:
      return `recorded as paid by ${capability}; no calling plan found for the user`;
    case ROUTE.creditsInternational:
      return `international call on ${capability}, a domestic plan`;
    case ROUTE.creditsOutsideZoneA:
      return 'dial-out outside Zone A';
    default:
      return `${poolSideOf(route)} pool used up`;
  }
}

/** What classification needs to know of a call; the ingest decoder fills one and reuses it. */
export interface CallFacts {
  direction: Direction;
  callType: string;
  capability: string;
  userCountry: string;
  domestic: boolean | null;
  tollFreeNumberType: boolean;
  number: DialledNumber;
}

/** The answer, written into a reused object: a route, or a reject with its reason. */
export interface Classification {
  route: RouteCode;
  allowance: number;
  service: number;
  reject: RejectReason | null;
  detail: string;
}

export interface Rules {
  allowances: Allowances;
  numbering: NumberingPlan;
}

export function emptyClassification(): Classification {
  return { route: ROUTE.freeInbound, allowance: -1, service: 0, reject: null, detail: '' };
}

/** RULES.md §2 as one decision per call. */
export function classifyInto(call: CallFacts, rules: Rules, out: Classification): Classification {
  out.reject = null;
  out.allowance = -1;
  out.service = 0;
  if (call.direction === 'carrier') return route(out, ROUTE.freeCarrier);
  if (call.direction === 'inbound') {
    const tollFree = call.tollFreeNumberType || isTollFreeNumber(rules.numbering, call.number);
    if (!tollFree) return route(out, ROUTE.freeInbound);
    out.service = serviceCode('tollfree_in');
    return route(out, ROUTE.creditsTollFree);
  }
  if (isEmergencyNumber(rules.numbering, call.number)) return route(out, ROUTE.freeEmergency);
  if (call.capability === '') return reject(out, 'unknown-capability', 'Capability is empty on an outbound call');

  const lookup = rules.allowances.lookup(call.capability, call.userCountry);
  if ('unknownCapability' in lookup) return reject(out, 'unknown-capability', rules.allowances.unknownCapabilityHint(call.capability));
  if ('noAllowanceFor' in lookup) {
    return reject(out, 'no-allowance', `Capability ${quoted(call.capability)} has no allowance row for User Location ${quoted(call.userCountry)}`);
  }
  const allowance = lookup.found;
  out.allowance = allowance.index;
  out.service = serviceCode(call.callType === 'conf_out' ? 'dialout' : 'outbound');

  switch (allowance.kind) {
    case 'free':
      return route(out, ROUTE.freeCapability);
    case 'pay_as_you_go':
    case 'credits_only':
    case 'conferencing_pay_per_minute':
      return route(out, ROUTE.creditsEveryMinute);
    case 'payment_source':
      return paidRoute(out, call, rules);
    case 'alias':
      // Allowances.lookup answers an alias with a row of the capability it stands for.
      return route(out, ROUTE.creditsEveryMinute);
    case 'conferencing': {
      const destination = countryOfNumber(rules.numbering, call.number);
      if (destination === undefined) return unknownDestination(out, call);
      return route(out, rules.numbering.zoneA.has(destination) ? ROUTE.poolConference : ROUTE.creditsOutsideZoneA);
    }
    case 'calling_plan':
    case 'calling_plan_per_user': {
      const domestic = isDomestic(call, rules);
      if (domestic === undefined) return unknownDestination(out, call);
      if (domestic) return route(out, ROUTE.poolDomestic);
      return route(out, allowance.internationalMinutes > 0 ? ROUTE.poolInternational : ROUTE.creditsInternational);
    }
  }
}

/**
 * A call the export records as paid by a payment source: domestic or international is kept, so
 * that the caller's plan, once found (pools/plan-attribution.ts), can take it over. A dial-out or
 * a number of no known country stays every minute from credits.
 */
function paidRoute(out: Classification, call: CallFacts, rules: Rules): Classification {
  if (call.callType === 'conf_out') return route(out, ROUTE.creditsEveryMinute);
  const domestic = isDomestic(call, rules);
  if (domestic === undefined) return route(out, ROUTE.creditsEveryMinute);
  return route(out, domestic ? ROUTE.creditsPaidDomestic : ROUTE.creditsPaidInternational);
}

export function serviceCode(service: RateService): number {
  return RATE_SERVICES.indexOf(service);
}

function route(out: Classification, code: RouteCode): Classification {
  out.route = code;
  return out;
}

function reject(out: Classification, reason: RejectReason, detail: string): Classification {
  out.reject = reason;
  out.detail = detail;
  return out;
}

/** The export's Domestic/International column, else derived from the numbers (Graph may send null). */
function isDomestic(call: CallFacts, rules: Rules): boolean | undefined {
  if (call.domestic !== null) return call.domestic;
  const destination = countryOfNumber(rules.numbering, call.number);
  if (destination === undefined || call.userCountry === '') return undefined;
  return isDomesticPair(call.userCountry, destination);
}

function unknownDestination(out: Classification, call: CallFacts): Classification {
  return reject(out, 'unknown-destination', `cannot tell the destination country of number ${quoted(`${call.number.text()}${call.number.masked ? '*' : ''}`)}`);
}
