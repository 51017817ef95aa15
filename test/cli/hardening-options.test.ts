import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';
import { FIXTURES } from '../helpers.js';

// Issue 12, items 3, 5, 6, 7, 13 and 16 and the clearer errors of options: each bad input is one
// line on stderr and exit 2, and where an answer was wrong, the corrected figure.

const TEAMS = join(FIXTURES, 'teams-small.csv');
const SCENARIO = join(FIXTURES, 'scenario.json');
const RATES = readFileSync(join(FIXTURES, 'rates.csv'), 'utf8');
const PERIOD = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' };
const KNOWN_CAPABILITIES = 'MCOPSTN1, MCOPSTN2, MCOPSTN5, MCOPSTN6, MCOPSTN8, MCOPSTN_PAYG_1, MCOPSTN_PAYG_2, MCOPSTNPP, MCOMEETADD, MCOMEETACPEA, FREECALL, MCOEV';

/** One line on stderr, nothing on stdout, no stack trace, and the exit code. */
function expectOneLineError(run: ReturnType<typeof runCli>, code: number, message: string): void {
  expect(run.stderr.trimEnd().split('\n')).toEqual([message]);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
}

function scenario(extra: Record<string, unknown>): string {
  return JSON.stringify({ ...PERIOD, credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] }, ...extra });
}

let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const header = 'service,prefix,destination,per_minute,connection_fee,currency';
  writeFiles(folder, {
    'rates.csv': RATES,
    'misspelt.json': scenario({ licenses: [{ capability: 'MCOPSTN1', country: 'US', users: 2 }, { capability: 'MCOMEETADD', users: 1 }, { capability: 'mcopstn5', users: 3 }] }),
    'trailing-space.json': scenario({ licenses: [{ capability: 'MCOPSTN1 ', country: 'US', users: 2 }] }),
    'repeated.json': scenario({ licenses: [{ capability: 'MCOPSTN1', country: 'US', users: 2 }, { capability: 'MCOMEETADD', users: 1 }, { capability: 'MCOPSTN1', country: 'US', users: 2 }] }),
    'adding-up.json': scenario({ licenses: [{ capability: 'MCOPSTN1', country: 'US', users: 2 }, { capability: 'MCOPSTN1', country: 'US', users: 5 }, { capability: 'MCOPSTN1', country: 'PR', users: 4 }] }),
    'many-topups.json': scenario({ credits: { initial: '50.00', topups: Array.from({ length: 100_000 }, () => ({ at: '2026-01-02T00:00:00Z', amount: '9000000000.00' })) } }),
    'too-large.json': scenario({ credits: { initial: '9000000000.01' } }),
    'at-the-bound.json': scenario({ credits: { initial: '8999999950.00', topups: [{ at: '2026-01-20T00:00:00Z', amount: '50.00' }] } }),
    'recharges-past-the-bound.json': scenario({ credits: { initial: '8000000000.00', autoRecharge: { trigger: '8999999999.00', amount: '600000000.00' } } }),
    'absurd-price.json': scenario({ rating: { rates: ['absurd-price.csv'] } }),
    'absurd-price.csv': `${header}\noutbound,1,US,0.02,0,USD\noutbound,44,UK,1000000000,0,USD\n`,
    'absurd-fee.json': scenario({ rating: { rates: ['absurd-fee.csv'] } }),
    'absurd-fee.csv': `${header}\noutbound,1,US,0.02,1000.01,USD\n`,
    'highest-price.json': scenario({ credits: { initial: '100000.00' }, rating: { rates: ['highest-price.csv'] } }),
    'highest-price.csv': `${header}\noutbound,1,US,0.02,0,USD\noutbound,44,UK,0.025,0,USD\noutbound,49,DE,1000,1000,USD\n`,
    // The second data record spans lines 3 to 5, line 6 is blank, the bad record is on line 7.
    'multiline.json': scenario({ rating: { rates: ['multiline.csv'] } }),
    'multiline.csv': `${header}\r\noutbound,1,US,0.02,0,USD\r\noutbound,44,"United\r\nKingdom\r\n(all)",0.025,0,USD\r\n\r\noutbound,49,Germany,cheap,0,USD\r\n`,
  });
});

const replay = (scenarioFile: string, ...more: string[]) => runCli(['replay', '--cdrs', TEAMS, '--scenario', scenarioFile, ...more], folder);

describe('licence entries that match nothing (item 3)', () => {
  it('refuses a capability the allowances file does not name, listing the known ones', () => {
    expectOneLineError(replay('misspelt.json'), 2, `creditcast: misspelt.json: licenses[2].capability: "mcopstn5" is not a capability of the allowances file (known: ${KNOWN_CAPABILITIES})`);
  });

  it('refuses a capability with a trailing space', () => {
    expectOneLineError(replay('trailing-space.json'), 2, `creditcast: trailing-space.json: licenses[0].capability: "MCOPSTN1 " is not a capability of the allowances file (known: ${KNOWN_CAPABILITIES})`);
  });

  it('refuses an exact repeat of an entry', () => {
    expectOneLineError(
      replay('repeated.json'),
      2,
      'creditcast: repeated.json: licenses[2]: repeats licenses[0] exactly ("MCOPSTN1", country US, 2 users); entries for the same capability and country add up, so give each licence once',
    );
  });

  it('adds up entries for the same pool instead of keeping the last', () => {
    const run = replay('adding-up.json', '--json');
    expect(run.code).toBe(0);
    const pools = (JSON.parse(run.stdout) as { pools: { capability: string; country: string; month: string; users: number; minutes: number }[] }).pools;
    const usPool = pools.find((pool) => pool.capability === 'MCOPSTN1' && pool.country === 'US' && pool.month === '2026-01');
    // US and PR share one pool (DOMAIN §2): 2 + 5 + 4 users of 3000 minutes each.
    expect(usPool?.users).toBe(11);
    expect(usPool?.minutes).toBe(33_000);
  });
});

describe('sweep grid values obey the scenario rules (item 5)', () => {
  const sweep = (...more: string[]) => runCli(['sweep', '--cdrs', TEAMS, '--scenario', SCENARIO, '--trials', '2', ...more], folder);

  it('refuses a "with" recharge below the minimum purchase', () => {
    expectOneLineError(
      sweep('--trigger', '10', '--amount', '10:100:10'),
      2,
      'creditcast: --amount: in mode "with", where each recharge buys it, 10.00 is below the minimum purchase of 50.00 (credits.minimumPurchase), got "10:100:10"',
    );
  });

  it('refuses a "with" recharge of nothing', () => {
    expectOneLineError(sweep('--trigger', '10', '--amount', '0,50'), 2, 'creditcast: --amount: in mode "with", where each recharge buys it, 0.00 is not a purchase: it must be more than zero, got "0,50"');
  });

  it('refuses an initial funding below the minimum purchase, and takes none at all', () => {
    expectOneLineError(sweep('--trigger', '10', '--amount', '50', '--initial', '0,20'), 2, 'creditcast: --initial: 20.00 is below the minimum purchase of 50.00 (credits.minimumPurchase), got "0,20"');
    expect(sweep('--trigger', '10', '--amount', '50', '--initial', '0,50').code).toBe(0);
  });

  it('takes a fill-up level below the minimum in mode "to" (a level, not a purchase)', () => {
    expect(sweep('--trigger', '10', '--amount', '20', '--mode', 'to').code).toBe(0);
  });

  it('refuses a trigger above the largest amount', () => {
    expectOneLineError(
      sweep('--trigger', '9000000000.01', '--amount', '50'),
      2,
      'creditcast: --trigger: 9000000000.01 is above 9000000000.00, the largest amount allowed (the most one run may buy in all, so that every total stays exact), got "9000000000.01"',
    );
  });
});

describe('--cdrs with no file (item 6)', () => {
  it.each([
    ['an empty name', ['--cdrs', '', '--scenario', SCENARIO], 'creditcast: --cdrs: expected a file name, got an empty one ("")'],
    ['no name at all', ['--scenario', SCENARIO, '--cdrs'], 'creditcast: --cdrs: expected one or more CDR files, got none'],
    ['an empty name after a file', ['--cdrs', TEAMS, '', '--scenario', SCENARIO], 'creditcast: --cdrs: expected a file name, got an empty one (name 2 of 2)'],
  ])('replay: %s', (_title, args, message) => {
    expectOneLineError(runCli(['replay', ...args], folder), 2, message);
  });

  it('forecast and sweep too', () => {
    expectOneLineError(runCli(['forecast', '--cdrs', '', '--scenario', SCENARIO], folder), 2, 'creditcast: --cdrs: expected a file name, got an empty one ("")');
    expectOneLineError(runCli(['sweep', '--cdrs', '', '--scenario', SCENARIO, '--trigger', '10', '--amount', '50'], folder), 2, 'creditcast: --cdrs: expected a file name, got an empty one ("")');
  });
});

describe('money never overflows an exact total (item 7)', () => {
  it('refuses 100,000 top-ups of 9,000,000,000.00 when the scenario loads', () => {
    expectOneLineError(
      replay('many-topups.json'),
      2,
      'creditcast: many-topups.json: credits.topups: the initial funding and the 100000 top-up(s) add up to more than 9000000000.00, the most one run may buy in all (so that every total stays exact)',
    );
  });

  it('refuses one amount above the bound', () => {
    expectOneLineError(
      replay('too-large.json'),
      2,
      'creditcast: too-large.json: credits.initial: 9000000000.01 is above 9000000000.00, the largest amount allowed (the most one run may buy in all, so that every total stays exact)',
    );
  });

  it('reports a funded total exactly at the bound', () => {
    const run = replay('at-the-bound.json', '--json');
    expect(run.code).toBe(0);
    const credits = (JSON.parse(run.stdout) as { credits: { funded: string; spent: string; closing: string } }).credits;
    // 8,999,999,950.00 + 50.00; the fixture's calls spend 0.10 of it (0.06 + 0.02 x 2, rated).
    expect(credits.funded).toBe('9000000000.00');
    const cents = (text: string) => BigInt(text.replace('.', ''));
    expect(cents(credits.spent) + cents(credits.closing)).toBe(900_000_000_000n);
  });

  it('refuses recharges that would buy past the bound, in a replay and in a sweep on workers', () => {
    const message = 'creditcast: credits: the recharge of 600000000 at 2026-01-05T11:00:00Z would take the money bought past 9000000000, the most one run may buy in all (so that every total stays exact): lower the recharge amount';
    expectOneLineError(replay('recharges-past-the-bound.json'), 2, message.replace('2026-01-05T11:00:00Z', '2026-01-08T10:00:00Z'));
    const sweep = runCli(['sweep', '--cdrs', TEAMS, '--scenario', 'recharges-past-the-bound.json', '--trigger', '8999999999', '--amount', '600000000', '--trials', '8', '--workers', '2'], folder);
    expectOneLineError(sweep, 2, message);
  });
});

describe('absurd rates (item 13)', () => {
  it('refuses a price per minute above the limit, naming it', () => {
    expectOneLineError(
      replay('absurd-price.json'),
      2,
      'creditcast: absurd-price.csv:3: per_minute "1000000000" is above the limit of 1000 (the most a rate table may charge, so that every call\'s charge stays exact)',
    );
  });

  it('refuses a connection fee above the limit', () => {
    expectOneLineError(
      replay('absurd-fee.json'),
      2,
      'creditcast: absurd-fee.csv:2: connection_fee "1000.01" is above the limit of 1000 (the most a rate table may charge, so that every call\'s charge stays exact)',
    );
  });

  it('prices a call exactly at the limit', () => {
    const run = replay('highest-price.json', '--json');
    expect(run.code).toBe(0);
    const credits = (JSON.parse(run.stdout) as { credits: { spent: string } }).credits;
    // The fixture's one credit-funded call: 61 s to Germany (an international call on a domestic
    // plan), billed as two 60 s increments at the highest price: 1000.00 connection + 2 x 1000.00.
    expect(credits.spent).toBe('3000.00');
  });

  it('names the physical line of a row after a quoted field with newlines', () => {
    expectOneLineError(replay('multiline.json'), 2, 'creditcast: multiline.csv:7: per_minute "cheap" is not a non-negative decimal price with at most 6 decimals');
  });
});

describe('--workers is capped at a multiple of the cores (item 16)', () => {
  const most = Math.min(256, 4 * availableParallelism());
  const message = (got: string) => `creditcast: --workers: expected a whole number from 1 to ${most} (4 per core, ${availableParallelism()} core(s) here), got ${got}`;

  it.each(['replay', 'forecast', 'generate'])('%s', (command) => {
    const args = command === 'generate' ? ['generate', '--rows', '10', '--out', join(folder, 'never')] : [command, '--cdrs', TEAMS, '--scenario', SCENARIO];
    expectOneLineError(runCli([...args, '--workers', String(most + 1)], folder), 2, message(String(most + 1)));
  });

  it('takes the cap itself', () => {
    expect(replay(SCENARIO, '--workers', String(most)).code).toBe(0);
  });
});

describe('clearer errors of options', () => {
  it('--max-rejects "" is an error, not --strict', () => {
    expectOneLineError(replay(SCENARIO, '--max-rejects', ''), 2, 'creditcast: --max-rejects: expected a whole number of rows, 0 or more, got ""');
    expectOneLineError(replay(SCENARIO, '--max-rejects', '1.5'), 2, 'creditcast: --max-rejects: expected a whole number of rows, 0 or more, got 1.5');
  });

  it('generate --out keeps an earlier dataset unless --force', () => {
    const out = join(folder, 'dataset');
    const generate = (...more: string[]) => runCli(['generate', '--rows', '10', '--seed', '3', '--out', out, ...more], folder);
    expect(generate().code).toBe(0);
    writeFileSync(join(out, 'scenario.json'), '{"edited": "by hand"}\n');
    expectOneLineError(generate(), 2, `creditcast: --out: ${out} already holds pstn.csv, rates.csv, scenario.json; give --force to replace them`);
    expect(readFileSync(join(out, 'scenario.json'), 'utf8')).toBe('{"edited": "by hand"}\n');
    expect(generate('--force').code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8'))).toHaveProperty('currency', 'USD');
    expect(existsSync(join(out, 'pstn.csv'))).toBe(true);
  });
});
