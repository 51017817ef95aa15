import { InputError, place } from '../../kernel/errors.js';
import { DigitTrie } from '../../rules/digit-trie.js';
import type { NumberingPlan } from '../../rules/numbering.js';
import { readCsvTable } from './csv-table.js';

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
