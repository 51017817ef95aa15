import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds it first) as a user would. */
export function runCli(args: string[], cwd = ROOT): CliRun {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CREDITCAST_DEBUG: '' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'creditcast-test-'));
}

export function writeFiles(folder: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
}

/**
 * stderr without its warning lines (`creditcast: warning: …`, such as the pools sized from the
 * users seen): a run that went well prints nothing else there.
 */
export function onlyWarnings(stderr: string): string {
  return stderr.replace(/^creditcast: warning: [^\n]*\n/gm, '');
}
