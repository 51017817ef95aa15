import { createHash } from 'node:crypto';
import { CLIENT_COMMON } from './client-common.js';
import { escapeHtml, inlineJson } from './escape.js';

/** The charting library's own files (uPlot), read from its installed package by the edge. */
export interface ChartAssets {
  uplotJs: string;
  uplotCss: string;
}

/** One report page: a header written here (escaped), and data the page's script draws from. */
export interface PageInput {
  kind: 'replay' | 'forecast' | 'recommend' | 'sweep';
  title: string;
  /** Lines under the title: scenario, period, model. */
  about: string[];
  /** The answer in one sentence. */
  sentence: string;
  /** Figures shown in the header, as label and the exact text of `--json`. */
  totals: [string, string][];
  /** Everything the script draws: the `--json` document under `report`, and series beside it. */
  data: unknown;
  /** The script that draws this kind of report (see client-*.ts). */
  script: string;
}

/**
 * A self-contained page: styles, scripts and data inline, and a Content-Security-Policy that lets
 * only these scripts (by hash) run and loads nothing from anywhere: it opens offline, from an
 * e-mail attachment, and an injected tag could not run even if it got past the escaping.
 */
export function htmlPage(page: PageInput, assets: ChartAssets): string {
  const scripts = [safeScript(assets.uplotJs), CLIENT_COMMON, page.script];
  const hashes = scripts.map((script) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`);
  const policy = `default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${assets.uplotCss.replace(/<\/style/gi, '<\\/style')}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head><body>',
    `<header><h1>${escapeHtml(page.title)}</h1>`,
    ...page.about.map((line) => `<p class="about">${escapeHtml(line)}</p>`),
    `<p class="answer" id="answer">${escapeHtml(page.sentence)}</p>`,
    '<dl class="totals" id="totals">',
    ...page.totals.map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd data-total="${escapeHtml(label)}">${escapeHtml(value)}</dd></div>`),
    '</dl></header>',
    `<main id="main" data-kind="${page.kind}"></main>`,
    `<script type="application/json" id="report-data">${inlineJson(page.data)}</script>`,
    ...scripts.map((script) => `<script>${script}</script>`),
    '</body></html>',
    '',
  ].join('\n');
}

/** A library's text as an inline script: a `</script` inside one of its strings would end the element. */
function safeScript(script: string): string {
  return script.replace(/<\/script/gi, '<\\/script');
}

const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px; color: #1d2330; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #dde; padding-bottom: 3px; }
.about { margin: 0; color: #556; }
.answer { font-size: 16px; font-weight: 600; margin: 10px 0; padding: 8px 12px; background: #eef4ff; border-left: 4px solid #3366cc; }
.totals { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0; }
.totals div { background: #f5f6f8; padding: 4px 10px; border-radius: 4px; }
.totals dt { font-size: 11px; color: #667; margin: 0; }
.totals dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.note { color: #667; font-size: 12px; margin: 2px 0 6px; }
.chart { margin: 6px 0; }
table { border-collapse: collapse; font-size: 12px; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #dde; padding: 2px 6px; text-align: right; }
th { background: #f0f2f6; cursor: pointer; user-select: none; }
td.text, th.text { text-align: left; }
caption { text-align: left; font-weight: 600; padding: 2px 0; }
details { margin: 4px 0 10px; }
summary { cursor: pointer; color: #3366cc; font-size: 12px; }
.heat td { min-width: 48px; }
.frontier { font-weight: 700; background: #fff3d6; }
`;
