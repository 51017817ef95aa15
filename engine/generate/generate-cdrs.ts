import { seededRandom, seededStream, type Random } from '../kernel/random.js';
import { addCalendarMonths, type EpochMs } from '../kernel/time.js';
import { SAMPLE_RATES } from './catalog.js';
import { CALL_KIND_WEIGHTS, makeRow } from './call-row.js';
import { pick } from './draws.js';
import { makeTenant, type Tenant } from './tenant.js';

export const TEAMS_HEADER = [
  'UsageId', 'Call ID', 'Conference ID', 'User Location', 'AAD ObjectId', 'UPN', 'User Display Name', 'Caller ID', 'Call Type',
  'Number Type', 'Domestic/International', 'Destination Dialed', 'Destination Number', 'Start Time', 'End Time',
  'Duration Seconds', 'Connection Fee', 'Charge', 'Currency', 'Capability',
] as const;

export interface GenerateOptions {
  rows: number;
  users: number;
  from: EpochMs;
  months: number;
  seed: number;
}

const HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 2, 6, 14, 18, 18, 16, 12, 15, 17, 16, 13, 9, 5, 3, 2, 2, 1, 1];

/**
 * Rows per block. Block 0 continues the seed's own stream after the users and start times, so an
 * export of up to this many rows is drawn from that one stream (data/sample is such an export); every later
 * block draws from a stream of its own, so blocks can be made in parallel and the bytes still
 * depend only on the options.
 */
export const BLOCK_ROWS = 65_536;

/** Everything drawn before the rows: the tenant, every row's start time (sorted), and the stream block 0 goes on with. */
export function planGeneration(options: GenerateOptions): { tenant: Tenant; starts: Float64Array; random: Random } {
  const random = seededRandom(options.seed);
  const tenant = makeTenant(options.users, random);
  const end = addCalendarMonths(options.from, options.months, 0);
  return { tenant, starts: startTimes(options.rows, options.from, end, random), random };
}

/** The tenant alone (a worker's view: the users are the seed's first draws). */
export function tenantOf(options: GenerateOptions): Tenant {
  return makeTenant(options.users, seededRandom(options.seed));
}

/** The stream of block `block` (1 and up). */
export function blockRandom(seed: number, block: number): Random {
  return seededStream(seed, block);
}

/**
 * A realistic Teams PSTN usage export for a made-up tenant: office-hours and weekday seasonality,
 * log-normal durations, a country mix, toll-free numbers, conference dial-outs, Direct Routing rows,
 * masked numbers and display names that need quoting. Same options, same rows.
 */
export function* generateRows(options: GenerateOptions): Generator<string[]> {
  const { tenant, starts, random } = planGeneration(options);
  for (let block = 0; block * BLOCK_ROWS < options.rows; block++) {
    yield* blockRows(tenant, starts.subarray(block * BLOCK_ROWS, (block + 1) * BLOCK_ROWS), block === 0 ? random : blockRandom(options.seed, block));
  }
}

/** The rows of one block, one per start time. */
export function* blockRows(tenant: Tenant, starts: Float64Array, random: Random): Generator<string[]> {
  for (const startAt of starts) {
    const kind = pick(CALL_KIND_WEIGHTS, random);
    const user = kind === 'conf-out' || kind === 'conf-in-tollfree' ? tenant.pickOrganiser(random()) : tenant.pickUser(random());
    yield makeRow(kind, user, startAt, random);
  }
}

export function sampleRatesCsv(): string {
  const lines = ['service,prefix,destination,per_minute,connection_fee,currency,first_increment_s,next_increment_s,effective_from'];
  for (const rate of SAMPLE_RATES) {
    lines.push([rate.service, rate.prefix, rate.destination, rate.perMinute, rate.connectionFee, 'USD', rate.firstIncrementSeconds, rate.nextIncrementSeconds, ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Start times over [from, end): weekdays busier than weekends, office hours busier than nights. */
function startTimes(count: number, from: EpochMs, end: EpochMs, random: Random): Float64Array {
  const days = Math.round((end - from) / 86_400_000);
  const hourTotal = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const starts = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let day: number;
    do day = Math.floor(random() * days);
    while (isWeekend(from + day * 86_400_000) && random() > 0.15);
    let ticket = random() * hourTotal;
    let hour = 0;
    while (ticket >= (HOUR_WEIGHTS[hour] as number)) ticket -= HOUR_WEIGHTS[hour++] as number;
    starts[i] = from + day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 3600) * 1000;
  }
  return starts.sort();
}

function isWeekend(at: EpochMs): boolean {
  const weekday = new Date(at).getUTCDay();
  return weekday === 0 || weekday === 6;
}
