import type { Random } from '../kernel/random.js';
import { FIRST_NAMES, LAST_NAMES, USER_MIX } from './catalog.js';
import { gaussian, pick, uuid, weightedPicker } from './draws.js';

export interface User {
  upn: string;
  objectId: string;
  displayName: string;
  country: string;
  capability: string;
  number: string;
  organiser: boolean;
  directRouting: boolean;
  /** How busy the user is relative to others: a few heavy callers make most calls, as in real tenants. */
  activity: number;
}

/** The made-up tenant: its users, and who among them calls how often. */
export interface Tenant {
  users: User[];
  pickUser: (uniform: number) => User;
  pickOrganiser: (uniform: number) => User;
}

export function makeTenant(count: number, random: Random): Tenant {
  const users = makeUsers(count, random);
  const organisers = users.filter((user) => user.organiser);
  return {
    users,
    pickUser: weightedPicker(users, users.map((user) => user.activity)),
    pickOrganiser: weightedPicker(organisers, organisers.map((user) => user.activity)),
  };
}

function makeUsers(count: number, random: Random): User[] {
  const users: User[] = [];
  for (let index = 0; index < count; index++) {
    const mix = pick(USER_MIX.map((entry) => [entry, entry.weight] as const), random);
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] as string;
    // Exports write "Last, First" for some directories and nicknames in quotes for others.
    const displayName = index % 5 === 0 ? `${last}, ${first}` : index % 7 === 0 ? `${first} "${first.slice(0, 2)}" ${last}` : `${first} ${last}`;
    users.push({
      upn: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}${index}@contoso.example`,
      objectId: uuid(random),
      displayName,
      country: mix.country,
      capability: pick(mix.capabilities, random),
      number: ownNumber(mix.country, random),
      organiser: index % 6 === 0,
      directRouting: index % 17 === 3,
      activity: Math.exp(1.2 * gaussian(random)),
    });
  }
  return users;
}

function ownNumber(country: string, random: Random): string {
  const area: Record<string, string> = { US: '1425555', CA: '1416555', GB: '44207946', DE: '493012345' };
  let digits = area[country] ?? '1425555';
  while (digits.length < (country === 'GB' || country === 'DE' ? 12 : 11)) digits += String(Math.floor(random() * 10));
  return `+${digits}`;
}
