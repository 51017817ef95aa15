import { INBOUND_CALL_TYPES, OUTBOUND_CALL_TYPES, type Direction, type Reject, type RejectReason } from '../model/cdr.js';
import type { ColumnBuilder } from '../columns/call-columns.js';
import type { ColumnIndex } from '../model/export-columns.js';
import { DialledNumber } from '../rules/digit-trie.js';
import { RATE_SERVICES } from '../model/rate-row.js';
import { type RateTable } from '../rules/rate-table.js';
import { classifyInto, emptyClassification, type CallFacts, type Rules } from '../rules/classify.js';
import { formatInstant } from '../kernel/time.js';
import { invariant } from '../kernel/errors.js';
import { foldUpn, resourceAccountName } from '../model/scenario.js';
import { equalsLowerAscii, MAX_CALL_SECONDS } from './bytes.js';
import type { FieldSpans } from './csv-scanner.js';
import { FieldView } from './field-view.js';
import { ByteInterner, lowerAscii } from './interner.js';
import { JsFieldReader } from './js-field-reader.js';
import { FieldOutcome, Slot, type FieldReader } from './scanner.js';
import { quoted } from '../kernel/quote.js';

export interface DecoderSettings {
  file: string;
  fileIndex: number;
  columns: ColumnIndex;
  headerFields: number;
  currency: string;
  /** The scenario period, when it gives one; rows outside it are rejected here. */
  start: number | null;
  end: number | null;
}

const CALL_TYPES = [...INBOUND_CALL_TYPES, ...OUTBOUND_CALL_TYPES];
const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/**
 * One CDR record's fields, straight from the scanner's byte spans, validated (DOMAIN.md §7 and the
 * issue's row rules), classified and rated into a column row, or rejected with its reason. Strings
 * are made only for rejects and for first sightings of a user or capability.
 */
export class RowDecoder {
  readonly rejects: Reject[] = [];
  rowsRead = 0;
  private readonly users: ByteInterner;
  private readonly capabilities: ByteInterner;
  private readonly countries: ByteInterner;
  private readonly callTypes: ByteInterner;
  /** Per interned call type: its direction and canonical name, or null when it is not a call type. */
  private readonly callTypeInfo: ({ direction: Direction; name: string } | null)[] = [];
  private readonly countryNames = new Map<number, string>();
  private countryText = '';
  private readonly facts: CallFacts = { direction: 'outbound', callType: '', capability: '', userCountry: '', domestic: null, tollFreeNumberType: false, number: new DialledNumber() };
  private readonly classification = emptyClassification();
  /** The field last shown: the record's own bytes, or an unescaped copy. */
  private readonly field = new FieldView();
  /** Of the row being decoded, from readFacts. */
  private capabilityId = -1;
  private country = 0;
  /** The column the row's number was read from (its receiving or its dialled number). */
  private numberColumn = -1;
  /** Reads every record the fast reader declines (and is the reader when there is no fast one). */
  private readonly careful = new JsFieldReader();
  private readonly reader: FieldReader;

  /** With `reader`, the records' numeric fields are read by it first (the WebAssembly reader, over its scanner's buffer). */
  constructor(
    private readonly settings: DecoderSettings,
    private readonly rules: Rules,
    private readonly rates: RateTable | null,
    readonly builder: ColumnBuilder,
    reader?: FieldReader,
  ) {
    this.reader = reader ?? this.careful;
    this.careful.bindColumns(settings.columns, settings.currency);
    if (reader !== undefined) reader.bindColumns(settings.columns, settings.currency);
    const arenas = this.reader.arenas;
    // UPNs fold as the scenario's list does (foldUpn); call types, known ASCII words, by ASCII only.
    this.users = new ByteInterner(foldUpn, false, arenas?.users);
    this.capabilities = new ByteInterner(null, true, arenas?.capabilities);
    this.countries = new ByteInterner(null, true, arenas?.countries);
    this.callTypes = new ByteInterner(lowerAscii, true, arenas?.callTypes);
  }

  /**
   * The rows decoded, with the tables their user and capability ids point into: copied out of the
   * builder, or with `handOver` its block itself (see `ColumnBuilder.handOver`).
   */
  finish(handOver?: { spare: ArrayBuffer | undefined }) {
    const columns = handOver === undefined ? this.builder.finish() : this.builder.handOver(handOver.spare);
    columns.users = this.users.strings;
    columns.capabilities = this.capabilities.strings;
    return columns;
  }

  malformed(buf: Uint8Array, start: number, end: number, line: number, why: string): void {
    this.rowsRead++;
    this.reject(line, 'malformed-row', `not valid CSV: ${why}`, buf, start, end);
  }

    /**
   * `byteBase` is the file offset of buf[0]. One call per row: the columns are written here, from
   * locals, because a row object (or a call with the row's doubles) would box them on the heap.
   */
  decode(buf: Uint8Array, fields: FieldSpans, start: number, end: number, line: number, byteBase: number): void {
    if (fields.count === 1 && fields.ends[0] === fields.starts[0]) return;
    this.rowsRead++;
    const { columns, headerFields } = this.settings;
    if (fields.count !== headerFields) {
      return this.reject(line, 'malformed-row', `${fields.count} fields, expected ${headerFields} as in the header`, buf, start, end);
    }
    const field = this.field;
    field.show(buf, fields, columns.callType, true);
    const direction = this.direction();
    if (direction === undefined) return this.reject(line, 'unknown-call-type', `Call Type ${quoted(field.text())} is not a known PSTN call type`, buf, start, end);

    // The common row is read by the fast reader; one it declines, by the careful one, which says why.
    let reader = this.reader;
    let outcome = reader.read(buf, fields);
    if (outcome === FieldOutcome.Declined) outcome = (reader = this.careful).read(buf, fields);
    if (outcome !== FieldOutcome.Read) return this.rejectFields(outcome, buf, fields, line, start, end);
    const values = reader.values;
    const startAt = (values[Slot.StartDays] as number) * 86_400_000 + (values[Slot.StartMs] as number);

    this.readFacts(buf, fields, direction);
    if (!this.facts.number.valid) return this.rejectNumber(buf, fields, line, start, end);
    const { start: periodStart, end: periodEnd } = this.settings;
    if ((periodStart !== null && startAt < periodStart) || (periodEnd !== null && startAt >= periodEnd)) {
      return this.reject(line, 'outside-period', `Start Time ${formatInstant(startAt)} is outside the scenario period ${formatInstant(periodStart ?? startAt)} to ${formatInstant(periodEnd ?? startAt)}`, buf, start, end);
    }
    const classified = classifyInto(this.facts, this.rules, this.classification);
    if (classified.reject !== null) return this.reject(line, classified.reject, classified.detail, buf, start, end);

    let user: number;
    if (values[Slot.HasUpn] === 1) user = this.users.internHashed(buf, values[Slot.UpnStart] as number, values[Slot.UpnEnd] as number, values[Slot.UpnHash] as number);
    else {
      field.show(buf, fields, columns.upn, true);
      user = this.users.intern(field.bytes, field.start, field.end);
    }
    // An auto attendant's or call queue's row has no UPN: it is its resource account's (DOMAIN §4).
    if (this.users.strings[user] === '' && this.facts.callType.startsWith('ucap_')) user = this.resourceAccount();
    const rate = this.rates === null ? -1 : this.rates.lookupIndex(RATE_SERVICES[classified.service] ?? 'outbound', this.facts.number, startAt);
    const c = this.builder.reserve();
    const i = c.count++;
    c.startAt[i] = startAt;
    c.durationSeconds[i] = values[Slot.DurationSeconds] as number;
    c.route[i] = classified.route;
    c.allowance[i] = classified.allowance;
    c.service[i] = classified.service;
    c.rate[i] = rate;
    c.user[i] = user;
    c.capability[i] = this.capabilityId;
    c.country[i] = this.country;
    c.recordedMicros[i] = reader.micros[0] as number;
    c.line[i] = line;
    c.byteOffset[i] = byteBase + start;
    c.usageHashHigh[i] = values[Slot.UsageHashHigh] as number;
    c.usageHashLow[i] = values[Slot.UsageHashLow] as number;
  }

  /** The user id of the row's resource account, named by the number that received the call (read by readFacts). */
  private resourceAccount(): number {
    const { number } = this.facts;
    let digits = '';
    for (let at = 0; at < number.length; at++) digits += String(number.digits[at]);
    const name = resourceAccountName(this.facts.direction === 'inbound' ? `${digits}${number.masked ? '*' : ''}` : null);
    const bytes = textEncoder.encode(name);
    return this.users.intern(bytes, 0, bytes.length);
  }

  /** The call's facts for classifyInto, its capability id and its packed country, from the row's other fields. */
  private readFacts(buf: Uint8Array, fields: FieldSpans, direction: Direction): void {
    const { columns } = this.settings;
    const { facts, field } = this;
    facts.direction = direction;
    field.show(buf, fields, columns.receivingNumber, true);
    this.numberColumn = columns.receivingNumber;
    if (direction !== 'inbound' || field.empty) field.show(buf, fields, (this.numberColumn = columns.dialledNumber), true);
    facts.number.readBytes(field.bytes, field.start, field.end);

    field.show(buf, fields, columns.userCountry, true);
    this.country = this.countryCode();
    facts.userCountry = this.countryText;
    field.show(buf, fields, columns.capability, true);
    const capabilityId = field.empty ? -1 : this.capabilities.intern(field.bytes, field.start, field.end);
    this.capabilityId = capabilityId;
    facts.capability = capabilityId < 0 ? '' : (this.capabilities.strings[capabilityId] as string);
    field.show(buf, fields, columns.numberType, false);
    facts.tollFreeNumberType = this.isTollFreeType();
    field.show(buf, fields, columns.domesticContext, true);
    facts.domestic = equalsLowerAscii(field.bytes, field.start, field.end, 'domestic') ? true : equalsLowerAscii(field.bytes, field.start, field.end, 'international') ? false : null;
  }

  /** Rejects the row whose number (read by readFacts) is not one, naming the column it came from. */
  private rejectNumber(buf: Uint8Array, fields: FieldSpans, line: number, start: number, end: number): void {
    const which = this.facts.direction === 'inbound' && this.numberColumn === this.settings.columns.receivingNumber ? 'receiving' : 'dialled';
    const detail = `the ${which} number "${this.rawText(buf, fields, this.numberColumn)}" is not a phone number: expected an optional +, digits, spaces, -, ., (…) and a trailing * mask`;
    this.reject(line, 'bad-number', detail, buf, start, end);
  }

  /** Rejects the row for what the careful field reader found wrong, quoting the field as written. */
  private rejectFields(outcome: FieldOutcome, buf: Uint8Array, fields: FieldSpans, line: number, start: number, end: number): void {
    const { columns, currency } = this.settings;
    const raw = (index: number) => this.rawText(buf, fields, index);
    const reject = (reason: RejectReason, detail: string) => this.reject(line, reason, detail, buf, start, end);
    switch (outcome) {
      case FieldOutcome.StartEmpty:
        return reject('missing-field', 'Start Time is empty');
      case FieldOutcome.StartNotInstant:
        return reject('bad-time', `Start Time ${quoted(raw(columns.startTime))} is not an ISO 8601 instant`);
      case FieldOutcome.DurationNotSeconds:
        return reject('bad-duration', `Duration ${quoted(raw(columns.duration))} is not a whole, non-negative number of seconds`);
      case FieldOutcome.DurationTooLong:
        return reject('bad-duration', `Duration ${quoted(raw(columns.duration))} is longer than the longest call read, ${MAX_CALL_SECONDS} seconds (30 days)`);
      case FieldOutcome.EndNotInstant:
        return reject('bad-time', `End Time ${quoted(raw(columns.endTime))} is not an ISO 8601 instant`);
      case FieldOutcome.EndBeforeStart:
        return reject('end-before-start', `End Time ${raw(columns.endTime)} is before Start Time ${raw(columns.startTime)}`);
      case FieldOutcome.OtherCurrency:
        return reject('currency-mismatch', `Currency ${quoted(raw(columns.currency))} differs from the scenario's ${currency}`);
      case FieldOutcome.AmountNotDecimal:
        return reject('bad-amount', `Charge ${quoted(raw(columns.charge))} or Connection Fee ${quoted(raw(columns.connectionFee))} is not a non-negative decimal amount`);
      default:
        invariant(false, () => `no reject for field outcome ${outcome}`);
    }
  }

  private reject(line: number, reason: RejectReason, detail: string, buf: Uint8Array, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === 10) stop--;
    if (stop > start && buf[stop - 1] === 13) stop--;
    this.rejects.push({ file: this.settings.file, line, reason, detail, raw: textDecoder.decode(buf.subarray(start, stop)) });
  }

  /** Field `index` as written (escapes undone, not trimmed). */
  private rawText(buf: Uint8Array, fields: FieldSpans, index: number): string {
    this.field.show(buf, fields, index, false);
    return this.field.text();
  }

  /** The call type's direction, looked up once per distinct spelling. */
  private direction(): Direction | undefined {
    const { field } = this;
    const id = this.callTypes.intern(field.bytes, field.start, field.end);
    let info = this.callTypeInfo[id];
    if (info === undefined) {
      const name = this.callTypes.strings[id] as string;
      if (name.length > 3 && name.startsWith('dr_')) info = { direction: 'carrier', name };
      else if (CALL_TYPES.includes(name)) info = { direction: INBOUND_CALL_TYPES.has(name) ? 'inbound' : 'outbound', name };
      else info = null;
      this.callTypeInfo[id] = info;
    }
    if (info === null) return undefined;
    this.facts.callType = info.name;
    return info.direction;
  }

  /**
   * The usage country upper-cased, its text left in countryText: two letters pack into 16 bits;
   * anything else is kept as text only (and packs to 0).
   */
  private countryCode(): number {
    const { field } = this;
    const length = field.end - field.start;
    if (length === 2) {
      const upper = (byte: number) => (byte >= 97 && byte <= 122 ? byte - 32 : byte);
      const packed = (upper(field.bytes[field.start] as number) << 8) | upper(field.bytes[field.start + 1] as number);
      let text = this.countryNames.get(packed);
      if (text === undefined) this.countryNames.set(packed, (text = String.fromCharCode(packed >> 8, packed & 0xff)));
      this.countryText = text;
      return packed;
    }
    this.countryText = length === 0 ? '' : (this.countries.strings[this.countries.intern(field.bytes, field.start, field.end)] as string).toUpperCase();
    return 0;
  }

  /** "toll_free", "TollFree", "Toll-free", "toll free": letters only, case folded. */
  private isTollFreeType(): boolean {
    const word = 'tollfree';
    const { field } = this;
    let matched = 0;
    for (let at = field.start; at < field.end; at++) {
      let byte = field.bytes[at] as number;
      if (byte >= 65 && byte <= 90) byte += 32;
      if (byte < 97 || byte > 122) continue;
      if (matched >= word.length || byte !== word.charCodeAt(matched)) return false;
      matched++;
    }
    return matched === word.length;
  }
}
