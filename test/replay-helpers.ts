import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadInputs, runReplay } from '../engine/edge/run/run-replay.js';
import type { LoadedInputs } from '../engine/replay/inputs.js';
import type { ExplainRow, ReplayResult } from '../engine/replay/result.js';
import type { SampleRate } from '../engine/generate/catalog.js';
import { tempFolder, writeFiles } from './cli-helpers.js';
import { teamsCsv, type ExportRow } from './teams-export.js';

/** One line of a rate table file: the generator's sample rate plus when it takes effect. */
export interface RateLine extends SampleRate {
  /** Empty: in effect from the beginning. */
  effectiveFrom: string;
}

/** A rate named after its service and prefix ("outbound 44"), so results show which one applied. */
export function rateRow(service: RateLine['service'], prefix: string, perMinute: string, fee = '0', first = 60, next = 60, effectiveFrom = ''): RateLine {
  return { service, prefix, destination: `${service} ${prefix}`, perMinute, connectionFee: fee, firstIncrementSeconds: first, nextIncrementSeconds: next, effectiveFrom };
}

/** US domestic 0.02/min, UK 0.03/min, toll-free 800 0.018/min, dial-out NG 0.30/min + 0.10. */
export const TEST_RATES = [
  rateRow('outbound', '1', '0.02'),
  rateRow('outbound', '44', '0.03'),
  rateRow('outbound', '234', '0.26', '0.10'),
  rateRow('dialout', '1', '0.024'),
  rateRow('dialout', '234', '0.30', '0.10'),
  rateRow('tollfree_in', '1800', '0.018'),
];

function ratesCsv(rates: readonly RateLine[]): string {
  const lines = rates.map((rate) =>
    [rate.service, rate.prefix, rate.destination, rate.perMinute, rate.connectionFee, 'USD', rate.firstIncrementSeconds, rate.nextIncrementSeconds, rate.effectiveFrom].join(','),
  );
  return `service,prefix,destination,per_minute,connection_fee,currency,first_increment_s,next_increment_s,effective_from\n${lines.join('\n')}\n`;
}

/** A scenario file's JSON, as a user writes it (engine/edge/load/load-scenario.ts); the rate files are added. */
export interface ScenarioJson {
  start?: string;
  end?: string;
  timeZone?: string;
  licenses?: { capability: string; country?: string; users: number; from?: string; to?: string }[];
  billing?: 'prepaid' | 'postpaid';
  plans?: { upn: string; capability: string }[] | string;
  credits?: { initial?: string; licensed?: 'all' | 'none' | string[]; minimumPurchase?: string; resourceAccounts?: 'all' | 'none' | string[]; exhaustion?: string; topups?: { at: string; amount: string }[] };
  rating?: { source?: 'rates' | 'recorded'; poolRounding?: 'minute' | 'second' };
}

/** USD over 2026, no credits, no minimum purchase; credits and rating as given merged in. */
function scenarioText(scenario: ScenarioJson, rateFiles: string[]): string {
  const { credits, rating, ...rest } = scenario;
  return JSON.stringify({
    currency: 'USD',
    start: '2026-01-01T00:00:00Z',
    end: '2027-01-01T00:00:00Z',
    ...rest,
    credits: { initial: '0', minimumPurchase: '0', ...credits },
    rating: { ...rating, rates: rateFiles },
  });
}

/** Writes the export, the scenario and (unless there are none) the rates to a new folder. */
function writeInputs(rows: readonly ExportRow[], scenario: ScenarioJson, rates: readonly RateLine[]): { folder: string; cdr: string; scenario: string } {
  const folder = tempFolder();
  writeFiles(folder, {
    'cdr.csv': teamsCsv(rows),
    'scenario.json': scenarioText(scenario, rates.length === 0 ? [] : ['rates.csv']),
    ...(rates.length === 0 ? {} : { 'rates.csv': ratesCsv(rates) }),
  });
  return { folder, cdr: join(folder, 'cdr.csv'), scenario: join(folder, 'scenario.json') };
}

export type ReplayWithRows = ReplayResult & { rows: ExplainRow[] };

/**
 * Replays export rows (lines numbered from 2) under a scenario as `creditcast replay` does, read in
 * this thread, keeping the explain rows.
 */
export async function replayRows(rows: readonly ExportRow[], scenario: ScenarioJson = {}, rates: readonly RateLine[] = TEST_RATES): Promise<ReplayWithRows> {
  const files = writeInputs(rows, scenario, rates);
  try {
    const explained: ExplainRow[] = [];
    const result = await runReplay([files.cdr], files.scenario, { workers: 1, explain: (row) => explained.push(row) });
    return { ...result, rows: explained };
  } finally {
    rmSync(files.folder, { recursive: true, force: true });
  }
}

/**
 * Reads export rows as a replay's ingest does, in this thread. The files stay behind (in the
 * system's temporary folder): the table reads rows' text back from the export.
 */
export async function loadRows(rows: readonly ExportRow[], scenario: ScenarioJson = {}, rates: readonly RateLine[] = TEST_RATES): Promise<LoadedInputs> {
  const files = writeInputs(rows, scenario, rates);
  return loadInputs([files.cdr], files.scenario, { workers: 1 });
}

/** funding (and pool/credit seconds, paid amount) per call: the explain file in short. */
export function fundings(result: ReplayWithRows): string[] {
  return result.rows.map((row) => `${row.funding} pool ${row.pool_s}s credit ${row.credit_s}s${row.paid === '' ? '' : ` paid ${row.paid}`}`);
}
