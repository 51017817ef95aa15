const PLUS = 43;
const OPEN = 40;
const CLOSE = 41;
const ZERO = 48;

/** Bytes people type between the digits of a number: space, hyphen, dot. */
function isSeparator(byte: number): boolean {
  return byte === 32 || byte === 45 || byte === 46;
}

/** Bytes an export masks trailing digits with: `*`, or `X` / `x`. */
function isMask(byte: number): boolean {
  return byte === 42 || byte === 88 || byte === 120;
}

/**
 * A phone number's digits, extracted once per row into a reused buffer: every lookup (country,
 * toll-free range, emergency number, rate) then walks tries over these digits without a string.
 *
 * A number is an optional leading `+`, digits, the separators people type (space, `-`, `.`, one
 * level of parentheses) and a trailing mask (`*`, `X`); a bracketed trunk `(0)` right after the
 * country code of a `+` number is dropped (`+44 (0)7801 637760` is 447801637760). Anything else
 * (`=1+1`, letters, a second `+`, a digit after the mask, unbalanced parentheses, more digits than
 * the buffer holds) leaves `valid` false: the row is rejected `bad-number`, never guessed at.
 */
export class DialledNumber {
  readonly digits = new Uint8Array(32);
  length = 0;
  masked = false;
  valid = true;

  /** Reads buf[from, to) (trimmed of spaces by the caller or not): see the class. */
  readBytes(buf: Uint8Array, from: number, to: number): this {
    const digits = this.digits;
    // Locals, not fields, in the loop: it runs for every byte of every row's number.
    let length = 0;
    let masked = false;
    let valid = true;
    let at = from;
    while (at < to && buf[at] === 32) at++;
    const plus = at < to && buf[at] === PLUS;
    if (plus) at++;
    // Digits read when the open parenthesis came; -1 outside parentheses.
    let groupFrom = -1;
    for (; at < to; at++) {
      const byte = buf[at] as number;
      const value = byte - ZERO;
      if (value >= 0 && value <= 9) {
        if (masked || length === digits.length) {
          valid = false;
          break;
        }
        digits[length++] = value;
      } else if (isSeparator(byte)) continue;
      else if (isMask(byte)) masked = true;
      else if (byte === OPEN && groupFrom < 0 && !masked) groupFrom = length;
      else if (byte === CLOSE && groupFrom >= 0) {
        if (plus && isTrunkGroup(buf, at, groupFrom, length, digits)) length--;
        groupFrom = -1;
      } else {
        valid = false;
        break;
      }
    }
    this.length = length;
    this.masked = masked;
    this.valid = valid && groupFrom < 0 && (!plus || length > 0 || masked);
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
 * Whether the parenthesised group closing at buf[close] is exactly `(0)` and follows a country
 * code (the first one to three digits): the trunk prefix people write in international numbers.
 */
function isTrunkGroup(buf: Uint8Array, close: number, groupFrom: number, length: number, digits: Uint8Array): boolean {
  return groupFrom >= 1 && groupFrom <= 3 && length === groupFrom + 1 && digits[groupFrom] === 0 && buf[close - 1] === ZERO && buf[close - 2] === OPEN;
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
