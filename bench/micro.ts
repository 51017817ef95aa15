/**
 * Micro-benchmarks (tinybench), each against a baseline measured in the same run:
 * - one row decoded from bytes (scan + validate + classify + rate) vs. counting its bytes' newlines;
 * - a prefix lookup in a 100,000-prefix rate table vs. the same lookup in a 1,000-prefix table
 *   (a ratio near 1 means the cost depends on digits, not table size), and the table's load time;
 * - one ledger posting vs. one decimal.js multiply-add (what per-call money would cost without micros).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { Bench } from 'tinybench';
import { ColumnBuilder } from '../engine/columns/call-columns.js';
import { indexColumns, TEAMS_EXPORT, type ColumnIndex } from '../engine/model/export-columns.js';
import { CreditLedger } from '../engine/credits/ledger.js';
import { generateRows, sampleRatesCsv, TEAMS_HEADER } from '../engine/generate/generate-cdrs.js';
import { FieldSpans, scanRecords } from '../engine/ingest/csv-scanner.js';
import { RowDecoder } from '../engine/ingest/row-decoder.js';
import { ingestModule, threadScanner } from '../engine/edge/read/ingest-module.js';
import { bundledData } from '../engine/edge/load/package-data.js';
import { DialledNumber } from '../engine/rules/digit-trie.js';
import { loadNumberingPlan } from '../engine/edge/load/load-numbering.js';
import { loadAllowances } from '../engine/edge/load/load-allowances.js';
import { loadRateTables } from '../engine/edge/load/load-rates.js';
import { seededRandom } from '../engine/kernel/random.js';

const data = bundledData();
const rules = { allowances: loadAllowances(data.allowances), numbering: loadNumberingPlan(data) };
const folder = mkdtempSync(join(tmpdir(), 'creditcast-bench-'));
writeFileSync(join(folder, 'rates.csv'), sampleRatesCsv());
const sampleRates = loadRateTables([join(folder, 'rates.csv')], 'USD');

function rateTableFile(prefixes: number): string {
  const random = seededRandom(prefixes);
  const lines = ['service,prefix,destination,per_minute,connection_fee,currency'];
  const seen = new Set<string>();
  while (seen.size < prefixes) {
    const prefix = `${1 + Math.floor(random() * 9)}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`.slice(0, 2 + Math.floor(random() * 7));
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    lines.push(`outbound,${prefix},Destination ${prefix},0.0${Math.floor(random() * 900 + 100)},0,USD`);
  }
  const file = join(folder, `rates-${prefixes}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const bigFile = rateTableFile(100_000);
const loadStarted = process.hrtime.bigint();
const bigTable = loadRateTables([bigFile], 'USD');
const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
// The small table holds 1,000 of the big one's prefixes, and the numbers looked up extend exactly
// those prefixes: both lookups walk the same digits, only the table size differs.
const bigPrefixes = bigTable.rows.map((row) => row.prefix);
const chosen = Array.from({ length: 1000 }, (_, i) => bigPrefixes[(i * 97) % bigPrefixes.length] as string);
const smallFile = join(folder, 'rates-1000.csv');
writeFileSync(smallFile, `service,prefix,destination,per_minute,connection_fee,currency\n${chosen.map((prefix) => `outbound,${prefix},D,0.01,0,USD`).join('\n')}\n`);
const smallTable = loadRateTables([smallFile], 'USD');

const rows = [...generateRows({ rows: 20_000, users: 500, from: Date.UTC(2026, 0, 1), months: 12, seed: 3 })];
const csv = new TextEncoder().encode(rows.map((row) => row.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',')).join('\n') + '\n');
const columns = indexColumns([...TEAMS_HEADER], TEAMS_EXPORT) as ColumnIndex;
const settings = { file: 'bench.csv', fileIndex: 0, columns, headerFields: TEAMS_HEADER.length, currency: 'USD', start: null, end: null };
const fields = new FieldSpans();
// The same rows in the WebAssembly scanner's buffer, as a worker reads a file into it.
const simd = threadScanner(ingestModule('wasm'));
const simdCsv = simd.ensureBuffer(csv.length, 0).subarray(0, csv.length);
simdCsv.set(csv);
const countRecords = { record: () => undefined, malformed: () => undefined };

const numbers = chosen.map((prefix, i) => new DialledNumber().readString(`+${prefix}${String(i).padStart(12, '0')}`.slice(0, 16)));
let numberIndex = 0;
const ledger = new CreditLedger({ minorUnitMicros: 10_000, exhaustion: 'overdraft', offsetMinutes: 0, expiryMonths: 12, minimumPurchaseMicros: 0, recharge: null }, seededRandom(1), () => {}, []);
ledger.purchase(0, 1_000_000_000_000_000, 'initial');
let postingAt = 1;
let decimalSum = new Decimal(0);

// One builder for every iteration, as a worker keeps one from range to range.
const builder = new ColumnBuilder(0, rows.length);
const bench = new Bench({ time: 1000 });
bench
  .add('baseline: count newlines in 20,000 rows', () => {
    let lines = 0;
    for (let i = 0; i < csv.length; i++) if (csv[i] === 10) lines++;
    return lines;
  })
  .add('decode 20,000 rows (scan, validate, classify, rate)', () => {
    // As a worker decodes: records, their numeric fields and interning in the WebAssembly module.
    const decoder = new RowDecoder(settings, rules, sampleRates, builder.reset(0), simd.fieldReader);
    let line = 1;
    simd.scan(0, csv.length, true, 44, {
      record: (buf, spans, start, end) => decoder.decode(buf, spans, start, end, line++, 0),
      malformed: (buf, start, end, _n, why) => decoder.malformed(buf, start, end, line++, why),
    });
    return decoder.rowsRead;
  })
  .add('scan 20,000 rows, WebAssembly scanner', () => simd.scan(0, csv.length, true, 44, countRecords))
  .add('scan 20,000 rows, JavaScript scanner', () => scanRecords(csv, 0, csv.length, true, 44, fields, countRecords))
  .add('baseline: prefix lookup, 1,000-prefix table', () => smallTable.lookupIndex('outbound', numbers[numberIndex++ % 1000] as DialledNumber, 0))
  .add('prefix lookup, 100,000-prefix table', () => bigTable.lookupIndex('outbound', numbers[numberIndex++ % 1000] as DialledNumber, 0))
  .add('baseline: decimal.js multiply-add', () => {
    decimalSum = decimalSum.plus(new Decimal('0.0125').times(137));
  })
  .add('one ledger posting (integer micros)', () => ledger.pay({ callIndex: 0, startAt: postingAt++, poolSeconds: 0, creditSeconds: 137, pricing: { kind: 'rate', priceMicrosPerMinute: 12_500, connectionMicros: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 } }));

await bench.run();
const mean = (name: string): number => {
  const task = bench.tasks.find((candidate) => candidate.name === name);
  const result = task?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`no result for ${name}`);
  return result.latency.mean * 1e6;
};
const ns = (value: number) => `${value.toFixed(0).padStart(9)} ns`;
const perRowBaseline = mean('baseline: count newlines in 20,000 rows') / rows.length;
const perRow = mean('decode 20,000 rows (scan, validate, classify, rate)') / rows.length;
console.log('micro-benchmarks (tinybench, mean per operation)');
console.log(`  decode one row                          ${ns(perRow)}   ${(1e9 / perRow / 1e6).toFixed(2)} M rows/s; ${(perRow / perRowBaseline).toFixed(1)}x the newline-count baseline (${perRowBaseline.toFixed(0)} ns)`);
const scanSimd = mean('scan 20,000 rows, WebAssembly scanner') / rows.length;
const scanJs = mean('scan 20,000 rows, JavaScript scanner') / rows.length;
console.log(`  scan one row, WebAssembly SIMD          ${ns(scanSimd)}   ${(scanSimd / scanJs).toFixed(2)}x the JavaScript scanner (${scanJs.toFixed(0)} ns), ${(scanSimd / perRowBaseline).toFixed(1)}x the newline count`);
const small = mean('baseline: prefix lookup, 1,000-prefix table');
const big = mean('prefix lookup, 100,000-prefix table');
console.log(`  prefix lookup, 100,000 prefixes         ${ns(big)}   ${(big / small).toFixed(2)}x the 1,000-prefix table (${small.toFixed(0)} ns)`);
console.log(`  load a 100,000-prefix rate table        ${(loadSeconds * 1000).toFixed(0).padStart(9)} ms`);
const decimal = mean('baseline: decimal.js multiply-add');
const posting = mean('one ledger posting (integer micros)');
console.log(`  one ledger posting                      ${ns(posting)}   ${(posting / decimal).toFixed(2)}x one decimal.js multiply-add (${decimal.toFixed(0)} ns)`);
