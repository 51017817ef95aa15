import { InputError } from '../kernel/errors.js';
import { pieceMicros } from '../rules/increments.js';
import { fullChargeMicros, type CallPricing } from '../rules/pricing.js';
import { PolicyLedger, type CreditDemand, type CreditsPolicy, type LedgerSettings, type PolicyOutcome } from './demand.js';
import type { RechargePolicy } from '../model/credits-policy.js';
import type { EpochMs } from '../kernel/time.js';

/**
 * The credit demand with prefix sums, computed once and shared by every policy replayed over it:
 * charges[i] is what call i costs whole, prefix[i] the sum of the charges before it, and
 * weighted[k] the sum over c < k of prefix[c + 1] x (start[c + 1] - start[c]), for the time-weighted
 * balance of a stretch of calls in O(1).
 */
export interface PreparedDemand {
  demand: CreditDemand;
  startAt: Float64Array;
  /** When call i drops if it can pay nothing: its start, or where its pool part ends. */
  dropAt: Float64Array;
  charges: Float64Array;
  prefix: Float64Array;
  weighted: Float64Array;
  /** Min segment tree over what each call needs to start (connection fee and first increment). */
  firstPieceTree: Float64Array;
  treeSize: number;
}

const preparedByDemand = new WeakMap<CreditDemand, PreparedDemand>();

/** The prepared form of a demand, made by `prepareDemand` once per demand and kept while the demand lives. */
export function cachedPreparedDemand(demand: CreditDemand, minorUnitMicros: number): PreparedDemand {
  let entry = preparedByDemand.get(demand);
  if (entry === undefined) preparedByDemand.set(demand, (entry = prepareDemand(demand, minorUnitMicros)));
  return entry;
}

/** The prefix sums and the segment tree of a demand, made afresh (see `cachedPreparedDemand` to share them). */
export function prepareDemand(demand: CreditDemand, minorUnitMicros: number): PreparedDemand {
  const calls = demand.count;
  const startAt = Float64Array.from(demand.startAt);
  const dropAt = new Float64Array(calls);
  for (let i = 0; i < calls; i++) dropAt[i] = (startAt[i] as number) + (demand.poolSeconds[i] as number) * 1000;
  const charges = new Float64Array(calls);
  const prefix = new Float64Array(calls + 1);
  const weighted = new Float64Array(calls + 1);
  for (let i = 0; i < calls; i++) {
    charges[i] = fullChargeMicros(demand.pricing[i] as CallPricing, demand.creditSeconds[i] as number, minorUnitMicros);
    prefix[i + 1] = (prefix[i] as number) + (charges[i] as number);
  }
  // Past 2^53 micros the sums would round and the searches over them could pick the wrong call.
  if ((prefix[calls] as number) > Number.MAX_SAFE_INTEGER) {
    throw new InputError(`the calls paid from credits cost more than 9007199254.740991 in all, past exact arithmetic: forecast a shorter horizon or less growth`);
  }
  for (let i = 0; i < calls; i++) {
    const gap = i + 1 < calls ? (startAt[i + 1] as number) - (startAt[i] as number) : 0;
    weighted[i + 1] = (weighted[i] as number) + (prefix[i + 1] as number) * gap;
  }
  let treeSize = 1;
  while (treeSize < calls) treeSize *= 2;
  const firstPieceTree = new Float64Array(2 * treeSize).fill(Infinity);
  for (let i = 0; i < calls; i++) firstPieceTree[treeSize + i] = firstPieceMicros(demand.pricing[i] as CallPricing, minorUnitMicros);
  for (let node = treeSize - 1; node >= 1; node--) firstPieceTree[node] = Math.min(firstPieceTree[2 * node] as number, firstPieceTree[2 * node + 1] as number);
  return { demand, startAt, dropAt, charges, prefix, weighted, firstPieceTree, treeSize };
}

/** What a call must pay before it can start: the connection fee and its first increment. */
function firstPieceMicros(pricing: CallPricing, minorUnitMicros: number): number {
  if (pricing.kind === 'flat') return pricing.amountMicros;
  return pieceMicros(pricing.priceMicrosPerMinute, pricing.firstIncrementSeconds, pricing.connectionMicros, minorUnitMicros);
}

/** First index in [from, to) whose first piece is at most `limit`, or `to`: a walk down the segment tree. */
function firstAffordable(prepared: PreparedDemand, from: number, to: number, limit: number): number {
  const tree = prepared.firstPieceTree;
  const size = prepared.treeSize;
  const search = (node: number, low: number, high: number): number => {
    if (high <= from || low >= to || (tree[node] as number) > limit) return to;
    if (high - low === 1) return low;
    const middle = (low + high) >>> 1;
    const left = search(2 * node, low, middle);
    return left < to ? left : search(2 * node + 1, middle, high);
  };
  return search(1, 0, size);
}

/** First index k in [from, to) with values[k] > limit (values ascending), or `to`. */
function firstAbove(values: Float64Array, from: number, to: number, limit: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) > limit) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The same answer as `replayDemand`, skipping from event to event: between two things that can
 * happen (a scheduled expiry, landing or top-up; a posting that reaches the trigger; a call the
 * balance cannot pay whole) every call is paid whole, so a binary search over the prefix sums finds
 * the next such call and the calls before it are posted as one bulk spend. A policy then costs
 * O(events x log calls) instead of O(calls). The calls where something happens go through the
 * ledger one by one, exactly as in the plain replay: in an overdraft the call that takes the
 * balance below zero is one of them, and so are the calls then refused while a recharge may come.
 */
export function replayDemandFast(prepared: PreparedDemand, policy: CreditsPolicy, settings: LedgerSettings, keepDropTimes = false): PolicyOutcome {
  const { demand, startAt, prefix } = prepared;
  const calls = demand.count;
  const recharge = policy.autoRecharge;
  const run = new PolicyLedger(policy, settings);
  const { ledger } = run;
  const drops = new DropTally(demand.fixedDrops, keepDropTimes);
  let i = 0;
  while (i < calls) {
    ledger.advanceTo(startAt[i] as number);
    const funds = ledger.balanceMicros;
    const stop = firstAbove(startAt, i, calls, ledger.nextScheduledAt() - 1);
    const armedRecharge = recharge !== null && ledger.rechargeArmed ? recharge : null;
    const stretchEnd = paidWholeUntil(prefix, i, stop, funds, armedRecharge, settings.exhaustion === 'overdraft');
    if (stretchEnd > i) {
      spendStretch(run, prepared, i, stretchEnd, funds);
      i = stretchEnd;
      continue;
    }
    if (armedRecharge === null) {
      // No recharge can come before the next scheduled event: every call until one the balance
      // can start drops unpaid, as the plain ledger would drop it. An overdraft starts any call
      // while the balance is above zero and none at or below it; a cut needs the first piece.
      const payable = settings.exhaustion === 'overdraft' ? (funds > 0 ? i : stop) : firstAffordable(prepared, i, stop, funds);
      if (payable > i) {
        drops.droppedUnpaid(prepared, i, payable);
        i = payable;
        continue;
      }
    }
    const outcome = ledger.pay({ callIndex: i, startAt: startAt[i] as number, poolSeconds: demand.poolSeconds[i] as number, creditSeconds: demand.creditSeconds[i] as number, pricing: demand.pricing[i] as CallPricing });
    if (outcome.status !== 'paid') drops.byLedger(outcome.status === 'refused' ? outcome.at : outcome.cutAt);
    i++;
  }
  return run.outcome(drops.outcome());
}

/**
 * The end of the stretch [from, end) of calls paid whole from `fundsMicros`, at most `stop`: each
 * fits the balance and, when a recharge is armed, leaves it at or above the trigger. In an
 * overdraft each must also start above zero: a call costing nothing is refused at a balance of 0.
 */
function paidWholeUntil(prefix: Float64Array, from: number, stop: number, fundsMicros: number, armedRecharge: RechargePolicy | null, overdraft: boolean): number {
  const base = prefix[from] as number;
  const fitting = firstAbove(prefix, from + 1, stop + 1, base + fundsMicros) - 1;
  // Prefix sums are whole micros: "spent before the call < funds" is "<= funds - 1".
  const end = overdraft ? Math.min(fitting, firstAbove(prefix, from, stop + 1, base + fundsMicros - 1)) : fitting;
  if (armedRecharge === null) return end;
  const headroomMicros = fundsMicros - armedRecharge.triggerMicros;
  // With "<" a balance landing on the trigger does not fire it; with "<=" it does.
  const limit = armedRecharge.compare === '<' ? base + headroomMicros : base + headroomMicros - 1;
  return Math.min(end, firstAbove(prefix, from + 1, stop + 1, limit) - 1);
}

/**
 * Calls [from, end) posted as one spend. The balance steps down at each call of the stretch:
 * integrate it as the plain replay does, the first step from the last change, the rest from the prefix sums.
 */
function spendStretch(run: PolicyLedger, prepared: PreparedDemand, from: number, end: number, fundsMicros: number): void {
  const { startAt, prefix, weighted } = prepared;
  const base = prefix[from] as number;
  const spentMicros = (prefix[end] as number) - base;
  run.track(startAt[from] as number, run.balance);
  run.area += (fundsMicros + base) * ((startAt[end - 1] as number) - (startAt[from] as number)) - ((weighted[end - 1] as number) - (weighted[from] as number));
  run.lastAt = startAt[end - 1] as number;
  run.ledger.spendInBulk(spentMicros);
  run.balance = fundsMicros - spentMicros;
  if (run.balance < run.minimum) run.minimum = run.balance;
}

/**
 * Drops as a replay meets them. Sweeps drop many calls under bad policies: they are counted and the
 * first kept, and every time only when asked for.
 */
class DropTally {
  count: number;
  /** Drops the policy could have prevented. */
  credit = 0;
  first: EpochMs;
  readonly times: EpochMs[];

  constructor(fixedDrops: readonly EpochMs[], private readonly keepTimes: boolean) {
    this.times = keepTimes ? [...fixedDrops] : [];
    this.count = fixedDrops.length;
    this.first = fixedDrops.reduce((first, time) => Math.min(first, time), Infinity);
  }

  /** A call the ledger refused or cut at `at`. */
  byLedger(at: EpochMs): void {
    this.count++;
    this.credit++;
    if (at < this.first) this.first = at;
    if (this.keepTimes) this.times.push(at);
  }

  /**
   * Calls [from, end), none of which could pay anything: each refused at its start, or cut where its
   * pool part ends. Drop times are at or after their calls' starts, so once the first drop is at or
   * before a call's start no later call can be earlier: the walk for it stops there.
   */
  droppedUnpaid(prepared: PreparedDemand, from: number, end: number): void {
    const { startAt, dropAt } = prepared;
    if (this.keepTimes) for (let call = from; call < end; call++) this.times.push(dropAt[call] as number);
    this.count += end - from;
    this.credit += end - from;
    for (let call = from; call < end && (startAt[call] as number) < this.first; call++) {
      if ((dropAt[call] as number) < this.first) this.first = dropAt[call] as number;
    }
  }

  outcome(): { count: number; credit: number; first: EpochMs | null; times: EpochMs[] } {
    return { count: this.count, credit: this.credit, first: this.first === Infinity ? null : this.first, times: this.times };
  }
}
