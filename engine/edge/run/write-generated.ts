import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { InputError } from '../../kernel/errors.js';
import { packageRoot } from '../load/package-data.js';
import { writeOutput } from '../write-output.js';
import { addCalendarMonths, formatInstant } from '../../kernel/time.js';
import type { BlockTask } from '../workers/generate-worker.js';
import { BLOCK_ROWS, blockRows, planGeneration, sampleRatesCsv, TEAMS_HEADER, type GenerateOptions } from '../../generate/generate-cdrs.js';

/** Writes DIR/pstn.csv (with BOM and CRLF, as the admin centre exports it), DIR/rates.csv and DIR/scenario.json. */
export async function writeGenerated(options: GenerateOptions, folder: string, workers = availableParallelism()): Promise<void> {
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
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
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
    writeSync(fd, `\uFEFF${TEAMS_HEADER.join(',')}\r\n`);
    writeSync(fd, csvBytes(blockRows(tenant, starts.subarray(0, BLOCK_ROWS), random)));
    while (pending.length > 0) {
      const bytes = await (pending.shift() as Promise<Uint8Array>);
      submit();
      writeSync(fd, bytes);
    }
  } finally {
    closeSync(fd);
    await pool?.destroy();
  }
}

/**
 * RFC 4180 lines (CRLF, as the admin centre exports them) as UTF-8 bytes, written field by field
 * into one buffer: quoting is the one rule (a field with a comma, quote or line break is quoted,
 * its quotes doubled). Joining strings and encoding them afterwards took half the generator's time.
 */
export function csvBytes(rows: Iterable<string[]>): Uint8Array {
  const out = writer.reset();
  for (const row of rows) {
    for (let column = 0; column < row.length; column++) {
      if (column > 0) out.byte(COMMA);
      const value = row[column] as string;
      if (FREE_TEXT[column] === 1 && NEEDS_QUOTES.test(value)) {
        out.byte(QUOTE);
        out.text(value.replaceAll('"', '""'));
        out.byte(QUOTE);
      } else out.text(value);
    }
    out.byte(CR);
    out.byte(LF);
  }
  return out.bytes();
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** The generator writes ids, numbers, codes and times that never need quoting; only these carry free text. */
const FREE_TEXT = TEAMS_HEADER.map((name) => (name === 'User Display Name' || name === 'Destination Dialed' ? 1 : 0));
const NEEDS_QUOTES = /[",\r\n]/;

/** A growing byte buffer; ASCII is copied a character at a time, anything else goes through TextEncoder. */
class ByteWriter {
  private buffer = new Uint8Array(1 << 20);
  private length = 0;
  private readonly encoder = new TextEncoder();

  byte(value: number): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = value;
  }

  text(value: string): void {
    if (this.length + value.length * 3 > this.buffer.length) this.grow(value.length * 3);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.length += this.encoder.encodeInto(value, buffer.subarray(this.length)).written;
        return;
      }
      buffer[at++] = code;
    }
    this.length = at;
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** A copy of what was written: the buffer itself is kept for the next block. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(atLeast: number): void {
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + atLeast));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}

// One per thread, grown once to a block's size and reused: new memory is slow to touch here.
const writer = new ByteWriter();
