/**
 * The ingest's one door to its accelerator. A RecordScanner finds CSV records in a buffer of its
 * own; a FieldReader reads the numeric fields of the record just found. Each has a JavaScript
 * implementation (js-scanner.ts, js-field-reader.ts) and a WebAssembly one (wasm-scanner.ts), with
 * the same answers: the row decoder and the file reader know only these two interfaces.
 */
import type { FieldSpans, RecordHandler } from './csv-scanner.js';
import type { SpellingArena } from './interner.js';

export interface RecordScanner {
  /** Where the caller reads file bytes, for `scan` to find records in. */
  readonly buffer: Uint8Array;
  /** The spans of the record being handed to a RecordHandler. */
  readonly fields: FieldSpans;
  /** The reader of the fields of the records this scanner finds. */
  readonly fieldReader: FieldReader;
  /** The buffer, grown to at least `bytes` with its first `keep` bytes kept; `buffer` is then this. */
  ensureBuffer(bytes: number, keep: number): Uint8Array;
  /** scanRecords (csv-scanner.ts) over buffer[from, to), with `fields` as the spans. */
  scan(from: number, to: number, atEnd: boolean, delimiter: number, handler: RecordHandler): number;
}

/** The columns a FieldReader reads (-1 where the export has none). */
export interface FieldColumns {
  startTime: number;
  endTime: number;
  duration: number;
  charge: number;
  connectionFee: number;
  usageId: number;
  upn: number;
  currency: number;
}

/**
 * Reads the start and end times, the duration, the amounts and the UsageId fingerprint of one
 * record, by the rules of bytes.ts, and checks its currency; the answers go to `values` and
 * `micros`, at the slots of `Slot`, so that no object is made per row.
 */
export interface FieldReader {
  /** The export's columns and the scenario's currency, before the first record of a range. */
  bindColumns(columns: FieldColumns, currency: string): void;
  /** Read, Declined (a fast reader leaves the record to a careful one) or why the row is rejected. */
  read(buf: Uint8Array, fields: FieldSpans): FieldOutcome;
  /** Int32 answers of the last `read` that gave Read, at the slots of `Slot`. */
  readonly values: Int32Array;
  /** [recorded charge plus connection fee in micros, or NO_RECORDED_CHARGE]. */
  readonly micros: Float64Array;
  /**
   * Where the decoder's interners may keep their spellings, to compare them with the records'
   * bytes in place; null to keep them in arenas of their own.
   */
  readonly arenas: InternerArenas | null;
}

export interface InternerArenas {
  users: SpellingArena;
  capabilities: SpellingArena;
  callTypes: SpellingArena;
  countries: SpellingArena;
}

/**
 * What `read` made of a record: read, left to a careful reader, or the reason for a reject. Const
 * enums here and below: tsc writes their numbers into the decoder, which reads them per row (an
 * imported constant is a load from its module each time).
 */
export const enum FieldOutcome {
  Read,
  Declined,
  StartEmpty,
  StartNotInstant,
  DurationNotSeconds,
  /** A well-formed duration longer than MAX_CALL_SECONDS (bytes.ts). */
  DurationTooLong,
  EndNotInstant,
  EndBeforeStart,
  OtherCurrency,
  AmountNotDecimal,
}

/** Slots of `values`; simd/row-fields.ts writes the same ones, 4 bytes each, after the 8 of `micros`. */
export const enum Slot {
  /** The start time: days since the epoch, and milliseconds into that day (either may be off by an offset). */
  StartDays,
  StartMs,
  DurationSeconds,
  /** UsageId fingerprint halves, both 0 for an empty UsageId (the high half has its low bit set otherwise). */
  UsageHashHigh,
  UsageHashLow,
  /** 1 when the reader also found the UPN: its trimmed span in the buffer and its hashSpan (interner.ts). */
  HasUpn,
  UpnStart,
  UpnEnd,
  UpnHash,
  Count,
}

/** Marks "no recorded charge" in `micros` and the recordedMicros column, distinct from NaN (a bad amount). */
export const NO_RECORDED_CHARGE = -1;
