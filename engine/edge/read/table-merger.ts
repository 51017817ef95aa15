import type { CallColumns } from '../../columns/call-columns.js';

/**
 * Rewrites each part's user and capability ids, local to the range that read it, into ids of one
 * table for all parts. Ids are given in the order parts are added (file, then range), so they do
 * not depend on which worker finished first.
 */
export class TableMerger {
  readonly users: string[] = [];
  readonly capabilities: string[] = [];
  private readonly userIds = new Map<string, number>();
  private readonly capabilityIds = new Map<string, number>();

  add(part: CallColumns): void {
    const userMap = part.users.map((user) => globalId(this.userIds, this.users, user));
    const capabilityMap = part.capabilities.map((capability) => globalId(this.capabilityIds, this.capabilities, capability));
    for (let i = 0; i < part.count; i++) {
      part.user[i] = userMap[part.user[i] as number] as number;
      const capability = part.capability[i] as number;
      if (capability >= 0) part.capability[i] = capabilityMap[capability] as number;
    }
    part.users = this.users;
    part.capabilities = this.capabilities;
  }
}

function globalId(ids: Map<string, number>, list: string[], value: string): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = list.push(value) - 1));
  return id;
}
