import { CLIENT_POSTPAID } from './client-postpaid.js';
import { htmlPage, type ChartAssets } from './page.js';
import { aboutLines, type Horizon, type TrialsAbout } from './trials-html.js';

/** One month's invoice over trials, as the text of --json. */
export interface InvoiceMonth {
  month: string;
  p5: string;
  p50: string;
  p95: string;
}


/** A postpaid forecast's `--json` document as a page: each month's invoice and the horizon's total. */
export function postpaidForecastHtml(
  document: Horizon & { invoices: { months: InvoiceMonth[]; total: { p5: string; p50: string; p95: string } }; unlicensedDropShare: number },
  about: TrialsAbout,
  assets: ChartAssets,
): string {
  const { total } = document.invoices;
  const drops = document.unlicensedDropShare === 0 ? 'no call drops in any trial' : `calls without the credits licence drop in ${Math.round(document.unlicensedDropShare * 100)}% of trials`;
  return htmlPage(
    {
      kind: 'forecast',
      title: 'creditcast forecast (postpaid)',
      about: aboutLines(document, about, 'postpaid'),
      sentence: `Invoices over the horizon: ${total.p50} ${about.currency} in the median trial (P5 ${total.p5}, P95 ${total.p95}); ${drops}.`,
      totals: [
        [`invoices total P5 (${about.currency})`, total.p5],
        ['invoices total P50', total.p50],
        ['invoices total P95', total.p95],
        ['months', String(document.invoices.months.length)],
        ['trials', String(document.trials)],
        ['trials with a drop', `${Math.round(document.unlicensedDropShare * 100)}%`],
      ],
      data: { report: document, invoiceMonths: document.invoices.months, currency: about.currency },
      script: CLIENT_POSTPAID,
    },
    assets,
  );
}

/** A postpaid recommendation's `--json` document as a page: the budget per month against the invoices' spread. */
export function postpaidRecommendHtml(
  document: Horizon & { monthlyBudget: string; months: { month: string; budget: string }[]; confidence: number; covered: number; explanation: string[] },
  invoiceMonths: InvoiceMonth[],
  about: TrialsAbout,
  assets: ChartAssets,
): string {
  return htmlPage(
    {
      kind: 'recommend',
      title: 'creditcast recommend (postpaid)',
      about: aboutLines(document, about, 'postpaid'),
      sentence: `Budget ${document.monthlyBudget} ${about.currency} a month: it covers every month's invoice in ${Math.round(document.covered * 100)}% of ${document.trials} trial(s).`,
      totals: [
        [`monthly budget (${about.currency})`, document.monthlyBudget],
        ['covered', `${Math.round(document.covered * 100)}%`],
        ['confidence', String(document.confidence)],
        ['trials', String(document.trials)],
      ],
      data: { report: document, invoiceMonths, currency: about.currency },
      script: CLIENT_POSTPAID,
    },
    assets,
  );
}
