/**
 * What the generator draws from: destinations with how their numbers look and what they cost
 * (sample prices, not the vendor's), and the tenant's user mix.
 */
export interface Destination {
  country: string;
  name: string;
  /** Digits after the country code that start a number, and how many random digits follow. */
  prefixes: readonly { digits: string; rest: number }[];
  /** Share of international and dial-out traffic going there. */
  weight: number;
  /** The export masks the last digits of numbers in some countries. */
  masksDigits: number;
}

export interface SampleRate {
  service: 'outbound' | 'dialout' | 'tollfree_in';
  prefix: string;
  destination: string;
  perMinute: string;
  connectionFee: string;
  firstIncrementSeconds: number;
  nextIncrementSeconds: number;
}

export const DESTINATIONS: readonly Destination[] = [
  { country: 'US', name: 'United States', prefixes: [{ digits: '1212', rest: 7 }, { digits: '1415', rest: 7 }, { digits: '1312', rest: 7 }, { digits: '1206', rest: 7 }], weight: 0, masksDigits: 0 },
  { country: 'CA', name: 'Canada', prefixes: [{ digits: '1416', rest: 7 }, { digits: '1604', rest: 7 }], weight: 6, masksDigits: 0 },
  { country: 'PR', name: 'Puerto Rico', prefixes: [{ digits: '1787', rest: 7 }], weight: 1, masksDigits: 0 },
  { country: 'GB', name: 'United Kingdom', prefixes: [{ digits: '4420', rest: 8 }, { digits: '447', rest: 9 }], weight: 10, masksDigits: 0 },
  { country: 'DE', name: 'Germany', prefixes: [{ digits: '4930', rest: 8 }, { digits: '4915', rest: 9 }], weight: 8, masksDigits: 3 },
  { country: 'FR', name: 'France', prefixes: [{ digits: '331', rest: 8 }], weight: 5, masksDigits: 0 },
  { country: 'IN', name: 'India', prefixes: [{ digits: '9122', rest: 8 }, { digits: '919', rest: 9 }], weight: 7, masksDigits: 0 },
  { country: 'MX', name: 'Mexico', prefixes: [{ digits: '5255', rest: 8 }], weight: 5, masksDigits: 0 },
  { country: 'JP', name: 'Japan', prefixes: [{ digits: '813', rest: 8 }], weight: 3, masksDigits: 0 },
  { country: 'AU', name: 'Australia', prefixes: [{ digits: '612', rest: 8 }], weight: 3, masksDigits: 0 },
  { country: 'BR', name: 'Brazil', prefixes: [{ digits: '5511', rest: 8 }], weight: 2, masksDigits: 0 },
  { country: 'PH', name: 'Philippines', prefixes: [{ digits: '632', rest: 8 }], weight: 3, masksDigits: 0 },
  { country: 'NG', name: 'Nigeria', prefixes: [{ digits: '2341', rest: 7 }], weight: 1, masksDigits: 0 },
  { country: 'AE', name: 'United Arab Emirates', prefixes: [{ digits: '9714', rest: 7 }], weight: 2, masksDigits: 0 },
];

/** The tenant's own toll-free numbers, by the country of the resource account that answers them. */
export const TOLL_FREE_NUMBERS: Readonly<Record<string, string>> = {
  US: '18005550100',
  GB: '448001234567',
  CA: '18885550199',
  DE: '498001234567',
};

export const SAMPLE_RATES: readonly SampleRate[] = [
  rate('outbound', '1', 'United States and Canada', '0.020', '0', 60, 60),
  rate('outbound', '1787', 'Puerto Rico', '0.030', '0', 60, 60),
  rate('outbound', '44', 'United Kingdom', '0.025', '0', 60, 60),
  rate('outbound', '447', 'United Kingdom mobile', '0.120', '0', 60, 60),
  rate('outbound', '49', 'Germany', '0.030', '0', 60, 60),
  rate('outbound', '4915', 'Germany mobile', '0.150', '0', 60, 60),
  rate('outbound', '33', 'France', '0.030', '0', 60, 60),
  rate('outbound', '91', 'India', '0.085', '0.05', 60, 60),
  rate('outbound', '52', 'Mexico', '0.045', '0', 30, 6),
  rate('outbound', '81', 'Japan', '0.070', '0', 60, 60),
  rate('outbound', '61', 'Australia', '0.040', '0', 60, 60),
  rate('outbound', '55', 'Brazil', '0.060', '0', 30, 6),
  rate('outbound', '63', 'Philippines', '0.190', '0.10', 60, 60),
  rate('outbound', '234', 'Nigeria', '0.260', '0.10', 60, 60),
  rate('outbound', '971', 'United Arab Emirates', '0.210', '0.10', 60, 60),
  rate('dialout', '1', 'United States and Canada', '0.024', '0', 60, 60),
  rate('dialout', '1787', 'Puerto Rico', '0.036', '0', 60, 60),
  rate('dialout', '44', 'United Kingdom', '0.030', '0', 60, 60),
  rate('dialout', '49', 'Germany', '0.036', '0', 60, 60),
  rate('dialout', '33', 'France', '0.036', '0', 60, 60),
  rate('dialout', '91', 'India', '0.102', '0.05', 60, 60),
  rate('dialout', '52', 'Mexico', '0.054', '0', 60, 60),
  rate('dialout', '81', 'Japan', '0.084', '0', 60, 60),
  rate('dialout', '61', 'Australia', '0.048', '0', 60, 60),
  rate('dialout', '55', 'Brazil', '0.072', '0', 60, 60),
  rate('dialout', '63', 'Philippines', '0.228', '0.10', 60, 60),
  rate('dialout', '234', 'Nigeria', '0.312', '0.10', 60, 60),
  rate('dialout', '971', 'United Arab Emirates', '0.252', '0.10', 60, 60),
  rate('tollfree_in', '1800', 'United States toll-free 800', '0.018', '0', 60, 60),
  rate('tollfree_in', '1888', 'United States toll-free 888', '0.018', '0', 60, 60),
  rate('tollfree_in', '44800', 'United Kingdom freephone', '0.045', '0', 60, 60),
  rate('tollfree_in', '49800', 'Germany freephone', '0.050', '0', 60, 60),
];

function rate(service: SampleRate['service'], prefix: string, destination: string, perMinute: string, connectionFee: string, first: number, next: number): SampleRate {
  return { service, prefix, destination, perMinute, connectionFee, firstIncrementSeconds: first, nextIncrementSeconds: next };
}

export const COUNTRY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(DESTINATIONS.map((d) => [d.country, d.name]));

/** Usage countries of generated users, with their share and the capabilities they hold. */
export const USER_MIX: readonly { country: string; weight: number; capabilities: readonly [string, number][] }[] = [
  { country: 'US', weight: 55, capabilities: [['MCOPSTN1', 35], ['MCOPSTN5', 20], ['MCOPSTN2', 15], ['MCOPSTN_PAYG_1', 15], ['MCOPSTN8', 15]] },
  { country: 'GB', weight: 20, capabilities: [['MCOPSTN5', 50], ['MCOPSTN1', 30], ['MCOPSTN_PAYG_1', 20]] },
  { country: 'CA', weight: 10, capabilities: [['MCOPSTN1', 50], ['MCOPSTN5', 20], ['MCOPSTN2', 30]] },
  { country: 'DE', weight: 15, capabilities: [['MCOPSTN6', 60], ['MCOPSTN1', 40]] },
];

export const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noor', 'Olek', 'Priya'];
export const LAST_NAMES = ['Smith', "O'Brien", 'Garcia', 'Müller', 'Tanaka', 'Okafor', 'Dubois', 'Kowalski', 'Nguyen', 'Rossi', 'Silva', 'Patel'];
