import type { Argv } from 'yargs';
import { InputError } from '../kernel/errors.js';
import { printableLines } from '../kernel/quote.js';
import { microsPerMinorUnit, minorDigitsOf } from '../kernel/money.js';
import { ROUTE, isFreeRoute, isPoolRoute } from '../model/route.js';
import { RATE_SERVICES, type RateService } from '../model/rate-row.js';
import type { CallTable } from '../columns/call-table.js';
import type { ChargedRow } from '../infer/charged-row.js';
import { inferRates } from '../infer/infer-rates.js';
import { ingestFiles } from '../edge/read/ingest-files.js';
import { bundledData } from '../edge/load/package-data.js';
import { loadNumberingPlan } from '../edge/load/load-numbering.js';
import { loadAllowances } from '../edge/load/load-allowances.js';
import { DEFAULT_CHUNK_BYTES } from '../edge/run/run-replay.js';
import { refuseOutputsOverInputs, writeOutput } from '../edge/write-output.js';
import { rejectsCsv } from '../report/csv-files.js';
import { fitReportCsv, inferredRatesCsv, misfitLine, misfitsCsv } from '../report/inferred-rates.js';
import { cdrFiles, parseSize, workersFrom, workersHelp } from './inputs.js';

interface InferArgs {
  cdrs: string[];
  out: string | undefined;
  report: string | undefined;
  misfits: string | undefined;
  rejects: string | undefined;
  currency: string;
  workers: number | undefined;
  'chunk-size': string | undefined;
}

/** `creditcast rates <subcommand>`: rate tables made from other things than a price list. */
export function ratesOptions(yargs: Argv): Argv {
  return yargs
    .command('infer', 'learn the rate table that reproduces the charges recorded in CDRs', inferOptions, inferCommand)
    .demandCommand(1, 'name a subcommand: infer');
}

export function ratesCommand(): void {}

function inferOptions(yargs: Argv): Argv<InferArgs> {
  return yargs
    .option('cdrs', { type: 'string', array: true, demandOption: true, describe: 'CDR files with recorded charges (Teams export, legacy tab export, Graph JSON)' })
    .option('out', { type: 'string', describe: 'write the rate table (CSV) to this file instead of stdout' })
    .option('report', { type: 'string', describe: 'write per table row the rows it priced, the share it reproduced and how many durations pinned it (CSV)' })
    .option('misfits', { type: 'string', describe: 'write every charged row the table does not reproduce (CSV)' })
    .option('rejects', { type: 'string', describe: 'write every rejected row (file, line, reason, raw row) to this CSV file' })
    .option('currency', { type: 'string', default: 'USD', describe: "the export's currency (ISO 4217); rows in another are rejected" })
    .option('workers', { type: 'number', describe: workersHelp('threads reading the CDRs') })
    .option('chunk-size', { type: 'string', describe: `bytes of CDR file per task (default ${DEFAULT_CHUNK_BYTES >> 20}MiB)` }) as unknown as Argv<InferArgs>;
}

async function inferCommand(args: InferArgs): Promise<void> {
  const currency = args.currency.trim().toUpperCase();
  const minorDigits = minorDigitsOf(currency);
  if (minorDigits === undefined) throw new InputError(`--currency: expected an ISO 4217 code such as USD, got "${args.currency}"`);
  const workers = workersFrom(args.workers);
  const chunkBytes = args['chunk-size'] === undefined ? DEFAULT_CHUNK_BYTES : parseSize(args['chunk-size']);
  const cdrs = cdrFiles(args.cdrs);
  refuseOutputsOverInputs({ '--out': args.out, '--report': args.report, '--misfits': args.misfits, '--rejects': args.rejects }, cdrs);

  const { inference, rejects, rowsRead } = await inferFromFiles(cdrs, { currency, minorDigits, workers, chunkBytes });
  const source = { files: cdrs, currency, minorDigits, rowsRead, rejected: rejects.length };
  const table = inferredRatesCsv(inference, source);
  if (args.report !== undefined) writeOutput(args.report, fitReportCsv(inference));
  if (args.misfits !== undefined) writeOutput(args.misfits, misfitsCsv(inference.misfits, minorDigits));
  if (args.rejects !== undefined) writeOutput(args.rejects, rejectsCsv(rejects));
  if (args.out === undefined) process.stdout.write(table);
  else writeOutput(args.out, table);
  process.stderr.write(printableLines(summary(inference, source)));
}

/**
 * Reads the CDRs with the replay's own ingest (every format, every reject alike), then learns the
 * table from their charged rows. The bundled allowances say which rows a pool funds first.
 */
export async function inferFromFiles(cdrs: readonly string[], options: { currency: string; minorDigits: number; workers: number; chunkBytes: number }) {
  const data = bundledData();
  const rules = { allowances: loadAllowances(data.allowances), numbering: loadNumberingPlan(data) };
  const ingested = await ingestFiles(cdrs, {
    currency: options.currency, start: null, end: null, workers: options.workers, chunkBytes: options.chunkBytes,
    reference: { numbering: data, allowancesFile: data.allowances, rateFiles: [] }, rules, rates: null,
  });
  const rows = chargedRows(ingested.table);
  ingested.table.close();
  const inference = inferRates(rows, rules.numbering, microsPerMinorUnit(options.minorDigits));
  return { inference, rejects: ingested.rejects, rowsRead: ingested.rowsRead };
}

/** Every accepted row with a recorded charge above zero, with the number its rate is found by. */
function chargedRows(table: CallTable): ChargedRow[] {
  const rows: ChargedRow[] = [];
  table.parts.forEach((part, partIndex) => {
    const rejected = table.rejected[partIndex] as Uint8Array;
    const source = table.source(part);
    for (let i = 0; i < part.count; i++) {
      if (rejected[i] !== 0 || !((part.recordedMicros[i] as number) > 0)) continue;
      const route = part.route[i] as number;
      rows.push({
        service: RATE_SERVICES[part.service[i] as number] as RateService,
        digits: source.describe(part, i).number.replace(/\*$/, ''),
        startAt: part.startAt[i] as number,
        durationSeconds: part.durationSeconds[i] as number,
        recordedMicros: part.recordedMicros[i] as number,
        funding: isFreeRoute(route) ? 'free' : isPoolRoute(route) ? 'pool' : route >= ROUTE.creditsTollFree ? 'credits' : 'free',
        file: source.file,
        line: part.line[i] as number,
      });
    }
  });
  return rows;
}

const SHOWN_MISFITS = 10;

function summary(inference: ReturnType<typeof inferRates>, source: { rowsRead: number; rejected: number; minorDigits: number }): string {
  const { counts, misfits } = inference;
  const lines = [
    `rates infer: ${source.rowsRead} rows read, ${source.rejected} rejected, ${counts.charged} with a recorded charge`,
    `  learned from ${counts.learnedFrom} wholly credit-funded rows: ${counts.fit} reproduced exactly by ${inference.table.length} table rows`,
    `  partly pool-funded rows checked: ${counts.poolPartExplained} of ${counts.poolPart} explained by a whole number of pool minutes`,
    `  misfits (listed, never absorbed): ${misfits.length}`,
    ...misfits.slice(0, SHOWN_MISFITS).map((misfit) => `    ${misfitLine(misfit, source.minorDigits)}`),
    ...(misfits.length > SHOWN_MISFITS ? [`    ... and ${misfits.length - SHOWN_MISFITS} more (--misfits FILE lists them all)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
