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
  'bad-number',
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

