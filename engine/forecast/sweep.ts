import type { CreditsPolicy, PolicyOutcome } from '../credits/demand.js';
import type { RechargePolicy } from '../model/credits-policy.js';
import { replayTrials, type TrialDemand } from './over-trials.js';

export interface SweepGrid {
  triggersMicros: number[];
  amountsMicros: number[];
  modes: ('with' | 'to')[];
  delaysSeconds: number[];
  /** Initial fundings to try; null keeps the scenario's. */
  initialsMicros: number[] | null;
}

export interface SweepCell {
  triggerMicros: number;
  amountMicros: number;
  mode: 'with' | 'to';
  delaySeconds: number;
  initialMicros: number;
  /** One per trial. */
  outcomes: Omit<PolicyOutcome, 'dropTimes'>[];
}

export const MAX_SWEEP_CELLS = 100_000;

/** Cells of the grid in order (initial, delay, mode, trigger, amount); "to" cells not above their trigger are left out. */
export function sweepCells(grid: SweepGrid, basePolicy: CreditsPolicy): { cells: Omit<SweepCell, 'outcomes'>[]; skipped: number } {
  const cells: Omit<SweepCell, 'outcomes'>[] = [];
  let skipped = 0;
  for (const initialMicros of grid.initialsMicros ?? [basePolicy.initialMicros]) {
    for (const delaySeconds of grid.delaysSeconds) {
      for (const mode of grid.modes) {
        for (const triggerMicros of grid.triggersMicros) {
          for (const amountMicros of grid.amountsMicros) {
            if (mode === 'to' && amountMicros <= triggerMicros) skipped++;
            else cells.push({ triggerMicros, amountMicros, mode, delaySeconds, initialMicros });
          }
        }
      }
    }
  }
  return { cells, skipped };
}

/**
 * How many cells `sweepCells` makes, from the lists alone: every combination, less the "to" cells
 * whose amount is not above their trigger (counted per trigger by a binary search over the sorted
 * amounts). A product of lists each allowed can be 10^20; nothing of that size is built.
 */
export function countSweepCells(grid: SweepGrid): number {
  const amounts = [...grid.amountsMicros].sort((a, b) => a - b);
  let toPairs = 0;
  for (const trigger of grid.triggersMicros) toPairs += amounts.length - countAtMost(amounts, trigger);
  const pairsPerSetting = grid.modes.reduce((sum, mode) => sum + (mode === 'to' ? toPairs : grid.triggersMicros.length * amounts.length), 0);
  return (grid.initialsMicros?.length ?? 1) * grid.delaysSeconds.length * pairsPerSetting;
}

/** How many of the ascending `values` are at most `limit`. */
function countAtMost(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Every recharge setting of the grid replayed over the credit demand of every trial. The scenario's
 * other recharge settings (comparison, failing card, disabling) apply to every cell.
 */
export function sweep(trials: readonly TrialDemand[], basePolicy: CreditsPolicy, grid: SweepGrid): { cells: SweepCell[]; skipped: number } {
  const { cells, skipped } = sweepCells(grid, basePolicy);
  return { skipped, cells: cells.map((cell) => ({ ...cell, outcomes: replayTrials(trials, cellPolicy(cell, basePolicy)) })) };
}

/** The credits policy of one cell: the scenario's, with the cell's funding and recharge settings. */
export function cellPolicy(cell: Omit<SweepCell, 'outcomes'>, basePolicy: CreditsPolicy): CreditsPolicy {
  const template: RechargePolicy = basePolicy.autoRecharge ?? {
    triggerMicros: 0, amountMicros: 0, mode: 'with', compare: '<', delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null,
  };
  return {
    initialMicros: cell.initialMicros,
    topUps: basePolicy.topUps,
    autoRecharge: { ...template, triggerMicros: cell.triggerMicros, amountMicros: cell.amountMicros, mode: cell.mode, delaySeconds: cell.delaySeconds },
  };
}
