import type { ReplayResult } from '../replay/result.js';
import { shortLine } from '../kernel/quote.js';
import { formatInstant } from '../kernel/time.js';
import { attributionLines } from './attribution.js';
import { amountAtLeastMinor, amountFormatter, notificationsInOrder } from './amounts.js';
import { invoiceOverview, invoiceTable } from './invoice-report.js';

const REJECTS_SHOWN = 5;
const EVENTS_SHOWN = 20;
const DESTINATIONS_SHOWN = 5;
/** A line quoting an input (a reject's detail, a destination) is cut here, the rest counted. */
const LINE_CHARS = 400;

/**
 * The readable answer printed to a terminal: what it cost, what ran out, what dropped, what was not
 * used. Lines quote inputs (file names, destinations, rejected fields), so each is made printable.
 */
export function terminalSummary(result: ReplayResult): string {
  const money = amountFormatter(result.minorDigits);
  const postpaid = result.billing === 'postpaid';
  const lines = [
    ...overview(result, money),
    '',
    ...(postpaid ? invoiceTable(result, money, table) : monthsTable(result, money)),
    '',
    ...poolsRunOut(result),
    ...notifications(result),
    ...notableEvents(result, money),
    ...reconciliation(result, money),
    ...attributionLines(result),
    ...rejected(result),
  ];
  return `${lines.map((line) => shortLine(line, LINE_CHARS)).join('\n')}\n`;
}

type Money = (micros: number) => string;

function overview(result: ReplayResult, money: Money): string[] {
  const { calls } = result;
  const source = result.source === 'rates' ? 're-rated from rate tables' : result.source === 'cgrates' ? 'rated with a CGRateS tariff plan' : 'recorded charges from the export';
  return [
    `creditcast replay: ${formatInstant(result.start)} to ${formatInstant(result.end)}, ${result.currency}, ${source}`,
    '',
    `Calls    ${calls.read} rows read: ${calls.free} free, ${calls.pool} from pools, ${calls.credits} from credits, ` +
      `${calls.refused} refused, ${calls.cut} cut, ${calls.rejected} rejected`,
    ...(result.billing === 'postpaid' ? invoiceOverview(result, money) : creditsLines(result, money)),
    result.drops === 0
      ? 'Drops    none: every call was funded'
      : `Drops    ${result.drops} call(s) refused or cut, the first at ${formatInstant(result.firstDrop as number)}`,
  ];
}

function creditsLines(result: ReplayResult, money: Money): string[] {
  const { credits } = result;
  return [
    `Credits  funded ${money(credits.fundedMicros)} = spent ${money(credits.spentMicros)} + forfeited ${money(credits.forfeitedMicros)} + closing ${money(credits.closingMicros)}`,
    `         ${credits.recharges} auto-recharge(s), ${credits.rechargeFailures} failed, ${credits.topUps} top-up(s)` +
      (credits.autoRechargeDisabledAt === null ? '' : `; auto-recharge disabled at ${formatInstant(credits.autoRechargeDisabledAt)}`),
    ...expiringAtEnd(result, money),
  ];
}

/** Money in the closing balance that leaves it at the end instant: a lot that dies at midnight is named, not hidden. */
function expiringAtEnd(result: ReplayResult, money: Money): string[] {
  const micros = result.credits.expiringAtEndMicros;
  if (micros === 0) return [];
  return [`         ${money(micros)} of the closing balance expires at ${formatInstant(result.end)}, the end of the period (forfeited then)`];
}

/** The vendor's notifications (balance and pools): how many of each kind and the first. */
function notifications(result: ReplayResult): string[] {
  const kinds = notificationsInOrder(result.notifications);
  if (kinds.length === 0) return ['Notices  none'];
  return [`Notices  ${kinds.map(([kind, seen]) => `${kind} ${seen.count} (first ${formatInstant(seen.firstAt)})`).join(', ')}`];
}

function monthsTable(result: ReplayResult, money: Money): string[] {
  return table(
    ['month', 'opening', 'purchased', 'spent', 'forfeited', 'closing', 'drops'],
    result.months.map((month) => [
      month.month, money(month.openingMicros), money(month.purchasedMicros), money(month.spentMicros),
      money(month.forfeitedMicros), money(month.closingMicros), String(month.drops),
    ]),
  );
}

function poolsRunOut(result: ReplayResult): string[] {
  const exhausted = result.pools.filter((pool) => pool.exhaustedAt !== null);
  if (exhausted.length === 0) return ['Pools    none ran out'];
  return [
    `Pools    ${exhausted.length} of ${result.pools.length} ran out:`,
    ...exhausted.map((pool) => `  ${pool.month} ${pool.capability} ${pool.country} ${pool.kind}: ${pool.minutes} min for ${pool.users} user(s), out at ${formatInstant(pool.exhaustedAt as number)}`),
  ];
}

function notableEvents(result: ReplayResult, money: Money): string[] {
  const notable = result.notableEvents;
  if (notable.length === 0) return [];
  const lines = ['', 'Events'];
  for (const event of notable.slice(0, EVENTS_SHOWN)) {
    const amount = event.type === 'forfeit' ? ` ${money(event.amountMicros)} of lot ${event.lotId}` : '';
    lines.push(`  ${formatInstant(event.at)} ${event.type}${amount}`);
  }
  if (notable.length > EVENTS_SHOWN) lines.push(`  ... ${notable.length - EVENTS_SHOWN} more (--events FILE lists every ledger event)`);
  return lines;
}

/** The export's recorded charges against the re-rated ones, the destinations that differ most first. */
function reconciliation(result: ReplayResult, money: Money): string[] {
  if (result.reconciliation.length === 0) return [];
  const exact = amountAtLeastMinor(result.minorDigits);
  const recorded = result.reconciliation.reduce((sum, row) => sum + row.recordedMicros, 0);
  const rerated = result.reconciliation.reduce((sum, row) => sum + row.reratedMicros, 0);
  const differing = result.reconciliation
    .filter((row) => row.reratedMicros !== row.recordedMicros)
    .sort((a, b) => Math.abs(b.reratedMicros - b.recordedMicros) - Math.abs(a.reratedMicros - a.recordedMicros) || a.destination.localeCompare(b.destination));
  const lines = ['', `Reconciliation  export's charges ${exact(recorded)}, re-rated ${money(rerated)}, difference ${exact(rerated - recorded)}`];
  for (const row of differing.slice(0, DESTINATIONS_SHOWN)) {
    lines.push(`  ${row.destination}: ${row.calls} call(s), recorded ${exact(row.recordedMicros)}, re-rated ${money(row.reratedMicros)}`);
  }
  if (differing.length > DESTINATIONS_SHOWN) lines.push(`  ... ${differing.length - DESTINATIONS_SHOWN} more destinations differ (--json lists them all)`);
  return lines;
}

function rejected(result: ReplayResult): string[] {
  if (result.rejects.length === 0) return [];
  const byReason = Object.entries(result.rejectCounts).map(([reason, count]) => `${reason} ${count}`).join(', ');
  const lines = ['', `Rejected ${result.rejects.length} row(s): ${byReason}`];
  for (const reject of result.rejects.slice(0, REJECTS_SHOWN)) lines.push(`  ${reject.file}:${reject.line} ${reject.reason}: ${reject.detail}`);
  if (result.rejects.length > REJECTS_SHOWN) lines.push(`  ... ${result.rejects.length - REJECTS_SHOWN} more (--rejects FILE lists them all)`);
  return lines;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [format(header), ...rows.map(format)];
}
