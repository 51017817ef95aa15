import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../kernel/errors.js';
import { JsRecordScanner } from '../../ingest/js-scanner.js';
import type { RecordScanner } from '../../ingest/scanner.js';
import { compileIngestModule, wasmRecordScanner, type IngestModule } from '../../ingest/wasm-scanner.js';
import { packageRoot } from '../load/package-data.js';

/**
 * Which record scanner CREDITCAST_SCANNER asks for: "wasm" insists on the WebAssembly module (a
 * module that does not load is then an input error), "js" switches it off (to compare the two, or
 * to rule it out when in doubt), anything else takes the module when it loads.
 */
export type ScannerChoice = 'wasm' | 'js' | 'either';

export function scannerChoice(env: NodeJS.ProcessEnv = process.env): ScannerChoice {
  const asked = env['CREDITCAST_SCANNER'];
  return asked === 'wasm' || asked === 'js' ? asked : 'either';
}

/** Built by `npm run build`; tests, which run the TypeScript sources, find it there too. */
export function ingestModuleFile(): string {
  return join(packageRoot(), 'dist', 'engine', 'ingest', 'simd', 'ingest.wasm');
}

const compiled = new Map<string, { module: IngestModule } | { failure: string }>();

/**
 * The ingest's WebAssembly module, compiled once per process, to hand to the scanners of this
 * thread and of the workers; null when it is switched off or does not load. A module that does
 * not load is said on stderr, once, in one line; where `choice` is "wasm" it is an InputError.
 */
export function ingestModule(choice: ScannerChoice = scannerChoice(), file = ingestModuleFile()): IngestModule | null {
  if (choice === 'js') return null;
  let outcome = compiled.get(file);
  if (outcome === undefined) {
    outcome = compile(file);
    compiled.set(file, outcome);
    if ('failure' in outcome && choice === 'either') {
      process.stderr.write(`creditcast: warning: ${file}: the WebAssembly record scanner did not load (${outcome.failure}); reading with the JavaScript scanner, more slowly\n`);
    }
  }
  if ('module' in outcome) return outcome.module;
  if (choice === 'wasm') throw new InputError(`${file}: the WebAssembly record scanner did not load (${outcome.failure}), and CREDITCAST_SCANNER=wasm asks for it`);
  return null;
}

function compile(file: string): { module: IngestModule } | { failure: string } {
  try {
    return { module: compileIngestModule(readFileSync(file)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { failure: message.split('\n')[0] ?? '' };
  }
}

let jsScanner: RecordScanner | undefined;
const wasmScanners = new WeakMap<IngestModule, RecordScanner>();

/**
 * This thread's scanner: over its own instance of `module` (kept: the instance's memory is
 * reused from range to range), or the JavaScript scanner when there is no module.
 */
export function threadScanner(module: IngestModule | null, choice: ScannerChoice = scannerChoice()): RecordScanner {
  if (module === null) return (jsScanner ??= new JsRecordScanner());
  let scanner = wasmScanners.get(module);
  if (scanner === undefined) wasmScanners.set(module, (scanner = startedScanner(module, choice)));
  return scanner;
}

/**
 * An instance of the module, or the JavaScript scanner where none can start: an instance reserves
 * gigabytes of address space for its memory, which a capped process (`ulimit -v`) may not have.
 * Both read every row alike, so only the speed differs, and that is said.
 */
function startedScanner(module: IngestModule, choice: ScannerChoice): RecordScanner {
  try {
    return wasmRecordScanner(module);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    if (choice === 'wasm') throw new InputError(`the WebAssembly record scanner could not start (${reason}), and CREDITCAST_SCANNER=wasm asks for it`);
    process.stderr.write(`creditcast: warning: the WebAssembly record scanner could not start (${reason}); reading with the JavaScript scanner, more slowly\n`);
    return (jsScanner ??= new JsRecordScanner());
  }
}
