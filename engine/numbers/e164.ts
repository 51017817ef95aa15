/**
 * A phone number as written in an export: "+1 425-555-0100", "+44207946****" (some countries mask
 * the last digits). Rating and country lookup use the digits before the first mask character.
 */
export interface DialledDigits {
  digits: string;
  masked: boolean;
}

export function dialledDigits(text: string): DialledDigits {
  let digits = '';
  let masked = false;
  for (const char of text.trim()) {
    if (char >= '0' && char <= '9') {
      if (!masked) digits += char;
    } else if (char === '*' || char === 'X' || char === 'x') {
      masked = true;
    }
  }
  return { digits, masked };
}

/** Countries that count as one domestic area for calling plans: US, PR and CA (DOMAIN.md §2). */
const NORTH_AMERICA = new Set(['US', 'PR', 'CA']);

export function isDomesticPair(userCountry: string, destinationCountry: string): boolean {
  if (userCountry === destinationCountry) return true;
  return NORTH_AMERICA.has(userCountry) && NORTH_AMERICA.has(destinationCountry);
}

/** US and PR share one pool (DOMAIN.md §2). */
export function poolCountry(country: string): string {
  return country === 'PR' ? 'US' : country;
}
