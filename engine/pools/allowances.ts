import { InputError, place } from '../errors.js';
import { readCsvTable } from '../io/csv-table.js';

export const ALLOWANCE_KINDS = [
  'calling_plan',
  'calling_plan_per_user',
  'pay_as_you_go',
  'credits_only',
  'conferencing',
  'conferencing_pay_per_minute',
  'free',
] as const;
export type AllowanceKind = (typeof ALLOWANCE_KINDS)[number];

/** One row of the allowances file: what a licence capability gives in some usage countries. */
export interface Allowance {
  /** Position in the allowances file's rows: how columns and workers refer to it. */
  index: number;
  capability: string;
  kind: AllowanceKind;
  /** Usage countries the row covers; null for every country ("*"). */
  countries: ReadonlySet<string> | null;
  /** Domestic minutes per user (calling plans) or dial-out minutes per licence (conferencing). */
  minutes: number;
  internationalMinutes: number;
  source: string;
}

export type AllowanceLookup = { found: Allowance } | { unknownCapability: true } | { noAllowanceFor: string };

export class Allowances {
  private readonly byCapability = new Map<string, Allowance[]>();

  constructor(readonly rows: readonly Allowance[]) {
    for (const row of rows) {
      const list = this.byCapability.get(row.capability) ?? [];
      list.push(row);
      this.byCapability.set(row.capability, list);
    }
  }

  // Every call asks: answers are kept per (capability, country), found once each.
  private readonly answers = new Map<string, Map<string, AllowanceLookup>>();

  /** The row naming the country, else the capability's "*" row. */
  lookup(capability: string, country: string): AllowanceLookup {
    let byCountry = this.answers.get(capability);
    if (byCountry === undefined) this.answers.set(capability, (byCountry = new Map()));
    let answer = byCountry.get(country);
    if (answer === undefined) byCountry.set(country, (answer = this.find(capability, country)));
    return answer;
  }

  private find(capability: string, country: string): AllowanceLookup {
    const rows = this.byCapability.get(capability);
    if (rows === undefined) return { unknownCapability: true };
    const found = rows.find((row) => row.countries?.has(country)) ?? rows.find((row) => row.countries === null);
    return found === undefined ? { noAllowanceFor: country } : { found };
  }

  has(capability: string): boolean {
    return this.byCapability.has(capability);
  }
}

export function loadAllowances(file: string): Allowances {
  const rows = readCsvTable(file, ['capability', 'kind', 'countries', 'minutes', 'international_minutes']).map((row, index): Allowance => {
    const at = place(file, row.line);
    const kind = row.field('kind').trim() as AllowanceKind;
    if (!ALLOWANCE_KINDS.includes(kind)) throw new InputError(`${at}: kind "${kind}" is not one of ${ALLOWANCE_KINDS.join(', ')}`);
    const capability = row.field('capability').trim();
    if (capability === '') throw new InputError(`${at}: capability is empty`);
    const countriesText = row.field('countries').trim().toUpperCase();
    const countries = countriesText === '*' ? null : new Set(countriesText.split(/\s+/));
    if (countries !== null && [...countries].some((code) => !/^[A-Z]{2}$/.test(code))) {
      throw new InputError(`${at}: countries "${countriesText}" is not "*" or ISO 3166 two-letter codes separated by spaces`);
    }
    const minutes = (name: string): number => {
      const text = row.field(name).trim();
      if (!/^\d+$/.test(text)) throw new InputError(`${at}: ${name} "${text}" is not a whole number of minutes`);
      return Number(text);
    };
    return { index, capability, kind, countries, minutes: minutes('minutes'), internationalMinutes: minutes('international_minutes'), source: at };
  });
  return new Allowances(rows);
}
