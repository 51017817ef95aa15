import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../kernel/errors.js';
import { readJsonFile } from '../read-json.js';
import { SCENARIO_FILE_LIMIT } from '../input-limits.js';
import { formatMicros, microsPerMinorUnit, minorDigitsOf, parseMicros } from '../../kernel/money.js';
import { parseInstant, parseOffsetMinutes, type EpochMs } from '../../kernel/time.js';
import { EXHAUSTION_MODELS, type RechargePolicy, type TopUp } from '../../model/credits-policy.js';
import { amountProblem, foldUpn, MAX_PURCHASED_MICROS, purchaseProblem, type CgratesRating, type Scenario } from '../../model/scenario.js';
import type { Allowances } from '../../model/allowances.js';
import { checkPlans, plansSchema, toPlans } from './load-plans.js';

const MAX_PERIOD_MS = 10 * 366 * 24 * 3600 * 1000;
const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal amount as a string, like "100.00"');
const instantText = z.string().refine((text) => parseInstant(text) !== undefined, 'expected an ISO 8601 instant, like "2026-01-01T00:00:00Z"');

const schema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code, like "USD"').default('USD'),
  start: instantText.nullable().default(null),
  end: instantText.nullable().default(null),
  timeZone: z.string().refine((text) => parseOffsetMinutes(text) !== undefined, 'expected a UTC offset, like "Z" or "-05:00"').default('Z'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  allowances: z.string().min(1).nullable().default(null),
  billing: z.enum(['prepaid', 'postpaid']).default('prepaid'),
  licenses: z
    .array(
      z.strictObject({
        capability: z.string().min(1),
        country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 two-letter code').optional(),
        users: z.number().int().min(0).max(10_000_000),
        from: instantText.optional(),
        to: instantText.optional(),
      }),
    )
    .max(10_000)
    .default([]),
  plans: plansSchema,
  credits: z
    .strictObject({
      initial: decimalText.default('0'),
      exhaustion: z.enum(EXHAUSTION_MODELS as ['overdraft', 'cut']).default('overdraft'),
      licensed: z.union([z.literal('all'), z.literal('none'), z.array(z.string().min(1)).max(1_000_000)]).default('all'),
      resourceAccounts: z
        .union([z.literal('all'), z.literal('none'), z.array(z.string().min(1)).max(1_000_000)], { error: 'expected "all", "none" or a list of the phone numbers the licensed resource accounts answer' })
        .default('all'),
      minimumPurchase: decimalText.default('50'),
      expiryMonths: z.number().int().min(1).max(120).default(12),
      autoRecharge: z
        .strictObject({
          trigger: decimalText,
          amount: decimalText,
          mode: z.enum(['with', 'to']).default('with'),
          compare: z.enum(['<', '<=']).default('<'),
          delaySeconds: z.number().int().min(0).max(90 * 24 * 3600).default(0),
          failFrom: instantText.nullable().default(null),
          failProbability: z.number().min(0).max(1).default(0),
          disableAfterFailures: z.number().int().min(1).max(1_000_000).nullable().default(null),
        })
        .nullable()
        .default(null),
      topups: z.array(z.strictObject({ at: instantText, amount: decimalText })).max(100_000).default([]),
    })
    .default({ initial: '0', exhaustion: 'overdraft', licensed: 'all', resourceAccounts: 'all', minimumPurchase: '50', expiryMonths: 12, autoRecharge: null, topups: [] }),
  rating: z
    .strictObject({
      source: z.enum(['rates', 'recorded', 'cgrates']).default('rates'),
      rates: z.array(z.string().min(1)).max(1000).default([]),
      poolRounding: z.enum(['minute', 'second']).default('minute'),
      tariffPlan: z.string().min(1).optional(),
      tenant: z.string().min(1).optional(),
      category: z.string().min(1).optional(),
      subject: z.string().min(1).optional(),
    })
    .default({ source: 'rates', rates: [], poolRounding: 'minute' }),
});

/**
 * Reads and validates a scenario file; the first problem stops the run naming its JSON path.
 * Paths inside it are relative to it, and kept relative to the working directory so that reports
 * name files the same way on every machine.
 */
export function loadScenario(file: string, defaultAllowancesFile: string): Scenario {
  const json = readJsonFile(file, SCENARIO_FILE_LIMIT);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? '(top level)' : pathText(issue.path);
    throw new InputError(`${file}: ${path}: ${issue?.message ?? 'invalid'}${valueAt(json, issue?.path ?? [])}`);
  }
  return toScenario(parsed.data, file, defaultAllowancesFile);
}

type Parsed = z.infer<typeof schema>;
type Fail = (path: string, message: string) => never;

/**
 * The validated scenario. Checks run in a fixed order (currency, minimum purchase, period, rating,
 * auto-recharge, top-ups, initial funding), so the same file always stops at the same problem.
 */
function toScenario(data: Parsed, file: string, defaultAllowancesFile: string): Scenario {
  const fail: Fail = (path, message) => {
    throw new InputError(`${file}: ${path}: ${message}`);
  };
  const minorDigits = minorDigitsOf(data.currency) ?? fail('currency', `"${data.currency}" is not a currency this runtime knows`);
  const amounts = amountReader(data.currency, minorDigits, data.credits.minimumPurchase, fail);
  const { start, end } = period(data, fail);
  if (data.rating.source === 'rates' && data.rating.rates.length === 0) {
    fail('rating.rates', 'list at least one rate table when rating.source is "rates"');
  }
  if (data.billing === 'postpaid') checkPostpaidCredits(data.credits, fail);
  const here = dirname(resolve(file));
  const cgrates = cgratesRating(data.rating, here, parseOffsetMinutes(data.timeZone) as number, amounts.minorUnitMicros, fail);
  return {
    file,
    currency: data.currency,
    minorDigits,
    minorUnitMicros: amounts.minorUnitMicros,
    start,
    end,
    offsetMinutes: parseOffsetMinutes(data.timeZone) as number,
    licenses: toLicenses(data.licenses, fail),
    plans: toPlans(data.plans, file),
    headcount: [],
    allowancesFile: data.allowances === null ? defaultAllowancesFile : (relative(process.cwd(), resolve(here, data.allowances)) || '.'),
    seed: data.seed,
    billing: data.billing,
    credits: toCredits(data.credits, amounts, start, end, fail),
    rating: {
      source: data.rating.source,
      rateFiles: data.rating.rates.map((path) => relative(process.cwd(), resolve(here, path)) || '.'),
      poolRounding: data.rating.poolRounding,
      ...(cgrates === undefined ? {} : { cgrates }),
    },
  };
}

const CGRATES_KEYS = ['tariffPlan', 'tenant', 'category', 'subject'] as const;

/** `rating.source: "cgrates"` needs the tariff plan and the profile's tenant, category and subject; other sources take none of them. */
function cgratesRating(rating: Parsed['rating'], here: string, offsetMinutes: number, minorUnitMicros: number, fail: Fail): CgratesRating | undefined {
  if (rating.source !== 'cgrates') {
    const stray = CGRATES_KEYS.find((key) => rating[key] !== undefined);
    if (stray !== undefined) fail(`rating.${stray}`, `only read when rating.source is "cgrates", not "${rating.source}"`);
    return undefined;
  }
  if (rating.rates.length > 0) fail('rating.rates', 'not read when rating.source is "cgrates" (the tariff plan prices every call): remove it');
  const missing = CGRATES_KEYS.find((key) => rating[key] === undefined);
  if (missing !== undefined) fail(`rating.${missing}`, `required when rating.source is "cgrates" (${CGRATES_KEYS.join(', ')}; subject is one account or "upn")`);
  return {
    tariffPlan: relative(process.cwd(), resolve(here, rating.tariffPlan as string)) || '.',
    tenant: rating.tenant as string,
    category: rating.category as string,
    subject: rating.subject as string,
    offsetMinutes,
    minorUnitMicros,
  };
}

/** Amounts in the scenario's currency: exact to its minor unit, purchases at least the minimum. */
interface AmountReader {
  minorDigits: number;
  minorUnitMicros: number;
  minimumPurchaseMicros: number;
  amount(path: string, text: string): number;
  /** A purchase: more than zero (or zero when allowed, meaning none) and at least the minimum. */
  purchase(path: string, text: string, allowZero: boolean): number;
}

function amountReader(currency: string, minorDigits: number, minimumPurchase: string, fail: Fail): AmountReader {
  const minorUnitMicros = microsPerMinorUnit(minorDigits);
  const amount = (path: string, text: string): number => {
    const micros = parseMicros(text) ?? fail(path, `"${text}" is not an amount`);
    if (micros % minorUnitMicros !== 0) fail(path, `"${text}" has more decimals than ${currency} allows (${minorDigits})`);
    const tooLarge = amountProblem(micros, text, minorDigits);
    if (tooLarge !== null) fail(path, tooLarge);
    return micros;
  };
  const minimumPurchaseMicros = amount('credits.minimumPurchase', minimumPurchase);
  const purchase = (path: string, text: string, allowZero: boolean): number => {
    const micros = amount(path, text);
    const problem = purchaseProblem(micros, text, minimumPurchaseMicros, minorDigits, allowZero);
    if (problem !== null) fail(path, problem);
    return micros;
  };
  return { minorDigits, minorUnitMicros, minimumPurchaseMicros, amount, purchase };
}

function period(data: Parsed, fail: Fail): { start: EpochMs | null; end: EpochMs | null } {
  const start = data.start === null ? null : (parseInstant(data.start) as number);
  const end = data.end === null ? null : (parseInstant(data.end) as number);
  if (start !== null && end !== null && end <= start) fail('end', `${data.end} is not after start ${data.start}`);
  if (start !== null && end !== null && end - start > MAX_PERIOD_MS) fail('end', 'the period is longer than ten years');
  return { start, end };
}

function toCredits(credits: Parsed['credits'], amounts: AmountReader, start: EpochMs | null, end: EpochMs | null, fail: Fail): Scenario['credits'] {
  const autoRecharge = toAutoRecharge(credits.autoRecharge, amounts, fail);
  const topUps = toTopUps(credits.topups, amounts, start, end, fail);
  const initialMicros = amounts.purchase('credits.initial', credits.initial, true);
  // Each amount fits; their sum must too (recharges are held to the same bound as they happen).
  const bought = topUps.reduce((sum, topUp) => sum + topUp.amountMicros, initialMicros);
  if (bought > MAX_PURCHASED_MICROS) {
    fail('credits.topups', `the initial funding and the ${topUps.length} top-up(s) add up to more than ${formatMicros(MAX_PURCHASED_MICROS, amounts.minorDigits)}, the most one run may buy in all (so that every total stays exact)`);
  }
  return {
    initialMicros,
    exhaustion: credits.exhaustion,
    licensed:
      credits.licensed === 'all' || credits.licensed === 'none'
        ? { kind: credits.licensed }
        : { kind: 'list', upns: new Set(credits.licensed.map(foldUpn)) },
    resourceAccounts: toResourceAccounts(credits.resourceAccounts, fail),
    minimumPurchaseMicros: amounts.minimumPurchaseMicros,
    expiryMonths: credits.expiryMonths,
    autoRecharge,
    topUps,
  };
}

/** Resource accounts by the number they answer, kept as E.164 digits: "+1 800 555-0100" is 18005550100. */
function toResourceAccounts(accounts: Parsed['credits']['resourceAccounts'], fail: Fail): Scenario['credits']['resourceAccounts'] {
  if (accounts === 'all' || accounts === 'none') return { kind: accounts };
  const numbers = accounts.map((text, index) => {
    const digits = text.trim().replace(/^\+/, '').replace(/[\s().-]/g, '');
    if (!/^\d{1,32}$/.test(digits)) fail(`credits.resourceAccounts[${index}]`, `${quoted(text)} is not a phone number: expected an optional +, digits and the separators people type (space, -, ., parentheses)`);
    return digits;
  });
  return { kind: 'list', numbers: new Set(numbers) };
}

function toAutoRecharge(recharge: Parsed['credits']['autoRecharge'], amounts: AmountReader, fail: Fail): RechargePolicy | null {
  if (recharge === null) return null;
  const path = 'credits.autoRecharge';
  const triggerMicros = amounts.amount(`${path}.trigger`, recharge.trigger);
  // In mode "with" the amount is what each recharge buys, so it is held to the minimum purchase;
  // in mode "to" it is a balance level, not a purchase.
  const amountMicros = recharge.mode === 'with' ? amounts.purchase(`${path}.amount`, recharge.amount, false) : amounts.amount(`${path}.amount`, recharge.amount);
  if (recharge.mode === 'to' && amountMicros <= triggerMicros) {
    fail(`${path}.amount`, `in mode "to" the level to fill up to (${recharge.amount}) must be above the trigger (${recharge.trigger})`);
  }
  return {
    triggerMicros,
    amountMicros,
    mode: recharge.mode,
    compare: recharge.compare,
    delaySeconds: recharge.delaySeconds,
    failFrom: recharge.failFrom === null ? null : (parseInstant(recharge.failFrom) as number),
    failProbability: recharge.failProbability,
    disableAfterFailures: recharge.disableAfterFailures,
  };
}

/** Top-ups in time order (ties in file order), each a purchase inside the period. */
function toTopUps(topups: Parsed['credits']['topups'], amounts: AmountReader, start: EpochMs | null, end: EpochMs | null, fail: Fail): TopUp[] {
  const sorted = topups
    .map((topUp, index) => ({ at: parseInstant(topUp.at) as number, amountMicros: amounts.purchase(`credits.topups[${index}].amount`, topUp.amount, false), index }))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  for (const topUp of sorted) {
    if ((start !== null && topUp.at < start) || (end !== null && topUp.at >= end)) {
      fail(`credits.topups[${topUp.index}].at`, 'is outside the scenario period (from start, before end)');
    }
  }
  return sorted.map(({ at, amountMicros }) => ({ at, amountMicros }));
}

/**
 * A postpaid tenant buys no credits (DOMAIN §8): an initial funding, a top-up or an auto-recharge
 * in its scenario would be money the replay cannot place, so it is pointed out, not ignored.
 */
function checkPostpaidCredits(credits: Parsed['credits'], fail: Fail): void {
  const why = 'has no meaning when billing is "postpaid" (credit-funded minutes are invoiced monthly; nothing is bought): remove it or set billing to "prepaid"';
  if (parseMicros(credits.initial) !== 0) fail('credits.initial', why);
  if (credits.autoRecharge !== null) fail('credits.autoRecharge', why);
  if (credits.topups.length > 0) fail('credits.topups', why);
  // No balance runs short, so neither model applies; a "cut" there would be silently not done.
  if (credits.exhaustion === 'cut') fail('credits.exhaustion', 'has no meaning when billing is "postpaid" (there is no balance to run short: credit-funded minutes are invoiced monthly): remove it or set billing to "prepaid"');
}

type ParsedLicense = Parsed['licenses'][number];

/**
 * Licence entries as given: entries for the same capability and country add up (DOMAIN §2), but an
 * exact repeat of one is a mistake (a line pasted twice), not twice the licences.
 */
function toLicenses(entries: readonly ParsedLicense[], fail: Fail): Scenario['licenses'] {
  const firstIndexOf = new Map<string, number>();
  return entries.map((entry, index) => {
    const from = entry.from === undefined ? null : (parseInstant(entry.from) as number);
    const to = entry.to === undefined ? null : (parseInstant(entry.to) as number);
    if (from !== null && to !== null && to <= from) fail(`licenses[${index}].to`, `${entry.to} is not after from ${entry.from} (to is exclusive)`);
    const key = JSON.stringify([entry.capability, entry.country ?? null, entry.users, from, to]);
    const earlier = firstIndexOf.get(key);
    if (earlier !== undefined) {
      const dates = from === null && to === null ? '' : `, from ${entry.from ?? 'the start'} to ${entry.to ?? 'no end'}`;
      fail(`licenses[${index}]`, `repeats licenses[${earlier}] exactly (${quoted(entry.capability)}, country ${entry.country ?? 'all'}, ${entry.users} users${dates}); entries for the same capability and country add up, so give each licence once`);
    }
    firstIndexOf.set(key, index);
    return { capability: entry.capability, country: entry.country ?? null, users: entry.users, from, to };
  });
}

/**
 * Every licence entry names a capability of the allowances file, exactly (no other case, no spaces):
 * an entry that matches nothing would leave its pool sized by "users seen" without a word.
 * `scenario.licenses` keeps the file's order, so an index here is the JSON path's.
 */
export function checkLicenses(scenario: Scenario, allowances: Allowances): void {
  checkPlans(scenario, allowances);
  scenario.licenses.forEach((entry, index) => {
    if (allowances.has(entry.capability)) return;
    const known = [...new Set(allowances.rows.map((row) => row.capability))].join(', ');
    throw new InputError(`${scenario.file}: licenses[${index}].capability: ${quoted(entry.capability)} is not a capability of the allowances file (known: ${known})`);
  });
}

/** A value from the file in a message: JSON-quoted (control characters escaped), at most 60 characters of it. */
function quoted(text: string): string {
  return text.length <= 60 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 60))}…`;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

function valueAt(json: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return '';
    value = (value as Record<PropertyKey, unknown>)[key as string];
  }
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
}
