import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
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
  const csv = stringify({ header: true, columns: [...TEAMS_HEADER], bom: true, record_delimiter: 'windows' });
  await pipeline(Readable.from(generateRows(options)), csv, createWriteStream(join(folder, 'pstn.csv')));
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
