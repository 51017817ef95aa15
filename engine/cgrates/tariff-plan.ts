import { InputError } from '../kernel/errors.js';
import { cgrAmount, type CgrAmount, type RoundingMethod } from './cgr-round.js';

/**
 * A CGRateS tariff plan as the classic rating engine reads it (RATING.md beside the shared plans):
 * every row keeps `source` (file:line) so a message can name it. Durations are integer nanoseconds.
 */
export interface TimingRow {
  id: string;
  /** null: any. Weekdays 0 = Sunday … 6 = Saturday (CGRateS's 7 is folded to 0). */
  years: ReadonlySet<number> | null;
  months: ReadonlySet<number> | null;
  monthDays: ReadonlySet<number> | null;
  weekDays: ReadonlySet<number> | null;
  /** Start time of day in milliseconds; null for `*asap`, which rating cannot use. */
  startOfDayMs: number | null;
  source: string;
}

export interface RateSlotRow {
  id: string;
  connectFee: CgrAmount;
  rate: CgrAmount;
  rateUnitNs: number;
  rateIncrementNs: number;
  groupIntervalStartNs: number;
  source: string;
}

export type MaxCostStrategy = '' | '*free' | '*disconnect';

export interface DestinationRateRow {
  id: string;
  /** A Destinations ID or `*any`. */
  destinationId: string;
  ratesId: string;
  roundingMethod: RoundingMethod;
  roundingDecimals: number;
  maxCost: CgrAmount;
  maxCostStrategy: MaxCostStrategy;
  source: string;
}

export interface RatingPlanRow {
  id: string;
  destinationRatesId: string;
  timingId: string;
  weight: number;
  source: string;
}

export interface RatingProfileRow {
  tenant: string;
  category: string;
  subject: string;
  activationMs: number;
  ratingPlanId: string;
  fallbackSubjects: readonly string[];
  source: string;
}

export interface TariffPlanRows {
  destinations: readonly { id: string; prefix: string; source: string }[];
  timings: readonly TimingRow[];
  rates: readonly RateSlotRow[];
  destinationRates: readonly DestinationRateRow[];
  ratingPlans: readonly RatingPlanRow[];
  ratingProfiles: readonly RatingProfileRow[];
}

/** A Rates ID: its slots by GroupIntervalStart, and the connect fee of its first row. */
export interface RateDef {
  id: string;
  connectFee: CgrAmount;
  slots: readonly RateSlotRow[];
}

/** One (timing, rate, weight) entry of a plan for a destination: CGRateS's rate interval. */
export interface RateInterval {
  planId: string;
  timing: TimingRow;
  weight: number;
  destinationRate: DestinationRateRow;
  rate: RateDef;
  /** Storage order, the last tie-break. */
  order: number;
}

/** The built-in timing `*any`: every day from midnight. */
const ANY_TIMING: TimingRow = { id: '*any', years: null, months: null, monthDays: null, weekDays: null, startOfDayMs: 0, source: 'built in' };

/** The tariff plan, indexed for rating, every reference between its files checked. */
export class TariffPlan {
  /** Prefix → Destinations IDs holding exactly it, in file order. */
  readonly destinationsByPrefix = new Map<string, string[]>();
  /** Plan ID → destination ID (or `*any`) → its rate intervals. */
  private readonly intervals = new Map<string, Map<string, RateInterval[]>>();
  /** `tenant|category|subject` → activations, latest first. */
  private readonly profiles = new Map<string, RatingProfileRow[]>();

  constructor(rows: TariffPlanRows) {
    for (const row of rows.destinations) {
      const ids = this.destinationsByPrefix.get(row.prefix) ?? [];
      if (!ids.includes(row.id)) ids.push(row.id);
      this.destinationsByPrefix.set(row.prefix, ids);
    }
    const destinationIds = new Set(rows.destinations.map((row) => row.id));
    const timings = new Map(rows.timings.map((row) => [row.id, row]));
    const rates = rateDefs(rows.rates);
    const destinationRates = groupBy(rows.destinationRates, (row) => row.id);
    for (const row of rows.destinationRates) {
      if (row.destinationId !== '*any' && !destinationIds.has(row.destinationId)) unknown(row.source, 'DestinationId', row.destinationId, 'Destinations');
      if (!rates.has(row.ratesId)) unknown(row.source, 'RatesTag', row.ratesId, 'Rates');
    }
    let order = 0;
    for (const row of rows.ratingPlans) {
      const timing = row.timingId === '*any' ? ANY_TIMING : timings.get(row.timingId);
      if (timing === undefined) unknown(row.source, 'TimingTag', row.timingId, 'Timings');
      if (timing.startOfDayMs === null) throw new InputError(`${row.source}: TimingTag "${row.timingId}" is a *asap timing (${timing.source}): expected a timing with a start time of day`);
      const entries = destinationRates.get(row.destinationRatesId);
      if (entries === undefined) unknown(row.source, 'DestinationRatesId', row.destinationRatesId, 'DestinationRates');
      const byDestination = this.intervals.get(row.id) ?? new Map<string, RateInterval[]>();
      this.intervals.set(row.id, byDestination);
      for (const destinationRate of entries) {
        const list = byDestination.get(destinationRate.destinationId) ?? [];
        list.push({ planId: row.id, timing, weight: row.weight, destinationRate, rate: rates.get(destinationRate.ratesId) as RateDef, order: order++ });
        byDestination.set(destinationRate.destinationId, list);
      }
    }
    for (const row of rows.ratingProfiles) {
      if (!this.intervals.has(row.ratingPlanId)) unknown(row.source, 'RatingPlanId', row.ratingPlanId, 'RatingPlans');
      const key = profileKey(row.tenant, row.category, row.subject);
      const list = this.profiles.get(key) ?? [];
      list.push(row);
      this.profiles.set(key, list);
    }
    for (const list of this.profiles.values()) list.sort((a, b) => b.activationMs - a.activationMs);
  }

  /** The profile row active at `atMs` for this subject exactly (latest activation not after it), or undefined. */
  activeProfile(tenant: string, category: string, subject: string, atMs: number): RatingProfileRow | undefined {
    return this.profiles.get(profileKey(tenant, category, subject))?.find((row) => row.activationMs <= atMs);
  }

  /** A plan's rate intervals for one destination ID (or `*any`), in storage order. */
  intervalsOf(planId: string, destinationId: string): readonly RateInterval[] {
    return this.intervals.get(planId)?.get(destinationId) ?? [];
  }
}

function profileKey(tenant: string, category: string, subject: string): string {
  return `${tenant}\u0000${category}\u0000${subject}`;
}

function unknown(source: string, field: string, value: string, file: string): never {
  throw new InputError(`${source}: ${field} "${value}" is not an ID of ${file}`);
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row)) ?? [];
    list.push(row);
    groups.set(key(row), list);
  }
  return groups;
}

/** Slots by GroupIntervalStart (a slot given twice at one GIS is an error); the connect fee is the first row's. */
function rateDefs(rows: readonly RateSlotRow[]): Map<string, RateDef> {
  const defs = new Map<string, RateDef>();
  for (const [id, slots] of groupBy(rows, (row) => row.id)) {
    const first = slots[0] as RateSlotRow;
    const sorted = [...slots].sort((a, b) => a.groupIntervalStartNs - b.groupIntervalStartNs);
    sorted.forEach((slot, index) => {
      const before = sorted[index - 1];
      if (before !== undefined && before.groupIntervalStartNs === slot.groupIntervalStartNs) {
        throw new InputError(`${slot.source}: GroupIntervalStart of rate "${id}" is already given at ${before.source}: expected one slot per GroupIntervalStart`);
      }
    });
    if ((sorted[0] as RateSlotRow).groupIntervalStartNs !== 0) {
      throw new InputError(`${first.source}: rate "${id}" has no slot at GroupIntervalStart 0: expected one, so a call's first second has a price`);
    }
    defs.set(id, { id, connectFee: first.connectFee, slots: sorted });
  }
  return defs;
}

export const ZERO_AMOUNT: CgrAmount = cgrAmount('0');
