/**
 * Text from an input shown to a person: control characters a terminal would act on (clear the
 * screen, set the window title, ring the bell, move the cursor, reorder the line) are shown
 * escaped instead, and a long value is cut to a short prefix, so a hostile or broken export can
 * neither drive the terminal nor flood it with megabytes.
 */

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidirectional
 * marks, embeddings, overrides and isolates (which reorder what follows them on screen).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Characters of a value quoted in a message before the rest is only counted. */
export const QUOTED_PREFIX_CHARS = 80;

/** Characters of a whole one-line message before the rest is only counted. */
export const MESSAGE_CHARS = 2_000;

/** `text` with every control character written as an escape: `\x1b`, `\x07`, `\r`, `\u{202e}`. */
export function printable(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeOne) : text;
}

/**
 * A value from an input as a message quotes it: in double quotes, escaped, and at most its first
 * `maxChars` characters, the rest counted (`"abc…"…and 52,428,800 more bytes`).
 */
export function quoted(value: string, maxChars = QUOTED_PREFIX_CHARS): string {
  const { head, moreBytes } = cut(value, maxChars);
  return `"${printable(head)}"${moreBytes === 0 ? '' : `…and ${moreBytes.toLocaleString('en')} more bytes`}`;
}

/** A whole line of text, escaped and cut to at most `maxChars` characters before the count of the rest. */
export function shortLine(text: string, maxChars = MESSAGE_CHARS): string {
  const { head, moreBytes } = cut(text, maxChars);
  return `${printable(head)}${moreBytes === 0 ? '' : `…and ${moreBytes.toLocaleString('en')} more bytes`}`;
}

/** Text of several lines for a terminal: each line escaped and cut as `shortLine` does. */
export function printableLines(text: string, maxChars = MESSAGE_CHARS): string {
  return text
    .split('\n')
    .map((line) => shortLine(line, maxChars))
    .join('\n');
}

/** The first `maxChars` UTF-16 units of `text` (never half a surrogate pair) and the UTF-8 bytes after them. */
function cut(text: string, maxChars: number): { head: string; moreBytes: number } {
  if (text.length <= maxChars) return { head: text, moreBytes: 0 };
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { head: text.slice(0, end), moreBytes: Buffer.byteLength(text.slice(end), 'utf8') };
}

function escapeOne(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
