import { CreditDemand, type CreditsPolicy, type LedgerSettings } from '../credits/demand.js';
import type { PoolReport } from '../pools/pool-book.js';
import { replay } from '../replay/replay.js';
import type { ReplayResult } from '../replay/result.js';
import type { LoadedInputs } from '../replay/inputs.js';

export interface History {
  demand: CreditDemand;
  /** The policy-independent part of the replay: pools as the trial drew them, calls by funding (credit calls counted as paid). */
  pools: PoolReport[];
  calls: ReplayResult['calls'];
  settings: LedgerSettings;
  /** The scenario's own credits policy. */
  policy: CreditsPolicy;
}

/** The policy-independent half of a replay: pools drawn, credit demand collected once. */
export function historyOf(inputs: LoadedInputs): History {
  const demand = new CreditDemand();
  const { scenario } = inputs;
  const base = replay({ ...inputs, demand });
  return {
    demand,
    pools: base.pools,
    calls: base.calls,
    settings: {
      start: base.start,
      end: base.end,
      minorUnitMicros: scenario.minorUnitMicros,
      offsetMinutes: scenario.offsetMinutes,
      expiryMonths: scenario.credits.expiryMonths,
      minimumPurchaseMicros: scenario.credits.minimumPurchaseMicros,
      seed: scenario.seed,
    },
    policy: { initialMicros: scenario.credits.initialMicros, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps },
  };
}
