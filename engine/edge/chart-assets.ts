import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartAssets } from '../report/html/page.js';

/**
 * uPlot's script and styles, read from the installed package to be inlined in each HTML report:
 * nothing is fetched, and the report carries the very files the tests ran against.
 */
export function chartAssets(): ChartAssets {
  const require = createRequire(import.meta.url);
  const dist = (file: string) => require.resolve(`uplot/dist/${file}`);
  return { uplotJs: readFileSync(dist('uPlot.iife.min.js'), 'utf8'), uplotCss: readFileSync(dist('uPlot.min.css'), 'utf8') };
}
