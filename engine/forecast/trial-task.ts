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

/** A trial's demand as typed arrays: transferred from a worker, not copied. */
export interface EncodedTrial {
  trial: number;
  /** Set instead of the arrays when the trial ran in this thread. */
  history?: History;
  startAt: Float64Array;
  poolSeconds: Int32Array;
  creditSeconds: Int32Array;
  flat: Uint8Array;
  amount: Float64Array;
  connection: Float64Array;
  first: Int32Array;
  next: Int32Array;
  fixedDrops: Float64Array;
  pools: History['pools'];
  calls: History['calls'];
  settings: History['settings'];
  policy: History['policy'];
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
  const n = demand.count;
  const encoded: EncodedTrial = {
    trial,
    startAt: Float64Array.from(demand.startAt),
    poolSeconds: Int32Array.from(demand.poolSeconds),
    creditSeconds: Int32Array.from(demand.creditSeconds),
    flat: new Uint8Array(n),
    amount: new Float64Array(n),
    connection: new Float64Array(n),
    first: new Int32Array(n),
    next: new Int32Array(n),
    fixedDrops: Float64Array.from(demand.fixedDrops),
    pools: history.pools,
    calls: history.calls,
    settings: history.settings,
    policy: history.policy,
  };
  demand.pricing.forEach((pricing, index) => {
    if (pricing.kind === 'flat') {
      encoded.flat[index] = 1;
      encoded.amount[index] = pricing.amountMicros;
    } else {
      encoded.amount[index] = pricing.priceMicrosPerMinute;
      encoded.connection[index] = pricing.connectionMicros;
      encoded.first[index] = pricing.firstIncrementSeconds;
      encoded.next[index] = pricing.nextIncrementSeconds;
    }
  });
  return encoded;
}

export function decodeTrial(encoded: EncodedTrial): History {
  const demand = new CreditDemand();
  for (let i = 0; i < encoded.startAt.length; i++) {
    const pricing: CallPricing =
      encoded.flat[i] === 1
        ? { kind: 'flat', amountMicros: encoded.amount[i] as number }
        : { kind: 'rate', priceMicrosPerMinute: encoded.amount[i] as number, connectionMicros: encoded.connection[i] as number, firstIncrementSeconds: encoded.first[i] as number, nextIncrementSeconds: encoded.next[i] as number };
    demand.add(encoded.startAt[i] as number, encoded.poolSeconds[i] as number, encoded.creditSeconds[i] as number, pricing);
  }
  for (const drop of encoded.fixedDrops) demand.fixedDrops.push(drop);
  return { demand, pools: encoded.pools, calls: encoded.calls, settings: encoded.settings, policy: encoded.policy };
}

export function encodedBuffers(encoded: EncodedTrial): ArrayBuffer[] {
  return [encoded.startAt, encoded.poolSeconds, encoded.creditSeconds, encoded.flat, encoded.amount, encoded.connection, encoded.first, encoded.next, encoded.fixedDrops].map((array) => array.buffer as ArrayBuffer);
}

/** The history's columns (and rejected-row marks) copied once into shared memory, read by every worker. */
export function sharedParts(table: CallTable): { parts: CallColumns[]; rejected: Uint8Array[] } {
  const share = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Int16Array | Uint8Array>(array: T): T => {
    const Kind = array.constructor as new (buffer: SharedArrayBuffer) => T;
    const copy = new Kind(new SharedArrayBuffer(array.byteLength));
    (copy as unknown as { set(source: ArrayLike<number>): void }).set(array);
    return copy;
  };
  const parts = table.parts.map((part) => {
    return {
      ...part,
      startAt: share(part.startAt),
      durationSeconds: share(part.durationSeconds), route: share(part.route), allowance: share(part.allowance), service: share(part.service),
      rate: share(part.rate), user: share(part.user), capability: share(part.capability), country: share(part.country),
      recordedMicros: share(part.recordedMicros), line: share(part.line), byteOffset: share(part.byteOffset),
      usageHashHigh: new Uint32Array(0), usageHashLow: new Uint32Array(0),
      users: [], capabilities: [],
    };
  });
  return { parts, rejected: table.rejected.map((marks) => share(marks)) };
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
