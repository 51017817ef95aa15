import { formatInstant, parseInstant } from '../engine/kernel/time.js';

/**
 * The Teams PSTN usage export's 20 columns (README, "Input files"), in the header's order, under the names a
 * test writes them by. Written out here, not taken from the engine, so the tests check the engine
 * against the documented format.
 */
const TEAMS_COLUMNS = {
  usageId: 'UsageId',
  callId: 'Call ID',
  conferenceId: 'Conference ID',
  userLocation: 'User Location',
  aadObjectId: 'AAD ObjectId',
  upn: 'UPN',
  userDisplayName: 'User Display Name',
  callerId: 'Caller ID',
  callType: 'Call Type',
  numberType: 'Number Type',
  domesticInternational: 'Domestic/International',
  destinationDialed: 'Destination Dialed',
  destinationNumber: 'Destination Number',
  startTime: 'Start Time',
  endTime: 'End Time',
  durationSeconds: 'Duration Seconds',
  connectionFee: 'Connection Fee',
  charge: 'Charge',
  currency: 'Currency',
  capability: 'Capability',
} as const;

type ExportField = keyof typeof TEAMS_COLUMNS;
/** One export row as a test writes it: any field it names, text or a number. */
export type ExportRow = Partial<Record<ExportField, string | number>>;

const TEAMS_HEADER_LINE = Object.values(TEAMS_COLUMNS).join(',');

/**
 * A row with sensible defaults: Ana, a US user on a Domestic Calling Plan (MCOPSTN1), dials the US
 * number +1 425 555 0100 for 60 s on Monday 5 January 2026 from her own, +1 425 555 0199 (Caller ID,
 * which on an inbound row is the number that received the call). Domestic/International is empty
 * (the engine then tells it from the numbers), so are Charge and Connection Fee (no recorded
 * charge); End Time follows from Start Time and the duration unless a test gives it.
 */
function exportRow(overrides: ExportRow, index: number): Record<ExportField, string> {
  const usageId = String(overrides.usageId ?? `u${index}`);
  const fields: Record<ExportField, string> = {
    usageId,
    callId: `call-${usageId}`,
    conferenceId: '',
    userLocation: 'US',
    aadObjectId: '00000000-0000-4000-a000-000000000001',
    upn: 'ana@contoso.example',
    userDisplayName: 'Ana Smith',
    callerId: '+14255550199',
    callType: 'user_out',
    numberType: 'user_subscriber',
    domesticInternational: '',
    destinationDialed: '',
    destinationNumber: '+14255550100',
    startTime: '2026-01-05T10:00:00Z',
    endTime: '',
    durationSeconds: '60',
    connectionFee: '',
    charge: '',
    currency: 'USD',
    capability: 'MCOPSTN1',
  };
  for (const [field, value] of Object.entries(overrides)) fields[field as ExportField] = String(value);
  if (overrides.endTime === undefined) fields.endTime = endOf(fields.startTime, Number(fields.durationSeconds));
  return fields;
}

/** An export file's text: the header, then the rows as lines 2, 3, ... (UsageIds u0, u1, ... by default). */
export function teamsCsv(rows: readonly ExportRow[]): string {
  return `${TEAMS_HEADER_LINE}\r\n${rows.map((row, index) => `${exportLine(row, index)}\r\n`).join('')}`;
}

/** Row `index` of such a file as one line, without its line break (as a reject's raw text shows it). */
export function exportLine(row: ExportRow, index: number): string {
  const fields = exportRow(row, index);
  return (Object.keys(TEAMS_COLUMNS) as ExportField[]).map((field) => csvField(fields[field])).join(',');
}

function endOf(startTime: string, durationSeconds: number): string {
  const startAt = parseInstant(startTime);
  return startAt === undefined || !Number.isInteger(durationSeconds) ? '' : formatInstant(startAt + durationSeconds * 1000);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
