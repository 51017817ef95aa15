import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** Strings that would run if a report placed them as HTML or let them end its data script. */
export const IMG_NAME = '<img src=x onerror=alert(1)>';
export const SCRIPT_NAME = '</script><script>alert(1)</script>';
/** A scenario file name is shown in every report's header (a file name cannot hold a slash). */
export const SCENARIO_NAME = '<b>scenario<i onmouseover=alert(1)>.json';

/**
 * The sample export, rates and scenario, with a user's UPN replaced by IMG_NAME (111 calls), the
 * United Kingdom destinations renamed SCRIPT_NAME, one more row whose number is IMG_NAME (rejected
 * `bad-number`, its detail quoting it), and the scenario saved under SCENARIO_NAME. Returns the
 * CDR and scenario paths.
 */
export function writeHostileInputs(folder: string): { cdrs: string; scenario: string } {
  const cdrs = join(folder, 'pstn-usage.csv');
  const sample = readFileSync(join(ROOT, 'data', 'sample', 'pstn-usage.csv'), 'utf8').replaceAll('grace.smith6@contoso.example', IMG_NAME);
  const lines = sample.trimEnd().split('\n');
  // The second row again, as a new call with the hostile text for its dialled number.
  const fields = (lines[1] as string).split(',');
  fields[0] = 'f0000000-0000-4000-8000-000000000001';
  fields[11] = IMG_NAME;
  fields[12] = IMG_NAME;
  writeFileSync(cdrs, `${[...lines, fields.join(',')].join('\n')}\n`);
  writeFileSync(join(folder, 'rates.csv'), readFileSync(join(ROOT, 'data', 'sample-rates.csv'), 'utf8').replaceAll('United Kingdom', SCRIPT_NAME));
  const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'sample.json'), 'utf8')) as { rating: { rates: string[] } };
  scenario.rating.rates = ['rates.csv'];
  const scenarioFile = join(folder, SCENARIO_NAME);
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  return { cdrs, scenario: scenarioFile };
}
