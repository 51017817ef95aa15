import { describe, expect, it } from 'vitest';
import { formatMicros } from '../../engine/kernel/money.js';
import { solvePrefix } from '../../engine/infer/prefix-split.js';
import { callingCode, inferRates } from '../../engine/infer/infer-rates.js';
import type { ChargedRow } from '../../engine/infer/charged-row.js';
import { at, bundledRules, usd } from '../helpers.js';
import { seededRandom } from '../../engine/kernel/random.js';

const CENT = 10_000;

let line = 1;
/** A wholly credit-funded outbound row; 60/60 increments, so `minutes` whole minutes are billed. */
function row(digits: string, minutes: number, recorded: string, funding: ChargedRow['funding'] = 'credits', durationSeconds = minutes * 60): ChargedRow {
  line++;
  return { service: 'outbound', digits, startAt: at('2026-01-05T10:00:00Z') + line * 60_000, durationSeconds, recordedMicros: usd(recorded), funding, file: 'cdr.csv', line };
}

/** UK fixed numbers (4420, 4411, 4413) at 0.03/min and mobile ones (447) at 0.12/min, `each` rows of 1 to 4 minutes per range. */
function ukRows(each: number): ChargedRow[] {
  const rows: ChargedRow[] = [];
  for (let i = 0; i < each; i++) {
    const minutes = 1 + (i % 4);
    for (const start of ['4420', '4411', '4413']) rows.push(row(`${start}7946${String(i).padStart(4, '0')}`, minutes, formatMicros(30000 * minutes, 2)));
    rows.push(row(`447700${String(i).padStart(6, '0')}`, minutes, formatMicros(120000 * minutes, 2)));
  }
  return rows;
}

function table(entries: readonly { prefix: string; versions: readonly { rate: { priceMicrosPerMinute: number } }[] }[]): string[] {
  return entries.map((entry) => `${entry.prefix} ${entry.versions.map((version) => version.rate.priceMicrosPerMinute / 1_000_000).join(' then ')}`);
}

describe('solvePrefix: longer prefixes only where one price cannot explain the rows', () => {
  it('one price for the whole country when it fits every row', () => {
    expect(table(solvePrefix(ukRows(8).filter((r) => !r.digits.startsWith('447')), '44', CENT).entries)).toEqual(['44 0.03']);
  });

  it('mobile apart from fixed: 44 keeps the price most of its parts share (1, 2 fixed; 7 mobile), 447 gets its own', () => {
    const found = solvePrefix(ukRows(8), '44', CENT);
    expect(table(found.entries)).toEqual(['44 0.03', '447 0.12']);
    expect(found.fitRows).toBe(32);
  });

  it('two mobile rows are too few for a prefix of their own: they stay misfits of the country price', () => {
    const rows = [...ukRows(8).filter((r) => !r.digits.startsWith('447')), row('447700000001', 1, '0.12'), row('447700000002', 2, '0.24')];
    const found = solvePrefix(rows, '44', CENT);
    expect(table(found.entries)).toEqual(['44 0.03']);
    expect(found.fitRows).toBe(24);
  });
});

describe('inferRates: groups, misfits and pool parts', () => {
  const { numbering } = bundledRules();

  it('gives noise no prices of its own: 400 rows of random amounts are one row of the table and misfits', () => {
    const random = seededRandom(5);
    const noise = Array.from({ length: 400 }, () => row(`44${String(Math.floor(random() * 1e9)).padStart(9, '0')}`, 0, formatMicros(10_000 * (1 + Math.floor(random() * 500)), 2), 'credits', 1 + Math.floor(random() * 1800)));
    const inference = inferRates(noise, numbering, CENT);
    expect(inference.table).toHaveLength(1);
    expect(inference.misfits.length).toBeGreaterThan(380);
    expect(inference.misfits.length + inference.counts.fit).toBe(400);
  });

  it('starts from the country calling code: 1 for all of NANP, 44, 971', () => {
    expect(['14165550100', '17875550100', '447700900123', '97141234567', '999'].map((digits) => callingCode(numbering, digits))).toEqual(['1', '1', '44', '971', '9']);
  });

  it('lists a free row, a 0 s row and an unexplained pool row, and checks an explained one', () => {
    const rows = [
      ...ukRows(8),
      row('12125550100', 0, '0.02', 'free', 60),
      row('4420794600', 0, '0.03', 'credits', 0),
      // Pool part: 300 s with 3 pool minutes leaves 120 s at 0.03 = 0.06 (explained); 0.05 fits no whole number of pool minutes.
      row('442079460001', 5, '0.06', 'pool'),
      row('442079460002', 5, '0.05', 'pool'),
    ];
    const inference = inferRates(rows, numbering, CENT);
    expect(inference.table.map((entry) => `${entry.prefix} ${entry.destination} ${entry.rate.priceMicrosPerMinute}`)).toEqual(['44 GB +44 30000', '447 GB +447 120000']);
    expect(inference.misfits.map((misfit) => `${misfit.row.line} ${misfit.reason}`)).toEqual([`${line - 3} free-route`, `${line - 2} zero-duration`, `${line} pool-part`]);
    expect(inference.counts).toEqual({ charged: 36, learnedFrom: 32, fit: 32, poolPart: 2, poolPartExplained: 1 });
  });
});
