import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../engine/fleet/keys.js';
import { runCli, tempFolder } from '../cli-helpers.js';
import { generateTenants, startWorker, storedOutputs, waitFor, writeManifest } from './fleet-helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

// Small on purpose: four trials over two months of 1,500 calls a tenant.
const OPTIONS = ['--trials', '4', '--horizon', '2', '--seed', '7'];
// A short lock, so that a killed worker's job is taken up again within seconds; long enough that a
// busy machine does not make a live worker's job look abandoned.
const WORKER = ['--workers', '1', '--lock-seconds', '5'];

describe('creditcast fleet on a real Redis', () => {
  let redis: TestRedis;
  let folder: string;
  let tenants: { name: string; cdrs: string; scenario: string }[];
  /** What the single-machine command prints for each tenant, with all cores. */
  const single = new Map<string, string>();

  beforeAll(async () => {
    redis = await startRedis();
    folder = tempFolder();
    tenants = generateTenants(folder);
    for (const tenant of tenants) {
      const run = runCli(['forecast', '--cdrs', tenant.cdrs, '--scenario', tenant.scenario, ...OPTIONS, '--json']);
      if (run.code !== 0) throw new Error(run.stderr);
      single.set(tenant.name, run.stdout);
    }
  });

  afterAll(async () => {
    await redis?.stop();
  });

  const enqueue = (manifest: string, extra: string[] = []) => runCli(['fleet', 'enqueue', '--redis', redis.url, '--manifest', manifest, ...OPTIONS, ...extra]);

  it('runs 6 tenants on 2 worker processes, each result the same bytes as the single-machine command', async () => {
    const manifest = writeManifest(join(folder, 'run-two-workers'), tenants);
    const queued = enqueue(manifest);
    expect(queued.stderr).toContain('6 tenant(s)');
    const runId = queued.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f]{16}$/);

    const workers = [startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER]), startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER])];
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
    const doneLines = workers.flatMap((worker) => worker.stderr().split('\n').filter((line) => line.endsWith(' done')));
    // At least once each: a worker starved of CPU past its lock may see its job run again elsewhere,
    // which the guarantees allow (the stored result stays one, as checked next).
    expect(doneLines.length).toBeGreaterThanOrEqual(6);

    const stored = await storedOutputs(redis.client, runId);
    expect([...stored.keys()].sort()).toEqual(tenants.map((tenant) => tenant.name).sort());
    for (const tenant of tenants) expect(stored.get(tenant.name)).toBe(single.get(tenant.name));

    // The same manifest and options again: the same run, nothing queued, nothing run twice.
    const again = enqueue(manifest);
    expect(again.stdout.trim()).toBe(runId);
    expect(again.stderr).toContain('6 already settled');
    const queue = new Queue('tenants', { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) }, prefix: 'creditcast' });
    expect(await queue.getJobCounts('wait', 'completed', 'failed')).toEqual({ wait: 0, completed: 6, failed: 0 });
    await queue.close();

    // No tenant name reaches a key: every key is made of the prefix, hex ids and fixed words.
    const keys = await redis.client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^creditcast:[a-z0-9:-]+$/);
  });

  it('orders the answer by the first drop and writes it as JSON, CSV and escaped HTML', async () => {
    const manifest = writeManifest(join(folder, 'run-answer'), tenants);
    const runId = enqueue(manifest).stdout.trim();
    expect(await startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER]).exited).toBe(0);
    const html = join(folder, 'answer.html');
    const csv = join(folder, 'answer.csv');
    const answer = runCli(['fleet', 'results', '--redis', redis.url, '--run', runId, '--json', '--html', html, '--csv', csv]);
    expect(answer.code).toBe(0);
    const document = JSON.parse(answer.stdout) as { progress: Record<string, number | null>; tenants: { tenant: string; rank: number; firstDrop: string | null; dropShare: number }[] };
    expect(document.progress).toMatchObject({ tenants: 6, done: 6, failed: 0, running: 0, waiting: 0 });

    // The order the single-machine answers give: first-drop P5 ascending, tenants without one last, ties by name.
    const p5 = (name: string) => (JSON.parse(single.get(name) as string) as { firstDrop: { p5: string | null } }).firstDrop.p5;
    const expected = tenants
      .map((tenant) => tenant.name)
      .sort((a, b) => (p5(a) === null ? 1 : 0) - (p5(b) === null ? 1 : 0) || (p5(a) ?? '').localeCompare(p5(b) ?? '') || (a < b ? -1 : 1));
    expect(document.tenants.map((tenant) => tenant.tenant)).toEqual(expected);
    // 50.00 without recharge over two months of this traffic runs out in some trial; 500.00 with recharge never does.
    expect(document.tenants.find((tenant) => tenant.tenant === 'Contoso: EU')?.firstDrop).not.toBeNull();
    expect(document.tenants.find((tenant) => tenant.tenant === 'Fabrikam <b>bold</b>')).toMatchObject({ firstDrop: null, dropShare: 0 });

    // On a terminal a tenant's control characters are shown escaped.
    const text = runCli(['fleet', 'results', '--redis', redis.url, '--run', runId]).stdout;
    expect(text).toContain('Adatum\\tTab');
    expect(text).not.toContain('Adatum\tTab');

    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Fabrikam &lt;b&gt;bold&lt;/b&gt;');
    expect(page).not.toContain('<b>bold</b>');
    for (const anchor of page.matchAll(/href="#(tenant-[0-9a-f]{32})"/g)) expect(page).toContain(`id="${anchor[1]}"`);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('rank,tenant,status,first_drop,drop_share,funding,recharge,error,report');
    expect(rows.length).toBeGreaterThanOrEqual(7);
  });

  it('loses nothing when a worker is killed holding a job: every tenant ends with one identical result', async () => {
    const manifest = writeManifest(join(folder, 'run-killed'), tenants);
    const runId = enqueue(manifest).stdout.trim();
    const doomed = startWorker(['--redis', redis.url, ...WORKER]);
    await waitFor(() => doomed.stderr().includes(' started '), 'the first worker to take a job');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const held = /tenant (".*") started/.exec(doomed.stderr())?.[1] as string;

    // The dead worker's job is still active: nobody has noticed its lock lapse yet.
    const before = JSON.parse(runCli(['fleet', 'status', '--redis', redis.url, '--run', runId, '--json']).stdout) as { progress: { running: number; done: number } };
    expect(before.progress).toMatchObject({ running: 1, done: 0 });

    const rescuers = [startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER]), startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER])];
    expect(await Promise.all(rescuers.map((worker) => worker.exited))).toEqual([0, 0]);
    const rescueLog = rescuers.map((worker) => worker.stderr()).join('');
    expect(rescueLog).toContain(`tenant ${held} started (attempt 2)`);

    const stored = await storedOutputs(redis.client, runId);
    expect(stored.size).toBe(6);
    for (const tenant of tenants) expect(stored.get(tenant.name)).toBe(single.get(tenant.name));
    expect(await redis.client.hlen(runKeys(runId).failed)).toBe(0);
  });

  it.each([
    ['recommend', ['--confidence', '0.75', '--step', '5']],
    ['replay', []],
  ])('runs %s for each tenant as the single-machine command with --json does, byte for byte', async (command, extra) => {
    const two = tenants.slice(0, 2);
    const manifest = writeManifest(join(folder, `run-${command}`), two);
    const modelOptions = command === 'replay' ? [] : OPTIONS;
    const queued = runCli(['fleet', 'enqueue', '--redis', redis.url, '--manifest', manifest, '--run', command, ...modelOptions, ...extra]);
    expect(queued.code).toBe(0);
    expect(await startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER]).exited).toBe(0);
    const stored = await storedOutputs(redis.client, queued.stdout.trim());
    for (const tenant of two) {
      const alone = runCli([command, '--cdrs', tenant.cdrs, '--scenario', tenant.scenario, ...modelOptions, ...extra, '--json']);
      expect(alone.code).toBe(0);
      expect(stored.get(tenant.name)).toBe(alone.stdout);
    }
  });

  it('fails a tenant with a broken scenario or a missing file alone, with its one-line error', async () => {
    const brokenScenario = join(folder, 'broken.json');
    const scenario = JSON.parse(readFileSync(tenants[0]?.scenario as string, 'utf8')) as { credits: { initial: string } };
    scenario.credits.initial = 'lots';
    writeFileSync(brokenScenario, JSON.stringify(scenario));
    const broken = { name: 'Broken', cdrs: tenants[0]?.cdrs as string, scenario: brokenScenario };
    const missing = { name: 'Missing', cdrs: join(folder, 'nowhere', 'pstn.csv'), scenario: tenants[0]?.scenario as string };
    const manifest = writeManifest(join(folder, 'run-broken'), [tenants[0], broken, missing, tenants[1]] as typeof tenants);
    const runId = enqueue(manifest).stdout.trim();
    expect(await startWorker(['--redis', redis.url, '--exit-when-idle', ...WORKER]).exited).toBe(0);

    const status = runCli(['fleet', 'status', '--redis', redis.url, '--run', runId]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('2 done, 0 running, 2 failed, 0 waiting');
    const answer = JSON.parse(runCli(['fleet', 'results', '--redis', redis.url, '--run', runId, '--json']).stdout) as { tenants: { tenant: string; status: string; error: string | null }[] };
    const byName = new Map(answer.tenants.map((tenant) => [tenant.tenant, tenant]));
    // The same line the single-machine command prints, without its "creditcast: " prefix.
    const alone = runCli(['forecast', '--cdrs', broken.cdrs, '--scenario', brokenScenario, ...OPTIONS, '--json']);
    expect(alone.code).toBe(2);
    expect(byName.get('Broken')).toMatchObject({ status: 'failed', error: alone.stderr.replace(/^creditcast: /, '').trimEnd() });
    expect(byName.get('Missing')).toMatchObject({ status: 'failed', error: `${missing.cdrs}: cannot read (no such file)` });
    expect(byName.get(tenants[0]?.name as string)).toMatchObject({ status: 'done', error: null });
    expect(byName.get(tenants[1]?.name as string)).toMatchObject({ status: 'done', error: null });
  });
});
