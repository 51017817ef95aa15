import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayDemand } from '../../engine/credits/demand.js';
import { prepareDemand, replayDemandFast } from '../../engine/credits/fast-replay.js';
import type { Exhaustion, RechargePolicy } from '../../engine/model/credits-policy.js';
import { historyOf, type History } from '../../engine/forecast/history.js';
import { replay } from '../../engine/replay/replay.js';
import { type LoadedInputs } from '../../engine/replay/inputs.js';
import { loadInputs } from '../../engine/edge/run/run-replay.js';
import { ROOT } from '../helpers.js';

let inputs: LoadedInputs;
let history: History;
beforeAll(async () => {
  process.chdir(ROOT);
  inputs = await loadInputs(['data/sample/pstn-usage.csv'], 'scenarios/sample.json', { workers: 1 });
  history = historyOf(inputs);
});

/** A full replay of the sample under another credits policy and model of a short balance. */
function fullReplay(initialMicros: number, autoRecharge: RechargePolicy | null, exhaustion: Exhaustion = history.settings.exhaustion) {
  const scenario = { ...inputs.scenario, credits: { ...inputs.scenario.credits, initialMicros, autoRecharge, exhaustion } };
  return replay({ ...inputs, scenario });
}

let preparedDemand: ReturnType<typeof prepareDemand> | null = null;
const prepared = () => (preparedDemand ??= prepareDemand(history.demand, history.settings.minorUnitMicros));

describe('replaying the credit demand alone agrees with the full replay (fast-check; failures print the seed)', () => {
  it('for the sample scenario', () => {
    const full = fullReplay(history.policy.initialMicros, history.policy.autoRecharge);
    const fast = replayDemand(history.demand, history.policy, history.settings);
    expect(fast).toMatchObject({
      fundedMicros: full.credits.fundedMicros,
      spentMicros: full.credits.spentMicros,
      forfeitedMicros: full.credits.forfeitedMicros,
      closingMicros: full.credits.closingMicros,
      recharges: full.credits.recharges,
      rechargeFailures: full.credits.rechargeFailures,
      drops: full.drops,
      firstDrop: full.firstDrop,
    });
  });

  it('for any policy, in both models: full replay = call-by-call ledger = event-skipping ledger', () => {
    const dollars = (max: number) => fc.integer({ min: 0, max }).map((value) => value * 1_000_000);
    const policy = fc.option(
      fc.record({
        triggerMicros: dollars(60),
        amountMicros: dollars(200).map((micros) => micros + 50_000_000),
        mode: fc.constantFrom('with' as const, 'to' as const),
        compare: fc.constantFrom('<' as const, '<=' as const),
        delaySeconds: fc.constantFrom(0, 3600),
        failFrom: fc.constant(null),
        failProbability: fc.constantFrom(0, 0.2),
        disableAfterFailures: fc.constantFrom(null, 3),
      }).map((p) => (p.mode === 'to' ? { ...p, amountMicros: p.amountMicros + p.triggerMicros } : p)),
      { nil: null },
    );
    fc.assert(
      fc.property(dollars(300), policy, fc.constantFrom<Exhaustion>('overdraft', 'cut'), (initial, autoRecharge, exhaustion) => {
        const full = fullReplay(initial, autoRecharge, exhaustion);
        const candidate = { ...history.policy, initialMicros: initial, autoRecharge };
        const settings = { ...history.settings, exhaustion };
        const expected = [full.credits.fundedMicros, full.credits.spentMicros, full.credits.forfeitedMicros, full.credits.closingMicros, full.drops, full.firstDrop];
        for (const outcome of [replayDemand(history.demand, candidate, settings), replayDemandFast(prepared(), candidate, settings)]) {
          expect([outcome.fundedMicros, outcome.spentMicros, outcome.forfeitedMicros, outcome.closingMicros, outcome.drops, outcome.firstDrop]).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });
});
