import type { EpochMs } from '../kernel/time.js';
import { sameRate, type ChargedRow, type InferredRate } from './charged-row.js';
import { bestFit, fitsRate } from './fit-rate.js';

/** One price of a prefix, from `effectiveFrom` (-Infinity: from the first row) until the next one's. */
export interface RateVersion {
  effectiveFrom: EpochMs;
  rate: InferredRate;
}

/**
 * Rows a single price must leave unexplained before a split (a price change, a longer prefix) is
 * looked for, and rows each entry a prefix split adds must explain: a row or two that a single
 * price cannot explain are listed as misfits, not given a price of their own (a tampered charge
 * would otherwise always find one).
 */
export const MIN_SPLIT_GAIN = 3;
/**
 * A price of its own (a later version, a longer prefix) must reproduce at least this share of the
 * rows it prices: a real price list reproduces nearly all of them, while noise (a charge with tax
 * in it, another currency) fits a few rows of any small group by chance, and would else be carved
 * into many prefixes and dates.
 */
export const MIN_OWN_SHARE = 0.8;
/**
 * Rows a price of its own (a later version, a part's own) must explain beyond the price it
 * replaces: with a price, a fee and ten sets of increments to choose from, a few rows of random
 * amounts often fit some rate exactly.
 */
export const OWN_PRICE_GAIN = 2 * MIN_SPLIT_GAIN;
/**
 * The least share of its rows one price must fit before rows are searched for a price change or
 * split by digit: below it they are noise, not a few prices side by side (and searching noise
 * costs much and finds nothing that passes MIN_OWN_SHARE).
 */
export const MIN_SHARE_TO_SPLIT = 0.1;
const MIN_SHARE_FOR_CHANGE = 0.25;
/** Price changes looked for within one prefix's rows. */
const MOST_CHANGES = 3;

/**
 * The prices of rows in time order (start, then file and line): one, or several with the instants
 * they changed at. A change is looked for where one price stops fitting: the step in time that
 * best separates the rows the first price fits from those it does not.
 */
export function fitOverTime(rows: readonly ChargedRow[], unitMicros: number, changesLeft = MOST_CHANGES): { versions: RateVersion[]; fitRows: number } {
  const whole = bestFit(rows, unitMicros);
  if (whole === undefined) return { versions: [], fitRows: 0 };
  const single = { versions: [{ effectiveFrom: -Infinity, rate: whole.rate }], fitRows: whole.fitRows };
  if (rows.length - whole.fitRows < OWN_PRICE_GAIN || changesLeft === 0 || whole.fitRows < MIN_SHARE_FOR_CHANGE * rows.length) return single;
  const at = changePoint(rows, whole.rate, unitMicros);
  if (at <= 0) return single;
  const before = fitOverTime(rows.slice(0, at), unitMicros, changesLeft - 1);
  const after = fitOverTime(rows.slice(at), unitMicros, changesLeft - 1);
  if (before.fitRows + after.fitRows < whole.fitRows + OWN_PRICE_GAIN) return single;
  if (before.fitRows < MIN_OWN_SHARE * at || after.fitRows < MIN_OWN_SHARE * (rows.length - at)) return single;
  const oldRate = (before.versions[before.versions.length - 1] as RateVersion).rate;
  const newRate = (after.versions[0] as RateVersion).rate;
  if (sameRate(oldRate, newRate)) return single;
  const from = changeBetween(rows, at, oldRate, newRate, unitMicros);
  const versions = [...before.versions, { effectiveFrom: from, rate: newRate }, ...after.versions.slice(1)];
  return { versions, fitRows: before.fitRows + after.fitRows };
}

/**
 * When the price changed: after the last row only the old price fits and no later than the first
 * row only the new one fits (rows both prices charge alike, a short call, say, cannot tell), so
 * the cut found at `at` moves to the roundest instant in that gap (changeInstant).
 */
function changeBetween(rows: readonly ChargedRow[], at: number, oldRate: InferredRate, newRate: InferredRate, unitMicros: number): EpochMs {
  const fits = (row: ChargedRow, rate: InferredRate) => fitsRate(rate, row.durationSeconds, row.recordedMicros, unitMicros);
  let firstOnlyNew = (rows[at] as ChargedRow).startAt;
  for (let i = at; i < rows.length; i++) {
    const row = rows[i] as ChargedRow;
    if (fits(row, newRate) && !fits(row, oldRate)) {
      firstOnlyNew = row.startAt;
      break;
    }
  }
  let lastOnlyOld = -Infinity;
  for (const row of rows) {
    if (row.startAt >= firstOnlyNew) break;
    if (fits(row, oldRate) && !fits(row, newRate)) lastOnlyOld = row.startAt;
  }
  return changeInstant(lastOnlyOld, firstOnlyNew);
}

/**
 * Where the rows are best cut in two, each side under a price of its own: the index of the first
 * row after the cut, never between two rows of the same instant; 0 when none. The price that fits
 * most rows leaves the others unexplained on one side of the change, mixed with rows both prices
 * charge alike: cuts are tried at the first and last of them (and the 10% and 90% ones, past a
 * tampered row or two), and where they best outnumber the rest, and the cut whose two sides'
 * own prices fit most rows is kept.
 */
function changePoint(rows: readonly ChargedRow[], rate: InferredRate, unitMicros: number): number {
  const misses: number[] = [];
  rows.forEach((row, index) => {
    if (!fitsRate(rate, row.durationSeconds, row.recordedMicros, unitMicros)) misses.push(index);
  });
  if (misses.length === 0) return 0;
  const quantile = (share: number) => misses[Math.min(misses.length - 1, Math.floor(share * misses.length))] as number;
  const cuts = new Set([quantile(0), quantile(0.1), quantile(0.9) + 1, (misses[misses.length - 1] as number) + 1, stepCut(rows.length, misses)]);
  let bestAt = 0;
  let bestRows = -1;
  for (const cut of cuts) {
    const at = cutBetweenInstants(rows, cut);
    if (at <= 0 || at >= rows.length) continue;
    // A quick look at each side: the sides of the cut kept are fitted in full afterwards.
    const fit = (bestFit(rows.slice(0, at), unitMicros, false)?.fitRows ?? 0) + (bestFit(rows.slice(at), unitMicros, false)?.fitRows ?? 0);
    if (fit > bestRows) {
      bestRows = fit;
      bestAt = at;
    }
  }
  return bestAt;
}

/** The cut that best separates the unexplained rows from the others, as a step in time. */
function stepCut(count: number, misses: readonly number[]): number {
  let bestAt = 0;
  let bestScore = -1;
  let missesBefore = 0;
  for (let at = 1; at < count; at++) {
    while (missesBefore < misses.length && (misses[missesBefore] as number) < at) missesBefore++;
    const fitsBefore = at - missesBefore;
    const missesAfter = misses.length - missesBefore;
    const fitsAfter = count - at - missesAfter;
    const score = Math.max(fitsBefore + missesAfter, missesBefore + fitsAfter);
    if (score > bestScore) {
      bestScore = score;
      bestAt = at;
    }
  }
  return bestAt;
}

/** `at`, moved back to the first of the rows that start at the same instant as rows[at]. */
function cutBetweenInstants(rows: readonly ChargedRow[], at: number): number {
  let cut = at;
  while (cut > 0 && cut < rows.length && (rows[cut] as ChargedRow).startAt === (rows[cut - 1] as ChargedRow).startAt) cut--;
  return cut;
}

const DAY_MS = 86_400_000;

/**
 * The instant a price changed, known only to lie after the last row at the old price and no later
 * than the first at the new one: the latest first of a month (UTC midnight) in that gap, else the
 * latest midnight, else the first new row's start. Price lists change on such days.
 */
export function changeInstant(lastOld: EpochMs, firstNew: EpochMs): EpochMs {
  const firstNewDay = new Date(Math.floor(firstNew / DAY_MS) * DAY_MS);
  const monthStart = Date.UTC(firstNewDay.getUTCFullYear(), firstNewDay.getUTCMonth(), 1);
  if (monthStart > lastOld) return monthStart;
  const midnight = firstNewDay.getTime();
  if (midnight > lastOld) return midnight;
  return firstNew;
}
