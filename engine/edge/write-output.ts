import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, invariant } from '../kernel/errors.js';

/**
 * A report file written beside its final name and renamed into place only once the run has passed
 * its checks: a run stopped by bad input or a broken invariant leaves no partial report behind.
 */
export class OutputFile {
  private readonly temporary: string;
  private fd: number | null;

  constructor(readonly file: string) {
    this.temporary = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
    this.fd = cannotWrite(file, () => openSync(this.temporary, 'w'));
  }

  write = (text: string): void => {
    const fd = this.fd;
    invariant(fd !== null, () => `${this.file}: written after it was closed`);
    cannotWrite(this.file, () => writeSync(fd, text));
  };

  /** Puts the file in place. */
  commit(): void {
    this.close();
    cannotWrite(this.file, () => renameSync(this.temporary, this.file));
  }

  /** Drops what was written; the final name is left as it was. */
  discard(): void {
    this.close();
    rmSync(this.temporary, { force: true });
  }

  private close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Writes a whole report file at once, through a temporary file. */
export function writeOutput(file: string, text: string): void {
  const output = new OutputFile(file);
  try {
    output.write(text);
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  }
}

/** Refuses, in one line, an output path that names one of the inputs: writing it would destroy it. */
export function refuseOutputsOverInputs(outputs: readonly (string | undefined)[], inputs: readonly string[]): void {
  const inputPaths = new Set(inputs.map(canonical));
  for (const output of outputs) {
    if (output !== undefined && inputPaths.has(canonical(output))) throw new InputError(`${output}: is an input of this run; choose another output file`);
  }
}

function canonical(file: string): string {
  return existsSync(file) ? realpathSync(file) : resolve(file);
}

function cannotWrite<T>(file: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
