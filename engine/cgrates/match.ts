import { formatInstant } from '../kernel/time.js';
import type { RateInterval, RatingProfileRow, TariffPlan } from './tariff-plan.js';
import { intervalActive, localMoment } from './timing.js';

/** Who is rated, to where and when: CGRateS's call descriptor, less the usage. */
export interface RatingKey {
  tenant: string;
  category: string;
  subject: string;
  destination: string;
  startMs: number;
  /** UTC offset of the calendar the timings are read in (the start's own offset). */
  offsetMinutes: number;
}

/** What rates the call: the profile row used, the matched destination ID (or `*any`) and its intervals. */
export interface RatingMatch {
  profile: RatingProfileRow;
  destinationId: string;
  intervals: readonly RateInterval[];
}

export type CgratesErrorCode = 'RATING_PLAN_NOT_FOUND' | 'UNAUTHORIZED_DESTINATION';

export interface RatingFailure {
  error: CgratesErrorCode;
  /** One line naming what was looked up. */
  detail: string;
}

/**
 * Step 1 and 2 of RATING.md: the profile of (tenant, category, subject), else of subject `*any`,
 * with the latest activation not after the start; in its plan the longest prefix of the number
 * whose destination has rates and a timing active at the start (ties: the plan's highest weight,
 * then storage order), else the plan's `*any`; else the fallback subjects, depth first, in order.
 */
export function matchRating(plan: TariffPlan, key: RatingKey): RatingMatch | RatingFailure {
  const { tenant, category, subject, startMs } = key;
  const profile = plan.activeProfile(tenant, category, subject, startMs) ?? plan.activeProfile(tenant, category, '*any', startMs);
  const at = formatInstant(startMs);
  if (profile === undefined) {
    return { error: 'RATING_PLAN_NOT_FOUND', detail: `no rating profile for tenant "${tenant}", category "${category}", subject "${subject}" or "*any" active at ${at}` };
  }
  const found = matchWithFallbacks(plan, key, profile, new Set());
  if (found !== undefined) return found;
  return { error: 'UNAUTHORIZED_DESTINATION', detail: `no rate for destination "${key.destination}" in rating plan "${profile.ratingPlanId}" (${profile.source}) or its fallback subjects at ${at}` };
}

function matchWithFallbacks(plan: TariffPlan, key: RatingKey, profile: RatingProfileRow, visited: Set<string>): RatingMatch | undefined {
  visited.add(profile.subject);
  const found = matchDestination(plan, key, profile);
  if (found !== undefined) return found;
  for (const subject of profile.fallbackSubjects) {
    if (visited.has(subject)) continue;
    const fallback = plan.activeProfile(key.tenant, key.category, subject, key.startMs);
    if (fallback === undefined) continue;
    const match = matchWithFallbacks(plan, key, fallback, visited);
    if (match !== undefined) return match;
  }
  return undefined;
}

function matchDestination(plan: TariffPlan, key: RatingKey, profile: RatingProfileRow): RatingMatch | undefined {
  const start = localMoment(key.startMs, key.offsetMinutes);
  const usable = (destinationId: string): readonly RateInterval[] | undefined => {
    const intervals = plan.intervalsOf(profile.ratingPlanId, destinationId);
    return intervals.some((interval) => intervalActive(interval, start)) ? intervals : undefined;
  };
  for (let length = key.destination.length; length >= 1; length--) {
    let best: RatingMatch | undefined;
    let bestWeight = -Infinity;
    for (const destinationId of plan.destinationsByPrefix.get(key.destination.slice(0, length)) ?? []) {
      const intervals = usable(destinationId);
      if (intervals === undefined) continue;
      const weight = Math.max(...intervals.map((interval) => interval.weight));
      if (weight > bestWeight) {
        best = { profile, destinationId, intervals };
        bestWeight = weight;
      }
    }
    if (best !== undefined) return best;
  }
  const any = usable('*any');
  return any === undefined ? undefined : { profile, destinationId: '*any', intervals: any };
}
