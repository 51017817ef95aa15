/**
 * Two kinds of failure: bad input is expected and ends the run with one line naming
 * where and what; a broken invariant is a bug and must stop the run before any report is written.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantError(message());
}

/** `file:line` or just `file`, as every message about an input place starts. */
export function place(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}
