import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../edge/load/package-data.js';
import { FieldSpans, MAX_FIELDS } from './csv-scanner.js';

interface ScannerExports {
  memory: { buffer: ArrayBuffer };
  allocate(bytes: number): number;
  bind(startsAt: number, endsAt: number, escapedAt: number, stateAt: number): void;
  scanRecord(base: number, from: number, to: number, delimiter: number): number;
  bindRow(outAt: number): void;
  bindColumns(startTime: number, endTime: number, duration: number, charge: number, fee: number, usageId: number, upn: number, currency: number): void;
  bindCurrency(code: number, length: number): void;
  readRowFields(base: number): number;
  bytesEqual(a: number, b: number, length: number): number;
}

/** The columns whose values `readRowFields` reads (-1 where the export has none). */
export interface RowFieldColumns {
  startTime: number;
  endTime: number;
  duration: number;
  charge: number;
  connectionFee: number;
  usageId: number;
  upn: number;
  currency: number;
}

/** A region of the module's memory where an interner keeps the bytes of each spelling. */
export interface WasmArena {
  scanner: SimdRecordScanner;
  at: number;
  capacity: number;
}

/** Bytes after a buffer that the 16-byte loads may read. */
const PADDING = 16;

/**
 * The ingest's WebAssembly module (simd/) and the memory it reads: one buffer the caller reads
 * file bytes into, the field spans the record scanner writes (views the JavaScript scanner and
 * the row decoder use unchanged), and the numeric fields of the last record, read in one call.
 * Memory is only ever added to, never freed: a thread keeps one.
 */
export class SimdRecordScanner {
  /** The buffer to fill: scanRecords reads records from it with this scanner. */
  buffer = new Uint8Array(0);
  readonly fields = new FieldSpans();
  /**
   * Arenas for the decoder's byte interners (interner.ts), taken once with the module and reused
   * from range to range: an interner never makes the memory grow while a range is read.
   */
  readonly arenas: { users: WasmArena; capabilities: WasmArena; callTypes: WasmArena; countries: WasmArena };
  private bufferAt = 0;
  private state = new Int32Array(0);
  private stateAt = 0;
  private spansAt = 0;
  private rowAt = 0;
  /** The whole memory as bytes (made again when it grows, like every view here). */
  memoryBytes = new Uint8Array(0);
  private rowInts = new Int32Array(0);
  private rowAmount = new Float64Array(0);

  constructor(private readonly wasm: ScannerExports) {
    this.spansAt = wasm.allocate(MAX_FIELDS * 9);
    this.stateAt = wasm.allocate(8);
    this.rowAt = wasm.allocate(60);
    wasm.bind(this.spansAt, this.spansAt + MAX_FIELDS * 4, this.spansAt + MAX_FIELDS * 8, this.stateAt);
    wasm.bindRow(this.rowAt);
    const arena = (capacity: number): WasmArena => ({ scanner: this, at: wasm.allocate(capacity + PADDING), capacity });
    this.arenas = { users: arena(4 << 20), capabilities: arena(64 << 10), callTypes: arena(16 << 10), countries: arena(16 << 10) };
    this.refreshViews();
  }

  /** Which columns `readRowFields` reads, for the export being read. */
  bindColumns(columns: RowFieldColumns, currency: string): void {
    this.wasm.bindColumns(columns.startTime, columns.endTime, columns.duration, columns.charge, columns.connectionFee, columns.usageId, columns.upn, columns.currency);
    // Up to four capitals, packed; any other currency is checked by the decoder.
    const comparable = /^[A-Z]{1,4}$/.test(currency);
    let code = 0;
    for (let i = comparable ? currency.length - 1 : -1; i >= 0; i--) code = (code << 8) | currency.charCodeAt(i);
    this.wasm.bindCurrency(code, comparable ? currency.length : -1);
  }

  /**
   * Reads the start and end times, the duration, the amounts and the UsageId fingerprint of the
   * record last scanned, by the rules of bytes.ts; false when any is missing, escaped or invalid,
   * for the decoder to read them itself (and say why).
   */
  readRowFields(): boolean {
    return this.wasm.readRowFields(this.bufferAt) === 1;
  }

  /** The answers of readRowFields: days since the epoch and milliseconds into that day. */
  get startDays(): number {
    return this.rowInts[0] as number;
  }

  get startMs(): number {
    return this.rowInts[1] as number;
  }

  get endDays(): number {
    return this.rowInts[2] as number;
  }

  get endMs(): number {
    return this.rowInts[3] as number;
  }

  get hasEnd(): boolean {
    return this.rowInts[4] === 1;
  }

  get durationSeconds(): number {
    return this.rowInts[5] as number;
  }

  /** UsageId fingerprint halves, both 0 for an empty UsageId (the high half has its low bit set otherwise). */
  get usageHashHigh(): number {
    return this.rowInts[6] as number;
  }

  get usageHashLow(): number {
    return this.rowInts[7] as number;
  }

  /**
   * Whether readRowFields also read the UPN: its trimmed span in the buffer and its hashSpan
   * (interner.ts) in `upnStart`, `upnEnd` and `upnHash`. Not for an escaped UPN.
   */
  get hasUpn(): boolean {
    return this.rowInts[13] === 1;
  }

  get upnStart(): number {
    return this.rowInts[10] as number;
  }

  get upnEnd(): number {
    return this.rowInts[11] as number;
  }

  get upnHash(): number {
    return this.rowInts[12] as number;
  }

  /** Whether readRowFields found the currency empty or the scenario's (else the decoder checks it). */
  get currencyAccepted(): boolean {
    return this.rowInts[14] === 1;
  }

  /** Charge plus connection fee in micros; -1 when both are empty. */
  get recordedMicros(): number {
    return this.rowAmount[0] as number;
  }

  /** A buffer of at least `bytes`, keeping the first `keep` bytes of the current one. */
  ensureBuffer(bytes: number, keep = 0): Uint8Array {
    if (this.buffer.length >= bytes) return this.buffer;
    const oldAt = this.bufferAt;
    this.bufferAt = this.wasm.allocate(bytes + PADDING);
    this.refreshViews(bytes);
    if (keep > 0) new Uint8Array(this.wasm.memory.buffer).copyWithin(this.bufferAt, oldAt, oldAt + keep);
    return this.buffer;
  }

  /** The record at buffer[from]: where the next one starts, or -1 for the careful scanner. */
  record(from: number, to: number, delimiter: number): number {
    const end = this.wasm.scanRecord(this.bufferAt, from, to, delimiter);
    if (end >= 0) this.fields.count = this.state[0] as number;
    return end;
  }

  /** The buffer's address in the module's memory. */
  get bufferAddress(): number {
    return this.bufferAt;
  }

  /** bytesEqual of simd/record-scanner.ts, on two addresses in the module's memory. */
  bytesEqual(a: number, b: number, length: number): boolean {
    return this.wasm.bytesEqual(a, b, length) === 1;
  }

  /** Line ends in the record `record` last read. */
  get newlines(): number {
    return this.state[1] as number;
  }

  // Growing the memory detaches every view of it: all are made again.
  private refreshViews(bufferBytes = this.buffer.length): void {
    const memory = this.wasm.memory.buffer;
    this.memoryBytes = new Uint8Array(memory);
    this.buffer = new Uint8Array(memory, this.bufferAt, bufferBytes);
    this.fields.starts = new Int32Array(memory, this.spansAt, MAX_FIELDS);
    this.fields.ends = new Int32Array(memory, this.spansAt + MAX_FIELDS * 4, MAX_FIELDS);
    this.fields.escaped = new Uint8Array(memory, this.spansAt + MAX_FIELDS * 8, MAX_FIELDS);
    this.state = new Int32Array(memory, this.stateAt, 2);
    // Ints 8 and 9 are the f64 below.
    this.rowInts = new Int32Array(memory, this.rowAt, 15);
    this.rowAmount = new Float64Array(memory, this.rowAt + 32, 1);
  }
}

// The WebAssembly global, typed here: the compiler's ES2023 library does not declare it.
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: object };
  };
};

let loaded: SimdRecordScanner | null | undefined;

/**
 * This thread's scanner, or null where WebAssembly SIMD is not available (the JavaScript scanner
 * then does all the work, with the same results).
 */
export function simdRecordScanner(): SimdRecordScanner | null {
  if (loaded !== undefined) return loaded;
  // A switch for comparing the two scanners (bench/) and for ruling this one out when in doubt.
  if (process.env['CREDITCAST_SCANNER'] === 'js') return (loaded = null);
  try {
    // Built by `npm run build` into dist/ (tests run the TypeScript sources, and find it there too).
    const module = new WebAssembly.Module(readFileSync(join(packageRoot(), 'dist', 'engine', 'ingest', 'simd', 'ingest.wasm')));
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort() {
          throw new Error('record scanner: out of memory');
        },
      },
    });
    loaded = new SimdRecordScanner(instance.exports as unknown as ScannerExports);
  } catch {
    loaded = null;
  }
  return loaded;
}
