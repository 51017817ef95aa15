/**
 * Two builds of creditcast timed in turns on the same command: old, new, new, old, old, new, …
 * so that a drift in the machine's speed falls on both alike. Each run is a whole process under
 * /usr/bin/time (wall, user + system CPU, peak RSS); the figures are medians over the runs, and
 * the ratio new/old is the median of the ratios of the runs paired in each round.
 *
 *   node dist/bench/ab-speed.js --old ../baseline --new . [--runs 6] -- replay --cdrs big.csv --scenario s.json --json
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Run {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

interface Options {
  oldRoot: string;
  newRoot: string;
  runs: number;
  command: string[];
}

function parseArguments(argv: readonly string[]): Options {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  const value = (name: string): string | undefined => {
    const at = own.indexOf(name);
    return at < 0 ? undefined : own[at + 1];
  };
  const oldRoot = value('--old');
  const newRoot = value('--new');
  const runs = Number(value('--runs') ?? '6');
  if (oldRoot === undefined || newRoot === undefined || command.length === 0 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: ab-speed --old DIR --new DIR [--runs N] -- COMMAND ARGS…\n');
    process.exit(2);
  }
  return { oldRoot: resolve(oldRoot), newRoot: resolve(newRoot), runs, command };
}

/** One whole process of a build's CLI, its output thrown away. */
function timeOnce(root: string, command: readonly string[]): Run {
  const report = join(tmpdir(), `ab-speed-${process.pid}.txt`);
  const cli = join(root, 'dist', 'engine', 'cli', 'main.js');
  const run = spawnSync('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', process.execPath, cli, ...command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`${root}: ${command.join(' ')} exited with ${run.status}`);
  const fields = readFileSync(report, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  rmSync(report, { force: true });
  const [wall = NaN, user = NaN, system = NaN, rssKb = NaN] = fields;
  return { wallSeconds: wall, cpuSeconds: user + system, peakRssMb: rssKb / 1024 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  process.stderr.write(`warm-up: one run of each build\n`);
  timeOnce(options.oldRoot, options.command);
  timeOnce(options.newRoot, options.command);
  const olds: Run[] = [];
  const news: Run[] = [];
  for (let round = 0; round < options.runs; round++) {
    // Which build goes first alternates, so that neither always runs on a page cache the other warmed.
    const order = round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const build of order) {
      const run = timeOnce(build === 'old' ? options.oldRoot : options.newRoot, options.command);
      (build === 'old' ? olds : news).push(run);
      process.stderr.write(`round ${round + 1} ${build}: ${run.wallSeconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU, ${run.peakRssMb.toFixed(0)} MB\n`);
    }
  }
  const row = (name: string, pick: (run: Run) => number, digits: number): string => {
    const ratios = olds.map((old, at) => pick(news[at] as Run) / pick(old));
    const spread = (runs: Run[]): string => `${Math.min(...runs.map(pick)).toFixed(digits)}-${Math.max(...runs.map(pick)).toFixed(digits)}`;
    return `| ${name} | ${median(olds.map(pick)).toFixed(digits)} (${spread(olds)}) | ${median(news.map(pick)).toFixed(digits)} (${spread(news)}) | ${median(ratios).toFixed(3)} |`;
  };
  process.stdout.write(
    [
      `command: ${options.command.join(' ')}`,
      `${options.runs} rounds in turns, old ${options.oldRoot}, new ${options.newRoot}`,
      '',
      '| figure | old: median (min-max) | new: median (min-max) | new/old, median of paired rounds |',
      '| --- | --- | --- | --- |',
      row('wall s', (run) => run.wallSeconds, 2),
      row('CPU s', (run) => run.cpuSeconds, 2),
      row('peak RSS MB', (run) => run.peakRssMb, 0),
      '',
    ].join('\n'),
  );
}

main();
