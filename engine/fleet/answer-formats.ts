import { csvRows, type CsvColumns } from '../report/csv-cells.js';
import type { Progress, TenantLine } from './answer.js';
import type { StoredRun } from './store.js';

/** How far a run is, in one line. */
export function progressText(run: StoredRun, progress: Progress): string {
  const eta = progress.etaSeconds === null ? 'no estimate yet' : progress.waiting + progress.running === 0 ? 'finished' : `about ${formatSeconds(progress.etaSeconds)} left`;
  return `run ${run.id} (${run.meta.command}, ${progress.tenants} tenant(s)): ${progress.done} done, ${progress.running} running, ${progress.failed} failed, ${progress.waiting} waiting; ${eta}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

function shareText(share: number | null): string {
  return share === null ? '' : `${Math.round(share * 100)}%`;
}

/** The answer for a terminal: progress, then one line per tenant, most at risk first. */
export function answerText(run: StoredRun, progress: Progress, lines: readonly TenantLine[], limit: number): string {
  const rows = lines.slice(0, limit).map((line) =>
    [
      String(line.rank).padStart(5),
      line.tenant.padEnd(24),
      (line.firstDrop ?? (line.status === 'done' ? 'none' : '')).padEnd(20),
      shareText(line.dropShare).padStart(6),
      (line.funding ?? '').padStart(10),
      line.status === 'failed' ? `failed: ${line.error}` : line.status === 'waiting' ? 'waiting' : (line.recharge ?? ''),
    ].join('  '),
  );
  const more = lines.length > limit ? [`  … ${lines.length - limit} more tenant(s): use --json, --csv or --html for all`] : [];
  const header = ['    #', 'tenant'.padEnd(24), 'first drop'.padEnd(20), 'drops'.padStart(6), 'funding'.padStart(10), 'recharge / status'].join('  ');
  return [progressText(run, progress), '', header, ...rows, ...more].join('\n') + '\n';
}

/** `--json`: the run, its progress and every tenant with its own result document. */
export function answerJson(run: StoredRun, progress: Progress, lines: readonly TenantLine[]): string {
  const document = {
    run: run.id,
    command: run.meta.command,
    options: run.meta.options,
    progress,
    tenants: lines.map(({ output, ...line }) => ({ ...line, result: output === null ? null : (JSON.parse(output) as unknown) })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

type CsvKey = 'rank' | 'tenant' | 'status' | 'first_drop' | 'drop_share' | 'funding' | 'recharge' | 'error' | 'report';
const CSV_COLUMNS: CsvColumns<CsvKey> = [
  ['rank', 'number'],
  ['tenant', 'text'],
  ['status', 'text'],
  ['first_drop', 'text'],
  ['drop_share', 'number'],
  ['funding', 'number'],
  ['recharge', 'text'],
  ['error', 'text'],
  ['report', 'text'],
];

/** `--csv FILE`: one row per tenant, most at risk first; text cells guarded against spreadsheet formulas. */
export function answerCsv(lines: readonly TenantLine[]): string {
  return csvRows(
    CSV_COLUMNS,
    lines.map((line) => ({
      rank: line.rank,
      tenant: line.tenant,
      status: line.status,
      first_drop: line.firstDrop,
      drop_share: line.dropShare,
      funding: line.funding,
      recharge: line.recharge,
      error: line.error,
      report: `#${line.report}`,
    })),
  );
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML content or attribute value: every character that could start markup escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

/** `--html FILE`: one self-contained page, the table first, then each tenant's own report under its anchor. */
export function answerHtml(run: StoredRun, progress: Progress, lines: readonly TenantLine[]): string {
  const cell = (text: string | null) => `<td>${escapeHtml(text ?? '')}</td>`;
  const rows = lines.map(
    (line) =>
      `<tr><td>${line.rank}</td><td><a href="#${line.report}">${escapeHtml(line.tenant)}</a></td>${cell(line.status)}${cell(line.firstDrop)}${cell(shareText(line.dropShare))}${cell(line.funding)}${cell(line.recharge)}${cell(line.error)}</tr>`,
  );
  const reports = lines
    .filter((line) => line.output !== null || line.error !== null)
    .map((line) => `<section id="${line.report}"><h2>${escapeHtml(line.tenant)}</h2><pre>${escapeHtml(line.output ?? line.error ?? '')}</pre></section>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>creditcast fleet run ${run.id}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>',
    '</head><body>',
    `<h1>creditcast fleet: run ${run.id} (${escapeHtml(run.meta.command)})</h1>`,
    `<p>${escapeHtml(progressText(run, progress))}</p>`,
    '<table><thead><tr><th>#</th><th>tenant</th><th>status</th><th>first drop</th><th>drops</th><th>funding</th><th>recharge</th><th>error</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    ...reports,
    '</body></html>',
    '',
  ].join('\n');
}
