/**
 * Longest-prefix lookup over digit strings. One hash probe per digit of the key, so the cost
 * depends on the number's length (at most 15 for E.164), never on how many prefixes are loaded.
 */
export class PrefixMap<T> {
  private readonly byPrefix = new Map<string, T>();
  private longest = 0;

  set(prefix: string, value: T): void {
    this.byPrefix.set(prefix, value);
    if (prefix.length > this.longest) this.longest = prefix.length;
  }

  get(prefix: string): T | undefined {
    return this.byPrefix.get(prefix);
  }

  values(): IterableIterator<T> {
    return this.byPrefix.values();
  }

  get size(): number {
    return this.byPrefix.size;
  }

  /** The value of the longest stored prefix of `digits` that `accept` takes, with that prefix. */
  longestMatch(digits: string, accept: (value: T) => boolean = () => true): { prefix: string; value: T } | undefined {
    for (let length = Math.min(this.longest, digits.length); length > 0; length--) {
      const prefix = digits.slice(0, length);
      const value = this.byPrefix.get(prefix);
      if (value !== undefined && accept(value)) return { prefix, value };
    }
    return undefined;
  }
}
