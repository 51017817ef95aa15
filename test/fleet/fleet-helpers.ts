import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';
import { runKeys } from '../../engine/fleet/keys.js';
import type { Redis } from 'ioredis';

const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');

/**
 * Six small generated tenants. Their names carry what must never reach a Redis key as it is:
 * colons, spaces, markup, quotes, non-ASCII. Funding differs so that some drop calls and some do not.
 */
export const TENANTS = [
  { name: 'Contoso: EU', seed: 1, initial: '50.00', recharge: false },
  { name: 'Fabrikam <b>bold</b>', seed: 2, initial: '500.00', recharge: true },
  { name: 'Tailspin "quoted"', seed: 3, initial: '60.00', recharge: false },
  { name: 'Wingtip Müller & Söhne', seed: 4, initial: '80.00', recharge: false },
  { name: 'Northwind *', seed: 5, initial: '500.00', recharge: false },
  { name: 'Adatum\tTab', seed: 6, initial: '50.00', recharge: true },
] as const;

/** Writes the tenants' exports under `folder`/tenants and returns each tenant's files. */
export function generateTenants(folder: string): { name: string; cdrs: string; scenario: string }[] {
  return TENANTS.map((tenant, index) => {
    const out = join(folder, 'tenants', `t${index + 1}`);
    const made = runCli(['generate', '--rows', '1500', '--users', '15', '--months', '2', '--seed', String(tenant.seed), '--out', out, '--workers', '1']);
    if (made.code !== 0) throw new Error(made.stderr);
    const scenario = JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8')) as { credits: { initial: string; autoRecharge: unknown } };
    scenario.credits.initial = tenant.initial;
    if (!tenant.recharge) scenario.credits.autoRecharge = null;
    writeFileSync(join(out, 'scenario.json'), JSON.stringify(scenario, null, 2));
    return { name: tenant.name, cdrs: join(out, 'pstn.csv'), scenario: join(out, 'scenario.json') };
  });
}

function csvField(text: string): string {
  return /[",\n\r\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function writeManifest(folder: string, tenants: readonly { name: string; cdrs: string; scenario: string }[]): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'tenants.csv');
  writeFileSync(file, ['tenant,cdrs,scenario', ...tenants.map((t) => [t.name, t.cdrs, t.scenario].map(csvField).join(','))].join('\n') + '\n');
  return file;
}

/** A worker process as a user starts one; its stderr kept for the test to read. */
export interface WorkerProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startWorker(args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'fleet', 'worker', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CREDITCAST_DEBUG: '' } });
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => text, exited };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, seconds = 60): Promise<void> {
  const until = Date.now() + seconds * 1_000;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The stored results of a run by tenant name: the exact bytes a worker stored. */
export async function storedOutputs(client: Redis, runId: string): Promise<Map<string, string>> {
  const stored = Object.values(await client.hgetall(runKeys(runId).results)).map((text) => JSON.parse(text) as { tenant: string; output: string });
  return new Map(stored.map((result) => [result.tenant, result.output]));
}
