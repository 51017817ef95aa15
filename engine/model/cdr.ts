import type { EpochMs } from '../kernel/time.js';

/** The closed set of reasons a CDR row is not used. */
export const REJECT_REASONS = [
  'malformed-row',
  'missing-field',
  'bad-time',
  'end-before-start',
  'bad-duration',
  'bad-amount',
  'unknown-call-type',
  'unknown-capability',
  'no-allowance',
  'unknown-destination',
  'currency-mismatch',
  'no-rate',
  'duplicate-usage-id',
  'outside-period',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Reject {
  file: string;
  line: number;
  reason: RejectReason;
  /** What was wrong, naming the field and value: `Start Time "2026-02-30T10:00:00Z" is not a valid instant`. */
  detail: string;
  raw: string;
}

export type Direction = 'inbound' | 'outbound' | 'carrier';

/** One call, whatever export it came from: what the rules of DOMAIN.md need and nothing else. */
export interface Call {
  file: string;
  fileIndex: number;
  line: number;
  usageId: string;
  upn: string;
  /** ISO 3166 alpha-2 of the user's usage location. */
  userCountry: string;
  callType: string;
  direction: Direction;
  /** The Number Type column names toll-free. */
  tollFreeNumberType: boolean;
  /** From the export's Domestic/International column; null where it is empty. */
  domestic: boolean | null;
  /** Digits of the number that matters: dialled (outbound) or receiving (inbound). */
  numberDigits: string;
  numberMasked: boolean;
  startAt: EpochMs;
  durationSeconds: number;
  capability: string;
  /** The export's own Charge + Connection Fee; null where the row has neither. */
  recordedMicros: number | null;
  /** The row as read, kept so a row rejected by a later stage can still be shown whole. */
  raw: string;
}

/** Raw field values under the names every reader maps its columns to. */
export interface CdrFields {
  usageId: string;
  upn: string;
  userCountry: string;
  callType: string;
  numberType: string;
  domesticContext: string;
  dialledNumber: string;
  receivingNumber: string;
  startTime: string;
  endTime: string;
  duration: string;
  connectionFee: string;
  charge: string;
  currency: string;
  capability: string;
}

export const INBOUND_CALL_TYPES = new Set(['user_in', 'conf_in', 'ucap_in', 'unassigned_in']);
export const OUTBOUND_CALL_TYPES = new Set([
  'user_out',
  'user_out_conf',
  'user_out_transfer',
  'user_out_forwarding',
  'conf_out',
  'ucap_out',
]);

