import { InputError, place } from '../../kernel/errors.js';
import { readCsvTable } from './csv-table.js';
import { formatMicrosPlain, parseMicros } from '../../kernel/money.js';
import { parseInstant } from '../../kernel/time.js';
import { RATE_SERVICES, type RateRow, type RateService } from '../../model/rate-row.js';
import { RateTable } from '../../rules/rate-table.js';

const REQUIRED = ['service', 'prefix', 'destination', 'per_minute', 'connection_fee', 'currency'] as const;
const MAX_INCREMENT_SECONDS = 3600;
/**
 * The highest price per minute and connection fee a rate row may give: 1000 units of the currency.
 * A call's charge is computed exactly as 2 x (fee x 60 + price x seconds) micros, which must stay
 * below 2^53: at these limits it does for any call of up to 52 days (4,500,000 s).
 */
export const MAX_PER_MINUTE_MICROS = 1_000_000_000;
export const MAX_CONNECTION_FEE_MICROS = 1_000_000_000;

/**
 * Rate table CSV: service,prefix,destination,per_minute,connection_fee,currency
 * [,first_increment_s,next_increment_s,effective_from]. Any bad cell stops the run naming it:
 * a wrong price is never a row to skip. A line that begins with `#` is a comment (`rates infer`
 * says there what a table was learned from).
 */
export function loadRateTables(files: readonly string[], currency: string): RateTable {
  const rows: RateRow[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const tableRow of readCsvTable(file, REQUIRED, { commentLines: true })) {
      const source = place(file, tableRow.line);
      const cell = (name: string): string => tableRow.field(name).trim();
      const bad = (name: string, expected: string): never => {
        throw new InputError(`${source}: ${name} "${cell(name)}" is not ${expected}`);
      };

      const service = cell('service') as RateService;
      if (!RATE_SERVICES.includes(service)) bad('service', `one of ${RATE_SERVICES.join(', ')}`);
      const prefix = cell('prefix').replace(/^\+/, '');
      if (!/^\d{1,15}$/.test(prefix)) bad('prefix', 'E.164 digits (1 to 15, no +)');
      const priceMicrosPerMinute = parseMicros(cell('per_minute'));
      if (priceMicrosPerMinute === undefined || priceMicrosPerMinute < 0) bad('per_minute', 'a non-negative decimal price with at most 6 decimals');
      const connectionMicros = cell('connection_fee') === '' ? 0 : parseMicros(cell('connection_fee'));
      if (connectionMicros === undefined || connectionMicros < 0) bad('connection_fee', 'a non-negative decimal amount with at most 6 decimals');
      const aboveLimit = (name: string, limitMicros: number): never => {
        throw new InputError(`${source}: ${name} "${cell(name)}" is above the limit of ${formatMicrosPlain(limitMicros)} (the most a rate table may charge, so that every call's charge stays exact)`);
      };
      if ((priceMicrosPerMinute as number) > MAX_PER_MINUTE_MICROS) aboveLimit('per_minute', MAX_PER_MINUTE_MICROS);
      if ((connectionMicros as number) > MAX_CONNECTION_FEE_MICROS) aboveLimit('connection_fee', MAX_CONNECTION_FEE_MICROS);
      if (cell('currency').toUpperCase() !== currency) bad('currency', `the scenario's currency ${currency}`);
      const firstIncrementSeconds = incrementSeconds(cell('first_increment_s'), () => bad('first_increment_s', `a whole number of seconds from 1 to ${MAX_INCREMENT_SECONDS}`));
      const nextIncrementSeconds = incrementSeconds(cell('next_increment_s'), () => bad('next_increment_s', `a whole number of seconds from 1 to ${MAX_INCREMENT_SECONDS}`));
      const effectiveFrom = cell('effective_from') === '' ? -Infinity : parseEffectiveFrom(cell('effective_from'));
      if (effectiveFrom === undefined) bad('effective_from', 'a date (2026-03-01) or an ISO 8601 instant');

      const key = `${service}|${prefix}|${effectiveFrom}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new InputError(`${source}: prefix ${prefix} for ${service} is already priced at ${earlier} for the same effective_from`);
      }
      seen.set(key, source);
      rows.push({
        service,
        prefix,
        destination: cell('destination'),
        priceMicrosPerMinute: priceMicrosPerMinute as number,
        connectionMicros: connectionMicros as number,
        firstIncrementSeconds,
        nextIncrementSeconds,
        effectiveFrom: effectiveFrom as number,
        source,
      });
    }
  }
  return new RateTable(rows);
}

function incrementSeconds(text: string, fail: () => never): number {
  if (text === '') return 60;
  if (!/^\d+$/.test(text)) fail();
  const seconds = Number(text);
  if (seconds < 1 || seconds > MAX_INCREMENT_SECONDS) fail();
  return seconds;
}

function parseEffectiveFrom(text: string): number | undefined {
  return parseInstant(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
}
