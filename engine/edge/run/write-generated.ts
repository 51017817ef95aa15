import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { InputError } from '../../kernel/errors.js';
import { packageRoot } from '../load/package-data.js';
import { OutputFile, writeOutput } from '../write-output.js';
import { addCalendarMonths, formatInstant } from '../../kernel/time.js';
import type { BlockTask } from '../workers/generate-worker.js';
import { BLOCK_ROWS, blockRows, planGeneration, sampleRatesCsv, TEAMS_HEADER, type GenerateOptions } from '../../generate/generate-cdrs.js';
import { csvBytes } from '../../generate/csv-bytes.js';

/** The files a dataset is made of. */
const DATASET_FILES = ['pstn.csv', 'rates.csv', 'scenario.json'] as const;

/**
 * Writes DIR/pstn.csv (with BOM and CRLF, as the admin centre exports it), DIR/rates.csv and
 * DIR/scenario.json. An earlier dataset there is replaced only when `force` says so: a folder
 * typed by mistake may hold the only copy of a real export or a scenario worked on by hand.
 */
export async function writeGenerated(options: GenerateOptions, folder: string, workers = availableParallelism(), force = false): Promise<void> {
  const existing = DATASET_FILES.filter((name) => existsSync(join(folder, name)));
  if (existing.length > 0 && !force) {
    throw new InputError(`--out: ${folder} already holds ${existing.join(', ')}; give --force to replace them`);
  }
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot create (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  await writeCsv(join(folder, 'pstn.csv'), options, workers);
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
 * pstn.csv block by block: block 0 here (it goes on with the seed's own stream), the others on a
 * piscina pool, written in block order as they come, a few blocks ahead at most.
 */
async function writeCsv(file: string, options: GenerateOptions, workers: number): Promise<void> {
  const output = new OutputFile(file);
  const { tenant, starts, random } = planGeneration(options);
  const blocks = Math.ceil(options.rows / BLOCK_ROWS);
  const pool = blocks > 1 ? new Piscina({ filename: join(packageRoot(), 'dist', 'engine', 'edge', 'workers', 'generate-worker.js'), minThreads: workers, maxThreads: workers }) : null;
  const pending: Promise<Uint8Array>[] = [];
  let next = 1;
  const submit = () => {
    for (; pool !== null && next < blocks && pending.length < 2 * workers; next++) {
      const task: BlockTask = { options, block: next, starts: starts.slice(next * BLOCK_ROWS, (next + 1) * BLOCK_ROWS) };
      pending.push(pool.run(task, { transferList: [task.starts.buffer as ArrayBuffer] }));
    }
  };
  try {
    submit();
    output.write(`\uFEFF${TEAMS_HEADER.join(',')}\r\n`);
    output.write(csvBytes(blockRows(tenant, starts.subarray(0, BLOCK_ROWS), random)));
    while (pending.length > 0) {
      const bytes = await (pending.shift() as Promise<Uint8Array>);
      submit();
      output.write(bytes);
    }
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  } finally {
    await pool?.destroy();
  }
}
