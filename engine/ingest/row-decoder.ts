import { INBOUND_CALL_TYPES, OUTBOUND_CALL_TYPES, type Direction, type Reject, type RejectReason } from '../model/cdr.js';
import type { ColumnBuilder } from '../columns/call-columns.js';
import type { ColumnIndex } from '../model/export-columns.js';
import { DialledNumber } from '../rules/digit-trie.js';
import { RATE_SERVICES } from '../model/rate-row.js';
import { type RateTable } from '../rules/rate-table.js';
import { classifyInto, emptyClassification, type CallFacts, type Rules } from '../rules/classify.js';
import { formatInstant } from '../kernel/time.js';
import { equalsLowerAscii, fingerprintBytes, fingerprintHalves, instantParts, parseDurationBytes, parseInstantParts, parseMicrosBytes, trimEnd, trimStart } from './bytes.js';
import type { FieldSpans } from './csv-scanner.js';
import { ByteInterner } from './interner.js';
import type { SimdRecordScanner } from './simd-scanner.js';

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
  private readonly scratch = new Uint8Array(4096);
  // The span of the field last asked for: the record's own bytes, or the unescaped copy in scratch.
  private b: Uint8Array = this.scratch;
  private s = 0;
  private e = 0;

  /** With `wasm`, records come from its buffer and spans, and it reads their numeric fields. */
  constructor(
    private readonly settings: DecoderSettings,
    private readonly rules: Rules,
    private readonly rates: RateTable | null,
    readonly builder: ColumnBuilder,
    private readonly wasm?: SimdRecordScanner,
  ) {
    wasm?.bindColumns(settings.columns, settings.currency);
    const arenas = wasm?.arenas;
    this.users = new ByteInterner(true, false, arenas?.users);
    this.capabilities = new ByteInterner(false, true, arenas?.capabilities);
    this.countries = new ByteInterner(false, true, arenas?.countries);
    this.callTypes = new ByteInterner(true, true, arenas?.callTypes);
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

  /** `byteBase` is the file offset of buf[0]. */
  decode(buf: Uint8Array, fields: FieldSpans, start: number, end: number, line: number, byteBase: number): void {
    if (fields.count === 1 && fields.ends[0] === fields.starts[0]) return;
    this.rowsRead++;
    const { columns, headerFields } = this.settings;
    if (fields.count !== headerFields) {
      return this.reject(line, 'malformed-row', `${fields.count} fields, expected ${headerFields} as in the header`, buf, start, end);
    }
    const facts = this.facts;

    this.span(buf, fields, columns.callType, true);
    const direction = this.direction();
    if (direction === undefined) return this.reject(line, 'unknown-call-type', `Call Type "${this.text()}" is not a known PSTN call type`, buf, start, end);
    facts.direction = direction;

    let startAt: number;
    let durationSeconds: number;
    let recorded: number;
    let usageHashHigh = 0;
    let usageHashLow = 0;
    const wasm = this.wasm;
    let upnRead = false;
    if (wasm !== undefined && wasm.readRowFields() && !(wasm.hasEnd && wasm.endDays * 86_400_000 + wasm.endMs < wasm.startDays * 86_400_000 + wasm.startMs)) {
      upnRead = wasm.hasUpn;
      // The common row: its times, duration, amounts and UsageId read in WebAssembly, all valid.
      startAt = wasm.startDays * 86_400_000 + wasm.startMs;
      durationSeconds = wasm.durationSeconds;
      recorded = wasm.recordedMicros;
      usageHashHigh = wasm.usageHashHigh;
      usageHashLow = wasm.usageHashLow;
      if (!wasm.currencyAccepted && this.rejectedCurrency(buf, fields, line, start, end)) return;
    } else {
      this.span(buf, fields, columns.startTime, true);
      if (this.s === this.e) return this.reject(line, 'missing-field', 'Start Time is empty', buf, start, end);
      if (!parseInstantParts(this.b, this.s, this.e)) return this.reject(line, 'bad-time', `Start Time "${this.rawText(buf, fields, columns.startTime)}" is not an ISO 8601 instant`, buf, start, end);
      startAt = (instantParts[0] as number) * 86_400_000 + (instantParts[1] as number);

      this.span(buf, fields, columns.duration, false);
      durationSeconds = parseDurationBytes(this.b, this.s, this.e);
      if (durationSeconds < 0) return this.reject(line, 'bad-duration', `Duration "${this.rawText(buf, fields, columns.duration)}" is not a whole, non-negative number of seconds`, buf, start, end);

      this.span(buf, fields, columns.endTime, true);
      if (this.s !== this.e) {
        if (!parseInstantParts(this.b, this.s, this.e)) return this.reject(line, 'bad-time', `End Time "${this.rawText(buf, fields, columns.endTime)}" is not an ISO 8601 instant`, buf, start, end);
        const endAt = (instantParts[0] as number) * 86_400_000 + (instantParts[1] as number);
        if (endAt < startAt) {
          return this.reject(line, 'end-before-start', `End Time ${this.rawText(buf, fields, columns.endTime)} is before Start Time ${this.rawText(buf, fields, columns.startTime)}`, buf, start, end);
        }
      }

      if (this.rejectedCurrency(buf, fields, line, start, end)) return;

      recorded = this.recordedCharge(buf, fields);
      if (Number.isNaN(recorded)) {
        return this.reject(line, 'bad-amount', `Charge "${this.rawText(buf, fields, columns.charge)}" or Connection Fee "${this.rawText(buf, fields, columns.connectionFee)}" is not a non-negative decimal amount`, buf, start, end);
      }
      this.span(buf, fields, columns.usageId, true);
      if (this.s !== this.e) {
        fingerprintBytes(this.b, this.s, this.e);
        usageHashHigh = (fingerprintHalves[0] as number) | 1;
        usageHashLow = fingerprintHalves[1] as number;
      }
    }

    this.span(buf, fields, columns.receivingNumber, true);
    if (direction !== 'inbound' || this.s === this.e) this.span(buf, fields, columns.dialledNumber, true);
    facts.number.readBytes(this.b, this.s, this.e);

    this.span(buf, fields, columns.userCountry, true);
    const country = this.countryCode();
    facts.userCountry = this.countryText;
    this.span(buf, fields, columns.capability, true);
    const capabilityId = this.s === this.e ? -1 : this.capabilities.intern(this.b, this.s, this.e);
    facts.capability = capabilityId < 0 ? '' : (this.capabilities.strings[capabilityId] as string);
    this.span(buf, fields, columns.numberType, false);
    facts.tollFreeNumberType = this.isTollFreeType();
    this.span(buf, fields, columns.domesticContext, true);
    facts.domestic = equalsLowerAscii(this.b, this.s, this.e, 'domestic') ? true : equalsLowerAscii(this.b, this.s, this.e, 'international') ? false : null;

    const { start: periodStart, end: periodEnd } = this.settings;
    if ((periodStart !== null && startAt < periodStart) || (periodEnd !== null && startAt >= periodEnd)) {
      return this.reject(line, 'outside-period', `Start Time ${formatInstant(startAt)} is outside the scenario period ${formatInstant(periodStart ?? startAt)} to ${formatInstant(periodEnd ?? startAt)}`, buf, start, end);
    }
    const classified = classifyInto(facts, this.rules, this.classification);
    if (classified.reject !== null) return this.reject(line, classified.reject, classified.detail, buf, start, end);

    let user: number;
    if (upnRead && wasm !== undefined) user = this.users.internHashed(buf, wasm.upnStart, wasm.upnEnd, wasm.upnHash);
    else {
      this.span(buf, fields, columns.upn, true);
      user = this.users.intern(this.b, this.s, this.e);
    }
    const rate = this.rates === null ? -1 : this.rates.lookupIndex(RATE_SERVICES[classified.service] ?? 'outbound', facts.number, startAt);
    // Straight into the columns: a row object between would box its doubles on the heap.
    const c = this.builder.reserve();
    const i = c.count++;
    c.startAt[i] = startAt;
    c.durationSeconds[i] = durationSeconds;
    c.route[i] = classified.route;
    c.allowance[i] = classified.allowance;
    c.service[i] = classified.service;
    c.rate[i] = rate;
    c.user[i] = user;
    c.capability[i] = capabilityId;
    c.country[i] = country;
    c.recordedMicros[i] = recorded;
    c.line[i] = line;
    c.byteOffset[i] = byteBase + start;
    c.usageHashHigh[i] = usageHashHigh;
    c.usageHashLow[i] = usageHashLow;
  }

  /** Rejects the row when it names a currency other than the scenario's (an empty one is the scenario's). */
  private rejectedCurrency(buf: Uint8Array, fields: FieldSpans, line: number, start: number, end: number): boolean {
    const { columns, currency } = this.settings;
    this.span(buf, fields, columns.currency, true);
    if (this.s === this.e || this.isCurrency(currency)) return false;
    this.reject(line, 'currency-mismatch', `Currency "${this.rawText(buf, fields, columns.currency)}" differs from the scenario's ${currency}`, buf, start, end);
    return true;
  }

  private reject(line: number, reason: RejectReason, detail: string, buf: Uint8Array, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === 10) stop--;
    if (stop > start && buf[stop - 1] === 13) stop--;
    this.rejects.push({ file: this.settings.file, line, reason, detail, raw: textDecoder.decode(buf.subarray(start, stop)) });
  }

  /** Points b/s/e at field `index` (empty when the export has no such column), unescaping "" and trimming if asked. */
  private span(buf: Uint8Array, fields: FieldSpans, index: number, trim: boolean): void {
    if (index < 0) {
      this.b = this.scratch;
      this.s = this.e = 0;
      return;
    }
    let b = buf;
    let s = fields.starts[index] as number;
    let e = fields.ends[index] as number;
    if (fields.escaped[index] === 1 && e - s <= this.scratch.length) {
      let length = 0;
      for (let at = s; at < e; at++) {
        this.scratch[length++] = b[at] as number;
        if (b[at] === 34) at++;
      }
      b = this.scratch;
      s = 0;
      e = length;
    }
    if (trim) {
      s = trimStart(b, s, e);
      e = trimEnd(b, s, e);
    }
    this.b = b;
    this.s = s;
    this.e = e;
  }

  private text(): string {
    return textDecoder.decode(this.b.subarray(this.s, this.e));
  }

  private rawText(buf: Uint8Array, fields: FieldSpans, index: number): string {
    this.span(buf, fields, index, false);
    return this.text();
  }

  /** The call type's direction, looked up once per distinct spelling. */
  private direction(): Direction | undefined {
    const id = this.callTypes.intern(this.b, this.s, this.e);
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
    const length = this.e - this.s;
    if (length === 2) {
      const upper = (byte: number) => (byte >= 97 && byte <= 122 ? byte - 32 : byte);
      const packed = (upper(this.b[this.s] as number) << 8) | upper(this.b[this.s + 1] as number);
      let text = this.countryNames.get(packed);
      if (text === undefined) this.countryNames.set(packed, (text = String.fromCharCode(packed >> 8, packed & 0xff)));
      this.countryText = text;
      return packed;
    }
    this.countryText = length === 0 ? '' : (this.countries.strings[this.countries.intern(this.b, this.s, this.e)] as string).toUpperCase();
    return 0;
  }

  private isCurrency(currency: string): boolean {
    if (this.e - this.s !== currency.length) return false;
    for (let i = 0; i < currency.length; i++) {
      let byte = this.b[this.s + i] as number;
      if (byte >= 97 && byte <= 122) byte -= 32;
      if (byte !== currency.charCodeAt(i)) return false;
    }
    return true;
  }

  /** "toll_free", "TollFree", "Toll-free", "toll free": letters only, case folded. */
  private isTollFreeType(): boolean {
    const word = 'tollfree';
    let matched = 0;
    for (let at = this.s; at < this.e; at++) {
      let byte = this.b[at] as number;
      if (byte >= 65 && byte <= 90) byte += 32;
      if (byte < 97 || byte > 122) continue;
      if (matched >= word.length || byte !== word.charCodeAt(matched)) return false;
      matched++;
    }
    return matched === word.length;
  }

  /** Charge + Connection Fee in micros; NO_RECORDED_CHARGE when both are empty; NaN when either is not a non-negative decimal. */
  private recordedCharge(buf: Uint8Array, fields: FieldSpans): number {
    const { columns } = this.settings;
    this.span(buf, fields, columns.charge, true);
    const chargeEmpty = this.s === this.e;
    const charge = chargeEmpty ? 0 : parseMicrosBytes(this.b, this.s, this.e);
    this.span(buf, fields, columns.connectionFee, true);
    const feeEmpty = this.s === this.e;
    const fee = feeEmpty ? 0 : parseMicrosBytes(this.b, this.s, this.e);
    if (chargeEmpty && feeEmpty) return NO_RECORDED_CHARGE;
    if (!(charge >= 0) || !(fee >= 0)) return NaN;
    return charge + fee;
  }
}

/** Marks "no recorded charge" in the recordedMicros column, distinct from NaN (a bad amount). */
export const NO_RECORDED_CHARGE = -1;
