import type { CdrFields } from './cdr.js';

/** How one export names the fields creditcast reads; matched case-insensitively, in any order. */
export interface ColumnSpec {
  format: 'teams-csv' | 'legacy-tsv';
  /** Header names for each field, first found wins; a required field must have one present. */
  columns: Readonly<Record<keyof CdrFields, readonly string[]>>;
  required: readonly (keyof CdrFields)[];
}

export const TEAMS_EXPORT: ColumnSpec = {
  format: 'teams-csv',
  columns: {
    usageId: ['UsageId'],
    upn: ['UPN'],
    userCountry: ['User Location'],
    callType: ['Call Type'],
    numberType: ['Number Type'],
    domesticContext: ['Domestic/International'],
    dialledNumber: ['Destination Number'],
    // The vendor defines Caller ID as the number that received an inbound call.
    receivingNumber: ['Caller ID'],
    startTime: ['Start Time'],
    endTime: ['End Time'],
    duration: ['Duration Seconds'],
    connectionFee: ['Connection Fee'],
    charge: ['Charge'],
    currency: ['Currency'],
    capability: ['Capability'],
  },
  required: ['usageId', 'upn', 'userCountry', 'callType', 'dialledNumber', 'receivingNumber', 'startTime', 'duration', 'capability'],
};

export const LEGACY_EXPORT: ColumnSpec = {
  format: 'legacy-tsv',
  columns: {
    usageId: [],
    upn: ['User ID'],
    userCountry: ['User location'],
    callType: ['Call type'],
    numberType: ['Number type'],
    domesticContext: ['Domestic/International'],
    // The legacy export has no destination number: Caller ID is the number dialled (outbound) or
    // the number that received the call (inbound).
    dialledNumber: ['Caller ID'],
    receivingNumber: ['Caller ID'],
    startTime: ['Start Time (UTC)', 'Start Time'],
    endTime: [],
    duration: ['Duration'],
    connectionFee: [],
    charge: ['Charge'],
    currency: ['Currency'],
    capability: ['Capability'],
  },
  required: ['upn', 'userCountry', 'callType', 'dialledNumber', 'startTime', 'duration', 'capability'],
};

export type ColumnIndex = Readonly<Record<keyof CdrFields, number>>;

/**
 * Field name → column position (-1 when absent); or the first required field the header lacks; or
 * a name of a column creditcast reads that the header has more than once (which one to read would
 * be a guess), with its 1-based positions.
 */
export function indexColumns(header: readonly string[], spec: ColumnSpec): ColumnIndex | { missing: string } | { duplicate: string; positions: number[] } {
  const positions = new Map<string, number[]>();
  header.forEach((name, at) => {
    const key = name.trim().toLowerCase();
    const seen = positions.get(key);
    if (seen === undefined) positions.set(key, [at]);
    else seen.push(at);
  });
  const index = {} as Record<keyof CdrFields, number>;
  for (const field of Object.keys(spec.columns) as (keyof CdrFields)[]) {
    const names = spec.columns[field];
    const repeated = names.find((name) => (positions.get(name.toLowerCase())?.length ?? 0) > 1);
    if (repeated !== undefined) return { duplicate: repeated, positions: (positions.get(repeated.toLowerCase()) as number[]).map((at) => at + 1) };
    const found = names.map((name) => positions.get(name.toLowerCase())?.[0]).find((at) => at !== undefined);
    if (found === undefined && spec.required.includes(field)) return { missing: names[0] ?? field };
    index[field] = found ?? -1;
  }
  return index;
}
