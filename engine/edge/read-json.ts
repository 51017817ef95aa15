import { InputError } from '../kernel/errors.js';
import { tooDeepAt } from '../kernel/json-depth.js';
import { readBoundedBytes } from './input-file.js';
import { MAX_JSON_DEPTH, type InputLimit } from './input-limits.js';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });

/**
 * A JSON input (a scenario or a Graph file): read under its size limit, refused when nested
 * deeper than MAX_JSON_DEPTH, and parsed with a parse error placed at its line and column.
 */
export function readJsonFile(file: string, limit: InputLimit): unknown {
  const bytes = readBoundedBytes(file, limit);
  const deep = tooDeepAt(bytes, MAX_JSON_DEPTH);
  if (deep >= 0) {
    throw new InputError(`${file}: ${linePlace(bytes, deep)}: nested deeper than the JSON nesting limit of ${MAX_JSON_DEPTH} levels`);
  }
  // The decoder drops a byte-order mark, which JSON.parse would refuse.
  const text = utf8.decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${parsePlace(text, error as Error)})`);
  }
}

/** `line 3, column 7` of a byte offset, the column counted in characters. */
function linePlace(bytes: Uint8Array, offset: number): string {
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(10, offset - 1) + 1;
  let line = 1;
  for (let at = bytes.indexOf(10); at >= 0 && at < lineStart; at = bytes.indexOf(10, at + 1)) line++;
  const column = utf8.decode(bytes.subarray(lineStart, offset)).length + 1;
  return `line ${line}, column ${column}`;
}

function parsePlace(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = Number(position[1]) - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`;
}
