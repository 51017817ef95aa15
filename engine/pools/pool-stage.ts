import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { MonthFinder } from '../kernel/calendar.js';
import { roundHalfUpToUnit } from '../kernel/money.js';
import type { Allowance } from '../model/allowances.js';
import type { RateRow } from '../model/rate-row.js';
import { isFreeRoute, isPoolRoute, ROUTE } from '../model/route.js';
import { userMayUseCredits, type Scenario } from '../model/scenario.js';
import type { Rules } from '../rules/classify.js';
import type { CallPricing, CreditPricer } from '../rules/pricing.js';
import type { RateTable } from '../rules/rate-table.js';
import { LicensedUsers, poolCountry } from './licensed-users.js';
import { PoolBook, poolLabel, type PoolAddress, type PoolReport } from './pool-book.js';
import type { PoolEvent } from '../model/events.js';

/**
 * How the pool stage settled a call before any money moved:
 * - `free`: nothing to pay (inbound, carrier, emergency, a free capability, unanswered, or a
 *   recorded charge of zero);
 * - `pool`: wholly covered by a minute pool;
 * - `credits`: a credit-funded part for the credit sink, the caller holding the licence;
 * - `unlicensed`: a credit-funded part nobody may pay, dropped whatever the balance;
 * - `no-rate`: a credit-funded part without a rate: the row is rejected, no pool is drawn.
 */
export type SplitKind = 'free' | 'pool' | 'credits' | 'unlicensed' | 'no-rate';

/**
 * Why the call was settled so: the explain file words each with the route and allowance.
 * `recorded-charge-below-unit`: a recorded charge above zero that rounds to 0.00 (RULES.md).
 */
export type SplitBasis = 'route' | 'unanswered' | 'no-charge-recorded' | 'recorded-charge' | 'recorded-charge-below-unit';

/** One call's pool part and credit-funded part; one object, reused for every call. */
export interface CallSplit {
  kind: SplitKind;
  basis: SplitBasis;
  route: number;
  allowance: Allowance | undefined;
  poolSeconds: number;
  creditSeconds: number;
  /** The pool drawn, or null; the stage reuses the address for the next call. */
  pool: PoolAddress | null;
  /** What the credit-funded part costs, for `credits` (and `unlicensed` with a recorded charge). */
  pricing: CallPricing | null;
  rate: RateRow | null;
}

export function blankSplit(): CallSplit {
  return { kind: 'free', basis: 'route', route: 0, allowance: undefined, poolSeconds: 0, creditSeconds: 0, pool: null, pricing: null, rate: null };
}

/**
 * The policy-independent stage of a replay (ARCHITECTURE.md: pools come before credits): licences
 * counted per month, each call's pool drawn, and what is left handed on as a credit-funded part.
 * Calls must come in (start, file, line) order, a month's calls only once every part holding calls
 * of it has had its licences counted (the pools of a month are sized when first drawn).
 */
export class PoolStage {
  private readonly licences: LicensedUsers;
  private readonly book: PoolBook;
  private readonly monthOfCall: MonthFinder;
  private readonly address: PoolAddress;
  /** Whether each user may spend credits, by user id, found as users appear (the table may grow). */
  private readonly licensed: boolean[] = [];
  /** One pricing per rate row for all its calls: tens of millions of short-lived objects kept the collector busy. */
  private readonly pricingByRate: (CallPricing | undefined)[] = [];
  /** Prices credit-funded parts in place of the rate rows' prices (a CGRateS tariff plan), or null. */
  private readonly pricer: CreditPricer | null;

  constructor(
    private readonly table: CallTable,
    private readonly scenario: Scenario,
    private readonly rules: Rules,
    private readonly rates: RateTable | null,
    /** Told of pool-80 and pool-100 as calls reach them (a replay's events; a forecast passes none). */
    onPoolEvent: ((event: PoolEvent) => void) | null = null,
  ) {
    this.licences = new LicensedUsers(table, scenario, rules);
    const onNotice = onPoolEvent === null ? null : (type: PoolEvent['type'], at: number, address: PoolAddress) => onPoolEvent({ type, at, pool: poolLabel(address, table.users[address.user] ?? '') });
    this.book = new PoolBook(this.licences.counter(), scenario.rating.poolRounding, onNotice);
    this.monthOfCall = new MonthFinder(scenario.offsetMinutes);
    this.pricer = rates?.creditPricer ?? null;
    this.address = { allowance: rules.allowances.rows[0] as Allowance, side: 0, country: 0, monthIndex: 0, user: 0 };
  }

  /** Counts a part's users towards the licence counts that size pools; before any call of it is split. */
  countLicences(partIndex: number): void {
    this.licences.addPart(partIndex);
  }

  /**
   * What the answer should be read with: the pools sized from the users seen in the CDRs, as no
   * licences entry names them (DOMAIN §2: a guess that undercounts licences nobody used).
   */
  warnings(): string[] {
    const guessed = [...this.licences.guessed].sort();
    if (guessed.length === 0) return [];
    return [`pools sized from the users seen in the CDRs, as no licences entry names them (the vendor sizes a pool by the licences bought, so these may be too small): ${guessed.join(', ')}`];
  }

  /** Pools as drawn so far, per (capability, country, month, side). */
  report(): PoolReport[] {
    return this.book.report();
  }

  /** Settles row `i` of `part` into `out`, drawing its pool unless the row is rejected for want of a rate. */
  split(part: CallColumns, i: number, out: CallSplit): void {
    const route = part.route[i] as number;
    const allowanceIndex = part.allowance[i] as number;
    out.route = route;
    // Never index an array with -1: V8 takes that as a named property and leaves its fast path.
    out.allowance = allowanceIndex < 0 ? undefined : this.rules.allowances.rows[allowanceIndex];
    out.poolSeconds = 0;
    out.creditSeconds = 0;
    out.pool = isPoolRoute(route) && out.allowance !== undefined ? this.addressOf(part, i, out.allowance) : null;
    out.pricing = null;
    out.rate = null;
    if (isFreeRoute(route)) settle(out, 'free', 'route');
    else if (this.scenario.rating.source === 'recorded') this.splitRecorded(part, i, out);
    else if ((part.durationSeconds[i] as number) === 0) settle(out, 'free', 'unanswered');
    else this.splitRated(part, i, out);
  }

  /**
   * The export's own charge: a call with none (empty or zero) is free, or drawn from its pool; any
   * charge above zero was paid from credits, whole, at its amount rounded to the minor unit, even
   * when that is 0.00 (0.0049 USD): the vendor did charge it (RULES.md §6).
   */
  private splitRecorded(part: CallColumns, i: number, out: CallSplit): void {
    const durationSeconds = part.durationSeconds[i] as number;
    const recordedMicros = part.recordedMicros[i] as number;
    if (!(recordedMicros > 0)) {
      if (out.pool === null) return settle(out, 'free', 'no-charge-recorded');
      out.poolSeconds = this.book.draw(out.pool, part.startAt[i] as number, durationSeconds);
      return settle(out, 'pool', 'no-charge-recorded');
    }
    const amountMicros = roundHalfUpToUnit(recordedMicros, 1, this.scenario.minorUnitMicros);
    out.pool = null;
    out.creditSeconds = durationSeconds;
    out.pricing = { kind: 'flat', amountMicros };
    settle(out, this.mayPay(part.user[i] as number) ? 'credits' : 'unlicensed', amountMicros === 0 ? 'recorded-charge-below-unit' : 'recorded-charge');
  }

  /** Re-rated: the pool covers what it can, the rest is priced by the call's rate row. */
  private splitRated(part: CallColumns, i: number, out: CallSplit): void {
    const durationSeconds = part.durationSeconds[i] as number;
    const pool = out.pool;
    out.poolSeconds = pool === null ? 0 : this.book.peek(pool, part.startAt[i] as number, durationSeconds);
    out.creditSeconds = durationSeconds - out.poolSeconds;
    const rateIndex = part.rate[i] as number;
    const rate = this.rates === null || rateIndex < 0 ? null : (this.rates.rows[rateIndex] as RateRow);
    const mayPay = out.creditSeconds > 0 && this.mayPay(part.user[i] as number);
    if (mayPay && this.pricer !== null) return this.splitPriced(part, i, out, rateIndex);
    if (mayPay && rate === null) {
      out.pool = null;
      return settle(out, 'no-rate', 'route');
    }
    if (pool !== null) this.book.draw(pool, part.startAt[i] as number, durationSeconds);
    if (out.creditSeconds === 0) return settle(out, 'pool', 'route');
    if (!mayPay) return settle(out, 'unlicensed', 'route');
    out.rate = rate;
    out.pricing = this.pricingOf(rateIndex, rate as RateRow);
    settle(out, 'credits', 'route');
  }

  /** A credit-funded part its own pricer prices (CGRateS: at the part's own time of day), or `no-rate`. */
  private splitPriced(part: CallColumns, i: number, out: CallSplit, rateIndex: number): void {
    const startAt = part.startAt[i] as number;
    const user = this.table.users[part.user[i] as number] ?? '';
    const pricing = (this.pricer as CreditPricer).price(rateIndex, user, startAt + out.poolSeconds * 1000, out.creditSeconds);
    if (pricing === null) {
      out.pool = null;
      return settle(out, 'no-rate', 'route');
    }
    if (out.pool !== null) this.book.draw(out.pool, startAt, part.durationSeconds[i] as number);
    out.pricing = pricing;
    settle(out, 'credits', 'route');
  }

  private addressOf(part: CallColumns, i: number, allowance: Allowance): PoolAddress {
    const address = this.address;
    const route = part.route[i] as number;
    address.allowance = allowance;
    address.side = route - ROUTE.poolDomestic;
    address.country = route === ROUTE.poolConference ? 0 : poolCountry(part.country[i] as number);
    address.monthIndex = this.monthOfCall.indexOf(part.startAt[i] as number);
    address.user = part.user[i] as number;
    return address;
  }

  private pricingOf(rateIndex: number, rate: RateRow): CallPricing {
    let pricing = this.pricingByRate[rateIndex];
    if (pricing === undefined) {
      this.pricingByRate[rateIndex] = pricing = {
        kind: 'rate',
        priceMicrosPerMinute: rate.priceMicrosPerMinute,
        connectionMicros: rate.connectionMicros,
        firstIncrementSeconds: rate.firstIncrementSeconds,
        nextIncrementSeconds: rate.nextIncrementSeconds,
      };
    }
    return pricing;
  }

  private mayPay(user: number): boolean {
    const { licensed, table } = this;
    while (licensed.length <= user) licensed.push(userMayUseCredits(this.scenario.credits, table.users[licensed.length] ?? ''));
    return licensed[user] as boolean;
  }
}

function settle(out: CallSplit, kind: SplitKind, basis: SplitBasis): void {
  out.kind = kind;
  out.basis = basis;
}
