import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';

/**
 * A postpaid tenant (DOMAIN §8): one Pay-As-You-Go user calls the UK at 0.35/min on the 15th of
 * January (20 min = 7.00), February (10 min = 3.50) and March (30 min = 10.50) of 2026. Invoices:
 * 7.00, 3.50, 10.50; 21.00 in all. The history model is one trial, so P5 = P50 = P95.
 */
let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const minutes = [20, 10, 30];
  const rows = minutes.map((length, month) => {
    const day = `2026-0${month + 1}-15`;
    return [`u${month}`, `c${month}`, '', 'US', 'o', 'payg@contoso.example', 'Pay Go', '+442079460000', 'user_out', 'user_subscriber', 'International', 'United Kingdom', '+442079460000', `${day}T12:00:00Z`, `${day}T12:${String(length).padStart(2, '0')}:00Z`, String(length * 60), '0', '', 'USD', 'MCOPSTN_PAYG_1'].join(',');
  });
  writeFiles(folder, {
    'cdr.csv': `${TEAMS_HEADER.join(',')}\n${rows.join('\n')}\n`,
    'rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,44,United Kingdom,0.35,0,USD\n',
    'scenario.json': JSON.stringify({ billing: 'postpaid', start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', rating: { rates: ['rates.csv'] } }),
    'prepaid-money.json': JSON.stringify({ billing: 'postpaid', credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] } }),
    'bad-billing.json': JSON.stringify({ billing: 'invoice', rating: { rates: ['rates.csv'] } }),
  });
});

const inputs = (scenario = 'scenario.json') => ['--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, scenario), '--model', 'history'];

describe('postpaid from the command line', () => {
  it('replay --json lists each month invoice with its split', () => {
    const run = runCli(['replay', ...inputs().slice(0, 4), '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.billing).toBe('postpaid');
    expect(report.invoices.map((invoice: { month: string; amount: string }) => [invoice.month, invoice.amount])).toEqual([
      ['2026-01', '7.00'],
      ['2026-02', '3.50'],
      ['2026-03', '10.50'],
    ]);
    expect(report.invoices[2].split).toEqual([{ service: 'outbound', destination: 'United Kingdom', calls: 1, amount: '10.50' }]);
  });

  it('forecast gives P5/P50/P95 of each month invoice and of the total', () => {
    const run = runCli(['forecast', ...inputs(), '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.billing).toBe('postpaid');
    expect(answer.invoices.months).toEqual([
      { month: '2026-01', p5: '7.00', p50: '7.00', p95: '7.00' },
      { month: '2026-02', p5: '3.50', p50: '3.50', p95: '3.50' },
      { month: '2026-03', p5: '10.50', p50: '10.50', p95: '10.50' },
    ]);
    // 7.00 + 3.50 + 10.50 = 21.00
    expect(answer.invoices.total).toEqual({ p5: '21.00', p50: '21.00', p95: '21.00' });
  });

  // The largest month is March's 10.50: in steps of 10.00 the budget is 20.00 (10.00 would not
  // cover March); per month 10.00, 10.00 and 20.00. In steps of 0.50, exactly 10.50.
  it('recommend gives the monthly budget that covers the invoice', () => {
    const answer = JSON.parse(runCli(['recommend', ...inputs(), '--json']).stdout);
    expect(answer).toMatchObject({ billing: 'postpaid', monthlyBudget: '20.00', covered: 1 });
    expect(answer.months).toEqual([
      { month: '2026-01', budget: '10.00' },
      { month: '2026-02', budget: '10.00' },
      { month: '2026-03', budget: '20.00' },
    ]);
    expect(JSON.parse(runCli(['recommend', ...inputs(), '--json', '--step', '0.50']).stdout).monthlyBudget).toBe('10.50');
    expect(runCli(['recommend', ...inputs()]).stdout).toContain('Monthly budget: 20.00');
  });

  it('sweep says in one line that recharge settings mean nothing here', () => {
    const run = runCli(['sweep', ...inputs(), '--trigger', '10', '--amount', '50']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('billing: "postpaid": a sweep varies recharge settings (--trigger, --amount, --mode, --delay, --initial), which have no meaning for a tenant invoiced monthly');
  });

  it('refuses money bought ahead, and an unknown billing, naming the JSON path', () => {
    const money = runCli(['replay', ...inputs('prepaid-money.json').slice(0, 4)]);
    expect(money.code).toBe(2);
    expect(money.stderr).toMatch(/prepaid-money\.json: credits\.initial: has no meaning when billing is "postpaid"/);
    const unknown = runCli(['replay', ...inputs('bad-billing.json').slice(0, 4)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bad-billing\.json: billing: .*"prepaid".*"postpaid".*\(got "invoice"\)/);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  // The bundled example: the sample tenant billed postpaid. Every credit-funded row of the sample
  // carries a recorded charge, so the re-rated side of the reconciliation (counted apart, from
  // the rows) is the same money the invoices add up to.
  it('runs the scenarios/postpaid.json example on the sample export', () => {
    const run = runCli(['replay', '--cdrs', 'data/sample/pstn-usage.csv', '--scenario', 'scenarios/postpaid.json', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const cents = (text: string) => Math.round(Number(text) * 100);
    const invoiced = report.invoices.reduce((sum: number, invoice: { amount: string }) => sum + cents(invoice.amount), 0);
    const rerated = report.reconciliation.reduce((sum: number, row: { rerated: string }) => sum + cents(row.rerated), 0);
    expect(report.invoices).toHaveLength(14);
    expect(invoiced).toBe(rerated);
    expect(report.drops).toBe(0);
  });

  // Bootstrap trials on a worker pool (8 trials >= 4, so the pool is used) or in this thread: the same
  // invoices. Each horizon day is a history day's calls, and the history's calls cost 7.00, 3.50 and
  // 10.50, so every month's P50 is a whole number of 3.50s.
  it('forecasts the same spread on any number of workers', () => {
    const bootstrap = ['--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--trials', '8', '--horizon', '3', '--json'];
    const one = runCli(['forecast', ...bootstrap, '--workers', '1']);
    const two = runCli(['forecast', ...bootstrap, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const answer = JSON.parse(one.stdout);
    expect(answer.trials).toBe(8);
    for (const month of answer.invoices.months) expect(Math.round(Number(month.p50) * 100) % 350).toBe(0);
  });
});
