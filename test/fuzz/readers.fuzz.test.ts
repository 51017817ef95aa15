import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { InputError } from '../../engine/kernel/errors.js';
import type { ExplainRow, ReplayResult } from '../../engine/replay/result.js';
import { eventsCsv, ExplainWriter, rejectsCsv } from '../../engine/report/csv-files.js';
import { textCellValue } from '../../engine/report/csv-cells.js';
import { jsonReport } from '../../engine/report/json-report.js';
import { terminalSummary } from '../../engine/report/summary.js';
import { tempFolder } from '../cli-helpers.js';
import {
  EVENT_NUMBERS, EVENT_TEXT, EXPLAIN_NUMBERS, EXPLAIN_TEXT, expectNeutralisedCsv, exportBytes, fuzzFolder, hostileExports,
  REJECT_NUMBERS, REJECT_TEXT, runs, TERMINAL_CONTROL,
} from './hostile-export.js';

interface Outcome {
  /** An input error's message (exit 2), or the reports. */
  error?: string;
  json?: string;
  rejects?: string;
  events?: string;
  explain?: string;
  result?: ReplayResult;
}

const saved = process.env['CREDITCAST_SCANNER'];
afterEach(() => {
  if (saved === undefined) delete process.env['CREDITCAST_SCANNER'];
  else process.env['CREDITCAST_SCANNER'] = saved;
});

/** A replay with one reader, in this process, every report made; any error but an input error (exit 1) fails. */
async function replayWith(scanner: 'js' | 'wasm', cdrs: string, scenario: string, chunkBytes: number): Promise<Outcome> {
  process.env['CREDITCAST_SCANNER'] = scanner;
  let explain = '';
  const writer = new ExplainWriter((text) => (explain += text));
  try {
    const result = await runReplay([cdrs], scenario, { workers: 1, chunkBytes, keepEvents: true, explain: (row: ExplainRow) => writer.add(row) });
    writer.flush();
    return { json: JSON.stringify(jsonReport(result)), rejects: rejectsCsv(result.rejects), events: eventsCsv(result), explain, result };
  } catch (error) {
    if (error instanceof InputError) return { error: error.message };
    throw error;
  }
}

function expectConserved(result: ReplayResult): void {
  const { read, rejected, free, pool, credits, refused, cut } = result.calls;
  expect(rejected + free + pool + credits + refused + cut).toBe(read);
  expect(result.rejects.length).toBe(rejected);
  const money = result.credits;
  expect(money.spentMicros + money.forfeitedMicros + money.closingMicros).toBe(money.fundedMicros);
  for (const value of [money.fundedMicros, money.spentMicros, money.forfeitedMicros, money.closingMicros]) expect(Number.isSafeInteger(value)).toBe(true);
}

function expectReportsHarmless(outcome: Outcome): void {
  const result = outcome.result as ReplayResult;
  const rejects = expectNeutralisedCsv(outcome.rejects as string, REJECT_TEXT, REJECT_NUMBERS);
  // The raw row is recovered from its cell by the README's rule.
  expect(rejects.map((record) => textCellValue(record['raw'] as string))).toEqual(result.rejects.map((reject) => reject.raw));
  expectNeutralisedCsv(outcome.events as string, EVENT_TEXT, EVENT_NUMBERS);
  expectNeutralisedCsv(outcome.explain as string, EXPLAIN_TEXT, EXPLAIN_NUMBERS);
  const summary = terminalSummary(result);
  expect(summary).not.toMatch(TERMINAL_CONTROL);
  for (const line of summary.split('\n')) expect(line.length).toBeLessThan(600);
}

describe('hostile exports through both readers (fast-check; a failure prints its seed)', () => {
  it('never a bug, the same answer from both, rows and money conserved, every report harmless', async () => {
    const folder = tempFolder();
    const { cdrs, scenario } = fuzzFolder(folder);
    const numRuns = runs(40);
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(hostileExports, fc.constantFrom(4096, 65_536, 32 << 20), async (spec, chunkBytes) => {
        writeFileSync(cdrs, exportBytes(spec));
        const js = await replayWith('js', cdrs, scenario, chunkBytes);
        const wasm = await replayWith('wasm', cdrs, scenario, chunkBytes);
        expect(wasm.error).toBe(js.error);
        if (wasm.error !== undefined) return;
        answered++;
        expect(wasm.json).toBe(js.json);
        expect(wasm.rejects).toBe(js.rejects);
        expect(wasm.events).toBe(js.events);
        expect(wasm.explain).toBe(js.explain);
        expectConserved(wasm.result as ReplayResult);
        expectReportsHarmless(wasm);
      }),
      { numRuns },
    );
    // Most exports must get an answer, or the properties above were checked on nothing.
    expect(answered).toBeGreaterThan(numRuns / 2);
  });
});
