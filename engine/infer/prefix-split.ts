import type { ChargedRow } from './charged-row.js';
import { fitsRate } from './fit-rate.js';
import { fitOverTime, MIN_OWN_SHARE, MIN_SHARE_TO_SPLIT, MIN_SPLIT_GAIN, OWN_PRICE_GAIN, type RateVersion } from './over-time.js';

/** A prefix and its prices over time: one future rate-table row per version. */
export interface PrefixEntry {
  prefix: string;
  versions: RateVersion[];
}

/** The entries found under one prefix, the first being that prefix itself, and the rows they fit. */
interface Fragment {
  entries: PrefixEntry[];
  fitRows: number;
}

/**
 * Digits a prefix may have below the country calling code: mobile and special ranges sit within
 * the first few (447, 4915, 1787), and the bound keeps the search over noisy charges short.
 */
const MOST_DIGITS_BELOW_CODE = 5;

/**
 * The simplest entries that price the rows under `prefix` (rows in time order): one entry when its
 * prices explain all but a few rows; otherwise the rows are split by their next digit, each part
 * solved alike, and the split kept when it explains MIN_SPLIT_GAIN more rows per entry it adds.
 * The prefix keeps the price most of its parts share, so a part priced alike needs no row of its own.
 */
export function solvePrefix(rows: readonly ChargedRow[], prefix: string, unitMicros: number, digitsLeft = MOST_DIGITS_BELOW_CODE): Fragment {
  const own = fitOverTime(rows, unitMicros);
  const leaf = { entries: [{ prefix, versions: own.versions }], fitRows: own.fitRows };
  const unexplained = rows.length - own.fitRows;
  if (unexplained < OWN_PRICE_GAIN || digitsLeft === 0 || own.fitRows < MIN_SHARE_TO_SPLIT * rows.length) return leaf;
  const { parts, shorter } = byNextDigit(rows, prefix.length);
  if (parts.size === 1 && shorter.length === 0) {
    // One next digit only: nothing to tell apart here; what is below keeps this shorter prefix.
    const [digit, part] = [...parts][0] as [string, ChargedRow[]];
    const below = solvePrefix(part, prefix + digit, unitMicros, digitsLeft - 1);
    return { entries: [{ ...(below.entries[0] as PrefixEntry), prefix }, ...below.entries.slice(1)], fitRows: below.fitRows };
  }
  const solved = [...parts].map(([digit, part]) => ({ rows: part, fragment: solvePrefix(part, prefix + digit, unitMicros, digitsLeft - 1) }));
  const candidates = new Map<string, RateVersion[]>();
  for (const versions of [own.versions, ...solved.map((s) => (s.fragment.entries[0] as PrefixEntry).versions)]) {
    const key = versions.map(({ effectiveFrom, rate }) => `${effectiveFrom}:${rate.priceMicrosPerMinute}:${rate.connectionMicros}:${rate.firstIncrementSeconds}:${rate.nextIncrementSeconds}`).join(' ');
    if (!candidates.has(key)) candidates.set(key, versions);
  }
  const split = refitRoot(combine(prefix, solved, shorter, [...candidates.values()], unitMicros), rows, unitMicros);
  // Every entry the split adds must explain its share of rows, or small parts would always win.
  const added = Math.max(1, split.entries.length - 1);
  return split.fitRows >= leaf.fitRows + MIN_SPLIT_GAIN * added ? split : leaf;
}

function byNextDigit(rows: readonly ChargedRow[], at: number): { parts: Map<string, ChargedRow[]>; shorter: ChargedRow[] } {
  const parts = new Map<string, ChargedRow[]>();
  const shorter: ChargedRow[] = [];
  for (const row of rows) {
    const digit = row.digits[at];
    if (digit === undefined) {
      shorter.push(row);
      continue;
    }
    let part = parts.get(digit);
    if (part === undefined) parts.set(digit, (part = []));
    part.push(row);
  }
  return { parts: new Map([...parts].sort(([a], [b]) => (a < b ? -1 : 1))), shorter };
}

/**
 * The prefix's own prices chosen among the candidates so that the most rows fit and the fewest
 * entries are needed: a part whose rows the prefix's prices fit as well as its own drops its entry.
 * Ties go to fewer price changes, then to the lower price: a country's base rate is the cheaper
 * one, its mobile ranges the dearer carve-outs.
 */
function combine(prefix: string, solved: readonly { rows: readonly ChargedRow[]; fragment: Fragment }[], shorter: readonly ChargedRow[], candidates: readonly RateVersion[][], unitMicros: number): Fragment {
  let best: Fragment | undefined;
  for (const versions of candidates) {
    const entries: PrefixEntry[] = [{ prefix, versions }];
    let fitRows = countFits([{ prefix, versions }], shorter, unitMicros);
    for (const { rows, fragment } of solved) {
      const inherited = pruned([{ prefix, versions }, ...fragment.entries.slice(1)], rows, unitMicros);
      const fitsInherited = countFits(inherited, rows, unitMicros);
      // A part keeps a price of its own only where it is worth one: OWN_PRICE_GAIN more rows than
      // the parent's price, and most of its own rows.
      if (fragment.fitRows - fitsInherited < OWN_PRICE_GAIN || fragment.fitRows < MIN_OWN_SHARE * rows.length) {
        entries.push(...inherited.slice(1));
        fitRows += fitsInherited;
      } else {
        entries.push(...fragment.entries);
        fitRows += fragment.fitRows;
      }
    }
    const candidate = { entries, fitRows };
    if (best === undefined || simpler(candidate, best)) best = candidate;
  }
  return best as Fragment;
}

/**
 * The prefix's prices fitted again over all the rows it prices once the parts with prices of
 * their own are set apart: a change that each part has too few rows to show (every fixed range of
 * a country, say) shows over all of them.
 */
function refitRoot(split: Fragment, rows: readonly ChargedRow[], unitMicros: number): Fragment {
  const root = split.entries[0] as PrefixEntry;
  const governed = rows.filter((row) => versionFor(split.entries, row)?.entry === root);
  const before = countFits([root], governed, unitMicros);
  const refit = fitOverTime(governed, unitMicros);
  if (refit.fitRows <= before) return split;
  return { entries: [{ prefix: root.prefix, versions: refit.versions }, ...split.entries.slice(1)], fitRows: split.fitRows - before + refit.fitRows };
}

/**
 * The entries without those below the first that the rest fit as well without (longest first):
 * a part that looked different on its own may be priced alike once its parent's price is known.
 */
function pruned(entries: readonly PrefixEntry[], rows: readonly ChargedRow[], unitMicros: number): PrefixEntry[] {
  let kept = [...entries];
  let fits = countFits(kept, rows, unitMicros);
  const deeper = kept.slice(1).sort((a, b) => b.prefix.length - a.prefix.length);
  for (const entry of deeper) {
    const without = kept.filter((other) => other !== entry);
    const fitsWithout = countFits(without, rows, unitMicros);
    if (fitsWithout >= fits) {
      kept = without;
      fits = fitsWithout;
    }
  }
  return kept;
}

/** More rows fit; then fewer entries; then fewer price changes at the prefix; then its lower first price. */
function simpler(a: Fragment, b: Fragment): boolean {
  if (a.fitRows !== b.fitRows) return a.fitRows > b.fitRows;
  if (a.entries.length !== b.entries.length) return a.entries.length < b.entries.length;
  const rootA = (a.entries[0] as PrefixEntry).versions;
  const rootB = (b.entries[0] as PrefixEntry).versions;
  if (rootA.length !== rootB.length) return rootA.length < rootB.length;
  return (rootA[0]?.rate.priceMicrosPerMinute ?? 0) < (rootB[0]?.rate.priceMicrosPerMinute ?? 0);
}

/** The entry (longest prefix of the row's digits) and its version in effect at the row's start. */
export function versionFor(entries: readonly PrefixEntry[], row: ChargedRow): { entry: PrefixEntry; version: RateVersion } | undefined {
  let found: PrefixEntry | undefined;
  for (const entry of entries) {
    if (row.digits.startsWith(entry.prefix) && (found === undefined || entry.prefix.length > found.prefix.length)) found = entry;
  }
  if (found === undefined) return undefined;
  let version: RateVersion | undefined;
  for (const candidate of found.versions) if (candidate.effectiveFrom <= row.startAt && (version === undefined || candidate.effectiveFrom > version.effectiveFrom)) version = candidate;
  return version === undefined ? undefined : { entry: found, version };
}

export function countFits(entries: readonly PrefixEntry[], rows: readonly ChargedRow[], unitMicros: number): number {
  let fits = 0;
  for (const row of rows) {
    const found = versionFor(entries, row);
    if (found !== undefined && fitsRate(found.version.rate, row.durationSeconds, row.recordedMicros, unitMicros)) fits++;
  }
  return fits;
}
