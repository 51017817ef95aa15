import type { Exhaustion, RechargePolicy, TopUp } from './credits-policy.js';
import { InputError } from '../kernel/errors.js';
import { formatMicros } from '../kernel/money.js';
import { formatInstant, type EpochMs } from '../kernel/time.js';

export interface LicenseCount {
  capability: string;
  /** Pool country; null for tenant-wide licences (Audio Conferencing). */
  country: string | null;
  users: number;
  /** When the entry starts counting; null: before any call. */
  from: EpochMs | null;
  /** When it stops (exclusive); null: never. */
  to: EpochMs | null;
}

/**
 * How credit-funded minutes are paid (DOMAIN §8): from a prepaid Communications Credits balance, or
 * invoiced after each calendar month, with no balance that can run out.
 */
export type Billing = 'prepaid' | 'postpaid';

/** A forecast's change in headcount for a (capability, country): users and their traffic scale by `factor`. */
export interface HeadcountChange {
  capability: string;
  /** Null: every country. */
  country: string | null;
  factor: number;
}

/** A user's calling plan as the scenario names it (`plans`), for the calls the export records as paid by a payment source. */
export interface UserPlan {
  /** Folded by foldUpn. */
  upn: string;
  capability: string;
  /** Where the scenario names it (JSON path or file:line), for messages. */
  at: string;
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
  /** Users' calling plans (`plans`); none when absent. */
  plans?: UserPlan[];
  /** Set by forecasts (--headcount): licensed users per pool scale with these. */
  headcount: HeadcountChange[];
  allowancesFile: string;
  seed: number;
  billing: Billing;
  credits: {
    initialMicros: number;
    /** When the balance runs short: overdraft (the default, the vendor's) or cut. */
    exhaustion: Exhaustion;
    licensed: CreditsLicensed;
    /** Which resource accounts (auto attendants, call queues) hold the credits licence (DOMAIN §4). */
    resourceAccounts: ResourceAccounts;
    minimumPurchaseMicros: number;
    expiryMonths: number;
    autoRecharge: RechargePolicy | null;
    topUps: TopUp[];
  };
  rating: {
    source: 'rates' | 'recorded' | 'cgrates';
    rateFiles: string[];
    poolRounding: PoolRounding;
    /** With source `cgrates`: the CGRateS tariff plan that prices credit-funded calls. */
    cgrates?: CgratesRating;
  };
}

/**
 * A CGRateS tariff plan as a scenario's rate source: the rating profile's tenant and category, and
 * its subject, one account for every call or, with `upn`, the caller's UPN (as foldUpn leaves it).
 * The offset and minor unit are the scenario's, copied here so reference loaders need nothing else.
 */
export interface CgratesRating {
  tariffPlan: string;
  tenant: string;
  category: string;
  subject: string;
  offsetMinutes: number;
  minorUnitMicros: number;
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

/**
 * Licensed resource accounts, by the phone number they answer (E.164 digits, no "+"): DOMAIN §4
 * names them apart from users, since their rows carry no UPN.
 */
export type ResourceAccounts = { kind: 'all' } | { kind: 'none' } | { kind: 'list'; numbers: ReadonlySet<string> };

/**
 * The user a resource account's row (`ucap_in` or `ucap_out` with an empty UPN) is counted as:
 * "resource account +<the number that received the call>", or, for an outbound row, which names
 * only the number dialled, "resource account (outbound)". A UPN has no spaces, so no user's UPN is
 * taken for one. Lower case: the name is interned with the users, which folds.
 */
export const RESOURCE_ACCOUNT = 'resource account';

export function resourceAccountName(answeredDigits: string | null): string {
  return answeredDigits === null ? `${RESOURCE_ACCOUNT} (outbound)` : `${RESOURCE_ACCOUNT} +${answeredDigits}`;
}

/** Whether a user of the table (a folded UPN or a resource account's name) may draw on credits. */
export function userMayUseCredits(credits: Scenario['credits'], user: string): boolean {
  if (!user.startsWith(`${RESOURCE_ACCOUNT} `)) return mayUseCredits(credits.licensed, user);
  const accounts = credits.resourceAccounts;
  switch (accounts.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'list':
      return user.startsWith(`${RESOURCE_ACCOUNT} +`) && accounts.numbers.has(user.slice(RESOURCE_ACCOUNT.length + 2));
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

/**
 * The most money one run may buy in all: initial funding, top-ups and recharges together, 9,000,000,000
 * units of the currency. Money is integer micros in a double, exact up to 2^53 (about 9.007e15): no
 * ledger figure (spent, forfeited, closing, a month's sums) can exceed what was bought, so with this
 * bound every one is exact. The scenario is held to it when it loads (each amount, and the initial
 * funding with every top-up); recharges, which depend on the traffic, are held to it as they happen.
 */
export const MAX_PURCHASED_MICROS = 9_000_000_000_000_000;

/**
 * Why an amount cannot be one purchase of credits (the initial funding with `allowZero`, a top-up,
 * a recharge in mode "with"), or null when it can: the one rule the scenario and `sweep` both apply.
 * `shown` is the amount as the user wrote it.
 */
export function purchaseProblem(micros: number, shown: string, minimumPurchaseMicros: number, minorDigits: number, allowZero: boolean): string | null {
  if (micros === 0) return allowZero ? null : `${shown} is not a purchase: it must be more than zero`;
  if (micros < minimumPurchaseMicros) return `${shown} is below the minimum purchase of ${formatMicros(minimumPurchaseMicros, minorDigits)} (credits.minimumPurchase)`;
  return amountProblem(micros, shown, minorDigits);
}

/** Why an amount of the scenario or of a sweep is too large to keep every total exact, or null. */
export function amountProblem(micros: number, shown: string, minorDigits: number): string | null {
  if (micros <= MAX_PURCHASED_MICROS) return null;
  return `${shown} is above ${formatMicros(MAX_PURCHASED_MICROS, minorDigits)}, the largest amount allowed (the most one run may buy in all, so that every total stays exact)`;
}
