import type { CallColumns } from '../columns/call-columns.js';
import { CallTable, type RowSource } from '../columns/call-table.js';
import { CreditDemand, type CreditsPolicy, type PolicyOutcome } from '../credits/demand.js';
import { prepareDemand, replayDemandFast } from '../credits/fast-replay.js';
import type { CallPricing } from '../rules/pricing.js';
import type { RateTable } from '../rules/rate-table.js';
import type { Rules } from '../rules/classify.js';
import type { LoadedInputs } from '../replay/inputs.js';
import type { Scenario } from '../model/scenario.js';
import type { EpochMs } from '../kernel/time.js';
import { bootstrapTable, indexDays, type DayIndex } from './bootstrap.js';
import { scaleTraffic, type GrowthPlan } from './growth.js';
import { historyOf, type History } from './history.js';
import { planRepeat, repeatTable } from './repeat.js';

/** What one trial needs, as plain data that can cross to a worker thread. */
export interface TrialPlan {
  model: 'repeat' | 'bootstrap';
  start: EpochMs;
  end: EpochMs;
  seed: number;
  growth: GrowthPlan;
}

/**
 * A trial's demand as typed arrays, transferred from a worker, not copied. A call's pricing is
 * either flat or per minute: `isFlat` says which, and `amountOrPerMinuteMicros` holds the flat
 * amount or the price per minute accordingly; the other pricing columns are set for per-minute calls only.
 */
export interface EncodedTrial {
  trial: number;
  startAt: Float64Array;
  poolSeconds: Int32Array;
  creditSeconds: Int32Array;
  isFlat: Uint8Array;
  amountOrPerMinuteMicros: Float64Array;
  connectionMicros: Float64Array;
  firstIncrementSeconds: Int32Array;
  nextIncrementSeconds: Int32Array;
  fixedDrops: Float64Array;
  pools: History['pools'];
  calls: History['calls'];
  settings: History['settings'];
  policy: History['policy'];
  warnings: History['warnings'];
}

/** One trial of future traffic, replayed up to the ledger. Pure but for its seeded draws. */
export function trialHistory(inputs: LoadedInputs, plan: TrialPlan, days: DayIndex | null, trial: number): History {
  const { table, scenario } = inputs;
  const projected = plan.model === 'repeat' ? repeatTable(table, planRepeat(table, plan.start, plan.end), plan.start, plan.end) : bootstrapTable(table, days ?? indexDays(table, scenario.offsetMinutes), plan.start, plan.end, plan.seed, trial);
  const trialTable = scaleTraffic(projected, plan.growth, plan.start, scenario.offsetMinutes, plan.seed, trial);
  let rows = 0;
  trialTable.rejected.forEach((skip) => skip.forEach((flag) => (rows += flag === 0 ? 1 : 0)));
  return historyOf({ ...inputs, table: trialTable, ingestRejects: [], rowsRead: rows, scenario: { ...scenario, start: plan.start, end: plan.end, headcount: [...plan.growth.headcount] } });
}

export function encodeTrial(trial: number, history: History): EncodedTrial {
  const { demand } = history;
  const calls = demand.count;
  const encoded: EncodedTrial = {
    trial,
    startAt: Float64Array.from(demand.startAt),
    poolSeconds: Int32Array.from(demand.poolSeconds),
    creditSeconds: Int32Array.from(demand.creditSeconds),
    isFlat: new Uint8Array(calls),
    amountOrPerMinuteMicros: new Float64Array(calls),
    connectionMicros: new Float64Array(calls),
    firstIncrementSeconds: new Int32Array(calls),
    nextIncrementSeconds: new Int32Array(calls),
    fixedDrops: Float64Array.from(demand.fixedDrops),
    pools: history.pools,
    calls: history.calls,
    settings: history.settings,
    policy: history.policy,
    warnings: history.warnings,
  };
  demand.pricing.forEach((pricing, index) => {
    if (pricing.kind === 'flat') {
      encoded.isFlat[index] = 1;
      encoded.amountOrPerMinuteMicros[index] = pricing.amountMicros;
    } else {
      encoded.amountOrPerMinuteMicros[index] = pricing.priceMicrosPerMinute;
      encoded.connectionMicros[index] = pricing.connectionMicros;
      encoded.firstIncrementSeconds[index] = pricing.firstIncrementSeconds;
      encoded.nextIncrementSeconds[index] = pricing.nextIncrementSeconds;
    }
  });
  return encoded;
}

export function decodeTrial(encoded: EncodedTrial): History {
  const demand = new CreditDemand();
  for (let call = 0; call < encoded.startAt.length; call++) {
    const pricing: CallPricing =
      encoded.isFlat[call] === 1
        ? { kind: 'flat', amountMicros: encoded.amountOrPerMinuteMicros[call] as number }
        : {
            kind: 'rate',
            priceMicrosPerMinute: encoded.amountOrPerMinuteMicros[call] as number,
            connectionMicros: encoded.connectionMicros[call] as number,
            firstIncrementSeconds: encoded.firstIncrementSeconds[call] as number,
            nextIncrementSeconds: encoded.nextIncrementSeconds[call] as number,
          };
    demand.add(encoded.startAt[call] as number, encoded.poolSeconds[call] as number, encoded.creditSeconds[call] as number, pricing);
  }
  for (const drop of encoded.fixedDrops) demand.fixedDrops.push(drop);
  return { demand, pools: encoded.pools, calls: encoded.calls, settings: encoded.settings, policy: encoded.policy, warnings: encoded.warnings };
}

export function encodedBuffers(encoded: EncodedTrial): ArrayBuffer[] {
  const { startAt, poolSeconds, creditSeconds, isFlat, amountOrPerMinuteMicros, connectionMicros, firstIncrementSeconds, nextIncrementSeconds, fixedDrops } = encoded;
  return [startAt, poolSeconds, creditSeconds, isFlat, amountOrPerMinuteMicros, connectionMicros, firstIncrementSeconds, nextIncrementSeconds, fixedDrops].map((array) => array.buffer as ArrayBuffer);
}

/** The history's columns (and rejected-row marks) copied once into shared memory, read by every worker. */
export function sharedParts(table: CallTable): { parts: CallColumns[]; rejected: Uint8Array[] } {
  const toShared = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Int16Array | Uint8Array>(array: T): T => {
    const Kind = array.constructor as new (buffer: SharedArrayBuffer) => T;
    const copy = new Kind(new SharedArrayBuffer(array.byteLength));
    (copy as unknown as { set(source: ArrayLike<number>): void }).set(array);
    return copy;
  };
  const parts = table.parts.map((part) => {
    return {
      ...part,
      startAt: toShared(part.startAt),
      durationSeconds: toShared(part.durationSeconds), route: toShared(part.route), allowance: toShared(part.allowance), service: toShared(part.service),
      rate: toShared(part.rate), user: toShared(part.user), capability: toShared(part.capability), country: toShared(part.country),
      recordedMicros: toShared(part.recordedMicros), line: toShared(part.line), byteOffset: toShared(part.byteOffset),
      usageHashHigh: new Uint32Array(0), usageHashLow: new Uint32Array(0),
      users: [], capabilities: [],
    };
  });
  return { parts, rejected: table.rejected.map((marks) => toShared(marks)) };
}

/** A table in a worker: the shared columns, with rows rejected on the main thread marked again. */
export function tableInWorker(parts: CallColumns[], rejectedRows: Uint8Array[], users: string[], capabilities: string[]): CallTable {
  const files = Math.max(0, ...parts.map((part) => part.fileIndex)) + 1;
  const sources: RowSource[] = Array.from({ length: files }, () => ({ file: '', raw: () => '', usageId: () => '', describe: () => ({ usageId: '', callType: '', number: '' }), close: () => {} }));
  const table = new CallTable(parts.map((part) => ({ ...part, users, capabilities })), users, capabilities, sources);
  rejectedRows.forEach((marks, index) => (table.rejected[index] as Uint8Array).set(marks));
  return table;
}

export interface TrialTask {
  parts: CallColumns[];
  rejected: Uint8Array[];
  users: string[];
  capabilities: string[];
  scenario: Scenario;
  plan: TrialPlan;
  trials: number[];
  /** When given (a sweep), the worker replays these policies over each trial and returns only their outcomes. */
  policies: CreditsPolicy[] | null;
}

/** A policy's outcome in one trial, without the list of drop times (a sweep needs only the first). */
export type TrialOutcome = Omit<PolicyOutcome, 'dropTimes'>;

export interface SweptTrial {
  trial: number;
  outcomes: TrialOutcome[];
}

/** The worker's side: rebuild the inputs from shared columns, run its trials, encode them (or sweep them). */
export function runTrialTask(task: TrialTask, rules: Rules, rates: RateTable | null): EncodedTrial[] | SweptTrial[] {
  const table = tableInWorker(task.parts, task.rejected, task.users, task.capabilities);
  const inputs: LoadedInputs = { table, ingestRejects: [], rowsRead: table.count, duplicates: 0, scenario: task.scenario, rules, rates };
  const days = task.plan.model === 'bootstrap' ? indexDays(table, task.scenario.offsetMinutes) : null;
  const { policies } = task;
  if (policies !== null) return task.trials.map((trial) => ({ trial, outcomes: sweepTrial(trialHistory(inputs, task.plan, days, trial), policies) }));
  return task.trials.map((trial) => encodeTrial(trial, trialHistory(inputs, task.plan, days, trial)));
}

/** Every policy over one trial's demand, with the event-skipping replay. */
export function sweepTrial(history: History, policies: readonly CreditsPolicy[]): TrialOutcome[] {
  const prepared = prepareDemand(history.demand, history.settings.minorUnitMicros);
  return policies.map((policy) => {
    const { dropTimes: _dropTimes, ...outcome } = replayDemandFast(prepared, policy, history.settings);
    return outcome;
  });
}
