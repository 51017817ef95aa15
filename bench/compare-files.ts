/**
 * Byte-for-byte comparison of two files, streamed in chunks so that a 1M-row explain file is never
 * held whole, and, when they differ, the first line where they part, as each file has it.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface FileDifference {
  /** 1-based line number of the first differing byte. */
  line: number;
  oldText: string;
  newText: string;
}

const CHUNK_BYTES = 4 << 20;
const NEWLINE = 0x0a;
// A line is shown whole up to this length; a longer one as a window around the first differing column.
const SHOWN_CHARS = 160;
const WINDOW_BYTES = 64 << 10;

/** Null when both files hold the same bytes; otherwise where they first differ. */
export function firstDifference(oldFile: string, newFile: string): FileDifference | null {
  const oldFd = openSync(oldFile, 'r');
  const newFd = openSync(newFile, 'r');
  const oldChunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const newChunk = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    let offset = 0;
    let line = 1;
    for (;;) {
      const oldBytes = readFully(oldFd, oldChunk, offset);
      const newBytes = readFully(newFd, newChunk, offset);
      const common = Math.min(oldBytes, newBytes);
      if (oldBytes === newBytes && oldChunk.compare(newChunk, 0, common, 0, common) === 0) {
        if (oldBytes === 0) return null;
        line += newlinesIn(oldChunk, common);
        offset += oldBytes;
        continue;
      }
      const at = firstUnequal(oldChunk, newChunk, common);
      line += newlinesIn(oldChunk, at);
      return { line, oldText: lineAround(oldFd, offset + at), newText: lineAround(newFd, offset + at) };
    }
  } finally {
    closeSync(oldFd);
    closeSync(newFd);
  }
}

/** Every file under `folder`, as paths relative to it, sorted; none when the folder is missing. */
export function filesUnder(folder: string, prefix = ''): string[] {
  if (!existsSync(folder)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...filesUnder(join(folder, entry.name), relative));
    else found.push(relative);
  }
  return found.sort();
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let filled = 0;
  while (filled < buffer.length) {
    const got = readSync(fd, buffer, filled, buffer.length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return filled;
}

function newlinesIn(buffer: Buffer, end: number): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE, 0); at >= 0 && at < end; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

function firstUnequal(a: Buffer, b: Buffer, common: number): number {
  let at = 0;
  while (at < common && a[at] === b[at]) at++;
  return at;
}

/** The line holding byte `offset` (or the end of the file, when it is shorter), quoted. */
function lineAround(fd: number, offset: number): string {
  const start = Math.max(0, offset - WINDOW_BYTES);
  const window = Buffer.allocUnsafe(2 * WINDOW_BYTES);
  const got = readFully(fd, window, start);
  const at = offset - start;
  if (at >= got) return '(end of file)';
  const lineStart = at === 0 ? 0 : window.lastIndexOf(NEWLINE, at - 1) + 1;
  const newline = window.indexOf(NEWLINE, at);
  const lineEnd = newline < 0 || newline >= got ? got : newline;
  const text = window.toString('utf8', lineStart, lineEnd).replace(/\r$/, '');
  if (text.length <= SHOWN_CHARS) return JSON.stringify(text);
  const column = window.toString('utf8', lineStart, at).length;
  const from = Math.max(0, column - SHOWN_CHARS / 2);
  return `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, from + SHOWN_CHARS))}…`;
}
