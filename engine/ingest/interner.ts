/**
 * Memory outside the interner where it may keep the bytes of its spellings (the WebAssembly
 * module's, wasm-scanner.ts), so that they are compared where the records lie.
 */
export interface SpellingArena {
  readonly capacity: number;
  /** Whether the arena's bytes from `at` are buf[from, from + length). */
  equals(at: number, buf: Uint8Array, from: number, length: number): boolean;
  /** Copies buf[from, to) into the arena at `at`, and returns the copy (a view, for its text). */
  store(at: number, buf: Uint8Array, from: number, to: number): Uint8Array;
  /** The arena's first `length` bytes, copied out. */
  copyOut(length: number): Uint8Array;
}

/**
 * Byte strings to small ids without making a string per row: one open-addressing table of ids,
 * the bytes of each distinct spelling in one arena, and a string made once per distinct spelling.
 * The hot path compares exact bytes; with `fold`, each spelling's string is folded once, when first
 * seen, so "Ann@X" and "ann@x" (or "JÜRGEN@x" and "jürgen@x") get two ids with the same string
 * here and one id once parts are merged (edge/read/table-merger.ts, by string): no row pays for
 * the fold, ASCII or not.
 */
export class ByteInterner {
  readonly strings: string[] = [];
  private slots: Int32Array = new Int32Array(1024).fill(-1);
  private arena: Uint8Array = new Uint8Array(16_384);
  private arenaUsed = 0;
  private starts: Int32Array = new Int32Array(256);
  private hashes: Int32Array = new Int32Array(256);
  private readonly decoder = new TextDecoder();

  // For columns of a handful of values (call types, capabilities): the id last seen per (length,
  // first byte, last byte), checked byte by byte, before any hashing.
  private readonly recent: Int32Array | null;

  /**
   * With `outside`, spellings are kept there (the WebAssembly module's memory, where they are
   * compared with the record's bytes 16 at a time); when it is full they move to an arena of our own.
   */
  private outside: SpellingArena | null;

  constructor(
    private readonly fold: ((text: string) => string) | null,
    fewValues = false,
    outside?: SpellingArena,
  ) {
    this.recent = fewValues ? new Int32Array(64).fill(-1) : null;
    this.outside = outside ?? null;
  }

  intern(buf: Uint8Array, from: number, to: number): number {
    const recent = this.recent;
    if (recent === null || to === from) return this.lookup(buf, from, to);
    const key = (Math.imul(to - from, 31) + Math.imul(buf[from] as number, 7) + (buf[to - 1] as number)) & 63;
    const id = recent[key] as number;
    if (id >= 0 && this.equals(id, buf, from, to)) return id;
    return (recent[key] = this.lookup(buf, from, to));
  }

  /** `intern`, for bytes whose hashSpan is known (the WebAssembly row reader makes the UPN's). */
  internHashed(buf: Uint8Array, from: number, to: number, hash: number): number {
    return this.lookup(buf, from, to, hash);
  }

  private lookup(buf: Uint8Array, from: number, to: number, hash = hashSpan(buf, from, to)): number {
    const mask = this.slots.length - 1;
    let slot = (hash ^ (hash >>> 15)) & mask;
    for (let id = this.slots[slot] as number; id !== -1; id = this.slots[slot] as number) {
      if (this.hashes[id] === hash && this.equals(id, buf, from, to)) return id;
      slot = (slot + 1) & mask;
    }
    return this.add(buf, from, to, hash, slot);
  }

  private equals(id: number, buf: Uint8Array, from: number, to: number): boolean {
    const start = this.starts[id] as number;
    const length = (this.starts[id + 1] as number) - start;
    if (length !== to - from) return false;
    const outside = this.outside;
    if (outside !== null) return outside.equals(start, buf, from, length);
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[start + i] !== buf[from + i]) return false;
    return true;
  }

  private add(buf: Uint8Array, from: number, to: number, hash: number, slot: number): number {
    const id = this.strings.length;
    const length = to - from;
    if (id + 2 > this.starts.length) {
      this.starts = grownInt(this.starts);
      this.hashes = grownInt(this.hashes);
    }
    const start = this.arenaUsed;
    let outside = this.outside;
    if (outside !== null && start + length > outside.capacity) {
      // The arena outside is full: the spellings so far move to an arena of our own.
      this.arena = outside.copyOut(start);
      this.outside = outside = null;
    }
    let stored: Uint8Array;
    if (outside !== null) stored = outside.store(start, buf, from, to);
    else {
      if (start + length > this.arena.length) this.arena = grown(this.arena, start + length);
      this.arena.set(buf.subarray(from, to), start);
      stored = this.arena.subarray(start, start + length);
    }
    this.arenaUsed += length;
    this.starts[id] = start;
    this.starts[id + 1] = this.arenaUsed;
    this.hashes[id] = hash;
    const text = this.decoder.decode(stored);
    this.strings.push(this.fold === null ? text : this.fold(text));
    this.slots[slot] = id;
    if (this.strings.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      const hash = this.hashes[id] as number;
      let slot = (hash ^ (hash >>> 15)) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** Only ASCII letters fold: the rule the byte-level comparisons of call types and the like follow. */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * A 32-bit hash of buf[from, to), four bytes to a multiply: a chain of one multiply per byte is
 * what made interning slow.
 */
export function hashSpan(buf: Uint8Array, from: number, to: number): number {
  let hash = Math.imul(to - from, 0x9e3779b1);
  let at = from;
  for (; at + 4 <= to; at += 4) {
    const word = (buf[at] as number) | ((buf[at + 1] as number) << 8) | ((buf[at + 2] as number) << 16) | ((buf[at + 3] as number) << 24);
    hash = Math.imul(hash ^ word, 0x85ebca6b);
    hash ^= hash >>> 15;
  }
  for (; at < to; at++) hash = Math.imul(hash ^ (buf[at] as number), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

function grown(array: Uint8Array, atLeast: number): Uint8Array {
  const next = new Uint8Array(Math.max(array.length * 2, atLeast));
  next.set(array);
  return next;
}

function grownInt(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
