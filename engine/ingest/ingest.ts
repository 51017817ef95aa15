import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { shownNumber, type Reject } from '../cdr/call.js';
import type { CallColumns } from '../cdr/call-columns.js';
import { CallTable, type RowSource } from '../cdr/call-table.js';
import type { ColumnIndex } from '../cdr/columns.js';
import { invariant } from '../errors.js';
import { packageRoot } from '../io/package-data.js';
import type { NumberingFiles } from '../numbers/reference.js';
import type { RateTable } from '../rates/rate-table.js';
import type { Rules } from '../replay/classify.js';
import type { RangeTask } from '../workers/ingest-worker.js';
import { FieldSpans, fieldText, scanRecords } from './csv-scanner.js';
import { findDuplicates } from './duplicates.js';
import { decodeGraphFile } from './graph-json.js';
import { inspectFile } from './header.js';
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
}

export interface Ingested {
  table: CallTable;
  rejects: Reject[];
  rowsRead: number;
}

const READ_BYTES = 8 << 20;
/** Up to this many bytes of CDRs in all, no worker is started. */
export const IN_THREAD_BYTES = 4 << 20;

/**
 * Reads every CDR file, CSV exports in parallel byte ranges on a piscina pool, and merges the
 * results by range index, so the outcome is the same for any worker count and any chunk size.
 */
export async function ingestFiles(files: readonly string[], options: IngestOptions): Promise<Ingested> {
  const kinds = files.map((file) => inspectFile(file));
  const parts: CallColumns[] = [];
  const rejects: Reject[] = [];
  const sources: RowSource[] = [];
  let rowsRead = 0;
  const totalBytes = kinds.reduce((sum, kind) => sum + kind.size, 0);
  // Small inputs are read in this thread: starting workers would cost more than the rows (the
  // bundled sample replayed in ~0.6 s, most of it starting workers). The ranges are the same.
  const pool =
    totalBytes <= IN_THREAD_BYTES
      ? null
      : new Piscina({
          filename: join(packageRoot(), 'dist', 'engine', 'workers', 'ingest-worker.js'),
          minThreads: options.workers,
          maxThreads: options.workers,
          idleTimeout: 1000,
        });
  try {
    let bytesDone = 0;
    let rowsDone = 0;
    const perFile = await Promise.all(
      files.map(async (file, fileIndex) => {
        const kind = kinds[fileIndex];
        invariant(kind !== undefined, () => 'file kind');
        if (kind.kind === 'json') return decodeGraphFile(file, fileIndex, options);
        const settings = { file, fileIndex, columns: kind.columns, headerFields: kind.headerFields, currency: options.currency, start: options.start, end: options.end };
        const run = (spec: RangeTask['spec']): Promise<RangeResult> =>
          pool === null
            ? Promise.resolve(readRange(file, spec, settings, options.rules, options.rates))
            : pool.run({ file, spec, settings, reference: { ...options.reference, currency: options.currency } } satisfies RangeTask);
        const task = (spec: RangeTask['spec']): Promise<RangeResult> =>
          run(spec).then((result: RangeResult) => {
            bytesDone += spec.rangeEnd - spec.rangeStart;
            rowsDone += result.rowsRead;
            options.onProgress?.(bytesDone, totalBytes, rowsDone);
            return result;
          });
        const plan = planRanges(kind.dataStart, kind.size, options.chunkBytes, kind.delimiter, options.workers);
        const results = await Promise.all(plan.map(task));
        // A range that guessed its first record wrong (it began inside a quoted field) is read again
        // from where the range before it really ended.
        for (let k = 1; k < results.length; k++) {
          const expected = (results[k - 1] as RangeResult).endBoundary;
          if ((results[k] as RangeResult).startBoundary !== expected) {
            results[k] = await task({ ...(plan[k] as RangeTask['spec']), rangeStart: expected, exactStart: true, rangeEnd: Math.max(expected, (plan[k] as RangeTask['spec']).rangeEnd) });
          }
        }
        let line = kind.headerLines + 1;
        for (const result of results) {
          shiftLines(result, line - 1);
          line += result.lines;
        }
        return { results, source: csvSource(file, kind.delimiter, kind.columns) };
      }),
    );
    for (const { results, source } of perFile) {
      sources.push(source);
      for (const result of results) {
        parts.push(result.columns);
        // Not push(...rejects): a spread of a million rejects overflows the stack.
        for (const reject of result.rejects) rejects.push(reject);
        rowsRead += result.rowsRead;
      }
    }
  } finally {
    await pool?.destroy();
  }
  const table = mergeTables(parts, sources);
  for (const reject of findDuplicates(table)) rejects.push(reject);
  // The UsageId fingerprints have done their work: free 8 bytes a call before the replay.
  for (const part of parts) part.usageHashHigh = part.usageHashLow = new Uint32Array(0);
  return { table, rejects, rowsRead };
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

/** One user and one capability table for all parts; the parts' ids are rewritten in place. */
export function mergeTables(parts: CallColumns[], sources: RowSource[]): CallTable {
  const users: string[] = [];
  const capabilities: string[] = [];
  const userIds = new Map<string, number>();
  const capabilityIds = new Map<string, number>();
  const globalId = (ids: Map<string, number>, list: string[], value: string): number => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = list.push(value) - 1));
    return id;
  };
  for (const part of parts) {
    const userMap = part.users.map((user) => globalId(userIds, users, user));
    const capabilityMap = part.capabilities.map((capability) => globalId(capabilityIds, capabilities, capability));
    for (let i = 0; i < part.count; i++) {
      part.user[i] = userMap[part.user[i] as number] as number;
      const capability = part.capability[i] as number;
      if (capability >= 0) part.capability[i] = capabilityMap[capability] as number;
    }
    part.users = users;
    part.capabilities = capabilities;
  }
  return new CallTable(parts, users, capabilities, sources);
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
