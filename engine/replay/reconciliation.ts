import { InputError } from '../kernel/errors.js';
import type { RateRow } from '../model/rate-row.js';
import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import type { Allowances } from '../model/allowances.js';
import { isPoolRoute } from '../model/route.js';
import type { RateTable } from '../rules/rate-table.js';
import type { FundingDifferenceRow, FundingSource, ReconciliationRow } from './result.js';

/**
 * Recorded against re-rated charges by destination name, with shortcuts by rate row (many rows
 * of a table share a destination) and for the two rows of calls without a rate (most calls:
 * free and pool calls).
 */
export class Reconciliation {
  private readonly byDestination = new Map<string, ReconciliationRow>();
  private readonly byRate = new Map<RateRow, ReconciliationRow>();
  private unrated: ReconciliationRow | undefined;
  private noCreditCharge: ReconciliationRow | undefined;

  /** One call: what the export recorded, and what the replay charged for its credit-funded part. */
  add(recordedMicros: number, rate: RateRow | null, creditSeconds: number, reratedMicros: number): void {
    const row = this.rowOf(rate, creditSeconds);
    row.calls++;
    row.recordedMicros += recordedMicros;
    row.reratedMicros += reratedMicros;
    // A sum past 2^53 micros would be rounded: refuse it rather than print a figure that is off.
    if (row.recordedMicros > Number.MAX_SAFE_INTEGER || row.reratedMicros > Number.MAX_SAFE_INTEGER) tooLarge(row.destination);
  }

  /** The rows by destination name. */
  rows(): ReconciliationRow[] {
    return [...this.byDestination.values()].sort((a, b) => (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0));
  }

  private rowOf(rate: RateRow | null, creditSeconds: number): ReconciliationRow {
    const known = rate === null ? (creditSeconds > 0 ? this.unrated : this.noCreditCharge) : this.byRate.get(rate);
    if (known !== undefined) return known;
    const destination = rate?.destination ?? (creditSeconds > 0 ? '(unrated)' : '(no credit charge)');
    let row = this.byDestination.get(destination);
    if (row === undefined) this.byDestination.set(destination, (row = { destination, calls: 0, recordedMicros: 0, reratedMicros: 0 }));
    if (rate !== null) this.byRate.set(rate, row);
    else if (creditSeconds > 0) this.unrated = row;
    else this.noCreditCharge = row;
    return row;
  }
}

function tooLarge(destination: string): never {
  throw new InputError(`the charges of the calls to "${destination}" add up to more than 9007199254.740991, past exact arithmetic: replay fewer or smaller charges at once`);
}

/**
 * Calls a pool could pay, where the replay's funding source differs from the export's: the
 * export says credits paid a call when its Capability is a payment source (MCOPSTNPP), a pool
 * otherwise. With the tenant's own licences in the scenario there is none; each row left shows a
 * destination and user where the scenario's licence counts (or plans) are not the tenant's. A call
 * the pool paid in part (the one that ran it out) matches either.
 */
export class FundingReconciliation {
  /**
   * Counts by (user, recorded source, rate row) under one number: a replay may meet hundreds of
   * thousands of such calls (a scenario far from the tenant's licences), so no text is made per call.
   */
  private readonly counts = new Map<number, { calls: number; durationSeconds: number }>();
  /** Per table capability id: 1 a payment source, 0 not, undefined not yet asked. */
  private readonly paymentSource: (number | undefined)[] = [];

  constructor(
    private readonly table: CallTable,
    private readonly allowances: Allowances,
    private readonly rates: RateTable | null,
  ) {}

  /** One settled call: counted when a pool could pay it and the replay's source is not the export's. */
  called(part: CallColumns, index: number, route: number, poolSeconds: number, creditSeconds: number): void {
    if (!isPoolRoute(route) || (poolSeconds > 0 && creditSeconds > 0) || poolSeconds + creditSeconds === 0) return;
    const capability = (part.recordedCapability ?? part.capability)[index] as number;
    let paid = this.paymentSource[capability];
    if (paid === undefined) this.paymentSource[capability] = paid = this.allowances.isPaymentSource(this.table.capabilities[capability] ?? '') ? 1 : 0;
    if ((paid === 1) !== poolSeconds > 0) return;
    const rateSlots = (this.rates?.rows.length ?? 0) + 1;
    const key = ((part.user[index] as number) * 2 + paid) * rateSlots + (part.rate[index] as number) + 1;
    const count = this.counts.get(key);
    if (count === undefined) this.counts.set(key, { calls: 1, durationSeconds: poolSeconds + creditSeconds });
    else {
      count.calls++;
      count.durationSeconds += poolSeconds + creditSeconds;
    }
  }

  /** By destination, then user, then recorded source; rate rows of one destination add up. */
  rows(): FundingDifferenceRow[] {
    const rateSlots = (this.rates?.rows.length ?? 0) + 1;
    const byName = new Map<string, FundingDifferenceRow>();
    for (const [key, count] of this.counts) {
      const rateIndex = (key % rateSlots) - 1;
      const paid = Math.floor(key / rateSlots) % 2 === 1;
      const user = this.table.users[Math.floor(key / rateSlots / 2)] ?? '';
      const destination = (rateIndex >= 0 ? this.rates?.rows[rateIndex]?.destination : undefined) ?? '(unrated)';
      const recorded: FundingSource = paid ? 'credits' : 'pool';
      const name = `${destination}\u0000${user}\u0000${recorded}`;
      let row = byName.get(name);
      if (row === undefined) byName.set(name, (row = { destination, user, recorded, simulated: paid ? 'pool' : 'credits', calls: 0, durationSeconds: 0 }));
      row.calls += count.calls;
      row.durationSeconds += count.durationSeconds;
    }
    const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...byName.values()].sort((a, b) => order(a.destination, b.destination) || order(a.user, b.user) || order(a.recorded, b.recorded));
  }
}
