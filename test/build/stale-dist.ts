import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What `npm run build` makes of each source of engine/: tsc a .js beside it in dist/, asc one .wasm of simd/. */
function builtFrom(root: string, source: string): string {
  const path = relative(root, source);
  if (path.startsWith(join('engine', 'ingest', 'simd'))) return join(root, 'dist', 'engine', 'ingest', 'simd', 'ingest.wasm');
  return join(root, 'dist', path.replace(/\.ts$/, '.js'));
}

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The first source of engine/ (relative to `root`) changed since its build: tests load the workers
 * and the WebAssembly module from dist/, so they would run the older code. Undefined when dist/
 * is current.
 */
export function staleSource(root: string): string | undefined {
  for (const source of sources(join(root, 'engine'))) {
    const built = builtFrom(root, source);
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) return relative(root, source);
  }
  return undefined;
}
