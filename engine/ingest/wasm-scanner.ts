import { FieldSpans, MAX_FIELDS, scanRecords, type FastRecordScanner, type RecordHandler } from './csv-scanner.js';
import type { SpellingArena } from './interner.js';
import { FieldOutcome, Slot, type FieldColumns, type FieldReader, type InternerArenas, type RecordScanner } from './scanner.js';

/** The exports of simd/index.ts. */
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

// The WebAssembly global, typed here: the compiler's ES2023 library does not declare it.
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => IngestModule;
    Instance: new (module: IngestModule, imports: object) => { exports: object };
  };
};

/** simd/ compiled: a WebAssembly.Module, which can be handed to worker threads. */
export interface IngestModule {
  readonly [Symbol.toStringTag]: string;
}

/** Compiles the module's bytes (read by the edge); throws a WebAssembly.CompileError where SIMD is not supported. */
export function compileIngestModule(bytes: Uint8Array): IngestModule {
  return new WebAssembly.Module(bytes);
}

/** A scanner over a new instance of the module: memory is only ever added to, so a thread keeps one. */
export function wasmRecordScanner(module: IngestModule): RecordScanner {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort() {
        throw new Error('record scanner: out of memory');
      },
    },
  });
  return new WasmRecordScanner(instance.exports as ScannerExports);
}

/** Bytes after a buffer that the 16-byte loads may read. */
const PADDING = 16;
/** Bytes of a FieldReader's answers in the module's memory: `micros` (f64), then `values` (i32). */
const ANSWER_BYTES = 8 + Slot.Count * 4;

/**
 * The WebAssembly RecordScanner: one buffer in the module's memory that the caller reads file
 * bytes into, the field spans the module writes (views the JavaScript careful scanner and the
 * decoder use unchanged), and the module's field reader over the same record. Not exported: the
 * classes of this file share its fields, the rest of the ingest sees the interfaces.
 */
class WasmRecordScanner implements RecordScanner, FastRecordScanner {
  buffer = new Uint8Array(0);
  readonly fields = new FieldSpans();
  readonly fieldReader: WasmFieldReader;
  /** The buffer's address in the module's memory. */
  bufferAt = 0;
  /** The whole memory as bytes. */
  memoryBytes = new Uint8Array(0);
  private state = new Int32Array(0);
  private readonly stateAt: number;
  private readonly spansAt: number;

  constructor(readonly wasm: ScannerExports) {
    this.spansAt = wasm.allocate(MAX_FIELDS * 9);
    this.stateAt = wasm.allocate(8);
    wasm.bind(this.spansAt, this.spansAt + MAX_FIELDS * 4, this.spansAt + MAX_FIELDS * 8, this.stateAt);
    this.fieldReader = new WasmFieldReader(this);
    this.refreshViews(0);
  }

  ensureBuffer(bytes: number, keep: number): Uint8Array {
    if (this.buffer.length >= bytes) return this.buffer;
    const oldAt = this.bufferAt;
    this.bufferAt = this.wasm.allocate(bytes + PADDING);
    this.refreshViews(bytes);
    if (keep > 0) this.memoryBytes.copyWithin(this.bufferAt, oldAt, oldAt + keep);
    return this.buffer;
  }

  scan(from: number, to: number, atEnd: boolean, delimiter: number, handler: RecordHandler): number {
    return scanRecords(this.buffer, from, to, atEnd, delimiter, this.fields, handler, this);
  }

  /** The record at buffer[from]: where the next one starts, or -1 for the careful scanner. */
  record(from: number, to: number, delimiter: number): number {
    const end = this.wasm.scanRecord(this.bufferAt, from, to, delimiter);
    if (end >= 0) this.fields.count = this.state[0] as number;
    return end;
  }

  /** Line ends in the record `record` last read. */
  get newlines(): number {
    return this.state[1] as number;
  }

  // Growing the memory detaches every view of it: all are made again.
  private refreshViews(bufferBytes: number): void {
    const memory = this.wasm.memory.buffer;
    this.memoryBytes = new Uint8Array(memory);
    this.buffer = new Uint8Array(memory, this.bufferAt, bufferBytes);
    this.fields.starts = new Int32Array(memory, this.spansAt, MAX_FIELDS);
    this.fields.ends = new Int32Array(memory, this.spansAt + MAX_FIELDS * 4, MAX_FIELDS);
    this.fields.escaped = new Uint8Array(memory, this.spansAt + MAX_FIELDS * 8, MAX_FIELDS);
    this.state = new Int32Array(memory, this.stateAt, 2);
    this.fieldReader.refreshViews(memory);
  }
}

/**
 * The module's FieldReader: reads the common record in one call, and declines any other (a field
 * missing, escaped or not valid, an end before the start, a currency it does not take) for the
 * JavaScript reader to read and explain. It finds the UPN's span and hash too, for the user interner.
 */
class WasmFieldReader implements FieldReader {
  values = new Int32Array(0);
  micros = new Float64Array(0);
  readonly arenas: InternerArenas;
  private readonly answersAt: number;

  constructor(private readonly scanner: WasmRecordScanner) {
    const { wasm } = scanner;
    this.answersAt = wasm.allocate(ANSWER_BYTES);
    wasm.bindRow(this.answersAt);
    // Taken once with the module and reused from range to range: an interner never makes the
    // memory grow while a range is read.
    const arena = (capacity: number) => new WasmSpellingArena(scanner, wasm.allocate(capacity + PADDING), capacity);
    this.arenas = { users: arena(4 << 20), capabilities: arena(64 << 10), callTypes: arena(16 << 10), countries: arena(16 << 10) };
  }

  bindColumns(columns: FieldColumns, currency: string): void {
    this.scanner.wasm.bindColumns(columns.startTime, columns.endTime, columns.duration, columns.charge, columns.connectionFee, columns.usageId, columns.upn, columns.currency);
    // Up to four capitals, packed; any other currency is left to the JavaScript reader.
    const comparable = /^[A-Z]{1,4}$/.test(currency);
    let code = 0;
    for (let i = comparable ? currency.length - 1 : -1; i >= 0; i--) code = (code << 8) | currency.charCodeAt(i);
    this.scanner.wasm.bindCurrency(code, comparable ? currency.length : -1);
  }

  /** Of the record the scanner last found: `buf` and `fields` are its buffer and spans. */
  read(_buf: Uint8Array, _fields: FieldSpans): FieldOutcome {
    const scanner = this.scanner;
    return scanner.wasm.readRowFields(scanner.bufferAt) === 1 ? FieldOutcome.Read : FieldOutcome.Declined;
  }

  refreshViews(memory: ArrayBuffer): void {
    this.micros = new Float64Array(memory, this.answersAt, 1);
    this.values = new Int32Array(memory, this.answersAt + 8, Slot.Count);
  }
}

/** A region of the module's memory where an interner keeps the bytes of its spellings. */
class WasmSpellingArena implements SpellingArena {
  constructor(
    private readonly scanner: WasmRecordScanner,
    private readonly at: number,
    readonly capacity: number,
  ) {}

  equals(at: number, buf: Uint8Array, from: number, length: number): boolean {
    const scanner = this.scanner;
    // A field of the record in the scanner's buffer: compared in the module, 16 bytes at a time.
    if (buf === scanner.buffer) return scanner.wasm.bytesEqual(this.at + at, scanner.bufferAt + from, length) === 1;
    // A field unescaped into the decoder's own scratch: compared here.
    const memory = scanner.memoryBytes;
    for (let i = 0; i < length; i++) if (memory[this.at + at + i] !== buf[from + i]) return false;
    return true;
  }

  store(at: number, buf: Uint8Array, from: number, to: number): Uint8Array {
    const memory = this.scanner.memoryBytes;
    memory.set(buf.subarray(from, to), this.at + at);
    return memory.subarray(this.at + at, this.at + at + (to - from));
  }

  copyOut(length: number): Uint8Array {
    return this.scanner.memoryBytes.slice(this.at, this.at + length);
  }
}
