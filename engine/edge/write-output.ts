import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, invariant } from '../kernel/errors.js';
import { loadScenario } from './load/load-scenario.js';
import { bundledData } from './load/package-data.js';

/**
 * A report file written beside its final name and renamed into place only once the run has passed
 * its checks: a run stopped by bad input or a broken invariant leaves no partial report behind.
 */
export class OutputFile {
  private readonly temporary: string;
  private fd: number | null;

  constructor(readonly file: string) {
    this.temporary = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
    // Created afresh ('wx'), so a leftover of that name, or a link planted there, is never written through.
    this.fd = cannotWrite(file, () => {
      rmSync(this.temporary, { force: true });
      return openSync(this.temporary, 'wx');
    });
  }

  write = (data: string | Uint8Array): void => {
    const fd = this.fd;
    invariant(fd !== null, () => `${this.file}: written after it was closed`);
    cannotWrite(this.file, () => (typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data)));
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
export function writeOutput(file: string, data: string | Uint8Array): void {
  const output = new OutputFile(file);
  try {
    output.write(data);
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  }
}

/**
 * Refuses, in one line, an output that is one of the run's inputs or another output of it: writing
 * it would destroy the input or the other report. "The same file" is the same device and inode, so
 * another path to it (a symbolic link, a hard link, `./x` for `x`) is caught too; an output that
 * does not exist yet can only be the same as another name of the same path.
 */
export function refuseOutputsOverInputs(outputs: Readonly<Record<string, string | undefined>>, inputs: readonly string[]): void {
  const inputsById = new Map(inputs.map((input) => [fileIdentity(input), input] as const));
  const outputsById = new Map<string, string>();
  for (const [option, output] of Object.entries(outputs)) {
    if (output === undefined) continue;
    const id = fileIdentity(output);
    const input = inputsById.get(id);
    if (input !== undefined) throw new InputError(`${option}: ${output} is the same file as the input ${input}; choose another output file`);
    const other = outputsById.get(id);
    if (other !== undefined) throw new InputError(`${option}: ${output} is the same file as ${other}; choose another output file`);
    outputsById.set(id, `${option} ${output}`);
  }
}

/**
 * Every file a run reads: the CDRs, the scenario and the rate tables and allowances it names (when
 * it cannot be read, the run stops on that before writing anything, with the same message).
 */
export function runInputFiles(cdrFiles: readonly string[], scenarioFile: string): string[] {
  // A scenario from a pipe can be read only once, by the run itself: its own files go unchecked.
  if (!isRegularFile(scenarioFile)) return [...cdrFiles, scenarioFile];
  const scenario = loadScenario(scenarioFile, bundledData().allowances);
  const tariffPlan = scenario.rating.cgrates?.tariffPlan;
  const planFiles = tariffPlan === undefined ? [] : TARIFF_PLAN_FILES.map((name) => join(tariffPlan, `${name}.csv`)).filter(isRegularFile);
  return [...cdrFiles, scenarioFile, ...scenario.rating.rateFiles, scenario.allowancesFile, ...planFiles];
}

/** The CSV files of a CGRateS tariff plan the rating reads (engine/edge/load/load-tariff-plan.ts). */
const TARIFF_PLAN_FILES = ['Destinations', 'Timings', 'Rates', 'DestinationRates', 'RatingPlans', 'RatingProfiles'];

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Device and inode of an existing file (whatever path or link names it), else its absolute path. */
function fileIdentity(file: string): string {
  try {
    const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (stat !== undefined) return `${stat.dev}:${stat.ino}`;
  } catch {
    // Not reachable (a path through a file, a folder without search permission): no file to lose there.
  }
  return `path:${resolve(file)}`;
}

function cannotWrite<T>(file: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
