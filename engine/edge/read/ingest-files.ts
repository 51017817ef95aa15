import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { shownNumber } from '../../rules/numbering.js';
import { type Reject } from '../../model/cdr.js';
import type { CallColumns } from '../../columns/call-columns.js';
import { CallTable, type RowSource } from '../../columns/call-table.js';
import type { ColumnIndex } from '../../model/export-columns.js';
import { invariant } from '../../kernel/errors.js';
import { packageRoot } from '../load/package-data.js';
import type { NumberingFiles } from '../load/load-numbering.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';
import type { RangeTask } from '../workers/ingest-worker.js';
import { FieldSpans, fieldText, scanRecords } from '../../ingest/csv-scanner.js';
import { DuplicateFinder } from '../../ingest/duplicates.js';
import { decodeGraphFile } from './graph-json.js';
import { inspectFile } from './inspect-file.js';
import { readRange, type RangeResult } from './read-range.js';

export interface IngestOptions {
  currency: string;
  start: number | null;
  end: number | null;
  workers: number;
  /** Bytes of file per task; results do not depend on it. */
  chunkBytes: number;
  reference: { numbering: NumberingFiles; allowancesFile: string; rateFiles: string[] };
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
 * A worker reads its range this much at a time. 1 MiB against 8 MiB: 7.57 s against 7.70 s median
 * at 10M rows (4 runs each, alternating), 30 MB less peak memory; 256 KiB gained nothing more.
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
  const rejects: Reject[] = [];
  const sources: RowSource[] = [];
  const merger = new TableMerger();
  const table = new CallTable([], merger.users, merger.capabilities, sources);
  let rowsRead = 0;
  const totalBytes = kinds.reduce((sum, kind) => sum + kind.size, 0);
  // Small inputs are read in this thread: starting workers would cost more than the rows (the
  // bundled sample replayed in ~0.6 s, most of it starting workers). The ranges are the same.
  const pool =
    totalBytes <= IN_THREAD_BYTES
      ? null
      : new Piscina({
          filename: join(packageRoot(), 'dist', 'engine', 'edge', 'workers', 'ingest-worker.js'),
          minThreads: options.workers,
          maxThreads: options.workers,
          // A second range waits in each worker, so a worker never idles while this thread is busy
          // with the parts so far (merging them, or a replay fed as they come).
          concurrentTasksPerWorker: 2,
          idleTimeout: 1000,
        });
  // Exports run ~300 bytes a row; the estimate only sizes the duplicate finder's buckets.
  // Parts may be released before the finder is done when workers fill blocks again (see `wide`).
  const duplicateFinder = new DuplicateFinder(Math.ceil(totalBytes / 300), pool !== null && options.spareBlocks !== undefined);
  // While the workers start and read their first ranges, this thread has time on its hands.
  if (pool !== null) void duplicateFinder.touchMemory();
  const take = (result: RangeResult): void => {
    merger.add(result.columns);
    duplicateFinder.addPart(result.columns);
    // The UsageId fingerprints are in the finder now: 8 bytes a call freed at once.
    result.columns.usageHashHigh = result.columns.usageHashLow = new Uint32Array(0);
    // Not push(...rejects): a spread of a million rejects overflows the stack.
    for (const reject of result.rejects) rejects.push(reject);
    rowsRead += result.rowsRead;
    table.addPart(result.columns);
    options.onPart?.(table);
  };
  try {
    let bytesDone = 0;
    let rowsDone = 0;
    const reference = { ...options.reference, currency: options.currency };
    const onPool = (pool: Piscina, file: string, settings: RangeTask['settings'], spec: RangeTask['spec']): Promise<RangeResult> => {
      const spares = options.spareBlocks;
      if (spares === undefined) return pool.run({ file, spec, settings, reference } satisfies RangeTask);
      // Up to two blocks with each task: a worker fills one a range.
      const blocks = spares.splice(0, 2);
      return pool.run({ file, spec, settings, reference, recycle: { blocks } } satisfies RangeTask, { transferList: blocks });
    };
    const task = (file: string, settings: RangeTask['settings'], spec: RangeTask['spec']): Promise<RangeResult> => {
      const run = pool === null ? Promise.resolve(readRange(file, spec, settings, options.rules, options.rates)) : onPool(pool, file, settings, spec);
      return run.then((result: RangeResult) => {
        bytesDone += spec.rangeEnd - spec.rangeStart;
        rowsDone += result.rowsRead;
        options.onProgress?.(bytesDone, totalBytes, rowsDone);
        return result;
      });
    };
    // Ranges go to the pool a few rounds ahead of the one taken next, not all at once: a range
    // read again (below) then waits behind a few others, not behind the whole file, and the parts
    // reach this thread (and a replay fed from them) steadily.
    const jobs = files.flatMap((file, fileIndex) => {
      const kind = kinds[fileIndex];
      invariant(kind !== undefined, () => 'file kind');
      if (kind.kind === 'json') return [];
      const settings = { file, fileIndex, columns: kind.columns, headerFields: kind.headerFields, currency: options.currency, start: options.start, end: options.end };
      return planRanges(kind.dataStart, kind.size, options.chunkBytes, kind.delimiter, options.workers).map((spec) => ({ file, settings, spec, result: null as Promise<RangeResult> | null }));
    });
    // Two rounds: one range running and one waiting in each worker. Four rounds left more blocks
    // in flight (each new one is memory touched for the first time): 10M rows, 8 alternating
    // runs, 7.47 -> 7.35 s median, peak RSS 403 -> 362 MB.
    const ahead = 2 * options.workers;
    let launched = 0;
    const resultOf = (jobIndex: number): Promise<RangeResult> => {
      for (; launched < Math.min(jobs.length, jobIndex + 1 + ahead); launched++) {
        const job = jobs[launched] as (typeof jobs)[number];
        job.result = task(job.file, job.settings, job.spec);
        // A failure is reported where it is awaited, not as an unhandled rejection meanwhile.
        job.result.catch(() => undefined);
      }
      return (jobs[jobIndex] as (typeof jobs)[number]).result as Promise<RangeResult>;
    };
    let jobIndex = 0;
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex] as string;
      const kind = kinds[fileIndex];
      invariant(kind !== undefined, () => 'file kind');
      if (kind.kind === 'json') {
        const decoded = decodeGraphFile(file, fileIndex, options);
        sources[fileIndex] = decoded.source;
        for (const result of decoded.results) take(result);
        continue;
      }
      sources[fileIndex] = csvSource(file, kind.delimiter, kind.columns);
      let line = kind.headerLines + 1;
      let previous: RangeResult | null = null;
      for (; jobIndex < jobs.length && (jobs[jobIndex] as (typeof jobs)[number]).settings.fileIndex === fileIndex; jobIndex++) {
        let result = await resultOf(jobIndex);
        // A range that guessed its first record wrong (it began inside a quoted field) is read again
        // from where the range before it really ended.
        if (previous !== null && result.startBoundary !== previous.endBoundary) {
          const expected = previous.endBoundary;
          const { settings, spec } = jobs[jobIndex] as (typeof jobs)[number];
          result = await task(file, settings, { ...spec, rangeStart: expected, exactStart: true, rangeEnd: Math.max(expected, spec.rangeEnd) });
        }
        shiftLines(result, line - 1);
        line += result.lines;
        take(result);
        previous = result;
      }
    }
  } finally {
    await pool?.destroy();
  }
  const duplicates = duplicateFinder.finish(table);
  for (const reject of duplicates ?? []) rejects.push(reject);
  return { table, rejects, rowsRead, duplicates: duplicates === null ? null : duplicates.length };
}

/**
 * Ranges of at most `chunkBytes`, as many as a multiple of the worker count and of equal size, so
 * that no worker is left with the last range alone (9 ranges on 2 workers took 5 rounds).
 */
export function planRanges(dataStart: number, size: number, chunkBytes: number, delimiter: number, workers = 1): RangeTask['spec'][] {
  const plan: RangeTask['spec'][] = [];
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

/**
 * Rewrites each part's user and capability ids, local to the range that read it, into ids of one
 * table for all parts. Ids are given in the order parts are added (file, then range), so they do
 * not depend on which worker finished first.
 */
class TableMerger {
  readonly users: string[] = [];
  readonly capabilities: string[] = [];
  private readonly userIds = new Map<string, number>();
  private readonly capabilityIds = new Map<string, number>();

  add(part: CallColumns): void {
    const userMap = part.users.map((user) => globalId(this.userIds, this.users, user));
    const capabilityMap = part.capabilities.map((capability) => globalId(this.capabilityIds, this.capabilities, capability));
    for (let i = 0; i < part.count; i++) {
      part.user[i] = userMap[part.user[i] as number] as number;
      const capability = part.capability[i] as number;
      if (capability >= 0) part.capability[i] = capabilityMap[capability] as number;
    }
    part.users = this.users;
    part.capabilities = this.capabilities;
  }
}

function globalId(ids: Map<string, number>, list: string[], value: string): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = list.push(value) - 1));
  return id;
}

/** A CSV export's rows, read back from the file by byte offset (for rejects and the explain file). */
function csvSource(file: string, delimiter: number, columns: ColumnIndex): RowSource {
  let fd: number | undefined;
  const fields = new FieldSpans();
  // Rows are asked for mostly in file order (duplicates, the explain file): one window of the
  // file serves thousands of them before the next read.
  let window = new Uint8Array(4 << 20);
  let windowStart = 0;
  let windowLength = 0;
  const refill = (offset: number, atLeast: number): void => {
    fd ??= openSync(file, 'r');
    if (window.length < atLeast) window = new Uint8Array(atLeast);
    windowStart = offset;
    windowLength = readSync(fd, window, 0, window.length, offset);
  };
  // The record's bytes, valid until the next call: scanned from its offset until it ends.
  const bytesOf = (part: CallColumns, index: number): Uint8Array => {
    const offset = part.byteOffset[index] as number;
    if (offset < windowStart || offset >= windowStart + windowLength) refill(offset, 0);
    // No quote before the line end: the record is that line.
    const lineEnd = window.indexOf(10, offset - windowStart);
    if (lineEnd !== -1 && lineEnd < windowLength) {
      const line = window.subarray(offset - windowStart, lineEnd + 1);
      if (line.indexOf(34) === -1) return line;
    }
    for (let probe = 512; ; probe *= 2) {
      const from = offset - windowStart;
      const to = Math.min(windowLength, from + probe);
      const atEnd = to === windowLength && windowLength < window.length;
      let end = -1;
      const first = (stop: number) => void (end = end < 0 ? stop : end);
      scanRecords(window, from, to, atEnd, delimiter, fields, { record: (_b, _f, _s, stop) => first(stop), malformed: (_b, _s, stop) => first(stop) });
      if (end >= 0 || atEnd) return window.subarray(from, end >= 0 ? end : to);
      // The record runs past the window: read again from it, with room for a record of `probe` bytes.
      if (to === windowLength) refill(offset, 2 * probe);
    }
  };
  const decoder = new TextDecoder();
  return {
    file,
    raw(part, index) {
      return decoder.decode(bytesOf(part, index)).replace(/\r?\n$/, '');
    },
    usageId(part, index) {
      if (columns.usageId < 0) return '';
      // Mostly the UsageId comes before any quote of its record (it is the export's first column):
      // read up to it in the window, without finding where the record ends.
      const offset = part.byteOffset[index] as number;
      if (offset < windowStart || offset >= windowStart + windowLength) refill(offset, 0);
      let start = offset - windowStart;
      for (let column = 0; column < columns.usageId && start >= 0; column++) {
        const stop = window.indexOf(delimiter, start);
        start = stop < 0 || stop >= windowLength ? -1 : stop + 1;
      }
      if (start >= 0) {
        const limit = Math.min(windowLength, start + 512);
        let end = start;
        while (end < limit && window[end] !== delimiter && window[end] !== 10 && window[end] !== 34) end++;
        const before = window.subarray(offset - windowStart, end);
        if (end < limit && window[end] !== 34 && before.indexOf(34) === -1 && before.indexOf(10) === -1) {
          return decoder.decode(window.subarray(start, end)).trim();
        }
      }
      const bytes = bytesOf(part, index);
      // A record without quotes: count delimiters up to the column.
      if (bytes.indexOf(34) === -1) {
        let start = 0;
        for (let column = 0; column < columns.usageId && start >= 0; column++) start = bytes.indexOf(delimiter, start) + 1 || -1;
        if (start >= 0) {
          let end = bytes.indexOf(delimiter, start);
          if (end === -1) end = bytes.length;
          return decoder.decode(bytes.subarray(start, end)).trim();
        }
      }
      let usageId = '';
      scanRecords(bytes, 0, bytes.length, true, delimiter, fields, {
        record: (buf, spans) => void (usageId = fieldText(buf, spans, columns.usageId).trim()),
        malformed() {},
      });
      return usageId;
    },
    describe(part, index) {
      const bytes = bytesOf(part, index);
      let values = { usageId: '', callType: '', number: '' };
      scanRecords(bytes, 0, bytes.length, true, delimiter, fields, {
        record(buf, spans) {
          const get = (at: number) => (at < 0 ? '' : fieldText(buf, spans, at).trim());
          const callType = get(columns.callType).toLowerCase();
          values = { usageId: get(columns.usageId), callType, number: shownNumber(callType, get(columns.receivingNumber), get(columns.dialledNumber)) };
        },
        malformed() {},
      });
      return values;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  } as RowSource;
}
