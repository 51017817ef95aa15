/**
 * Byte strings to small ids without making a string per row: one open-addressing table of ids,
 * the bytes of each distinct value in one arena, and a string made once per distinct value. With
 * `lowerCase`, ASCII letters hash, compare and are stored lower-cased (UPNs).
 */
export class ByteInterner {
  readonly strings: string[] = [];
  private slots: Int32Array = new Int32Array(1024).fill(-1);
  private arena: Uint8Array = new Uint8Array(16_384);
  private arenaUsed = 0;
  private starts: Int32Array = new Int32Array(256);
  private hashes: Int32Array = new Int32Array(256);
  private readonly decoder = new TextDecoder();

  constructor(private readonly lowerCase: boolean) {}

  intern(buf: Uint8Array, from: number, to: number): number {
    const lower = this.lowerCase;
    let hash = 0x811c9dc5;
    for (let at = from; at < to; at++) {
      let byte = buf[at] as number;
      if (lower && byte >= 65 && byte <= 90) byte += 32;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
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
    const end = this.starts[id + 1] as number;
    if (end - start !== to - from) return false;
    const arena = this.arena;
    for (let i = 0; i < end - start; i++) {
      let byte = buf[from + i] as number;
      if (this.lowerCase && byte >= 65 && byte <= 90) byte += 32;
      if (arena[start + i] !== byte) return false;
    }
    return true;
  }

  private add(buf: Uint8Array, from: number, to: number, hash: number, slot: number): number {
    const id = this.strings.length;
    const length = to - from;
    if (this.arenaUsed + length > this.arena.length) this.arena = grown(this.arena, this.arenaUsed + length);
    if (id + 2 > this.starts.length) {
      this.starts = grownInt(this.starts);
      this.hashes = grownInt(this.hashes);
    }
    const start = this.arenaUsed;
    for (let i = 0; i < length; i++) {
      let byte = buf[from + i] as number;
      if (this.lowerCase && byte >= 65 && byte <= 90) byte += 32;
      this.arena[start + i] = byte;
    }
    this.arenaUsed += length;
    this.starts[id] = start;
    this.starts[id + 1] = this.arenaUsed;
    this.hashes[id] = hash;
    this.strings.push(this.decoder.decode(this.arena.subarray(start, this.arenaUsed)));
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
