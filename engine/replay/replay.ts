import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { CreditLedger } from '../credits/ledger.js';
import { LedgerSink } from '../credits/ledger-sink.js';
import { InvoiceSink } from '../credits/invoice-sink.js';
import { invariant } from '../kernel/errors.js';
import { seededRandom } from '../kernel/random.js';
import { addCalendarMonths, startOfMonth, type EpochMs } from '../kernel/time.js';
import type { Reject } from '../model/cdr.js';
import { noteNotification, type LedgerEvent } from '../model/events.js';
import { checkTopUps, type Scenario } from '../model/scenario.js';
import type { CallSplit } from '../pools/pool-stage.js';
import { PoolStage } from '../pools/pool-stage.js';
import type { RateTable } from '../rules/rate-table.js';
import { CallPass, type CallObserver, type CallOutcome, type RowRef } from './call-pass.js';
import type { LoadedInputs } from './inputs.js';
import { LedgerTally } from './ledger-tally.js';
import { InvoiceBook } from './invoices.js';
import { MonthLedger } from './months.js';
import { FundingReconciliation, Reconciliation } from './reconciliation.js';
import { emptyAttribution } from '../pools/plan-attribution.js';
import type { ExplainRecord, ReplayResult, RowId } from './result.js';

export interface ReplayInput extends Omit<LoadedInputs, 'duplicates'> {
  /** Keep every ledger event in the result (for --events). */
  keepEvents?: boolean;
  /** Told of every settled call, in replay order, when an explain file is wanted. */
  explain?: (record: ExplainRecord) => void;
  /** Told of every ledger event and every settled call, for reports that chart them (--html). */
  watch?: ReplayWatcher;
}

/** What a report that charts a replay is told, in replay order; it keeps what it needs (per hour, per day). */
export interface ReplayWatcher {
  /** The replay starts: its scenario and period, and the table that prices calls itself (CGRateS) or null, before any event or call. */
  begin(scenario: Scenario, period: Period, pricedRates: RateTable | null): void;
  event(event: LedgerEvent): void;
  call(table: CallTable, part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): void;
  /** The replay starts again from the beginning (a streamed replay gave way): forget what was told. */
  reset(): void;
}

/** The replay's period [start, end). */
export interface Period {
  start: EpochMs;
  end: EpochMs;
}

/**
 * The whole replay, pure: for each call in (start, file, line) order the pool stage draws its
 * pool and hands the rest to the prepaid ledger. Totals, months, drops and the reconciliation are
 * gathered as it goes; nothing per call is kept, so tens of millions of calls need no memory per
 * call beyond their columns.
 */
export function replay(input: ReplayInput): ReplayResult {
  const run = startReplay(input, periodOf(input.table, input.scenario));
  for (let partIndex = 0; partIndex < input.table.parts.length; partIndex++) run.countLicences(partIndex);
  input.table.forEachInOrder(run.visit);
  return run.finish(input.ingestRejects, input.rowsRead);
}

/** A replay under way: calls are visited in replay order, then `finish` closes the ledger. */
export interface ReplayRun {
  /** Counts a part's users towards the licence counts that size pools; before any call of it is visited. */
  countLicences(partIndex: number): void;
  visit(part: CallColumns, index: number, partIndex: number): void;
  /** Rows found so far to have no rate, in replay order (the list grows as calls are visited). */
  readonly unrated: readonly RowRef[];
  finish(ingestRejects: readonly Reject[], rowsRead: number): ReplayResult;
}

/**
 * The replay's state for `period`. Calls must be visited in (start, file, line) order, and a call's
 * month only once every part holding calls of that month has had its licences counted (see
 * PoolStage). A replay fed while the ingest still reads (edge/run/run-replay.ts) relies on that.
 */
export function startReplay(input: Omit<ReplayInput, 'ingestRejects' | 'rowsRead'>, period: Period): ReplayRun {
  const { scenario, table } = input;
  checkTopUps(scenario.file, scenario.credits.topUps, period.start, period.end);
  const months = new MonthLedger(period.start, period.end, scenario.offsetMinutes);
  const tally = new LedgerTally(months, input.keepEvents ?? false);
  const watch = input.watch;
  const pricedRates = scenario.rating.source === 'cgrates' ? input.rates : null;
  watch?.begin(scenario, period, pricedRates);
  const onEvent = watch === undefined ? tally.add : (event: LedgerEvent) => (tally.add(event), watch.event(event));
  const ledger = openLedger(scenario, period.start, onEvent);
  const stage = new PoolStage(table, scenario, input.rules, input.rates, (event) => {
    noteNotification(tally.notifications, event.type, event.at);
    onEvent(event);
  });
  // Postpaid (DOMAIN §8): the credit-funded parts go on monthly invoices; the ledger stays empty.
  const invoiceSink = scenario.billing === 'postpaid' ? new InvoiceSink(scenario.offsetMinutes, scenario.minorUnitMicros, onEvent) : null;
  const invoiceBook = invoiceSink === null ? null : new InvoiceBook(period.start, period.end, scenario.offsetMinutes, pricedRates);
  const observer = new ReplayObserver(input, months, invoiceBook);
  const pass = new CallPass(stage, invoiceSink ?? new LedgerSink(ledger, onEvent), scenario.minorUnitMicros, observer);
  const finish = (ingestRejects: readonly Reject[], rowsRead: number): ReplayResult => {
    const totals = ledger.close(period.end);
    const invoices = invoiceBook?.invoices() ?? [];
    if (invoiceSink !== null) InvoiceBook.check(invoices, invoiceSink.invoicedMicrosByMonth, invoiceSink.totalMicros, invoiceSink.calls);
    markUnrated(table, pass.unrated);
    const result: ReplayResult = {
      currency: scenario.currency,
      minorDigits: scenario.minorDigits,
      source: scenario.rating.source,
      billing: scenario.billing,
      invoices,
      warnings: stage.warnings(),
      start: period.start,
      end: period.end,
      calls: { read: rowsRead, rejected: ingestRejects.length + pass.unrated.length, ...pass.counts },
      credits: creditsOf(totals, tally, ledger.heldExpiringAt(period.end)),
      notifications: tally.notifications,
      drops: pass.counts.refused + pass.counts.cut,
      firstDrop: pass.firstDrop,
      months: months.summary(),
      pools: stage.report(),
      rejects: [...ingestRejects],
      rejectCounts: {},
      events: tally.events,
      notableEvents: tally.notableEvents,
      eventCalls: observer.eventCalls,
      unrated: pass.unrated,
      reconciliation: observer.reconciliation.rows(),
      fundingDifferences: observer.funding.rows(),
      attribution: input.attribution ?? emptyAttribution(),
    };
    checkAccounting(result, tally);
    return result;
  };
  return { countLicences: (partIndex) => stage.countLicences(partIndex), visit: pass.visit, unrated: pass.unrated, finish };
}

/** The credits equation and the purchases of a closed ledger. */
function creditsOf(totals: ReturnType<CreditLedger['close']>, tally: LedgerTally, expiringAtEndMicros: number): ReplayResult['credits'] {
  return {
    fundedMicros: totals.fundedMicros,
    spentMicros: totals.spentMicros,
    forfeitedMicros: totals.forfeitedMicros,
    closingMicros: totals.balanceMicros,
    recharges: tally.recharges,
    rechargeFailures: tally.rechargeFailures,
    topUps: tally.topUps,
    autoRechargeDisabledAt: tally.disabledAt,
    expiringAtEndMicros,
  };
}

/** The prepaid ledger of a scenario, with its initial funding bought at the start. */
function openLedger(scenario: Scenario, start: EpochMs, onEvent: LedgerTally['add']): CreditLedger {
  const ledger = new CreditLedger(
    {
      minorUnitMicros: scenario.minorUnitMicros,
      exhaustion: scenario.credits.exhaustion,
      offsetMinutes: scenario.offsetMinutes,
      expiryMonths: scenario.credits.expiryMonths,
      minimumPurchaseMicros: scenario.credits.minimumPurchaseMicros,
      recharge: scenario.credits.autoRecharge,
    },
    seededRandom(scenario.seed),
    onEvent,
    scenario.credits.topUps,
  );
  if (scenario.credits.initialMicros > 0) ledger.purchase(start, scenario.credits.initialMicros, 'initial');
  return ledger;
}

/** What a replay keeps of each settled call: drops by month, the reconciliation, explain records, event rows. */
class ReplayObserver implements CallObserver {
  readonly reconciliation = new Reconciliation();
  readonly funding: FundingReconciliation;
  readonly eventCalls = new Map<number, RowId>();
  /** One record for every call: the explain file reads it when given it. */
  private record: ExplainRecord | null = null;

  constructor(
    private readonly input: Omit<ReplayInput, 'ingestRejects' | 'rowsRead'>,
    private readonly months: MonthLedger,
    private readonly invoices: InvoiceBook | null = null,
  ) {
    this.funding = new FundingReconciliation(input.table, input.rules.allowances, input.rates);
  }

  called(part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): void {
    const { input } = this;
    if (outcome.dropAt !== null) this.months.addDrop(outcome.dropAt);
    this.invoices?.add(part, index, split, outcome);
    if (input.keepEvents && (split.kind === 'credits' || split.kind === 'unlicensed')) {
      this.eventCalls.set(outcome.callIndex, { file: input.table.source(part).file, line: part.line[index] as number });
    }
    const recorded = part.recordedMicros[index] as number;
    if (input.scenario.rating.source === 'rates' && recorded >= 0) this.reconciliation.add(recorded, split.rate, split.creditSeconds, outcome.chargeMicros);
    this.funding.called(part, index, split.route, split.poolSeconds, split.creditSeconds);
    if (input.explain !== undefined) input.explain(this.recordOf(part, index, split, outcome));
    input.watch?.call(input.table, part, index, split, outcome);
  }

  private recordOf(part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): ExplainRecord {
    const record = (this.record ??= { table: this.input.table, part, index, split, outcome });
    record.part = part;
    record.index = index;
    return record;
  }
}

/** Rows found to have no rate are marked rejected in the table, so that no later reader takes them. */
export function markUnrated(table: CallTable, unrated: readonly RowRef[]): void {
  for (const { partIndex, index } of unrated) (table.rejected[partIndex] as Uint8Array)[index] = 1;
}

/** The replay period [start, end): the scenario's, or the calendar months the accepted calls span. */
export function periodOf(table: CallTable, scenario: Scenario): Period {
  let first = Infinity;
  let last = -Infinity;
  if (scenario.start === null || scenario.end === null) {
    table.parts.forEach((part, partIndex) => {
      const rejected = table.rejected[partIndex] as Uint8Array;
      for (let i = 0; i < part.count; i++) {
        if (rejected[i] === 1) continue;
        const at = part.startAt[i] as number;
        if (at < first) first = at;
        if (at > last) last = at;
      }
    });
  }
  const start = scenario.start ?? (first === Infinity ? null : startOfMonth(first, scenario.offsetMinutes));
  const end = scenario.end ?? (last === -Infinity ? null : addCalendarMonths(startOfMonth(last, scenario.offsetMinutes), 1, scenario.offsetMinutes));
  invariant(start !== null && end !== null, () => 'a replay with no calls needs start and end');
  return { start, end: Math.max(end, start + 1) };
}

/** Every row read is rejected or funded one way. */
export function checkRowsAccounted(calls: ReplayResult['calls']): void {
  const used = calls.rejected + calls.free + calls.pool + calls.credits + calls.refused + calls.cut;
  invariant(used === calls.read, () => `rows read ${calls.read} but ${used} accounted for`);
}

/** The second conservation check, from the event stream alone: every row and every micro accounted for. */
function checkAccounting(result: ReplayResult, tally: LedgerTally): void {
  const { credits } = result;
  checkRowsAccounted(result.calls);
  const { fundedMicros: funded, spentMicros: spent, forfeitedMicros: forfeited } = tally;
  invariant(funded === credits.fundedMicros && spent === credits.spentMicros && forfeited === credits.forfeitedMicros, () => 'event stream disagrees with the ledger totals');
  invariant(funded === spent + forfeited + credits.closingMicros, () => `events: funded ${funded} != spent ${spent} + forfeited ${forfeited} + closing ${credits.closingMicros}`);
  const last = result.months[result.months.length - 1];
  invariant(last === undefined || last.closingMicros === credits.closingMicros, () => 'monthly closing disagrees with the ledger');
}
