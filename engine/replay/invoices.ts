import type { CallColumns } from '../columns/call-columns.js';
import { invariant } from '../kernel/errors.js';
import { MonthFinder, monthIndexOf, monthLabel } from '../kernel/calendar.js';
import type { EpochMs } from '../kernel/time.js';
import { RATE_SERVICES } from '../model/rate-row.js';
import type { CallSplit } from '../pools/pool-stage.js';
import type { RateTable } from '../rules/rate-table.js';
import type { CallOutcome } from './call-pass.js';

/**
 * The destination a credit-funded part is charged under: its rate row's; a call priced by the
 * table's own pricer (CGRateS) has no row in its split, but its matched row still names it.
 */
export function creditDestination(split: CallSplit, rateIndex: number, pricedRates: RateTable | null): string {
  if (split.rate !== null && split.rate !== undefined) return split.rate.destination;
  if (pricedRates === null || rateIndex < 0) return RECORDED_DESTINATION;
  return pricedRates.rows[rateIndex]?.destination ?? RECORDED_DESTINATION;
}

/** What a postpaid month's invoice charged for one service and destination. */
export interface InvoiceLine {
  service: string;
  destination: string;
  calls: number;
  amountMicros: number;
}

/** One calendar month's invoice of a postpaid tenant (DOMAIN §8), its lines by service and destination. */
export interface Invoice {
  month: string;
  amountMicros: number;
  calls: number;
  split: InvoiceLine[];
}

/** Replayed with recorded charges, a call has no rate row: its line says so instead of a destination. */
export const RECORDED_DESTINATION = '(recorded charge)';

/**
 * The invoices of a postpaid replay, built from the calls as the pass settled them (the sink keeps
 * its own totals by month; `check` holds the two to each other). Every month of the period has an
 * invoice, 0.00 when nothing was charged.
 */
export class InvoiceBook {
  private readonly first: number;
  private readonly last: number;
  private readonly finder: MonthFinder;
  /** Per month (from the first), lines by "service\ndestination". */
  private readonly lines: Map<string, InvoiceLine>[] = [];

  /** `pricedRates`: the table whose own pricer priced the calls (CGRateS), its rows naming the destinations; else null. */
  constructor(start: EpochMs, end: EpochMs, offsetMinutes: number, private readonly pricedRates: RateTable | null = null) {
    this.finder = new MonthFinder(offsetMinutes);
    this.first = monthIndexOf(start, offsetMinutes);
    this.last = monthIndexOf(end - 1, offsetMinutes);
    for (let index = this.first; index <= this.last; index++) this.lines.push(new Map());
  }

  /** A call the pass settled: only a paid credit-funded part is invoiced. */
  add(part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): void {
    if (outcome.funding !== 'credits') return;
    const month = this.lines[this.finder.indexOf(part.startAt[index] as number) - this.first];
    invariant(month !== undefined, () => `an invoiced call at ${part.startAt[index]} lies outside the period`);
    const service = split.rate?.service ?? RATE_SERVICES[part.service[index] as number] ?? 'outbound';
    const destination = creditDestination(split, part.rate[index] as number, this.pricedRates);
    const key = `${service}\n${destination}`;
    let line = month.get(key);
    if (line === undefined) month.set(key, (line = { service, destination, calls: 0, amountMicros: 0 }));
    line.calls++;
    line.amountMicros += outcome.paidMicros;
  }

  /** The invoices in month order, each one's lines by service, then destination. */
  invoices(): Invoice[] {
    return this.lines.map((byLine, offset) => {
      const split = [...byLine.values()].sort((a, b) => a.service.localeCompare(b.service) || a.destination.localeCompare(b.destination));
      return {
        month: monthLabel(this.first + offset),
        amountMicros: split.reduce((sum, line) => sum + line.amountMicros, 0),
        calls: split.reduce((sum, line) => sum + line.calls, 0),
        split,
      };
    });
  }

  /** The invoices agree with the sink's own count, month by month (paired assertion). */
  static check(invoices: readonly Invoice[], sinkMicrosByMonth: ReadonlyMap<number, number>, sinkTotalMicros: number, sinkCalls: number): void {
    const total = invoices.reduce((sum, invoice) => sum + invoice.amountMicros, 0);
    const calls = invoices.reduce((sum, invoice) => sum + invoice.calls, 0);
    invariant(total === sinkTotalMicros && calls === sinkCalls, () => `invoices add up to ${total} micros for ${calls} calls, the sink charged ${sinkTotalMicros} for ${sinkCalls}`);
    for (const invoice of invoices) {
      const [year, month] = invoice.month.split('-').map(Number) as [number, number];
      const charged = sinkMicrosByMonth.get(year * 12 + month - 1) ?? 0;
      invariant(charged === invoice.amountMicros, () => `invoice ${invoice.month} says ${invoice.amountMicros} micros, the sink charged ${charged}`);
    }
  }
}
