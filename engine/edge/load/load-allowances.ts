import { InputError, place } from '../../kernel/errors.js';
import { ALLOWANCE_KINDS, Allowances, type Allowance, type AllowanceKind } from '../../model/allowances.js';
import { readCsvTable } from './csv-table.js';

/** The allowances file: every bad cell stops the run naming its file, line and value. */
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
