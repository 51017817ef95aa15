import { RATE_SERVICES, type RateService } from '../model/rate-row.js';
import type { NumberingPlan } from '../rules/numbering.js';
import { INCREMENT_CHOICES, sameRate, type ChargedRow, type InferredRate } from './charged-row.js';
import { amountsByDuration, bestUnder, chargeOf, fitsRate } from './fit-rate.js';
import type { RateVersion } from './over-time.js';
import { solvePrefix, versionFor, type PrefixEntry } from './prefix-split.js';

/** One row of the inferred rate table. */
export interface InferredRateRow extends RateVersion {
  service: RateService;
  prefix: string;
  destination: string;
}

/** How well one row of the table explains the rows it prices. */
export interface DestinationFit extends InferredRateRow {
  rows: number;
  fitRows: number;
  /** Distinct durations among the rows it fits: how firmly they pin the price and increments down. */
  distinctDurations: number;
  /** Rates with other increments that fit the same rows: what those rows cannot tell apart. */
  alsoFits: InferredRate[];
}

/**
 * A row the table does not reproduce: `no-fit` (its prefix's price gives another amount),
 * `pool-part` (partly pool-funded, and no whole number of pool minutes leaves a charged part
 * that costs its amount), `free-route` (the rules fund the call free), `zero-duration` (a charge
 * on a call of 0 s, which the rules never charge), `no-number` (no digit to place it by).
 */
export interface Misfit {
  row: ChargedRow;
  reason: 'no-fit' | 'pool-part' | 'free-route' | 'zero-duration' | 'no-number';
  /** What the table charges the row (wholly credit-funded), when it prices it. */
  expectedMicros: number | null;
  prefix: string | null;
}

export interface Inference {
  table: InferredRateRow[];
  fits: DestinationFit[];
  misfits: Misfit[];
  /** Charged rows by how the rules fund them, and what became of them. */
  counts: { charged: number; learnedFrom: number; fit: number; poolPart: number; poolPartExplained: number };
}

/**
 * Learns the rate table that reproduces the recorded charges (README "creditcast rates infer").
 * Wholly credit-funded rows are grouped by service and country calling code and each group is
 * solved (prefix-split.ts); partly pool-funded rows are then only checked against the result.
 */
export function inferRates(rows: readonly ChargedRow[], plan: NumberingPlan, unitMicros: number): Inference {
  const misfits: Misfit[] = [];
  const groups = new Map<string, ChargedRow[]>();
  const poolRows: ChargedRow[] = [];
  for (const row of rows) {
    if (row.funding === 'free') misfits.push({ row, reason: 'free-route', expectedMicros: null, prefix: null });
    else if (row.digits === '') misfits.push({ row, reason: 'no-number', expectedMicros: null, prefix: null });
    else if (row.funding === 'pool') poolRows.push(row);
    else if (row.durationSeconds === 0) misfits.push({ row, reason: 'zero-duration', expectedMicros: null, prefix: null });
    else {
      const key = `${RATE_SERVICES.indexOf(row.service)}|${callingCode(plan, row.digits)}`;
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = []));
      group.push(row);
    }
  }
  const entries = new Map<string, PrefixEntry[]>();
  const fits: DestinationFit[] = [];
  let learnedFrom = 0;
  for (const key of [...groups.keys()].sort(compareGroupKeys)) {
    const group = (groups.get(key) as ChargedRow[]).sort(byTime);
    const service = group[0]?.service as RateService;
    const root = key.slice(key.indexOf('|') + 1);
    // Copies: an entry's versions may be shared with the parts it was chosen from.
    const found = solvePrefix(group, root, unitMicros).entries.map((entry) => ({ prefix: entry.prefix, versions: entry.versions.map((version) => ({ ...version })) }));
    entries.set(key, found);
    learnedFrom += group.length;
    fits.push(...describeFits(service, found, group, plan, unitMicros, misfits));
  }
  const pool = checkPoolParts(poolRows, plan, entries, unitMicros, misfits);
  misfits.sort((a, b) => (a.row.file < b.row.file ? -1 : a.row.file > b.row.file ? 1 : a.row.line - b.row.line));
  const fit = fits.reduce((sum, destination) => sum + destination.fitRows, 0);
  const table = fits.map(({ service, prefix, destination, effectiveFrom, rate }) => ({ service, prefix, destination, effectiveFrom, rate }));
  return { table, fits, misfits, counts: { charged: rows.length, learnedFrom, fit, poolPart: poolRows.length, poolPartExplained: pool } };
}

/** Services in RATE_SERVICES order, then calling codes as text. */
function compareGroupKeys(a: string, b: string): number {
  const [serviceA, codeA] = a.split('|') as [string, string];
  const [serviceB, codeB] = b.split('|') as [string, string];
  return Number(serviceA) - Number(serviceB) || (codeA < codeB ? -1 : codeA > codeB ? 1 : 0);
}

/** Start time, then file and line: a total order, so the answer never depends on reading order. */
function byTime(a: ChargedRow, b: ChargedRow): number {
  return a.startAt - b.startAt || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}

/**
 * The number's country calling code: the shortest prefix of its digits the calling-code table
 * holds (1 for all of NANP, 44, 971), else its first digit.
 */
export function callingCode(plan: NumberingPlan, digits: string): string {
  let node = 0;
  for (let at = 0; at < digits.length; at++) {
    node = plan.countryTrie.child(node, digits.charCodeAt(at) - 48);
    if (node < 0) break;
    if (plan.countryTrie.valueAt(node) >= 0) return digits.slice(0, at + 1);
  }
  return digits.slice(0, 1);
}

/** The country of the longest calling-code prefix of `digits`, or undefined. */
function countryOf(plan: NumberingPlan, digits: string): string | undefined {
  let node = 0;
  let found: string | undefined;
  for (let at = 0; at < digits.length; at++) {
    node = plan.countryTrie.child(node, digits.charCodeAt(at) - 48);
    if (node < 0) break;
    const value = plan.countryTrie.valueAt(node);
    if (value >= 0) found = plan.countries[value];
  }
  return found;
}

const SERVICE_NAMES: Record<RateService, string> = { outbound: '', dialout: ' dial-out', tollfree_in: ' toll-free' };

function destinationName(plan: NumberingPlan, service: RateService, prefix: string): string {
  const country = countryOf(plan, prefix);
  return `${country === undefined ? '' : `${country} `}+${prefix}${SERVICE_NAMES[service]}`;
}

/** Each entry's versions with the rows they price; the rows none fits are added to `misfits`. */
function describeFits(service: RateService, entries: readonly PrefixEntry[], rows: readonly ChargedRow[], plan: NumberingPlan, unitMicros: number, misfits: Misfit[]): DestinationFit[] {
  const priced = new Map<RateVersion, { prefix: string; fitting: ChargedRow[]; rows: number }>();
  for (const entry of entries) for (const version of entry.versions) priced.set(version, { prefix: entry.prefix, fitting: [], rows: 0 });
  for (const row of rows) {
    const found = versionFor(entries, row);
    const slot = found === undefined ? undefined : priced.get(found.version);
    if (found === undefined || slot === undefined) {
      misfits.push({ row, reason: 'no-fit', expectedMicros: null, prefix: null });
      continue;
    }
    slot.rows++;
    const expectedMicros = chargeOf(found.version.rate, row.durationSeconds, unitMicros);
    if (expectedMicros === row.recordedMicros) slot.fitting.push(row);
    else misfits.push({ row, reason: 'no-fit', expectedMicros, prefix: found.entry.prefix });
  }
  const described = [...priced].map(([version, slot]) => ({
    service,
    prefix: slot.prefix,
    destination: destinationName(plan, service, slot.prefix),
    effectiveFrom: version.effectiveFrom,
    rate: version.rate,
    rows: slot.rows,
    fitRows: slot.fitting.length,
    distinctDurations: new Set(slot.fitting.map((row) => row.durationSeconds)).size,
    alsoFits: alternatives(slot.fitting, version.rate, unitMicros),
  }));
  return described.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.effectiveFrom - b.effectiveFrom));
}

/** Rates under other increments that fit every one of `fitting` as well. */
function alternatives(fitting: readonly ChargedRow[], chosen: InferredRate, unitMicros: number): InferredRate[] {
  if (fitting.length === 0) return [];
  const byDuration = amountsByDuration(fitting);
  return INCREMENT_CHOICES.map((increments) => bestUnder(increments, byDuration, unitMicros))
    .filter((fit) => fit.rows === fitting.length && !sameRate(fit.rate, chosen))
    .filter((fit) => fit.rate.firstIncrementSeconds !== chosen.firstIncrementSeconds || fit.rate.nextIncrementSeconds !== chosen.nextIncrementSeconds)
    .map((fit) => fit.rate);
}

/**
 * A partly pool-funded row is explained when, for some whole number m >= 1 of pool minutes that
 * leaves seconds to charge, the learned rate charges duration - 60 m seconds its recorded amount
 * (pools are drawn in whole minutes: RULES.md §3). Returns how many were; the others are misfits.
 */
function checkPoolParts(rows: readonly ChargedRow[], plan: NumberingPlan, entries: Map<string, PrefixEntry[]>, unitMicros: number, misfits: Misfit[]): number {
  let explained = 0;
  for (const row of rows) {
    const found = versionFor(entries.get(`${RATE_SERVICES.indexOf(row.service)}|${callingCode(plan, row.digits)}`) ?? [], row);
    let fits = false;
    for (let poolSeconds = 60; found !== undefined && poolSeconds < row.durationSeconds && !fits; poolSeconds += 60) {
      fits = fitsRate(found.version.rate, row.durationSeconds - poolSeconds, row.recordedMicros, unitMicros);
    }
    if (fits) explained++;
    else misfits.push({ row, reason: 'pool-part', expectedMicros: null, prefix: found?.entry.prefix ?? null });
  }
  return explained;
}
