import type { CallTable } from '../columns/call-table.js';
import { isFreeRoute } from '../model/route.js';
import type { TrialOptions } from './trials.js';

/**
 * What a forecast, recommendation or sweep is about to do, estimated from the history before any
 * trial is built, so that work that cannot fit is refused with one line instead of filling the
 * machine's memory (`--growth 1 --horizon 120` multiplies the last month's calls by 2^119).
 */
export interface WorkEstimate {
  /** Calls one trial simulates. */
  callsPerTrial: number;
  trials: number;
  /** Policies replayed over every trial: a sweep's cells, 1 otherwise. */
  cells: number;
  memoryBytes: number;
}

/** What a command keeps of every trial until its answer: a sweep only the outcomes of its cells. */
export type KeptPerTrial = 'nothing' | 'demand' | 'prepared demand';

/** The history as the estimate needs it: how many calls, how many could reach credits, over how many days. */
export interface HistoryProfile {
  calls: number;
  /** Calls neither free by route nor unanswered: at most these reach the ledger. */
  payableCalls: number;
  days: number;
}

/**
 * Bytes per call, measured with /usr/bin/time on generated tenants (200,000 rows, 12 months,
 * bootstrap and growth): a trial's table of calls while it is built and replayed (its columns,
 * grown by doubling, and a second copy when growth scales it), on each worker at once; and a
 * credit-funded call kept per trial by `forecast` and `recommend` until the percentiles are taken
 * (160 to 210 bytes measured, as JavaScript arrays and objects on the heap).
 */
const TRIAL_TABLE_BYTES_PER_CALL = 300;
const KEPT_BYTES_PER_CREDIT_CALL = 200;
/** `recommend` also keeps each trial's demand prepared for replay: prefix sums and a segment tree. */
const PREPARED_BYTES_PER_CREDIT_CALL = 64;
/** One policy's outcome in one trial, as a sweep keeps it. */
const OUTCOME_BYTES = 200;
/** A calendar month, for the horizon's length; the longest, so the estimate is not short. */
const DAYS_PER_MONTH = 31;
const DAY_MS = 86_400_000;

/** One pass over the history's columns (typed arrays, no merge): its calls, payable calls and days. */
export function historyProfile(table: CallTable): HistoryProfile {
  let calls = 0;
  let payableCalls = 0;
  let first = Infinity;
  let last = -Infinity;
  table.parts.forEach((part, partIndex) => {
    const rejected = table.rejected[partIndex] as Uint8Array;
    for (let row = 0; row < part.count; row++) {
      if (rejected[row] === 1) continue;
      calls++;
      if (!isFreeRoute(part.route[row] as number) && (part.durationSeconds[row] as number) > 0) payableCalls++;
      const at = part.startAt[row] as number;
      if (at < first) first = at;
      if (at > last) last = at;
    }
  });
  const days = calls === 0 ? 1 : Math.floor(last / DAY_MS) - Math.floor(first / DAY_MS) + 1;
  return { calls, payableCalls, days };
}

/**
 * Traffic grows by (1 + g)^k in month k of the horizon: the mean factor over its months, times the
 * largest headcount factor (at least 1: the calls it does not name keep theirs).
 */
function trafficFactor(options: TrialOptions): number {
  const months = options.horizonMonths;
  const growth = options.growth.monthlyGrowth;
  const meanGrowth = growth === 0 ? 1 : ((1 + growth) ** months - 1) / (growth * months);
  const headcount = Math.max(1, ...options.growth.headcount.map((change) => change.factor));
  return meanGrowth * headcount;
}

/**
 * Calls per trial: history's calls per day over the horizon's days, grown (`history` is the period
 * itself, one trial). Memory: the trial tables being built on every worker at once, the credit
 * demand every trial keeps when the command keeps it (an upper bound: every payable call), and
 * every cell's outcome per trial.
 */
export function estimateWork(profile: HistoryProfile, options: TrialOptions, run: { workers: number; cells: number; keeps: KeptPerTrial }): WorkEstimate {
  const trials = options.model === 'bootstrap' ? options.trials : 1;
  const callsPerTrial = options.model === 'history' ? profile.calls : (profile.calls / profile.days) * options.horizonMonths * DAYS_PER_MONTH * trafficFactor(options);
  const payableShare = profile.calls === 0 ? 0 : profile.payableCalls / profile.calls;
  const inFlight = Math.min(run.workers, trials) * callsPerTrial * TRIAL_TABLE_BYTES_PER_CALL;
  const keptBytes = run.keeps === 'nothing' ? 0 : KEPT_BYTES_PER_CREDIT_CALL + (run.keeps === 'prepared demand' ? PREPARED_BYTES_PER_CREDIT_CALL : 0);
  const kept = trials * callsPerTrial * payableShare * keptBytes;
  const outcomes = trials * run.cells * OUTCOME_BYTES;
  return { callsPerTrial, trials, cells: run.cells, memoryBytes: inFlight + kept + outcomes };
}

/** "12.3 GiB", "850 MiB", "2.1e+34 GiB": memory as a message says it. */
export function formatBytes(bytes: number): string {
  const gib = bytes / 2 ** 30;
  if (gib >= 1e6) return `${gib.toExponential(1)} GiB`;
  if (gib >= 1) return `${gib.toFixed(1)} GiB`;
  return `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

/** A count as a message says it: 1,234,567 or 2.1e+34. */
export function formatCount(count: number): string {
  return count >= 1e15 ? count.toExponential(1) : Math.round(count).toLocaleString('en');
}
