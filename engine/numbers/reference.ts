import { readCsvTable } from '../io/csv-table.js';
import { InputError, place } from '../errors.js';
import { DigitTrie, DialledNumber } from './digit-trie.js';

/** Numbering facts the rules need: which country a number is in, toll-free ranges, emergency numbers. */
export interface NumberingPlan {
  countries: readonly string[];
  /** Calling-code prefix → index into `countries`. */
  countryTrie: DigitTrie;
  tollFreeTrie: DigitTrie;
  emergencyTrie: DigitTrie;
  zoneA: ReadonlySet<string>;
}

export function countryOfNumber(plan: NumberingPlan, number: DialledNumber): string | undefined {
  const index = plan.countryTrie.longest(number);
  return index < 0 ? undefined : plan.countries[index];
}

export function isTollFreeNumber(plan: NumberingPlan, number: DialledNumber): boolean {
  return plan.tollFreeTrie.longest(number) >= 0;
}

export function isEmergencyNumber(plan: NumberingPlan, number: DialledNumber): boolean {
  return plan.emergencyTrie.exact(number) >= 0;
}

export interface NumberingFiles {
  callingCodes: string;
  tollFree: string;
  emergency: string;
  zoneA: string;
}

export function loadNumberingPlan(files: NumberingFiles): NumberingPlan {
  const countries: string[] = [];
  const countryTrie = new DigitTrie();
  for (const row of readCsvTable(files.callingCodes, ['prefix', 'country'])) {
    const country = row.field('country').trim().toUpperCase();
    let index = countries.indexOf(country);
    if (index < 0) index = countries.push(country) - 1;
    countryTrie.insert(digitsCell(files.callingCodes, row.line, row.field('prefix')), index);
  }
  const tollFreeTrie = new DigitTrie();
  for (const row of readCsvTable(files.tollFree, ['prefix'])) tollFreeTrie.insert(digitsCell(files.tollFree, row.line, row.field('prefix')), 0);
  const emergencyTrie = new DigitTrie();
  for (const row of readCsvTable(files.emergency, ['number'])) emergencyTrie.insert(digitsCell(files.emergency, row.line, row.field('number')), 0);
  return {
    countries,
    countryTrie,
    tollFreeTrie,
    emergencyTrie,
    zoneA: new Set(readCsvTable(files.zoneA, ['country']).map((row) => row.field('country').trim().toUpperCase())),
  };
}

function digitsCell(file: string, line: number, text: string): string {
  const digits = text.trim().replace(/^\+/, '');
  if (!/^\d{1,15}$/.test(digits)) throw new InputError(`${place(file, line)}: "${text}" is not E.164 digits`);
  return digits;
}
