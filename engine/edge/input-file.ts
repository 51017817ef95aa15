import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../kernel/errors.js';
import type { InputLimit } from './input-limits.js';

const FIRST_READ_BYTES = 1 << 16;
const PIPE_WAIT_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A file system error in words a user can act on. */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENXIO':
      return 'no such device or address';
    case 'EIO':
      return 'input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

export function cannotRead(file: string, error: unknown): InputError {
  return new InputError(`${file}: cannot read (${ioReason(error)})`);
}

/**
 * Opens an input and says what it is. It is opened without blocking, so that a named pipe nobody
 * writes to does not hang the run here; a directory, a device or a socket is refused by name (a
 * device such as /dev/zero never ends, and /dev/null is not an empty file a user meant).
 */
export function openInput(file: string): { fd: number; stat: Stats } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, error);
  }
  const stat = fstatSync(fd);
  const refused = stat.isDirectory()
    ? 'is a directory'
    : stat.isCharacterDevice()
      ? 'is a character device, not a file'
      : stat.isBlockDevice()
        ? 'is a block device, not a file'
        : stat.isSocket()
          ? 'is a socket, not a file'
          : undefined;
  if (refused !== undefined) {
    closeSync(fd);
    throw new InputError(`${file}: cannot read (${refused})`);
  }
  return { fd, stat };
}

/** `the scenario file limit of 64 MiB`, as messages name a limit. */
export function limitText(limit: InputLimit): string {
  const size = limit.bytes % (1 << 20) === 0 ? `${limit.bytes / (1 << 20)} MiB` : `${limit.bytes} bytes`;
  return `the ${limit.name} of ${size}`;
}

export function tooLarge(file: string, limit: InputLimit): InputError {
  return new InputError(`${file}: larger than ${limitText(limit)}`);
}

/**
 * A whole input file, or a named pipe read to its end, refused as soon as it passes `limit`: the
 * limit is checked while reading, so an endless pipe costs the limit, not all memory.
 */
export function readBoundedBytes(file: string, limit: InputLimit): Uint8Array {
  const { fd, stat } = openInput(file);
  try {
    if (stat.isFile() && stat.size > limit.bytes) throw tooLarge(file, limit);
    const pipe = stat.isFIFO();
    const chunks: Uint8Array[] = [];
    let total = 0;
    // A regular file comes in one read (its size, plus one byte to see that it did not grow).
    let wanted = pipe ? FIRST_READ_BYTES : Math.min(limit.bytes, stat.size) + 1;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(wanted, limit.bytes + 1 - total));
      const got = readSome(fd, chunk, pipe, file);
      if (got === 0) break;
      total += got;
      if (total > limit.bytes) throw tooLarge(file, limit);
      chunks.push(chunk.subarray(0, got));
      wanted = Math.max(FIRST_READ_BYTES, Math.min(total, 16 << 20));
    }
    if (pipe && total === 0) throw new InputError(`${file}: the named pipe gave no data`);
    return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The file as text (UTF-8; a byte-order mark is kept for the caller to strip). */
export function readBoundedText(file: string, limit: InputLimit): string {
  const bytes = readBoundedBytes(file, limit);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Reads what is there; a pipe opened without blocking says EAGAIN until its writer writes. */
function readSome(fd: number, chunk: Uint8Array, pipe: boolean, file: string): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      if (!pipe || (error as NodeJS.ErrnoException).code !== 'EAGAIN') throw cannotRead(file, error);
    }
    Atomics.wait(sleeper, 0, 0, PIPE_WAIT_MS);
  }
}
