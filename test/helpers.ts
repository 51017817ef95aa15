import { join } from 'node:path';
import type { LedgerEvent } from '../engine/model/events.js';
import { type CallPricing } from '../engine/rules/pricing.js';
import { type TopUp } from '../engine/model/credits-policy.js';
import { CreditLedger } from '../engine/credits/ledger.js';
import type { CreditsConfig, RechargePolicy } from '../engine/model/credits-policy.js';
import { bundledData } from '../engine/edge/load/package-data.js';
import { parseMicros } from '../engine/kernel/money.js';
import { loadNumberingPlan } from '../engine/edge/load/load-numbering.js';
import { loadAllowances } from '../engine/edge/load/load-allowances.js';
import type { Rules } from '../engine/rules/classify.js';
import { seededRandom } from '../engine/kernel/random.js';
import { parseInstant } from '../engine/kernel/time.js';

export const ROOT = join(import.meta.dirname, '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** "12.34" → micros, failing loudly on a typo in a test table. */
export function usd(text: string): number {
  const micros = parseMicros(text);
  if (micros === undefined) throw new Error(`bad amount in test: ${text}`);
  return micros;
}

export function at(text: string): number {
  const instant = parseInstant(text);
  if (instant === undefined) throw new Error(`bad instant in test: ${text}`);
  return instant;
}

let rulesCache: Rules | undefined;
export function bundledRules(): Rules {
  const data = bundledData();
  rulesCache ??= { allowances: loadAllowances(data.allowances), numbering: loadNumberingPlan(data) };
  return rulesCache;
}

export function policy(overrides: Partial<RechargePolicy>): RechargePolicy {
  return {
    triggerMicros: usd('5'),
    amountMicros: usd('10'),
    mode: 'with',
    compare: '<',
    delaySeconds: 0,
    failFrom: null,
    failProbability: 0,
    disableAfterFailures: null,
    ...overrides,
  };
}

/** A ledger in USD cents, no minimum purchase, with its events collected. */
export function makeLedger(recharge: RechargePolicy | null = null, topUps: TopUp[] = [], config: Partial<CreditsConfig> = {}) {
  const events: LedgerEvent[] = [];
  const ledger = new CreditLedger(
    { minorUnitMicros: 10_000, exhaustion: 'cut', offsetMinutes: 0, expiryMonths: 12, minimumPurchaseMicros: 0, recharge, ...config },
    seededRandom(7),
    (event) => events.push(event),
    topUps,
  );
  return { ledger, events };
}

export function flat(amount: string): CallPricing {
  return { kind: 'flat', amountMicros: usd(amount) };
}

export function perMinute(price: string, fee = '0', first = 60, next = 60): CallPricing {
  return { kind: 'rate', priceMicrosPerMinute: usd(price), connectionMicros: usd(fee), firstIncrementSeconds: first, nextIncrementSeconds: next };
}

/** Event types in order, amounts in dollars where they have one: compact to assert on. */
export function eventLog(events: readonly LedgerEvent[]): string[] {
  return events.map((event) => {
    const amount = 'amountMicros' in event ? ` ${(event.amountMicros / 1e6).toFixed(2)}` : '';
    return `${event.type}${amount}`;
  });
}
