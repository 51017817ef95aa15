import { Piscina } from 'piscina';
import { columnBuffers } from '../cdr/call-columns.js';
import { readRange, type RangeResult, type RangeSpec } from '../ingest/read-range.js';
import type { DecoderSettings } from '../ingest/row-decoder.js';
import { referenceData, type ReferenceFiles } from './reference-cache.js';

/** What a worker needs to decode a range: plain data only crosses the thread boundary. */
export interface RangeTask {
  file: string;
  spec: RangeSpec;
  settings: DecoderSettings;
  reference: ReferenceFiles;
}

export default function decodeRange(task: RangeTask): RangeResult {
  const { rules, rates } = referenceData(task.reference);
  const result = readRange(task.file, task.spec, task.settings, rules, rates);
  return Piscina.move({ [Piscina.transferableSymbol]: columnBuffers(result.columns), [Piscina.valueSymbol]: result } as never) as unknown as RangeResult;
}
