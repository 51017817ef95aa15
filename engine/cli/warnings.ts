import { shortLine } from '../kernel/quote.js';
import type { Trials } from '../forecast/trials.js';

/** The warnings of every trial, each once, in order (trials of one history guess the same pools, mostly). */
export function trialWarnings(trials: Trials): string[] {
  return [...new Set(trials.histories.flatMap((history) => history.warnings))].sort();
}

/** Warnings go to stderr, one escaped line each, whatever stdout carries. */
export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`${shortLine(`creditcast: warning: ${warning}`)}\n`);
}
