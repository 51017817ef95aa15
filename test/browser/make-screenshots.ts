import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openReport } from './browser.js';

/**
 * The README's screenshots (docs/screenshots/*.png): each report of the sample (recommend of the
 * planning scenario; and the replay of the postpaid one), its top part, small.
 * Run from the repository after a build: node dist/test/browser/make-screenshots.js
 */
const ROOT = process.cwd();
const SAMPLE = ['--cdrs', join(ROOT, 'data', 'sample', 'pstn-usage.csv'), '--scenario', join(ROOT, 'scenarios', 'sample.json')];
const POSTPAID = ['--cdrs', join(ROOT, 'data', 'sample', 'pstn-usage.csv'), '--scenario', join(ROOT, 'scenarios', 'postpaid.json')];
// The planning scenario has no top-up, so its answer is above the minimum purchase and a tenth less drops.
const PLANNING = ['--cdrs', join(ROOT, 'data', 'sample', 'pstn-usage.csv'), '--scenario', join(ROOT, 'scenarios', 'planning.json')];
const INPUTS: Record<string, string[]> = { 'replay-postpaid': POSTPAID, recommend: PLANNING };
const REPORTS: Record<string, string[]> = {
  replay: ['replay'],
  'replay-postpaid': ['replay'],
  forecast: ['forecast', '--horizon', '14', '--trials', '200', '--seed', '7'],
  recommend: ['recommend', '--trials', '200', '--seed', '7'],
  sweep: ['sweep', '--trials', '100', '--seed', '7', '--horizon', '14', '--trigger', '0:100:20', '--amount', '50:250:50', '--mode', 'with,to'],
};

const folder = mkdtempSync(join(tmpdir(), 'creditcast-shots-'));
const shots = join(ROOT, 'docs', 'screenshots');
mkdirSync(shots, { recursive: true });
const { browser, close } = await launchBrowser();
for (const [kind, [command, ...args]] of Object.entries(REPORTS)) {
  const html = join(folder, `${kind}.html`);
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'engine', 'cli', 'main.js'), command as string, ...(INPUTS[kind] ?? SAMPLE), ...args, '--html', html], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${kind}: ${run.stderr}`);
  const { page } = await openReport(browser, html);
  await page.setViewport({ width: 1150, height: 1100, deviceScaleFactor: 0.6 });
  await page.screenshot({ path: join(shots, `${kind}.png`), clip: { x: 0, y: 0, width: 1150, height: 1100 } });
  await page.close();
}
await close();
