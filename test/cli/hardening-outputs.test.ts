import { copyFileSync, linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable, quoted, shortLine, printableLines } from '../../engine/kernel/quote.js';
import { csvRows, textCell, textCellValue } from '../../engine/report/csv-cells.js';
import { sweepCsv } from '../../engine/report/csv-files.js';
import { runCli, tempFolder, onlyWarnings } from '../cli-helpers.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { exportLine, teamsCsv, type ExportRow } from '../teams-export.js';

/** A folder with an export, the fixture scenario and its rate table, copied so links can be made to them. */
function tenantFolder(rows: readonly ExportRow[] = [{}, { usageId: 'u1', startTime: '2026-01-06T10:00:00Z' }]) {
  const folder = tempFolder();
  const cdrs = join(folder, 'pstn.csv');
  writeFileSync(cdrs, teamsCsv(rows));
  copyFileSync(join(FIXTURES, 'scenario.json'), join(folder, 'scenario.json'));
  copyFileSync(join(FIXTURES, 'rates.csv'), join(folder, 'rates.csv'));
  return { folder, cdrs, scenario: join(folder, 'scenario.json'), rates: join(folder, 'rates.csv') };
}

const CONTROL_BYTES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('17. an output never destroys an input', () => {
  const refused = (option: string, output: string, input: string) => `creditcast: ${option}: ${output} is the same file as the input ${input}; choose another output file\n`;

  it('--explain naming the export through a hard link or a symbolic link exits 2 and leaves it as it was', () => {
    const { folder, cdrs, scenario } = tenantFolder();
    const text = readFileSync(cdrs, 'utf8');
    const hard = join(folder, 'hard.csv');
    const soft = join(folder, 'soft.csv');
    linkSync(cdrs, hard);
    symlinkSync(cdrs, soft);
    for (const output of [cdrs, hard, soft, join(folder, '.', 'pstn.csv')]) {
      const run = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--explain', output]);
      expect(run.stderr).toBe(refused('--explain', output, cdrs));
      expect(run.code).toBe(2);
      expect(readFileSync(cdrs, 'utf8')).toBe(text);
    }
    expect(readdirSync(folder).sort()).toEqual(['hard.csv', 'pstn.csv', 'rates.csv', 'scenario.json', 'soft.csv']);
  });

  it('--rejects over the scenario and --events over the rate table it names are refused too', () => {
    const { cdrs, scenario, rates } = tenantFolder();
    const before = readFileSync(rates, 'utf8');
    const overScenario = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--rejects', scenario]);
    expect(overScenario.stderr).toBe(refused('--rejects', scenario, scenario));
    expect(overScenario.code).toBe(2);
    // The scenario names its rate tables relative to itself; the message names them as the run does.
    const overRates = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--events', rates]);
    expect(overRates.stderr).toBe(refused('--events', rates, relative(ROOT, rates)));
    expect(overRates.code).toBe(2);
    expect(readFileSync(rates, 'utf8')).toBe(before);
  });

  it('sweep --csv naming the export by a hard link exits 2', () => {
    const { folder, cdrs, scenario } = tenantFolder();
    const hard = join(folder, 'hard.csv');
    linkSync(cdrs, hard);
    const run = runCli(['sweep', '--cdrs', cdrs, '--scenario', scenario, '--model', 'history', '--trigger', '50', '--amount', '50', '--csv', hard]);
    expect(run.stderr).toBe(refused('--csv', hard, cdrs));
    expect(run.code).toBe(2);
  });

  it('two outputs naming one file are refused', () => {
    const { folder, cdrs, scenario } = tenantFolder();
    const output = join(folder, 'out.csv');
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--explain', output, '--rejects', join(folder, '.', 'out.csv')]);
    expect(run.stderr).toBe(`creditcast: --rejects: ${join(folder, '.', 'out.csv')} is the same file as --explain ${output}; choose another output file\n`);
    expect(run.code).toBe(2);
    expect(readdirSync(folder)).not.toContain('out.csv');
  });

  it('a typo in --cdrs leaves an existing explain file as it was, and no partial file', () => {
    const { cdrs, scenario } = tenantFolder();
    const outputs = tempFolder();
    const explain = join(outputs, 'explain.csv');
    writeFileSync(explain, 'from the last good run\n');
    const run = runCli(['replay', '--cdrs', `${cdrs}x`, '--scenario', scenario, '--explain', explain, '--events', join(outputs, 'events.csv')]);
    expect(run.stderr).toBe(`creditcast: ${cdrs}x: cannot read (no such file)\n`);
    expect(run.code).toBe(2);
    expect(readFileSync(explain, 'utf8')).toBe('from the last good run\n');
    expect(readdirSync(outputs)).toEqual(['explain.csv']);
  });
});

describe('18. CSV cells a spreadsheet would run are neutralised (OWASP)', () => {
  it('in --explain, --events and --rejects, text cells only, the raw row recoverable', () => {
    const rows: ExportRow[] = [
      { usageId: '=1+1', upn: '-ana@contoso.example' },
      { usageId: '@SUM(A1)', startTime: '2026-01-06T10:00:00Z', callType: 'teleport' },
      { usageId: "'=quoted", startTime: '2026-01-07T10:00:00Z', durationSeconds: 5000, destinationNumber: '+442079460000' },
    ];
    const folder = tempFolder();
    writeFileSync(join(folder, '=pstn.csv'), teamsCsv(rows));
    const scenario = join(FIXTURES, 'scenario.json');
    const out = (name: string) => join(folder, `${name}.csv`);
    const run = runCli(['replay', '--cdrs', '=pstn.csv', '--scenario', scenario, '--explain', out('explain'), '--events', out('events'), '--rejects', out('rejects')], folder);
    expect(onlyWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(0);

    const explain: Record<string, string>[] = parse(readFileSync(out('explain'), 'utf8'), { columns: true });
    expect(explain.map((row) => [row['file'], row['line'], row['usage_id'], row['user']])).toEqual([
      ["'=pstn.csv", '2', "'=1+1", "'-ana@contoso.example"],
      ["'=pstn.csv", '4', "''=quoted", 'ana@contoso.example'],
    ]);
    // A charge is a number column: written as it is.
    expect(explain[1]?.['charge']).toMatch(/^\d+\.\d{2}$/);

    const events: Record<string, string>[] = parse(readFileSync(out('events'), 'utf8'), { columns: true });
    expect(events.filter((event) => event['type'] === 'spend').map((event) => event['call'])).toEqual(["'=pstn.csv:4"]);

    const rejects: Record<string, string>[] = parse(readFileSync(out('rejects'), 'utf8'), { columns: true });
    expect(rejects).toHaveLength(1);
    expect(rejects[0]?.['file']).toBe("'=pstn.csv");
    expect(rejects[0]?.['raw']).toBe(`'${exportLine(rows[1] as ExportRow, 1)}`);
    expect(textCellValue(rejects[0]?.['raw'] as string)).toBe(exportLine(rows[1] as ExportRow, 1));
  });

  it('decides by column: -12.40 stays a number in a number column and is neutralised in a text one', () => {
    const text = csvRows([['amount', 'number'], ['detail', 'text']], [{ amount: '-12.40', detail: '-12.40' }]);
    expect(text).toBe("amount,detail\n-12.40,'-12.40\n");
    const sweep = sweepCsv([{ trigger: '50.00', amount: '100.00', mode: 'with', delaySeconds: 0, initial: '0.00', dropShare: 0, dropsP95: 0, firstDropP5: null, purchases: 1, purchased: '100.00', forfeited: '0.00', balanceAvg: '-3.50', balanceMin: '-7.00' }]);
    expect(sweep.split('\n')[1]).toBe('50.00,100.00,with,0,0.00,0,0,,1,100.00,0.00,-3.50,-7.00');
  });

  it('every text value is written so a spreadsheet cannot run it, and is read back by dropping one quote', () => {
    const character = fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", 'a', '1', ' ', '"');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: character })), (value) => {
        const cell = textCell(value);
        expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        expect(textCellValue(cell)).toBe(value);
        expect(cell === value || cell === `'${value}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('19. input shown on a terminal: control characters escaped, long values cut', () => {
  const TITLE = '\x1b]0;owned\x07';

  it('the summary shows a rejected Call Type with its escapes written out', () => {
    const { cdrs, scenario } = tenantFolder([{ callType: `${TITLE}\r\x1b[2J` }]);
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL_BYTES);
    expect(run.stdout).toContain(`  ${cdrs}:2 unknown-call-type: Call Type "\\x1b]0;owned\\x07\\r\\x1b[2J" is not a known PSTN call type\n`);
  });

  it('the --max-rejects message too, in one line', () => {
    const { cdrs, scenario } = tenantFolder([{ callType: TITLE }]);
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--strict']);
    expect(run.stderr).toBe(`creditcast: ${cdrs}:2: unknown-call-type: Call Type "\\x1b]0;owned\\x07" is not a known PSTN call type (1 row(s) rejected, more than --max-rejects 0)\n`);
    expect(run.code).toBe(2);
  });

  it('a missing-column message quoting a hostile header', () => {
    const folder = tempFolder();
    const cdrs = join(folder, 'pstn.csv');
    writeFileSync(cdrs, `UsageId,${TITLE}\x9b2J\nu1,x\n`);
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', join(FIXTURES, 'scenario.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(CONTROL_BYTES);
    expect(run.stderr).toMatch(/^creditcast: .*UsageId, \\x1b\]0;owned\\x07\\x9b2J\)\n$/);
  });

  it('a 1 MB field is quoted by its first 80 characters and the count of the rest, in the message and the summary', () => {
    const { cdrs, scenario } = tenantFolder([{ callType: 'A'.repeat(1_000_000) }]);
    const expected = `Call Type "${'A'.repeat(80)}"…and 999,920 more bytes is not a known PSTN call type`;
    const strict = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario, '--strict']);
    expect(strict.stderr).toBe(`creditcast: ${cdrs}:2: unknown-call-type: ${expected} (1 row(s) rejected, more than --max-rejects 0)\n`);
    expect(strict.code).toBe(2);
    const summary = runCli(['replay', '--cdrs', cdrs, '--scenario', scenario]);
    expect(summary.stdout).toContain(`  ${cdrs}:2 unknown-call-type: ${expected}\n`);
    expect(summary.stdout.length).toBeLessThan(4_000);
  });

  it('a message of most of a megabyte (a header of 900 kB, under the header limit) is cut to one short line', () => {
    const folder = tempFolder();
    const cdrs = join(folder, 'pstn.csv');
    writeFileSync(cdrs, `UsageId,${'B'.repeat(900_000)}\nu1,x\n`);
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', join(FIXTURES, 'scenario.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr.length).toBeLessThan(2_100);
    expect(run.stderr).toMatch(/^creditcast: [^\n]*B…and [\d,]+ more bytes\n$/);
  });

  it('one helper escapes, quotes and cuts (counting UTF-8 bytes, never half a character)', () => {
    // Forecast, recommend and sweep tables: every line escaped on its own, the line breaks kept.
    expect(printableLines('pool \x1b[2J\nnext\x07 line\n')).toBe('pool \\x1b[2J\nnext\\x07 line\n');
    expect(printable('a\x1b[2J\x07\r\n\t\x00\x7f\x9b\u202e\u2028b\\x')).toBe('a\\x1b[2J\\x07\\r\\n\\t\\x00\\x7f\\x9b\\u{202e}\\u{2028}b\\x');
    expect(printable('Zürich, 東京 😀')).toBe('Zürich, 東京 😀');
    expect(quoted('é'.repeat(100))).toBe(`"${'é'.repeat(80)}"…and 40 more bytes`);
    expect(quoted('😀'.repeat(50), 79)).toBe(`"${'😀'.repeat(39)}"…and 44 more bytes`);
    expect(quoted('short\x07')).toBe('"short\\x07"');
    expect(shortLine(`${'x'.repeat(2_000)}\x1b${'y'.repeat(52_428_799)}`)).toBe(`${'x'.repeat(2_000)}…and 52,428,800 more bytes`);
  });
});
