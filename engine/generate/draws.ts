import type { Random } from '../kernel/random.js';

/** One of `weighted` in proportion to its weight, with one draw. */
export function pick<T>(weighted: readonly (readonly [T, number])[], random: Random): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let ticket = random() * total;
  for (const [value, weight] of weighted) {
    if (ticket < weight) return value;
    ticket -= weight;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

/** Draws from `items` in proportion to `weights` with one uniform: a binary search of the running totals. */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (uniform: number) => T {
  const totals = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => (totals[index] = total += weight));
  return (uniform) => {
    const ticket = uniform * total;
    let low = 0;
    let high = totals.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((totals[middle] as number) > ticket) high = middle;
      else low = middle + 1;
    }
    return items[low] as T;
  };
}

/** Standard normal from two uniforms (Box-Muller). */
export function gaussian(random: Random): number {
  const uniform = 1 - random();
  return Math.sqrt(-2 * Math.log(uniform)) * Math.cos(2 * Math.PI * random());
}

const HEX_CODES = [...'0123456789abcdef'].map((char) => char.charCodeAt(0));
const UUID_CODES = new Array<number>(36);
const DASH = 45;

/** A v4-looking UUID from 32 draws (the 13th and 17th are drawn but fixed to 4 and a, so every id costs the same draws). */
export function uuid(random: Random): string {
  let at = 0;
  for (let i = 0; i < 32; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) UUID_CODES[at++] = DASH;
    const code = HEX_CODES[Math.floor(random() * 16)] as number;
    UUID_CODES[at++] = i === 12 ? 52 : i === 16 ? 97 : code;
  }
  return String.fromCharCode(...UUID_CODES);
}
