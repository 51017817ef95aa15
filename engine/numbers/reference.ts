import { readCsvTable } from '../io/csv-table.js';
import { InputError, place } from '../errors.js';
import { PrefixMap } from './prefix-map.js';

/** Numbering facts the rules need: which country a number is in, toll-free ranges, emergency numbers. */
export interface NumberingPlan {
  countryByPrefix: PrefixMap<string>;
  tollFreePrefixes: PrefixMap<string>;
  emergencyNumbers: ReadonlySet<string>;
  zoneA: ReadonlySet<string>;
}

export function countryOfNumber(plan: NumberingPlan, digits: string): string | undefined {
  return plan.countryByPrefix.longestMatch(digits)?.value;
}

export function isTollFreeNumber(plan: NumberingPlan, digits: string): boolean {
  return plan.tollFreePrefixes.longestMatch(digits) !== undefined;
}

export interface NumberingFiles {
  callingCodes: string;
  tollFree: string;
  emergency: string;
  zoneA: string;
}

export function loadNumberingPlan(files: NumberingFiles): NumberingPlan {
  return {
    countryByPrefix: prefixTable(files.callingCodes, 'country'),
    tollFreePrefixes: prefixTable(files.tollFree, 'range'),
    emergencyNumbers: new Set(readCsvTable(files.emergency, ['number']).map((row) => digitsCell(files.emergency, row.line, row.field('number')))),
    zoneA: new Set(readCsvTable(files.zoneA, ['country']).map((row) => row.field('country').trim().toUpperCase())),
  };
}

function prefixTable(file: string, valueColumn: string): PrefixMap<string> {
  const map = new PrefixMap<string>();
  for (const row of readCsvTable(file, ['prefix', valueColumn])) {
    map.set(digitsCell(file, row.line, row.field('prefix')), row.field(valueColumn).trim());
  }
  return map;
}

function digitsCell(file: string, line: number, text: string): string {
  const digits = text.trim().replace(/^\+/, '');
  if (!/^\d{1,15}$/.test(digits)) throw new InputError(`${place(file, line)}: "${text}" is not E.164 digits`);
  return digits;
}
