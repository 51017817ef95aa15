import { invariant } from '../kernel/errors.js';
import { seededRandom } from '../kernel/random.js';
import type { EpochMs } from '../kernel/time.js';
import type { Exhaustion, RechargePolicy, TopUp } from '../model/credits-policy.js';
import type { LedgerEvent, LotShare } from '../model/events.js';
import type { CallPricing } from '../rules/pricing.js';
import { unlicensedDropAt, type CreditSink } from './credit-sink.js';
import { CreditLedger, type CreditClaim, type PaymentOutcome } from './ledger.js';

/**
 * The credit-funded demand of a replay: every call that reaches the ledger, in order, with what it
 * costs. Pools and licences decide it, never the recharge policy, so it is collected once (as the
 * credit sink of the pool stage) and a sweep or a recommendation replays only this (the
 * ledger is a small fraction of the work).
 */
export class CreditDemand implements CreditSink {
  readonly startAt: number[] = [];
  readonly poolSeconds: number[] = [];
  readonly creditSeconds: number[] = [];
  readonly pricing: CallPricing[] = [];
  /** Calls dropped whatever the policy (a user without the credits licence), by time. */
  readonly fixedDrops: EpochMs[] = [];

  get count(): number {
    return this.startAt.length;
  }

  /** Collected, not paid: every policy pays it later, so to the pool stage it counts as paid. */
  pay(claim: CreditClaim): PaymentOutcome {
    this.add(claim.startAt, claim.poolSeconds, claim.creditSeconds, claim.pricing);
    return COLLECTED;
  }

  dropUnlicensed(claim: CreditClaim): EpochMs {
    const at = unlicensedDropAt(claim);
    this.fixedDrops.push(at);
    return at;
  }

  add(startAt: EpochMs, poolSeconds: number, creditSeconds: number, pricing: CallPricing): void {
    const previous = this.startAt[this.startAt.length - 1];
    invariant(previous === undefined || previous <= startAt, () => 'demand must be added in start order');
    this.startAt.push(startAt);
    this.poolSeconds.push(poolSeconds);
    this.creditSeconds.push(creditSeconds);
    this.pricing.push(pricing);
  }
}

const COLLECTED: PaymentOutcome = Object.freeze({ status: 'paid', paidMicros: 0, billedSeconds: 0, lots: Object.freeze([]) as unknown as LotShare[] });

/** A credits policy to try: funding, top-ups and auto-recharge, with the scenario's fixed settings. */
export interface CreditsPolicy {
  initialMicros: number;
  autoRecharge: RechargePolicy | null;
  topUps: readonly TopUp[];
}

export interface LedgerSettings {
  start: EpochMs;
  end: EpochMs;
  minorUnitMicros: number;
  /** The scenario's model of a short balance: fixed, not a policy a sweep tries. */
  exhaustion: Exhaustion;
  offsetMinutes: number;
  expiryMonths: number;
  minimumPurchaseMicros: number;
  seed: number;
}

export interface PolicyOutcome {
  fundedMicros: number;
  spentMicros: number;
  forfeitedMicros: number;
  closingMicros: number;
  /** Lots bought: initial, top-ups and recharges. */
  purchases: number;
  recharges: number;
  rechargeFailures: number;
  /** Calls refused or cut, the policy's own and those no policy can save. */
  drops: number;
  /** Drops the policy could have prevented: the ledger's refusals and cuts. */
  creditDrops: number;
  firstDrop: EpochMs | null;
  /** Time-weighted average balance over the period: the money tied up. */
  balanceAverageMicros: number;
  balanceMinimumMicros: number;
  /** When each drop happened, for explaining an answer. */
  dropTimes: EpochMs[];
}

/**
 * A ledger for one policy with the statistics every policy replay reports: purchases, failures and
 * the balance over time (its time-weighted average and its minimum), fed by the ledger's events.
 */
export class PolicyLedger {
  readonly ledger: CreditLedger;
  purchases = 0;
  recharges = 0;
  rechargeFailures = 0;
  /** Integral of the balance over time since the start, in micro-unit milliseconds, up to `lastAt`. */
  area = 0;
  lastAt: EpochMs;
  balance = 0;
  minimum = Infinity;

  constructor(policy: CreditsPolicy, private readonly settings: LedgerSettings, onEvent?: (event: LedgerEvent) => void) {
    this.lastAt = settings.start;
    this.ledger = new CreditLedger(
      { minorUnitMicros: settings.minorUnitMicros, exhaustion: settings.exhaustion, offsetMinutes: settings.offsetMinutes, expiryMonths: settings.expiryMonths, minimumPurchaseMicros: settings.minimumPurchaseMicros, recharge: policy.autoRecharge },
      seededRandom(settings.seed),
      (event) => {
        if (event.type === 'purchase') {
          this.purchases++;
          if (event.source === 'recharge') this.recharges++;
          this.track(event.at, event.balanceMicros);
        } else if (event.type === 'spend' || event.type === 'forfeit') this.track(event.at, event.balanceMicros);
        else if (event.type === 'recharge-failed') this.rechargeFailures++;
        onEvent?.(event);
      },
      policy.topUps,
    );
    if (policy.initialMicros > 0) this.ledger.purchase(settings.start, policy.initialMicros, 'initial');
    else this.minimum = 0;
  }

  /** The balance changed to `balanceAfter` at `at`: close the stretch it held before. */
  track(at: EpochMs, balanceAfter: number): void {
    const until = Math.min(at, this.settings.end);
    this.area += this.balance * (until - this.lastAt);
    this.lastAt = until;
    this.balance = balanceAfter;
    if (balanceAfter < this.minimum) this.minimum = balanceAfter;
  }

  /** Closes the period and reports. */
  outcome(drops: { count: number; credit: number; first: EpochMs | null; times: EpochMs[] }): PolicyOutcome {
    const totals = this.ledger.close(this.settings.end);
    this.track(this.settings.end, this.balance);
    invariant(totals.balanceMicros === this.balance, () => `the replay lost track of the balance: ${totals.balanceMicros} != ${this.balance}`);
    return {
      fundedMicros: totals.fundedMicros,
      spentMicros: totals.spentMicros,
      forfeitedMicros: totals.forfeitedMicros,
      closingMicros: totals.balanceMicros,
      purchases: this.purchases,
      recharges: this.recharges,
      rechargeFailures: this.rechargeFailures,
      drops: drops.count,
      creditDrops: drops.credit,
      firstDrop: drops.first,
      balanceAverageMicros: this.area / Math.max(this.settings.end - this.settings.start, 1),
      balanceMinimumMicros: this.minimum === Infinity ? 0 : this.minimum,
      dropTimes: drops.times,
    };
  }
}

/** Replays the demand under one policy, call by call: the ledger alone, with the same rules as a full replay. */
export function replayDemand(demand: CreditDemand, policy: CreditsPolicy, settings: LedgerSettings, onEvent?: (event: LedgerEvent) => void): PolicyOutcome {
  const run = new PolicyLedger(policy, settings, onEvent);
  const { ledger } = run;
  const dropTimes: EpochMs[] = [...demand.fixedDrops];
  let creditDrops = 0;
  for (let i = 0; i < demand.count; i++) {
    const startAt = demand.startAt[i] as number;
    ledger.advanceTo(startAt);
    const outcome = ledger.pay({ callIndex: i, startAt, poolSeconds: demand.poolSeconds[i] as number, creditSeconds: demand.creditSeconds[i] as number, pricing: demand.pricing[i] as CallPricing });
    if (outcome.status === 'refused') dropTimes.push(outcome.at);
    else if (outcome.status === 'cut') dropTimes.push(outcome.cutAt);
    if (outcome.status !== 'paid') creditDrops++;
  }
  const first = dropTimes.reduce<EpochMs | null>((earliest, at) => (earliest === null || at < earliest ? at : earliest), null);
  return run.outcome({ count: dropTimes.length, credit: creditDrops, first, times: dropTimes });
}
