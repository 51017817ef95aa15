import { seededRandom, type Random } from '../../engine/kernel/random.js';
import { formatInstant, parseInstant } from '../../engine/kernel/time.js';
import { formatMicros, parseMicros } from '../../engine/kernel/money.js';
import { chargeOf } from '../../engine/infer/fit-rate.js';
import type { InferredRate } from '../../engine/infer/charged-row.js';
import type { ExportRow } from '../teams-export.js';

/** A row of the known price list a test tenant is billed by. */
export interface KnownRate {
  service: 'outbound' | 'dialout' | 'tollfree_in';
  prefix: string;
  perMinute: string;
  fee: string;
  first: number;
  next: number;
  /** '' from the beginning, else a date. */
  effectiveFrom: string;
}

function known(service: KnownRate['service'], prefix: string, perMinute: string, fee: string, first: number, next: number, effectiveFrom = ''): KnownRate {
  return { service, prefix, perMinute, fee, first, next, effectiveFrom };
}

/**
 * The price list: mobile/fixed splits (GB 447, DE 491), connection fees (IN, PH, NG), 1/1 (GB),
 * 30/6 (MX, PH) and 60/60 increments, and one price change (DE fixed: 0.030, then 0.028 from
 * 1 April 2026). Each prefix is the shortest the numbers below tell apart, as the inference writes it.
 */
export const KNOWN_RATES: readonly KnownRate[] = [
  known('outbound', '1', '0.02', '0', 60, 60),
  known('outbound', '44', '0.025', '0', 1, 1),
  known('outbound', '447', '0.12', '0', 1, 1),
  known('outbound', '49', '0.03', '0', 60, 60),
  known('outbound', '49', '0.028', '0', 60, 60, '2026-04-01'),
  known('outbound', '491', '0.15', '0', 60, 60),
  known('outbound', '52', '0.045', '0', 30, 6),
  known('outbound', '63', '0.19', '0.1', 30, 6),
  known('outbound', '91', '0.085', '0.05', 60, 60),
  known('dialout', '234', '0.312', '0.1', 60, 60),
  known('tollfree_in', '1', '0.018', '0', 60, 60),
  known('tollfree_in', '44', '0.045', '0', 1, 1),
];

/** Number beginnings per known prefix's destination: fixed ranges first, then mobile ones. */
const NUMBERS: readonly { service: KnownRate['service']; starts: readonly string[] }[] = [
  { service: 'outbound', starts: ['1212', '1415', '1416', '1604'] },
  { service: 'outbound', starts: ['4420', '4411', '4413', '4416'] },
  { service: 'outbound', starts: ['447700', '447911'] },
  { service: 'outbound', starts: ['4930', '4940', '4989', '4921'] },
  { service: 'outbound', starts: ['4915', '4917', '4916'] },
  { service: 'outbound', starts: ['5255', '5281'] },
  { service: 'outbound', starts: ['632', '639'] },
  { service: 'outbound', starts: ['9122', '919'] },
  { service: 'dialout', starts: ['2341', '2348'] },
  { service: 'tollfree_in', starts: ['1800555', '1888555'] },
  { service: 'tollfree_in', starts: ['44800'] },
];

export function rateOf(rate: KnownRate): InferredRate {
  return { priceMicrosPerMinute: parseMicros(rate.perMinute) as number, connectionMicros: parseMicros(rate.fee) as number, firstIncrementSeconds: rate.first, nextIncrementSeconds: rate.next };
}

/** The known row pricing `digits` at `at`: longest prefix, then latest effective_from not after it. */
export function knownRateFor(service: KnownRate['service'], digits: string, at: number): KnownRate {
  const candidates = KNOWN_RATES.filter((rate) => rate.service === service && digits.startsWith(rate.prefix) && (rate.effectiveFrom === '' || (parseInstant(`${rate.effectiveFrom}T00:00:00Z`) as number) <= at));
  const longest = Math.max(...candidates.map((rate) => rate.prefix.length));
  const onPrefix = candidates.filter((rate) => rate.prefix.length === longest);
  return onPrefix.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0] as KnownRate;
}

const JANUARY = parseInstant('2026-01-01T00:00:00Z') as number;
const SIX_MONTHS_MS = 181 * 86_400_000;

function digitsFrom(start: string, random: Random): string {
  let digits = start;
  while (digits.length < 11) digits += String(Math.floor(random() * 10));
  return digits;
}

/**
 * `perDestination` wholly credit-funded calls to each number range, January to June 2026, charged
 * by the known list: Pay-As-You-Go users dialling out, Audio Conferencing dialling out to Nigeria
 * (outside Zone A), and callers reaching the tenant's toll-free numbers. Seeded, so every run
 * writes the same rows. Charge holds the price part, Connection Fee the fee, as the export does.
 */
export function knownTenantRows(perDestination: number, seed = 7): ExportRow[] {
  const random = seededRandom(seed);
  const rows: ExportRow[] = [];
  for (const { service, starts } of NUMBERS) {
    for (let i = 0; i < perDestination; i++) {
      const digits = digitsFrom(starts[i % starts.length] as string, random);
      const startAt = JANUARY + Math.floor(random() * SIX_MONTHS_MS / 1000) * 1000;
      // Log-normal-ish durations from 1 s to about 40 min: many distinct lengths, as real calls have.
      const durationSeconds = Math.max(1, Math.round(Math.exp(2 + 5 * random())));
      rows.push(chargedRow(service, digits, startAt, durationSeconds));
    }
  }
  return rows;
}

/** One row charged by the known list, funded as `service` says. */
export function chargedRow(service: KnownRate['service'], digits: string, startAt: number, durationSeconds: number, extraMicros = 0): ExportRow {
  const rate = rateOf(knownRateFor(service, digits, startAt));
  const totalMicros = chargeOf(rate, durationSeconds, 10_000) + extraMicros;
  const { fee, charge } = splitFee(totalMicros, rate.connectionMicros);
  const common = { startTime: formatInstant(startAt), durationSeconds, connectionFee: fee, charge, userLocation: 'US' };
  if (service === 'tollfree_in') return { ...common, callType: 'ucap_in', numberType: 'toll_free', callerId: `+${digits}`, destinationNumber: '+14255550199', capability: 'MCOPSTNPP', upn: '' };
  if (service === 'dialout') return { ...common, callType: 'conf_out', numberType: 'service', destinationNumber: `+${digits}`, capability: 'MCOMEETADD' };
  return { ...common, destinationNumber: `+${digits}`, capability: 'MCOPSTN_PAYG_1', domesticInternational: digits.startsWith('1') ? 'Domestic' : 'International' };
}

/** "0.10" and "1.23" from micros: the fee apart, the rest as Charge. */
function splitFee(totalMicros: number, feeMicros: number): { fee: string; charge: string } {
  return { fee: formatMicros(feeMicros, 2), charge: formatMicros(totalMicros - feeMicros, 2) };
}
