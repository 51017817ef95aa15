import type { Argv } from 'yargs';
import { InputError } from '../kernel/errors.js';
import { OutputFile, refuseOutputsOverInputs, runInputFiles, writeOutput } from '../edge/write-output.js';
import { eventsCsv, ExplainWriter, rejectsCsv } from '../report/csv-files.js';
import { jsonReport } from '../report/json-report.js';
import { terminalSummary } from '../report/summary.js';
import { DEFAULT_CHUNK_BYTES, runReplay } from '../edge/run/run-replay.js';
import { cdrFiles, inputOptions, parseSize, workersFrom } from './inputs.js';
import { progressLine } from './progress.js';
import { printWarnings } from './warnings.js';
import type { ReplayResult } from '../replay/result.js';
import { basename } from 'node:path';
import { chartAssets } from '../edge/chart-assets.js';
import { replayHtml } from '../report/html/replay-html.js';
import { ReplaySeries } from '../report/html/replay-series.js';
import { replayWorkbook } from '../report/xlsx/workbooks.js';

interface ReplayOptions {
  cdrs: string[];
  scenario: string;
  json: boolean;
  events: string | undefined;
  explain: string | undefined;
  rejects: string | undefined;
  'max-rejects': string | undefined;
  strict: boolean;
  workers: number | undefined;
  'chunk-size': string | undefined;
  html: string | undefined;
  xlsx: string | undefined;
}

export function replayOptions(yargs: Argv): Argv<ReplayOptions> {
  return inputOptions(yargs)
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout instead of the summary' })
    .option('events', { type: 'string', describe: 'write every ledger event to this CSV file' })
    .option('explain', { type: 'string', describe: 'write one row per call (funding, pool, lots, rate, charge) to this CSV file' })
    .option('rejects', { type: 'string', describe: 'write every rejected row (file, line, reason, raw row) to this CSV file' })
    .option('max-rejects', { type: 'string', describe: 'fail (exit 2) when more than N rows are rejected' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report with charts to this file' })
    .option('xlsx', { type: 'string', describe: 'write an Excel workbook (months, events, pools, rejects, reconciliation) to this file' })
    .option('strict', { type: 'boolean', default: false, describe: 'fail on the first rejected row (same as --max-rejects 0)' }) as unknown as Argv<ReplayOptions>;
}

export async function replayCommand(options: ReplayOptions): Promise<void> {
  const givenMaxRejects = maxRejectsOf(options['max-rejects']);
  const maxRejects = options.strict ? 0 : givenMaxRejects;
  const workers = workersFrom(options.workers);
  const chunkBytes = options['chunk-size'] === undefined ? DEFAULT_CHUNK_BYTES : parseSize(options['chunk-size']);
  const cdrs = cdrFiles(options.cdrs);

  refuseOutputsOverInputs(
    { '--explain': options.explain, '--events': options.events, '--rejects': options.rejects, '--html': options.html, '--xlsx': options.xlsx },
    runInputFiles(cdrs, options.scenario),
  );
  const series = options.html === undefined && options.xlsx === undefined ? undefined : new ReplaySeries();
  const explainFile = options.explain === undefined ? undefined : new OutputFile(options.explain);
  const explain = explainFile === undefined ? undefined : new ExplainWriter(explainFile.write);
  const progress = process.stderr.isTTY ? progressLine(process.stderr) : undefined;
  try {
    const result = await runReplay(cdrs, options.scenario, {
      workers,
      chunkBytes,
      keepEvents: options.events !== undefined,
      ...(explain === undefined ? {} : { explain: explain.add }),
      ...(series === undefined ? {} : { watch: series }),
      ...(progress === undefined ? {} : { onProgress: progress.update }),
    });
    progress?.done();
    explain?.flush();
    explainFile?.commit();
    if (options.rejects !== undefined) writeOutput(options.rejects, rejectsCsv(result.rejects));
    const first = result.rejects[0];
    if (maxRejects !== undefined && result.rejects.length > maxRejects && first !== undefined) {
      throw new InputError(
        `${first.file}:${first.line}: ${first.reason}: ${first.detail} (${result.rejects.length} row(s) rejected, more than --max-rejects ${maxRejects})`,
      );
    }
    if (options.events !== undefined) writeOutput(options.events, eventsCsv(result));
    printWarnings(result.warnings);
    if (options.html !== undefined && series !== undefined) writeOutput(options.html, replayHtml(result, series.data(), basename(options.scenario), chartAssets()));
    if (options.xlsx !== undefined && series !== undefined) writeOutput(options.xlsx, await replayWorkbook(result, series.events()));
    process.stdout.write(options.json ? replayJson(result) : terminalSummary(result));
  } catch (error) {
    explainFile?.discard();
    throw error;
  } finally {
    progress?.done();
  }
}

/** Exactly what `replay --json` prints, shared by this command and the fleet's workers. */
export function replayJson(result: ReplayResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}

/**
 * --max-rejects N: read as text, so that an empty value (an unset shell variable) is an error
 * rather than 0, which would be --strict.
 */
function maxRejectsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const rows = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(rows)) {
    throw new InputError(`--max-rejects: expected a whole number of rows, 0 or more, got ${/^[\w.+-]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return rows;
}
