/**
 * A phone number's digits, extracted once per row into a reused buffer: every lookup (country,
 * toll-free range, emergency number, rate) then walks tries over these digits without a string.
 */
export class DialledNumber {
  readonly digits = new Uint8Array(32);
  length = 0;
  masked = false;

  /** Digits of buf[from, to) before the first mask character; other characters are skipped. */
  readBytes(buf: Uint8Array, from: number, to: number): this {
    this.length = 0;
    this.masked = false;
    for (let at = from; at < to; at++) {
      const byte = buf[at] as number;
      if (byte >= 48 && byte <= 57) {
        if (this.length < this.digits.length) this.digits[this.length++] = byte - 48;
      } else if (byte === 42 || byte === 88 || byte === 120) {
        this.masked = true;
        return this;
      }
    }
    return this;
  }

  readString(text: string): this {
    const bytes = new TextEncoder().encode(text);
    return this.readBytes(bytes, 0, bytes.length);
  }

  text(): string {
    let text = '';
    for (let i = 0; i < this.length; i++) text += String(this.digits[i]);
    return text;
  }
}

/**
 * Longest-prefix lookup over decimal digits: one array step per digit, so the cost depends on the
 * number's length (at most 15 digits), never on how many prefixes are loaded.
 */
export class DigitTrie {
  private children = new Int32Array(10 * 1024).fill(-1);
  private values = new Int32Array(1024).fill(-1);
  private nodes = 1;

  get size(): number {
    return this.nodes;
  }

  /** Stores `value` (0 or more) at the digits of `prefix`; returns the value already there, or -1. */
  insert(prefix: string, value: number): number {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const digit = prefix.charCodeAt(i) - 48;
      let child = this.children[node * 10 + digit] as number;
      if (child < 0) {
        child = this.grow();
        this.children[node * 10 + digit] = child;
      }
      node = child;
    }
    const previous = this.values[node] as number;
    if (previous < 0) this.values[node] = value;
    return previous;
  }

  child(node: number, digit: number): number {
    return this.children[node * 10 + digit] as number;
  }

  valueAt(node: number): number {
    return this.values[node] as number;
  }

  /** The value of the longest stored prefix of the number, or -1. */
  longest(number: DialledNumber): number {
    let node = 0;
    let found = this.values[0] as number;
    for (let i = 0; i < number.length; i++) {
      node = this.children[node * 10 + (number.digits[i] as number)] as number;
      if (node < 0) break;
      const value = this.values[node] as number;
      if (value >= 0) found = value;
    }
    return found;
  }

  /** The value stored at exactly the number's digits, or -1 (a masked number matches nothing). */
  exact(number: DialledNumber): number {
    if (number.masked) return -1;
    let node = 0;
    for (let i = 0; i < number.length; i++) {
      node = this.children[node * 10 + (number.digits[i] as number)] as number;
      if (node < 0) return -1;
    }
    return this.values[node] as number;
  }

  private grow(): number {
    if (this.nodes === this.values.length) {
      const values = new Int32Array(this.values.length * 2).fill(-1);
      values.set(this.values);
      this.values = values;
      const children = new Int32Array(this.children.length * 2).fill(-1);
      children.set(this.children);
      this.children = children;
    }
    return this.nodes++;
  }
}
