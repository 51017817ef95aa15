import { formatMicros, parseMicros } from '../kernel/money.js';
import type { Random } from '../kernel/random.js';
import type { EpochMs } from '../kernel/time.js';
import { isDomesticPair } from '../rules/e164.js';
import { billedSeconds, incrementCount, pieceMicros } from '../rules/increments.js';
import { COUNTRY_NAMES, DESTINATIONS, SAMPLE_RATES, TOLL_FREE_NUMBERS, type Destination, type SampleRate } from './catalog.js';
import { gaussian, pick, uuid } from './draws.js';
import type { User } from './tenant.js';

export type CallKind = 'out-domestic' | 'out-international' | 'in' | 'tollfree-in' | 'conf-out' | 'conf-in-tollfree' | 'transfer' | 'out-conf' | 'direct-routing' | 'emergency';

/** How often each kind of call happens, relative to the others. */
export const CALL_KIND_WEIGHTS: readonly [CallKind, number][] = [
  ['out-domestic', 42], ['out-international', 9], ['in', 24], ['tollfree-in', 7], ['conf-out', 6], ['conf-in-tollfree', 2],
  ['transfer', 3], ['out-conf', 2], ['direct-routing', 5], ['emergency', 0.05],
];

const ZONE_A_DIALOUT = new Set(['US', 'CA', 'PR', 'GB', 'DE', 'FR', 'IN', 'MX', 'JP', 'AU', 'BR']);

/** What the kind of a call decides about its row, before the columns are written. */
interface CallShape {
  durationSeconds: number;
  callType: string;
  numberType: string;
  capability: string;
  upn: string;
  displayName: string;
  destination: Destination;
  /** The number called out to, or '' for a call that came in. */
  dialled: string;
  /** The number called, for a call that came in. */
  receiving: string;
  conferenceId: string;
  /** The sample rate the vendor would bill the call at, or null when it is free or pool-funded. */
  charged: SampleRate | null;
}

/**
 * One export row for a call of `kind` made or taken by `user`. The draws come in a fixed order (the
 * duration, the kind's own draws, the two ids, the blank Domestic/International column), so the same
 * seed always writes the same rows.
 */
export function makeRow(kind: CallKind, user: User, startAt: EpochMs, random: Random): string[] {
  return rowColumns(shapeCall(kind, user, random), user, startAt, random);
}

function shapeCall(kind: CallKind, user: User, random: Random): CallShape {
  const call: CallShape = {
    durationSeconds: Math.min(4 * 3600, Math.round(Math.exp(5.0 + 1.0 * gaussian(random)))),
    callType: 'user_out',
    numberType: 'user_subscriber',
    capability: user.capability,
    upn: user.upn,
    displayName: user.displayName,
    destination: domesticDestination(user.country),
    dialled: '',
    receiving: '',
    conferenceId: '',
    charged: null,
  };
  switch (kind) {
    case 'out-domestic':
    case 'transfer':
    case 'out-conf':
      shapeDomesticOut(call, kind, random);
      break;
    case 'out-international':
      shapeInternationalOut(call, user, random);
      break;
    case 'in':
      call.callType = 'user_in';
      call.receiving = user.number;
      break;
    case 'tollfree-in':
    case 'conf-in-tollfree':
      shapeTollFreeIn(call, kind, user, random);
      break;
    case 'conf-out':
      shapeConferenceDialOut(call, user, random);
      break;
    case 'direct-routing':
      shapeDirectRouting(call, user, random);
      break;
    case 'emergency':
      call.dialled = user.country === 'US' || user.country === 'CA' ? '911' : user.country === 'GB' ? '999' : '112';
      call.durationSeconds = 30 + Math.floor(random() * 300);
      break;
  }
  return call;
}

function shapeDomesticOut(call: CallShape, kind: 'out-domestic' | 'transfer' | 'out-conf', random: Random): void {
  call.callType = kind === 'transfer' ? (random() < 0.5 ? 'user_out_transfer' : 'user_out_forwarding') : kind === 'out-conf' ? 'user_out_conf' : 'user_out';
  call.dialled = numberIn(call.destination, random);
  if (call.capability.startsWith('MCOPSTN_PAYG')) call.charged = rateFor('outbound', call.dialled);
}

function shapeInternationalOut(call: CallShape, user: User, random: Random): void {
  call.destination = pick(DESTINATIONS.filter((d) => !isDomesticPair(user.country, d.country)).map((d) => [d, d.weight] as const), random);
  call.dialled = numberIn(call.destination, random);
  if (call.capability === 'MCOPSTN2') return;
  call.charged = rateFor('outbound', call.dialled);
  // A real export names the licence that paid the call: an international call on a domestic plan
  // is paid by Communications Credits. A pay-as-you-go plan pays its own calls.
  if (!call.capability.startsWith('MCOPSTN_PAYG')) call.capability = 'MCOPSTNPP';
}

/** A call to the tenant's toll-free number: a call centre's line, or a conference's dial-in. */
function shapeTollFreeIn(call: CallShape, kind: 'tollfree-in' | 'conf-in-tollfree', user: User, random: Random): void {
  const country = TOLL_FREE_NUMBERS[user.country] === undefined ? 'US' : user.country;
  call.callType = kind === 'tollfree-in' ? 'ucap_in' : 'conf_in';
  call.numberType = 'toll_free';
  call.receiving = `+${TOLL_FREE_NUMBERS[country]}`;
  call.destination = domesticDestination(country);
  if (kind === 'tollfree-in') {
    call.upn = `callcenter-${country.toLowerCase()}@contoso.example`;
    call.displayName = `Call Center ${country}`;
    call.capability = 'MCOPSTNPP';
  } else {
    call.capability = 'MCOMEETADD';
    call.conferenceId = conferenceId(random);
  }
  call.charged = rateFor('tollfree_in', call.receiving);
}

/** A conference calling a participant out: home-country numbers are the likeliest. */
function shapeConferenceDialOut(call: CallShape, user: User, random: Random): void {
  call.callType = 'conf_out';
  call.numberType = 'service';
  call.capability = 'MCOMEETADD';
  call.conferenceId = conferenceId(random);
  call.destination = pick(DESTINATIONS.map((d) => [d, d.country === user.country ? 30 : d.weight] as const), random);
  call.dialled = numberIn(call.destination, random);
  if (!ZONE_A_DIALOUT.has(call.destination.country)) call.charged = rateFor('dialout', call.dialled);
}

function shapeDirectRouting(call: CallShape, user: User, random: Random): void {
  call.callType = random() < 0.6 ? 'dr_out' : 'dr_in';
  call.capability = 'MCOEV';
  if (call.callType === 'dr_out') call.dialled = numberIn(call.destination, random);
  else call.receiving = user.number;
}

/** The export's columns (TEAMS_HEADER order) for a shaped call. */
function rowColumns(call: CallShape, user: User, startAt: EpochMs, random: Random): string[] {
  const { destination, dialled, receiving, durationSeconds } = call;
  const outbound = dialled !== '';
  const dialledDigits = dialled.replace(/^\+/, '');
  const masked = outbound && destination.masksDigits > 0 ? `${dialled.slice(0, -destination.masksDigits)}${'*'.repeat(destination.masksDigits)}` : dialled;
  const domestic = outbound ? (isDomesticPair(user.country, destination.country) ? 'Domestic' : 'International') : 'Domestic';
  const { fee, charge } = recordedCharge(call.charged, durationSeconds);
  return [
    uuid(random),
    uuid(random),
    call.conferenceId,
    user.country,
    user.objectId,
    call.upn,
    call.displayName,
    outbound ? masked : receiving,
    call.callType,
    call.numberType,
    random() < 0.03 ? '' : domestic,
    COUNTRY_NAMES[destination.country] ?? destination.country,
    outbound ? (dialledDigits.length <= 3 ? dialled : masked) : receiving,
    isoSeconds(startAt),
    isoSeconds(startAt + durationSeconds * 1000),
    String(durationSeconds),
    fee,
    charge,
    'USD',
    call.capability,
  ];
}

function conferenceId(random: Random): string {
  return String(100000000 + Math.floor(random() * 899999999));
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
