import { invariant } from '../errors.js';
import { seededRandom } from '../random.js';
import type { EpochMs } from '../time.js';
import type { LedgerEvent } from './events.js';
import { CreditLedger, type CallPricing, type TopUp } from './ledger.js';
import type { RechargePolicy } from './policy.js';

/**
 * The credit-funded demand of a replay: every call that reaches the ledger, in order, with what it
 * costs. Pools and licences decide it, never the recharge policy, so it is computed once and a
 * sweep or a recommendation replays only this (DESIGN.md: the ledger is a small fraction of the work).
 */
export class CreditDemand {
  readonly startAt: number[] = [];
  readonly poolSeconds: number[] = [];
  readonly creditSeconds: number[] = [];
  readonly pricing: CallPricing[] = [];
  /** Calls dropped whatever the policy (a user without the credits licence), by time. */
  readonly fixedDrops: EpochMs[] = [];

  get count(): number {
    return this.startAt.length;
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

/** Replays the demand under one policy: the ledger alone, with the same rules as a full replay. */
export function replayDemand(demand: CreditDemand, policy: CreditsPolicy, settings: LedgerSettings, onEvent?: (event: LedgerEvent) => void): PolicyOutcome {
  let purchases = 0;
  let recharges = 0;
  let rechargeFailures = 0;
  let area = 0;
  let lastAt = settings.start;
  let balance = 0;
  let minimum = Infinity;
  const track = (at: EpochMs, balanceAfter: number) => {
    area += balance * (Math.min(at, settings.end) - lastAt);
    lastAt = Math.min(at, settings.end);
    balance = balanceAfter;
    if (balanceAfter < minimum) minimum = balanceAfter;
  };
  const ledger = new CreditLedger(
    { minorUnitMicros: settings.minorUnitMicros, offsetMinutes: settings.offsetMinutes, expiryMonths: settings.expiryMonths, minimumPurchaseMicros: settings.minimumPurchaseMicros, recharge: policy.autoRecharge },
    seededRandom(settings.seed),
    (event) => {
      if (event.type === 'purchase') {
        purchases++;
        if (event.source === 'recharge') recharges++;
        track(event.at, event.balanceMicros);
      } else if (event.type === 'spend' || event.type === 'forfeit') track(event.at, event.balanceMicros);
      else if (event.type === 'recharge-failed') rechargeFailures++;
      onEvent?.(event);
    },
    policy.topUps,
  );
  if (policy.initialMicros > 0) ledger.purchase(settings.start, policy.initialMicros, 'initial');
  else minimum = 0;
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
  const totals = ledger.close(settings.end);
  track(settings.end, balance);
  return {
    fundedMicros: totals.fundedMicros,
    spentMicros: totals.spentMicros,
    forfeitedMicros: totals.forfeitedMicros,
    closingMicros: totals.balanceMicros,
    purchases,
    recharges,
    rechargeFailures,
    drops: dropTimes.length,
    creditDrops,
    firstDrop: dropTimes.reduce<EpochMs | null>((first, at) => (first === null || at < first ? at : first), null),
    balanceAverageMicros: area / Math.max(settings.end - settings.start, 1),
    balanceMinimumMicros: minimum === Infinity ? 0 : minimum,
    dropTimes,
  };
}
