import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayDemand } from '../../engine/credits/demand.js';
import type { RechargePolicy } from '../../engine/model/credits-policy.js';
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

/** A full replay of the sample under another credits policy. */
function fullReplay(initialMicros: number, autoRecharge: RechargePolicy | null) {
  const scenario = { ...inputs.scenario, credits: { ...inputs.scenario.credits, initialMicros, autoRecharge } };
  return replay({ ...inputs, scenario });
}

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

  it('for any policy', () => {
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
      fc.property(dollars(300), policy, (initial, autoRecharge) => {
        const full = fullReplay(initial, autoRecharge);
        const fast = replayDemand(history.demand, { ...history.policy, initialMicros: initial, autoRecharge }, history.settings);
        expect([fast.fundedMicros, fast.spentMicros, fast.forfeitedMicros, fast.closingMicros, fast.drops, fast.firstDrop]).toEqual([
          full.credits.fundedMicros, full.credits.spentMicros, full.credits.forfeitedMicros, full.credits.closingMicros, full.drops, full.firstDrop,
        ]);
      }),
      { numRuns: 40 },
    );
  });
});
