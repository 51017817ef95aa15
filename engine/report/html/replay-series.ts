import type { CallColumns } from '../../columns/call-columns.js';
import type { CallTable } from '../../columns/call-table.js';
import { monthIndexOf, monthLabel } from '../../kernel/calendar.js';
import type { LedgerEvent } from '../../model/events.js';
import { RATE_SERVICES } from '../../model/rate-row.js';
import { poolLabel } from '../../pools/pool-book.js';
import type { CallSplit } from '../../pools/pool-stage.js';
import type { CallOutcome } from '../../replay/call-pass.js';
import { creditDestination } from '../../replay/invoices.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Period, ReplayWatcher } from '../../replay/replay.js';
import type { Scenario } from '../../model/scenario.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Periods longer than this are charted per day, so a report stays small whatever the period. */
const HOURLY_UP_TO_MS = 800 * DAY_MS;
/** The ranked lists keep this many names; the rest are summed as one "other" row. */
const TOP_NAMES = 15;
/** Pools followed day by day; per-user pools are never followed (thousands of them). */
const POOLS_FOLLOWED = 200;
/** Events other than spends kept for the workbook's events sheet (purchases, forfeits, failures, drops). */
export const EVENTS_KEPT = 100_000;

/** The balance and its events per time bucket (hour or day), as columns; amounts in micros. */
export interface BalanceBuckets {
  atMs: number[];
  closeMicros: number[];
  minMicros: number[];
  purchases: number[];
  purchasedMicros: number[];
  failures: number[];
  forfeits: number[];
  forfeitedMicros: number[];
  drops: number[];
}

export interface NamedSpend {
  name: string;
  calls: number;
  spentMicros: number;
}

/** The series an HTML report of a replay draws besides its `--json` document; never one point per call. */
export interface ReplaySeriesData {
  bucketMs: number;
  balance: BalanceBuckets;
  firstBelowZeroAt: number | null;
  spendByService: { month: string; outboundMicros: number; dialoutMicros: number; tollfree_inMicros: number }[];
  topDestinations: NamedSpend[];
  topUsers: NamedSpend[];
  /** Minutes drawn per day, per pool label (capability/country/month/side). */
  poolDays: { label: string; dayMs: number[]; usedMinutes: number[] }[];
  /** The vendor's pool notices (80% and 100% drawn) of the pools in poolDays, the first NOTICES_KEPT of them. */
  poolNotices: { label: string; type: string; atMs: number }[];
}

/** Two notices a pool at most: this many covers every pool a report follows many times over. */
const NOTICES_KEPT = 10_000;

interface Bucket {
  lastAt: number;
  close: number;
  min: number;
  purchases: number;
  purchased: number;
  failures: number;
  forfeits: number;
  forfeited: number;
  drops: number;
}

/**
 * Gathers a replay's charts as it runs: the balance per hour (per day over long periods), credit
 * spend per month and service, spend per destination and user, and pool minutes per day.
 */
export class ReplaySeries implements ReplayWatcher {
  private bucketMs = HOUR_MS;
  private buckets = new Map<number, Bucket>();
  private firstBelowZeroAt: number | null = null;
  private monthSpend = new Map<number, number[]>();
  private destinations = new Map<string, { calls: number; spent: number }>();
  private users = new Map<number, { calls: number; spent: number }>();
  private pools = new Map<string, Map<number, number>>();
  private table: CallTable | null = null;
  private kept: LedgerEvent[] = [];
  private notices: ReplaySeriesData['poolNotices'] = [];
  private offsetMinutes = 0;
  private poolWholeMinutes = true;
  private pricedRates: RateTable | null = null;

  /** The period decides the bucket: hours, or days for a period over HOURLY_UP_TO_MS. */
  begin(scenario: Scenario, period: Period, pricedRates: RateTable | null): void {
    this.pricedRates = pricedRates;
    this.bucketMs = period.end - period.start > HOURLY_UP_TO_MS ? DAY_MS : HOUR_MS;
    this.offsetMinutes = scenario.offsetMinutes;
    this.poolWholeMinutes = scenario.rating.poolRounding !== 'second';
  }

  reset(): void {
    this.buckets = new Map();
    this.firstBelowZeroAt = null;
    this.monthSpend = new Map();
    this.destinations = new Map();
    this.users = new Map();
    this.pools = new Map();
    this.kept = [];
    this.notices = [];
  }

  /** The ledger's events but spends (each call's), in the order posted: the first EVENTS_KEPT of them. */
  events(): readonly LedgerEvent[] {
    return this.kept;
  }

  event = (event: LedgerEvent): void => {
    if (event.type !== 'spend' && this.kept.length < EVENTS_KEPT) this.kept.push(event);
    // A per-user pool's label ends in its user (capability/country/month/side/user): never drawn, so not kept.
    if ((event.type === 'pool-80' || event.type === 'pool-100') && event.pool.split('/').length === 4 && this.notices.length < NOTICES_KEPT) {
      this.notices.push({ label: event.pool, type: event.type, atMs: event.at });
    }
    // Pool notices carry no balance: they are in the events sheet, not on the balance line.
    if (event.type === 'recharge-requested' || !('balanceMicros' in event)) return;
    const key = Math.floor(event.at / this.bucketMs) * this.bucketMs;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { lastAt: -Infinity, close: 0, min: Infinity, purchases: 0, purchased: 0, failures: 0, forfeits: 0, forfeited: 0, drops: 0 };
      this.buckets.set(key, bucket);
    }
    // A cut is dated after the calls that started beside it: the latest instant gives the bucket's close.
    if (event.at >= bucket.lastAt) {
      bucket.lastAt = event.at;
      bucket.close = event.balanceMicros;
    }
    bucket.min = Math.min(bucket.min, event.balanceMicros);
    if (event.balanceMicros < 0 && (this.firstBelowZeroAt === null || event.at < this.firstBelowZeroAt)) this.firstBelowZeroAt = event.at;
    if (event.type === 'purchase') {
      bucket.purchases++;
      bucket.purchased += event.amountMicros;
    } else if (event.type === 'recharge-failed') bucket.failures++;
    else if (event.type === 'forfeit') {
      bucket.forfeits++;
      bucket.forfeited += event.amountMicros;
    } else if (event.type === 'refused' || event.type === 'cut') bucket.drops++;
  };

  call = (table: CallTable, part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): void => {
    this.table = table;
    const startAt = part.startAt[index] as number;
    if (split.pool !== null && split.poolSeconds > 0 && split.pool.allowance.kind !== 'calling_plan_per_user') this.addPoolUse(split, startAt);
    if (outcome.paidMicros === 0 && outcome.funding !== 'credits') return;
    const month = monthIndexOf(startAt, this.offsetMinutes);
    let services = this.monthSpend.get(month);
    if (services === undefined) this.monthSpend.set(month, (services = RATE_SERVICES.map(() => 0)));
    const service = part.service[index] as number;
    services[service] = (services[service] ?? 0) + outcome.paidMicros;
    addSpend(this.destinations, creditDestination(split, part.rate[index] as number, this.pricedRates), outcome.paidMicros);
    addSpend(this.users, part.user[index] as number, outcome.paidMicros);
  };

  private addPoolUse(split: CallSplit, startAt: number): void {
    const address = split.pool;
    if (address === null) return;
    const label = poolLabel(address, '');
    let days = this.pools.get(label);
    if (days === undefined) {
      if (this.pools.size >= POOLS_FOLLOWED) return;
      this.pools.set(label, (days = new Map()));
    }
    const dayMs = Math.floor((startAt + this.offsetMinutes * 60_000) / DAY_MS) * DAY_MS - this.offsetMinutes * 60_000;
    const minutes = this.poolWholeMinutes ? Math.ceil(split.poolSeconds / 60) : split.poolSeconds / 60;
    days.set(dayMs, (days.get(dayMs) ?? 0) + minutes);
  }

  /** The series, sorted by time; names resolved from the call table. */
  data(): ReplaySeriesData {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const column = (value: (bucket: Bucket) => number) => keys.map((key) => value(this.buckets.get(key) as Bucket));
    const userName = (id: number) => this.table?.users[id] ?? String(id);
    return {
      bucketMs: this.bucketMs,
      balance: {
        atMs: keys,
        closeMicros: column((b) => b.close),
        minMicros: column((b) => b.min),
        purchases: column((b) => b.purchases),
        purchasedMicros: column((b) => b.purchased),
        failures: column((b) => b.failures),
        forfeits: column((b) => b.forfeits),
        forfeitedMicros: column((b) => b.forfeited),
        drops: column((b) => b.drops),
      },
      firstBelowZeroAt: this.firstBelowZeroAt,
      spendByService: [...this.monthSpend.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([month, micros]) => ({ month: monthLabel(month), outboundMicros: micros[0] ?? 0, dialoutMicros: micros[1] ?? 0, tollfree_inMicros: micros[2] ?? 0 })),
      topDestinations: ranked(this.destinations, (name) => name),
      topUsers: ranked(this.users, userName),
      poolDays: [...this.pools.entries()].map(([label, days]) => {
        const dayMs = [...days.keys()].sort((a, b) => a - b);
        return { label, dayMs, usedMinutes: dayMs.map((day) => days.get(day) as number) };
      }),
      poolNotices: this.notices.filter((notice) => this.pools.has(notice.label)),
    };
  }
}

function addSpend<K>(spends: Map<K, { calls: number; spent: number }>, key: K, paidMicros: number): void {
  const spend = spends.get(key);
  if (spend === undefined) spends.set(key, { calls: 1, spent: paidMicros });
  else {
    spend.calls++;
    spend.spent += paidMicros;
  }
}

/** The biggest spenders first (ties by name), the rest summed as one "(all others)" row. */
function ranked<K>(spends: Map<K, { calls: number; spent: number }>, nameOf: (key: K) => string): NamedSpend[] {
  const rows = [...spends.entries()].map(([key, spend]) => ({ name: nameOf(key), calls: spend.calls, spentMicros: spend.spent }));
  rows.sort((a, b) => b.spentMicros - a.spentMicros || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rest = rows.slice(TOP_NAMES);
  const top = rows.slice(0, TOP_NAMES);
  if (rest.length === 0) return top;
  return [...top, { name: `(${rest.length} others)`, calls: rest.reduce((sum, row) => sum + row.calls, 0), spentMicros: rest.reduce((sum, row) => sum + row.spentMicros, 0) }];
}
