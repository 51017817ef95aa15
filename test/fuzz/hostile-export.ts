import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect } from 'vitest';
import { generateRows, sampleRatesCsv, TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { at } from '../helpers.js';

/**
 * Hostile and careless Teams exports for fuzzing: generated rows (so that many calls are accepted
 * and reach every report) with fields replaced by what an attacker or a broken tool writes (formula
 * prefixes, terminal escapes, control and bidi characters, any Unicode, invalid UTF-8 bytes, quotes
 * and line breaks, huge numbers, long fields), rows written with or without CSV quoting, and junk
 * lines between them.
 *
 * `npm test` runs a few cases; `npm run fuzz` sets CREDITCAST_FUZZ_RUNS and runs many, with longer
 * fields.
 */
export const FUZZ_RUNS = Number(process.env['CREDITCAST_FUZZ_RUNS'] ?? 0);
const LONG = FUZZ_RUNS > 0;

/**
 * The runs of a property: `short` in `npm test`; in `npm run fuzz`, CREDITCAST_FUZZ_RUNS times
 * `share` (a property that starts processes takes a share of them).
 */
export function runs(short: number, share = 1): number {
  return LONG ? Math.max(short, Math.round(FUZZ_RUNS * share)) : short;
}

const FORMULA_CHARACTERS = ['=', '+', '-', '@', '\t', '\r'];
const CONTROL_CHARACTERS = ['\x00', '\x07', '\x08', '\x1b', '\x7f', '\x9b', '\u2028', '\u202e', '\u2066'];

const NAMED_VALUES = [
  '=1+1', '=HYPERLINK("http://example.test","x")', '+44 (0)7801 637760', '+1-425-555-0100', '-12.40', '@SUM(A1:A9)',
  '\t=cmd', '\r=cmd', "'=1+1", "''+1", "'", '\x1b[2J\x1b[H', '\x1b]0;owned\x07', '\x07\x07', 'a\rb', '\u202egnp.exe',
  '"', '""', '"a"b', 'a,b', 'a\nb', '\r\n', '\n\n', ';', 'UsageId;Call ID',
  '99999999999999999999', '2147483647', '2147483648', '4294967296', '-1', '1e308', '0x10', 'NaN', 'Infinity', '1'.padEnd(40, '9'),
  '9000000000.00', '0.0049', '-0', '١٢٣', 'ＵＳ', 'ß', 'İ', 'JÜRGEN@contoso.example', '\uFEFF', '\uD800', '',
  '2026-01-05T10:00:00Z', '2026-13-45T99:99:99Z', '596523:14:07', '596523:14:08', '999999:59:59', 'MCOPSTN1', 'mcopstn5 ', 'user_out', 'dr_in', 'US', 'EUR',
];

/** One field as hostile text (a string) or as raw bytes that may not be UTF-8 at all. */
const hostileField: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMED_VALUES) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...FORMULA_CHARACTERS, ...CONTROL_CHARACTERS), fc.string({ maxLength: 12 })).map(([first, rest]) => first + rest) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...FORMULA_CHARACTERS, ...CONTROL_CHARACTERS, '"', ',', '\n', "'", 'a', '1'), maxLength: 16 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('', '=', '\x1b', '+'), fc.integer({ min: 200, max: LONG ? 300_000 : 4_000 })).map(([first, length]) => first + 'x'.repeat(length)) },
);

export interface HostileExport {
  /** The Teams CSV export, the legacy tab-separated one (durations in seconds or h:mm:ss), or Graph JSON. */
  format: 'teams' | 'legacy' | 'graph';
  clock: boolean;
  /** Graph JSON: values put in place of a row's (nested objects and arrays, numbers of any size), and how rows are wrapped. */
  jsonDamages: { row: number; key: number; value: unknown }[];
  wrap: 'page' | 'pages' | 'rows';
  seed: number;
  rows: number;
  damages: { row: number; column: number; value: string | Uint8Array }[];
  unquotedRows: number[];
  junk: { before: number; bytes: Uint8Array | string }[];
  crlf: boolean;
  bom: boolean;
}

/** Graph's pstnCallLogRow keys, each with the Teams column its value is made from. */
const GRAPH_KEYS: readonly (readonly [string, string])[] = [
  ['id', 'UsageId'], ['callId', 'Call ID'], ['userId', 'AAD ObjectId'], ['userPrincipalName', 'UPN'], ['userDisplayName', 'User Display Name'],
  ['startDateTime', 'Start Time'], ['endDateTime', 'End Time'], ['duration', 'Duration Seconds'], ['charge', 'Charge'], ['callType', 'Call Type'],
  ['currency', 'Currency'], ['calleeNumber', 'Destination Number'], ['usageCountryCode', 'User Location'], ['connectionCharge', 'Connection Fee'],
  ['callerNumber', 'Caller ID'], ['destinationContext', 'Domestic/International'], ['destinationName', 'Destination Dialed'],
  ['conferenceId', 'Conference ID'], ['licenseCapability', 'Capability'], ['inventoryType', 'Number Type'],
];
/** A value nested `depth` levels in arrays and objects, in turn. */
function nested(depth: number, inner: unknown): unknown {
  let value = inner;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { value };
  return value;
}

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(1e308, -1, 2 ** 53 + 2, 2 ** 31, 0.0049, -0, null, true, ''),
  fc.tuple(fc.integer({ min: 1, max: LONG ? 2_000 : 200 }), fc.jsonValue({ maxDepth: 1 })).map(([depth, inner]) => nested(depth, inner)),
  hostileField.map((value) => (typeof value === 'string' ? value : Buffer.from(value).toString('latin1'))),
);

export const hostileExports: fc.Arbitrary<HostileExport> = fc.record({
  format: fc.constantFrom('teams' as const, 'teams' as const, 'legacy' as const, 'graph' as const),
  clock: fc.boolean(),
  jsonDamages: fc.array(fc.record({ row: fc.nat(), key: fc.nat(GRAPH_KEYS.length - 1), value: hostileJson }), { maxLength: LONG ? 30 : 8 }),
  wrap: fc.constantFrom('page' as const, 'pages' as const, 'rows' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  rows: fc.integer({ min: 1, max: LONG ? 400 : 40 }),
  damages: fc.array(fc.record({ row: fc.nat(), column: fc.nat(TEAMS_HEADER.length - 1), value: hostileField }), { maxLength: LONG ? 60 : 16 }),
  unquotedRows: fc.array(fc.nat(), { maxLength: 3 }),
  junk: fc.array(fc.record({ before: fc.nat(), bytes: fc.oneof(fc.uint8Array({ maxLength: 60 }), fc.constantFrom('', ',,,', '"', '=1+1', '\x1b[2J')) }), { maxLength: 2 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
});

/** The export's bytes: the header, then the rows (damaged, some unquoted) with junk lines among them; or Graph JSON. */
export function exportBytes(spec: HostileExport): Buffer {
  const generated = [...generateRows({ rows: spec.rows, users: 6, from: at('2026-01-01T00:00:00Z'), months: 2, seed: spec.seed })];
  if (spec.format === 'graph') return graphBytes(spec, generated);
  const legacy = spec.format === 'legacy';
  const header = legacy ? LEGACY_HEADER : TEAMS_HEADER;
  const rows: (string | Uint8Array)[][] = legacy ? generated.map((row) => legacyRow(row, spec.clock)) : generated;
  for (const { row, column, value } of spec.damages) {
    const target = rows[row % rows.length];
    if (target !== undefined) target[column % header.length] = value;
  }
  const unquoted = new Set(spec.unquotedRows.map((row) => row % rows.length));
  const end = spec.crlf ? '\r\n' : '\n';
  const separator = legacy ? '\t' : ',';
  const lines: Buffer[] = rows.map((fields, index) => Buffer.concat([...joinFields(fields, separator, !unquoted.has(index)), Buffer.from(end)]));
  for (const { before, bytes } of spec.junk) lines.splice(before % (lines.length + 1), 0, Buffer.concat([Buffer.from(bytes), Buffer.from(end)]));
  return Buffer.concat([Buffer.from(`${spec.bom ? '\uFEFF' : ''}${header.join(separator)}${end}`), ...lines]);
}

function* joinFields(fields: readonly (string | Uint8Array)[], separator: string, quoted: boolean): Generator<Buffer> {
  const special = new RegExp(`["${separator}\r\n]`);
  for (const [index, field] of fields.entries()) {
    if (index > 0) yield Buffer.from(separator);
    if (typeof field !== 'string') yield Buffer.from(field);
    else yield Buffer.from(quoted && special.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  }
}

const COLUMN_AT = new Map<string, number>(TEAMS_HEADER.map((name, at) => [name, at]));

const LEGACY_HEADER = [
  'Call ID', 'User ID', 'Phone number', 'User location', 'Caller ID', 'Call type', 'Domestic/International', 'Destination dialed',
  'Number type', 'Start Time (UTC)', 'Duration', 'ConfID', 'Charge', 'Currency', 'Capability',
];

/** A Teams row as the legacy export has it: the dialled number as Caller ID, the duration in seconds or as h:mm:ss. */
function legacyRow(row: readonly string[], clock: boolean): string[] {
  const field = (name: string) => row[COLUMN_AT.get(name) ?? -1] ?? '';
  const seconds = Number(field('Duration Seconds'));
  const duration = clock ? `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}` : String(seconds);
  return [
    field('Call ID'), field('UPN'), field('Destination Number'), field('User Location'), field('Destination Number'), field('Call Type'),
    field('Domestic/International'), field('Destination Dialed'), field('Number Type'), field('Start Time'), duration,
    field('Conference ID'), field('Charge'), field('Currency'), field('Capability'),
  ];
}

const GRAPH_NUMBERS = new Set(['duration', 'charge', 'connectionCharge']);

function graphBytes(spec: HostileExport, generated: readonly string[][]): Buffer {
  const rows: Record<string, unknown>[] = generated.map((row) =>
    Object.fromEntries(GRAPH_KEYS.map(([key, column]) => {
      const text = row[COLUMN_AT.get(column) ?? -1] ?? '';
      return [key, GRAPH_NUMBERS.has(key) ? Number(text) : text];
    })),
  );
  for (const { row, key, value } of spec.jsonDamages) {
    const target = rows[row % rows.length];
    if (target !== undefined) target[(GRAPH_KEYS[key] as readonly [string, string])[0]] = value;
  }
  const half = Math.ceil(rows.length / 2);
  const document = spec.wrap === 'rows' ? rows : spec.wrap === 'page' ? { value: rows } : [{ value: rows.slice(0, half) }, { value: rows.slice(half) }];
  return Buffer.from(`${spec.bom ? '\uFEFF' : ''}${JSON.stringify(document)}`);
}

/** A folder with the rate table and a scenario over January and February 2026 whose credits run dry. */
export function fuzzFolder(folder: string): { scenario: string; cdrs: string } {
  writeFileSync(join(folder, 'rates.csv'), sampleRatesCsv());
  writeFileSync(
    join(folder, 'scenario.json'),
    JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z', credits: { initial: '1.00', minimumPurchase: '0', autoRecharge: { trigger: '0.50', amount: '1.00', failFrom: '2026-01-20T00:00:00Z' } }, rating: { rates: ['rates.csv'] } }),
  );
  return { scenario: join(folder, 'scenario.json'), cdrs: join(folder, 'pstn.csv') };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_CELL = /^(-?\d+(\.\d+)?)?$/;

/**
 * A CSV file creditcast wrote, checked cell by cell: valid CSV with the header it documents, no
 * text cell a spreadsheet would run, every number cell a number (or empty). Returns its records.
 */
export function expectNeutralisedCsv(text: string, textColumns: readonly string[], numberColumns: readonly string[]): Record<string, string>[] {
  const records: Record<string, string>[] = parse(text, { columns: true, bom: false });
  const header = text.slice(0, text.indexOf('\n')).split(',');
  expect([...header].sort()).toEqual([...textColumns, ...numberColumns].sort());
  for (const record of records) {
    for (const column of textColumns) expect(record[column], `${column}: ${JSON.stringify(record[column])}`).not.toMatch(FORMULA_START);
    for (const column of numberColumns) expect(record[column], `${column}: ${JSON.stringify(record[column])}`).toMatch(NUMBER_CELL);
  }
  return records;
}

export const REJECT_TEXT = ['file', 'reason', 'detail', 'raw'];
export const REJECT_NUMBERS = ['line'];
export const EVENT_TEXT = ['at', 'type', 'lot', 'call', 'detail'];
export const EVENT_NUMBERS = ['amount', 'balance'];
export const EXPLAIN_TEXT = ['file', 'usage_id', 'start', 'call_type', 'user', 'number', 'recorded_capability', 'capability', 'funding', 'why', 'pool', 'rate_row', 'destination', 'increments', 'lots', 'dropped_at'];
export const EXPLAIN_NUMBERS = ['line', 'duration_s', 'pool_s', 'credit_s', 'per_minute', 'connection_fee', 'billed_s', 'charge', 'paid'];

/** What a terminal would act on: anything but printable text and the summary's own line breaks. */
export const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
