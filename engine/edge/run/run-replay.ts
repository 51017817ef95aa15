import type { LoadedInputs } from '../../replay/inputs.js';
import { availableParallelism } from 'node:os';
import { InputError } from '../../kernel/errors.js';
import { ingestFiles } from '../read/ingest-files.js';
import { bundledData } from '../load/package-data.js';
import { loadNumberingPlan } from '../load/load-numbering.js';
import { loadAllowances } from '../load/load-allowances.js';
import { loadRates } from '../workers/reference-cache.js';
import { checkLicenses, loadScenario } from '../load/load-scenario.js';
import type { Reject } from '../../model/cdr.js';
import type { CallTable, ChainCursor } from '../../columns/call-table.js';
import { startOfMonth } from '../../kernel/time.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Scenario } from '../../model/scenario.js';
import type { Rules } from '../../rules/classify.js';
import { periodOf, replay, startReplay, type ReplayInput, type ReplayRun, type ReplayWatcher } from '../../replay/replay.js';
import type { ExplainRecord, ExplainRow, ReplayResult } from '../../replay/result.js';
import { explainRow } from '../../report/explain.js';
import { UnratedRejects } from './unrated-rejects.js';
import { attributePlans, emptyAttribution, partNeedsAttribution } from '../../pools/plan-attribution.js';

export interface RunOptions {
  workers?: number;
  chunkBytes?: number;
  keepEvents?: boolean;
  explain?: (row: ExplainRow) => void;
  /** Told of every ledger event and settled call (see ReplayWatcher); reset if the replay starts again. */
  watch?: ReplayWatcher;
  /** Read every CDR row whatever the scenario's period (a forecast replays history into a future period). */
  wholeHistory?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number, rowsDone: number) => void;
  /**
   * Told whether the replay ran while the ingest read ('streamed'), after it ('after-ingest'), or
   * after reading the files again, once a streamed replay that had released parts gave way
   * ('read-again') (tests, bench).
   */
  onReplayMode?: (mode: 'streamed' | 'after-ingest' | 'read-again') => void;
}

export const DEFAULT_CHUNK_BYTES = 32 << 20;

/**
 * The I/O edge of a replay: load every input file, ingest the CDRs in parallel, then replay. For a
 * time-ordered export and a scenario with its period, the replay runs while the ingest is still
 * reading, month by month; anything else replays after the ingest, as does a streamed replay that
 * meets a duplicate (a row it had already taken): the result is the same either way.
 *
 * A streamed replay of one export also gives up each part once it has gone past it, so that its
 * memory is filled again by a later range (memory stays bounded, and new memory is slow to touch
 * on these machines). Should it then give way, the parts it gave up are missing, and the export is
 * read again, whole: rows out of time order or duplicates in one export cost a second reading.
 */
export async function runReplay(cdrFiles: readonly string[], scenarioFile: string, options: RunOptions = {}): Promise<ReplayResult> {
  let streamed: StreamedReplay | null = null;
  const streamable = options.explain === undefined && !options.wholeHistory;
  // Not for several files: given out of time order (an export twice, say), they would all be read twice.
  const spareBlocks = streamable && cdrFiles.length === 1 ? [] : undefined;
  const inputs = await loadInputs(cdrFiles, scenarioFile, {
    ...options,
    ...(spareBlocks === undefined ? {} : { spareBlocks }),
    onPart(table, scenario, rules, rates) {
      if (!streamable || scenario.start === null || scenario.end === null) return;
      const input = { table, scenario, rules, rates, keepEvents: options.keepEvents ?? false, ...(options.watch === undefined ? {} : { watch: options.watch }) };
      streamed ??= new StreamedReplay(input, periodOf(table, scenario), spareBlocks);
      streamed.partAdded();
    },
  });
  const stream = streamed as StreamedReplay | null;
  await stream?.settle();
  if (stream !== null && stream.stillValid && inputs.duplicates === 0) {
    options.onReplayMode?.('streamed');
    return stream.finish(inputs.ingestRejects, inputs.rowsRead);
  }
  // Parts given up, or a doubt about duplicates the ingest could not settle (it kept too little
  // of each row for that, expecting to release parts): read again, keeping everything.
  const whole = inputs.table.released || inputs.duplicates === null ? await loadInputs(cdrFiles, scenarioFile, options) : inputs;
  options.onReplayMode?.(whole === inputs ? 'after-ingest' : 'read-again');
  if (stream !== null) options.watch?.reset();
  return replayInputs(whole, options);
}

/** Replays inputs already read: the pass, then its explain rows formatted and its rejects read back. */
export function replayInputs(inputs: LoadedInputs, options: Pick<RunOptions, 'keepEvents' | 'explain' | 'watch'> = {}): ReplayResult {
  const explain = options.explain;
  const minorDigits = inputs.scenario.minorDigits;
  const result = replay({
    ...inputs,
    keepEvents: options.keepEvents ?? false,
    ...(options.watch === undefined ? {} : { watch: options.watch }),
    ...(explain === undefined ? {} : { explain: (record: ExplainRecord) => explain(explainRow(record, minorDigits)) }),
  });
  return new UnratedRejects(inputs.table).settle(result);
}

/** Calls fed to a streamed replay between two returns to the event loop (a few milliseconds). */
const FEED_SLICE = 16_384;

/**
 * A replay fed as parts arrive: each month's calls once a later month has begun (so its pools are
 * sized from every call of it), as long as the parts follow one another in time. It stops being
 * fed as soon as they do not; the caller then replays after the ingest instead. Calls are fed in
 * short slices, so that this thread still hands the workers their next ranges on time.
 */
class StreamedReplay {
  private readonly run: ReplayRun;
  private readonly unrated: UnratedRejects;
  private readonly cursor: ChainCursor = { part: 0, row: 0 };
  private valid = true;
  private frontier = -Infinity;
  private feeding: Promise<void> | null = null;
  private failure: unknown = null;
  /** Parts before this one have been released. */
  private releasedUpTo = 0;

  /** With `spareBlocks`, parts the replay has gone past are released and their blocks put there. */
  constructor(
    private readonly input: Omit<ReplayInput, 'ingestRejects' | 'rowsRead'>,
    period: { start: number; end: number },
    private readonly spareBlocks?: ArrayBuffer[],
  ) {
    this.run = startReplay(input, period);
    this.unrated = new UnratedRejects(input.table);
  }

  get stillValid(): boolean {
    return this.valid;
  }

  partAdded(): void {
    const { table, scenario } = this.input;
    if (!this.valid) return;
    // Rows needing a plan from the user's other rows, later ones too, wait for the whole table.
    if (!table.chained || partNeedsAttribution(table, table.parts.length - 1, this.input.rules.allowances)) {
      this.valid = false;
      return;
    }
    this.run.countLicences(table.parts.length - 1);
    if (table.latestStart === -Infinity) return;
    this.frontier = startOfMonth(table.latestStart, scenario.offsetMinutes);
    if (this.feeding === null && this.failure === null) {
      // A failure (a broken invariant) stops the feeding and is thrown by finish().
      this.feeding = this.feed()
        .catch((error: unknown) => void (this.failure = error))
        .finally(() => void (this.feeding = null));
    }
  }

  /** Feeds slices of calls up to the frontier, yielding between them, while the replay stays valid. */
  private async feed(): Promise<void> {
    const { table } = this.input;
    for (;;) {
      const more = this.valid && table.forEachUntil(this.cursor, this.frontier, this.run.visit, FEED_SLICE);
      this.releasePassed();
      if (!more) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Releases the parts the cursor has left behind, while the replay is still valid. */
  private releasePassed(): void {
    const spares = this.spareBlocks;
    if (spares === undefined || !this.valid) return;
    this.unrated.catchUp(this.run.unrated);
    for (; this.releasedUpTo < this.cursor.part; this.releasedUpTo++) {
      const block = this.input.table.release(this.releasedUpTo);
      if (block !== undefined) spares.push(block);
    }
  }

  /** Waits for the feeding under way, and throws what broke it, if anything did. */
  async settle(): Promise<void> {
    while (this.feeding !== null) await this.feeding;
    if (this.failure !== null) throw this.failure;
  }

  /** Once settled: the calls left (the last month), then the result. */
  finish(ingestRejects: readonly Reject[], rowsRead: number): ReplayResult {
    this.input.table.forEachUntil(this.cursor, Infinity, this.run.visit);
    return this.unrated.settle(this.run.finish(ingestRejects, rowsRead));
  }
}

/** Every input of a replay, read and validated: the scenario, reference data, rates and CDRs. */
export async function loadInputs(
  cdrFiles: readonly string[],
  scenarioFile: string,
  options: RunOptions & {
    onPart?: (table: CallTable, scenario: Scenario, rules: Rules, rates: RateTable | null) => void;
    /** See `IngestOptions.spareBlocks`. */
    spareBlocks?: ArrayBuffer[];
  } = {},
): Promise<LoadedInputs> {
  const data = bundledData();
  const scenario = loadScenario(scenarioFile, data.allowances);
  const rules = { allowances: loadAllowances(scenario.allowancesFile), numbering: loadNumberingPlan(data) };
  checkLicenses(scenario, rules.allowances);
  const { cgrates } = scenario.rating;
  const rates = loadRates({ rateFiles: scenario.rating.rateFiles, currency: scenario.currency, ...(cgrates === undefined ? {} : { cgrates }) });
  const ingested = await ingestFiles(cdrFiles, {
    currency: scenario.currency,
    start: options.wholeHistory ? null : scenario.start,
    end: options.wholeHistory ? null : scenario.end,
    workers: options.workers ?? availableParallelism(),
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    reference: { numbering: data, allowancesFile: scenario.allowancesFile, rateFiles: scenario.rating.rateFiles, ...(cgrates === undefined ? {} : { cgrates }) },
    rules,
    rates,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.spareBlocks === undefined ? {} : { spareBlocks: options.spareBlocks }),
    ...(options.onPart === undefined ? {} : { onPart: (table: CallTable) => options.onPart?.(table, scenario, rules, rates) }),
  });
  if (ingested.table.count === 0 && (scenario.start === null || scenario.end === null)) {
    throw new InputError(`${scenarioFile}: no call could be read, so start and end must be given`);
  }
  // A table some of whose parts a streamed replay gave up has nothing to attribute (see partAdded).
  const attribution = ingested.table.released ? emptyAttribution() : attributePlans(ingested.table, scenario, rules.allowances);
  return { table: ingested.table, ingestRejects: ingested.rejects, rowsRead: ingested.rowsRead, duplicates: ingested.duplicates, scenario, rules, rates, attribution };
}
