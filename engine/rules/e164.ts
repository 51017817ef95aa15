/** Countries that count as one domestic area for calling plans: US, PR and CA (RULES.md §2). */
const NORTH_AMERICA = new Set(['US', 'PR', 'CA']);

export function isDomesticPair(userCountry: string, destinationCountry: string): boolean {
  if (userCountry === destinationCountry) return true;
  return NORTH_AMERICA.has(userCountry) && NORTH_AMERICA.has(destinationCountry);
}
