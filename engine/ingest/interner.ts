import { hashBytes } from './bytes.js';

/**
 * Byte strings to small ids without making a string per row: a string is made once per distinct
 * value. With `lowerCase`, ASCII letters compare and are stored lower-cased (UPNs).
 */
export class ByteInterner {
  readonly strings: string[] = [];
  private readonly stored: Uint8Array[] = [];
  private readonly byHash = new Map<number, number[]>();
  private readonly scratch = new Uint8Array(1024);
  private readonly decoder = new TextDecoder();

  constructor(private readonly lowerCase: boolean) {}

  intern(buf: Uint8Array, from: number, to: number): number {
    let source = buf;
    if (this.lowerCase || to - from > this.scratch.length) {
      source = this.lowered(buf, from, to);
      to = to - from;
      from = 0;
    }
    const hash = hashBytes(source, from, to, 0);
    const candidates = this.byHash.get(hash);
    if (candidates !== undefined) {
      for (const id of candidates) if (sameBytes(this.stored[id] as Uint8Array, source, from, to)) return id;
    }
    const copy = source.slice(from, to);
    const id = this.strings.push(this.decoder.decode(copy)) - 1;
    this.stored.push(copy);
    if (candidates === undefined) this.byHash.set(hash, [id]);
    else candidates.push(id);
    return id;
  }

  private lowered(buf: Uint8Array, from: number, to: number): Uint8Array {
    const length = to - from;
    const target = length <= this.scratch.length ? this.scratch : new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const byte = buf[from + i] as number;
      target[i] = this.lowerCase && byte >= 65 && byte <= 90 ? byte + 32 : byte;
    }
    return target;
  }
}

function sameBytes(stored: Uint8Array, buf: Uint8Array, from: number, to: number): boolean {
  if (stored.length !== to - from) return false;
  for (let i = 0; i < stored.length; i++) if (stored[i] !== buf[from + i]) return false;
  return true;
}
