import type { Reject, RejectReason } from '../model/cdr.js';
import { packCountry, type CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import type { LedgerEvent, LotShare } from '../model/events.js';
import type { CreditDemand } from '../credits/demand.js';
import { fullChargeMicros, type CallPricing } from '../rules/pricing.js';
import { CreditLedger, type CreditClaim } from '../credits/ledger.js';
import { invariant } from '../kernel/errors.js';
import { MonthFinder } from '../kernel/calendar.js';
import { formatMicros, formatMicrosPlain, roundHalfUpToUnit } from '../kernel/money.js';
import type { Allowance } from '../model/allowances.js';
import { PoolBook, type PoolAddress } from '../pools/pool-book.js';
import { RATE_SERVICES, type RateRow } from '../model/rate-row.js';
import { type RateTable } from '../rules/rate-table.js';
import { seededRandom } from '../kernel/random.js';
import { checkTopUps, mayUseCredits, type Scenario } from '../model/scenario.js';
import { addCalendarMonths, formatInstant, startOfMonth, type EpochMs } from '../kernel/time.js';
import { freeReasonOf, isFreeRoute, isPoolRoute, ROUTE } from '../model/route.js';
import { creditsWhy, type Rules } from '../rules/classify.js';
import { MonthLedger } from './months.js';
import type { ExplainRow, Funding, ReconciliationRow, ReplayResult } from './result.js';

export interface ReplayInput {
  table: CallTable;
  ingestRejects: readonly Reject[];
  rowsRead: number;
  scenario: Scenario;
  rules: Rules;
  rates: RateTable | null;
  /** Keep every ledger event in the result (for --events). */
  keepEvents?: boolean;
  /** Called once per accepted call, in replay order, when an explain file is wanted. */
  explain?: (row: ExplainRow) => void;
  /**
   * Collect the credit-funded demand here instead of posting it: the policy-independent half of a
   * replay, for sweeps and recommendations. The result's ledger figures are then meaningless.
   */
  demand?: CreditDemand;
}

const PR = packCountry('PR');
const US = packCountry('US');

/**
 * The whole replay, pure but for reading back rejected rows: for each call in (start, file, line)
 * order, free calls are counted, pool calls draw their month's pool, and what is left is posted to
 * the credit ledger. Totals, months, drops and the reconciliation are gathered as it goes; nothing
 * per call is kept, so a replay of tens of millions of calls needs no memory per call beyond its columns.
 */
export function replay(input: ReplayInput): ReplayResult {
  const run = startReplay(input, periodOf(input.table, input.scenario));
  for (let partIndex = 0; partIndex < input.table.parts.length; partIndex++) run.countLicences(partIndex);
  input.table.forEachInOrder(run.visit);
  return run.finish(input.ingestRejects, input.rowsRead);
}

/** A replay under way: calls are visited in replay order, then `finish` closes the ledger. */
export interface ReplayRun {
  /** Counts a part's users towards the licence counts that size pools; before any call of it is visited. */
  countLicences(partIndex: number): void;
  visit(part: CallColumns, index: number, partIndex: number): void;
  finish(ingestRejects: readonly Reject[], rowsRead: number): ReplayResult;
}

/**
 * The replay's state for the period [start, end). Calls must be visited in (start, file, line)
 * order, and a call's month only once every part holding calls of that month has had its
 * licences counted: the pools of a month are sized when first drawn. A replay fed while the
 * ingest still reads (run-replay.ts) relies on exactly that.
 */
export function startReplay(input: Omit<ReplayInput, 'ingestRejects' | 'rowsRead'>, period: { start: EpochMs; end: EpochMs }): ReplayRun {
  const { scenario, rules, rates, table } = input;
  const { start, end } = period;
  checkTopUps(scenario.file, scenario.credits.topUps, start, end);
  const rejects: Reject[] = [];
  // Rows found to have no rate are marked rejected in the table when the replay finishes.
  const noRate: { partIndex: number; index: number }[] = [];
  const months = new MonthLedger(start, end, scenario.offsetMinutes);
  const events: LedgerEvent[] = [];
  const notableEvents: LedgerEvent[] = [];
  const eventCalls = new Map<number, string>();
  const counts = { free: 0, pool: 0, credits: 0, refused: 0, cut: 0 };
  let firstDrop: EpochMs | null = null;
  const sums = { funded: 0, spent: 0, forfeited: 0, recharges: 0, rechargeFailures: 0, topUps: 0, disabledAt: null as EpochMs | null };
  const onEvent = (event: LedgerEvent): void => {
    months.add(event);
    if (event.type === 'purchase') {
      sums.funded += event.amountMicros;
      if (event.source === 'recharge') sums.recharges++;
      if (event.source === 'topup') sums.topUps++;
    } else if (event.type === 'spend') sums.spent += event.amountMicros;
    else if (event.type === 'forfeit') sums.forfeited += event.amountMicros;
    else if (event.type === 'recharge-failed') sums.rechargeFailures++;
    else if (event.type === 'auto-recharge-disabled') sums.disabledAt ??= event.at;
    if (input.keepEvents) events.push(event);
    if ((event.type === 'forfeit' || event.type === 'recharge-failed' || event.type === 'auto-recharge-disabled') && notableEvents.length < 1000) notableEvents.push(event);
  };

  const licences = new LicensedUsers(table, scenario, rules);
  const pools = new PoolBook(licences.counter(), scenario.rating.poolRounding);
  const ledger = new CreditLedger(
    {
      minorUnitMicros: scenario.minorUnitMicros,
      offsetMinutes: scenario.offsetMinutes,
      expiryMonths: scenario.credits.expiryMonths,
      minimumPurchaseMicros: scenario.credits.minimumPurchaseMicros,
      recharge: scenario.credits.autoRecharge,
    },
    seededRandom(scenario.seed),
    onEvent,
    scenario.credits.topUps,
  );
  if (scenario.credits.initialMicros > 0) ledger.purchase(start, scenario.credits.initialMicros, 'initial');

  // Whether each user may spend credits, by user id, found as users appear (the table may grow).
  const licensed: boolean[] = [];
  const mayPay = (user: number): boolean => {
    while (licensed.length <= user) licensed.push(mayUseCredits(scenario.credits.licensed, table.users[licensed.length] ?? ''));
    return licensed[user] as boolean;
  };
  const reconciliation: Reconciliation = { byDestination: new Map(), byRate: new Map(), unrated: undefined, noCreditCharge: undefined };
  const address: PoolAddress = { allowance: rules.allowances.rows[0] as Allowance, side: 0, country: 0, monthIndex: 0, user: 0 };
  let callIndex = 0;
  const monthOfCall = new MonthFinder(scenario.offsetMinutes);
  // One outcome, one ledger request and one pricing per rate row for all calls: nothing below
  // keeps them past the call, and tens of millions of short-lived objects kept the collector busy.
  const outcome = blankOutcome();
  const request: CreditClaim = { callIndex: 0, startAt: 0, poolSeconds: 0, creditSeconds: 0, pricing: { kind: 'flat', amountMicros: 0 } };
  const pricingByRate: (CallPricing | undefined)[] = [];

  const visit = (part: CallColumns, i: number, partIndex: number): void => {
    const index = callIndex++;
    const route = part.route[i] as number;
    const startAt = part.startAt[i] as number;
    const durationSeconds = part.durationSeconds[i] as number;
    const user = part.user[i] as number;
    const allowanceIndex = part.allowance[i] as number;
    // Never index an array with -1: V8 takes that as a named property and leaves its fast path.
    const allowance = allowanceIndex < 0 ? undefined : rules.allowances.rows[allowanceIndex];
    const recorded = part.recordedMicros[i] as number;
    resetOutcome(outcome);

    if (isPoolRoute(route) && allowance !== undefined) {
      address.allowance = allowance;
      address.side = route - ROUTE.poolDomestic;
      address.country = route === ROUTE.poolConference ? 0 : poolCountry(part.country[i] as number);
      address.monthIndex = monthOfCall.indexOf(startAt);
      address.user = user;
    }
    const hasPool = isPoolRoute(route) && allowance !== undefined;

    if (isFreeRoute(route)) {
      outcome.why = freeReasonOf(route);
    } else if (scenario.rating.source === 'recorded') {
      const amount = roundHalfUpToUnit(Math.max(recorded, 0), 1, scenario.minorUnitMicros);
      if (amount === 0) {
        outcome.why = 'no charge recorded';
        if (hasPool) {
          outcome.funding = 'pool';
          outcome.why = 'no charge recorded; drawn from the pool';
          outcome.poolSeconds = pools.draw(address, startAt, durationSeconds);
          if (input.explain !== undefined) outcome.poolLabel = pools.label(address, table.users[user] ?? '');
        }
      } else {
        outcome.creditSeconds = durationSeconds;
        outcome.why = 'recorded charge';
        if (!mayPay(user)) dropUnlicensed(startAt, index, part, i);
        else pay({ kind: 'flat', amountMicros: amount }, null, startAt, index, part, i);
      }
    } else if (durationSeconds === 0) {
      outcome.why = 'unanswered (0 seconds)';
    } else {
      const poolSeconds = hasPool ? pools.peek(address, durationSeconds) : 0;
      outcome.poolSeconds = poolSeconds;
      outcome.creditSeconds = durationSeconds - poolSeconds;
      const rateIndex = part.rate[i] as number;
      const rate = rates === null || rateIndex < 0 ? null : (rates.rows[rateIndex] as RateRow);
      if (outcome.creditSeconds > 0 && mayPay(user) && rate === null) {
        const source = table.source(part);
        const number = source.describe(part, i).number;
        rejects.push({ file: source.file, line: part.line[i] as number, reason: 'no-rate', detail: `no ${RATE_SERVICES[part.service[i] as number]} rate for number "${number}" at ${formatInstant(startAt)}`, raw: source.raw(part, i) });
        noRate.push({ partIndex, index: i });
        return;
      }
      if (hasPool) {
        pools.draw(address, startAt, durationSeconds);
        if (input.explain !== undefined) outcome.poolLabel = pools.label(address, table.users[user] ?? '');
      }
      if (outcome.creditSeconds === 0) {
        outcome.funding = 'pool';
        outcome.why = 'covered by the pool';
      } else {
        // Words for the explain file only: built for every credit call, they were a collection a second.
        if (input.explain !== undefined) outcome.why = creditsWhy(route, allowance);
        if (!mayPay(user)) dropUnlicensed(startAt, index, part, i);
        else {
          const r = rate as RateRow;
          let pricing = pricingByRate[rateIndex];
          if (pricing === undefined) {
            pricingByRate[rateIndex] = pricing = { kind: 'rate', priceMicrosPerMinute: r.priceMicrosPerMinute, connectionMicros: r.connectionMicros, firstIncrementSeconds: r.firstIncrementSeconds, nextIncrementSeconds: r.nextIncrementSeconds };
          }
          pay(pricing, r, startAt, index, part, i);
        }
      }
    }

    // A switch, not counts[outcome.funding]++: a store keyed by one of five strings ran on V8's slow path.
    switch (outcome.funding) {
      case 'free':
        counts.free++;
        break;
      case 'pool':
        counts.pool++;
        break;
      case 'credits':
        counts.credits++;
        break;
      case 'refused':
        counts.refused++;
        break;
      case 'cut':
        counts.cut++;
        break;
    }
    if (outcome.dropAt !== null) {
      months.addDrop(outcome.dropAt);
      if (firstDrop === null || outcome.dropAt < firstDrop) firstDrop = outcome.dropAt;
    }
    if (scenario.rating.source === 'rates' && recorded >= 0 && input.demand === undefined) addReconciliation(reconciliation, recorded, outcome);
    if (input.explain !== undefined) input.explain(explainRow(table, part, i, outcome, scenario.minorDigits));
  };

  /** Posts the call in `outcome` to the ledger (or, for a forecast, to the credit demand). */
  function pay(pricing: CallPricing, rate: RateRow | null, startAt: EpochMs, index: number, part: CallColumns, i: number): void {
    if (input.demand !== undefined) {
      input.demand.add(startAt, outcome.poolSeconds, outcome.creditSeconds, pricing);
      outcome.rate = rate;
      outcome.chargeMicros = fullChargeMicros(pricing, outcome.creditSeconds, scenario.minorUnitMicros);
      outcome.funding = 'credits';
      return;
    }
    ledger.advanceTo(startAt);
    if (input.keepEvents) eventCalls.set(index, `${table.source(part).file}:${part.line[i]}`);
    outcome.rate = rate;
    outcome.chargeMicros = fullChargeMicros(pricing, outcome.creditSeconds, scenario.minorUnitMicros);
    request.callIndex = index;
    request.startAt = startAt;
    request.poolSeconds = outcome.poolSeconds;
    request.creditSeconds = outcome.creditSeconds;
    request.pricing = pricing;
    const payment = ledger.pay(request);
    if (payment.status === 'refused') {
      outcome.funding = 'refused';
      outcome.why = `${outcome.why}; balance too low`;
      outcome.dropAt = payment.at;
      return;
    }
    outcome.paidMicros = payment.paidMicros;
    outcome.billedSeconds = payment.billedSeconds;
    outcome.lots = payment.lots;
    outcome.funding = payment.status === 'paid' ? 'credits' : 'cut';
    if (payment.status === 'cut') {
      outcome.why = `${outcome.why}; credits ran out`;
      outcome.dropAt = payment.cutAt;
    }
  }

  /** A user without the Communications Credits licence: cut when the pool runs out, or refused. */
  function dropUnlicensed(at: EpochMs, index: number, part: CallColumns, i: number): void {
    const target = outcome;
    const why = 'no Communications Credits licence';
    const balanceMicros = ledger.totals.balanceMicros;
    if (input.keepEvents) eventCalls.set(index, `${table.source(part).file}:${part.line[i]}`);
    input.demand?.fixedDrops.push(target.poolSeconds > 0 ? at + target.poolSeconds * 1000 : at);
    if (target.poolSeconds > 0) {
      target.funding = 'cut';
      target.why = `pool used up; ${why}`;
      target.dropAt = at + target.poolSeconds * 1000;
      onEvent({ type: 'cut', at: target.dropAt, callIndex: index, balanceMicros, paidSeconds: 0, unpaidSeconds: target.creditSeconds, why: target.why });
    } else {
      target.funding = 'refused';
      target.why = why;
      target.dropAt = at;
      onEvent({ type: 'refused', at, callIndex: index, balanceMicros, why });
    }
  }

  const finish = (ingestRejects: readonly Reject[], rowsRead: number): ReplayResult => {
    const totals = ledger.close(end);
    for (const { partIndex, index } of noRate) (table.rejected[partIndex] as Uint8Array)[index] = 1;
    // Not push(...list): a spread of a million rejects overflows the stack.
    for (const rejected of ingestRejects) rejects.push(rejected);
    const rejectCounts: Partial<Record<RejectReason, number>> = {};
    for (const rejected of rejects) rejectCounts[rejected.reason] = (rejectCounts[rejected.reason] ?? 0) + 1;
    rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    const result: ReplayResult = {
      currency: scenario.currency,
      minorDigits: scenario.minorDigits,
      source: scenario.rating.source,
      start,
      end,
      calls: { read: rowsRead, rejected: rejects.length, ...counts },
      credits: {
        fundedMicros: totals.fundedMicros,
        spentMicros: totals.spentMicros,
        forfeitedMicros: totals.forfeitedMicros,
        closingMicros: totals.balanceMicros,
        recharges: sums.recharges,
        rechargeFailures: sums.rechargeFailures,
        topUps: sums.topUps,
        autoRechargeDisabledAt: sums.disabledAt,
      },
      drops: counts.refused + counts.cut,
      firstDrop,
      months: months.summary(),
      pools: pools.report(),
      rejects,
      rejectCounts,
      events,
      notableEvents,
      eventCalls,
      reconciliation: [...reconciliation.byDestination.values()].sort((a, b) => (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0)),
    };
    checkAccounting(result, sums);
    return result;
  };
  return { countLicences: (partIndex) => licences.addPart(partIndex), visit, finish };
}

interface Outcome {
  funding: Funding;
  why: string;
  poolLabel: string;
  poolSeconds: number;
  creditSeconds: number;
  rate: RateRow | null;
  chargeMicros: number;
  paidMicros: number;
  billedSeconds: number;
  lots: LotShare[];
  dropAt: EpochMs | null;
}

/** Shared by every outcome that spends no credits (most calls): only ever replaced, never added to. */
const NO_LOTS: LotShare[] = [];

function blankOutcome(): Outcome {
  return { funding: 'free', why: '', poolLabel: '', poolSeconds: 0, creditSeconds: 0, rate: null, chargeMicros: 0, paidMicros: 0, billedSeconds: 0, lots: NO_LOTS, dropAt: null };
}

function resetOutcome(outcome: Outcome): void {
  outcome.funding = 'free';
  outcome.why = '';
  outcome.poolLabel = '';
  outcome.poolSeconds = 0;
  outcome.creditSeconds = 0;
  outcome.rate = null;
  outcome.chargeMicros = 0;
  outcome.paidMicros = 0;
  outcome.billedSeconds = 0;
  outcome.lots = NO_LOTS;
  outcome.dropAt = null;
}

/** US and PR share one pool (DOMAIN.md §2). */
function poolCountry(country: number): number {
  return country === PR ? US : country;
}

/** The replay period [start, end): the scenario's, or the calendar months the accepted calls span. */
export function periodOf(table: CallTable, scenario: Scenario): { start: EpochMs; end: EpochMs } {
  let first = Infinity;
  let last = -Infinity;
  if (scenario.start === null || scenario.end === null) {
    table.parts.forEach((part, partIndex) => {
      const rejected = table.rejected[partIndex] as Uint8Array;
      for (let i = 0; i < part.count; i++) {
        if (rejected[i] === 1) continue;
        const at = part.startAt[i] as number;
        if (at < first) first = at;
        if (at > last) last = at;
      }
    });
  }
  const start = scenario.start ?? (first === Infinity ? null : startOfMonth(first, scenario.offsetMinutes));
  const end = scenario.end ?? (last === -Infinity ? null : addCalendarMonths(startOfMonth(last, scenario.offsetMinutes), 1, scenario.offsetMinutes));
  invariant(start !== null && end !== null, () => 'a replay with no calls needs start and end');
  return { start, end: Math.max(end, start + 1) };
}

/**
 * Licensed users per (plan, pool country, month): the scenario's count where it gives one, else the
 * distinct users seen with that capability there that month, in any direction (DOMAIN.md §2).
 * Counted part by part, since a replay may start before the last part is read.
 */
class LicensedUsers {
  private readonly months: MonthFinder;
  // Per capability, per usage country (16 bits): the pool kind's id plus one, 0 until first seen.
  private readonly kindIdsByCapability: Int32Array[] = [];
  private readonly kindKeys: number[] = [];
  // Distinct users per (month, pool kind): a bitmap over user ids, since every call passes here.
  // Calls come in time order, so the month's list of kinds is looked up only when the month changes.
  private readonly seen = new Map<number, (UserSet | undefined)[]>();

  constructor(
    private readonly table: CallTable,
    private readonly scenario: Scenario,
    private readonly rules: Rules,
  ) {
    this.months = new MonthFinder(scenario.offsetMinutes);
  }

  addPart(partIndex: number): void {
    const { table, months } = this;
    const part = table.parts[partIndex] as CallColumns;
    const rejected = table.rejected[partIndex] as Uint8Array;
    let lastMonth = NaN;
    let kinds: (UserSet | undefined)[] = [];
    for (let i = 0; i < part.count; i++) {
      const capability = part.capability[i] as number;
      if (capability < 0 || rejected[i] === 1) continue;
      const kindId = this.kindIdOf(capability, part.country[i] as number);
      const month = months.indexOf(part.startAt[i] as number);
      if (month !== lastMonth) {
        kinds = this.kindsOf(month);
        lastMonth = month;
      }
      let users = kinds[kindId];
      if (users === undefined) kinds[kindId] = users = { users: new Uint8Array(Math.max(64, table.users.length)), count: 0 };
      const user = part.user[i] as number;
      if (user >= users.users.length) {
        const larger = new Uint8Array(Math.max(table.users.length, 2 * users.users.length));
        larger.set(users.users);
        users.users = larger;
      }
      if (users.users[user] === 0) {
        users.users[user] = 1;
        users.count++;
      }
    }
  }

  private kindsOf(month: number): (UserSet | undefined)[] {
    let kinds = this.seen.get(month);
    if (kinds === undefined) this.seen.set(month, (kinds = []));
    return kinds;
  }

  private kindIdOf(capability: number, country: number): number {
    const kindIds = (this.kindIdsByCapability[capability] ??= new Int32Array(65_536));
    let kindId = (kindIds[country] as number) - 1;
    if (kindId < 0) {
      const lookup = this.rules.allowances.lookup(this.table.capabilities[capability] as string, countryText(country));
      const wide = 'found' in lookup && lookup.found.kind === 'conferencing';
      // Conferencing pools are tenant-wide: every country of a capability shares one kind.
      const poolKey = capability * 65_536 + (wide ? 0 : poolCountry(country));
      kindId = this.kindKeys.indexOf(poolKey);
      if (kindId < 0) kindId = this.kindKeys.push(poolKey) - 1;
      kindIds[country] = kindId + 1;
    }
    return kindId;
  }

  /** Users licensed for a plan in a pool country and month, after the scenario's headcount changes. */
  counter(): (allowance: Allowance, country: number, monthIndex: number) => number {
    const { scenario, table } = this;
    const given = new Map<string, number>();
    for (const license of scenario.licenses) given.set(`${license.capability}|${license.country === null ? 0 : poolCountry(packCountry(license.country))}`, license.users);
    const counted = (allowance: Allowance, country: number, monthIndex: number): number => {
      const count = given.get(`${allowance.capability}|${country}`) ?? given.get(`${allowance.capability}|0`);
      if (count !== undefined) return count;
      // Capabilities are few: a look along the table's list, once per pool and month.
      const capability = table.capabilities.indexOf(allowance.capability);
      if (capability < 0) return 0;
      const kindId = this.kindKeys.indexOf(capability * 65_536 + country);
      if (kindId < 0) return 0;
      return this.seen.get(monthIndex)?.[kindId]?.count ?? 0;
    };
    return (allowance: Allowance, country: number, monthIndex: number): number => {
      const change = scenario.headcount.find((entry) => entry.capability === allowance.capability && (entry.country === null || poolCountry(packCountry(entry.country)) === country));
      const users = counted(allowance, country, monthIndex);
      return change === undefined ? users : Math.floor(users * change.factor + 0.5);
    };
  }
}

/** Users seen in one pool kind and month: a bitmap by user id and how many are set. */
interface UserSet {
  users: Uint8Array;
  count: number;
}

function countryText(packed: number): string {
  return packed === 0 ? '' : String.fromCharCode(packed >> 8, packed & 0xff);
}

/**
 * Rows by destination name, with shortcuts by rate row (many rows of a table share a destination)
 * and for the two rows of calls without a rate (most calls: free and pool calls).
 */
interface Reconciliation {
  byDestination: Map<string, ReconciliationRow>;
  byRate: Map<RateRow, ReconciliationRow>;
  unrated: ReconciliationRow | undefined;
  noCreditCharge: ReconciliationRow | undefined;
}

function addReconciliation(rows: Reconciliation, recordedMicros: number, outcome: Outcome): void {
  let row = outcome.rate === null ? (outcome.creditSeconds > 0 ? rows.unrated : rows.noCreditCharge) : rows.byRate.get(outcome.rate);
  if (row === undefined) {
    const destination = outcome.rate?.destination ?? (outcome.creditSeconds > 0 ? '(unrated)' : '(no credit charge)');
    row = rows.byDestination.get(destination);
    if (row === undefined) rows.byDestination.set(destination, (row = { destination, calls: 0, recordedMicros: 0, reratedMicros: 0 }));
    if (outcome.rate !== null) rows.byRate.set(outcome.rate, row);
    else if (outcome.creditSeconds > 0) rows.unrated = row;
    else rows.noCreditCharge = row;
  }
  row.calls++;
  row.recordedMicros += recordedMicros;
  row.reratedMicros += outcome.chargeMicros;
}

function explainRow(table: CallTable, part: CallColumns, i: number, outcome: Outcome, minorDigits: number): ExplainRow {
  const source = table.source(part);
  const described = source.describe(part, i);
  const money = (micros: number) => formatMicros(micros, minorDigits);
  const rate = outcome.rate;
  return {
    file: source.file,
    line: part.line[i] as number,
    usage_id: described.usageId,
    start: formatInstant(part.startAt[i] as number),
    call_type: described.callType,
    user: table.users[part.user[i] as number] ?? '',
    number: described.number,
    duration_s: part.durationSeconds[i] as number,
    funding: outcome.funding,
    why: outcome.why,
    pool: outcome.poolLabel,
    pool_s: outcome.poolSeconds,
    credit_s: outcome.creditSeconds,
    rate_row: rate?.source ?? '',
    destination: rate?.destination ?? '',
    per_minute: rate === null ? '' : formatMicrosPlain(rate.priceMicrosPerMinute),
    connection_fee: rate === null ? '' : formatMicrosPlain(rate.connectionMicros),
    increments: rate === null ? '' : `${rate.firstIncrementSeconds}/${rate.nextIncrementSeconds}`,
    billed_s: outcome.billedSeconds,
    charge: outcome.creditSeconds > 0 || outcome.chargeMicros > 0 ? money(outcome.chargeMicros) : '',
    paid: outcome.paidMicros > 0 ? money(outcome.paidMicros) : '',
    lots: outcome.lots.map((share) => `lot ${share.lotId}: ${money(share.amountMicros)}`).join('; '),
    dropped_at: outcome.dropAt === null ? '' : formatInstant(outcome.dropAt),
  };
}

/** The second conservation check, from the event stream alone: every row and every micro accounted for. */
function checkAccounting(result: ReplayResult, sums: { funded: number; spent: number; forfeited: number }): void {
  const { calls, credits } = result;
  const used = calls.rejected + calls.free + calls.pool + calls.credits + calls.refused + calls.cut;
  invariant(used === calls.read, () => `rows read ${calls.read} but ${used} accounted for`);
  invariant(sums.funded === credits.fundedMicros && sums.spent === credits.spentMicros && sums.forfeited === credits.forfeitedMicros, () => 'event stream disagrees with the ledger totals');
  invariant(sums.funded === sums.spent + sums.forfeited + credits.closingMicros, () => `events: funded ${sums.funded} != spent ${sums.spent} + forfeited ${sums.forfeited} + closing ${credits.closingMicros}`);
  const last = result.months[result.months.length - 1];
  invariant(last === undefined || last.closingMicros === credits.closingMicros, () => 'monthly closing disagrees with the ledger');
}
