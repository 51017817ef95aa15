import type { ReplayResult } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { amountAtLeastMinor, amountFormatter } from './amounts.js';

const REJECTS_SHOWN = 5;

/** The readable answer printed to a terminal: what it cost, what ran out, what dropped, what was not used. */
export function terminalSummary(result: ReplayResult): string {
  const money = amountFormatter(result.minorDigits);
  const { calls, credits } = result;
  const lines: string[] = [];
  const source = result.source === 'rates' ? 're-rated from rate tables' : "recorded charges from the export";
  lines.push(`creditcast replay: ${formatInstant(result.start)} to ${formatInstant(result.end)}, ${result.currency}, ${source}`);
  lines.push('');
  lines.push(
    `Calls    ${calls.read} rows read: ${calls.free} free, ${calls.pool} from pools, ${calls.credits} from credits, ` +
      `${calls.refused} refused, ${calls.cut} cut, ${calls.rejected} rejected`,
  );
  lines.push(
    `Credits  funded ${money(credits.fundedMicros)} = spent ${money(credits.spentMicros)} + forfeited ${money(credits.forfeitedMicros)} + closing ${money(credits.closingMicros)}`,
  );
  lines.push(
    `         ${credits.recharges} auto-recharge(s), ${credits.rechargeFailures} failed, ${credits.topUps} top-up(s)` +
      (credits.autoRechargeDisabledAt === null ? '' : `; auto-recharge disabled at ${formatInstant(credits.autoRechargeDisabledAt)}`),
  );
  lines.push(
    result.drops === 0
      ? 'Drops    none: every call was funded'
      : `Drops    ${result.drops} call(s) refused or cut, the first at ${formatInstant(result.firstDrop as number)}`,
  );
  lines.push('');
  lines.push(table(
    ['month', 'opening', 'purchased', 'spent', 'forfeited', 'closing', 'drops'],
    result.months.map((month) => [
      month.month, money(month.openingMicros), money(month.purchasedMicros), money(month.spentMicros),
      money(month.forfeitedMicros), money(month.closingMicros), String(month.drops),
    ]),
  ));

  const exhausted = result.pools.filter((pool) => pool.exhaustedAt !== null);
  lines.push('');
  if (exhausted.length === 0) lines.push('Pools    none ran out');
  else {
    lines.push(`Pools    ${exhausted.length} of ${result.pools.length} ran out:`);
    for (const pool of exhausted) {
      lines.push(`  ${pool.month} ${pool.capability} ${pool.country} ${pool.kind}: ${pool.minutes} min for ${pool.users} user(s), out at ${formatInstant(pool.exhaustedAt as number)}`);
    }
  }

  const notable = result.notableEvents;
  if (notable.length > 0) {
    lines.push('');
    lines.push('Events');
    for (const event of notable.slice(0, 20)) {
      const amount = event.type === 'forfeit' ? ` ${money(event.amountMicros)} of lot ${event.lotId}` : '';
      lines.push(`  ${formatInstant(event.at)} ${event.type}${amount}`);
    }
    if (notable.length > 20) lines.push(`  ... ${notable.length - 20} more (--events FILE lists every ledger event)`);
  }

  if (result.reconciliation.length > 0) {
    const exact = amountAtLeastMinor(result.minorDigits);
    const recorded = result.reconciliation.reduce((sum, row) => sum + row.recordedMicros, 0);
    const rerated = result.reconciliation.reduce((sum, row) => sum + row.reratedMicros, 0);
    const differing = result.reconciliation
      .filter((row) => row.reratedMicros !== row.recordedMicros)
      .sort((a, b) => Math.abs(b.reratedMicros - b.recordedMicros) - Math.abs(a.reratedMicros - a.recordedMicros) || a.destination.localeCompare(b.destination));
    lines.push('');
    lines.push(`Reconciliation  export's charges ${exact(recorded)}, re-rated ${money(rerated)}, difference ${exact(rerated - recorded)}`);
    for (const row of differing.slice(0, 5)) {
      lines.push(`  ${row.destination}: ${row.calls} call(s), recorded ${exact(row.recordedMicros)}, re-rated ${money(row.reratedMicros)}`);
    }
    if (differing.length > 5) lines.push(`  ... ${differing.length - 5} more destinations differ (--json lists them all)`);
  }

  if (result.rejects.length > 0) {
    const byReason = Object.entries(result.rejectCounts).map(([reason, count]) => `${reason} ${count}`).join(', ');
    lines.push('');
    lines.push(`Rejected ${result.rejects.length} row(s): ${byReason}`);
    for (const reject of result.rejects.slice(0, REJECTS_SHOWN)) lines.push(`  ${reject.file}:${reject.line} ${reject.reason}: ${reject.detail}`);
    if (result.rejects.length > REJECTS_SHOWN) lines.push(`  ... ${result.rejects.length - REJECTS_SHOWN} more (--rejects FILE lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [format(header), ...rows.map(format)].join('\n');
}
