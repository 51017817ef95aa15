import type { CreditDemand, CreditsPolicy, LedgerSettings, PolicyOutcome } from '../credits/demand.js';
import { cachedPreparedDemand, replayDemandFast } from '../credits/fast-replay.js';
import type { RechargePolicy } from '../model/credits-policy.js';
import { fullChargeMicros } from '../rules/pricing.js';
import { monthIndexOf } from '../kernel/calendar.js';

export interface FundingAnswer {
  /** Smallest initial funding with no call dropped for lack of credits; null when none exists. */
  initialMicros: number | null;
  outcome: PolicyOutcome;
  /** The same policy with a tenth less initial funding, and what it would cause. */
  smallerMicros: number;
  smallerOutcome: PolicyOutcome;
  /** The answer was checked by replay: it drops nothing, one step less drops something. */
  verified: boolean;
  /** Replays spent finding it (bisection, not a scan). */
  replays: number;
}

export interface RechargeAnswer {
  policy: RechargePolicy;
  initialMicros: number;
  outcome: PolicyOutcome;
  /** Average balance plus forfeits: what the policy costs in money tied up and lost. */
  scoreMicros: number;
  candidates: number;
}

export interface RecommendSettings {
  stepMicros: number;
  minimumMicros: number;
}

/**
 * The smallest initial funding, a whole number of steps and at least the vendor minimum, with which
 * the policy drops no call that money could have saved. Drops fall as funding grows when there is
 * no auto-recharge (a property test holds it to that), so the answer is found by bisection and then
 * checked by replay at the answer and one step below. With auto-recharge the same search is made and
 * the check says whether it held.
 */
export function smallestInitialFunding(demand: CreditDemand, settings: LedgerSettings, policy: CreditsPolicy, recommend: RecommendSettings): FundingAnswer {
  let replays = 0;
  const run = (initialMicros: number): PolicyOutcome => {
    replays++;
    return replayDemandFast(cachedPreparedDemand(demand, settings.minorUnitMicros), { ...policy, initialMicros }, settings);
  };
  // Amounts below are counted in whole steps.
  const step = recommend.stepMicros;
  const lowestSteps = Math.ceil(recommend.minimumMicros / step);
  // Enough to pay every credit-funded call in full, with a step to spare: if that drops, no amount helps.
  const totalMicros = demand.pricing.reduce((sum, _pricing, index) => sum + chargeOf(demand, index, settings.minorUnitMicros), 0);
  const enoughSteps = Math.max(lowestSteps, Math.ceil(totalMicros / step) + 1);
  const enoughOutcome = run(enoughSteps * step);
  if (enoughOutcome.creditDrops > 0) {
    const smallerMicros = Math.floor((enoughSteps * step * 0.9) / step) * step;
    return { initialMicros: null, outcome: enoughOutcome, smallerMicros, smallerOutcome: run(smallerMicros), verified: true, replays };
  }
  // The answer lies in [fromSteps, toSteps]: toSteps drops nothing.
  let fromSteps = lowestSteps;
  let toSteps = enoughSteps;
  if (run(fromSteps * step).creditDrops === 0) toSteps = fromSteps;
  while (fromSteps < toSteps) {
    const middle = Math.floor((fromSteps + toSteps) / 2);
    if (run(middle * step).creditDrops === 0) toSteps = middle;
    else fromSteps = middle + 1;
  }
  const answer = toSteps * step;
  const outcome = run(answer);
  const below = toSteps > lowestSteps ? run(answer - step) : null;
  const smallerMicros = Math.floor((answer * 0.9) / step) * step;
  return {
    initialMicros: answer,
    outcome,
    smallerMicros,
    smallerOutcome: run(smallerMicros),
    verified: outcome.creditDrops === 0 && (below === null || below.creditDrops > 0),
    replays,
  };
}

/**
 * The auto-recharge trigger and amount (and mode) that keep credit drops at zero for the least money
 * tied up (average balance) plus forfeited, over a grid scaled to the demand: triggers and amounts up
 * to twice the largest month of spending (amounts from the minimum purchase). Each
 * candidate starts with one recharge's worth bought at the start.
 */
export function bestRecharge(
  demand: CreditDemand,
  settings: LedgerSettings,
  policy: CreditsPolicy,
  recommend: RecommendSettings,
  template: RechargePolicy,
  visit?: (candidate: RechargePolicy) => void,
): RechargeAnswer | null {
  const microsByDay = new Map<number, number>();
  const microsByMonth = new Map<number, number>();
  demand.startAt.forEach((at, index) => {
    const chargeMicros = chargeOf(demand, index, settings.minorUnitMicros);
    microsByDay.set(Math.floor(at / 86_400_000), (microsByDay.get(Math.floor(at / 86_400_000)) ?? 0) + chargeMicros);
    const month = monthIndexOf(at, settings.offsetMinutes);
    microsByMonth.set(month, (microsByMonth.get(month) ?? 0) + chargeMicros);
  });
  const step = recommend.stepMicros;
  const roundUp = (micros: number) => Math.max(step, Math.ceil(micros / step) * step);
  const largestDayMicros = roundUp(Math.max(0, ...microsByDay.values()));
  const largestMonthMicros = roundUp(Math.max(0, ...microsByMonth.values()));
  const triggersMicros = spread(0, 2 * Math.max(largestDayMicros, largestMonthMicros), 12, step);
  const amountsMicros = spread(roundUp(recommend.minimumMicros), Math.max(roundUp(recommend.minimumMicros), 2 * largestMonthMicros), 12, step);
  let best: RechargeAnswer | null = null;
  let candidates = 0;
  for (const mode of ['with', 'to'] as const) {
    for (const triggerMicros of triggersMicros) {
      for (const amountMicros of amountsMicros) {
        if (mode === 'to' && amountMicros <= triggerMicros) continue;
        // A trigger of zero with "<" never fires: that is no recharge, not a recharge setting.
        if (triggerMicros === 0 && template.compare === '<') continue;
        candidates++;
        const rechargePolicy: RechargePolicy = { ...template, triggerMicros, amountMicros, mode };
        if (visit !== undefined) {
          visit(rechargePolicy);
          continue;
        }
        const initialMicros = amountMicros;
        const outcome = replayDemandFast(cachedPreparedDemand(demand, settings.minorUnitMicros), { ...policy, initialMicros, autoRecharge: rechargePolicy }, settings);
        if (outcome.creditDrops > 0) continue;
        const scoreMicros = Math.round(outcome.balanceAverageMicros) + outcome.forfeitedMicros;
        if (best === null || scoreMicros < best.scoreMicros) best = { policy: rechargePolicy, initialMicros, outcome, scoreMicros, candidates: 0 };
      }
    }
  }
  return best === null ? null : { ...best, candidates };
}

/** `count` values from `from` to `to`, each a whole number of steps, without repeats. */
function spread(from: number, to: number, count: number, step: number): number[] {
  const values = new Set<number>();
  for (let i = 0; i < count; i++) values.add(Math.round((from + ((to - from) * i) / Math.max(count - 1, 1)) / step) * step);
  return [...values].sort((a, b) => a - b);
}

function chargeOf(demand: CreditDemand, index: number, minorUnitMicros: number): number {
  const pricing = demand.pricing[index];
  return pricing === undefined ? 0 : fullChargeMicros(pricing, demand.creditSeconds[index] as number, minorUnitMicros);
}
