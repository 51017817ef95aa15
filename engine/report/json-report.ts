import type { ReplayResult } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { attributionJson } from './attribution.js';
import { amountAtLeastMinor, amountFormatter, instantOrNull, notificationsInOrder } from './amounts.js';
import { invoicesJson } from './invoice-report.js';

const REJECTS_SHOWN = 10;

/** The `--json` document: amounts as decimal strings, times as ISO 8601 (see README, JSON output). */
export function jsonReport(result: ReplayResult): object {
  const money = amountFormatter(result.minorDigits);
  const exact = amountAtLeastMinor(result.minorDigits);
  return {
    currency: result.currency,
    source: result.source,
    billing: result.billing,
    period: { start: formatInstant(result.start), end: formatInstant(result.end) },
    calls: result.calls,
    credits: creditsJson(result, money),
    notifications: notificationsJson(result),
    drops: result.drops,
    firstDrop: instantOrNull(result.firstDrop),
    months: result.months.map((month) => ({
      month: month.month,
      opening: money(month.openingMicros),
      purchased: money(month.purchasedMicros),
      spent: money(month.spentMicros),
      recharged: money(month.rechargedMicros),
      forfeited: money(month.forfeitedMicros),
      closing: money(month.closingMicros),
      drops: month.drops,
    })),
    pools: result.pools.map((pool) => ({
      capability: pool.capability,
      country: pool.country,
      month: pool.month,
      kind: pool.kind,
      users: pool.users,
      minutes: pool.minutes,
      used: pool.used,
      usedSeconds: pool.usedSeconds,
      exhaustedAt: instantOrNull(pool.exhaustedAt),
    })),
    rejects: {
      count: result.rejects.length,
      byReason: result.rejectCounts,
      first: result.rejects.slice(0, REJECTS_SHOWN).map((reject) => ({ file: reject.file, line: reject.line, reason: reject.reason, detail: reject.detail })),
    },
    ...(result.billing === 'postpaid' ? { invoices: invoicesJson(result, money) } : {}),
    warnings: result.warnings,
    reconciliation: result.reconciliation.map((row) => ({
      destination: row.destination,
      calls: row.calls,
      recorded: exact(row.recordedMicros),
      rerated: money(row.reratedMicros),
      difference: exact(row.reratedMicros - row.recordedMicros),
    })),
    ...attributionJson(result),
  };
}

/** The credits equation (funded = spent + forfeited + closing; closing may be negative) and the purchases. */
function creditsJson(result: ReplayResult, money: (micros: number) => string): object {
  const { credits } = result;
  return {
    funded: money(credits.fundedMicros),
    spent: money(credits.spentMicros),
    forfeited: money(credits.forfeitedMicros),
    closing: money(credits.closingMicros),
    recharges: credits.recharges,
    rechargeFailures: credits.rechargeFailures,
    topUps: credits.topUps,
    autoRechargeDisabledAt: instantOrNull(credits.autoRechargeDisabledAt),
    expiringAtEnd: money(credits.expiringAtEndMicros),
  };
}

/** `{ "<kind>": { "count": n, "first": "ISO" } }`, kinds in the order they first happened. */
function notificationsJson(result: ReplayResult): Record<string, { count: number; first: string }> {
  const json: Record<string, { count: number; first: string }> = {};
  for (const [kind, seen] of notificationsInOrder(result.notifications)) json[kind] = { count: seen.count, first: formatInstant(seen.firstAt) };
  return json;
}
