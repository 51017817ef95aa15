import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cgrAmount, ROUNDING_METHODS, type CgrAmount, type RoundingMethod } from '../../cgrates/cgr-round.js';
import { parseGoDurationNs } from '../../cgrates/go-duration.js';
import { TariffPlan, type MaxCostStrategy, type TariffPlanRows, type TimingRow } from '../../cgrates/tariff-plan.js';
import { InputError, place } from '../../kernel/errors.js';
import { quoted } from '../../kernel/quote.js';
import { parseInstant } from '../../kernel/time.js';
import { readTextFile } from './csv-table.js';

/** One data line of a CGRateS CSV: its fields by position, and how to complain about one. */
interface TpLine {
  cell(index: number): string;
  bad(index: number, expected: string): never;
  source: string;
}

/** Every field's name per file, in CGRateS's column order. */
const COLUMNS = {
  Destinations: ['ID', 'Prefix'],
  Timings: ['ID', 'Years', 'Months', 'MonthDays', 'WeekDays', 'Time'],
  Rates: ['ID', 'ConnectFee', 'Rate', 'RateUnit', 'RateIncrement', 'GroupIntervalStart'],
  DestinationRates: ['ID', 'DestinationId', 'RatesTag', 'RoundingMethod', 'RoundingDecimals', 'MaxCost', 'MaxCostStrategy'],
  RatingPlans: ['ID', 'DestinationRatesId', 'TimingTag', 'Weight'],
  RatingProfiles: ['Tenant', 'Category', 'Subject', 'ActivationTime', 'RatingPlanId', 'RatesFallbackSubject'],
} as const;
type TpFile = keyof typeof COLUMNS;

/**
 * A CGRateS tariff-plan folder: Destinations, Rates, DestinationRates, RatingPlans and
 * RatingProfiles CSV files (Timings optional: `*any` is built in). Lines starting with # and blank
 * lines are skipped, as CGRateS's loader does. Any bad field stops the run naming file:line.
 */
export function loadTariffPlan(folder: string): TariffPlan {
  return new TariffPlan(loadTariffPlanRows(folder));
}

/** The rows of a tariff-plan folder, each field checked, before the references between them are. */
export function loadTariffPlanRows(folder: string): TariffPlanRows {
  return {
    destinations: readTp(folder, 'Destinations', true, (line) => ({ id: id(line, 0), prefix: id(line, 1), source: line.source })),
    timings: readTp(folder, 'Timings', false, timingRow),
    rates: readTp(folder, 'Rates', true, (line) => ({
      id: id(line, 0),
      connectFee: amount(line, 1, true),
      rate: amount(line, 2, false),
      rateUnitNs: duration(line, 3, true),
      rateIncrementNs: duration(line, 4, true),
      groupIntervalStartNs: duration(line, 5, false),
      source: line.source,
    })),
    destinationRates: readTp(folder, 'DestinationRates', true, (line) => ({
      id: id(line, 0),
      destinationId: id(line, 1),
      ratesId: id(line, 2),
      roundingMethod: roundingMethod(line, 3),
      roundingDecimals: wholeNumber(line, 4, 0, 10),
      maxCost: amount(line, 5, true),
      maxCostStrategy: maxCostStrategy(line, 6),
      source: line.source,
    })),
    ratingPlans: readTp(folder, 'RatingPlans', true, (line) => ({ id: id(line, 0), destinationRatesId: id(line, 1), timingId: id(line, 2), weight: weight(line, 3), source: line.source })),
    ratingProfiles: readTp(folder, 'RatingProfiles', true, (line) => ({
      tenant: id(line, 0),
      category: id(line, 1),
      subject: id(line, 2),
      activationMs: instant(line, 3),
      ratingPlanId: id(line, 4),
      fallbackSubjects: line.cell(5) === '' ? [] : line.cell(5).split(';').map((subject) => subject.trim()),
      source: line.source,
    })),
  };
}

function readTp<T>(folder: string, name: TpFile, required: boolean, read: (line: TpLine) => T): T[] {
  const file = join(folder, `${name}.csv`);
  if (!existsSync(file)) {
    if (required) throw new InputError(`${folder}: no ${name}.csv: expected a CGRateS tariff-plan folder with Destinations, Rates, DestinationRates, RatingPlans and RatingProfiles CSV files`);
    return [];
  }
  const columns = COLUMNS[name];
  const out: T[] = [];
  readTextFile(file).split('\n').forEach((text, index) => {
    const trimmed = text.replace(/^\uFEFF/, '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const source = place(file, index + 1);
    if (trimmed.includes('"')) throw new InputError(`${source}: a quoted field: expected plain comma-separated fields, as CGRateS writes them`);
    const fields = trimmed.split(',').map((field) => field.trim());
    if (fields.length !== columns.length) throw new InputError(`${source}: ${fields.length} fields, expected ${columns.length} (${columns.join(',')})`);
    const cell = (at: number) => fields[at] as string;
    const bad = (at: number, expected: string): never => {
      throw new InputError(`${source}: ${columns[at]} ${quoted(cell(at))} is not ${expected}`);
    };
    out.push(read({ cell, bad, source }));
  });
  return out;
}

function id(line: TpLine, at: number): string {
  const value = line.cell(at);
  return value === '' ? line.bad(at, 'an ID: expected a non-empty value') : value;
}

function amount(line: TpLine, at: number, emptyIsZero: boolean): CgrAmount {
  const text = line.cell(at) === '' && emptyIsZero ? '0' : line.cell(at);
  if (!/^\d{1,12}(\.\d{1,12})?$/.test(text)) line.bad(at, 'a non-negative decimal (up to 12 digits each side of the point)');
  return cgrAmount(text);
}

/** Go duration (`60s`, `1m`, `1.5s`); a bare number is nanoseconds; `0` or empty counts as 1 s where `zeroIsSecond`. */
function duration(line: TpLine, at: number, zeroIsSecond: boolean): number {
  const text = line.cell(at) === '' ? '0' : line.cell(at);
  const ns = parseGoDurationNs(text);
  if (ns === undefined) return line.bad(at, 'a duration: a whole number of nanoseconds or a Go duration such as 60s, 1m, 500ms (at most 30 days)');
  return ns === 0 && zeroIsSecond ? 1_000_000_000 : ns;
}

function roundingMethod(line: TpLine, at: number): RoundingMethod {
  const value = line.cell(at) as RoundingMethod;
  return ROUNDING_METHODS.includes(value) ? value : line.bad(at, `a rounding method: expected ${ROUNDING_METHODS.join(', ')}`);
}

function maxCostStrategy(line: TpLine, at: number): MaxCostStrategy {
  const value = line.cell(at);
  return value === '' || value === '*free' || value === '*disconnect' ? value : line.bad(at, 'a MaxCost strategy: expected *free, *disconnect or empty');
}

function wholeNumber(line: TpLine, at: number, low: number, high: number): number {
  const text = line.cell(at);
  const value = Number(text);
  return /^\d+$/.test(text) && value >= low && value <= high ? value : line.bad(at, `a whole number from ${low} to ${high}`);
}

function weight(line: TpLine, at: number): number {
  const text = line.cell(at);
  return /^-?\d{1,9}(\.\d{1,6})?$/.test(text) ? Number(text) : line.bad(at, 'a weight: a decimal number');
}

function instant(line: TpLine, at: number): number {
  return parseInstant(line.cell(at)) ?? line.bad(at, 'an ISO 8601 instant such as 2014-01-14T00:00:00Z');
}

function timingRow(line: TpLine): TimingRow {
  const list = (at: number, low: number, high: number): ReadonlySet<number> | null => {
    const text = line.cell(at);
    if (text === '' || text === '*any') return null;
    const values = text.split(';').map((part) => (/^\d+$/.test(part.trim()) ? Number(part) : NaN));
    if (values.some((value) => !(value >= low && value <= high))) line.bad(at, `*any or ;-separated whole numbers from ${low} to ${high}`);
    return new Set(values);
  };
  const weekDays = list(4, 0, 7);
  const time = line.cell(5);
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (time !== '*asap' && (clock === null || Number(clock[1]) > 23 || Number(clock[2]) > 59 || Number(clock[3]) > 59)) line.bad(5, 'a time of day HH:MM:SS or *asap');
  return {
    id: id(line, 0),
    years: list(1, 1, 9999),
    months: list(2, 1, 12),
    monthDays: list(3, 1, 31),
    // CGRateS takes 7 and 0 both for Sunday.
    weekDays: weekDays === null ? null : new Set([...weekDays].map((day) => day % 7)),
    startOfDayMs: clock === null ? null : ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000,
    source: line.source,
  };
}
