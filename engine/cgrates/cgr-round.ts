import { Decimal } from 'decimal.js';
import { invariant } from '../kernel/errors.js';

/** Exact arithmetic with room for every quotient a tariff plan can make (rates / nanoseconds). */
export const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
export type Exact = InstanceType<typeof Exact>;

export type RoundingMethod = '*up' | '*down' | '*middle';
export const ROUNDING_METHODS: readonly RoundingMethod[] = ['*up', '*middle', '*down'];

/**
 * An amount as CGRateS holds it, twice: `exact` is the money (a decimal, never a float) and
 * `float` is the IEEE double CGRateS's Go code would hold at the same step, carried only to take
 * the same side at a rounding step where float noise moves a value across the boundary (its unit
 * tests admit a few such last digits). The two stay within noise of each other.
 */
export interface CgrAmount {
  exact: Exact;
  float: number;
}

/** A decimal written in a tariff plan: exact, and the double Go's ParseFloat gives for the same text. */
export function cgrAmount(text: string): CgrAmount {
  return { exact: new Exact(text), float: Number(text) };
}

export function addAmounts(a: CgrAmount, b: CgrAmount): CgrAmount {
  return { exact: a.exact.plus(b.exact), float: a.float + b.float };
}

export function timesCount(a: CgrAmount, count: number): CgrAmount {
  return { exact: a.exact.times(count), float: a.float * count };
}

export interface Rounded {
  amount: CgrAmount;
  /** True when exact arithmetic would have rounded to the other side: CGRateS's float decided. */
  floatDecided: boolean;
}

/**
 * CGRateS's Round(x, decimals, method): x·10^d, then `*up` takes the ceiling unless the fraction is
 * below 10^-max(7, d) (its guard against float noise), `*middle` the ceiling from a fraction of 0.5,
 * `*down` the floor. The side is decided on the double, as CGRateS does; the result is the exact
 * decimal k / 10^d of that side.
 */
export function roundCgr(value: CgrAmount, decimals: number, method: RoundingMethod): Rounded {
  const pow = Math.pow(10, decimals);
  const intermed = value.float * pow;
  const fraction = intermed - Math.trunc(intermed);
  const floatK = takesCeiling(fraction, decimals, method) ? Math.ceil(intermed) : Math.floor(intermed);

  const scaled = value.exact.times(new Exact(10).pow(decimals));
  const floor = scaled.floor();
  const exactK = exactTakesCeiling(scaled.minus(floor), decimals, method) ? scaled.ceil() : floor;
  const k = new Exact(floatK);
  invariant(k.minus(exactK).abs().lte(1), () => `CGRateS rounding of ${value.exact.toString()} strayed: float side ${floatK}, exact side ${exactK.toString()}`);
  return { amount: { exact: k.div(new Exact(10).pow(decimals)), float: floatK / pow }, floatDecided: !k.eq(exactK) };
}

/** The fraction of a double already scaled by 10^d: the side CGRateS takes. */
function takesCeiling(fraction: number, decimals: number, method: RoundingMethod): boolean {
  switch (method) {
    case '*up':
      return fraction >= Math.pow(10, -Math.max(7, decimals));
    case '*middle':
      return fraction >= 0.5;
    case '*down':
      return false;
  }
}

/** The same rule over the exact fraction. */
function exactTakesCeiling(fraction: Exact, decimals: number, method: RoundingMethod): boolean {
  switch (method) {
    case '*up':
      return fraction.gte(new Exact(10).pow(-Math.max(7, decimals)));
    case '*middle':
      return fraction.gte(0.5);
    case '*down':
      return false;
  }
}
