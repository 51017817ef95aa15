/**
 * End-to-end throughput on generated Teams exports (1M and 10M rows, cached in bench/.data), each
 * figure measured in the same run as its baselines:
 *   (a) ceiling: read the file in 8 MiB chunks into one reused buffer, count newlines in a JS loop
 *   (b) csv-parse alone, streaming, no rating: the library baseline
 *   (c) creditcast replay, 1 worker      (d) creditcast replay, all cores
 *   (e) below 10M: the same export given twice (every row of the second a duplicate), against (d)
 * and the ratios (c)/(a), (d)/(a), (d)/(b), and the peak RSS of (d) with its growth per call from
 * the smallest size to the largest. (a), (c) and (d) run in turns, `--runs` rounds, and each is the
 * median of its rounds, with their spread. Usage: npm run bench [-- --sizes 1m,10m --runs 3]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { packageRoot } from '../engine/edge/load/package-data.js';
import { countNewlines, option } from './common.js';

const ROOT = packageRoot();
const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');
const SIZES: Record<string, number> = { '100k': 100_000, '1m': 1_000_000, '10m': 10_000_000 };

function dataset(label: string, rows: number): { csv: string; scenario: string; generatedSeconds: number | null } {
  const folder = join(ROOT, 'bench', '.data', label);
  const stamp = join(folder, 'stamp.json');
  // The generator's own code is part of the stamp: a change to it makes the data again.
  const generator = createHash('sha256');
  for (const file of ['generate-cdrs.js', 'call-row.js', 'tenant.js', 'draws.js', 'csv-bytes.js', 'catalog.js']) generator.update(readFileSync(join(ROOT, 'dist', 'engine', 'generate', file)));
  const wanted = JSON.stringify({ rows, users: 5000, seed: 1, generator: generator.digest('hex') });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    process.stderr.write(`generating ${label} (${rows} rows)...\n`);
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [CLI, 'generate', '--rows', String(rows), '--users', '5000', '--seed', '1', '--out', folder, '--force'], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error('generate failed');
    writeFileSync(stamp, wanted);
    return { csv: join(folder, 'pstn.csv'), scenario: join(folder, 'scenario.json'), generatedSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
  return { csv: join(folder, 'pstn.csv'), scenario: join(folder, 'scenario.json'), generatedSeconds: null };
}

async function csvParseOnly(file: string): Promise<number> {
  let rows = 0;
  await pipeline(createReadStream(file), parse({ bom: true, relax_column_count: true }), async function* (source) {
    for await (const _ of source) rows++;
    yield* [];
  });
  return rows;
}

// Peak RSS of a replay, written by the replay process itself as it exits (kilobytes, from the OS).
const RSS_FILE = join(ROOT, 'bench', '.data', 'max-rss.txt');
const RECORD_PEAK_RSS = `data:text/javascript,import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(RSS_FILE)}, String(process.resourceUsage().maxRSS)));`;

/** Runs a replay; its peak RSS in bytes. */
function replay(csv: string | string[], scenario: string, workers: number): number {
  const run = spawnSync(process.execPath, ['--import', RECORD_PEAK_RSS, CLI, 'replay', '--cdrs', ...[csv].flat(), '--scenario', scenario, '--workers', String(workers), '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`replay failed with exit ${run.status}`);
  return Number(readFileSync(RSS_FILE, 'utf8')) * 1024;
}

async function seconds(body: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function median(runs: number, body: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await seconds(body));
  return medianOf(times);
}

const cores = availableParallelism();
const runs = Number(option('runs', '3'));
const peaks: { rows: number; bytes: number }[] = [];
for (const label of option('sizes', '1m,10m').split(',')) {
  const rows = SIZES[label];
  if (rows === undefined) throw new Error(`unknown size ${label}: use ${Object.keys(SIZES).join(', ')}`);
  const { csv, scenario, generatedSeconds } = dataset(label, rows);
  const megabytes = statSync(csv).size / 1e6;
  // csv-parse takes minutes at 10M rows: once there. (a), (c) and (d) take turns, round after
  // round, so that a slow spell of the machine (it comes and goes within minutes) falls on each
  // alike, and each figure is the median of its rounds.
  const n = runs;
  const nb = label === '10m' ? 1 : runs;
  const b = await median(nb, () => csvParseOnly(csv));
  const rounds = { a: [] as number[], c: [] as number[], d: [] as number[], peaks: [] as number[] };
  for (let round = 0; round < n; round++) {
    rounds.a.push(await seconds(() => countNewlines(csv)));
    rounds.c.push(await seconds(() => replay(csv, scenario, 1)));
    let peak = 0;
    rounds.d.push(await seconds(() => (peak = replay(csv, scenario, cores))));
    rounds.peaks.push(peak);
  }
  const [a, c, d] = [medianOf(rounds.a), medianOf(rounds.c), medianOf(rounds.d)];
  const peakBytes = Math.min(...rounds.peaks);
  peaks.push({ rows, bytes: peakBytes });
  const line = (name: string, seconds: number) =>
    `  ${name.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(rows / seconds).toLocaleString('en').padStart(12)} rows/s ${(megabytes / seconds).toFixed(0).padStart(6)} MB/s`;
  console.log(`\n${label}: ${rows.toLocaleString('en')} rows, ${megabytes.toFixed(0)} MB, ${cores} cores; (a), (c), (d): median of ${n} rounds in turns, (b): ${nb === 1 ? 'one run' : `median of ${nb}`}`);
  console.log(line('(a) read 8 MiB chunks + count newlines', a));
  console.log(line('(b) csv-parse alone', b));
  console.log(line('(c) creditcast replay, 1 worker', c));
  console.log(line(`(d) creditcast replay, ${cores} workers`, d));
  const spread = (times: number[]) => `${Math.min(...times).toFixed(2)}-${Math.max(...times).toFixed(2)} s`;
  console.log(`  rounds: (a) ${spread(rounds.a)}, (c) ${spread(rounds.c)}, (d) ${spread(rounds.d)}`);
  console.log(`  ratios (speed): (c)/(a) ${(a / c).toFixed(2)}  (d)/(a) ${(a / d).toFixed(2)}  (d)/(b) ${(b / d).toFixed(2)}`);
  console.log(`  peak RSS of (d): ${(peakBytes / 1e6).toFixed(0)} MB`);
  if (generatedSeconds !== null) console.log(`  generating it took ${generatedSeconds.toFixed(1)} s, ${(generatedSeconds / a).toFixed(1)}x (a)`);
  if (label !== '10m') {
    // Overlapping exports: the same file twice, every row of the second a duplicate to confirm.
    const e = await median(n, () => replay([csv, csv], scenario, cores));
    console.log(`  (e) the same export given twice, ${cores} workers   ${e.toFixed(2).padStart(7)} s  ${(e / d).toFixed(2)}x (d) for twice the rows, half of them duplicates`);
  }
}
const [smallest, largest] = [peaks[0], peaks[peaks.length - 1]];
if (smallest !== undefined && largest !== undefined && largest.rows > smallest.rows) {
  console.log(`\npeak RSS grows by ${((largest.bytes - smallest.bytes) / (largest.rows - smallest.rows)).toFixed(0)} bytes a call from ${smallest.rows.toLocaleString('en')} to ${largest.rows.toLocaleString('en')} rows`);
}
