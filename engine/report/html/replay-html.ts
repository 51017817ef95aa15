import type { ReplayResult } from '../../replay/result.js';
import { amountFormatter } from '../amounts.js';
import { jsonReport } from '../json-report.js';
import { CLIENT_REPLAY } from './client-replay.js';
import { htmlPage, type ChartAssets } from './page.js';
import type { ReplaySeriesData } from './replay-series.js';

/**
 * The replay as one HTML page, drawn from the very document `--json` prints (so its figures are
 * the same text) and the per-hour series gathered beside it.
 */
export function replayHtml(result: ReplayResult, series: ReplaySeriesData, scenarioName: string, assets: ChartAssets): string {
  const report = jsonReport(result) as ReturnType<typeof jsonReport> & JsonShape;
  const drops = report.drops === 0 ? 'no call dropped' : `${report.drops} call(s) dropped, the first at ${report.firstDrop}`;
  const head = result.billing === 'postpaid' ? postpaidHead(result, report, drops) : prepaidHead(report, drops);
  return htmlPage(
    {
      kind: 'replay',
      title: 'creditcast replay',
      about: [`Scenario ${scenarioName}`, `Period ${report.period.start} to ${report.period.end} (UTC), rated from ${report.source}`],
      sentence: head.sentence,
      totals: [...head.totals, ...noticeTotals(report.notifications)],
      data: { report, series },
      script: CLIENT_REPLAY,
    },
    assets,
  );
}

interface Head {
  sentence: string;
  totals: [string, string][];
}

function prepaidHead(report: JsonShape, drops: string): Head {
  const { credits } = report;
  return {
    sentence: `Funded ${credits.funded} ${report.currency}: ${credits.spent} spent, ${credits.forfeited} forfeited, ${credits.closing} left at the end; ${drops}.`,
    totals: [
      [`funded (${report.currency})`, credits.funded],
      ['spent', credits.spent],
      ['forfeited', credits.forfeited],
      ['closing', credits.closing],
      ['drops', String(report.drops)],
      ['first drop', report.firstDrop ?? 'none'],
      ['rows read', String(report.calls.read)],
      ['rejected', String(report.calls.rejected)],
      ['recharges', String(credits.recharges)],
      ['failed recharges', String(credits.rechargeFailures)],
    ],
  };
}

/** A postpaid tenant has no balance: the header adds up its invoices, in the same minor unit as --json. */
function postpaidHead(result: ReplayResult, report: JsonShape, drops: string): Head {
  const money = amountFormatter(result.minorDigits);
  const totalMicros = result.invoices.reduce((sum, invoice) => sum + invoice.amountMicros, 0);
  const largest = result.invoices.reduce<ReplayResult['invoices'][number] | null>((most, invoice) => (most === null || invoice.amountMicros > most.amountMicros ? invoice : most), null);
  return {
    sentence: `Postpaid: ${money(totalMicros)} ${report.currency} invoiced over ${result.invoices.length} month(s)${largest === null ? '' : `, the largest ${money(largest.amountMicros)} in ${largest.month}`}; ${drops}.`,
    totals: [
      [`invoiced (${report.currency})`, money(totalMicros)],
      ['invoices', String(result.invoices.length)],
      ['largest invoice', largest === null ? 'none' : `${money(largest.amountMicros)} (${largest.month})`],
      ['drops', String(report.drops)],
      ['first drop', report.firstDrop ?? 'none'],
      ['rows read', String(report.calls.read)],
      ['rejected', String(report.calls.rejected)],
    ],
  };
}

/** Each kind of notice the vendor would have sent (pool-80, pool-100, balance kinds): how many, and the first. */
function noticeTotals(notifications: JsonShape['notifications']): [string, string][] {
  return Object.entries(notifications).map(([kind, seen]) => [`${kind} notices`, `${seen.count}, first ${seen.first}`]);
}

/** The fields of the `--json` document this page writes in its header. */
interface JsonShape {
  currency: string;
  source: string;
  period: { start: string; end: string };
  calls: { read: number; rejected: number };
  credits: { funded: string; spent: string; forfeited: string; closing: string; recharges: number; rechargeFailures: number };
  drops: number;
  firstDrop: string | null;
  notifications: Record<string, { count: number; first: string }>;
}
