/**
 * Same answers: runs every command and output of two builds of creditcast on the bundled sample,
 * the test fixtures and a generated tenant, and compares stdout, every file written and the exit
 * code byte for byte (stderr only for errors: progress lines are not answers). One line per
 * comparison; exits 1 when anything differs.
 *
 * Usage: node dist/bench/compare-builds.js --old DIR --new DIR [--rows 1000000] [--skip-big]
 *        [--skip-help] [--workers 2] [--work /tmp/creditcast-compare] [--keep]
 * --skip-help leaves out --help and --version, whose text is documentation rather than an answer.
 * DIR is a checkout with dist/ built. The sample and fixtures are the --new checkout's; the big
 * tenant is generated once by the old build into this checkout's bench/.data and reused.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './common.js';
import { badInputCases, generateCases, helpCases, lookAheadCases, rejectLimitCases, replayCases, type CompareCase, type Tenant } from './compare-cases.js';
import { filesUnder, firstDifference } from './compare-files.js';

const OWN_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join('dist', 'engine', 'cli', 'main.js');
const SAMPLE_INPUTS = ['data/sample/pstn-usage.csv', 'scenarios/sample.json', 'test/fixtures/scenario.json'];

interface Settings {
  oldRoot: string;
  newRoot: string;
  rows: number;
  skipBig: boolean;
  skipHelp: boolean;
  workers: number;
  work: string;
  keep: boolean;
}

interface Tally {
  comparisons: number;
  different: number;
}

function settingsFromArgs(): Settings {
  const fail = (why: string): never => {
    process.stderr.write(`compare-builds: ${why}\nusage: node dist/bench/compare-builds.js --old DIR --new DIR [--rows N] [--skip-big] [--skip-help] [--workers N] [--work DIR] [--keep]\n`);
    process.exit(2);
  };
  const oldRoot = resolve(option('old', '') || fail('--old DIR is required'));
  const newRoot = resolve(option('new', '') || fail('--new DIR is required'));
  for (const root of [oldRoot, newRoot]) if (!existsSync(join(root, CLI))) fail(`${root}: no ${CLI} (build it with npm ci)`);
  for (const input of SAMPLE_INPUTS) if (!existsSync(join(newRoot, input))) fail(`${join(newRoot, input)}: missing (the sample and fixtures are the --new checkout's)`);
  const rows = Number(option('rows', '1000000'));
  const workers = Number(option('workers', '2'));
  if (!Number.isInteger(rows) || rows < 1) fail(`--rows: expected a whole number of rows, got ${option('rows', '')}`);
  if (!Number.isInteger(workers) || workers < 1) fail(`--workers: expected a whole number of threads, got ${option('workers', '')}`);
  const work = resolve(option('work', '/tmp/creditcast-compare'));
  return { oldRoot, newRoot, rows, skipBig: process.argv.includes('--skip-big'), skipHelp: process.argv.includes('--skip-help'), workers, work, keep: process.argv.includes('--keep') };
}

interface Run {
  exit: string;
  seconds: number;
  stdout: string;
  stderr: string;
  files: string;
}

/** Runs one build's CLI in `folder/files` with stdout and stderr to files beside it. */
function runBuild(root: string, folder: string, args: string[]): Run {
  const run = { exit: '', seconds: 0, stdout: join(folder, 'stdout'), stderr: join(folder, 'stderr'), files: join(folder, 'files') };
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(run.files, { recursive: true });
  const out = openSync(run.stdout, 'w');
  const err = openSync(run.stderr, 'w');
  const env = { ...process.env };
  delete env['CREDITCAST_DEBUG'];
  const started = process.hrtime.bigint();
  try {
    const result = spawnSync(process.execPath, [join(root, CLI), ...args], { cwd: run.files, env, stdio: ['ignore', out, err] });
    run.exit = result.error !== undefined ? `not started (${result.error.message})` : result.signal !== null ? `signal ${result.signal}` : `exit ${result.status}`;
  } finally {
    closeSync(out);
    closeSync(err);
  }
  run.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return run;
}

function report(same: boolean, what: string, detail: string, tally: Tally): void {
  tally.comparisons++;
  if (!same) tally.different++;
  process.stdout.write(`${same ? 'same     ' : 'DIFFERENT'}  ${what}: ${detail}\n`);
}

function compareFile(what: string, oldFile: string | null, newFile: string | null, tally: Tally): void {
  if (oldFile === null || newFile === null) {
    report(false, what, `written only by the ${oldFile === null ? 'new' : 'old'} build`, tally);
    return;
  }
  const difference = firstDifference(oldFile, newFile);
  const sizes = `${statSync(oldFile).size.toLocaleString('en')} bytes`;
  if (difference === null) report(true, what, sizes, tally);
  else report(false, what, `line ${difference.line}: old ${difference.oldText} | new ${difference.newText} (old ${sizes}, new ${statSync(newFile).size.toLocaleString('en')} bytes)`, tally);
}

const firstLine = (file: string) => readFileSync(file, 'utf8').split('\n')[0] ?? '';

/** Both builds on one case; true when every comparison was the same. */
function compareCase(settings: Settings, index: number, test: CompareCase, tally: Tally): boolean {
  const slug = `${String(index).padStart(2, '0')}-${test.name.replace(/[^A-Za-z0-9.]+/g, '-').slice(0, 80)}`;
  const oldRun = runBuild(settings.oldRoot, join(settings.work, 'old', slug), test.args);
  const newRun = runBuild(settings.newRoot, join(settings.work, 'new', slug), test.args);
  const before = tally.different;
  const timing = `(old ${oldRun.seconds.toFixed(1)} s, new ${newRun.seconds.toFixed(1)} s)`;
  const expected = `exit ${test.expectedExit ?? 0}`;
  if (oldRun.exit !== expected) report(false, `${test.name}: exit code`, `the old build gave ${oldRun.exit}, not ${expected}, so the case proves nothing: "${firstLine(oldRun.stderr)}" ${timing}`, tally);
  else if (oldRun.exit === newRun.exit) report(true, `${test.name}: exit code`, `${oldRun.exit} ${timing}`, tally);
  else report(false, `${test.name}: exit code`, `old ${oldRun.exit} "${firstLine(oldRun.stderr)}" | new ${newRun.exit} "${firstLine(newRun.stderr)}" ${timing}`, tally);
  compareFile(`${test.name}: stdout`, oldRun.stdout, newRun.stdout, tally);
  if (test.compareStderr === true) compareFile(`${test.name}: stderr`, oldRun.stderr, newRun.stderr, tally);
  const oldFiles = filesUnder(oldRun.files);
  const newFiles = filesUnder(newRun.files);
  for (const file of [...new Set([...oldFiles, ...newFiles])].sort()) {
    const pathIn = (run: Run, files: string[]) => (files.includes(file) ? join(run.files, file) : null);
    compareFile(`${test.name}: ${file}`, pathIn(oldRun, oldFiles), pathIn(newRun, newFiles), tally);
  }
  const same = tally.different === before;
  if (same && !settings.keep) {
    rmSync(join(settings.work, 'old', slug), { recursive: true, force: true });
    rmSync(join(settings.work, 'new', slug), { recursive: true, force: true });
  }
  return same;
}

/** The big tenant, made once by the old build and reused while its options stay the same. */
function bigTenant(settings: Settings): Tenant {
  const label = settings.rows % 1_000_000 === 0 ? `${settings.rows / 1_000_000}m` : String(settings.rows);
  const folder = join(OWN_ROOT, 'bench', '.data', `compare-${label}`);
  const options = ['--rows', String(settings.rows), '--users', '2000', '--from', '2026-01-01', '--months', '12', '--seed', '7', '--workers', String(settings.workers)];
  const stamp = join(folder, 'compare-stamp.json');
  const wanted = JSON.stringify({ options, by: settings.oldRoot });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    process.stdout.write(`generating ${folder} with the old build (${options.join(' ')})...\n`);
    rmSync(folder, { recursive: true, force: true });
    const run = spawnSync(process.execPath, [join(settings.oldRoot, CLI), 'generate', ...options, '--out', folder], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`generate failed with ${run.signal ?? `exit ${run.status}`}`);
    writeFileSync(stamp, wanted);
  }
  return {
    label: `generated ${label}`,
    cdrs: [join(folder, 'pstn.csv')],
    scenario: join(folder, 'scenario.json'),
    workers: settings.workers,
    trials: 10,
    sweepGrid: ['--trigger', '0,100,500', '--amount', '500,1000', '--mode', 'with,to'],
    headcount: 'MCOPSTN1:*:+10%',
  };
}

function plannedCases(settings: Settings): CompareCase[] {
  const sample: Tenant = {
    label: 'sample',
    cdrs: [join(settings.newRoot, 'data', 'sample', 'pstn-usage.csv')],
    scenario: join(settings.newRoot, 'scenarios', 'sample.json'),
    workers: settings.workers,
    trials: 100,
    sweepGrid: ['--trigger', '0:60:10', '--amount', '50:200:50', '--mode', 'with,to', '--delay', '0,3600'],
    headcount: 'MCOPSTN5:US:+50%',
  };
  const fixtureFolder = join(settings.newRoot, 'test', 'fixtures');
  const fixtureFiles = ['teams-small.csv', 'teams-reordered.csv', 'legacy-sfb.csv', 'graph-pages.json', 'graph-page1.json', 'graph-page2.json'];
  const fixtures: Tenant = { ...sample, label: 'fixtures', cdrs: fixtureFiles.map((file) => join(fixtureFolder, file)), scenario: join(fixtureFolder, 'scenario.json') };
  const cases = [
    ...replayCases(sample),
    ...lookAheadCases(sample),
    ...replayCases(fixtures),
    ...rejectLimitCases(fixtures),
    ...badInputCases(sample),
    ...(settings.skipHelp ? [] : helpCases()),
    ...generateCases(settings.workers),
  ];
  if (!settings.skipBig) {
    const big = bigTenant(settings);
    cases.push(...replayCases(big), tenantChunked(big), ...lookAheadCases(big));
  }
  return cases;
}

/** Small byte ranges: many ranges start inside a record, and the reading guesses get checked. */
function tenantChunked(tenant: Tenant): CompareCase {
  const args = ['replay', '--json', '--chunk-size', '1MiB', '--cdrs', ...tenant.cdrs, '--scenario', tenant.scenario, '--workers', String(tenant.workers)];
  return { name: `${tenant.label}: replay --json --chunk-size 1MiB`, args };
}

function headOf(root: string): string {
  const run = spawnSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim().slice(0, 100) : '(not a git checkout)';
}

const settings = settingsFromArgs();
const started = process.hrtime.bigint();
process.stdout.write(`old: ${settings.oldRoot}  ${headOf(settings.oldRoot)}\nnew: ${settings.newRoot}  ${headOf(settings.newRoot)}\n`);
const cases = plannedCases(settings);
for (const build of ['old', 'new']) rmSync(join(settings.work, build), { recursive: true, force: true });
process.stdout.write(`${cases.length} runs of each build, --workers ${settings.workers}, outputs under ${settings.work}\n\n`);
const tally: Tally = { comparisons: 0, different: 0 };
const kept: string[] = [];
cases.forEach((test, index) => {
  if (!compareCase(settings, index + 1, test, tally)) kept.push(test.name);
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(`\n${tally.comparisons} comparisons in ${cases.length} cases, ${tally.different} different, ${seconds.toFixed(0)} s\n`);
if (kept.length > 0) process.stdout.write(`outputs of the differing cases are kept under ${settings.work}/old and ${settings.work}/new\n`);
process.exitCode = tally.different > 0 ? 1 : 0;
