import { AMOUNT_STEPS, type Constraints } from './fee-search.js';

/** A pair or a row that allows more prices than this at its coarsest step does not pin the price. */
const MOST_PER_INTERVAL = 25;
/** Rows that seed the candidates: the most common ones, and those with the shortest and longest billed time. */
const SEEDS_BY_ROWS = 8;
const SEEDS_AT_EACH_END = 3;
/** Candidates counted against every row: those most pairs of seed rows agree on. */
const MOST_TRIED = 6;

/**
 * Prices (micros per minute) worth trying for these rows. Two rows i, j under one price and fee
 * bound the price alone: price x (billed_j - billed_i) lies strictly within 60 (c_j - c_i) +/- 60u,
 * because each rounded amount is within half a unit of the exact one. So every pair of seed rows
 * gives an interval, and its points at the coarsest step that has any are candidates. Pairs from
 * rows a tampered charge spoiled give wrong candidates; they lose when the rows are counted.
 * Under a fee of 0, one row alone bounds the price too (a single duration cannot tell a fee apart).
 * The true price lies in the interval of every pair of rows it fits, so only the prices most
 * intervals hold are returned.
 */
export function priceCandidates(constraints: Constraints, unitMicros: number, maxPriceMicros: number, fine = false): number[] {
  const seeds = seedRows(constraints);
  const votes = new Map<number, number>();
  const found = { add: (price: number) => void votes.set(price, (votes.get(price) ?? 0) + 1) };
  for (let a = 0; a < seeds.length; a++) {
    const i = seeds[a] as number;
    const billedI = constraints.billedSeconds[i] as number;
    const recordedI = constraints.recordedMicros[i] as number;
    for (let b = a + 1; b < seeds.length; b++) {
      const j = seeds[b] as number;
      const span = (constraints.billedSeconds[j] as number) - billedI;
      if (span === 0) continue;
      const difference = 60 * ((constraints.recordedMicros[j] as number) - recordedI);
      const low = span > 0 ? (difference - 60 * unitMicros) / span : (difference + 60 * unitMicros) / span;
      const high = span > 0 ? (difference + 60 * unitMicros) / span : (difference - 60 * unitMicros) / span;
      for (const price of pointsStrictlyBetween(low, high, maxPriceMicros)) found.add(price);
    }
  }
  for (const i of seeds.slice(0, 3)) {
    const billed = constraints.billedSeconds[i] as number;
    const recorded = constraints.recordedMicros[i] as number;
    // price x billed in [60c - 30u, 60c + 30u): as an open interval, its low end nudged below.
    const low = (60 * recorded - 30 * unitMicros) / billed - 1e-9;
    const high = (60 * recorded + 30 * unitMicros) / billed;
    for (const price of pointsStrictlyBetween(low, high, maxPriceMicros).slice(0, 3)) found.add(price);
  }
  const tried = [...votes]
    .sort(([priceA, votesA], [priceB, votesB]) => votesB - votesA || priceA - priceB)
    .slice(0, MOST_TRIED)
    .map(([price]) => price);
  return fine ? [...new Set([...tried, ...finePrices(constraints, unitMicros, maxPriceMicros)])] : tried;
}

/**
 * Every price, at each step that leaves few enough, in the interval of the pair of rows furthest
 * apart in billed time, the narrowest: a price of four decimals (0.0125) hides behind a coarser
 * one in the votes when that coarser one fits most rows but not all.
 */
function finePrices(constraints: Constraints, unitMicros: number, maxPriceMicros: number): number[] {
  if (constraints.count < 2) return [];
  let shortest = 0;
  let longest = 0;
  for (let i = 1; i < constraints.count; i++) {
    if ((constraints.billedSeconds[i] as number) < (constraints.billedSeconds[shortest] as number)) shortest = i;
    if ((constraints.billedSeconds[i] as number) > (constraints.billedSeconds[longest] as number)) longest = i;
  }
  const span = (constraints.billedSeconds[longest] as number) - (constraints.billedSeconds[shortest] as number);
  if (span === 0) return [];
  const difference = 60 * ((constraints.recordedMicros[longest] as number) - (constraints.recordedMicros[shortest] as number));
  const low = Math.max((difference - 60 * unitMicros) / span, -1);
  const high = Math.min((difference + 60 * unitMicros) / span, maxPriceMicros + 1);
  const prices: number[] = [];
  for (const step of AMOUNT_STEPS) {
    const first = Math.floor(low / step) + 1;
    const last = Math.ceil(high / step) - 1;
    if (last - first + 1 > MOST_PER_INTERVAL) break;
    for (let k = first; k <= last; k++) prices.push(k * step);
  }
  return prices;
}

/** Indexes of the seed rows, each once: most rows first, then the shortest and the longest billed. */
function seedRows(constraints: Constraints): number[] {
  const indexes = Array.from({ length: constraints.count }, (_, i) => i);
  const byRows = [...indexes].sort((a, b) => (constraints.rows[b] as number) - (constraints.rows[a] as number) || a - b);
  const byBilled = [...indexes].sort((a, b) => (constraints.billedSeconds[a] as number) - (constraints.billedSeconds[b] as number) || a - b);
  const seeds = new Set<number>(byRows.slice(0, SEEDS_BY_ROWS));
  for (const i of byBilled.slice(0, SEEDS_AT_EACH_END)) seeds.add(i);
  for (const i of byBilled.slice(-SEEDS_AT_EACH_END)) seeds.add(i);
  return [...seeds];
}

/** Whole multiples of the coarsest step with any in (low, high), 0 to `max`; none when that step has too many. */
function pointsStrictlyBetween(low: number, high: number, max: number): number[] {
  const from = Math.max(low, -1);
  const to = Math.min(high, max + 1);
  if (!(to > from)) return [];
  for (const step of AMOUNT_STEPS) {
    const first = Math.floor(from / step) + 1;
    const last = Math.ceil(to / step) - 1;
    if (last < first) continue;
    if (last - first + 1 > MOST_PER_INTERVAL) return [];
    const points: number[] = [];
    for (let k = first; k <= last; k++) points.push(k * step);
    return points;
  }
  return [];
}
