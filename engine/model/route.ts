/**
 * Where a call's money comes from, decided before any pool or balance is looked at, as a small
 * code that fits a byte column: free (four reasons), one of three pools, or credits (six reasons).
 */
export const ROUTE = {
  freeInbound: 0,
  freeCarrier: 1,
  freeEmergency: 2,
  freeCapability: 3,
  poolDomestic: 4,
  poolInternational: 5,
  poolConference: 6,
  creditsTollFree: 7,
  creditsEveryMinute: 8,
  creditsInternational: 9,
  creditsOutsideZoneA: 10,
  /**
   * Paid from credits as the export records it (a payment source such as MCOPSTNPP), domestic or
   * international: every minute from credits, unless the caller's plan is found and takes it over.
   */
  creditsPaidDomestic: 11,
  creditsPaidInternational: 12,
} as const;
export type RouteCode = (typeof ROUTE)[keyof typeof ROUTE];

export type FreeReason = 'inbound' | 'carrier' | 'emergency' | 'free-capability' | 'unanswered';
export type PoolSide = 'domestic' | 'international' | 'conference';

const FREE_REASONS: readonly FreeReason[] = ['inbound', 'carrier', 'emergency', 'free-capability'];
const POOL_SIDES: readonly PoolSide[] = ['domestic', 'international', 'conference'];

export function isFreeRoute(route: number): boolean {
  return route <= ROUTE.freeCapability;
}
export function isPoolRoute(route: number): boolean {
  return route >= ROUTE.poolDomestic && route <= ROUTE.poolConference;
}
export function freeReasonOf(route: number): FreeReason {
  return FREE_REASONS[route] as FreeReason;
}
export function poolSideOf(route: number): PoolSide {
  return POOL_SIDES[route - ROUTE.poolDomestic] as PoolSide;
}
