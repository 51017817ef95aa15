import type { ReplayResult } from '../../replay/result.js';
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
  const { credits } = report;
  const drops = report.drops === 0 ? 'no call dropped' : `${report.drops} call(s) dropped, the first at ${report.firstDrop}`;
  const sentence = `Funded ${credits.funded} ${report.currency}: ${credits.spent} spent, ${credits.forfeited} forfeited, ${credits.closing} left at the end; ${drops}.`;
  return htmlPage(
    {
      kind: 'replay',
      title: 'creditcast replay',
      about: [`Scenario ${scenarioName}`, `Period ${report.period.start} to ${report.period.end} (UTC), rated from ${report.source}`],
      sentence,
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
      data: { report, series },
      script: CLIENT_REPLAY,
    },
    assets,
  );
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
}
