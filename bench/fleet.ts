/**
 * The fleet against the single-machine loop, in one run: the same generated tenants forecast one
 * after another by `creditcast forecast --json`, then by a fleet of 1, 2 and 4 worker processes on
 * a redis-server of its own. Prints tenants per minute, the speed-up over the loop and the overhead
 * per job, and checks every stored result against the loop's bytes.
 * Usage: node dist/bench/fleet.js [--tenants 16] [--rows 20000] [--trials 20] [--fleets 1,2,4]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/edge/load/package-data.js';
import { runKeys } from '../engine/fleet/keys.js';
import { startRedis } from '../test/fleet/redis-server.js';

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] as string) : fallback;
};
const tenantCount = Number(option('tenants', '16'));
const rows = Number(option('rows', '20000'));
const trials = option('trials', '20');
const fleets = option('fleets', '1,2,4').split(',').map(Number);
const CLI = join(packageRoot(), 'dist', 'engine', 'cli', 'main.js');
const OPTIONS = ['--trials', trials, '--horizon', '12', '--seed', '1'];
const folder = join(packageRoot(), 'bench', '.data', 'fleet', `${tenantCount}x${rows}`);

function cli(args: string[]): string {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`creditcast ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const tenants = Array.from({ length: tenantCount }, (_, index) => {
  const out = join(folder, `t${index + 1}`);
  if (!existsSync(join(out, 'scenario.json'))) cli(['generate', '--rows', String(rows), '--users', '50', '--months', '12', '--seed', String(index + 1), '--out', out]);
  return { name: `tenant ${index + 1}`, cdrs: join(out, 'pstn.csv'), scenario: join(out, 'scenario.json') };
});

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
let started = process.hrtime.bigint();
const single = new Map(tenants.map((tenant) => [tenant.name, cli(['forecast', '--cdrs', tenant.cdrs, '--scenario', tenant.scenario, ...OPTIONS, '--json'])]));
const loopSeconds = seconds(started);

const redis = await startRedis();
const lines = [`| how | wall s | tenants per minute | speed-up over the loop | overhead per job s |`, '| --- | --- | --- | --- | --- |'];
lines.push(`| single-machine loop | ${loopSeconds.toFixed(1)} | ${((60 * tenantCount) / loopSeconds).toFixed(1)} | 1.00 | |`);
try {
  for (const workers of fleets) {
    const runFolder = join(folder, `fleet-${workers}-${Date.now()}`);
    mkdirSync(runFolder, { recursive: true });
    const manifest = join(runFolder, 'tenants.csv');
    writeFileSync(manifest, ['tenant,cdrs,scenario', ...tenants.map((t) => `${t.name},${t.cdrs},${t.scenario}`)].join('\n') + '\n');
    started = process.hrtime.bigint();
    const runId = cli(['fleet', 'enqueue', '--redis', redis.url, '--manifest', manifest, ...OPTIONS]).trim();
    const exits = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, [CLI, 'fleet', 'worker', '--redis', redis.url, '--exit-when-idle'], { stdio: 'ignore' });
      return new Promise((resolve) => child.once('exit', resolve));
    });
    await Promise.all(exits);
    const wall = seconds(started);
    const stored = Object.values(await redis.client.hgetall(runKeys(runId).results)).map((text) => JSON.parse(text) as { tenant: string; output: string });
    const same = stored.filter((result) => single.get(result.tenant) === result.output).length;
    if (same !== tenantCount) throw new Error(`fleet of ${workers}: ${same} of ${tenantCount} results are the loop's bytes`);
    // One worker process does the loop's work through the queue: what it takes beyond the loop is the fleet's cost.
    const overhead = workers === 1 ? ((wall - loopSeconds) / tenantCount).toFixed(2) : '';
    lines.push(`| fleet, ${workers} worker process(es) | ${wall.toFixed(1)} | ${((60 * tenantCount) / wall).toFixed(1)} | ${(loopSeconds / wall).toFixed(2)} | ${overhead} |`);
  }
} finally {
  await redis.stop();
}
process.stdout.write(`${tenantCount} tenants of ${rows} rows, forecast ${OPTIONS.join(' ')}; every fleet result byte-identical to the loop's\n\n${lines.join('\n')}\n`);
