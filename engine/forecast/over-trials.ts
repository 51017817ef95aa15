import type { CreditsPolicy, PolicyOutcome } from '../credits/demand.js';
import { cachedPreparedDemand, replayDemandFast } from '../credits/fast-replay.js';
import type { RechargePolicy } from '../model/credits-policy.js';
import { bestRecharge, smallestInitialFunding, type RecommendSettings } from './recommend.js';
import type { History } from './history.js';
import { percentile } from './trials.js';

/** What a trial brings to a policy: its credit demand and its ledger settings. */
export type TrialDemand = Pick<History, 'demand' | 'settings'>;

/** A policy replayed over every trial. */
export function replayTrials(trials: readonly TrialDemand[], policy: CreditsPolicy): PolicyOutcome[] {
  return trials.map((trial) => replayDemandFast(cachedPreparedDemand(trial.demand, trial.settings.minorUnitMicros), policy, trial.settings));
}

export function shareWithoutDrops(outcomes: readonly PolicyOutcome[]): number {
  return outcomes.filter((outcome) => outcome.creditDrops === 0).length / Math.max(outcomes.length, 1);
}

export interface ConfidentFunding {
  /** Smallest initial funding with which at least `confidence` of the trials drop nothing; null if none. */
  initialMicros: number | null;
  /** Each trial's own smallest funding (null: none suffices in that trial). */
  perTrialMicros: (number | null)[];
  /** The trial that needs the most, and its own answer. */
  worstTrial: number;
  /** Share of trials without a drop at the answer and one step below it. */
  shareAtAnswer: number;
  shareOneStepLess: number | null;
  verified: boolean;
  /** A tenth less than the answer: the share of trials that would drop a call, and the first drop of each. */
  smallerMicros: number;
  smallerOutcomes: PolicyOutcome[];
}

/**
 * The funding answer at a confidence: each trial's smallest funding is found by bisection (drops
 * fall as funding grows without auto-recharge), the answer is their `confidence` percentile, and
 * it is checked by replaying every trial at the answer and one step below.
 */
export function confidentFunding(trials: readonly TrialDemand[], policy: CreditsPolicy, settings: RecommendSettings, confidence: number): ConfidentFunding {
  const perTrialMicros = trials.map((trial) => smallestInitialFunding(trial.demand, trial.settings, policy, settings).initialMicros);
  const needsMicros = perTrialMicros.map((micros) => micros ?? Infinity);
  const answer = percentile(needsMicros, confidence);
  const worstTrial = needsMicros.reduce((worst, need, index) => (need > (needsMicros[worst] as number) ? index : worst), 0);
  const step = settings.stepMicros;
  if (!Number.isFinite(answer)) {
    return { initialMicros: null, perTrialMicros, worstTrial, shareAtAnswer: 0, shareOneStepLess: null, verified: true, smallerMicros: 0, smallerOutcomes: [] };
  }
  const outcomesWith = (initialMicros: number) => replayTrials(trials, { ...policy, initialMicros });
  const shareAtAnswer = shareWithoutDrops(outcomesWith(answer));
  const lowestMicros = Math.ceil(settings.minimumMicros / step) * step;
  const shareOneStepLess = answer - step >= lowestMicros ? shareWithoutDrops(outcomesWith(answer - step)) : null;
  const smallerMicros = Math.floor((answer * 0.9) / step) * step;
  return {
    initialMicros: answer,
    perTrialMicros,
    worstTrial,
    shareAtAnswer,
    shareOneStepLess,
    verified: shareAtAnswer >= confidence && (shareOneStepLess === null || shareOneStepLess < confidence),
    smallerMicros,
    smallerOutcomes: outcomesWith(smallerMicros),
  };
}

export interface ConfidentRecharge {
  policy: RechargePolicy;
  initialMicros: number;
  outcomes: PolicyOutcome[];
  shareWithoutDrops: number;
  /** Mean over trials of average balance plus forfeits. */
  scoreMicros: number;
  candidates: number;
}

/**
 * The recharge setting that keeps at least `confidence` of the trials free of drops for the least
 * money tied up plus forfeited on average, over the candidate grid of `bestRecharge` (built from the
 * first trial's demand).
 */
export function confidentRecharge(trials: readonly TrialDemand[], policy: CreditsPolicy, settings: RecommendSettings, template: RechargePolicy, confidence: number): ConfidentRecharge | null {
  const first = trials[0];
  if (first === undefined) return null;
  let best: ConfidentRecharge | null = null;
  let candidates = 0;
  bestRecharge(first.demand, first.settings, policy, settings, template, (candidate) => {
    candidates++;
    const outcomes = replayTrials(trials, { ...policy, initialMicros: candidate.amountMicros, autoRecharge: candidate });
    const share = shareWithoutDrops(outcomes);
    if (share < confidence) return;
    const scoreMicros = Math.round(outcomes.reduce((sum, outcome) => sum + outcome.balanceAverageMicros + outcome.forfeitedMicros, 0) / outcomes.length);
    if (best === null || scoreMicros < best.scoreMicros) best = { policy: candidate, initialMicros: candidate.amountMicros, outcomes, shareWithoutDrops: share, scoreMicros, candidates: 0 };
  });
  return best === null ? null : { ...(best as ConfidentRecharge), candidates };
}
