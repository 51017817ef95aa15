import type { RateInterval, TimingRow } from './tariff-plan.js';

const DAY_MS = 86_400_000;

/** A local calendar day (at a fixed UTC offset) and a time of day in it. */
export interface LocalMoment {
  /** Epoch ms of the day's local midnight. */
  dayStartMs: number;
  timeOfDayMs: number;
  year: number;
  month: number;
  monthDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekDay: number;
}

export function localMoment(atMs: number, offsetMinutes: number): LocalMoment {
  const localMs = atMs + offsetMinutes * 60_000;
  const localDayStart = Math.floor(localMs / DAY_MS) * DAY_MS;
  const date = new Date(localDayStart);
  return {
    dayStartMs: localDayStart - offsetMinutes * 60_000,
    timeOfDayMs: localMs - localDayStart,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    monthDay: date.getUTCDate(),
    weekDay: date.getUTCDay(),
  };
}

/** Whether the timing's days include this one (the time of day aside). */
export function timingOnDay(timing: TimingRow, day: LocalMoment): boolean {
  return (
    (timing.years === null || timing.years.has(day.year)) &&
    (timing.months === null || timing.months.has(day.month)) &&
    (timing.monthDays === null || timing.monthDays.has(day.monthDay)) &&
    (timing.weekDays === null || timing.weekDays.has(day.weekDay))
  );
}

/** Active at the moment: on its day and from its start time (every interval lasts until midnight). */
export function intervalActive(interval: RateInterval, at: LocalMoment): boolean {
  return timingOnDay(interval.timing, at) && (interval.timing.startOfDayMs as number) <= at.timeOfDayMs;
}

/**
 * The interval that rates a span starting at `at`: the highest weight among those active, then the
 * latest start time of day (19:00 beats 08:00 beats 00:00), then storage order. Undefined: none.
 */
export function selectInterval(intervals: readonly RateInterval[], at: LocalMoment): RateInterval | undefined {
  let best: RateInterval | undefined;
  for (const interval of intervals) {
    if (!intervalActive(interval, at)) continue;
    if (best === undefined || beats(interval, best)) best = interval;
  }
  return best;
}

function beats(a: RateInterval, b: RateInterval): boolean {
  if (a.weight !== b.weight) return a.weight > b.weight;
  const aStart = a.timing.startOfDayMs as number;
  const bStart = b.timing.startOfDayMs as number;
  if (aStart !== bStart) return aStart > bStart;
  return a.order < b.order;
}

/**
 * The next instant after `at` (epoch ms) where the choice of interval may change: the next start
 * time of day of an interval on this day, else the next local midnight; and whether it is midnight.
 */
export function nextBoundary(intervals: readonly RateInterval[], at: LocalMoment): { atMs: number; midnight: boolean } {
  let next = DAY_MS;
  for (const interval of intervals) {
    const start = interval.timing.startOfDayMs as number;
    if (start > at.timeOfDayMs && start < next && timingOnDay(interval.timing, at)) next = start;
  }
  return { atMs: at.dayStartMs + next, midnight: next === DAY_MS };
}
