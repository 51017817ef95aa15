import { replayDemand, type CreditsPolicy } from '../../credits/demand.js';
import type { History } from '../../forecast/history.js';
import { percentile } from '../../forecast/trials.js';

const DAY_MS = 86_400_000;

/** Balance at the end of each UTC day of [startMs, endMs) in one trial under one policy, in micros. */
export function dailyBalances(trial: Pick<History, 'demand' | 'settings'>, policy: CreditsPolicy, startMs: number, endMs: number): number[] {
  const days = Math.max(1, Math.ceil((endMs - startMs) / DAY_MS));
  const atDayEnd = new Array<number>(days).fill(Number.NaN);
  const latestAt = new Array<number>(days).fill(-Infinity);
  replayDemand(trial.demand, policy, trial.settings, (event) => {
    if (!('balanceMicros' in event)) return;
    const day = Math.min(days - 1, Math.max(0, Math.floor((event.at - startMs) / DAY_MS)));
    // Drops are dated after calls that started beside them: a day's close is its latest event.
    if (event.at >= (latestAt[day] as number)) {
      atDayEnd[day] = event.balanceMicros;
      latestAt[day] = event.at;
    }
  });
  let balance = 0;
  return atDayEnd.map((value) => (Number.isNaN(value) ? balance : (balance = value)));
}

/** The balance fan of a forecast: per UTC day, P5, P50 and P95 over trials of the end-of-day balance (micros). */
export interface BalanceFan {
  dayMs: number[];
  p5Micros: number[];
  p50Micros: number[];
  p95Micros: number[];
}

export function balanceFan(trials: readonly Pick<History, 'demand' | 'settings'>[], policy: CreditsPolicy, startMs: number, endMs: number): BalanceFan {
  const perTrial = trials.map((trial) => dailyBalances(trial, policy, startMs, endMs));
  const days = perTrial[0]?.length ?? 0;
  const fan: BalanceFan = { dayMs: [], p5Micros: [], p50Micros: [], p95Micros: [] };
  for (let day = 0; day < days; day++) {
    const values = perTrial.map((balances) => balances[day] as number);
    fan.dayMs.push(startMs + day * DAY_MS);
    fan.p5Micros.push(percentile(values, 0.05));
    fan.p50Micros.push(percentile(values, 0.5));
    fan.p95Micros.push(percentile(values, 0.95));
  }
  return fan;
}
