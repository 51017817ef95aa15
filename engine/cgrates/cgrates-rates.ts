import { InputError } from '../kernel/errors.js';
import { RATE_SERVICES, type RateRow } from '../model/rate-row.js';
import type { CgratesRating } from '../model/scenario.js';
import type { CallPricing, CreditPricer } from '../rules/pricing.js';
import { RateTable } from '../rules/rate-table.js';
import { Exact } from './cgr-round.js';
import { rateCall } from './rate-call.js';
import { TariffPlan, type TariffPlanRows } from './tariff-plan.js';

/**
 * A CGRateS tariff plan behind the rate table's door. Ingest's lookup finds, per call, the longest
 * Destinations prefix of its number (a row per prefix, plus one for none): every shorter prefix
 * CGRateS may walk down to is a prefix of it, so the row is all the pool stage needs of the number.
 * The pool stage then asks the pricer for the credit-funded part: rated as CGRateS rates a call
 * starting when that part starts (after the pool minutes) and lasting as long, so its time of day
 * picks the timing, with its own connect fee, as every credit-funded part has here.
 */
export function cgratesRateTable(rows: TariffPlanRows, rating: CgratesRating): RateTable {
  // Teams numbers are E.164 digits: a prefix's + is dropped, and a prefix that is not digits
  // (voicemail) stays in the plan, for its references, but gets no row, so no number finds it.
  const destinations = rows.destinations.map((row) => ({ ...row, prefix: row.prefix.replace(/^\+/, '') }));
  const plan = new TariffPlan({ ...rows, destinations });
  const rateRows: RateRow[] = [];
  const prefixes = [{ prefix: '', source: `${rating.tariffPlan} (no Destinations prefix: *any)` }];
  const seen = new Set(['']);
  for (const row of destinations) {
    if (seen.has(row.prefix) || !/^\d{1,32}$/.test(row.prefix)) continue;
    seen.add(row.prefix);
    prefixes.push({ prefix: row.prefix, source: row.source });
  }
  for (const service of RATE_SERVICES) {
    for (const { prefix, source } of prefixes) {
      const destination = (plan.destinationsByPrefix.get(prefix) ?? ['*any']).join(';');
      rateRows.push({ service, prefix, destination, priceMicrosPerMinute: 0, connectionMicros: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60, effectiveFrom: -Infinity, source });
    }
  }
  return new RateTable(rateRows, new CgratesPricer(plan, rating, rateRows));
}

class CgratesPricer implements CreditPricer {
  constructor(
    private readonly plan: TariffPlan,
    private readonly rating: CgratesRating,
    private readonly rows: readonly RateRow[],
  ) {}

  price(rateIndex: number, user: string, creditStartAt: number, creditSeconds: number): CallPricing | null {
    const { rating } = this;
    const cost = rateCall(this.plan, {
      tenant: rating.tenant,
      category: rating.category,
      subject: rating.subject === 'upn' ? user : rating.subject,
      destination: (this.rows[rateIndex] as RateRow).prefix,
      startMs: creditStartAt,
      offsetMinutes: rating.offsetMinutes,
      usageNs: creditSeconds * 1_000_000_000,
      voice: true,
      incrementDecimals: 5,
      costApi: 'responder',
    });
    if ('error' in cost) return null;
    // Every charge is whole minor units of the currency: CGRateS's cost rounded half-up to one.
    const units = cost.cost.times(1_000_000).div(rating.minorUnitMicros).toDecimalPlaces(0, Exact.ROUND_HALF_UP);
    const amountMicros = units.times(rating.minorUnitMicros).toNumber();
    if (!Number.isSafeInteger(amountMicros)) throw new InputError(`${rating.tariffPlan}: a call costs ${cost.cost.toFixed()}, too large to count exactly`);
    return { kind: 'flat', amountMicros };
  }
}
