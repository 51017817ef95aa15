import { INBOUND_CALL_TYPES } from '../model/cdr.js';
import { DigitTrie, DialledNumber } from './digit-trie.js';

/** Numbering facts the rules need: which country a number is in, toll-free ranges, emergency numbers. */
export interface NumberingPlan {
  countries: readonly string[];
  /** Calling-code prefix → index into `countries`. */
  countryTrie: DigitTrie;
  tollFreeTrie: DigitTrie;
  emergencyTrie: DigitTrie;
  zoneA: ReadonlySet<string>;
}

export function countryOfNumber(plan: NumberingPlan, number: DialledNumber): string | undefined {
  const index = plan.countryTrie.longest(number);
  return index < 0 ? undefined : plan.countries[index];
}

export function isTollFreeNumber(plan: NumberingPlan, number: DialledNumber): boolean {
  return plan.tollFreeTrie.longest(number) >= 0;
}

export function isEmergencyNumber(plan: NumberingPlan, number: DialledNumber): boolean {
  return plan.emergencyTrie.exact(number) >= 0;
}

/**
 * The number the explain file and reject messages show for a row: the receiving number of an
 * inbound call (the export's Caller ID, else its Destination Number), the dialled number otherwise,
 * as digits with "*" where the export masked the rest.
 */
export function shownNumber(callType: string, receivingNumber: string, dialledNumber: string): string {
  const inbound = INBOUND_CALL_TYPES.has(callType.trim().toLowerCase());
  const number = new DialledNumber().readString(inbound && receivingNumber.trim() !== '' ? receivingNumber : dialledNumber);
  return `${number.text()}${number.masked ? '*' : ''}`;
}
