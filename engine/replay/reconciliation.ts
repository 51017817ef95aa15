import { InputError } from '../kernel/errors.js';
import type { RateRow } from '../model/rate-row.js';
import type { ReconciliationRow } from './result.js';

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
