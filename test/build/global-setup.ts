import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { staleSource } from './stale-dist.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Tests run what they build: before the tests (and before each rerun in watch mode), dist/ is
 * built again if a source of engine/ changed since the last build. `npm test` builds first (its
 * pretest), so there dist/ is current and nothing is built twice.
 */
export default function setup(project: TestProject): void {
  buildIfStale();
  project.onTestsRerun(() => buildIfStale());
}

function buildIfStale(): void {
  const stale = staleSource(ROOT);
  if (stale === undefined) return;
  process.stderr.write(`dist/ is older than ${stale}: running npm run build\n`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed: the tests would run an old dist/, so none is run');
  const still = staleSource(ROOT);
  if (still !== undefined) throw new Error(`dist/ is still older than ${still} after npm run build`);
}
