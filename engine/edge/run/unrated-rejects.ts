import type { CallTable } from '../../columns/call-table.js';
import { invariant } from '../../kernel/errors.js';
import { formatInstant } from '../../kernel/time.js';
import type { Reject, RejectReason } from '../../model/cdr.js';
import { RATE_SERVICES } from '../../model/rate-row.js';
import type { RowRef } from '../../replay/call-pass.js';
import type { ReplayResult } from '../../replay/result.js';
import { quoted } from '../../kernel/quote.js';

/**
 * The rows a replay rejected for want of a rate, made into rejects with their text read back from
 * the files: here at the edge, not in the pass, and before a streamed replay releases their parts.
 */
export class UnratedRejects {
  private readonly rejects: Reject[] = [];

  constructor(private readonly table: CallTable) {}

  /** Describes the rows of `unrated` not described yet. */
  catchUp(unrated: readonly RowRef[]): void {
    for (let at = this.rejects.length; at < unrated.length; at++) this.rejects.push(this.describe(unrated[at] as RowRef));
  }

  /** The result with every reject in (file, line) order and counted by reason. */
  settle(result: ReplayResult): ReplayResult {
    this.catchUp(result.unrated);
    // The replay's own rejects first, then the ingest's: the order reasons are first counted in.
    const rejects = [...this.rejects];
    // Not push(...list): a spread of a million rejects overflows the stack.
    for (const rejected of result.rejects) rejects.push(rejected);
    const rejectCounts: Partial<Record<RejectReason, number>> = {};
    for (const rejected of rejects) rejectCounts[rejected.reason] = (rejectCounts[rejected.reason] ?? 0) + 1;
    rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return { ...result, rejects, rejectCounts, unrated: [] };
  }

  private describe({ partIndex, index }: RowRef): Reject {
    const part = this.table.parts[partIndex];
    invariant(part !== undefined, () => `a row without a rate in part ${partIndex}, which is gone`);
    const source = this.table.source(part);
    const number = source.describe(part, index).number;
    const service = RATE_SERVICES[part.service[index] as number];
    const detail = `no ${service} rate for number ${quoted(number)} at ${formatInstant(part.startAt[index] as number)}`;
    return { file: source.file, line: part.line[index] as number, reason: 'no-rate', detail, raw: source.raw(part, index) };
  }
}
