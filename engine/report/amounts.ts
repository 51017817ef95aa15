import { formatMicros } from '../money.js';
import { formatInstant, type EpochMs } from '../time.js';

/** Formatting shared by every writer: amounts in the currency's minor digits, instants in ISO 8601. */
export function amountFormatter(minorDigits: number): (micros: number) => string {
  return (micros) => formatMicros(micros, minorDigits);
}

export function instantOrNull(at: EpochMs | null): string | null {
  return at === null ? null : formatInstant(at);
}
