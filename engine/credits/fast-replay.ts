import { pieceMicros } from '../rules/increments.js';
import { fullChargeMicros, type CallPricing } from '../rules/pricing.js';
import { PolicyLedger, type CreditDemand, type CreditsPolicy, type LedgerSettings, type PolicyOutcome } from './demand.js';

/**
 * The credit demand with prefix sums, computed once and shared by every policy replayed over it:
 * charges[i] is what call i costs whole, prefix[i] the sum of the charges before it, and
 * weighted[k] the sum over c < k of prefix[c + 1] x (start[c + 1] - start[c]), for the time-weighted
 * balance of a stretch of calls in O(1).
 */
export interface PreparedDemand {
  demand: CreditDemand;
  startAt: Float64Array;
  charges: Float64Array;
  prefix: Float64Array;
  weighted: Float64Array;
  /** Min segment tree over what each call needs to start (connection fee and first increment). */
  firstPieceTree: Float64Array;
  treeSize: number;
}

const prepared = new WeakMap<CreditDemand, PreparedDemand>();

/** The prepared form of a demand, made once and kept while the demand lives. */
export function preparedDemand(demand: CreditDemand, minorUnitMicros: number): PreparedDemand {
  let entry = prepared.get(demand);
  if (entry === undefined) prepared.set(demand, (entry = prepareDemand(demand, minorUnitMicros)));
  return entry;
}

export function prepareDemand(demand: CreditDemand, minorUnitMicros: number): PreparedDemand {
  const n = demand.count;
  const startAt = Float64Array.from(demand.startAt);
  const charges = new Float64Array(n);
  const prefix = new Float64Array(n + 1);
  const weighted = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    charges[i] = fullChargeMicros(demand.pricing[i] as CallPricing, demand.creditSeconds[i] as number, minorUnitMicros);
    prefix[i + 1] = (prefix[i] as number) + (charges[i] as number);
  }
  for (let i = 0; i < n; i++) {
    const gap = i + 1 < n ? (startAt[i + 1] as number) - (startAt[i] as number) : 0;
    weighted[i + 1] = (weighted[i] as number) + (prefix[i + 1] as number) * gap;
  }
  let treeSize = 1;
  while (treeSize < n) treeSize *= 2;
  const firstPieceTree = new Float64Array(2 * treeSize).fill(Infinity);
  for (let i = 0; i < n; i++) firstPieceTree[treeSize + i] = firstPieceMicros(demand.pricing[i] as CallPricing, minorUnitMicros);
  for (let node = treeSize - 1; node >= 1; node--) firstPieceTree[node] = Math.min(firstPieceTree[2 * node] as number, firstPieceTree[2 * node + 1] as number);
  return { demand, startAt, charges, prefix, weighted, firstPieceTree, treeSize };
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
 * ledger one by one, exactly as in the plain replay.
 */
export function replayDemandFast(prepared: PreparedDemand, policy: CreditsPolicy, settings: LedgerSettings, keepDropTimes = false): PolicyOutcome {
  const { demand, startAt, prefix, weighted } = prepared;
  const n = demand.count;
  const recharge = policy.autoRecharge;
  const run = new PolicyLedger(policy, settings);
  const { ledger } = run;

  // Sweeps drop many calls under bad policies: count them and keep the first, not every time.
  const dropTimes: number[] = keepDropTimes ? [...demand.fixedDrops] : [];
  let drops = demand.fixedDrops.length;
  let firstDrop = demand.fixedDrops.reduce((first, time) => Math.min(first, time), Infinity);
  const dropAt = (time: number) => {
    drops++;
    if (time < firstDrop) firstDrop = time;
    if (keepDropTimes) dropTimes.push(time);
  };
  let creditDrops = 0;
  let i = 0;
  while (i < n) {
    const at = startAt[i] as number;
    ledger.advanceTo(at);
    const funds = ledger.balanceMicros;
    const base = prefix[i] as number;
    const stop = firstAbove(startAt, i, n, ledger.nextScheduledAt() - 1);
    // Calls [i, m) are paid whole: each fits the balance and, when a recharge is armed, leaves it at or above the trigger.
    let m = firstAbove(prefix, i + 1, stop + 1, base + funds) - 1;
    if (recharge !== null && ledger.rechargeArmed) {
      const headroom = funds - recharge.triggerMicros;
      const reaching = recharge.compare === '<' ? firstAbove(prefix, i + 1, stop + 1, base + headroom) - 1 : firstAbove(prefix, i + 1, stop + 1, base + headroom - 1) - 1;
      m = Math.min(m, reaching);
    }
    if (m > i) {
      const spent = (prefix[m] as number) - base;
      // The balance steps down at each call of the stretch: integrate it as the plain replay does,
      // the first step from the last change, the rest from the prefix sums.
      run.track(startAt[i] as number, run.balance);
      run.area += (funds + base) * ((startAt[m - 1] as number) - (startAt[i] as number)) - ((weighted[m - 1] as number) - (weighted[i] as number));
      run.lastAt = startAt[m - 1] as number;
      ledger.spendInBulk(spent);
      run.balance = funds - spent;
      if (run.balance < run.minimum) run.minimum = run.balance;
      i = m;
      continue;
    }
    if (!(recharge !== null && ledger.rechargeArmed)) {
      // No recharge can come before the next scheduled event: every call until one the balance
      // can start is refused at its start, as the plain ledger would refuse it.
      const payable = firstAffordable(prepared, i, stop, funds);
      if (payable > i) {
        if (keepDropTimes) for (let call = i; call < payable; call++) dropTimes.push(startAt[call] as number);
        drops += payable - i;
        if ((startAt[i] as number) < firstDrop) firstDrop = startAt[i] as number;
        creditDrops += payable - i;
        i = payable;
        continue;
      }
    }
    const outcome = ledger.pay({ callIndex: i, startAt: at, poolSeconds: demand.poolSeconds[i] as number, creditSeconds: demand.creditSeconds[i] as number, pricing: demand.pricing[i] as CallPricing });
    if (outcome.status === 'refused') dropAt(outcome.at);
    else if (outcome.status === 'cut') dropAt(outcome.cutAt);
    if (outcome.status !== 'paid') creditDrops++;
    i++;
  }
  return run.outcome({ count: drops, credit: creditDrops, first: firstDrop === Infinity ? null : firstDrop, times: dropTimes });
}
