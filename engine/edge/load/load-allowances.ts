import { relative } from 'node:path';
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
    const aliasOf = row.field('alias_of').trim();
    if ((kind === 'alias') !== (aliasOf !== '')) {
      throw new InputError(kind === 'alias' ? `${at}: kind "alias" needs the capability it stands for in column alias_of` : `${at}: alias_of "${aliasOf}" is only for kind "alias"`);
    }
    return { index, capability, kind, countries, minutes: minutes('minutes'), internationalMinutes: minutes('international_minutes'), aliasOf, source: at };
  });
  checkAliases(rows);
  // Named as from the working directory (the bundled file's path is absolute), so messages read the same on every machine.
  return new Allowances(rows, relative(process.cwd(), file) || file);
}

/** An alias stands alone for its capability and names a capability with rows of its own (no alias of an alias). */
function checkAliases(rows: readonly Allowance[]): void {
  for (const row of rows) {
    const sameCapability = rows.filter((other) => other.capability === row.capability);
    if (row.kind === 'alias' && sameCapability.length > 1) {
      throw new InputError(`${row.source}: capability "${row.capability}" is an alias here and has other rows (${sameCapability.filter((other) => other !== row)[0]?.source}); an alias is its only row`);
    }
    if (row.kind !== 'alias') continue;
    const target = rows.find((other) => other.capability === row.aliasOf);
    if (target === undefined) throw new InputError(`${row.source}: alias_of "${row.aliasOf}" is not a capability of this file`);
    if (target.kind === 'alias') throw new InputError(`${row.source}: alias_of "${row.aliasOf}" is itself an alias (${target.source}); name the capability it stands for`);
  }
}
