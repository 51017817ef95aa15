import type { RateInterval, RateSlotRow } from './tariff-plan.js';
import { localMoment, nextBoundary, selectInterval } from './timing.js';

const NS_PER_MS = 1_000_000;

/** A piece of the call with one rate interval and one rate slot; offsets in ns from the call start. */
export interface SpanCut {
  startNs: number;
  endNs: number;
  interval: RateInterval;
  slotIndex: number;
}

export interface CallWindow {
  startMs: number;
  offsetMinutes: number;
  usageNs: number;
  /** Voice calls are cut at every midnight; data is not. */
  voice: boolean;
}

/**
 * Step 3 of RATING.md: cut at midnights (voice) and where another interval takes over, then where
 * the call offset crosses a GroupIntervalStart; each piece takes the slot with the largest GIS not
 * after its start; then each piece's length is rounded up to its slot's increment, the pieces after
 * it shortened or absorbed. Undefined at the first instant no interval covers.
 */
export function cutCall(window: CallWindow, intervals: readonly RateInterval[]): { spans: SpanCut[] } | { uncoveredAtMs: number } {
  const byTime = cutByTime(window, intervals);
  if ('uncoveredAtMs' in byTime) return byTime;
  const spans: SpanCut[] = [];
  for (const piece of byTime.pieces) spans.push(...cutBySlots(piece));
  roundToIncrements(spans);
  return { spans };
}

function cutByTime(window: CallWindow, intervals: readonly RateInterval[]): { pieces: SpanCut[] } | { uncoveredAtMs: number } {
  const pieces: SpanCut[] = [];
  let cutAtMidnight = false;
  for (let positionNs = 0; positionNs < window.usageNs; ) {
    const atMs = window.startMs + Math.floor(positionNs / NS_PER_MS);
    const at = localMoment(atMs, window.offsetMinutes);
    const interval = selectInterval(intervals, at);
    if (interval === undefined) return { uncoveredAtMs: atMs };
    const boundary = nextBoundary(intervals, at);
    const endNs = Math.min(window.usageNs, (boundary.atMs - window.startMs) * NS_PER_MS);
    const last = pieces[pieces.length - 1];
    // One interval on both sides of a boundary is one piece, unless a voice call crosses midnight.
    if (last !== undefined && last.interval === interval && !(cutAtMidnight && window.voice)) last.endNs = endNs;
    else pieces.push({ startNs: positionNs, endNs, interval, slotIndex: 0 });
    cutAtMidnight = boundary.midnight;
    positionNs = endNs;
  }
  return { pieces };
}

function cutBySlots(piece: SpanCut): SpanCut[] {
  const slots = piece.interval.rate.slots;
  const out: SpanCut[] = [];
  let startNs = piece.startNs;
  while (startNs < piece.endNs) {
    const slotIndex = slotAt(slots, startNs);
    const next = slots[slotIndex + 1];
    const endNs = next === undefined ? piece.endNs : Math.min(piece.endNs, next.groupIntervalStartNs);
    out.push({ startNs, endNs, interval: piece.interval, slotIndex });
    startNs = endNs;
  }
  return out;
}

/** The slot with the largest GroupIntervalStart not after the offset (slots are sorted, the first at 0). */
export function slotAt(slots: readonly RateSlotRow[], offsetNs: number): number {
  let index = 0;
  while (index + 1 < slots.length && (slots[index + 1] as RateSlotRow).groupIntervalStartNs <= offsetNs) index++;
  return index;
}

/** A piece lengthened to a whole number of increments pushes the start of the next ones, absorbing those it covers. */
function roundToIncrements(spans: SpanCut[]): void {
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as SpanCut;
    const incrementNs = incrementOf(span);
    const lengthNs = span.endNs - span.startNs;
    const rest = lengthNs % incrementNs;
    const roundedNs = rest === 0 ? lengthNs : lengthNs - rest + incrementNs;
    if (roundedNs <= lengthNs) continue;
    span.endNs = span.startNs + roundedNs;
    while (i + 1 < spans.length && (spans[i + 1] as SpanCut).endNs <= span.endNs) spans.splice(i + 1, 1);
    const next = spans[i + 1];
    if (next !== undefined && next.startNs < span.endNs) next.startNs = span.endNs;
  }
}

export function incrementOf(span: SpanCut): number {
  return (span.interval.rate.slots[span.slotIndex] as RateSlotRow).rateIncrementNs;
}
