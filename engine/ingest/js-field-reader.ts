import { DURATION_TOO_LONG, fingerprintBytes, fingerprintHalves, instantParts, parseDurationBytes, parseInstantParts, parseMicrosBytes } from './bytes.js';
import type { FieldSpans } from './csv-scanner.js';
import { FieldView } from './field-view.js';
import { FieldOutcome, Slot, NO_RECORDED_CHARGE, type FieldColumns, type FieldReader } from './scanner.js';

/**
 * The JavaScript FieldReader: reads any record, escaped fields and all, and says which field
 * makes a row a reject, in the order the decoder has always checked them. It never declines, so
 * it is also the careful reader the decoder turns to when the WebAssembly one declines a record.
 */
export class JsFieldReader implements FieldReader {
  readonly values = new Int32Array(Slot.Count);
  readonly micros = new Float64Array(1);
  readonly arenas = null;
  private columns: FieldColumns = { startTime: -1, endTime: -1, duration: -1, charge: -1, connectionFee: -1, usageId: -1, upn: -1, currency: -1 };
  private currency = '';
  private readonly field = new FieldView();

  bindColumns(columns: FieldColumns, currency: string): void {
    this.columns = columns;
    this.currency = currency;
  }

  read(buf: Uint8Array, fields: FieldSpans): FieldOutcome {
    const { columns, field, values } = this;
    field.show(buf, fields, columns.startTime, true);
    if (field.empty) return FieldOutcome.StartEmpty;
    if (!parseInstantParts(field.bytes, field.start, field.end)) return FieldOutcome.StartNotInstant;
    const startDays = instantParts[0] as number;
    const startMs = instantParts[1] as number;

    field.show(buf, fields, columns.duration, false);
    const durationSeconds = parseDurationBytes(field.bytes, field.start, field.end);
    if (durationSeconds < 0) return durationSeconds === DURATION_TOO_LONG ? FieldOutcome.DurationTooLong : FieldOutcome.DurationNotSeconds;

    field.show(buf, fields, columns.endTime, true);
    if (!field.empty) {
      if (!parseInstantParts(field.bytes, field.start, field.end)) return FieldOutcome.EndNotInstant;
      const endAt = (instantParts[0] as number) * 86_400_000 + (instantParts[1] as number);
      if (endAt < startDays * 86_400_000 + startMs) return FieldOutcome.EndBeforeStart;
    }

    field.show(buf, fields, columns.currency, true);
    if (!field.empty && !this.isCurrency()) return FieldOutcome.OtherCurrency;

    const recorded = this.recordedCharge(buf, fields);
    if (Number.isNaN(recorded)) return FieldOutcome.AmountNotDecimal;

    field.show(buf, fields, columns.usageId, true);
    let usageHashHigh = 0;
    let usageHashLow = 0;
    if (!field.empty) {
      fingerprintBytes(field.bytes, field.start, field.end);
      usageHashHigh = (fingerprintHalves[0] as number) | 1;
      usageHashLow = fingerprintHalves[1] as number;
    }
    values[Slot.StartDays] = startDays;
    values[Slot.StartMs] = startMs;
    values[Slot.DurationSeconds] = durationSeconds;
    values[Slot.UsageHashHigh] = usageHashHigh;
    values[Slot.UsageHashLow] = usageHashLow;
    // The decoder interns the UPN itself.
    values[Slot.HasUpn] = 0;
    this.micros[0] = recorded;
    return FieldOutcome.Read;
  }

  /** The field shown is the scenario's currency, ASCII letters case-folded. */
  private isCurrency(): boolean {
    const { field, currency } = this;
    if (field.end - field.start !== currency.length) return false;
    for (let i = 0; i < currency.length; i++) {
      let byte = field.bytes[field.start + i] as number;
      if (byte >= 97 && byte <= 122) byte -= 32;
      if (byte !== currency.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Charge + Connection Fee in micros; NO_RECORDED_CHARGE when both are empty; NaN when either is not a non-negative decimal. */
  private recordedCharge(buf: Uint8Array, fields: FieldSpans): number {
    const { columns, field } = this;
    field.show(buf, fields, columns.charge, true);
    const chargeEmpty = field.empty;
    const charge = chargeEmpty ? 0 : parseMicrosBytes(field.bytes, field.start, field.end);
    field.show(buf, fields, columns.connectionFee, true);
    const feeEmpty = field.empty;
    const fee = feeEmpty ? 0 : parseMicrosBytes(field.bytes, field.start, field.end);
    if (chargeEmpty && feeEmpty) return NO_RECORDED_CHARGE;
    if (!(charge >= 0) || !(fee >= 0)) return NaN;
    return charge + fee;
  }
}
