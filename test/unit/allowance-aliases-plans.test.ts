import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllowances } from '../../engine/edge/load/load-allowances.js';
import { checkLicenses, loadScenario } from '../../engine/edge/load/load-scenario.js';
import { InputError } from '../../engine/kernel/errors.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';
import { replayRows } from '../replay-helpers.js';

const HEADER = 'capability,kind,countries,minutes,international_minutes,description,alias_of\n';
const PLAN = 'MCOPSTN1,calling_plan,*,3000,0,Domestic,\n';

/** The allowances file's text in a new folder; its path. */
function allowancesFile(text: string): string {
  const folder = tempFolder();
  writeFiles(folder, { 'allowances.csv': text });
  return join(folder, 'allowances.csv');
}

function loadError(text: string): string {
  const file = allowancesFile(text);
  try {
    loadAllowances(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message.replaceAll(file, 'allowances.csv');
  }
  throw new Error('no error');
}

describe('aliases and payment sources in the allowances file', () => {
  it('answers an alias with the rows of the capability it stands for', () => {
    const allowances = loadAllowances(allowancesFile(`${HEADER}${PLAN}MCOPSTNPP,payment_source,*,0,0,Credits,\nMCOPSTNU,alias,*,0,0,Unlimited,MCOPSTN1\n`));
    const lookup = allowances.lookup('MCOPSTNU', 'US');
    expect('found' in lookup && [lookup.found.capability, lookup.found.minutes]).toEqual(['MCOPSTN1', 3000]);
    expect([allowances.kindOf('MCOPSTNU'), allowances.aliasTarget('MCOPSTNU'), allowances.isPaymentSource('MCOPSTNPP'), allowances.isPaymentSource('MCOPSTN1')]).toEqual(['calling_plan', 'MCOPSTN1', true, false]);
  });

  it('refuses an alias without its target, a target it lacks, an alias of an alias, and alias_of on another kind', () => {
    expect(loadError(`${HEADER}${PLAN}MCOPSTNU,alias,*,0,0,Unlimited,\n`)).toBe('allowances.csv:3: kind "alias" needs the capability it stands for in column alias_of');
    expect(loadError(`${HEADER}${PLAN}MCOPSTNU,alias,*,0,0,Unlimited,MCOPSTN9\n`)).toBe('allowances.csv:3: alias_of "MCOPSTN9" is not a capability of this file');
    expect(loadError(`${HEADER}${PLAN}A,alias,*,0,0,a,MCOPSTN1\nB,alias,*,0,0,b,A\n`)).toBe('allowances.csv:4: alias_of "A" is itself an alias (allowances.csv:3); name the capability it stands for');
    expect(loadError(`${HEADER}${PLAN}MCOPSTN2,calling_plan,*,3000,600,Intl,MCOPSTN1\n`)).toBe('allowances.csv:3: alias_of "MCOPSTN1" is only for kind "alias"');
  });
});

describe("the scenario's plans", () => {
  const base = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', rating: { source: 'recorded' } };

  function scenarioError(files: Record<string, string>): string {
    const folder = tempFolder();
    writeFiles(folder, files);
    const allowances = loadAllowances(join(process.cwd(), 'data', 'allowances.csv'));
    try {
      checkLicenses(loadScenario(join(folder, 'scenario.json'), 'data/allowances.csv'), allowances);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message.replaceAll(`${relative(process.cwd(), folder)}/`, '').replaceAll(`${folder}/`, '');
    }
    throw new Error('no error');
  }

  it('refuses a plan that is not a calling plan, and a user given two plans', () => {
    expect(scenarioError({ 'scenario.json': JSON.stringify({ ...base, plans: [{ upn: 'a@x', capability: 'MCOMEETADD' }] }) })).toMatch(
      /^scenario\.json: plans\[0\]: capability "MCOMEETADD" is of kind conferencing, not a calling plan \(calling plans: MCOPSTN1, MCOPSTN2, MCOPSTN5, MCOPSTN6, MCOPSTN8\)$/,
    );
    expect(scenarioError({ 'scenario.json': JSON.stringify({ ...base, plans: 'plans.csv' }), 'plans.csv': 'upn,capability\nA@x,MCOPSTN1\na@x,MCOPSTN5\n' })).toBe(
      'plans.csv:3: user "a@x" has plan "MCOPSTN5" here and "MCOPSTN1" at plans.csv:2; give each user one plan',
    );
  });

  it('refuses plans of the wrong shape in one line saying what is expected', () => {
    const expected = 'expected a list of { "upn": "...", "capability": "..." } (each a non-empty text, no other keys) or the path of a CSV file with columns upn,capability';
    expect(scenarioError({ 'scenario.json': JSON.stringify({ ...base, plans: { 'a@x': 'MCOPSTN1' } }) })).toBe(`scenario.json: plans: ${expected} (got {"a@x":"MCOPSTN1"})`);
    expect(scenarioError({ 'scenario.json': JSON.stringify({ ...base, plans: [{ user: 'a@x' }] }) })).toBe(`scenario.json: plans: ${expected} (got [{"user":"a@x"}])`);
  });

  it('reads them from a CSV file of UPN and capability, and gives the calls of a payment source to the plan named', async () => {
    const folder = tempFolder();
    writeFiles(folder, { 'plans.csv': 'upn,capability\nbo@contoso.example,MCOPSTN5\n' });
    // Bo's only row is recorded MCOPSTNPP: 10 minutes, drawn from MCOPSTN5's pool (1 user seen × 120 min).
    const result = await replayRows([{ upn: 'bo@contoso.example', capability: 'MCOPSTNPP', durationSeconds: 600, charge: '0.20' }], { plans: join(folder, 'plans.csv') });
    expect(result.attribution).toMatchObject({ byPlan: { MCOPSTN5: 1 }, fromScenario: 1, unresolved: 0 });
    expect(result.pools.map((pool) => [pool.capability, pool.minutes, pool.used])).toEqual([['MCOPSTN5', 120, 10]]);
  });
});
