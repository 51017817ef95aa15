import type { ReplayResult } from '../replay/result.js';

type Money = (micros: number) => string;

/** Lines of the period's split shown in the summary; --json has every line of every month. */
const SPLIT_SHOWN = 10;

/** `invoices` of the --json document: each month's amount and its lines by service and destination. */
export function invoicesJson(result: ReplayResult, money: Money): object[] {
  return result.invoices.map((invoice) => ({
    month: invoice.month,
    amount: money(invoice.amountMicros),
    calls: invoice.calls,
    split: invoice.split.map((line) => ({ service: line.service, destination: line.destination, calls: line.calls, amount: money(line.amountMicros) })),
  }));
}

/** The summary's money lines for a postpaid tenant: the total invoiced, then each month's invoice. */
export function invoiceOverview(result: ReplayResult, money: Money): string[] {
  const total = result.invoices.reduce((sum, invoice) => sum + invoice.amountMicros, 0);
  const largest = result.invoices.reduce<ReplayResult['invoices'][number] | null>((most, invoice) => (most === null || invoice.amountMicros > most.amountMicros ? invoice : most), null);
  return [
    `Invoices postpaid: ${money(total)} invoiced over ${result.invoices.length} month(s)` +
      (largest === null || largest.amountMicros === 0 ? '' : `, the largest ${money(largest.amountMicros)} for ${largest.month}`),
  ];
}

/** Each month's invoice, then the period's charges by service and destination, largest first. */
export function invoiceTable(result: ReplayResult, money: Money, table: (header: string[], rows: string[][]) => string[]): string[] {
  const byMonth = table(
    ['month', 'invoice', 'calls', 'drops'],
    result.invoices.map((invoice, index) => [invoice.month, money(invoice.amountMicros), String(invoice.calls), String(result.months[index]?.drops ?? 0)]),
  );
  const lines = new Map<string, { service: string; destination: string; calls: number; amountMicros: number }>();
  for (const line of result.invoices.flatMap((invoice) => invoice.split)) {
    const key = `${line.service}\n${line.destination}`;
    const sum = lines.get(key) ?? { service: line.service, destination: line.destination, calls: 0, amountMicros: 0 };
    sum.calls += line.calls;
    sum.amountMicros += line.amountMicros;
    lines.set(key, sum);
  }
  const split = [...lines.values()].sort((a, b) => b.amountMicros - a.amountMicros || a.service.localeCompare(b.service) || a.destination.localeCompare(b.destination));
  if (split.length === 0) return byMonth;
  const shown = split.slice(0, SPLIT_SHOWN).map((line) => `  ${line.service} ${line.destination}: ${line.calls} call(s), ${money(line.amountMicros)}`);
  const more = split.length > SPLIT_SHOWN ? [`  ... ${split.length - SPLIT_SHOWN} more (--json splits every month's invoice)`] : [];
  return [...byMonth, '', 'Invoiced by service and destination', ...shown, ...more];
}
