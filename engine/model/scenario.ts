import type { RechargePolicy, TopUp } from './credits-policy.js';
import { InputError } from '../kernel/errors.js';
import { formatInstant, type EpochMs } from '../kernel/time.js';

export interface LicenseCount {
  capability: string;
  /** Pool country; null for tenant-wide licences (Audio Conferencing). */
  country: string | null;
  users: number;
}

/** A forecast's change in headcount for a (capability, country): users and their traffic scale by `factor`. */
export interface HeadcountChange {
  capability: string;
  /** Null: every country. */
  country: string | null;
  factor: number;
}

/** Who may draw on Communications Credits (holders of the MCOPSTNPP licence); `upns` folded by foldUpn. */
export type CreditsLicensed = { kind: 'all' } | { kind: 'none' } | { kind: 'list'; upns: ReadonlySet<string> };

/** A validated scenario: every amount in micros, every time an instant, every path absolute. */
export interface Scenario {
  file: string;
  currency: string;
  minorDigits: number;
  minorUnitMicros: number;
  start: EpochMs | null;
  end: EpochMs | null;
  offsetMinutes: number;
  licenses: LicenseCount[];
  /** Set by forecasts (--headcount): licensed users per pool scale with these. */
  headcount: HeadcountChange[];
  allowancesFile: string;
  seed: number;
  credits: {
    initialMicros: number;
    licensed: CreditsLicensed;
    minimumPurchaseMicros: number;
    expiryMonths: number;
    autoRecharge: RechargePolicy | null;
    topUps: TopUp[];
  };
  rating: {
    source: 'rates' | 'recorded';
    rateFiles: string[];
    poolRounding: PoolRounding;
  };
}

/**
 * The one spelling of a UPN that both sides compare: the scenario's `credits.licensed` list and the
 * users of the CDRs (interned by ingest/row-decoder.ts). Trimmed, Unicode NFC (a precomposed Ü and
 * U + combining diaeresis are one), then case folded as Unicode's full folding does it: upper-casing
 * first makes ß and SS, ς and σ one, and lower-casing after makes every case one. For ASCII it is
 * plain lower-casing. Folding is done once per distinct spelling, never per row.
 */
export function foldUpn(text: string): string {
  return text.trim().normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** `upn` as foldUpn leaves it (the table's users are). */
export function mayUseCredits(licensed: CreditsLicensed, upn: string): boolean {
  switch (licensed.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'list':
      return licensed.upns.has(upn);
  }
}

/** Top-ups are bought inside the period they fund: one outside it is a mistake to point out, not to guess at. */
export function checkTopUps(file: string, topUps: readonly { at: EpochMs }[], start: EpochMs, end: EpochMs): void {
  const outside = topUps.find((topUp) => topUp.at < start || topUp.at >= end);
  if (outside !== undefined) {
    throw new InputError(`${file}: credits.topups: a top-up at ${formatInstant(outside.at)} is outside the period ${formatInstant(start)} to ${formatInstant(end)}`);
  }
}

export type PoolRounding = 'minute' | 'second';
