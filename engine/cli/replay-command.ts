import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { writeOutput } from '../io/write-output.js';
import { eventsCsv, explainCsv, rejectsCsv } from '../report/csv-files.js';
import { jsonReport } from '../report/json-report.js';
import { terminalSummary } from '../report/summary.js';
import { runReplay } from '../replay/run-replay.js';

interface ReplayOptions {
  cdrs: string[];
  scenario: string;
  json: boolean;
  events: string | undefined;
  explain: string | undefined;
  rejects: string | undefined;
  'max-rejects': number | undefined;
  strict: boolean;
}

export function replayOptions(yargs: Argv): Argv<ReplayOptions> {
  return yargs
    .option('cdrs', { type: 'string', array: true, demandOption: true, describe: 'CDR files: Teams PSTN usage export, legacy tab export or Graph JSON (several allowed)' })
    .option('scenario', { type: 'string', demandOption: true, describe: 'scenario JSON file' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout instead of the summary' })
    .option('events', { type: 'string', describe: 'write every ledger event to this CSV file' })
    .option('explain', { type: 'string', describe: 'write one row per call (funding, pool, lots, rate, charge) to this CSV file' })
    .option('rejects', { type: 'string', describe: 'write every rejected row (file, line, reason, raw row) to this CSV file' })
    .option('max-rejects', { type: 'number', describe: 'fail (exit 2) when more than N rows are rejected' })
    .option('strict', { type: 'boolean', default: false, describe: 'fail on the first rejected row (same as --max-rejects 0)' }) as unknown as Argv<ReplayOptions>;
}

export async function replayCommand(options: ReplayOptions): Promise<void> {
  const maxRejects = options.strict ? 0 : options['max-rejects'];
  if (maxRejects !== undefined && (!Number.isInteger(maxRejects) || maxRejects < 0)) {
    throw new InputError(`--max-rejects: expected a whole number of rows, 0 or more, got ${options['max-rejects']}`);
  }
  const { result, calls } = await runReplay(options.cdrs, options.scenario);
  if (options.rejects !== undefined) writeOutput(options.rejects, rejectsCsv(result.rejects));
  const first = result.rejects[0];
  if (maxRejects !== undefined && result.rejects.length > maxRejects && first !== undefined) {
    throw new InputError(
      `${first.file}:${first.line}: ${first.reason}: ${first.detail} (${result.rejects.length} row(s) rejected, more than --max-rejects ${maxRejects})`,
    );
  }
  if (options.events !== undefined) writeOutput(options.events, eventsCsv(result, calls));
  if (options.explain !== undefined) writeOutput(options.explain, explainCsv(result, calls));
  process.stdout.write(options.json ? `${JSON.stringify(jsonReport(result), null, 2)}\n` : terminalSummary(result));
}
