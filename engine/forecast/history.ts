import { CreditDemand, type CreditsPolicy, type LedgerSettings } from '../credits/demand.js';
import { replay } from '../replay/replay.js';
import type { ReplayResult } from '../replay/result.js';
import type { LoadedInputs } from '../replay/run-replay.js';

export interface History {
  demand: CreditDemand;
  /** The policy-independent part of the replay: calls by funding (credit calls counted as paid), pools. */
  base: ReplayResult;
  settings: LedgerSettings;
  /** The scenario's own credits policy. */
  policy: CreditsPolicy;
}

/** The policy-independent half of a replay of history: pools drawn, demand collected once. */
export function historyOf(inputs: LoadedInputs): History {
  const demand = new CreditDemand();
  const { scenario } = inputs;
  const base = replay({ ...inputs, demand });
  return {
    demand,
    base,
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
