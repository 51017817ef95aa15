const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Where a JSON text first opens an array or object deeper than `maxDepth`, or -1 when it never
 * does. Read over UTF-8 bytes (every byte of a multi-byte character is 0x80 or above, so never a
 * bracket or a quote) without recursion, before anything walks the parsed value recursively and
 * overflows the stack. Brackets inside strings do not count; a text that is not valid JSON is left
 * to the parser to describe.
 */
export function tooDeepAt(bytes: Uint8Array, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at] as number;
    if (inString) {
      if (byte === BACKSLASH) at++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return at;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth--;
  }
  return -1;
}
