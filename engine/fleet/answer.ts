import type { StoredRun } from './store.js';
import { tenantKeyOf } from './keys.js';

export interface Progress {
  tenants: number;
  done: number;
  failed: number;
  running: number;
  waiting: number;
  /** Seconds until every tenant is settled at the pace so far; null before the first one is. */
  etaSeconds: number | null;
}

/** One tenant's line of the fleet's answer. */
export interface TenantLine {
  rank: number;
  tenant: string;
  status: 'done' | 'failed' | 'waiting';
  /** When calls first drop: P5 over a forecast's trials (1 in 20 trials drop by then), a replay's own date. */
  firstDrop: string | null;
  /** Share of trials with a drop (a replay is one trial). */
  dropShare: number | null;
  /** `recommend`: the initial funding with the scenario's auto-recharge, else without. */
  funding: string | null;
  /** `recommend`: the recharge setting that ties up least money. */
  recharge: string | null;
  error: string | null;
  /** The anchor of the tenant's own report in the HTML page. */
  report: string;
  /** The tenant's result as the single-machine command's --json prints it. */
  output: string | null;
}

export function progressOf(run: StoredRun, running: number, now: number): Progress {
  const tenants = run.tenants.length;
  const done = run.results.size;
  const failed = run.failed.size;
  const settled = done + failed;
  const open = Math.max(0, tenants - settled);
  const activeNow = Math.min(running, open);
  const elapsedSeconds = run.firstStartedAt === null ? 0 : (now - run.firstStartedAt) / 1_000;
  return {
    tenants,
    done,
    failed,
    running: activeNow,
    waiting: open - activeNow,
    etaSeconds: settled === 0 ? null : Math.round((elapsedSeconds / settled) * open),
  };
}

/**
 * The tenants most at risk first: by the date calls first drop (none last), then failed tenants,
 * then those still waiting; ties by name.
 */
export function tenantLines(run: StoredRun): TenantLine[] {
  const lines = run.tenants.map((tenant) => lineOf(run, tenant));
  const group = (line: TenantLine) => (line.status === 'done' ? (line.firstDrop === null ? 1 : 0) : line.status === 'failed' ? 2 : 3);
  lines.sort((a, b) => group(a) - group(b) || compareText(a.firstDrop ?? '', b.firstDrop ?? '') || compareText(a.tenant, b.tenant));
  return lines.map((line, index) => ({ ...line, rank: index + 1 }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lineOf(run: StoredRun, tenant: string): TenantLine {
  const base = { rank: 0, tenant, firstDrop: null, dropShare: null, funding: null, recharge: null, error: null, report: `tenant-${tenantKeyOf(tenant)}`, output: null };
  const failure = run.failed.get(tenant);
  if (failure !== undefined) return { ...base, status: 'failed', error: failure.error };
  const result = run.results.get(tenant);
  if (result === undefined) return { ...base, status: 'waiting' };
  return { ...base, status: 'done', output: result.output, ...figuresOf(run.meta.command, JSON.parse(result.output) as Answer) };
}

/** The fields of the three commands' --json documents that the fleet's answer reads. */
interface Answer {
  firstDrop?: string | null | { share: number; p5: string | null };
  drops?: number;
  initial?: { noRecharge: string | null; withPolicy: string | null };
  recharge?: { trigger: string; amount: string; mode: string; initial: string } | null;
  /** Postpaid documents: no balance to drop, a monthly budget instead of a funding. */
  unlicensedDropShare?: number;
  monthlyBudget?: string;
  invoices?: { total: { p95: string } };
}

function figuresOf(command: StoredRun['meta']['command'], answer: Answer): Pick<TenantLine, 'firstDrop' | 'dropShare' | 'funding' | 'recharge'> {
  if (command === 'replay') {
    const date = typeof answer.firstDrop === 'string' ? answer.firstDrop : null;
    return { firstDrop: date, dropShare: (answer.drops ?? 0) > 0 ? 1 : 0, funding: null, recharge: null };
  }
  if (command === 'forecast' && answer.firstDrop === undefined) {
    const invoiced = answer.invoices?.total.p95;
    return { firstDrop: null, dropShare: answer.unlicensedDropShare ?? null, funding: invoiced === undefined ? null : `${invoiced} invoiced over the horizon (P95, postpaid)`, recharge: null };
  }
  if (command === 'recommend' && answer.monthlyBudget !== undefined) {
    return { firstDrop: null, dropShare: null, funding: `${answer.monthlyBudget} a month (postpaid budget)`, recharge: null };
  }
  if (command === 'forecast') {
    const drop = answer.firstDrop as { share: number; p5: string | null };
    return { firstDrop: drop.p5, dropShare: drop.share, funding: null, recharge: null };
  }
  const recharge = answer.recharge ?? null;
  return {
    firstDrop: null,
    dropShare: null,
    funding: answer.initial?.withPolicy ?? answer.initial?.noRecharge ?? null,
    recharge: recharge === null ? null : `${recharge.mode} ${recharge.amount} below ${recharge.trigger}, starting with ${recharge.initial}`,
  };
}
