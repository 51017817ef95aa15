import type { Argv } from 'yargs';
import { BLOCK_ROWS } from '../generate/generate-cdrs.js';
import { InputError } from '../kernel/errors.js';
import { writeGenerated } from '../edge/run/write-generated.js';
import { parseInstant } from '../kernel/time.js';
import { workersFrom, workersHelp } from './inputs.js';

interface GenerateArgs {
  rows: number;
  users: number;
  from: string;
  months: number;
  seed: number;
  out: string;
  workers: number | undefined;
  force: boolean;
}

const LIMITS = { rows: [1, 200_000_000], users: [1, 10_000_000], months: [1, 120], seed: [0, 2 ** 32 - 1] } as const;

export function generateOptions(yargs: Argv): Argv<GenerateArgs> {
  return yargs
    .option('rows', { type: 'number', demandOption: true, describe: 'number of call rows' })
    .option('users', { type: 'number', default: 100, describe: 'number of users in the tenant' })
    .option('from', { type: 'string', default: '2026-01-01', describe: 'first day (UTC) of the generated period' })
    .option('months', { type: 'number', default: 12, describe: 'calendar months of traffic' })
    .option('seed', { type: 'number', default: 1, describe: 'seed: same seed, same bytes' })
    .option('out', { type: 'string', demandOption: true, describe: 'folder for pstn.csv, rates.csv and scenario.json' })
    .option('workers', { type: 'number', describe: `${workersHelp(`threads making blocks of ${BLOCK_ROWS.toLocaleString('en')} rows`)}; the bytes do not depend on it` })
    .option('force', { type: 'boolean', default: false, describe: 'replace the pstn.csv, rates.csv and scenario.json of an earlier dataset in --out' }) as unknown as Argv<GenerateArgs>;
}

export async function generateCommand(args: GenerateArgs): Promise<void> {
  for (const [name, [low, high]] of Object.entries(LIMITS)) {
    const value = args[name as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < low || value > high) {
      throw new InputError(`--${name}: expected a whole number from ${low} to ${high}, got ${value}`);
    }
  }
  const from = parseInstant(/^\d{4}-\d{2}-01$/.test(args.from) ? `${args.from}T00:00:00Z` : '');
  if (from === undefined) throw new InputError(`--from: expected the first day of a month as YYYY-MM-01, got "${args.from}"`);
  const workers = workersFrom(args.workers);
  await writeGenerated({ rows: args.rows, users: args.users, from, months: args.months, seed: args.seed }, args.out, workers, args.force);
}
