import { invariant } from '../kernel/errors.js';
import { addAmounts, cgrAmount, Exact, roundCgr, timesCount, type CgrAmount, type Exact as ExactValue, type RoundingMethod } from './cgr-round.js';
import { matchRating, type RatingFailure, type RatingKey } from './match.js';
import { cutCall, incrementOf, type SpanCut } from './spans.js';
import type { RateSlotRow, TariffPlan } from './tariff-plan.js';

/**
 * Which CGRateS answer to give: `responder` is Responder.GetCost (CallDescriptor.GetCost: MaxCost
 * `*free` and the DestinationRate's rounding on the total); `apier` is APIerSv1.GetCost (the
 * EventCost rebuilt from increments: the total rounded to G decimals only, no MaxCost).
 */
export type CostApi = 'responder' | 'apier';

export interface RateRequest extends RatingKey {
  usageNs: number;
  voice: boolean;
  /** G: the engine's increment rounding decimals (5 for a running cgr-engine, 6 in its unit tests). */
  incrementDecimals: number;
  costApi: CostApi;
}

export interface RatedSpan {
  startNs: number;
  endNs: number;
  ratingPlanId: string;
  destinationId: string;
  timingId: string;
  rateId: string;
  slotIndex: number;
  slot: RateSlotRow;
  increments: number;
  incrementCost: ExactValue;
  cost: ExactValue;
  /** A rounding step of this span where CGRateS's double took the other side from exact arithmetic. */
  floatDecided: boolean;
}

export interface CallCost {
  cost: ExactValue;
  connectFee: ExactValue;
  spans: RatedSpan[];
  /** The rounding of the total, where CGRateS's double took the other side. */
  floatDecided: boolean;
}

const ZERO = cgrAmount('0');

/** Rates one call as CGRateS's classic engine does (RATING.md steps 1 to 5), or says why it cannot. */
export function rateCall(plan: TariffPlan, request: RateRequest): CallCost | RatingFailure {
  invariant(Number.isSafeInteger(request.usageNs) && request.usageNs >= 0, () => `usage ${request.usageNs} ns is not a whole number of nanoseconds`);
  // A call of no length costs nothing and is never refused: CGRateS answers before looking for a plan.
  if (request.usageNs === 0) return { cost: new Exact(0), connectFee: new Exact(0), spans: [], floatDecided: false };
  const match = matchRating(plan, request);
  if ('error' in match) return match;
  const cut = cutCall({ startMs: request.startMs, offsetMinutes: request.offsetMinutes, usageNs: request.usageNs, voice: request.voice }, match.intervals);
  if ('uncoveredAtMs' in cut) {
    const at = new Date(cut.uncoveredAtMs).toISOString();
    return { error: 'UNAUTHORIZED_DESTINATION', detail: `destination "${request.destination}" (${match.destinationId} in rating plan "${match.profile.ratingPlanId}") has no timing covering ${at}` };
  }
  const costs = cut.spans.map((span) => spanCost(span, request.incrementDecimals));
  const spans = cut.spans.map((span, index) => describe(span, costs[index] as SpanCost, match.profile.ratingPlanId, match.destinationId));
  const first = cut.spans[0] as SpanCut;
  const connectFee = first.interval.rate.connectFee;
  const total = request.costApi === 'responder' ? responderTotal(cut.spans, costs, connectFee) : apierTotal(costs, connectFee, request.incrementDecimals);
  return { cost: total.amount.exact, connectFee: connectFee.exact, spans, floatDecided: total.floatDecided };
}

interface SpanCost {
  increments: number;
  incrementCost: CgrAmount;
  cost: CgrAmount;
  floatDecided: boolean;
}

/** Step 4: roundG(duration × rate / unit), split into increments each rounded to G, times their count. */
function spanCost(span: SpanCut, decimals: number): SpanCost {
  const slot = span.interval.rate.slots[span.slotIndex] as RateSlotRow;
  const durationNs = span.endNs - span.startNs;
  const raw: CgrAmount = {
    exact: slot.rate.exact.times(durationNs).div(slot.rateUnitNs),
    // Go: price /= float64(rateUnit); cost = float64(duration) * price.
    float: durationNs * (slot.rate.float / slot.rateUnitNs),
  };
  const rounded = roundCgr(raw, decimals, '*middle');
  const increments = durationNs / incrementOf(span);
  invariant(Number.isInteger(increments) && increments > 0, () => `span of ${durationNs} ns is not whole increments of ${incrementOf(span)} ns`);
  const perIncrement = roundCgr({ exact: rounded.amount.exact.div(increments), float: rounded.amount.float / increments }, decimals, '*middle');
  return { increments, incrementCost: perIncrement.amount, cost: timesCount(perIncrement.amount, increments), floatDecided: rounded.floatDecided || perIncrement.floatDecided };
}

/**
 * Step 5, Responder.GetCost: the first span's connect fee, then span by span a running total; a
 * `*free` MaxCost caps it once the sum of running totals so far (CGRateS's MaxCostSoFar) reaches
 * the cap, and spans after still add. Rounded once with the largest RoundingDecimals of any span.
 */
function responderTotal(spans: readonly SpanCut[], costs: readonly SpanCost[], connectFee: CgrAmount) {
  let cost = ZERO;
  let soFar = ZERO;
  let decimals = -1;
  let method: RoundingMethod = '*middle';
  let capDecided = false;
  spans.forEach((span, index) => {
    const rating = span.interval.destinationRate;
    const spanTotal = index === 0 ? addAmounts(connectFee, (costs[index] as SpanCost).cost) : (costs[index] as SpanCost).cost;
    cost = addAmounts(cost, spanTotal);
    soFar = addAmounts(soFar, cost);
    if (rating.maxCostStrategy === '*free' && rating.maxCost.exact.gt(0)) {
      // The cap is a decision taken on CGRateS's doubles; where exact sums would decide otherwise, it says so.
      const capped = soFar.float >= rating.maxCost.float;
      if (capped !== soFar.exact.gte(rating.maxCost.exact)) capDecided = true;
      if (capped) {
        cost = rating.maxCost;
        soFar = rating.maxCost;
      }
    }
    if (rating.roundingDecimals > decimals) {
      decimals = rating.roundingDecimals;
      method = rating.roundingMethod;
    }
  });
  const total = roundCgr(cost, decimals, method);
  return { amount: total.amount, floatDecided: total.floatDecided || capDecided };
}

/** APIerSv1.GetCost: the connect fee and every increment summed, rounded to G decimals, nothing capped. */
function apierTotal(costs: readonly SpanCost[], connectFee: CgrAmount, decimals: number) {
  return roundCgr(costs.reduce((sum, span) => addAmounts(sum, span.cost), connectFee), decimals, '*middle');
}

function describe(span: SpanCut, cost: SpanCost, ratingPlanId: string, destinationId: string): RatedSpan {
  return {
    startNs: span.startNs,
    endNs: span.endNs,
    ratingPlanId,
    destinationId,
    timingId: span.interval.timing.id,
    rateId: span.interval.rate.id,
    slotIndex: span.slotIndex,
    slot: span.interval.rate.slots[span.slotIndex] as RateSlotRow,
    increments: cost.increments,
    incrementCost: cost.incrementCost.exact,
    cost: cost.cost.exact,
    floatDecided: cost.floatDecided,
  };
}
