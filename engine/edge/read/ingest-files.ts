import { join } from 'node:path';
import { Piscina } from 'piscina';
import { type Reject } from '../../model/cdr.js';
import { InputError } from '../../kernel/errors.js';
import { CallTable, type RowSource } from '../../columns/call-table.js';
import type { NumberingFiles } from '../load/load-numbering.js';
import { packageRoot } from '../load/package-data.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { CgratesRating } from '../../model/scenario.js';
import type { Rules } from '../../rules/classify.js';
import type { IngestWorkerData, RangeTask } from '../workers/ingest-worker.js';
import { DuplicateFinder } from '../../ingest/duplicates.js';
import type { RecordScanner } from '../../ingest/scanner.js';
import { CsvRowSource } from './csv-source.js';
import { decodeGraphFile } from './graph-json.js';
import { ingestModule, threadScanner } from './ingest-module.js';
import { inspectFile, type FileKind } from './inspect-file.js';
import { NO_RECORD_START, readRange, type RangeResult, type RangeSpec } from './read-range.js';
import { TableMerger } from './table-merger.js';

export interface IngestOptions {
  currency: string;
  start: number | null;
  end: number | null;
  workers: number;
  /** Bytes of file per task; results do not depend on it. */
  chunkBytes: number;
  reference: { numbering: NumberingFiles; allowancesFile: string; rateFiles: string[]; cgrates?: CgratesRating };
  /** The same reference data, loaded in this thread (for JSON files and reports). */
  rules: Rules;
  rates: RateTable | null;
  onProgress?: (bytesDone: number, bytesTotal: number, rowsDone: number) => void;
  /**
   * Called each time a part joins the table, in file and range order, while later ranges are still
   * being read: a replay can start on the calls so far. Duplicates are not marked yet.
   */
  onPart?: (table: CallTable) => void;
  /**
   * Set by a caller that releases parts from the table as it goes (`CallTable.release`) and puts
   * their blocks here: the workers then hand their columns over in blocks and fill these again,
   * instead of copying every range into new memory.
   */
  spareBlocks?: ArrayBuffer[];
}

export interface Ingested {
  table: CallTable;
  rejects: Reject[];
  rowsRead: number;
  /**
   * How many rows were rejected as duplicates once every part was in (they are marked in the
   * table); null when a row that may be one was in a part already released, so nobody can tell.
   */
  duplicates: number | null;
}

/**
 * A worker reads its range this much at a time: small enough that the buffer stays in memory
 * already touched, large enough that reads are few (bench/RESULTS.md has the runs that chose it).
 */
const READ_BYTES = 1 << 20;
/** Up to this many bytes of CDRs in all, no worker is started. */
export const IN_THREAD_BYTES = 4 << 20;

/**
 * Reads every CDR file, CSV exports in parallel byte ranges on a piscina pool, and takes the
 * results in range order as they arrive, so the outcome is the same for any worker count and any
 * chunk size, and the table grows while the workers read on.
 */
export async function ingestFiles(files: readonly string[], options: IngestOptions): Promise<Ingested> {
  const kinds = files.map((file) => inspectFile(file));
  const totalBytes = kinds.reduce((sum, kind) => sum + kind.size, 0);
  const jobs = planJobs(files, kinds, options);
  // Loaded (and, when it does not load, said) once, here, for this thread and every worker.
  const module = jobs.length === 0 ? null : ingestModule();
  // Small inputs are read in this thread: starting workers would cost more than the rows (for the
  // bundled sample, most of a replay's time). The ranges are the same.
  const pool = totalBytes <= IN_THREAD_BYTES ? null : startPool(options.workers, { ingestModule: module });
  const collected = new Collected(totalBytes, pool !== null && options.spareBlocks !== undefined, options.onPart);
  // While the workers start and read their first ranges, this thread has time on its hands.
  if (pool !== null) void collected.duplicateFinder.touchMemory();
  const queue = new RangeQueue(jobs, pool, pool === null ? threadScanner(module) : null, totalBytes, options);
  try {
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex] as string;
      const kind = kinds[fileIndex] as FileKind;
      if (kind.kind === 'json') {
        const decoded = decodeGraphFile(file, fileIndex, options);
        collected.sources[fileIndex] = decoded.source;
        for (const result of decoded.results) collected.take(result);
        continue;
      }
      collected.sources[fileIndex] = new CsvRowSource(file, kind.delimiter, kind.columns);
      await takeCsvFile(fileIndex, kind.headerLines + 1, queue, collected);
    }
  } finally {
    await pool?.destroy();
  }
  return collected.finish();
}

function startPool(workers: number, workerData: IngestWorkerData): Piscina {
  return new Piscina({
    filename: join(packageRoot(), 'dist', 'engine', 'edge', 'workers', 'ingest-worker.js'),
    minThreads: workers,
    maxThreads: workers,
    workerData,
    // A second range waits in each worker, so a worker never idles while this thread is busy
    // with the parts so far (merging them, or a replay fed as they come).
    concurrentTasksPerWorker: 2,
    idleTimeout: 1000,
  });
}

/** One byte range of one CSV file to read, and its result once asked for. */
interface RangeJob {
  file: string;
  settings: RangeTask['settings'];
  spec: RangeSpec;
  result: Promise<RangeResult> | null;
}

/** Every range of every CSV export, in file and range order. */
function planJobs(files: readonly string[], kinds: readonly FileKind[], options: IngestOptions): RangeJob[] {
  return files.flatMap((file, fileIndex) => {
    const kind = kinds[fileIndex] as FileKind;
    if (kind.kind === 'json') return [];
    const settings = { file, fileIndex, columns: kind.columns, headerFields: kind.headerFields, currency: options.currency, start: options.start, end: options.end };
    return planRanges(kind.dataStart, kind.size, options.chunkBytes, kind.delimiter, options.workers).map((spec) => ({ file, settings, spec, result: null }));
  });
}

/**
 * Takes one CSV file's ranges in order. A range that guessed its first record wrong (it began
 * inside a quoted field) is read again from where the range before it really ended.
 */
async function takeCsvFile(fileIndex: number, firstLine: number, queue: RangeQueue, collected: Collected): Promise<void> {
  let line = firstLine;
  let previous: RangeResult | null = null;
  for (let job = queue.next; job !== undefined && job.settings.fileIndex === fileIndex; job = queue.next) {
    let result = await queue.take();
    // A range inside one long record holds no record start: the next range checks against the one before.
    if (result.startBoundary === NO_RECORD_START) {
      collected.take(result);
      continue;
    }
    if (previous !== null && result.startBoundary !== previous.endBoundary) {
      const expected = previous.endBoundary;
      result = await queue.run(job, { ...job.spec, rangeStart: expected, exactStart: true, rangeEnd: Math.max(expected, job.spec.rangeEnd) });
    }
    shiftLines(result, line - 1);
    line += result.lines;
    collected.take(result);
    previous = result;
  }
}

/**
 * The ranges to read, sent to the pool a few rounds ahead of the one taken next, not all at once:
 * a range read again then waits behind a few others, not behind the whole file, and the parts
 * reach this thread (and a replay fed from them) steadily. Without a pool, ranges are read here.
 */
class RangeQueue {
  private taken = 0;
  private launched = 0;
  private bytesDone = 0;
  private rowsDone = 0;
  // Two rounds: one range running and one waiting in each worker. More rounds leave more blocks
  // in flight, each new one memory touched for the first time: slower, and more memory.
  private readonly ahead: number;
  private readonly reference: RangeTask['reference'];

  constructor(
    private readonly jobs: RangeJob[],
    private readonly pool: Piscina | null,
    private readonly scanner: RecordScanner | null,
    private readonly totalBytes: number,
    private readonly options: IngestOptions,
  ) {
    this.ahead = 2 * options.workers;
    this.reference = { ...options.reference, currency: options.currency };
  }

  /** The job `take` gives next, if any. */
  get next(): RangeJob | undefined {
    return this.jobs[this.taken];
  }

  /** The next job's result, launching the jobs after it up to `ahead`. */
  take(): Promise<RangeResult> {
    for (; this.launched < Math.min(this.jobs.length, this.taken + 1 + this.ahead); this.launched++) {
      const job = this.jobs[this.launched] as RangeJob;
      job.result = this.run(job, job.spec);
      // A failure is reported where it is awaited, not as an unhandled rejection meanwhile.
      job.result.catch(() => undefined);
    }
    return (this.jobs[this.taken++] as RangeJob).result as Promise<RangeResult>;
  }

  /** Reads `spec` of the job's file, on the pool or in this thread, and counts its progress. */
  run(job: RangeJob, spec: RangeSpec): Promise<RangeResult> {
    const { pool, options } = this;
    const running = pool === null ? Promise.resolve(readRange(this.scanner as RecordScanner, job.file, spec, job.settings, options.rules, options.rates)) : this.onPool(pool, job, spec);
    return running.then((result: RangeResult) => {
      this.bytesDone += spec.rangeEnd - spec.rangeStart;
      this.rowsDone += result.rowsRead;
      options.onProgress?.(this.bytesDone, this.totalBytes, this.rowsDone);
      return result;
    });
  }

  private onPool(pool: Piscina, job: RangeJob, spec: RangeSpec): Promise<RangeResult> {
    const task = { file: job.file, spec, settings: job.settings, reference: this.reference };
    const spares = this.options.spareBlocks;
    // Up to two blocks with each task: a worker fills one a range.
    const blocks = spares?.splice(0, 2);
    const running: Promise<RangeResult> = blocks === undefined ? pool.run(task satisfies RangeTask) : pool.run({ ...task, recycle: { blocks } } satisfies RangeTask, { transferList: blocks });
    return running.catch((error: unknown) => {
      throw inputErrorFromWorker(job.file, error);
    });
  }
}

/**
 * An error class does not survive the thread boundary: a range that could not open its file (see
 * read-range.ts) arrives as a plain Error, known by the message read-range gives it.
 */
function inputErrorFromWorker(file: string, error: unknown): unknown {
  if (error instanceof Error && error.message.startsWith(`${file}: cannot read (`)) return new InputError(error.message);
  return error;
}

/** The parts, rejects and sources gathered so far, as one growing table. */
class Collected {
  readonly sources: RowSource[] = [];
  readonly duplicateFinder: DuplicateFinder;
  private readonly merger = new TableMerger();
  private readonly table: CallTable;
  private readonly rejects: Reject[] = [];
  private rowsRead = 0;

  /** `wide`: parts may be released before the duplicate finder is done (see DuplicateFinder). */
  constructor(
    totalBytes: number,
    wide: boolean,
    private readonly onPart: ((table: CallTable) => void) | undefined,
  ) {
    this.table = new CallTable([], this.merger.users, this.merger.capabilities, this.sources);
    // Exports run ~300 bytes a row; the estimate only sizes the duplicate finder's buckets.
    this.duplicateFinder = new DuplicateFinder(Math.ceil(totalBytes / 300), wide);
  }

  take(result: RangeResult): void {
    this.merger.add(result.columns);
    this.duplicateFinder.addPart(result.columns);
    // The UsageId fingerprints are in the finder now: 8 bytes a call freed at once.
    result.columns.usageHashHigh = result.columns.usageHashLow = new Uint32Array(0);
    // Not push(...rejects): a spread of a million rejects overflows the stack.
    for (const reject of result.rejects) this.rejects.push(reject);
    this.rowsRead += result.rowsRead;
    this.table.addPart(result.columns);
    this.onPart?.(this.table);
  }

  finish(): Ingested {
    const duplicates = this.duplicateFinder.finish(this.table);
    for (const reject of duplicates ?? []) this.rejects.push(reject);
    return { table: this.table, rejects: this.rejects, rowsRead: this.rowsRead, duplicates: duplicates === null ? null : duplicates.length };
  }
}

/**
 * Ranges of at most `chunkBytes`, as many as a multiple of the worker count and of equal size, so
 * that no worker is left with the last range alone (9 ranges on 2 workers took 5 rounds).
 */
export function planRanges(dataStart: number, size: number, chunkBytes: number, delimiter: number, workers = 1): RangeSpec[] {
  const plan: RangeSpec[] = [];
  const rounds = Math.max(1, Math.ceil((size - dataStart) / (chunkBytes * workers)));
  const rangeBytes = Math.max(1, Math.min(chunkBytes, Math.ceil((size - dataStart) / (rounds * workers))));
  for (let start = dataStart; start < size || plan.length === 0; start += rangeBytes) {
    plan.push({ rangeStart: start, rangeEnd: Math.min(size, start + rangeBytes), exactStart: start === dataStart, fileSize: size, delimiter, readBytes: READ_BYTES });
    if (start >= size) break;
  }
  return plan;
}

function shiftLines(result: RangeResult, by: number): void {
  const lines = result.columns.line;
  for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] as number) + by;
  for (const reject of result.rejects) reject.line += by;
}

