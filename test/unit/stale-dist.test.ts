import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleSource } from '../build/stale-dist.js';

/** A package with one TypeScript source and one AssemblyScript source, and their builds, at the given times (seconds). */
function tree(times: { source: number; built: number; simd: number; wasm: number | null }): string {
  const root = mkdtempSync(join(tmpdir(), 'creditcast-stale-'));
  const file = (path: string, seconds: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), seconds, seconds);
  };
  file('engine/kernel/money.ts', times.source);
  file('dist/engine/kernel/money.js', times.built);
  file('engine/ingest/simd/index.ts', times.simd);
  if (times.wasm !== null) file('dist/engine/ingest/simd/ingest.wasm', times.wasm);
  return root;
}

describe('the check that tests run the current build', () => {
  it('finds nothing stale when every build is newer than its source', () => {
    expect(staleSource(tree({ source: 1000, built: 1001, simd: 1000, wasm: 1002 }))).toBeUndefined();
  });

  it('names a source changed after its build, or built into no file', () => {
    expect(staleSource(tree({ source: 1002, built: 1001, simd: 1000, wasm: 1002 }))).toBe(join('engine', 'kernel', 'money.ts'));
    expect(staleSource(tree({ source: 1000, built: 1001, simd: 1003, wasm: 1002 }))).toBe(join('engine', 'ingest', 'simd', 'index.ts'));
    expect(staleSource(tree({ source: 1000, built: 1001, simd: 1000, wasm: null }))).toBe(join('engine', 'ingest', 'simd', 'index.ts'));
  });
});
