/**
 * Where an end-to-end replay's time goes, in one process, on the generated 1M-row export that
 * end-to-end.ts caches (run it first): the ingest (parallel decode, merge, duplicates) and the
 * single replay pass on the main thread, each as a ratio to reading the file and counting its
 * newlines in the same run. Usage: node dist/bench/phases.js [--size 1m|10m] [--runs 5]
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../engine/edge/load/package-data.js';
import { replay } from '../engine/replay/replay.js';
import { loadInputs } from '../engine/edge/run/run-replay.js';
import { countNewlines, option } from './common.js';

async function seconds(body: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const size = option('size', '1m');
const runs = Number(option('runs', '5'));
const folder = join(packageRoot(), 'bench', '.data', size);
const csv = join(folder, 'pstn.csv');
const scenario = join(folder, 'scenario.json');
if (!existsSync(csv)) throw new Error(`${csv} is missing: run node dist/bench/end-to-end.js --sizes ${size} first`);

const times = { read: [] as number[], ingest: [] as number[], pass: [] as number[] };
let calls = 0;
for (let run = 0; run < runs; run++) {
  times.read.push(await seconds(() => countNewlines(csv)));
  let inputs: Awaited<ReturnType<typeof loadInputs>> | undefined;
  times.ingest.push(await seconds(async () => (inputs = await loadInputs([csv], scenario, { workers: availableParallelism() }))));
  const loaded = inputs as Awaited<ReturnType<typeof loadInputs>>;
  times.pass.push(await seconds(() => (calls = replay({ ...loaded, keepEvents: false }).calls.read)));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const [read, ingest, pass] = [median(times.read), median(times.ingest), median(times.pass)];
const line = (name: string, value: number) =>
  `  ${name.padEnd(52)} ${value.toFixed(2).padStart(6)} s  ${((value / calls) * 1e9).toFixed(0).padStart(5)} ns a row  ${(value / read).toFixed(2).padStart(5)}x (a)`;
console.log(`\nphases: ${calls.toLocaleString('en')} rows (${size}), median of ${runs}, ${availableParallelism()} cores, in one process`);
console.log(line('(a) read 8 MiB chunks + count newlines', read));
console.log(line('ingest: parallel decode, merge, duplicates', ingest));
console.log(line('replay pass: pools, ledger, totals (main thread)', pass));
