import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeOutput } from '../io/write-output.js';
import { addCalendarMonths, formatInstant } from '../time.js';
import { generateRows, sampleRatesCsv, TEAMS_HEADER, type GenerateOptions } from './generate-cdrs.js';

/** Writes DIR/pstn.csv (with BOM and CRLF, as the admin centre exports it), DIR/rates.csv and DIR/scenario.json. */
export async function writeGenerated(options: GenerateOptions, folder: string): Promise<void> {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot create (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  writeCsv(join(folder, 'pstn.csv'), generateRows(options));
  writeOutput(join(folder, 'rates.csv'), sampleRatesCsv());
  const scenario = {
    currency: 'USD',
    start: formatInstant(options.from),
    end: formatInstant(addCalendarMonths(options.from, options.months, 0)),
    credits: {
      initial: '500.00',
      licensed: 'all',
      autoRecharge: { trigger: '100.00', amount: '500.00', mode: 'with', compare: '<' },
      topups: [],
    },
    rating: { source: 'rates', rates: ['rates.csv'] },
  };
  writeOutput(join(folder, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
}

/**
 * RFC 4180 rows written in megabyte chunks: quoting is the one rule (a field with a comma, quote or
 * line break is quoted, its quotes doubled), and a streaming library costs more than the rows here.
 */
function writeCsv(file: string, rows: Iterable<string[]>): void {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    let chunk = `\uFEFF${TEAMS_HEADER.join(',')}\r\n`;
    for (const row of rows) {
      for (const column of FREE_TEXT_COLUMNS) row[column] = csvField(row[column] as string);
      chunk += `${row.join(',')}\r\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** The generator writes ids, numbers, codes and times that never need quoting; only these carry free text. */
const FREE_TEXT_COLUMNS = [TEAMS_HEADER.indexOf('User Display Name'), TEAMS_HEADER.indexOf('Destination Dialed')];

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
const NEEDS_QUOTES = /[",\r\n]/;
