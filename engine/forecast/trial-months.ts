import { replayDemand, type CreditsPolicy, type PolicyOutcome } from '../credits/demand.js';
import type { PoolReport } from '../pools/pool-book.js';
import { MonthLedger } from '../replay/months.js';
import type { MonthSummary } from '../replay/result.js';
import type { EpochMs } from '../kernel/time.js';
import type { Trials } from './trials.js';

/** One trial under one policy: its outcome, its money and drops per calendar month, and its pools. */
export interface TrialByMonth {
  outcome: PolicyOutcome;
  months: MonthSummary[];
  pools: PoolReport[];
}

/** The policy replayed call by call over each trial (in trial order), its ledger events added up by month. */
export function trialsByMonth(trials: Trials, policy: CreditsPolicy, offsetMinutes: number): TrialByMonth[] {
  return trials.histories.map((trial) => {
    const months = new MonthLedger(trials.start, trials.end, offsetMinutes);
    const outcome = replayDemand(trial.demand, policy, trial.settings, (event) => months.add(event));
    for (const at of outcome.dropTimes) months.addDrop(at);
    return { outcome, months: months.summary(), pools: trial.pools };
  });
}

/** A pool of a month that ran out in at least one trial, and when it ran out in each such trial. */
export interface PoolExhaustion {
  capability: string;
  country: string;
  month: string;
  kind: string;
  exhaustedAt: EpochMs[];
}

/** The pools that ran out in some trial, by month, capability, country and kind. */
export function poolsExhausted(perTrial: readonly TrialByMonth[]): PoolExhaustion[] {
  const pools = new Map<string, PoolExhaustion>();
  for (const trial of perTrial) {
    for (const pool of trial.pools) {
      const key = `${pool.month}|${pool.capability}|${pool.country}|${pool.kind}`;
      const entry = pools.get(key) ?? { capability: pool.capability, country: pool.country, month: pool.month, kind: pool.kind, exhaustedAt: [] };
      if (pool.exhaustedAt !== null) entry.exhaustedAt.push(pool.exhaustedAt);
      pools.set(key, entry);
    }
  }
  return [...pools.values()]
    .filter((pool) => pool.exhaustedAt.length > 0)
    .sort((a, b) => a.month.localeCompare(b.month) || a.capability.localeCompare(b.capability) || a.country.localeCompare(b.country) || a.kind.localeCompare(b.kind));
}
