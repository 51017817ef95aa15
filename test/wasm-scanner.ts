import { ingestModule, threadScanner } from '../engine/edge/read/ingest-module.js';
import type { RecordScanner } from '../engine/ingest/scanner.js';

/**
 * The WebAssembly scanner built into dist/ by `npm run build`. It is asked for as
 * CREDITCAST_SCANNER=wasm asks for it: a module that does not load fails the test that wanted it,
 * rather than leaving the JavaScript scanner to be compared with itself.
 */
export function wasmScanner(): RecordScanner {
  return threadScanner(ingestModule('wasm'));
}
