import { parseMicros, formatMicros } from '../kernel/money.js';
import { isDomesticPair } from '../rules/e164.js';
import { seededRandom, seededStream, type Random } from '../kernel/random.js';
import { billedSeconds, incrementCount, pieceMicros } from '../rules/increments.js';
import { addCalendarMonths, type EpochMs } from '../kernel/time.js';
import { COUNTRY_NAMES, DESTINATIONS, FIRST_NAMES, LAST_NAMES, SAMPLE_RATES, TOLL_FREE_NUMBERS, USER_MIX, type Destination, type SampleRate } from './catalog.js';

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

export interface User {
  upn: string;
  objectId: string;
  displayName: string;
  country: string;
  capability: string;
  number: string;
  organiser: boolean;
  directRouting: boolean;
  /** How busy the user is relative to others: a few heavy callers make most calls, as in real tenants. */
  activity: number;
}

const KINDS: readonly [CallKind, number][] = [
  ['out-domestic', 42], ['out-international', 9], ['in', 24], ['tollfree-in', 7], ['conf-out', 6], ['conf-in-tollfree', 2],
  ['transfer', 3], ['out-conf', 2], ['direct-routing', 5], ['emergency', 0.05],
];
type CallKind = 'out-domestic' | 'out-international' | 'in' | 'tollfree-in' | 'conf-out' | 'conf-in-tollfree' | 'transfer' | 'out-conf' | 'direct-routing' | 'emergency';
const HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 2, 6, 14, 18, 18, 16, 12, 15, 17, 16, 13, 9, 5, 3, 2, 2, 1, 1];
const ZONE_A_DIALOUT = new Set(['US', 'CA', 'PR', 'GB', 'DE', 'FR', 'IN', 'MX', 'JP', 'AU', 'BR']);

/**
 * Rows per block. Block 0 continues the seed's own stream after the users and start times, so an
 * export of up to this many rows reads as it always did (data/sample was made so); every later
 * block draws from a stream of its own, so blocks can be made in parallel and the bytes still
 * depend only on the options.
 */
export const BLOCK_ROWS = 65_536;

/** The made-up tenant: its users, and who among them calls how often. */
export interface Tenant {
  users: User[];
  pickUser: (uniform: number) => User;
  pickOrganiser: (uniform: number) => User;
}

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
    const kind = pick(KINDS, random);
    const user = kind === 'conf-out' || kind === 'conf-in-tollfree' ? tenant.pickOrganiser(random()) : tenant.pickUser(random());
    yield makeRow(kind, user, startAt, random);
  }
}

function makeTenant(count: number, random: Random): Tenant {
  const users = makeUsers(count, random);
  const organisers = users.filter((user) => user.organiser);
  return {
    users,
    pickUser: weightedPicker(users, users.map((user) => user.activity)),
    pickOrganiser: weightedPicker(organisers, organisers.map((user) => user.activity)),
  };
}

export function sampleRatesCsv(): string {
  const lines = ['service,prefix,destination,per_minute,connection_fee,currency,first_increment_s,next_increment_s,effective_from'];
  for (const rate of SAMPLE_RATES) {
    lines.push([rate.service, rate.prefix, rate.destination, rate.perMinute, rate.connectionFee, 'USD', rate.firstIncrementSeconds, rate.nextIncrementSeconds, ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function makeUsers(count: number, random: Random): User[] {
  const users: User[] = [];
  for (let index = 0; index < count; index++) {
    const mix = pick(USER_MIX.map((entry) => [entry, entry.weight] as const), random);
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] as string;
    // Exports write "Last, First" for some directories and nicknames in quotes for others.
    const displayName = index % 5 === 0 ? `${last}, ${first}` : index % 7 === 0 ? `${first} "${first.slice(0, 2)}" ${last}` : `${first} ${last}`;
    users.push({
      upn: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}${index}@contoso.example`,
      objectId: uuid(random),
      displayName,
      country: mix.country,
      capability: pick(mix.capabilities, random),
      number: ownNumber(mix.country, random),
      organiser: index % 6 === 0,
      directRouting: index % 17 === 3,
      activity: Math.exp(1.2 * gaussian(random)),
    });
  }
  return users;
}

function makeRow(kind: CallKind, user: User, startAt: EpochMs, random: Random): string[] {
  let durationSeconds = Math.min(4 * 3600, Math.round(Math.exp(5.0 + 1.0 * gaussian(random))));
  let callType = 'user_out';
  let numberType = 'user_subscriber';
  let capability = user.capability;
  let upn = user.upn;
  let displayName = user.displayName;
  let destination: Destination = domesticDestination(user.country);
  let dialled = '';
  let receiving = '';
  let conferenceId = '';
  let charged: SampleRate | null = null;

  switch (kind) {
    case 'out-domestic':
    case 'transfer':
    case 'out-conf':
      callType = kind === 'transfer' ? (random() < 0.5 ? 'user_out_transfer' : 'user_out_forwarding') : kind === 'out-conf' ? 'user_out_conf' : 'user_out';
      dialled = numberIn(destination, random);
      if (capability.startsWith('MCOPSTN_PAYG')) charged = rateFor('outbound', dialled);
      break;
    case 'out-international':
      destination = pick(DESTINATIONS.filter((d) => !isDomesticPair(user.country, d.country)).map((d) => [d, d.weight] as const), random);
      dialled = numberIn(destination, random);
      if (capability !== 'MCOPSTN2') charged = rateFor('outbound', dialled);
      break;
    case 'in':
      callType = 'user_in';
      receiving = user.number;
      break;
    case 'tollfree-in':
    case 'conf-in-tollfree': {
      const country = TOLL_FREE_NUMBERS[user.country] === undefined ? 'US' : user.country;
      callType = kind === 'tollfree-in' ? 'ucap_in' : 'conf_in';
      numberType = 'toll_free';
      receiving = `+${TOLL_FREE_NUMBERS[country]}`;
      destination = domesticDestination(country);
      if (kind === 'tollfree-in') {
        upn = `callcenter-${country.toLowerCase()}@contoso.example`;
        displayName = `Call Center ${country}`;
        capability = 'MCOPSTNPP';
      } else {
        capability = 'MCOMEETADD';
        conferenceId = String(100000000 + Math.floor(random() * 899999999));
      }
      charged = rateFor('tollfree_in', receiving);
      break;
    }
    case 'conf-out':
      callType = 'conf_out';
      numberType = 'service';
      capability = 'MCOMEETADD';
      conferenceId = String(100000000 + Math.floor(random() * 899999999));
      destination = pick(DESTINATIONS.map((d) => [d, d.country === user.country ? 30 : d.weight] as const), random);
      dialled = numberIn(destination, random);
      if (!ZONE_A_DIALOUT.has(destination.country)) charged = rateFor('dialout', dialled);
      break;
    case 'direct-routing':
      callType = random() < 0.6 ? 'dr_out' : 'dr_in';
      capability = 'MCOEV';
      if (callType === 'dr_out') dialled = numberIn(destination, random);
      else receiving = user.number;
      break;
    case 'emergency':
      dialled = user.country === 'US' || user.country === 'CA' ? '911' : user.country === 'GB' ? '999' : '112';
      durationSeconds = 30 + Math.floor(random() * 300);
      break;
  }

  const outbound = dialled !== '';
  const dialledDigits = dialled.replace(/^\+/, '');
  const masked = outbound && destination.masksDigits > 0 ? `${dialled.slice(0, -destination.masksDigits)}${'*'.repeat(destination.masksDigits)}` : dialled;
  const domestic = outbound ? (isDomesticPair(user.country, destination.country) ? 'Domestic' : 'International') : 'Domestic';
  const { fee, charge } = recordedCharge(charged, durationSeconds);
  return [
    uuid(random),
    uuid(random),
    conferenceId,
    user.country,
    user.objectId,
    upn,
    displayName,
    outbound ? masked : receiving,
    callType,
    numberType,
    random() < 0.03 ? '' : domestic,
    COUNTRY_NAMES[destination.country] ?? destination.country,
    outbound ? (dialledDigits.length <= 3 ? dialled : masked) : receiving,
    isoSeconds(startAt),
    isoSeconds(startAt + durationSeconds * 1000),
    String(durationSeconds),
    fee,
    charge,
    'USD',
    capability,
  ];
}

const PRICES = new Map(SAMPLE_RATES.map((rate) => [rate, { price: parseMicros(rate.perMinute) as number, fee: formatMicros(parseMicros(rate.connectionFee) as number, 2) }]));

/** What the vendor would have billed for a call that the generator knows pays from credits. */
function recordedCharge(rate: SampleRate | null, durationSeconds: number): { fee: string; charge: string } {
  if (rate === null) return { fee: '0', charge: '0' };
  const { price, fee } = PRICES.get(rate) as { price: number; fee: string };
  const charge = pieceMicros(price, billedSeconds(incrementCount(durationSeconds, rate), rate), 0, 10_000);
  return { fee, charge: centsText(charge) };
}

/** Micros that are whole cents as "12.34", without decimal.js: this runs once per charged row. */
function centsText(micros: number): string {
  const cents = micros / 10_000;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** "2026-01-05T10:00:00Z" for a whole-second instant; the date part is computed once per day. */
let cachedDay = -1;
let cachedDate = '';
function isoSeconds(at: EpochMs): string {
  const day = Math.floor(at / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const second = Math.floor((at - day * 86_400_000) / 1000);
  const two = (value: number) => (value < 10 ? `0${value}` : String(value));
  return `${cachedDate}${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}Z`;
}

function rateFor(service: SampleRate['service'], number: string): SampleRate | null {
  const digits = number.replace(/\D/g, '');
  let best: SampleRate | null = null;
  for (const rate of SAMPLE_RATES) {
    if (rate.service === service && digits.startsWith(rate.prefix) && (best === null || rate.prefix.length > best.prefix.length)) best = rate;
  }
  return best;
}

function domesticDestination(country: string): Destination {
  return DESTINATIONS.find((d) => d.country === country) as Destination;
}

function numberIn(destination: Destination, random: Random): string {
  const prefix = destination.prefixes[Math.floor(random() * destination.prefixes.length)] as Destination['prefixes'][number];
  let digits = prefix.digits;
  for (let i = 0; i < prefix.rest; i++) digits += String(Math.floor(random() * 10));
  return `+${digits}`;
}

function ownNumber(country: string, random: Random): string {
  const area: Record<string, string> = { US: '1425555', CA: '1416555', GB: '44207946', DE: '493012345' };
  let digits = area[country] ?? '1425555';
  while (digits.length < (country === 'GB' || country === 'DE' ? 12 : 11)) digits += String(Math.floor(random() * 10));
  return `+${digits}`;
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

function pick<T>(weighted: readonly (readonly [T, number])[], random: Random): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let ticket = random() * total;
  for (const [value, weight] of weighted) {
    if (ticket < weight) return value;
    ticket -= weight;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

/** Draws from `items` in proportion to `weights` with one uniform: a binary search of the running totals. */
function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (uniform: number) => T {
  const totals = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => (totals[index] = total += weight));
  return (uniform) => {
    const ticket = uniform * total;
    let low = 0;
    let high = totals.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((totals[middle] as number) > ticket) high = middle;
      else low = middle + 1;
    }
    return items[low] as T;
  };
}

/** Standard normal from two uniforms (Box-Muller). */
function gaussian(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const HEX_CODES = [...'0123456789abcdef'].map((char) => char.charCodeAt(0));
const UUID_CODES = new Array<number>(36);
const DASH = 45;

/** A v4-looking UUID from 32 draws (the 13th and 17th are drawn but fixed to 4 and a, as before). */
function uuid(random: Random): string {
  let at = 0;
  for (let i = 0; i < 32; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) UUID_CODES[at++] = DASH;
    const code = HEX_CODES[Math.floor(random() * 16)] as number;
    UUID_CODES[at++] = i === 12 ? 52 : i === 16 ? 97 : code;
  }
  return String.fromCharCode(...UUID_CODES);
}
