import { formatMicros, formatMicrosPlain } from '../kernel/money.js';
import { formatInstant } from '../kernel/time.js';
import { freeReasonOf } from '../model/route.js';
import { poolLabel } from '../pools/pool-book.js';
import type { CallSplit } from '../pools/pool-stage.js';
import { UNLICENSED_CUT_WHY, UNLICENSED_WHY, type CallOutcome } from '../replay/call-pass.js';
import type { ExplainRecord, ExplainRow } from '../replay/result.js';
import { creditsWhy } from '../rules/classify.js';

/** One settled call as the explain file's row: every figure needed to redo its charge by hand. */
export function explainRow(record: ExplainRecord, minorDigits: number): ExplainRow {
  const { table, part, index, split, outcome } = record;
  const source = table.source(part);
  const described = source.describe(part, index);
  const money = (micros: number): string => formatMicros(micros, minorDigits);
  const rate = split.rate;
  const userName = table.users[part.user[index] as number] ?? '';
  return {
    file: source.file,
    line: part.line[index] as number,
    usage_id: described.usageId,
    start: formatInstant(part.startAt[index] as number),
    call_type: described.callType,
    user: userName,
    number: described.number,
    duration_s: part.durationSeconds[index] as number,
    recorded_capability: table.capabilities[(part.recordedCapability ?? part.capability)[index] as number] ?? '',
    capability: table.capabilities[part.capability[index] as number] ?? '',
    funding: outcome.funding,
    why: whyOf(split, outcome),
    pool: split.pool === null ? '' : poolLabel(split.pool, userName),
    pool_s: split.poolSeconds,
    credit_s: split.creditSeconds,
    rate_row: rate?.source ?? '',
    destination: rate?.destination ?? '',
    per_minute: rate === null ? '' : formatMicrosPlain(rate.priceMicrosPerMinute),
    connection_fee: rate === null ? '' : formatMicrosPlain(rate.connectionMicros),
    increments: rate === null ? '' : `${rate.firstIncrementSeconds}/${rate.nextIncrementSeconds}`,
    billed_s: outcome.billedSeconds,
    charge: split.creditSeconds > 0 || outcome.chargeMicros > 0 ? money(outcome.chargeMicros) : '',
    paid: outcome.paidMicros > 0 ? money(outcome.paidMicros) : '',
    lots: outcome.lots.map((share) => `lot ${share.lotId}: ${money(share.amountMicros)}`).join('; '),
    dropped_at: outcome.dropAt === null ? '' : formatInstant(outcome.dropAt),
  };
}

/** Why the call was funded as it was, in words. */
function whyOf(split: CallSplit, outcome: CallOutcome): string {
  switch (split.kind) {
    case 'free':
      if (split.basis === 'unanswered') return 'unanswered (0 seconds)';
      return split.basis === 'no-charge-recorded' ? 'no charge recorded' : freeReasonOf(split.route);
    case 'pool':
      return split.basis === 'no-charge-recorded' ? 'no charge recorded; drawn from the pool' : 'covered by the pool';
    case 'unlicensed':
      return outcome.funding === 'cut' ? UNLICENSED_CUT_WHY : UNLICENSED_WHY;
    case 'credits':
    case 'no-rate': {
      const why = recordedWhy(split.basis) ?? creditsWhy(split.route, split.allowance);
      if (outcome.funding === 'refused') return `${why}; balance too low`;
      return outcome.funding === 'cut' ? `${why}; credits ran out` : why;
    }
  }
}

/** The words for a part priced at the export's own charge; null for a re-rated one. */
function recordedWhy(basis: CallSplit['basis']): string | null {
  if (basis === 'recorded-charge') return 'recorded charge';
  // Not "no charge recorded": the export says the call was charged, less than one minor unit.
  if (basis === 'recorded-charge-below-unit') return 'recorded charge under one minor unit, rounded to 0';
  return null;
}
