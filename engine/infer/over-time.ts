import type { EpochMs } from '../kernel/time.js';
import { sameRate, type ChargedRow, type InferredRate } from './charged-row.js';
import { bestFit, fitsRate } from './fit-rate.js';

/** One price of a prefix, from `effectiveFrom` (-Infinity: from the first row) until the next one's. */
export interface RateVersion {
  effectiveFrom: EpochMs;
  rate: InferredRate;
}

/**
 * A split (a price change, a longer prefix) must explain at least this many more rows than no
 * split: a row or two that a single price cannot explain are listed as misfits, not given a price
 * of their own (a tampered charge would otherwise always find one).
 */
export const MIN_SPLIT_GAIN = 3;
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
  if (rows.length - whole.fitRows < MIN_SPLIT_GAIN || changesLeft === 0) return single;
  const at = changePoint(rows, whole.rate, unitMicros);
  if (at <= 0) return single;
  const before = fitOverTime(rows.slice(0, at), unitMicros, changesLeft - 1);
  const after = fitOverTime(rows.slice(at), unitMicros, changesLeft - 1);
  if (before.fitRows + after.fitRows < whole.fitRows + MIN_SPLIT_GAIN) return single;
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
 * Where the rows are best cut in two so that `rate` fits on one side and not on the other: the
 * index of the first row after the cut, never between two rows of the same instant; 0 when none.
 */
function changePoint(rows: readonly ChargedRow[], rate: InferredRate, unitMicros: number): number {
  const fits = rows.map((row) => fitsRate(rate, row.durationSeconds, row.recordedMicros, unitMicros));
  const totalFits = fits.filter(Boolean).length;
  let fitsBefore = 0;
  let bestAt = 0;
  let bestScore = -1;
  for (let at = 1; at < rows.length; at++) {
    if (fits[at - 1]) fitsBefore++;
    if ((rows[at] as ChargedRow).startAt === (rows[at - 1] as ChargedRow).startAt) continue;
    const missesBefore = at - fitsBefore;
    const fitsAfter = totalFits - fitsBefore;
    const missesAfter = rows.length - at - fitsAfter;
    const score = Math.max(fitsBefore + missesAfter, missesBefore + fitsAfter);
    if (score > bestScore) {
      bestScore = score;
      bestAt = at;
    }
  }
  return bestAt;
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
