import { CreditDemand, type CreditsPolicy, type LedgerSettings } from '../credits/demand.js';
import { checkTopUps } from '../model/scenario.js';
import type { PoolReport } from '../pools/pool-book.js';
import { PoolStage } from '../pools/pool-stage.js';
import { CallPass } from '../replay/call-pass.js';
import type { LoadedInputs } from '../replay/inputs.js';
import { checkRowsAccounted, markUnrated, periodOf } from '../replay/replay.js';
import type { ReplayResult } from '../replay/result.js';

export interface History {
  demand: CreditDemand;
  /** The policy-independent part of the replay: pools as the trial drew them, calls by funding (credit calls counted as paid). */
  pools: PoolReport[];
  calls: ReplayResult['calls'];
  settings: LedgerSettings;
  /** The scenario's own credits policy. */
  policy: CreditsPolicy;
  /** What the trial should be read with (pools whose size was guessed from the users seen). */
  warnings: string[];
}

/** The policy-independent half of a replay: the pool stage run once, its credit demand collected. */
export function historyOf(inputs: Omit<LoadedInputs, 'duplicates'>): History {
  const { scenario, table } = inputs;
  const { start, end } = periodOf(table, scenario);
  checkTopUps(scenario.file, scenario.credits.topUps, start, end);
  const demand = new CreditDemand();
  const stage = new PoolStage(table, scenario, inputs.rules, inputs.rates);
  const pass = new CallPass(stage, demand, scenario.minorUnitMicros, null);
  for (let partIndex = 0; partIndex < table.parts.length; partIndex++) stage.countLicences(partIndex);
  table.forEachInOrder(pass.visit);
  markUnrated(table, pass.unrated);
  const calls = { read: inputs.rowsRead, rejected: inputs.ingestRejects.length + pass.unrated.length, ...pass.counts };
  checkRowsAccounted(calls);
  return {
    demand,
    pools: stage.report(),
    calls,
    settings: {
      start,
      end,
      minorUnitMicros: scenario.minorUnitMicros,
      exhaustion: scenario.credits.exhaustion,
      offsetMinutes: scenario.offsetMinutes,
      expiryMonths: scenario.credits.expiryMonths,
      minimumPurchaseMicros: scenario.credits.minimumPurchaseMicros,
      seed: scenario.seed,
    },
    policy: { initialMicros: scenario.credits.initialMicros, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps },
    warnings: stage.warnings(),
  };
}
