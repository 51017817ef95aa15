import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NumberingFiles } from './load-numbering.js';

/** The package root, found from this module whether it runs from engine/ (tests) or dist/engine/. */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('creditcast: cannot find the package root');
    folder = parent;
  }
  return folder;
}

/** Reference data shipped in data/. */
export function bundledData(): NumberingFiles & { allowances: string } {
  const data = join(packageRoot(), 'data');
  return {
    allowances: join(data, 'allowances.csv'),
    callingCodes: join(data, 'calling-codes.csv'),
    tollFree: join(data, 'toll-free.csv'),
    emergency: join(data, 'emergency.csv'),
    zoneA: join(data, 'zone-a.csv'),
  };
}
