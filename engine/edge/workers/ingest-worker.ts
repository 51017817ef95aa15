import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { columnBuffers } from '../../columns/call-columns.js';
import { readRange, type RangeResult, type RangeSpec } from '../read/read-range.js';
import { threadScanner } from '../read/ingest-module.js';
import type { DecoderSettings } from '../../ingest/row-decoder.js';
import type { IngestModule } from '../../ingest/wasm-scanner.js';
import { referenceData, type ReferenceFiles } from './reference-cache.js';

/** What a worker needs to decode a range: plain data only crosses the thread boundary. */
export interface RangeTask {
  file: string;
  spec: RangeSpec;
  settings: DecoderSettings;
  reference: ReferenceFiles;
  /**
   * Hand the columns over in their block rather than copy them out, and fill these blocks (parts
   * the main thread is done with) next. Absent when the main thread keeps every part.
   */
  recycle?: { blocks: ArrayBuffer[] };
}

/**
 * Given to each worker when the pool starts: the WebAssembly module the main thread compiled (so
 * that one that does not load is found, and said, once), or null for the JavaScript scanner.
 */
export interface IngestWorkerData {
  ingestModule: IngestModule | null;
}

/** Blocks given back by the main thread, for the ranges this worker reads next. */
const spareBlocks: ArrayBuffer[] = [];

/**
 * Each worker holds two tasks (ingest-files.ts), and piscina takes both messages before running
 * either: run at once, the second range would be decoded before the first one's result is posted,
 * and every result would reach the main thread a whole range late. Begun on the next turn of the
 * event loop, a range runs after the result before it has gone.
 */
export default async function decodeRange(task: RangeTask): Promise<RangeResult> {
  await new Promise((resolve) => setImmediate(resolve));
  const { rules, rates } = referenceData(task.reference);
  if (task.recycle !== undefined) for (const block of task.recycle.blocks) spareBlocks.push(block);
  const scanner = threadScanner((workerData as IngestWorkerData).ingestModule);
  const result = readRange(scanner, task.file, task.spec, task.settings, rules, rates, task.recycle === undefined ? undefined : spareBlocks);
  return Piscina.move({ [Piscina.transferableSymbol]: columnBuffers(result.columns), [Piscina.valueSymbol]: result } as never) as unknown as RangeResult;
}
