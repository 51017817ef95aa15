import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressOf, tenantLines } from '../../engine/fleet/answer.js';
import { answerCsv, escapeHtml } from '../../engine/fleet/answer-formats.js';
import { jobIdOf, runIdArgument, runIdOf, tenantKeyOf } from '../../engine/fleet/keys.js';
import { expandCdrs, readManifest } from '../../engine/fleet/manifest.js';
import { maskedUrl, redisOptions } from '../../engine/fleet/redis-url.js';
import type { StoredRun, TenantResult } from '../../engine/fleet/store.js';
import { InputError } from '../../engine/kernel/errors.js';
import { tempFolder } from '../cli-helpers.js';

describe('the Redis URL', () => {
  it('takes a user, a password (percent-encoded), a port, a database and TLS from rediss://', () => {
    expect(redisOptions('rediss://ops:p%40ss@cache.example:6380/2')).toMatchObject({ host: 'cache.example', port: 6380, db: 2, username: 'ops', password: 'p@ss', tls: { servername: 'cache.example' } });
    const plain = redisOptions('redis://10.0.0.5');
    expect(plain).toMatchObject({ host: '10.0.0.5', port: 6379, db: 0 });
    expect(plain).not.toHaveProperty('tls');
    expect(plain).not.toHaveProperty('password');
  });

  it('refuses another scheme or database in one line that never shows the password', () => {
    expect(() => redisOptions('http://u:hunter2@h')).toThrow(new InputError('--redis: expected the scheme redis:// or rediss:// (TLS), got "http://u:***@h"'));
    expect(() => redisOptions('redis://u:hunter2@h/db1')).toThrow(new InputError('--redis: expected a database number 0 to 99 as the path, got "redis://u:***@h/db1"'));
    expect(() => redisOptions('not a url')).toThrow(InputError);
    expect(maskedUrl('rediss://:s3cret@host:6380')).toBe('rediss://:***@host:6380');
  });
});

describe('run ids, tenant keys and job ids', () => {
  const manifest = 'tenant,cdrs,scenario\nacme,a.csv,a.json\n';

  it('are the same for the same command, options and manifest, in any order of options', () => {
    const id = runIdOf('forecast', { trials: 4, seed: 7, headcount: [] }, manifest, '/m');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdOf('forecast', { headcount: [], seed: 7, trials: 4 }, manifest, '/m')).toBe(id);
    expect(runIdOf('forecast', { trials: 5, seed: 7, headcount: [] }, manifest, '/m')).not.toBe(id);
    expect(runIdOf('recommend', { trials: 4, seed: 7, headcount: [] }, manifest, '/m')).not.toBe(id);
    expect(runIdOf('forecast', { trials: 4, seed: 7, headcount: [] }, `${manifest}beta,b.csv,b.json\n`, '/m')).not.toBe(id);
    expect(runIdOf('forecast', { trials: 4, seed: 7, headcount: [] }, manifest, '/other')).not.toBe(id);
  });

  it('carry a tenant only as a hash, whatever its name holds', () => {
    for (const name of ['a:b', '*', '{x}', 'Müller\n', '']) {
      expect(tenantKeyOf(name)).toMatch(/^[0-9a-f]{32}$/);
      expect(jobIdOf('0123456789abcdef', tenantKeyOf(name))).toMatch(/^[0-9a-f]{16}-[0-9a-f]{32}$/);
    }
    expect(tenantKeyOf('acme')).not.toBe(tenantKeyOf('Acme'));
  });

  it('take --run only as 16 hexadecimal digits', () => {
    expect(runIdArgument('0123456789abcdef')).toBe('0123456789abcdef');
    expect(() => runIdArgument('x:*')).toThrow('--run: expected a run id of 16 hexadecimal digits as fleet enqueue printed it, got "x:*"');
  });
});

describe('the manifest', () => {
  const manifestIn = (text: string) => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'tenants.csv'), text);
    return { folder, file: join(folder, 'tenants.csv') };
  };

  it('reads tenant,cdrs,scenario with paths taken from its own folder', () => {
    const { folder, file } = manifestIn('tenant,cdrs,scenario\nacme,acme/*.csv,acme/s.json\nbeta,/data/b.csv,/data/b.json\n');
    expect(readManifest(file).tenants).toEqual([
      { tenant: 'acme', cdrs: join(folder, 'acme', '*.csv'), scenario: join(folder, 'acme', 's.json') },
      { tenant: 'beta', cdrs: '/data/b.csv', scenario: '/data/b.json' },
    ]);
  });

  it('refuses a tenant given twice, an empty path or a missing column, naming the line', () => {
    expect(() => readManifest(manifestIn('tenant,cdrs,scenario\nacme,a.csv,a.json\nacme,b.csv,b.json\n').file)).toThrow(/tenants\.csv:3: tenant "acme" appears twice \(lines 2 and 3\)$/);
    expect(() => readManifest(manifestIn('tenant,cdrs,scenario\nacme,,a.json\n').file)).toThrow(/tenants\.csv:2: column "cdrs" is empty, expected a path$/);
    expect(() => readManifest(manifestIn('tenant,cdrs\nacme,a.csv\n').file)).toThrow(/missing column "scenario"/);
    expect(() => readManifest(manifestIn('tenant,cdrs,scenario\n').file)).toThrow(/no tenants/);
  });

  it('expands * and ? in the file name, in name order, and calls a pattern matching nothing bad input', () => {
    const folder = tempFolder();
    mkdirSync(join(folder, 'cdrs'));
    for (const name of ['2026-02.csv', '2026-01.csv', 'notes.txt', '2026-1.csv']) writeFileSync(join(folder, 'cdrs', name), '');
    expect(expandCdrs(join(folder, 'cdrs', '2026-*.csv'))).toEqual([join(folder, 'cdrs', '2026-01.csv'), join(folder, 'cdrs', '2026-02.csv'), join(folder, 'cdrs', '2026-1.csv')]);
    expect(expandCdrs(join(folder, 'cdrs', '2026-0?.csv'))).toEqual([join(folder, 'cdrs', '2026-01.csv'), join(folder, 'cdrs', '2026-02.csv')]);
    expect(expandCdrs('/data/plain.csv')).toEqual(['/data/plain.csv']);
    expect(() => expandCdrs(join(folder, 'cdrs', '*.json'))).toThrow(/no file matches$/);
  });
});

/** A stored forecast run of five tenants: two with drops, one without, one failed, one waiting. */
function forecastRun(): StoredRun {
  const forecast = (tenant: string, p5: string | null, share: number): [string, TenantResult] => [tenant, { tenant, output: JSON.stringify({ firstDrop: { share, p5, p50: null, p95: null } }), startedAt: 0, finishedAt: 0 }];
  return {
    id: '0123456789abcdef',
    meta: { command: 'forecast', options: {}, manifest: 'm.csv', tenants: 5, createdAt: 0, keepSeconds: 60 },
    tenants: ['early', 'late', 'safe', 'broken', 'queued'],
    results: new Map([forecast('late', '2026-03-01T00:00:00Z', 0.5), forecast('early', '2026-02-10T09:00:00Z', 0.25), forecast('safe', null, 0)]),
    failed: new Map([['broken', { tenant: 'broken', error: 'b.json: credits.initial: expected an amount', at: 0 }]]),
    firstStartedAt: 1_000_000,
  };
}

describe("the fleet's answer", () => {
  it('puts the earliest first drop first, then tenants without a drop, failed ones, waiting ones', () => {
    const lines = tenantLines(forecastRun());
    expect(lines.map((line) => [line.rank, line.tenant, line.status, line.firstDrop, line.dropShare])).toEqual([
      [1, 'early', 'done', '2026-02-10T09:00:00Z', 0.25],
      [2, 'late', 'done', '2026-03-01T00:00:00Z', 0.5],
      [3, 'safe', 'done', null, 0],
      [4, 'broken', 'failed', null, null],
      [5, 'queued', 'waiting', null, null],
    ]);
    expect(lines[3]?.error).toBe('b.json: credits.initial: expected an amount');
  });

  it("reads a recommendation's funding and recharge setting", () => {
    const run = forecastRun();
    const output = JSON.stringify({ initial: { noRecharge: '100.00', withPolicy: '50.00' }, recharge: { trigger: '10.00', amount: '50.00', mode: 'with', initial: '50.00' } });
    const recommend: StoredRun = { ...run, meta: { ...run.meta, command: 'recommend' }, tenants: ['acme'], results: new Map([['acme', { tenant: 'acme', output, startedAt: 0, finishedAt: 0 }]]), failed: new Map() };
    expect(tenantLines(recommend)[0]).toMatchObject({ funding: '50.00', recharge: 'with 50.00 below 10.00, starting with 50.00' });
  });

  it("reads a postpaid tenant's invoices and budget, which have no first drop", () => {
    const run = forecastRun();
    const forecast = JSON.stringify({ billing: 'postpaid', invoices: { months: [], total: { p5: '90.00', p50: '100.00', p95: '124.00' } }, unlicensedDropShare: 0.1 });
    const postpaid: StoredRun = { ...run, tenants: ['acme'], results: new Map([['acme', { tenant: 'acme', output: forecast, startedAt: 0, finishedAt: 0 }]]), failed: new Map() };
    expect(tenantLines(postpaid)[0]).toMatchObject({ firstDrop: null, dropShare: 0.1, funding: '124.00 invoiced over the horizon (P95, postpaid)' });
    const budget = JSON.stringify({ billing: 'postpaid', monthlyBudget: '30.00', months: [] });
    const recommend: StoredRun = { ...postpaid, meta: { ...run.meta, command: 'recommend' }, results: new Map([['acme', { tenant: 'acme', output: budget, startedAt: 0, finishedAt: 0 }]]) };
    expect(tenantLines(recommend)[0]).toMatchObject({ funding: '30.00 a month (postpaid budget)' });
  });

  it('estimates the time left from the pace so far', () => {
    // 4 of 10 tenants settled (3 done, 1 failed) in the 120 s since the first started: 30 s each,
    // and 6 are open, so 6 x 30 = 180 s left; 2 of the 6 are running now.
    const run = { ...forecastRun(), tenants: Array.from({ length: 10 }, (_, index) => `t${index}`) };
    expect(progressOf(run, 2, 1_000_000 + 120_000)).toEqual({ tenants: 10, done: 3, failed: 1, running: 2, waiting: 4, etaSeconds: 180 });
    // Before anything settles there is no pace to go by.
    expect(progressOf({ ...run, results: new Map(), failed: new Map() }, 1, 1_060_000).etaSeconds).toBeNull();
  });

  it('escapes markup for HTML and guards CSV text cells against formulas', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const run = { ...forecastRun(), tenants: ['=HYPERLINK("x")'], failed: new Map(), results: new Map() };
    expect(answerCsv(tenantLines(run)).split('\n')[1]).toMatch(/^1,"'=HYPERLINK\(""x""\)",waiting,/);
  });
});
