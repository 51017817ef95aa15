import type { Call, Reject, RejectReason } from '../cdr/call.js';
import type { LedgerEvent } from '../credits/events.js';
import { CreditLedger, fullChargeMicros, type CallPricing } from '../credits/ledger.js';
import { invariant } from '../errors.js';
import { roundHalfUpToUnit } from '../money.js';
import { poolCountry } from '../numbers/e164.js';
import { PoolBook, type PoolAddress } from '../pools/pool-book.js';
import type { RateRow, RateTable } from '../rates/rate-table.js';
import { seededRandom } from '../random.js';
import { mayUseCredits, type Scenario } from '../scenario/scenario.js';
import { addCalendarMonths, formatInstant, monthKey, startOfMonth, type EpochMs } from '../time.js';
import { classify, type AcceptedRoute, type Rules } from './classify.js';
import { summarizeMonths } from './months.js';
import type { CallOutcome, ReconciliationRow, ReplayResult } from './result.js';

export interface ReplayInput {
  /** Accepted calls in (start, file, line) order. */
  calls: readonly Call[];
  ingestRejects: readonly Reject[];
  rowsRead: number;
  scenario: Scenario;
  rules: Rules;
  rates: RateTable | null;
}

/**
 * The whole replay, pure: classify every call, draw pools month by month, rate what is left and
 * post it to the credit ledger in start order. Returns every outcome and event as data.
 */
export function replay(input: ReplayInput): ReplayResult {
  const { scenario, rules, rates } = input;
  const { start, end } = periodOf(input.calls, scenario);
  const rejects: Reject[] = [...input.ingestRejects];
  const reject = (call: Call, reason: RejectReason, detail: string): void => {
    rejects.push({ file: call.file, line: call.line, reason, detail, raw: call.raw });
  };

  const routes: (AcceptedRoute | null)[] = input.calls.map((call): AcceptedRoute | null => {
    if (call.startAt < start || call.startAt >= end) {
      reject(call, 'outside-period', `Start Time ${formatInstant(call.startAt)} is outside the scenario period ${formatInstant(start)} to ${formatInstant(end)}`);
      return null;
    }
    const route = classify(call, rules);
    if (route.kind === 'reject') {
      reject(call, route.reason, route.detail);
      return null;
    }
    return route;
  });

  const pools = new PoolBook(licensedUsersCounter(input.calls, routes, scenario, rules), scenario.rating.poolRounding);
  const events: LedgerEvent[] = [];
  const ledger = new CreditLedger(
    {
      minorUnitMicros: scenario.minorUnitMicros,
      offsetMinutes: scenario.offsetMinutes,
      expiryMonths: scenario.credits.expiryMonths,
      minimumPurchaseMicros: scenario.credits.minimumPurchaseMicros,
      recharge: scenario.credits.autoRecharge,
    },
    seededRandom(scenario.seed),
    (event) => events.push(event),
    scenario.credits.topUps,
  );
  if (scenario.credits.initialMicros > 0) ledger.purchase(start, scenario.credits.initialMicros, 'initial');

  const outcomes: CallOutcome[] = [];
  const reconciliation = new Map<string, ReconciliationRow>();
  input.calls.forEach((call, callIndex) => {
    const route = routes[callIndex];
    if (route === null || route === undefined) return;
    const outcome = fundCall(call, callIndex, route, { scenario, rates, pools, ledger, events, reject });
    if (outcome === null) return;
    outcomes.push(outcome);
    if (scenario.rating.source === 'rates' && call.recordedMicros !== null) addReconciliation(reconciliation, call, outcome);
  });
  const totals = ledger.close(end);

  const result = assembleResult(input, { start, end, rejects, events, outcomes, pools, totals, reconciliation });
  checkAccounting(result);
  return result;
}

interface FundingContext {
  scenario: Scenario;
  rates: RateTable | null;
  pools: PoolBook;
  ledger: CreditLedger;
  events: LedgerEvent[];
  reject: (call: Call, reason: RejectReason, detail: string) => void;
}

function fundCall(call: Call, callIndex: number, route: AcceptedRoute, context: FundingContext): CallOutcome | null {
  const base: CallOutcome = {
    callIndex, funding: 'free', why: '', freeReason: null, poolLabel: null, poolSeconds: 0, creditSeconds: 0,
    rate: null, chargeMicros: 0, paidMicros: 0, billedSeconds: 0, lots: [], dropAt: null,
  };
  if (route.kind === 'free') return { ...base, freeReason: route.why, why: route.why };
  const { scenario, pools } = context;
  const address: PoolAddress | null =
    route.kind === 'pool'
      ? {
          allowance: route.allowance,
          side: route.side,
          country: route.side === 'conference' ? '*' : poolCountry(call.userCountry),
          month: monthKey(call.startAt, scenario.offsetMinutes),
          upn: call.upn,
        }
      : null;

  if (scenario.rating.source === 'recorded') return fundRecorded(call, base, route, address, context);
  if (call.durationSeconds === 0) return { ...base, freeReason: 'unanswered', why: 'unanswered (0 seconds)' };

  const poolSeconds = address === null ? 0 : pools.peek(address, call.durationSeconds);
  const creditSeconds = call.durationSeconds - poolSeconds;
  const licensed = mayUseCredits(scenario.credits.licensed, call.upn);
  let rate: RateRow | null = null;
  if (creditSeconds > 0 && licensed) {
    rate = context.rates?.lookup(route.service, call.numberDigits, call.startAt) ?? null;
    if (rate === null) {
      context.reject(call, 'no-rate', `no ${route.service} rate for number "${call.numberDigits}${call.numberMasked ? '*' : ''}" at ${formatInstant(call.startAt)}`);
      return null;
    }
  }
  const drawn = address === null ? null : pools.draw(address, call.startAt, call.durationSeconds);
  const withPool = { ...base, poolLabel: drawn?.poolLabel ?? null, poolSeconds, creditSeconds };
  if (creditSeconds === 0) return { ...withPool, funding: 'pool', why: 'covered by the pool' };
  if (!licensed) return dropUnlicensed(call, callIndex, withPool, context);

  const pricing: CallPricing = {
    kind: 'rate',
    priceMicrosPerMinute: (rate as RateRow).priceMicrosPerMinute,
    connectionMicros: (rate as RateRow).connectionMicros,
    firstIncrementSeconds: (rate as RateRow).firstIncrementSeconds,
    nextIncrementSeconds: (rate as RateRow).nextIncrementSeconds,
  };
  const why = route.kind === 'credits' ? route.why : `${route.side} pool used up`;
  return payFromCredits(call, { ...withPool, rate, why }, pricing, context);
}

function fundRecorded(
  call: Call,
  base: CallOutcome,
  route: Exclude<AcceptedRoute, { kind: 'free' }>,
  address: PoolAddress | null,
  context: FundingContext,
): CallOutcome {
  const amount = roundHalfUpToUnit(call.recordedMicros ?? 0, 1, context.scenario.minorUnitMicros);
  if (amount === 0) {
    if (address === null) return { ...base, why: 'no charge recorded' };
    const drawn = context.pools.draw(address, call.startAt, call.durationSeconds);
    return { ...base, funding: 'pool', why: 'no charge recorded; drawn from the pool', poolLabel: drawn.poolLabel, poolSeconds: drawn.poolSeconds };
  }
  const withCredits = { ...base, creditSeconds: call.durationSeconds, why: 'recorded charge' };
  if (!mayUseCredits(context.scenario.credits.licensed, call.upn)) return dropUnlicensed(call, base.callIndex, withCredits, context);
  return payFromCredits(call, withCredits, { kind: 'flat', amountMicros: amount }, context);
}

function payFromCredits(call: Call, outcome: CallOutcome, pricing: CallPricing, context: FundingContext): CallOutcome {
  const { ledger, scenario } = context;
  ledger.advanceTo(call.startAt);
  const chargeMicros = fullChargeMicros(pricing, outcome.creditSeconds, scenario.minorUnitMicros);
  const payment = ledger.pay({ callIndex: outcome.callIndex, startAt: call.startAt, poolSeconds: outcome.poolSeconds, creditSeconds: outcome.creditSeconds, pricing });
  switch (payment.status) {
    case 'paid':
      return { ...outcome, funding: 'credits', chargeMicros, paidMicros: payment.paidMicros, billedSeconds: payment.billedSeconds, lots: payment.lots };
    case 'cut':
      return { ...outcome, funding: 'cut', why: `${outcome.why}; credits ran out`, chargeMicros, paidMicros: payment.paidMicros, billedSeconds: payment.billedSeconds, lots: payment.lots, dropAt: payment.cutAt };
    case 'refused':
      return { ...outcome, funding: 'refused', why: `${outcome.why}; balance too low`, chargeMicros, dropAt: payment.at };
  }
}

/** A user without the Communications Credits licence: cut when the pool runs out, or refused. */
function dropUnlicensed(call: Call, callIndex: number, outcome: CallOutcome, context: FundingContext): CallOutcome {
  const why = 'no Communications Credits licence';
  if (outcome.poolSeconds > 0) {
    const cutAt = call.startAt + outcome.poolSeconds * 1000;
    context.events.push({ type: 'cut', at: cutAt, callIndex, balanceMicros: context.ledger.totals.balanceMicros, paidSeconds: 0, unpaidSeconds: outcome.creditSeconds, why: `pool used up; ${why}` });
    return { ...outcome, funding: 'cut', why: `pool used up; ${why}`, dropAt: cutAt };
  }
  context.events.push({ type: 'refused', at: call.startAt, callIndex, balanceMicros: context.ledger.totals.balanceMicros, why });
  return { ...outcome, funding: 'refused', why, dropAt: call.startAt };
}

function periodOf(calls: readonly Call[], scenario: Scenario): { start: EpochMs; end: EpochMs } {
  const first = calls[0];
  const last = calls[calls.length - 1];
  const start = scenario.start ?? (first === undefined ? null : startOfMonth(first.startAt, scenario.offsetMinutes));
  const end = scenario.end ?? (last === undefined ? null : addCalendarMonths(startOfMonth(last.startAt, scenario.offsetMinutes), 1, scenario.offsetMinutes));
  invariant(start !== null && end !== null, () => 'a replay with no calls needs start and end');
  return { start, end: Math.max(end, start + 1) };
}

/**
 * Licensed users per (capability, pool country, month): the scenario's count where it gives one,
 * else the distinct users seen with that capability there that month (DOMAIN.md §2).
 */
function licensedUsersCounter(calls: readonly Call[], routes: readonly (AcceptedRoute | null)[], scenario: Scenario, rules: Rules) {
  const seen = new Map<string, Set<string>>();
  calls.forEach((call, index) => {
    if (routes[index] === null || call.capability === '') return;
    const lookup = rules.allowances.lookup(call.capability, call.userCountry);
    const tenantWide = 'found' in lookup && lookup.found.kind === 'conferencing';
    const key = `${call.capability}|${tenantWide ? '*' : poolCountry(call.userCountry)}|${monthKey(call.startAt, scenario.offsetMinutes)}`;
    let users = seen.get(key);
    if (users === undefined) seen.set(key, (users = new Set()));
    users.add(call.upn);
  });
  const given = new Map<string, number>();
  for (const license of scenario.licenses) {
    given.set(`${license.capability}|${license.country === null ? '*' : poolCountry(license.country)}`, license.users);
  }
  return (capability: string, country: string, month: string): number =>
    given.get(`${capability}|${country}`) ?? given.get(`${capability}|*`) ?? seen.get(`${capability}|${country}|${month}`)?.size ?? 0;
}

function addReconciliation(rows: Map<string, ReconciliationRow>, call: Call, outcome: CallOutcome): void {
  const destination = outcome.rate?.destination ?? (outcome.creditSeconds > 0 ? '(unrated)' : '(no credit charge)');
  const row = rows.get(destination) ?? { destination, calls: 0, recordedMicros: 0, reratedMicros: 0 };
  row.calls++;
  row.recordedMicros += call.recordedMicros ?? 0;
  row.reratedMicros += outcome.chargeMicros;
  rows.set(destination, row);
}

interface Assembled {
  start: EpochMs;
  end: EpochMs;
  rejects: Reject[];
  events: LedgerEvent[];
  outcomes: CallOutcome[];
  pools: PoolBook;
  totals: ReturnType<CreditLedger['close']>;
  reconciliation: Map<string, ReconciliationRow>;
}

function assembleResult(input: ReplayInput, parts: Assembled): ReplayResult {
  const { scenario } = input;
  const count = (funding: CallOutcome['funding']) => parts.outcomes.filter((outcome) => outcome.funding === funding).length;
  const rejectCounts: Partial<Record<RejectReason, number>> = {};
  for (const rejected of parts.rejects) rejectCounts[rejected.reason] = (rejectCounts[rejected.reason] ?? 0) + 1;
  const dropTimes = parts.outcomes.flatMap((outcome) => (outcome.dropAt === null ? [] : [outcome.dropAt]));
  const disabled = parts.events.find((event) => event.type === 'auto-recharge-disabled');
  parts.rejects.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    currency: scenario.currency,
    minorDigits: scenario.minorDigits,
    source: scenario.rating.source,
    start: parts.start,
    end: parts.end,
    calls: {
      read: input.rowsRead,
      rejected: parts.rejects.length,
      free: count('free'),
      pool: count('pool'),
      credits: count('credits'),
      refused: count('refused'),
      cut: count('cut'),
    },
    credits: {
      fundedMicros: parts.totals.fundedMicros,
      spentMicros: parts.totals.spentMicros,
      forfeitedMicros: parts.totals.forfeitedMicros,
      closingMicros: parts.totals.balanceMicros,
      recharges: parts.events.filter((event) => event.type === 'purchase' && event.source === 'recharge').length,
      rechargeFailures: parts.events.filter((event) => event.type === 'recharge-failed').length,
      topUps: parts.events.filter((event) => event.type === 'purchase' && event.source === 'topup').length,
      autoRechargeDisabledAt: disabled?.at ?? null,
    },
    drops: dropTimes.length,
    firstDrop: dropTimes.length === 0 ? null : Math.min(...dropTimes),
    months: summarizeMonths(parts.events, parts.outcomes, parts.start, parts.end, scenario.offsetMinutes),
    pools: parts.pools.report(),
    rejects: parts.rejects,
    rejectCounts,
    events: parts.events,
    outcomes: parts.outcomes,
    reconciliation: [...parts.reconciliation.values()].sort((a, b) => a.destination.localeCompare(b.destination)),
  };
}

/** The second conservation check, from the outputs alone: every row and every micro accounted for. */
function checkAccounting(result: ReplayResult): void {
  const { calls, credits } = result;
  const used = calls.rejected + calls.free + calls.pool + calls.credits + calls.refused + calls.cut;
  invariant(used === calls.read, () => `rows read ${calls.read} but ${used} accounted for`);
  let funded = 0, spent = 0, forfeited = 0;
  for (const event of result.events) {
    if (event.type === 'purchase') funded += event.amountMicros;
    else if (event.type === 'spend') spent += event.amountMicros;
    else if (event.type === 'forfeit') forfeited += event.amountMicros;
  }
  invariant(funded === credits.fundedMicros && spent === credits.spentMicros && forfeited === credits.forfeitedMicros, () => 'event log disagrees with the ledger totals');
  invariant(funded === spent + forfeited + credits.closingMicros, () => `event log: funded ${funded} != spent ${spent} + forfeited ${forfeited} + closing ${credits.closingMicros}`);
  const last = result.months[result.months.length - 1];
  invariant(last === undefined || last.closingMicros === credits.closingMicros, () => 'monthly closing disagrees with the ledger');
}
