import type { CdrFields, RejectReason } from './call.js';
import type { RowOrigin } from './normalize.js';

/** Where a reader hands each row it read: parsed fields, or a row it could not even split. */
export interface RowSink {
  row(fields: CdrFields, origin: RowOrigin, raw: string): void;
  reject(origin: RowOrigin, reason: RejectReason, detail: string, raw: string): void;
}
