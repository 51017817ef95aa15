import { INBOUND_CALL_TYPES, OUTBOUND_CALL_TYPES, type Call, type CdrFields, type Direction, type RejectReason } from './call.js';
import { dialledDigits } from '../numbers/e164.js';
import { parseMicros } from '../money.js';
import { parseInstant } from '../time.js';

export interface RowOrigin {
  file: string;
  fileIndex: number;
  line: number;
}

export type Normalized = { ok: true; call: Call } | { ok: false; reason: RejectReason; detail: string };

/** Row rules that need nothing but the row itself (and the scenario's currency). */
export function normalizeRow(fields: CdrFields, origin: RowOrigin, raw: string, currency: string): Normalized {
  const fail = (reason: RejectReason, detail: string): Normalized => ({ ok: false, reason, detail });

  const callType = fields.callType.trim().toLowerCase();
  const direction = directionOf(callType);
  if (direction === undefined) return fail('unknown-call-type', `Call Type "${fields.callType}" is not a known PSTN call type`);

  if (fields.startTime.trim() === '') return fail('missing-field', 'Start Time is empty');
  const startAt = parseInstant(fields.startTime);
  if (startAt === undefined) return fail('bad-time', `Start Time "${fields.startTime}" is not an ISO 8601 instant`);

  const durationSeconds = parseDuration(fields.duration);
  if (durationSeconds === undefined) {
    return fail('bad-duration', `Duration "${fields.duration}" is not a whole, non-negative number of seconds`);
  }
  if (fields.endTime.trim() !== '') {
    const endAt = parseInstant(fields.endTime);
    if (endAt === undefined) return fail('bad-time', `End Time "${fields.endTime}" is not an ISO 8601 instant`);
    if (endAt < startAt) return fail('end-before-start', `End Time ${fields.endTime} is before Start Time ${fields.startTime}`);
  }

  const rowCurrency = fields.currency.trim().toUpperCase();
  if (rowCurrency !== '' && rowCurrency !== currency) {
    return fail('currency-mismatch', `Currency "${fields.currency}" differs from the scenario's ${currency}`);
  }
  const recorded = recordedCharge(fields);
  if (recorded === 'bad') return fail('bad-amount', `Charge "${fields.charge}" or Connection Fee "${fields.connectionFee}" is not a non-negative decimal amount`);

  const numberText = direction === 'inbound' && fields.receivingNumber.trim() !== '' ? fields.receivingNumber : fields.dialledNumber;
  const number = dialledDigits(numberText);
  return {
    ok: true,
    call: {
      file: origin.file,
      fileIndex: origin.fileIndex,
      line: origin.line,
      usageId: fields.usageId.trim(),
      upn: fields.upn.trim().toLowerCase(),
      userCountry: fields.userCountry.trim().toUpperCase(),
      callType,
      direction,
      tollFreeNumberType: isTollFreeNumberType(fields.numberType),
      domestic: domesticFromContext(fields.domesticContext),
      numberDigits: number.digits,
      numberMasked: number.masked,
      startAt,
      durationSeconds,
      capability: fields.capability.trim(),
      recordedMicros: recorded,
      raw,
    },
  };
}

function directionOf(callType: string): Direction | undefined {
  if (callType.startsWith('dr_')) return 'carrier';
  if (INBOUND_CALL_TYPES.has(callType)) return 'inbound';
  if (OUTBOUND_CALL_TYPES.has(callType)) return 'outbound';
  return undefined;
}

/** Seconds as an integer, or the legacy export's h:mm:ss. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const clock = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(trimmed);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return undefined;
}

/** "toll_free", "TollFree", "Toll-free", "toll free": any spelling the exports use. */
export function isTollFreeNumberType(text: string): boolean {
  return text.toLowerCase().replace(/[^a-z]/g, '') === 'tollfree';
}

function domesticFromContext(text: string): boolean | null {
  const value = text.trim().toLowerCase();
  if (value === 'domestic') return true;
  if (value === 'international') return false;
  return null;
}

function recordedCharge(fields: CdrFields): number | null | 'bad' {
  const charge = fields.charge.trim();
  const fee = fields.connectionFee.trim();
  if (charge === '' && fee === '') return null;
  const chargeMicros = charge === '' ? 0 : parseMicros(charge);
  const feeMicros = fee === '' ? 0 : parseMicros(fee);
  if (chargeMicros === undefined || feeMicros === undefined || chargeMicros < 0 || feeMicros < 0) return 'bad';
  return chargeMicros + feeMicros;
}
