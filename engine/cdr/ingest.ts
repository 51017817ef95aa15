import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Call, Reject, RejectReason } from './call.js';
import { normalizeRow, type RowOrigin } from './normalize.js';
import { readCsvExport } from './read-csv-export.js';
import { readGraphJson } from './read-graph-json.js';
import type { RowSink } from './sink.js';

export interface Ingested {
  /** Accepted calls in (start, file, line) order. */
  calls: Call[];
  rejects: Reject[];
  rowsRead: number;
}

/**
 * Reads every CDR file, in the order given (the file order breaks ties between calls starting at
 * the same instant), validates each row and drops duplicate UsageIds across all files.
 */
export async function ingestFiles(files: readonly string[], currency: string): Promise<Ingested> {
  const calls: Call[] = [];
  const rejects: Reject[] = [];
  const seenUsageIds = new Set<string>();
  let rowsRead = 0;

  const reject = (origin: RowOrigin, reason: RejectReason, detail: string, raw: string): void => {
    rowsRead++;
    rejects.push({ file: origin.file, line: origin.line, reason, detail, raw });
  };
  const sink: RowSink = {
    reject,
    row(fields, origin, raw) {
      const result = normalizeRow(fields, origin, raw, currency);
      if (!result.ok) return reject(origin, result.reason, result.detail, raw);
      const { usageId } = result.call;
      if (usageId !== '') {
        if (seenUsageIds.has(usageId)) return reject(origin, 'duplicate-usage-id', `UsageId "${usageId}" was already read`, raw);
        seenUsageIds.add(usageId);
      }
      rowsRead++;
      calls.push(result.call);
    },
  };

  for (const [fileIndex, file] of files.entries()) {
    const head = firstBytes(file);
    if (/^\s*[[{]/.test(head)) readGraphJson(file, fileIndex, sink);
    else await readCsvExport(file, fileIndex, head.split('\n')[0] ?? '', sink);
  }
  calls.sort(byStartFileLine);
  return { calls, rejects, rowsRead };
}

export function byStartFileLine(a: Call, b: Call): number {
  return a.startAt - b.startAt || a.fileIndex - b.fileIndex || a.line - b.line;
}

function firstBytes(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${file}: cannot read (is a directory)`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read (no such file)`);
  }
  const buffer = Buffer.alloc(Math.min(size, 4096));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}
