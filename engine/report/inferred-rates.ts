import { formatMicrosPlain } from '../kernel/money.js';
import { formatInstant, type EpochMs } from '../kernel/time.js';
import type { InferredRate } from '../infer/charged-row.js';
import type { Inference, Misfit } from '../infer/infer-rates.js';
import { amountAtLeastMinor } from './amounts.js';
import { csvRows, type CsvColumns } from './csv-cells.js';

/** Where the rates were learned from, for the rate file's comment header and the summary. */
export interface InferenceSource {
  files: readonly string[];
  currency: string;
  minorDigits: number;
  rowsRead: number;
  rejected: number;
}

/** A date when the instant is a UTC midnight (the loader reads both), else the ISO instant. */
export function effectiveFromText(at: EpochMs): string {
  if (at === -Infinity) return '';
  const text = formatInstant(at);
  return text.endsWith('T00:00:00Z') ? text.slice(0, 10) : text;
}

/** One comment line: control characters in a file name would start a line of their own. */
function comment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `# ${text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?')}\n`;
}

const RATE_COLUMNS: CsvColumns<'service' | 'prefix' | 'destination' | 'per_minute' | 'connection_fee' | 'currency' | 'first_increment_s' | 'next_increment_s' | 'effective_from'> = [
  ['service', 'text'], ['prefix', 'text'], ['destination', 'text'], ['per_minute', 'number'], ['connection_fee', 'number'], ['currency', 'text'],
  ['first_increment_s', 'number'], ['next_increment_s', 'number'], ['effective_from', 'text'],
];

/** The rate table creditcast reads (edge/load/load-rates.ts), after comment lines saying it was inferred and from what. */
export function inferredRatesCsv(inference: Inference, source: InferenceSource): string {
  const { counts } = inference;
  const header = [
    comment('Inferred by creditcast rates infer from the recorded charges (Charge + Connection Fee) of these CDR files, not a published price list:'),
    ...source.files.map((file) => comment(`  ${file}`)),
    comment(`${source.rowsRead} rows read, ${source.rejected} rejected; ${counts.learnedFrom} wholly credit-funded charged rows learned from, ${counts.fit} reproduced to the ${source.currency} minor unit; ${inference.misfits.length} rows listed as misfits.`),
    comment(`A charge is fee + price x billed seconds / 60, rounded half-up to ${source.minorDigits} decimals; each row is the simplest price, fee and increments that reproduce its rows.`),
  ].join('');
  const rows = inference.table.map((row) => ({
    service: row.service,
    prefix: row.prefix,
    destination: row.destination,
    per_minute: formatMicrosPlain(row.rate.priceMicrosPerMinute),
    connection_fee: formatMicrosPlain(row.rate.connectionMicros),
    currency: source.currency,
    first_increment_s: row.rate.firstIncrementSeconds,
    next_increment_s: row.rate.nextIncrementSeconds,
    effective_from: effectiveFromText(row.effectiveFrom),
  }));
  return header + csvRows(RATE_COLUMNS, rows);
}

/** "60/60 at 0.03 + 0.05" */
export function rateText(rate: InferredRate): string {
  const fee = rate.connectionMicros === 0 ? '' : ` + ${formatMicrosPlain(rate.connectionMicros)}`;
  return `${rate.firstIncrementSeconds}/${rate.nextIncrementSeconds} at ${formatMicrosPlain(rate.priceMicrosPerMinute)}${fee}`;
}

const FIT_COLUMNS: CsvColumns<'service' | 'prefix' | 'destination' | 'effective_from' | 'rate' | 'rows' | 'fit' | 'share_fit' | 'distinct_durations' | 'also_fits'> = [
  ['service', 'text'], ['prefix', 'text'], ['destination', 'text'], ['effective_from', 'text'], ['rate', 'text'], ['rows', 'number'], ['fit', 'number'],
  ['share_fit', 'number'], ['distinct_durations', 'number'], ['also_fits', 'text'],
];

/** `--report FILE`: per row of the table, the rows it priced, how many it reproduced, and how firmly. */
export function fitReportCsv(inference: Inference): string {
  return csvRows(
    FIT_COLUMNS,
    inference.fits.map((fit) => ({
      service: fit.service,
      prefix: fit.prefix,
      destination: fit.destination,
      effective_from: effectiveFromText(fit.effectiveFrom),
      rate: rateText(fit.rate),
      rows: fit.rows,
      fit: fit.fitRows,
      share_fit: fit.rows === 0 ? '0' : (fit.fitRows / fit.rows).toFixed(4),
      distinct_durations: fit.distinctDurations,
      also_fits: fit.alsoFits.map(rateText).join('; '),
    })),
  );
}

const MISFIT_COLUMNS: CsvColumns<'file' | 'line' | 'reason' | 'service' | 'number' | 'start' | 'duration_s' | 'recorded' | 'best_candidate' | 'prefix'> = [
  ['file', 'text'], ['line', 'number'], ['reason', 'text'], ['service', 'text'], ['number', 'text'], ['start', 'text'], ['duration_s', 'number'],
  ['recorded', 'number'], ['best_candidate', 'number'], ['prefix', 'text'],
];

/** `--misfits FILE`: every charged row the table does not reproduce, with what it would charge. */
export function misfitsCsv(misfits: readonly Misfit[], minorDigits: number): string {
  const money = amountAtLeastMinor(minorDigits);
  return csvRows(
    MISFIT_COLUMNS,
    misfits.map(({ row, reason, expectedMicros, prefix }) => ({
      file: row.file,
      line: row.line,
      reason,
      service: row.service,
      number: row.digits,
      start: formatInstant(row.startAt),
      duration_s: row.durationSeconds,
      recorded: money(row.recordedMicros),
      best_candidate: expectedMicros === null ? '' : money(expectedMicros),
      prefix: prefix ?? '',
    })),
  );
}

/** A misfit in one line for the summary: where, what was recorded, what the table charges. */
export function misfitLine(misfit: Misfit, minorDigits: number): string {
  const money = amountAtLeastMinor(minorDigits);
  const expected = misfit.expectedMicros === null ? '' : `, the table's +${misfit.prefix ?? ''} gives ${money(misfit.expectedMicros)}`;
  return `${misfit.row.file}:${misfit.row.line}: ${misfit.reason}: ${misfit.row.service} +${misfit.row.digits}, ${misfit.row.durationSeconds} s, recorded ${money(misfit.row.recordedMicros)}${expected}`;
}
