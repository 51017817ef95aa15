import type { CreditDemand } from '../credits/demand.js';
import { invariant } from '../kernel/errors.js';
import { MonthFinder, monthIndexOf, monthLabel } from '../kernel/calendar.js';
import type { EpochMs } from '../kernel/time.js';
import { fullChargeMicros } from '../rules/pricing.js';
import type { History } from './history.js';
import { percentile } from './trials.js';

/**
 * A postpaid tenant's future (DOMAIN §8): no balance to run out, so a trial's answer is its
 * invoices, each credit-funded call charged whole on the invoice of the month it starts in.
 */
export interface TrialInvoices {
  /** Micros invoiced per calendar month of the horizon, in order. */
  monthsMicros: number[];
  totalMicros: number;
  /** Calls dropped for want of the credits licence (no amount of money saves them), the earliest. */
  firstDrop: EpochMs | null;
}

/** Every month of [start, end) by label, in order. */
export function horizonMonths(start: EpochMs, end: EpochMs, offsetMinutes: number): string[] {
  const first = monthIndexOf(start, offsetMinutes);
  const last = monthIndexOf(end - 1, offsetMinutes);
  return Array.from({ length: last - first + 1 }, (_, offset) => monthLabel(first + offset));
}

/** One trial's invoices over [start, end): its credit demand priced call by call, added up by month. */
export function trialInvoices(history: Pick<History, 'demand' | 'settings'>): TrialInvoices {
  const { demand, settings } = history;
  const finder = new MonthFinder(settings.offsetMinutes);
  const first = monthIndexOf(settings.start, settings.offsetMinutes);
  const monthsMicros = horizonMonths(settings.start, settings.end, settings.offsetMinutes).map(() => 0);
  for (let call = 0; call < demand.count; call++) {
    const month = finder.indexOf(demand.startAt[call] as number) - first;
    invariant(month >= 0 && month < monthsMicros.length, () => `a trial's call at ${demand.startAt[call]} lies outside its horizon`);
    monthsMicros[month] = (monthsMicros[month] as number) + chargeOf(demand, call, settings.minorUnitMicros);
  }
  const firstDrop = demand.fixedDrops.reduce<EpochMs | null>((earliest, at) => (earliest === null || at < earliest ? at : earliest), null);
  return { monthsMicros, totalMicros: monthsMicros.reduce((sum, micros) => sum + micros, 0), firstDrop };
}

function chargeOf(demand: CreditDemand, call: number, minorUnitMicros: number): number {
  return fullChargeMicros(demand.pricing[call] as CreditDemand['pricing'][number], demand.creditSeconds[call] as number, minorUnitMicros);
}

/** P5, P50 and P95 over trials (nearest rank): each is one trial's exact amount. */
export interface InvoiceSpread {
  p5Micros: number;
  p50Micros: number;
  p95Micros: number;
}

export function invoiceSpread(values: readonly number[]): InvoiceSpread {
  return { p5Micros: percentile(values, 0.05), p50Micros: percentile(values, 0.5), p95Micros: percentile(values, 0.95) };
}

export interface InvoiceForecast {
  months: ({ month: string } & InvoiceSpread)[];
  total: InvoiceSpread;
}

/** The spread of each month's invoice and of the horizon's total, over trials. */
export function invoiceForecast(perTrial: readonly TrialInvoices[], months: readonly string[]): InvoiceForecast {
  return {
    months: months.map((month, index) => ({ month, ...invoiceSpread(perTrial.map((trial) => trial.monthsMicros[index] as number)) })),
    total: invoiceSpread(perTrial.map((trial) => trial.totalMicros)),
  };
}

export interface MonthlyBudget {
  /** One amount a month, a whole number of steps, that covers every month's invoice in at least `confidence` of the trials. */
  budgetMicros: number;
  /** Share of trials in which no month's invoice is above the budget, and with one step less. */
  shareCovered: number;
  shareOneStepLess: number | null;
  /** Per month: the smallest whole number of steps that covers that month's invoice in `confidence` of the trials. */
  months: { month: string; budgetMicros: number }[];
}

/**
 * The monthly budget of a postpaid tenant: per trial its largest month, the `confidence` percentile
 * of those over trials, rounded up to whole steps; so in that share of trials no invoice exceeds it.
 * Counted again at the answer and one step below, as a check.
 */
export function monthlyBudget(perTrial: readonly TrialInvoices[], months: readonly string[], confidence: number, stepMicros: number): MonthlyBudget {
  const roundUp = (micros: number) => Math.ceil(micros / stepMicros) * stepMicros;
  const largest = perTrial.map((trial) => Math.max(0, ...trial.monthsMicros));
  const budgetMicros = roundUp(percentile(largest, confidence));
  const shareAt = (micros: number) => largest.filter((month) => month <= micros).length / Math.max(largest.length, 1);
  return {
    budgetMicros,
    shareCovered: shareAt(budgetMicros),
    shareOneStepLess: budgetMicros >= stepMicros ? shareAt(budgetMicros - stepMicros) : null,
    months: months.map((month, index) => ({ month, budgetMicros: roundUp(percentile(perTrial.map((trial) => trial.monthsMicros[index] as number), confidence)) })),
  };
}
