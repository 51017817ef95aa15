import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../engine/edge/load/load-scenario.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';

/** A scenario with recorded charges (no rate table needed) and the given credits. */
function load(credits: object) {
  const folder = tempFolder();
  writeFiles(folder, { 'scenario.json': JSON.stringify({ credits, rating: { source: 'recorded' } }) });
  return loadScenario(join(folder, 'scenario.json'), 'data/allowances.csv');
}

describe('credits.exhaustion in a scenario', () => {
  it('is overdraft unless the scenario says cut', () => {
    expect(load({}).credits.exhaustion).toBe('overdraft');
    expect(load({ exhaustion: 'cut' }).credits.exhaustion).toBe('cut');
    expect(load({ exhaustion: 'overdraft' }).credits.exhaustion).toBe('overdraft');
  });

  it.each([['soft'], ['Cut'], [1]])('refuses %j in one line naming the JSON path and the allowed values', (value) => {
    expect(() => load({ exhaustion: value })).toThrow(/: credits\.exhaustion: Invalid option: expected one of "overdraft"\|"cut" \(got .+\)$/);
  });
});

describe('credits.exhaustion in a postpaid scenario', () => {
  it('refuses "cut", which a tenant invoiced monthly cannot have, instead of ignoring it', () => {
    const folder = tempFolder();
    writeFiles(folder, { 'scenario.json': JSON.stringify({ billing: 'postpaid', credits: { exhaustion: 'cut' }, rating: { source: 'recorded' } }) });
    expect(() => loadScenario(join(folder, 'scenario.json'), 'data/allowances.csv')).toThrow(/scenario\.json: credits\.exhaustion: has no meaning when billing is "postpaid"/);
  });
});
