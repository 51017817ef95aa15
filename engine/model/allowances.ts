
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
