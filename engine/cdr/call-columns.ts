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
}

export function packCountry(code: string): number {
  return code.length === 2 ? (code.charCodeAt(0) << 8) | code.charCodeAt(1) : 0;
}

export function unpackCountry(packed: number): string {
  return packed === 0 ? '' : String.fromCharCode(packed >> 8, packed & 0xff);
}

/** Every typed array of a CallColumns, for transfer lists and for sizing. */
export function columnBuffers(columns: CallColumns): ArrayBuffer[] {
  return [
    columns.startAt, columns.durationSeconds, columns.route, columns.allowance, columns.service, columns.rate, columns.user,
    columns.capability, columns.country, columns.recordedMicros, columns.line, columns.byteOffset,
    columns.usageHashHigh, columns.usageHashLow,
  ].map((array) => array.buffer as ArrayBuffer);
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

/** Appends rows into columns that grow by doubling; `finish` cuts them to size. */
export class ColumnBuilder {
  private capacity: number;
  private columns: CallColumns;

  constructor(fileIndex: number, expectedRows = 1024) {
    this.capacity = Math.max(16, expectedRows);
    this.columns = allocate(this.capacity, fileIndex);
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

  private grow(): void {
    const old = this.columns;
    this.capacity *= 2;
    const next = allocate(this.capacity, old.fileIndex);
    next.count = old.count;
    next.users = old.users;
    next.capabilities = old.capabilities;
    for (const key of COLUMN_KEYS) (next[key] as { set(source: ArrayLike<number>): void }).set(old[key]);
    this.columns = next;
  }
}

const COLUMN_KEYS = [
  'startAt', 'durationSeconds', 'route', 'allowance', 'service', 'rate', 'user', 'capability', 'country', 'recordedMicros',
  'line', 'byteOffset', 'usageHashHigh', 'usageHashLow',
] as const;

function allocate(capacity: number, fileIndex: number): CallColumns {
  return {
    count: 0,
    fileIndex,
    startAt: new Float64Array(capacity),
    durationSeconds: new Int32Array(capacity),
    route: new Uint8Array(capacity),
    allowance: new Int16Array(capacity),
    service: new Uint8Array(capacity),
    rate: new Int32Array(capacity),
    user: new Int32Array(capacity),
    capability: new Int32Array(capacity),
    country: new Uint16Array(capacity),
    recordedMicros: new Float64Array(capacity),
    line: new Uint32Array(capacity),
    byteOffset: new Float64Array(capacity),
    usageHashHigh: new Uint32Array(capacity),
    usageHashLow: new Uint32Array(capacity),
    users: [],
    capabilities: [],
  };
}
