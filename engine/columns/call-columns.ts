import { invariant } from '../kernel/errors.js';

/**
 * Accepted calls as columns of typed arrays: about 50 bytes a call, no object per call, and cheap
 * to move between threads (the buffers are transferred, not copied). One `CallColumns` holds the
 * rows of one byte range of one file, in file order.
 */
export interface CallColumns {
  count: number;
  fileIndex: number;
  startAt: Float64Array;
  durationSeconds: Int32Array;
  /** RouteCode of classify.ts. */
  route: Uint8Array;
  /** Index of the allowances row, or -1. */
  allowance: Int16Array;
  /** Index into RATE_SERVICES. */
  service: Uint8Array;
  /** Index of the rate row for the route's service at the call's start, or -1 (no rate). */
  rate: Int32Array;
  /** Index into `users` (into the table's users once merged). */
  user: Int32Array;
  /** Index into `capabilities`, or -1 for an empty capability. */
  capability: Int32Array;
  /** Usage country as two ASCII letters packed into 16 bits; 0 when empty. */
  country: Uint16Array;
  /** The export's Charge + Connection Fee in micros; -1 when the row has neither. */
  recordedMicros: Float64Array;
  line: Uint32Array;
  /** Where the row's record starts in its file; it ends where the scanner says (no length kept: 4 bytes a call). */
  byteOffset: Float64Array;
  /** 64-bit fingerprint of the UsageId (0/0 for none), for finding duplicates across files. */
  usageHashHigh: Uint32Array;
  usageHashLow: Uint32Array;
  users: string[];
  capabilities: string[];
  /**
   * The Capability the export recorded, where a later pass put the caller's plan in `capability`
   * (pools/plan-attribution.ts); absent when no row of the part was changed.
   */
  recordedCapability?: Int32Array;
  /**
   * The one buffer every column above is a view on, when the part was handed over without a copy
   * (`ColumnBuilder.handOver`): it moves between threads whole and can be filled again once the
   * part is no longer needed.
   */
  block?: ArrayBuffer;
}

export function packCountry(code: string): number {
  return code.length === 2 ? (code.charCodeAt(0) << 8) | code.charCodeAt(1) : 0;
}

export function unpackCountry(packed: number): string {
  return packed === 0 ? '' : String.fromCharCode(packed >> 8, packed & 0xff);
}

/** The buffers behind a CallColumns, each once, for transfer lists. */
export function columnBuffers(columns: CallColumns): ArrayBuffer[] {
  if (columns.block !== undefined) return [columns.block];
  return COLUMN_KEYS.map((key) => columns[key].buffer as ArrayBuffer);
}

export interface CallRow {
  startAt: number;
  durationSeconds: number;
  route: number;
  allowance: number;
  service: number;
  rate: number;
  user: number;
  capability: number;
  country: number;
  recordedMicros: number;
  line: number;
  byteOffset: number;
  usageHashHigh: number;
  usageHashLow: number;
}

/**
 * Appends rows into columns that grow by doubling; `finish` cuts them to size. With `inOneBlock`
 * (the ingest's ranges), the columns are laid out in one buffer that `handOver` gives away whole;
 * otherwise each has its own, as tables of a million calls and more are made trial after trial:
 * one buffer that large is new memory each time (every page first touched again), while buffers a
 * column each are reused by the allocator (bootstrap trials took twice as long in one block).
 */
export class ColumnBuilder {
  private capacity: number;
  private columns: CallColumns;

  constructor(
    fileIndex: number,
    expectedRows = 1024,
    private readonly inOneBlock = false,
  ) {
    this.capacity = Math.ceil(Math.max(16, expectedRows) / 8) * 8;
    this.columns = this.allocate(this.capacity, fileIndex);
  }

  get count(): number {
    return this.columns.count;
  }

  /** Interned user and capability tables of this part. */
  get users(): string[] {
    return this.columns.users;
  }

  get capabilities(): string[] {
    return this.columns.capabilities;
  }

  /**
   * Empties the builder for another part and keeps its grown arrays: a worker decodes range after
   * range, and new memory is slow to touch on these machines (`finish` hands out copies).
   */
  reset(fileIndex: number): this {
    this.columns.count = 0;
    this.columns.fileIndex = fileIndex;
    this.columns.users = [];
    this.columns.capabilities = [];
    return this;
  }

  /** The columns, with room for one more row at `count`: the ingest hot path writes its fields directly. */
  reserve(): CallColumns {
    if (this.columns.count === this.capacity) this.grow();
    return this.columns;
  }

  append(row: CallRow): void {
    const c = this.reserve();
    const i = c.count++;
    c.startAt[i] = row.startAt;
    c.durationSeconds[i] = row.durationSeconds;
    c.route[i] = row.route;
    c.allowance[i] = row.allowance;
    c.service[i] = row.service;
    c.rate[i] = row.rate;
    c.user[i] = row.user;
    c.capability[i] = row.capability;
    c.country[i] = row.country;
    c.recordedMicros[i] = row.recordedMicros;
    c.line[i] = row.line;
    c.byteOffset[i] = row.byteOffset;
    c.usageHashHigh[i] = row.usageHashHigh;
    c.usageHashLow[i] = row.usageHashLow;
  }

  /** Copies row `index` of another part, at a new start time (forecast models move calls in time). */
  appendFrom(part: CallColumns, index: number, startAt: number): void {
    if (this.columns.count === this.capacity) this.grow();
    const c = this.columns;
    const i = c.count++;
    c.startAt[i] = startAt;
    c.durationSeconds[i] = part.durationSeconds[index] as number;
    c.route[i] = part.route[index] as number;
    c.allowance[i] = part.allowance[index] as number;
    c.service[i] = part.service[index] as number;
    c.rate[i] = part.rate[index] as number;
    c.user[i] = part.user[index] as number;
    c.capability[i] = part.capability[index] as number;
    c.country[i] = part.country[index] as number;
    c.recordedMicros[i] = part.recordedMicros[index] as number;
    c.line[i] = part.line[index] as number;
    c.byteOffset[i] = part.byteOffset[index] as number;
    c.usageHashHigh[i] = 0;
    c.usageHashLow[i] = 0;
  }

  /** The rows so far, copied into arrays of their exact size (the builder keeps its own). */
  finish(): CallColumns {
    const c = this.columns;
    const n = c.count;
    return {
      count: n,
      fileIndex: c.fileIndex,
      startAt: c.startAt.slice(0, n),
      durationSeconds: c.durationSeconds.slice(0, n),
      route: c.route.slice(0, n),
      allowance: c.allowance.slice(0, n),
      service: c.service.slice(0, n),
      rate: c.rate.slice(0, n),
      user: c.user.slice(0, n),
      capability: c.capability.slice(0, n),
      country: c.country.slice(0, n),
      recordedMicros: c.recordedMicros.slice(0, n),
      line: c.line.slice(0, n),
      byteOffset: c.byteOffset.slice(0, n),
      usageHashHigh: c.usageHashHigh.slice(0, n),
      usageHashLow: c.usageHashLow.slice(0, n),
      users: c.users,
      capabilities: c.capabilities,
    };
  }

  /**
   * The rows so far as views on the builder's block, without a copy; the builder goes on in `spare`
   * when it is large enough, else in a new block. Copying a range's rows into new memory cost more
   * than decoding them: every page of new memory is slow to touch on these machines, so a replay
   * that is done with a part hands its block back to be filled again.
   */
  handOver(spare?: ArrayBuffer): CallColumns {
    invariant(this.inOneBlock, () => 'handOver needs a builder in one block');
    const c = this.columns;
    const part: CallColumns = { ...c };
    for (const key of COLUMN_KEYS) (part[key] as TypedColumn) = (c[key] as TypedColumn).subarray(0, c.count);
    if (spare !== undefined && rowsIn(spare) >= this.capacity) {
      this.capacity = rowsIn(spare);
      this.columns = columnsOn(spare, this.capacity, c.fileIndex);
    } else this.columns = this.allocate(this.capacity, c.fileIndex);
    return part;
  }

  private grow(): void {
    const old = this.columns;
    this.capacity *= 2;
    const next = this.allocate(this.capacity, old.fileIndex);
    next.count = old.count;
    next.users = old.users;
    next.capabilities = old.capabilities;
    for (const key of COLUMN_KEYS) (next[key] as TypedColumn).set(old[key].subarray(0, old.count));
    this.columns = next;
  }

  /** `capacity` is a multiple of 8. */
  private allocate(capacity: number, fileIndex: number): CallColumns {
    if (this.inOneBlock) return columnsOn(new ArrayBuffer(capacity * BLOCK_BYTES_PER_ROW), capacity, fileIndex);
    return {
      count: 0, fileIndex, startAt: new Float64Array(capacity), durationSeconds: new Int32Array(capacity), route: new Uint8Array(capacity),
      allowance: new Int16Array(capacity), service: new Uint8Array(capacity), rate: new Int32Array(capacity), user: new Int32Array(capacity),
      capability: new Int32Array(capacity), country: new Uint16Array(capacity), recordedMicros: new Float64Array(capacity),
      line: new Uint32Array(capacity), byteOffset: new Float64Array(capacity), usageHashHigh: new Uint32Array(capacity),
      usageHashLow: new Uint32Array(capacity), users: [], capabilities: [],
    };
  }
}

type TypedColumn = { set(source: ArrayLike<number>): void; subarray(start: number, end: number): TypedColumn };

/** Widest first, so that every column starts aligned for its type (capacities are multiples of 8). */
const COLUMN_KEYS = [
  'startAt', 'recordedMicros', 'byteOffset',
  'durationSeconds', 'rate', 'user', 'capability', 'line', 'usageHashHigh', 'usageHashLow',
  'allowance', 'country',
  'route', 'service',
] as const;

/** Bytes a row takes in a block: three 8-byte columns, seven of 4, two of 2 and two of 1. */
export const BLOCK_BYTES_PER_ROW = 3 * 8 + 7 * 4 + 2 * 2 + 2;

/** How many rows a block has room for. */
function rowsIn(block: ArrayBuffer): number {
  return Math.floor(block.byteLength / BLOCK_BYTES_PER_ROW / 8) * 8;
}

/** A part with no rows. */
export function emptyColumns(fileIndex: number): CallColumns {
  const { block: _, ...columns } = columnsOn(new ArrayBuffer(0), 0, fileIndex);
  return columns;
}

/** Empty columns laid out one after another in `block`, each `capacity` rows long. */
function columnsOn(block: ArrayBuffer, capacity: number, fileIndex: number): CallColumns {
  let at = 0;
  const next = <T>(make: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T, bytes: number): T => {
    const view = new make(block, at, capacity);
    at += bytes * capacity;
    return view;
  };
  // In COLUMN_KEYS order.
  const startAt = next(Float64Array, 8);
  const recordedMicros = next(Float64Array, 8);
  const byteOffset = next(Float64Array, 8);
  const durationSeconds = next(Int32Array, 4);
  const rate = next(Int32Array, 4);
  const user = next(Int32Array, 4);
  const capability = next(Int32Array, 4);
  const line = next(Uint32Array, 4);
  const usageHashHigh = next(Uint32Array, 4);
  const usageHashLow = next(Uint32Array, 4);
  const allowance = next(Int16Array, 2);
  const country = next(Uint16Array, 2);
  const route = next(Uint8Array, 1);
  const service = next(Uint8Array, 1);
  return {
    count: 0, fileIndex, startAt, durationSeconds, route, allowance, service, rate, user, capability, country, recordedMicros,
    line, byteOffset, usageHashHigh, usageHashLow, users: [], capabilities: [], block,
  };
}
