import { describe, expect, it } from 'vitest';
import { invoiceForecast, monthlyBudget, type TrialInvoices } from '../../engine/forecast/invoice-forecast.js';

const trial = (monthsMicros: number[]): TrialInvoices => ({ monthsMicros, totalMicros: monthsMicros.reduce((a, b) => a + b, 0), firstDrop: null });
const units = (amount: number) => amount * 1_000_000;

describe('postpaid forecast over trials (nearest-rank percentiles)', () => {
  // 20 trials; trial t (1..20) invoices t.00 in month one and 1.00 in month two, so t + 1.00 in all.
  // Nearest rank of 20 values: P5 = 1st smallest (ceil(0.05 x 20) = 1), P50 = 10th, P95 = 19th.
  const trials = Array.from({ length: 20 }, (_, index) => trial([units(index + 1), units(1)]));

  it('gives P5/P50/P95 of each month and of the total', () => {
    const forecast = invoiceForecast(trials, ['2026-01', '2026-02']);
    expect(forecast.months).toEqual([
      { month: '2026-01', p5Micros: units(1), p50Micros: units(10), p95Micros: units(19) },
      { month: '2026-02', p5Micros: units(1), p50Micros: units(1), p95Micros: units(1) },
    ]);
    expect(forecast.total).toEqual({ p5Micros: units(2), p50Micros: units(11), p95Micros: units(20) });
  });

  // Largest month per trial: t.00 (month one; month two's 1.00 never is larger). At 0.95 the 19th
  // smallest is 19.00; in steps of 5.00 that is 20.00, covering all 20 trials; 15.00 covers 15 (75%).
  it('gives the monthly budget that covers the invoice at the confidence, in whole steps', () => {
    const budget = monthlyBudget(trials, ['2026-01', '2026-02'], 0.95, units(5));
    expect(budget.budgetMicros).toBe(units(20));
    expect(budget.shareCovered).toBe(1);
    expect(budget.shareOneStepLess).toBe(0.75);
    expect(budget.months).toEqual([
      { month: '2026-01', budgetMicros: units(20) },
      { month: '2026-02', budgetMicros: units(5) },
    ]);
    // At 0.5 the 10th smallest, 10.00, is already a whole step: 10 of 20 trials are covered.
    expect(monthlyBudget(trials, ['2026-01', '2026-02'], 0.5, units(5))).toMatchObject({ budgetMicros: units(10), shareCovered: 0.5 });
  });
});
