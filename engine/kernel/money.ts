import { Decimal } from 'decimal.js';
import { invariant } from './errors.js';

/**
 * Money is an integer count of micro-units (1e-6 of the currency's major unit). Six decimals are
 * enough for published per-minute prices (e.g. 0.0125) and keep every sum an exact safe integer
 * below 9e15 micros (nine billion dollars).
 */
export const MICROS_PER_UNIT = 1_000_000;

const DecimalExact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
const AMOUNT_PATTERN = /^-?(\d+)(\.\d+)?$/;

/** Parses a plain decimal such as "12.5" or "0.0125" into micros; undefined if it is not one. */
export function parseMicros(text: string): number | undefined {
  const trimmed = text.trim();
  const match = AMOUNT_PATTERN.exec(trimmed);
  if (match === null) return undefined;
  // Up to six decimals and nine integer digits is exact in integer arithmetic: the common case,
  // a hundred thousand rate rows, skips decimal.js.
  const [, units, fraction = ''] = match;
  if ((units as string).length <= 9 && fraction.length <= 7) {
    const micros = Number(units) * MICROS_PER_UNIT + Number((fraction.slice(1) || '0').padEnd(6, '0'));
    return trimmed.startsWith('-') ? -micros : micros;
  }
  const micros = new DecimalExact(trimmed).times(MICROS_PER_UNIT);
  if (!micros.isInteger()) return undefined;
  const value = micros.toNumber();
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * JSON sources (Graph) carry amounts as numbers. The shortest round-trip text of a double is the
 * decimal the service wrote for any amount of up to 15 significant digits, so it is parsed as text.
 */
export function microsFromJsonNumber(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  return parseMicros(String(value).includes('e') ? new DecimalExact(value).toFixed() : String(value));
}

/** Formats micros with exactly `fractionDigits` decimals; the amount must already be rounded to them. */
export function formatMicros(micros: number, fractionDigits: number): string {
  const text = new DecimalExact(micros).dividedBy(MICROS_PER_UNIT);
  invariant(text.decimalPlaces() <= fractionDigits, () => `amount ${text.toFixed()} has more than ${fractionDigits} decimals`);
  return text.toFixed(fractionDigits);
}

/** Full precision, for prices: "0.0125". */
export function formatMicrosPlain(micros: number): string {
  return new DecimalExact(micros).dividedBy(MICROS_PER_UNIT).toFixed();
}

/** Micros in one minor unit: 10_000 for cents (2 digits), 1_000_000 for a currency with none. */
export function microsPerMinorUnit(fractionDigits: number): number {
  invariant(fractionDigits >= 0 && fractionDigits <= 6, () => `unsupported minor digits ${fractionDigits}`);
  return 10 ** (6 - fractionDigits);
}

/** ISO 4217 minor digits, from the runtime's own currency data (USD 2, JPY 0, BHD 3). */
export function minorDigitsOf(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    return digits ?? 2;
  } catch {
    return undefined;
  }
}

/**
 * numerator / denominator micros, rounded half-up to a whole multiple of `unitMicros`. All integer:
 * this is where rate x time becomes money, and it must be the same on every machine.
 */
export function roundHalfUpToUnit(numerator: number, denominator: number, unitMicros: number): number {
  invariant(numerator >= 0 && denominator > 0, () => `cannot round ${numerator}/${denominator}`);
  const twiceScaled = 2 * numerator + denominator * unitMicros;
  const units = Math.floor(twiceScaled / (2 * denominator * unitMicros));
  invariant(Number.isSafeInteger(twiceScaled), () => `amount ${numerator}/${denominator} overflows exact integers`);
  return units * unitMicros;
}

/** True when micros is a whole number of minor units (what a purchase or a balance must be). */
export function isWholeMinor(micros: number, unitMicros: number): boolean {
  return Number.isSafeInteger(micros) && micros % unitMicros === 0;
}
