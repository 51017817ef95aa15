import { InputError } from '../kernel/errors.js';
import { formatMicros } from '../kernel/money.js';
import { formatInstant } from '../kernel/time.js';
import type { Scenario } from '../model/scenario.js';
import { horizonMonths, invoiceForecast, monthlyBudget, trialInvoices, type InvoiceSpread, type TrialInvoices } from '../forecast/invoice-forecast.js';
import type { Trials } from '../forecast/trials.js';
import { trialWarnings } from './warnings.js';

/*
 * forecast, recommend and sweep for a postpaid tenant (DOMAIN §8): no balance, so no funding or
 * recharge to find; the answers are the monthly invoices.
 */

/** A sweep varies recharge settings; a postpaid tenant has none, so the command says so and stops. */
export function refusePostpaidSweep(scenario: Scenario): void {
  if (scenario.billing !== 'postpaid') return;
  throw new InputError(`${scenario.file}: billing: "postpaid": a sweep varies recharge settings (--trigger, --amount, --mode, --delay, --initial), which have no meaning for a tenant invoiced monthly; use forecast or recommend for its invoices`);
}

interface PerTrial {
  months: string[];
  invoices: TrialInvoices[];
}

function perTrial(trials: Trials, scenario: Scenario): PerTrial {
  return { months: horizonMonths(trials.start, trials.end, scenario.offsetMinutes), invoices: trials.histories.map(trialInvoices) };
}

type Money = (micros: number) => string;

function spreadText(spread: InvoiceSpread, money: Money): { p5: string; p50: string; p95: string } {
  return { p5: money(spread.p5Micros), p50: money(spread.p50Micros), p95: money(spread.p95Micros) };
}

/** `forecast` of a postpaid tenant: P5/P50/P95 of each month's invoice and of the horizon's total. */
export function postpaidForecast(trials: Trials, scenario: Scenario) {
  const money: Money = (micros) => formatMicros(micros, scenario.minorDigits);
  const { months, invoices } = perTrial(trials, scenario);
  const forecast = invoiceForecast(invoices, months);
  const dropShare = invoices.filter((trial) => trial.firstDrop !== null).length / invoices.length;
  const document = {
    model: trials.model,
    trials: invoices.length,
    billing: 'postpaid' as const,
    warnings: trialWarnings(trials),
    horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) },
    invoices: { months: forecast.months.map((month) => ({ month: month.month, ...spreadText(month, money) })), total: spreadText(forecast.total, money) },
    unlicensedDropShare: dropShare,
  };
  return document;
}

export type PostpaidForecast = ReturnType<typeof postpaidForecast>;

/** The postpaid forecast for a person: the horizon's total and a table of months. */
export function postpaidForecastText(document: PostpaidForecast): string {
  const dropShare = document.unlicensedDropShare;
  const lines = [
    `creditcast forecast: ${document.horizon.from} to ${document.horizon.to}, model ${document.model}, ${document.trials} trial(s), postpaid`,
    '',
    `Invoices over the horizon: P5 ${document.invoices.total.p5}, P50 ${document.invoices.total.p50}, P95 ${document.invoices.total.p95}`,
    dropShare === 0 ? 'Drops    none in any trial' : `Drops    calls without the credits licence drop in ${Math.round(dropShare * 100)}% of trials (postpaid drops nothing for money)`,
    '',
    ['month'.padEnd(7), 'invoice P5', 'P50'.padStart(10), 'P95'.padStart(10)].join('  '),
    ...document.invoices.months.map((month) => [month.month.padEnd(7), month.p5.padStart(10), month.p50.padStart(10), month.p95.padStart(10)].join('  ')),
  ];
  return `${lines.join('\n')}\n`;
}

/** Each month's invoice over trials (P5/P50/P95), as `forecast --json` of the same trials writes it. */
export function postpaidInvoiceMonths(trials: Trials, scenario: Scenario): { month: string; p5: string; p50: string; p95: string }[] {
  const money: Money = (micros) => formatMicros(micros, scenario.minorDigits);
  const { months, invoices } = perTrial(trials, scenario);
  return invoiceForecast(invoices, months).months.map((month) => ({ month: month.month, ...spreadText(month, money) }));
}

/** `recommend` of a postpaid tenant: the monthly budget that covers the invoice at the confidence. */
export function postpaidRecommend(trials: Trials, scenario: Scenario, confidence: number, stepMicros: number) {
  const money: Money = (micros) => formatMicros(micros, scenario.minorDigits);
  const { months, invoices } = perTrial(trials, scenario);
  const budget = monthlyBudget(invoices, months, confidence, stepMicros);
  const trialsText = invoices.length === 1 ? 'the one trial' : `${Math.round(confidence * 100)}% of ${invoices.length} trials`;
  const check = budget.shareOneStepLess === null ? 'it is zero' : `one step less covers ${Math.round(budget.shareOneStepLess * 100)}% of trials`;
  const explanation = [
    `A monthly budget of ${money(budget.budgetMicros)} covers every month's invoice in ${Math.round(budget.shareCovered * 100)}% of trials (${check}); the aim was ${trialsText}.`,
    'Postpaid: nothing is bought ahead and no call drops for money, so there is no initial funding or recharge setting to recommend.',
  ];
  const document = {
    billing: 'postpaid' as const,
    monthlyBudget: money(budget.budgetMicros),
    months: budget.months.map((month) => ({ month: month.month, budget: money(month.budgetMicros) })),
    confidence,
    model: trials.model,
    trials: invoices.length,
    horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) },
    covered: budget.shareCovered,
    explanation,
  };
  return document;
}

export type PostpaidRecommendation = ReturnType<typeof postpaidRecommend>;

/** The postpaid recommendation for a person: the monthly budget, month by month, and why. */
export function postpaidRecommendText(document: PostpaidRecommendation): string {
  const lines = [
    `creditcast recommend: ${document.horizon.from} to ${document.horizon.to}, model ${document.model}, ${document.trials} trial(s), confidence ${document.confidence}, postpaid`,
    '',
    `Monthly budget: ${document.monthlyBudget}`,
    ...document.months.map((month) => `  ${month.month}  ${month.budget.padStart(12)}`),
    '',
    ...document.explanation.map((line) => `- ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}
