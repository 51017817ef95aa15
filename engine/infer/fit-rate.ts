import { billedSeconds, incrementCount, pieceMicros, type Increments } from '../rules/increments.js';
import { decimalsOf, INCREMENT_CHOICES, type ChargedRow, type InferredRate } from './charged-row.js';
import { bestFee, type Constraints } from './fee-search.js';
import { priceCandidates } from './price-candidates.js';

/** The bounds a rate table may hold (edge/load/load-rates.ts): 1000 units of the currency. */
const MAX_AMOUNT_MICROS = 1_000_000_000;

/** The rate that reproduces the most rows to the minor unit, and what else would do as well. */
export interface RateFit {
  rate: InferredRate;
  /** Rows whose recorded amount the rate gives exactly. */
  fitRows: number;
  /** Other increments under which some price and fee fit as many rows: what the rows cannot tell apart. */
  alsoFits: InferredRate[];
}

/** Whether `rate` charges a call of `durationSeconds` exactly `recordedMicros` (RULES.md §5). */
export function fitsRate(rate: InferredRate, durationSeconds: number, recordedMicros: number, unitMicros: number): boolean {
  return chargeOf(rate, durationSeconds, unitMicros) === recordedMicros;
}

export function chargeOf(rate: InferredRate, seconds: number, unitMicros: number): number {
  return pieceMicros(rate.priceMicrosPerMinute, billedSeconds(incrementCount(seconds, rate), rate), rate.connectionMicros, unitMicros);
}

/**
 * The simplest rate reproducing the most rows: most rows fit, then no fee, then the fewest decimals
 * in the price, then in the fee, then the increments earliest in INCREMENT_CHOICES. Undefined for
 * no rows. Without `fine`, only the prices most pairs of rows agree on are tried (a quick look).
 */
export function bestFit(rows: readonly ChargedRow[], unitMicros: number, fine = true): RateFit | undefined {
  if (rows.length === 0) return undefined;
  const byDuration = amountsByDuration(rows);
  let fits = INCREMENT_CHOICES.map((increments) => bestUnder(increments, byDuration, unitMicros));
  let best = bestOf(fits);
  // The prices most pairs of rows agree on fit every row, as they do when nothing is amiss; else
  // finer prices are tried too (a misfit row, or a price of more decimals than the votes found).
  if (fine && best.rows < rows.length) {
    fits = INCREMENT_CHOICES.map((increments) => bestUnder(increments, byDuration, unitMicros, true));
    best = bestOf(fits);
  }
  const alsoFits = fits.filter((fit) => fit !== best && fit.rows === best.rows).map((fit) => fit.rate);
  return { rate: best.rate, fitRows: best.rows, alsoFits };
}

function bestOf(fits: readonly { rate: InferredRate; rows: number }[]): { rate: InferredRate; rows: number } {
  let best = fits[0] as { rate: InferredRate; rows: number };
  for (const fit of fits) if (better(fit, best)) best = fit;
  return best;
}

/** Rows as (duration, recorded amount) → how many rows, the unit the search works on. */
export function amountsByDuration(rows: readonly ChargedRow[]): Map<number, Map<number, number>> {
  const byDuration = new Map<number, Map<number, number>>();
  for (const row of rows) {
    let amounts = byDuration.get(row.durationSeconds);
    if (amounts === undefined) byDuration.set(row.durationSeconds, (amounts = new Map()));
    amounts.set(row.recordedMicros, (amounts.get(row.recordedMicros) ?? 0) + 1);
  }
  return byDuration;
}

/** The best price and fee under one set of increments. */
export function bestUnder(increments: Increments, byDuration: Map<number, Map<number, number>>, unitMicros: number, fine = false): { rate: InferredRate; rows: number } {
  const constraints = constraintsUnder(increments, byDuration);
  let best = { rate: { ...increments, priceMicrosPerMinute: 0, connectionMicros: 0 }, rows: -1 };
  for (const price of priceCandidates(constraints, unitMicros, MAX_AMOUNT_MICROS, fine)) {
    const fee = bestFee(price, constraints, unitMicros, MAX_AMOUNT_MICROS);
    const candidate = { rate: { ...increments, priceMicrosPerMinute: price, connectionMicros: fee.feeMicros }, rows: fee.rows };
    if (better(candidate, best)) best = candidate;
  }
  return { rate: best.rate, rows: Math.max(0, best.rows) };
}

/**
 * More rows fit; then no fee (most price lists have none, and two rows can always trade a fee for
 * price: 0.03 for 60 s and 0.05 for 120 s are 0.025/min, or 0.01 + 0.02/min); then a price and a
 * fee of fewer decimals (INCREMENT_CHOICES order settles the rest: the first stays).
 */
function better(a: { rate: InferredRate; rows: number }, b: { rate: InferredRate; rows: number }): boolean {
  if (a.rows !== b.rows) return a.rows > b.rows;
  if ((a.rate.connectionMicros === 0) !== (b.rate.connectionMicros === 0)) return a.rate.connectionMicros === 0;
  const priceDecimals = decimalsOf(a.rate.priceMicrosPerMinute) - decimalsOf(b.rate.priceMicrosPerMinute);
  if (priceDecimals !== 0) return priceDecimals < 0;
  const feeDecimals = decimalsOf(a.rate.connectionMicros) - decimalsOf(b.rate.connectionMicros);
  if (feeDecimals !== 0) return feeDecimals < 0;
  return a.rate.connectionMicros < b.rate.connectionMicros;
}

/** The rows' distinct (billed seconds, amount) pairs under `increments`. */
function constraintsUnder(increments: Increments, byDuration: Map<number, Map<number, number>>): Constraints {
  const merged = new Map<number, Map<number, number>>();
  for (const [duration, amounts] of byDuration) {
    const billed = billedSeconds(incrementCount(duration, increments), increments);
    let into = merged.get(billed);
    if (into === undefined) merged.set(billed, (into = new Map()));
    for (const [amount, rows] of amounts) into.set(amount, (into.get(amount) ?? 0) + rows);
  }
  let count = 0;
  for (const amounts of merged.values()) count += amounts.size;
  const constraints: Constraints = { billedSeconds: new Float64Array(count), recordedMicros: new Float64Array(count), rows: new Float64Array(count), count };
  let at = 0;
  for (const [billed, amounts] of merged) {
    for (const [amount, rows] of amounts) {
      constraints.billedSeconds[at] = billed;
      constraints.recordedMicros[at] = amount;
      constraints.rows[at++] = rows;
    }
  }
  return constraints;
}
